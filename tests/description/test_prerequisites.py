"""Organisational prerequisites (seed 004, chapter 4): edited in place as core elements are,
in the compiled description, its versions and their comparison, copied from the
framework's template, and exported."""

from html import unescape
from io import BytesIO

import pytest
from flask import current_app, g
from openpyxl import load_workbook
from sqlalchemy import select

from improvement.analysis.description_diff import compare, count_changes, flatten
from improvement.description import queries
from improvement.description.seed import load_description_extras
from improvement.extensions import db
from improvement.models import (
    AuditEvent,
    CoreElement,
    DescriptionVersion,
    OrganisationalPrerequisite,
)
from improvement.seeding import read
from tests.description.factories import gen_core_element, gen_prerequisite
from tests.helpers import gen_intervention, gen_org, gen_user
from tests.querycount import count_queries

HX = {"HX-Request": "true"}
LEADERSHIP = "Stærk faglig ledelse og kollegial refleksion"


def setup(role="leader", locale="da"):
    org = gen_org("Nord")
    user = gen_user(org, role=role, name="Lise Lund", locale=locale)
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    db.session.commit()
    return org, user, intervention


def url(intervention, rest=""):
    return f"/indsatser/{intervention.id}/forudsaetninger{rest}"


def pre(item, data):
    """Form data for an item's edit form, whose fields are prefixed by the row."""
    return {f"op{item.id}-{key}": value for key, value in data.items()}


def rows(**where):
    stmt = select(OrganisationalPrerequisite).order_by(
        OrganisationalPrerequisite.position, OrganisationalPrerequisite.id
    )
    for key, value in where.items():
        stmt = stmt.where(getattr(OrganisationalPrerequisite, key) == value)
    db.session.expire_all()
    return list(db.session.scalars(stmt))


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def draft_and_labels(user, org, intervention) -> tuple[dict, dict]:
    """The intervention's draft snapshot and the diff's words (Danish), as a request of
    `user` working in `org` sees them."""
    with current_app.test_request_context():
        g.membership = next(m for m in user.memberships if m.organization_id == org.id)
        return queries.snapshot(intervention), queries.diff_labels()


# ---------------------------------------------------------------- the page


def test_the_page_explains_what_they_are_and_offers_the_template(client, login):
    org, user, intervention = setup()
    login(user, org)
    page = text(client.get(url(intervention)))
    assert "<h1>Organisatoriske forudsætninger</h1>" in page
    # The sub-navigation's entry, under Beskrivelse, is this page.
    assert f'href="{url(intervention)}" aria-current="page">Forudsætninger</a>' in page
    assert "Ingen organisatoriske forudsætninger endnu" in page
    assert "De organisatoriske forudsætninger er vigtige for, at I kan implementere" in page
    assert "Start fra skabelon: Progression i sagsbehandlingen" in page
    assert "Ny forudsætning" in page


def test_an_evaluator_reads_the_page_without_the_controls(client, login):
    org, user, intervention = setup(role="evaluator")
    gen_prerequisite(intervention, name=LEADERSHIP, status="partly")
    db.session.commit()
    login(user, org)
    page = text(client.get(url(intervention)))
    assert LEADERSHIP in page and "Delvist i orden" in page
    assert "Ny forudsætning" not in page and "Redigér" not in page
    assert "Start fra skabelon" not in page


# ---------------------------------------------------------------- create, edit, history


def test_create_edit_and_history(client, login):
    org, user, intervention = setup()
    login(user, org)
    response = client.post(
        url(intervention),
        data={"name": LEADERSHIP, "description": "Ledelse tæt på praksis"},
        headers=HX,
    )
    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body and LEADERSHIP in body and "just-created" in body
    (item,) = rows()
    assert (item.organization_id, item.intervention_id) == (org.id, intervention.id)
    # Not judged yet until the team says otherwise.
    assert (item.status, item.gap, item.archived) == ("not_assessed", "", False)
    assert "Ikke vurderet: 1" in body

    response = client.post(
        url(intervention, f"/{item.id}/rediger"),
        data=pre(
            item,
            {
                "name": LEADERSHIP,
                "status": "missing",
                "description": "Ledelse tæt på praksis",
                "gap": "Et fast forum for kollegial refleksion",
                "version": "1",
            },
        ),
        headers=HX,
    )
    assert response.status_code == 200
    body = text(response)
    assert f'id="prerequisite-{item.id}"' in body and "Mangler" in body
    # The card, and the page's summary line out of band: its status changed the counts.
    assert '<p id="prerequisite-tally" class="prerequisite-tally" hx-swap-oob="true">' in body
    assert "Mangler: 1" in body and "Ikke vurderet" not in body.split("prerequisite-tally")[1]
    (item,) = rows()
    assert (item.status, item.gap) == ("missing", "Et fast forum for kollegial refleksion")

    history = text(client.get(f"/indsatser/{intervention.id}/historik/forudsaetning/{item.id}"))
    assert "Lise Lund" in history and "oprettet" in history and "ændret" in history
    # The form's labels and the status in words, never the column or the code.
    assert "Status nu" in history and "Ikke vurderet" in history and "Mangler" in history
    assert "Hvad mangler?" in history
    assert "not_assessed" not in history and "gap" not in history


