import re

from sqlalchemy import select

from improvement import clock
from improvement.extensions import db
from improvement.models import AuditEvent, Intervention
from tests.helpers import gen_intervention, gen_org, gen_user

HX = {"HX-Request": "true"}


def setup_user(role="leader"):
    org = gen_org("Nord")
    user = gen_user(org, role=role)
    db.session.commit()
    return org, user


def test_empty_listing_offers_first_step(client, login):
    org, user = setup_user()
    login(user, org)
    body = client.get("/indsatser").get_data(as_text=True)
    assert "Ingen indsatser endnu – opret den første" in body
    assert "Opret indsats" in body


def test_create_with_htmx_returns_the_listing_fragment(client, login):
    org, user = setup_user()
    login(user, org)
    response = client.post(
        "/indsatser",
        data={"name": "Familiekonsulent", "status": "testing", "start_date": "2025-03-01"},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert "Indsatsen Familiekonsulent er oprettet." in body
    assert "01.03.2025" in body  # Danish date format
    intervention = db.session.scalars(select(Intervention)).one()
    assert intervention.organization_id == org.id
    assert intervention.status == "testing"


def test_invalid_create_keeps_values_and_says_what_is_wrong(client, login):
    org, user = setup_user()
    login(user, org)
    response = client.post(
        "/indsatser",
        data={"name": "", "purpose": "Mit formål", "start_date": "32-13-2025"},
        headers=HX,
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Feltet skal udfyldes." in body
    assert "Ikke en gyldig dato." in body
    assert "Mit formål" in body
    assert db.session.scalars(select(Intervention)).first() is None


def test_cpr_number_is_refused(client, login):
    org, user = setup_user()
    login(user, org)
    response = client.post(
        "/indsatser", data={"name": "Forløb for 010203-1234", "status": "testing"}, headers=HX
    )
    assert response.status_code == 422
    assert "Det ligner et CPR-nummer" in response.get_data(as_text=True)
    assert db.session.scalars(select(Intervention)).first() is None


def test_edit_inline(client, login):
    org, user = setup_user()
    intervention = gen_intervention(org, name="Gammelt navn")
    db.session.commit()
    login(user, org)
    form = client.get(f"/indsatser/{intervention.id}/rediger", headers=HX).get_data(as_text=True)
    assert 'value="Gammelt navn"' in form
    response = client.post(
        f"/indsatser/{intervention.id}/rediger",
        data={"name": "Nyt navn", "status": "operation", "version": intervention.version},
        headers=HX,
    )
    assert response.status_code == 200
    assert "Nyt navn" in response.get_data(as_text=True)
    assert db.session.get(Intervention, intervention.id).name == "Nyt navn"
    audit = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "update", AuditEvent.object_id == intervention.id
        )
    ).one()
    assert audit.changes["name"] == ["Gammelt navn", "Nyt navn"]
    assert audit.user_id == user.id


