"""History in words: every audited column has a label or is deliberately left out, and a
history line names fields as the forms do, separated so that a label's own comma reads
as part of the label."""

import re
from datetime import date
from html.parser import HTMLParser

from babel.messages.pofile import read_po
from flask_babel import force_locale

from improvement.extensions import db
from improvement.history import HIDDEN, HIDDEN_BY_MODEL, LABELS, is_hidden, shorten_text
from tests.description.factories import gen_point as gen_description_point
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point
from tests.querycount import count_queries
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
    # Columns, and the many-to-many links a history records too (models/audit.py).
    columns = {
        name: {a.key for a in m.column_attrs}
        | {r.key for r in m.relationships if r.secondary is not None}
        for name, m in models.items()
    }
    unlabelled = {
        f"{name}.{key}"
        for name, keys in columns.items()
        for key in keys
        if key not in LABELS.get(name, {})
        and key not in HIDDEN
        and key not in HIDDEN_BY_MODEL.get(name, ())
    }
    assert unlabelled == set()
    # ... and nothing is listed for a model or a column that does not exist (a rename).
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


class _Entries(HTMLParser):
    """The entries of a history list (macros/history.html): per entry its first line and
    its changes, each as text with single spaces (a change's restore button left out)."""

    def __init__(self):
        super().__init__()
        self.entries: list[dict] = []
        self.depth = 0
        self.text: list[str] = []
        self.in_form = False

    def handle_starttag(self, tag, _attrs):
        if tag == "form":
            self.in_form = True
        elif tag == "li":
            self.depth += 1
            if self.depth == 1:
                self.entries.append({"head": "", "changes": []})
            self.text = []
        elif tag == "ul" and self.depth == 1:
            self.entries[-1]["head"] = " ".join("".join(self.text).split())
            self.text = []

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "li":
            text = " ".join("".join(self.text).split())
            if self.depth == 2:
                self.entries[-1]["changes"].append(text)
            elif not self.entries[-1]["head"]:
                self.entries[-1]["head"] = text
            self.depth -= 1
            self.text = []

    def handle_data(self, data):
        if not self.in_form:
            self.text.append(data)


def history_entries(page: str, start: str = '<details class="panel history">') -> list[dict]:
    """The entries of the history that follows `start` on a page, newest first."""
    block = page.split(start, 1)[1].split("</details>", 1)[0]
    parser = _Entries()
    parser.feed(block)
    return parser.entries


def history_lines(page: str) -> list[str]:
    """Each entry as one line: "when · who · what", then its changes after " | "."""
    return [" | ".join([e["head"], *e["changes"]]) for e in history_entries(page)]


def test_cycle_history_shows_each_changed_field_from_old_to_new(client, login):
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
        "ændret | Fase: Studér → Handl",
        "ændret | Resultat sammenholdt med forudsigelsen: – → Forudsigelsen holdt"
        " | Hvad vi lærte: – → Personlig kontakt virker",
        "ændret | Fase: Afprøv → Studér",
        "ændret | Hvad blev faktisk gjort: – → Ringede efter tredje session",
        "ændret | Fase: Planlæg → Afprøv",
        "ændret | Formål med prøvehandlingen: – → Øge kontakt"
        " | Spørgsmål, prøvehandlingen skal besvare: – → Ringer forælderen selv?"
        " | Forudsigelse: – → Ja",
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
        # Several codes in one column (a case's alliance) read as their names.
        assert _readable("Case", "alliance", "negative doubt", {}) == (
            "Negative alliancebeskrivelser, Professionel tvivl"
        )


def test_cycle_history_shows_the_decision_title_dates_and_owner_old_to_new(client, login):
    org, user, intervention = world()
    other = gen_user(org, name="Erik Engberg")
    gen_member(intervention, other)
    point = gen_point(intervention, title="Hurtigere opstart")
    cycle = gen_cycle(
        point,
        title="Fast ugedag",
        owner=user,
        phase="act",
        objective="Kortere ventetid",
        prediction="Under 7 dage",
        do_description="Opstart tirsdag",
        study_result="5 og 6 dage",
        learning="Virker",
        act_decision="adopt",
        next_step="Udvid",
    )
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"
    data = {
        "title": "Fast ugentlig opstartstid",
        "owner_id": str(other.id),
        "planned_start": "2026-12-01",
        "version": str(cycle.version),
        "objective": cycle.objective,
        "prediction": cycle.prediction,
        "do_description": cycle.do_description,
        "study_result": cycle.study_result,
        "learning": cycle.learning,
        "act_decision": "abandon",
        "next_step": cycle.next_step,
    }
    assert client.post(f"{base}/rediger", data=data).status_code == 302

    newest = history_entries(client.get(base).get_data(as_text=True))[0]
    assert newest["head"].endswith(" · Lise Lund · ændret")
    assert newest["changes"] == [
        "Titel: Fast ugedag → Fast ugentlig opstartstid",
        "Ansvarlig: Lise Lund → Erik Engberg",
        "Planlagt start: – → 01.12.2026",
        "Indfør, tilpas eller opgiv: Indfør → Opgiv",
    ]