def test_the_edit_form_and_cancel(client, login):
    org, user, intervention = setup()
    item = gen_prerequisite(intervention, name=LEADERSHIP, description="Ledelse")
    db.session.commit()
    login(user, org)
    form = text(client.get(url(intervention, f"/{item.id}/rediger"), headers=HX))
    assert f'name="op{item.id}-name"' in form and 'value="1"' in form
    assert "Hvad omhandler forudsætningen?" in form and "Status nu" in form
    assert "Skriv ikke borgeres navne eller CPR-numre." in form
    card = text(client.get(url(intervention, f"/{item.id}"), headers=HX))
    assert card.lstrip().startswith(f'<li id="prerequisite-{item.id}"')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Feltet skal udfyldes."),
        ({"name": "  stærk FAGLIG   ledelse "}, "Der er allerede en forudsætning med dette navn."),
        ({"name": "Arkiveret"}, "Der er allerede en arkiveret forudsætning med dette navn"),
        ({"name": "Ny", "status": "perfect"}, "Ikke et gyldigt valg."),
        ({"name": "Ny", "gap": "Barnet 010203-1234 mangler"}, "CPR"),
        ({"name": "Ny", "description": "x" * 4001}, "4000"),
    ],
)
def test_create_refused_in_place_with_the_text(client, login, data, message):
    org, user, intervention = setup()
    gen_prerequisite(intervention, name="Stærk faglig ledelse")
    gen_prerequisite(intervention, name="Arkiveret", archived=True, position=1)
    db.session.commit()
    login(user, org)
    response = client.post(url(intervention), data={"status": "in_place", **data}, headers=HX)
    assert response.status_code == 422
    body = text(response)
    assert message in body
    # The section with the form open and what was typed.
    assert 'id="prerequisites"' in body and '<details class="create-panel" open>' in body
    assert len(rows()) == 2


def test_edit_refused_in_place_stale_and_archived_meanwhile(client, login):
    org, user, intervention = setup()
    item = gen_prerequisite(intervention, name="Original")
    gen_prerequisite(intervention, name="Anden", position=1)
    db.session.commit()
    login(user, org)
    edit = url(intervention, f"/{item.id}/rediger")

    response = client.post(edit, data=pre(item, {"name": "Anden", "version": "1"}), headers=HX)
    assert response.status_code == 422
    assert "Der er allerede en forudsætning med dette navn." in text(response)

    # Someone else saves first: refused, both versions shown, the user's text kept.
    item.name, item.status = "Deres version", "in_place"
    db.session.commit()
    mine = {"name": "Min version", "status": "partly", "gap": "Min tekst", "version": "1"}
    response = client.post(edit, data=pre(item, mine), headers=HX)
    assert response.status_code == 409
    body = text(response)
    assert "Min version" in body and "Min tekst" in body
    assert "Deres version" in body and "(I orden)" in body and "Gemt i mellemtiden" in body
    assert rows(id=item.id)[0].name == "Deres version"
    # The form now carries their version: saving again keeps the user's on purpose.
    response = client.post(edit, data=pre(item, {**mine, "version": "2"}), headers=HX)
    assert response.status_code == 200
    assert rows(id=item.id)[0].name == "Min version"

    # Archived in another tab while the editor was open: refused, the text kept.
    item = rows(id=item.id)[0]
    item.archived = True
    db.session.commit()
    response = client.post(
        edit, data=pre(item, {**mine, "gap": "Ny tekst", "version": str(item.version)}), headers=HX
    )
    assert response.status_code == 409
    body = text(response)
    assert "En anden har arkiveret forudsætningen i mellemtiden" in body and "Ny tekst" in body
    assert rows(id=item.id)[0].gap == "Min tekst"


