"""History in words: every audited column has a label or is deliberately left out, and a
history line names fields as the forms do, separated so that a label's own comma reads
as part of the label."""

import re

from babel.messages.pofile import read_po
from flask_babel import force_locale

from improvement.extensions import db
from improvement.history import HIDDEN, HIDDEN_BY_MODEL, LABELS, is_hidden
from tests.description.factories import gen_point as gen_description_point
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point
from tests.test_i18n import PO

HX = {"HX-Request": "true"}


def audited_models():
    return {
        mapper.class_.__name__: mapper
        for mapper in db.Model.registry.mappers
        if getattr(mapper.class_, "__audited__", False)
    }


def test_every_audited_column_is_labelled_or_deliberately_hidden(app):
    models = audited_models()
    assert {"PdsaCycle", "CoreElement", "DevelopmentPoint", "Case", "Meeting"} <= set(models)
    unlabelled = {
        f"{name}.{attr.key}"
        for name, mapper in models.items()
        for attr in mapper.column_attrs
        if attr.key not in LABELS.get(name, {})
        and attr.key not in HIDDEN
        and attr.key not in HIDDEN_BY_MODEL.get(name, ())
    }
    assert unlabelled == set()
    # ... and nothing is listed for a model or a column that does not exist (a rename).
    columns = {name: {a.key for a in m.column_attrs} for name, m in models.items()}
    listed = {(n, k) for n, labels in LABELS.items() for k in labels}
    listed |= {(n, k) for n, keys in HIDDEN_BY_MODEL.items() for k in keys}
    assert {(n, k) for n, k in listed if k not in columns.get(n, ())} == set()
    # A column is either shown or hidden, not both.
    assert {(n, k) for n, labels in LABELS.items() for k in labels if is_hidden(n, k)} == set()


def test_every_label_has_a_danish_translation(app):
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="da")
    translated = {m.id for m in catalogue if m.id and m.string}
    with app.test_request_context(), force_locale("en"):
        msgids = {str(label) for labels in LABELS.values() for label in labels.values()}
    assert msgids - translated == set()


def world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    db.session.commit()
    return org, user, intervention


def history_lines(page: str) -> list[str]:
    """The entries of the test page's history, as text with single spaces."""
    block = page.split('<details class="panel history">', 1)[1].split("</details>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_cycle_history_names_fields_in_danish_without_dangling_separators(client, login):
    org, user, intervention = world()
    point = gen_point(intervention, title="Fælles forståelse")
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user)
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"

    def save(**changes):
        db.session.refresh(cycle)
        data = {
            "title": cycle.title,
            "owner_id": str(user.id),
            "version": str(cycle.version),
            "objective": cycle.objective,
            "questions": cycle.questions,
            "prediction": cycle.prediction,
            "do_description": cycle.do_description,
            "study_result": cycle.study_result,
            "learning": cycle.learning,
            **changes,
        }
        assert client.post(f"{base}/rediger", data=data).status_code == 302

    def move(to):
        db.session.refresh(cycle)
        response = client.post(f"{base}/flyt", data={"to": to, "version": str(cycle.version)})
        assert response.status_code == 302
        db.session.refresh(cycle)
        assert cycle.phase == to

    save(objective="Øge kontakt", questions="Ringer forælderen selv?", prediction="Ja")
    move("do")
    save(do_description="Ringede efter tredje session")
    move("study")
    save(study_result="Forudsigelsen holdt", learning="Personlig kontakt virker")
    move("act")  # also sets acted_at and phase_changed_at: bookkeeping, not shown

    lines = history_lines(client.get(base).get_data(as_text=True))
    changes = [line.split(" · ", 2)[2] for line in lines]
    assert changes == [
        "ændret: fase Studér → Handl",
        "ændret: Resultat sammenholdt med forudsigelsen; Hvad vi lærte",
        "ændret: fase Afprøv → Studér",
        "ændret: Hvad blev faktisk gjort",
        "ændret: fase Planlæg → Afprøv",
        "ændret: Formål med prøvehandlingen; Spørgsmål, prøvehandlingen skal besvare; Forudsigelse",
        "oprettet",
    ]
    assert all(line.split(" · ")[1] in ("Lise Lund", "System") for line in lines)


def test_description_history_labels_every_changed_field(client, login):
    org, user, intervention = world()
    point = gen_description_point(intervention, title="Fast dagsorden")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/udviklingspunkter/{point.id}/rediger"
    data = {
        "title": "Fast dagsorden på møderne",
        "kind": "organisational",
        "status": "prioritised",
        "owner_id": str(user.id),
        "version": str(point.version),
    }
    response = client.post(url, data={f"dp{point.id}-{k}": v for k, v in data.items()}, headers=HX)
    assert response.status_code == 200
    body = client.get(
        f"/indsatser/{intervention.id}/historik/udviklingspunkt/{point.id}", headers=HX
    ).get_data(as_text=True)
    fields = re.findall(r"<li><strong>([^<]*)</strong>:", body)
    assert fields == ["Titel", "Type", "Status", "Ansvarlig"]
    for raw in ("owner_id", "kind", "status", "title"):
        assert f"<strong>{raw}</strong>" not in body
    # Values as the app shows them: labels for codes, a person's name, not ids or codes.
    changes = dict(re.findall(r"<li><strong>([^<]*)</strong>: (.*?)</li>", body))
    text = {k: " ".join(re.sub(r"<[^>]+>", " ", v).split()) for k, v in changes.items()}
    assert text["Type"] == "Indsatsnært → Organisatorisk"
    assert text["Status"] == "Foreslået → Prioriteret"
    assert text["Ansvarlig"] == "– → Lise Lund"


def test_history_values_read_as_the_app_shows_them(app):
    from improvement.history import NAMED, _readable

    names = {(NAMED["phase_id"][0], 7): "Opstart"}
    assert _readable("Case", "phase_id", 7, names) == "Opstart"
    assert _readable("Case", "phase_id", 8, names) == "(slettet)"
    with app.test_request_context():
        assert _readable("Case", "start_date", "2026-03-05", {}) == "05.03.2026"
        assert _readable("Phase", "archived", True, {}) == "Ja"
        assert _readable("Case", "goal_attainment", "progressing", {}) == "På vej"
        assert _readable("PdsaCycle", "title", "2026-03-05 møde", {}) == "2026-03-05 møde"
        assert _readable("Case", "end_date", None, {}) is None