def test_long_free_text_is_shown_around_what_changed(client, login):
    org, user, intervention = world()
    point = gen_point(intervention)
    opening = "Se om en fast ugedag til opstart forkorter ventetiden. " + "Lang tekst. " * 40
    cycle = gen_cycle(point, owner=user, objective=opening + "Slut.", prediction="Ja")
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"
    data = {
        "title": cycle.title,
        "owner_id": str(user.id),
        "version": str(cycle.version),
        "objective": opening + "Slut, med familierne.",
        "prediction": "Ja",
    }
    assert client.post(f"{base}/rediger", data=data).status_code == 302
    change = history_entries(client.get(base).get_data(as_text=True))[0]["changes"]
    assert change == [
        "Formål med prøvehandlingen: "
        "…tekst. Lang tekst. Lang tekst. Slut. → …tekst. Lang tekst. Lang tekst. "
        "Slut, med familierne."
    ]


def test_shorten_text_keeps_short_text_and_cuts_long_text_at_words():
    assert shorten_text("Kort", "Også kort") == ("Kort", "Også kort")
    assert shorten_text("En\nTo", None) == ("En / To", None)
    old, new = shorten_text(None, "ord " * 60)
    assert old is None and new.endswith("ord…") and len(new) <= 101
    # Changed early in a long text: the opening is shown, cut at a word.
    old, new = shorten_text("A " + "ord " * 60, "B " + "ord " * 60)
    assert old.startswith("A ord") and new.startswith("B ord") and new.endswith("…")


def meeting_entries(page: str) -> list[str]:
    return [
        " | ".join([e["head"].split(" · ", 2)[2], *e["changes"]])
        for e in history_entries(page, '<div id="meeting-history">')
    ]


def test_meeting_history_shows_the_minutes_decisions_and_action_items(client, login):
    org, user, intervention = world()
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15), notes="Første udkast")
    other = gen_meeting(intervention, held_on=date(2026, 1, 8))
    gen_action_item(other, what="Fra et andet møde")
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}/moeder/{meeting.id}"
    data = {
        "held_on": "2026-01-15",
        "kind": "quality_team",
        "notes": "Gennemgang af tavlen",
        "decisions": "Fast dagsorden",
        "version": str(meeting.version),
    }
    assert client.post(f"{base}/rediger", data=data).status_code == 302
    assert meeting_entries(client.get(base).get_data(as_text=True)) == [
        "ændret | Referat: Første udkast → Gennemgang af tavlen | Beslutninger: – → Fast dagsorden",
        "oprettet",
    ]
    # An action item added on the page reaches the history in the same answer.
    response = client.post(
        f"{base}/handlinger",
        data={"what": "Ring til skolen", "owner_id": str(user.id), "due_date": "2026-01-31"},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert '<div id="meeting-history" hx-swap-oob="true">' in body
    item = meeting.action_items[-1]
    response = client.post(
        f"{base}/handlinger/{item.id}",
        data={"status": "done", "version": str(item.version)},
        headers=HX,
    )
    assert response.status_code == 200
    oob = response.get_data(as_text=True).split('hx-swap-oob="true">', 1)[1]
    newest = history_entries('<details class="panel history">' + oob)[0]
    assert newest["head"].endswith("Lise Lund · Opgave «Ring til skolen» · ændret")
    assert newest["changes"] == ["Status: Åben → Færdig"]
    # A decision added from the board's standup panel, and the page as a whole.
    client.post(f"{base}/beslutninger", data={"text": "Ny frist"})
    assert meeting_entries(client.get(base).get_data(as_text=True)) == [
        "ændret | Beslutninger: Fast dagsorden → Fast dagsorden / Ny frist",
        "Opgave «Ring til skolen» · ændret | Status: Åben → Færdig",
        "Opgave «Ring til skolen» · oprettet",
        "ændret | Referat: Første udkast → Gennemgang af tavlen | Beslutninger: – → Fast dagsorden",
        "oprettet",
    ]


def test_meeting_page_queries_do_not_grow_with_its_history(client, login):
    org, user, intervention = world()
    meeting = gen_meeting(intervention, notes="Start")
    gen_action_item(meeting, what="Første opgave", owner=user)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}"
    client.get(url)  # warm caches
    with count_queries() as small:
        page = client.get(url)
    assert page.status_code == 200
    for n in range(15):
        meeting.notes = f"Referat {n}"
        meeting.decisions += f"Beslutning {n}\n"
        item = gen_action_item(meeting, what=f"Opgave {n}", owner=user)
        db.session.commit()
        item.status = "done"
        db.session.commit()
    with count_queries() as large:
        page = client.get(url)
    assert "Opgave «Opgave 14»" in page.get_data(as_text=True)
    assert len(large) == len(small), large


def test_model_for_improvement_has_a_history(client, login):
    org, user, intervention = world()
    point = gen_point(intervention, title="Fælles forståelse")
    db.session.commit()
    login(user, org)
    page = f"/indsatser/{intervention.id}/udvikling/{point.id}"
    assert '<details class="history">' not in client.get(page).get_data(as_text=True)
    url = f"{page}/model"
    data = {"aim": "Færre aflyste besøg", "measure": "", "change_ideas": "", "version": "0"}
    assert client.post(url, data=data, headers=HX).status_code == 200
    response = client.post(
        url, data={**data, "aim": "Ingen aflyste besøg", "version": "1"}, headers=HX
    )
    assert response.status_code == 200
    for body in (response.get_data(as_text=True), client.get(page).get_data(as_text=True)):
        entries = history_entries(body, '<details class="history">')
        assert [" | ".join([e["head"].split(" · ", 2)[2], *e["changes"]]) for e in entries] == [
            "ændret | Hvad vil vi opnå?: Færre aflyste besøg → Ingen aflyste besøg",
            "oprettet",
        ]