# ---------------------------------------------------------------- order, archive, delete


def test_reorder_move_archive_restore_and_delete(client, login):
    org, user, intervention = setup()
    a, b, c = (gen_prerequisite(intervention, name=n, position=i) for i, n in enumerate("ABC"))
    db.session.commit()
    login(user, org)

    def order():
        return [p.name for p in rows(archived=False)]

    assert (
        client.post(
            url(intervention, "/raekkefoelge"), data={"ids": [c.id, a.id, b.id]}, headers=HX
        ).status_code
        == 200
    )
    assert order() == ["C", "A", "B"]
    # Changed meanwhile (not all of them): 409 and the saved order, nothing saved.
    response = client.post(url(intervention, "/raekkefoelge"), data={"ids": [a.id]}, headers=HX)
    assert response.status_code == 409
    assert "Her er den gemte rækkefølge" in text(response)
    assert order() == ["C", "A", "B"]
    assert (
        client.post(
            url(intervention, f"/{b.id}/flyt"), data={"direction": "up"}, headers=HX
        ).status_code
        == 200
    )
    assert order() == ["C", "B", "A"]
    assert (
        client.post(
            url(intervention, f"/{b.id}/flyt"), data={"direction": "sideways"}, headers=HX
        ).status_code
        == 400
    )

    response = client.post(url(intervention, f"/{a.id}/arkiver"), headers=HX)
    assert response.status_code == 200
    assert "1 arkiveret forudsætning" in text(response)
    assert order() == ["C", "B"] and rows(id=a.id)[0].archived is True
    # An archived one is not moved.
    assert (
        client.post(
            url(intervention, f"/{a.id}/flyt"), data={"direction": "up"}, headers=HX
        ).status_code
        == 404
    )

    # Only an archived one is deleted; one restored meanwhile is refused.
    response = client.post(url(intervention, f"/{b.id}/slet"), headers=HX)
    assert response.status_code == 409
    assert "B er genskabt i mellemtiden og blev derfor ikke slettet." in text(response)
    assert len(rows()) == 3

    response = client.post(url(intervention, f"/{a.id}/genskab"), headers=HX)
    assert response.status_code == 200 and order() == ["C", "B", "A"]

    a_id = a.id
    client.post(url(intervention, f"/{a_id}/arkiver"), headers=HX)
    response = client.post(url(intervention, f"/{a_id}/slet"), headers=HX)
    assert response.status_code == 200
    assert "arkiveret forudsætning" not in text(response)
    assert [p.name for p in rows()] == ["C", "B"]
    # Its deletion is in the audit trail.
    deleted = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "OrganisationalPrerequisite", AuditEvent.action == "delete"
        )
    ).all()
    assert [e.object_id for e in deleted] == [a_id]


# ---------------------------------------------------------------- access


def test_another_organisations_or_interventions_prerequisite_is_not_found(client, login):
    org, user, intervention = setup()
    other_intervention = gen_intervention(org, name="Anden indsats")
    ours_elsewhere = gen_prerequisite(other_intervention, name="Andetsteds")
    foreign_org = gen_org("Syd")
    foreign = gen_prerequisite(gen_intervention(foreign_org, name="Syds"), name="Hemmelig")
    db.session.commit()
    login(user, org)
    for item in (foreign, ours_elsewhere):
        for method, rest in [
            ("get", f"/{item.id}"),
            ("get", f"/{item.id}/rediger"),
            ("post", f"/{item.id}/rediger"),
            ("post", f"/{item.id}/arkiver"),
            ("post", f"/{item.id}/genskab"),
            ("post", f"/{item.id}/slet"),
            ("post", f"/{item.id}/flyt"),
        ]:
            response = getattr(client, method)(
                url(intervention, rest), data={"direction": "up"}, headers=HX
            )
            assert response.status_code == 404, (method, rest)
    # A foreign id in a drag's order is as missing as a wrong path.
    response = client.post(url(intervention, "/raekkefoelge"), data={"ids": [foreign.id]})
    assert response.status_code == 404
    # Nor is the other organisation's intervention a way in.
    assert client.get(f"/indsatser/{foreign.intervention_id}/forudsaetninger").status_code == 404
    assert (
        client.post(f"/indsatser/{foreign.intervention_id}/forudsaetninger/skabelon").status_code
        == 404
    )
    assert [p.name for p in rows(intervention_id=foreign.intervention_id)] == ["Hemmelig"]