def test_concurrent_edit_is_detected(client, login):
    org, user = setup_user()
    intervention = gen_intervention(org, name="Start")
    db.session.commit()
    login(user, org)
    stale_version = intervention.version
    client.post(
        f"/indsatser/{intervention.id}/rediger",
        data={"name": "Første", "status": "testing", "version": stale_version},
        headers=HX,
    )
    response = client.post(
        f"/indsatser/{intervention.id}/rediger",
        data={"name": "Anden", "status": "testing", "version": stale_version},
        headers=HX,
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    # Both saves are this user's (two tabs): the message says so, not "someone else".
    assert "Du har selv gemt ændringer i et andet vindue eller en anden fane" in body
    assert 'value="Anden"' in body  # the user's text is not lost
    assert db.session.get(Intervention, intervention.id).name == "Første"
    # The form now carries the saved version: saving again keeps the user's text.
    current = db.session.get(Intervention, intervention.id).version
    assert f'name="version" type="hidden" value="{current}"' in body
    response = client.post(
        f"/indsatser/{intervention.id}/rediger",
        data={"name": "Anden", "status": "testing", "version": current},
        headers=HX,
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Intervention, intervention.id).name == "Anden"


def test_archive_and_reopen(client, login):
    org, user = setup_user()
    intervention = gen_intervention(org, name="Arkivsag", status="operation")
    db.session.commit()
    login(user, org)
    client.post(f"/indsatser/{intervention.id}/arkiver")
    assert db.session.get(Intervention, intervention.id).status == "archived"
    listing = client.get("/indsatser").get_data(as_text=True)
    assert ">Arkivsag</a>" not in listing
    assert "Vis 1 arkiveret indsats" in listing
    assert ">Arkivsag</a>" in client.get("/indsatser?arkiv=1").get_data(as_text=True)
    client.post(f"/indsatser/{intervention.id}/genaabn")
    assert db.session.get(Intervention, intervention.id).status == "operation"


def test_evaluator_sees_but_cannot_write(client, login):
    org, user = setup_user(role="evaluator")
    intervention = gen_intervention(org, name="Kun læsning")
    db.session.commit()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    assert "Kun læsning" in body
    assert "Redigér" not in body
    response = client.post("/indsatser", data={"name": "Nej"}, headers=HX)
    assert response.status_code == 403
    assert "Din rolle giver ikke adgang" in response.get_data(as_text=True)


def test_unknown_object_gets_friendly_404(client, login):
    org, user = setup_user()
    login(user, org)
    response = client.get("/indsatser/999999")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Siden findes ikke" in body
    assert "Praksisløft" in body  # inside the app's layout


def test_overview_shows_case_key_figures(client, login):
    from datetime import timedelta

    from tests.cases.helpers import gen_case

    org, user = setup_user()
    intervention = gen_intervention(org)
    # Started four months ago with no follow-up: the first (due within 3 months) is overdue.
    gen_case(intervention, "IS-2026-1", start=clock.today() - timedelta(days=120))
    gen_case(intervention, "IS-2026-2", start=clock.today() - timedelta(days=10))
    db.session.commit()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    figures = body.split('class="key-figures overview-figures"')[1].split("</section>")[0]
    values = [part.split("</span>")[0] for part in figures.split('class="key-value">')[1:]]
    assert values == ["2", "0 %", "1"]


def test_header_links_the_organisations_progress_and_an_icon_served_here(client, login):
    org = gen_org()
    user = gen_user(org, role="evaluator")
    db.session.commit()
    login(user, org)
    page = client.get("/indsatser").get_data(as_text=True)
    header = page[page.index('<header class="app-header') : page.index("</header>")]
    assert '<a href="/fremdrift" >Fremdrift</a>' in header
    progress = client.get("/fremdrift").get_data(as_text=True)
    assert progress.count('aria-current="page">Fremdrift') == 1
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.get_data().startswith(b"<svg")
    icon.close()


def test_characters_no_one_types_are_left_out_of_text(client, login):
    # NUL cannot be stored in PostgreSQL text nor written to an Excel sheet; a right-to-left
    # override makes a name display other than it reads; U+FFFF cannot be written to XML.
    org, user = setup_user()
    login(user, org)
    response = client.post(
        "/indsatser",
        data={
            "name": "Fami\x00lie\u202estart\x07\uffff",
            "status": "description",
            "purpose": "A\tB\nC\ufffe",
        },
        headers=HX,
    )
    assert response.status_code == 200
    intervention = db.session.scalars(select(Intervention)).one()
    assert (intervention.name, intervention.purpose) == ("Familiestart", "A\tB\nC")
    template = client.get(f"/indsatser/{intervention.id}/import/skabelon.xlsx")
    assert template.status_code == 200
    template.close()


def test_archived_is_not_a_status_the_form_offers_or_accepts(client, login):
    org, user = setup_user()
    intervention = gen_intervention(org, name="Aktiv", status="testing")
    db.session.commit()
    login(user, org)
    page = client.get("/indsatser").get_data(as_text=True)
    assert "Afprøves" in page and 'value="archived"' not in page
    form = client.get(f"/indsatser/{intervention.id}/rediger", headers=HX).get_data(as_text=True)
    assert 'value="archived"' not in form
    refused = "En indsats arkiveres med knappen Arkivér på dens oversigt."
    response = client.post("/indsatser", data={"name": "Ny", "status": "archived"}, headers=HX)
    assert response.status_code == 422 and refused in response.get_data(as_text=True)
    response = client.post(
        f"/indsatser/{intervention.id}/rediger",
        data={"name": "Aktiv", "status": "archived", "version": intervention.version},
        headers=HX,
    )
    assert response.status_code == 422 and refused in response.get_data(as_text=True)
    assert [i.status for i in db.session.scalars(select(Intervention))] == ["testing"]


def test_editing_an_archived_intervention_keeps_it_archived_and_reopen_restores(client, login):
    org, user = setup_user()
    intervention = gen_intervention(org, name="Gemt væk", status="operation")
    db.session.commit()
    login(user, org)
    client.post(f"/indsatser/{intervention.id}/arkiver")
    form = client.get(f"/indsatser/{intervention.id}/rediger", headers=HX).get_data(as_text=True)
    # The status is shown, not offered: reopening is the way back.
    assert 'name="status"' not in form
    assert "Arkiveret" in form and "Genåbn indsatsen for at ændre dens status." in form
    version = db.session.get(Intervention, intervention.id).version
    response = client.post(
        f"/indsatser/{intervention.id}/rediger",
        data={"name": "Gemt væk 2", "status": "description", "version": version},
        headers=HX,
    )
    assert response.status_code == 200
    db.session.expire_all()
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.name, saved.status) == ("Gemt væk 2", "archived")
    client.post(f"/indsatser/{intervention.id}/genaabn")
    db.session.expire_all()
    assert db.session.get(Intervention, intervention.id).status == "operation"