def test_an_evaluator_changes_nothing(client, login):
    org, user, intervention = setup(role="evaluator")
    item = gen_prerequisite(intervention, name=LEADERSHIP)
    db.session.commit()
    login(user, org)
    assert client.get(url(intervention, f"/{item.id}/rediger"), headers=HX).status_code == 403
    for rest, data in [
        ("", {"name": "Ny"}),
        (f"/{item.id}/rediger", pre(item, {"name": "Ændret", "version": "1"})),
        (f"/{item.id}/arkiver", {}),
        (f"/{item.id}/flyt", {"direction": "down"}),
        ("/raekkefoelge", {"ids": [item.id]}),
        ("/skabelon", {}),
    ]:
        assert client.post(url(intervention, rest), data=data, headers=HX).status_code == 403
    assert [(p.name, p.version) for p in rows()] == [(LEADERSHIP, 1)]


# ---------------------------------------------------------------- the template


def test_start_from_template_copies_the_four_and_skips_names_in_use(client, login):
    org, user, intervention = setup()
    framework = read("progression_framework.yaml")["prerequisites"]
    assert len(framework) == 4
    gen_prerequisite(intervention, name="Vores egen", status="in_place")
    # The same name as the template's second, case and spaces aside, and archived.
    gen_prerequisite(
        intervention, name="  relationelle og FACILITERENDE kompetencer", archived=True, position=1
    )
    db.session.commit()
    login(user, org)
    response = client.post(url(intervention, "/skabelon"), headers=HX)
    assert response.status_code == 200
    assert client.post(url(intervention, "/skabelon"), headers=HX).status_code == 200
    active = rows(archived=False)
    assert [p.name for p in active] == ["Vores egen"] + [
        f["name"] for f in framework if not f["name"].startswith("Relationelle")
    ]
    copied = active[1:]
    assert all(p.status == "not_assessed" and p.gap == "" for p in copied)
    assert copied[0].description == framework[0]["description"]
    assert [p.position for p in active] == sorted({p.position for p in active})
    # The core elements are the core elements page's template: untouched here.
    assert db.session.scalars(select(CoreElement)).all() == []


def test_demo_loader_adds_prerequisites_once(app):
    org = gen_org("Nord")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    data = {
        "prerequisites": [
            {
                "name": "Fast sparring",
                "description": "Hver 14. dag",
                "status": "partly",
                "gap": "Referater",
            },
            {"name": "Fleksible tilbud"},
        ]
    }
    load_description_extras(intervention, data, {})
    load_description_extras(intervention, data, {})
    db.session.commit()
    assert [(p.name, p.status, p.gap) for p in rows()] == [
        ("Fast sparring", "partly", "Referater"),
        ("Fleksible tilbud", "not_assessed", ""),
    ]


# ---------------------------------------------------------------- description and versions


def _publish(client, intervention, note="Efter mødet", latest="0"):
    response = client.post(
        f"/indsatser/{intervention.id}/indsatsbeskrivelse/versioner",
        data={"note": note, "latest": latest},
    )
    assert response.status_code == 302


def test_the_description_shows_them_after_the_core_elements(client, login):
    org, user, intervention = setup()
    gen_core_element(intervention, name="Tæt kontakt")
    gen_prerequisite(
        intervention,
        name=LEADERSHIP,
        description="Ledelse tæt på praksis",
        status="partly",
        gap="Fast forum",
    )
    gen_prerequisite(intervention, name="Gammel", archived=True, position=1)
    db.session.commit()
    login(user, org)
    page = text(client.get(f"/indsatser/{intervention.id}/indsatsbeskrivelse"))
    headings = [
        "3. Kerneelementer",
        "4. Organisatoriske forudsætninger",
        "5. Arbejdsgange",
        "6. Aktuelle udviklingspunkter",
    ]
    assert all(h in page for h in headings)
    assert [page.index(h) for h in headings] == sorted(page.index(h) for h in headings)
    section = page.split("4. Organisatoriske forudsætninger", 1)[1].split("5. Arbejdsgange")[0]
    assert f"1. {LEADERSHIP} <small>(status nu: Delvist i orden)</small>" in section
    assert "<strong>Hvad omhandler forudsætningen?</strong> Ledelse tæt på praksis" in section
    assert "<strong>Hvad mangler?</strong> Fast forum" in section
    assert "Gammel" not in section  # archived: not in the description
    assert 'class="doc-section page-break"' in page.split("4. Organisatoriske")[0][-300:]


def test_snapshot_stores_codes_and_versions_compare_them_by_name(client, login):
    org, user, intervention = setup(locale="en")
    danish = gen_user(org, role="leader", name="Dorte Dansk")
    a = gen_prerequisite(intervention, name="A", description="Om A", status="in_place")
    b = gen_prerequisite(intervention, name="B", status="missing", gap="Alt", position=1)
    gen_prerequisite(intervention, name="C", archived=True, position=2)
    db.session.commit()
    login(user, org)  # published by someone reading English
    _publish(client, intervention)
    v1 = db.session.scalars(select(DescriptionVersion)).one()
    assert v1.snapshot["prerequisites"] == [
        {"name": "A", "status": "in_place", "description": "Om A", "gap": ""},
        {"name": "B", "status": "missing", "description": "", "gap": "Alt"},
    ]
    # Read in Danish, the version is the same as the draft and reads in Danish.
    login(danish, org)
    base = f"/indsatser/{intervention.id}/indsatsbeskrivelse"
    assert "Udkastet er det samme som version 1." in text(client.get(base))
    version = text(client.get(f"{base}/versioner/{v1.id}"))
    assert "A <small>(status nu: I orden)</small>" in version and "In place" not in version

    # B is now partly in place; A's text changed; D is new.
    b.status, b.gap = "partly", "Lidt"
    a.description = "Om A, nu mere"
    gen_prerequisite(intervention, name="D", position=3)
    db.session.commit()
    diff = compare(v1.snapshot, *draft_and_labels(danish, org, intervention))
    assert [(r.tag, r.left, r.right) for r in diff["prerequisites"] if r.tag != "same"] == [
        ("changed", "A – omhandler: Om A", "A – omhandler: Om A, nu mere"),
        ("changed", "B [Mangler]", "B [Delvist i orden]"),
        ("changed", "B – mangler: Alt", "B – mangler: Lidt"),
        ("added", None, "D [Ikke vurderet]"),
    ]
    # Nothing else in the description changed.
    assert all(r.tag == "same" for k, rs in diff.items() if k != "prerequisites" for r in rs)
    page = text(client.get(f"{base}/sammenlign?fra=1&til=draft"))
    assert "<h3>Organisatoriske forudsætninger</h3>" in page
    assert "+ Efter:</span> B [Delvist i orden]" in page

    # Moved down the list, unchanged: moved (each of its lines).
    b.position, a.position = 0, 1
    db.session.execute(
        OrganisationalPrerequisite.__table__.delete().where(OrganisationalPrerequisite.name == "D")
    )
    b.status, b.gap, a.description = "missing", "Alt", "Om A"
    db.session.commit()
    diff = compare(v1.snapshot, *draft_and_labels(danish, org, intervention))
    assert count_changes(diff) == {"added": 0, "removed": 0, "changed": 0, "moved": 2}


def test_versions_from_before_prerequisites_compare_and_read(client, login):
    org, user, intervention = setup()
    gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    draft, labels = draft_and_labels(user, org, intervention)
    assert draft["prerequisites"] == []
    # Published before prerequisites were described: the snapshot has no such key.
    before = {k: v for k, v in draft.items() if k != "prerequisites"}
    old = DescriptionVersion(
        organization_id=org.id,
        intervention_id=intervention.id,
        number=1,
        note="Før",
        snapshot=before,
    )
    db.session.add(old)
    db.session.commit()
    # With none described, the draft is the same as the old version.
    assert not any(count_changes(compare(old.snapshot, draft, labels)).values())
    login(user, org)
    version = text(
        client.get(f"/indsatser/{intervention.id}/indsatsbeskrivelse/versioner/{old.id}")
    )
    assert "4. Organisatoriske forudsætninger" in version
    assert "Ingen organisatoriske forudsætninger endnu." in version
    # One described since reads as added.
    gen_prerequisite(intervention, name=LEADERSHIP)
    db.session.commit()
    diff = compare(old.snapshot, *draft_and_labels(user, org, intervention))
    assert [(r.tag, r.right) for r in diff["prerequisites"]] == [
        ("added", f"{LEADERSHIP} [Ikke vurderet]")
    ]