def test_rename_updates_breadcrumb_and_title_too(client, login):
    org, user = setup_user()
    intervention = gen_intervention(org, name="Gammelt navn")
    db.session.commit()
    login(user, org)
    page = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    assert '<nav id="breadcrumb"' in page and "hx-swap-oob" not in page
    response = client.post(
        f"/indsatser/{intervention.id}/rediger",
        data={"name": "Nyt navn", "status": "testing", "version": intervention.version},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert "<title>Nyt navn · Praksisløft</title>" in body
    crumb = re.search(r'<nav id="breadcrumb"[^>]*>.*?</nav>', body, re.S).group(0)
    assert 'hx-swap-oob="true"' in crumb and "<li>Nyt navn</li>" in crumb
    assert "Gammelt navn" not in body


def test_listing_is_in_danish_alphabetical_order_case_aside(client, login):
    org, user = setup_user()
    names = [
        "Ørestad-forløb",
        "Ældre i eget hjem",
        "Åben rådgivning",
        "intensiv spædbarnsindsats",
        "aftenåbent værested",
        "Tværfagligt makkerpar",
        "Zoneterapi",
        "Bydelsmødre",
    ]
    for name in names:
        gen_intervention(org, name=name)
    db.session.commit()
    login(user, org)
    body = client.get("/indsatser").get_data(as_text=True)
    shown = sorted(names, key=body.index)
    assert shown == [
        "aftenåbent værested",
        "Bydelsmødre",
        "intensiv spædbarnsindsats",
        "Tværfagligt makkerpar",
        "Zoneterapi",
        "Ældre i eget hjem",
        "Ørestad-forløb",
        "Åben rådgivning",
    ]


def test_sort_key_orders_danish_letters_last_and_ignores_case_and_spaces():
    from improvement.names import sort_key

    words = ["å", "Ø", "æ", "Z", "a", "É", "ä", "ö"]
    assert sorted(words, key=sort_key) == ["a", "É", "Z", "ä", "æ", "Ø", "ö", "å"]
    assert sort_key("Tværfagligt   Makkerpar")[0] == sort_key(" tværfagligt makkerpar")[0]
    # å pasted as a + combining ring (NFD) is the same letter as å typed, in order and name.
    assert sorted(["Zebra", "A\u030ase", "Bo"], key=sort_key) == ["Bo", "Zebra", "A\u030ase"]
    from improvement.names import name_key

    assert name_key("A\u030ase") == name_key("åse")


def test_intervention_names_are_unique_in_the_organisation_case_and_spaces_aside(client, login):
    org, user = setup_user()
    existing = gen_intervention(org, name="Intensiv spædbarnsindsats")
    other = gen_intervention(org, name="Familiekonsulent")
    gen_intervention(org, name="Gammel indsats", status="archived")
    gen_intervention(gen_org("Syd"), name="Fælles navn")
    db.session.commit()
    login(user, org)
    taken = "Der findes allerede en indsats med dette navn."
    response = client.post("/indsatser", data={"name": "intensiv  SPÆDBARNSINDSATS"}, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert re.search(r'aria-invalid="true"[^>]*name="name"|name="name"[^>]*aria-invalid', body)
    assert taken in body
    response = client.post("/indsatser", data={"name": "gammel   Indsats"}, headers=HX)
    assert response.status_code == 422
    assert "Der findes allerede en arkiveret indsats med dette navn; genåbn den i stedet." in (
        response.get_data(as_text=True)
    )
    # Another organisation's name is no hindrance.
    assert client.post("/indsatser", data={"name": "Fælles navn"}, headers=HX).status_code == 200
    # Renaming into another's name is refused; keeping one's own (in other case) is not.
    response = client.post(
        f"/indsatser/{other.id}/rediger",
        data={"name": "INTENSIV spædbarnsindsats", "status": "testing", "version": other.version},
        headers=HX,
    )
    assert response.status_code == 422 and taken in response.get_data(as_text=True)
    response = client.post(
        f"/indsatser/{existing.id}/rediger",
        data={"name": "intensiv Spædbarnsindsats", "status": "testing", "version": 1},
        headers=HX,
    )
    assert response.status_code == 200


def test_printed_overview_shows_the_team_without_controls(client, login):
    from tests.helpers import gen_member

    org, user = setup_user()
    intervention = gen_intervention(org, name="Udskrift")
    gen_member(
        intervention,
        gen_user(org, role="practitioner", name="Mette Myndighed"),
        "authority_caseworker",
    )
    gen_user(org, role="practitioner", name="Kan tilføjes")
    db.session.commit()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    team = body[body.index('<section id="team"') :]
    # Controls are for the screen; the chosen values print as text.
    assert re.search(r'<select id="role-\d+" name="professional_role" class="no-print"', team)
    assert re.search(r'<input type="checkbox" role="switch" class="no-print"', team)
    assert '<td class="row-actions no-print">' in team
    assert '<form class="add-member no-print"' in team
    assert '<span class="print-only">Myndighedssagsbehandler</span>' in team


def test_a_click_on_something_deleted_meanwhile_says_so_in_place(client, login):
    # An HTMX request from a page already shown: the item was there when it was drawn.
    org, user = setup_user()
    login(user, org)
    response = client.get("/indsatser/999999", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#messages"
    body = response.get_data(as_text=True)
    assert "Findes ikke længere" in body
    assert "en anden kan have slettet det i mellemtiden" in body