def test_flatten_compares_by_code_not_by_word():
    snapshot = {"prerequisites": [{"name": "A", "status": "partly", "description": "", "gap": ""}]}
    assert flatten(snapshot, coded=True)["prerequisites"] == ["A [partly]"]
    words = {"prerequisite_statuses": {"partly": "Delvist i orden"}}
    assert flatten(snapshot, words)["prerequisites"] == ["A [Delvist i orden]"]


# ---------------------------------------------------------------- export


def test_the_workbook_has_a_sheet_of_them(client, login):
    org, user, intervention = setup()
    gen_core_element(intervention, name="Tæt kontakt")
    gen_prerequisite(
        intervention, name=LEADERSHIP, description="Ledelse", status="partly", gap="Fast forum"
    )
    gen_prerequisite(intervention, name="Gammel", archived=True, position=1)
    other = gen_org("Syd")
    gen_prerequisite(gen_intervention(other, name="Syds"), name="Hemmelig")
    db.session.commit()
    login(user, org)
    response = client.get(f"/indsatser/{intervention.id}/eksport.xlsx")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.data))
    names = wb.sheetnames
    assert names.index("Organisatoriske forudsætninger") == names.index("Kerneelementer") + 1
    sheet = wb["Organisatoriske forudsætninger"]
    assert [c.value for c in sheet[1]] == [
        "Indsats",
        "Nr.",
        "Forudsætning",
        "Omhandler",
        "Status nu",
        "Hvad mangler",
        "Arkiveret",
    ]
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Spædbarnsindsats", 1, LEADERSHIP, "Ledelse", "Delvist i orden", "Fast forum", "Nej"),
        ("Spædbarnsindsats", 2, "Gammel", None, "Ikke vurderet", None, "Ja"),
    ]
    definitions = {
        (row[0], row[1]): row[4]
        for row in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
    }
    assert definitions[("Organisatoriske forudsætninger", "Status nu")] == (
        "Ikke vurderet, I orden, Delvist i orden, Mangler"
    )
    overview = {row[0]: row[1] for row in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    assert overview["Rækker i arket Organisatoriske forudsætninger"] == 2


def test_an_empty_sheet_says_why(client, login):
    org, user, intervention = setup()
    login(user, org)
    wb = load_workbook(BytesIO(client.get(f"/indsatser/{intervention.id}/eksport.xlsx").data))
    remarks = {row[0]: row[2] for row in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    assert remarks["Rækker i arket Organisatoriske forudsætninger"] == (
        "Ingen organisatoriske forudsætninger registreret."
    )


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("headers", [{}, HX])
def test_the_page_queries_do_not_grow_with_prerequisites(client, login, headers):
    org, user, intervention = setup()
    gen_prerequisite(intervention, name="P0")
    gen_prerequisite(intervention, name="A0", archived=True)
    db.session.commit()
    login(user, org)
    client.get(url(intervention), headers=headers)  # warm caches
    with count_queries() as small:
        assert client.get(url(intervention), headers=headers).status_code == 200
    for n in range(1, 15):
        gen_prerequisite(intervention, name=f"P{n}", position=n, status="missing")
        gen_prerequisite(intervention, name=f"A{n}", position=n, archived=True)
    db.session.commit()
    with count_queries() as large:
        assert client.get(url(intervention), headers=headers).status_code == 200
    assert len(large) == len(small), large


def test_the_description_queries_do_not_grow_with_prerequisites(client, login):
    org, user, intervention = setup()
    gen_prerequisite(intervention, name="P0")
    db.session.commit()
    login(user, org)
    page = f"/indsatser/{intervention.id}/indsatsbeskrivelse"
    client.get(page)
    with count_queries() as small:
        assert client.get(page).status_code == 200
    for n in range(1, 15):
        gen_prerequisite(intervention, name=f"P{n}", position=n)
    db.session.commit()
    with count_queries() as large:
        assert client.get(page).status_code == 200
    assert len(large) == len(small)
