"""User text in narrow columns breaks a long Danish compound at a syllable, with a hyphen,
not at any letter ("Tværfaglighedskoordineringsmøde|rne") and not by widening its column
past the page. A sweep of every page at 1366 and 1920 pixels found these places; each
shows the text with the hyphenate filter's soft hyphens (improvement/hyphenation.py),
while what is saved, and what fields and labels hold, stays the text as typed."""

from datetime import date

from sqlalchemy import select

from improvement.extensions import db
from improvement.hyphenation import SOFT_HYPHEN, hyphenate
from improvement.models import (
    ActionItem,
    AssessmentJustification,
    ImprovementPlan,
    ProblemCategory,
)
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.description.factories import gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point

# The word that broke in the sweep (34 letters), and one a table's name column breaks too.
COMPOUND = "Tværfaglighedskoordineringsmøderne"


def _between(html: str, start: str, end: str) -> str:
    """The part of the page from `start` to the next `end` after it."""
    assert start in html, start
    return html.split(start, 1)[1].split(end, 1)[0]


def _world():
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader, "leader")
    return org, leader, intervention


def test_the_words_are_long_enough_to_get_soft_hyphens():
    # Every assertion below compares with the hyphenated text: it differs from the typed one.
    assert SOFT_HYPHEN in hyphenate(COMPOUND)
    assert SOFT_HYPHEN in hyphenate(COMPOUND, 21)


def test_an_action_item_breaks_at_syllables_in_the_minutes_and_on_the_board(client, login):
    # At 1366 the "what" column of the minutes is about 300 pixels beside who, when, status
    # and the buttons: "netværksmødeforberedelsesskema|et" broke there; at 1920 the
    # presented board's standup column is as narrow at presentation size.
    org, leader, intervention = _world()
    meeting = gen_meeting(intervention, kind="standup")
    what = f"Udkast til dagsorden for {COMPOUND} og netværksmødeforberedelsesskemaet"
    item = gen_action_item(meeting, what=what, owner=leader, status="open")
    db.session.commit()
    login(leader, org)
    minutes = client.get(f"/indsatser/{intervention.id}/moeder/{meeting.id}").get_data(as_text=True)
    assert f'<td class="col-what">{hyphenate(what, 21)}</td>' in minutes
    # The label of its status and the confirmation name the item as typed.
    assert f'<label class="visually-hidden no-print" for="status-{item.id}">' in minutes
    assert f"{what}</label>" in minutes
    for url in (
        f"/indsatser/{intervention.id}/tavle",
        f"/indsatser/{intervention.id}/tavle?visning=praesentation",
    ):
        board = client.get(url).get_data(as_text=True)
        assert f'<span class="item-what">{hyphenate(what, 21)}</span>' in board, url
    assert db.session.scalars(select(ActionItem.what)).one() == what


def test_a_low_ratings_comment_breaks_at_syllables(client, login):
    # The comment column of "Lave vurderinger" is under 300 pixels at 1366.
    org, leader, intervention = _world()
    phase = gen_phase(intervention, "Opstart")
    element = gen_core_element(intervention, "Tæt kontakt")
    case = gen_case(intervention, "IS-1", practitioner_id=leader.id)
    comment = f"{COMPOUND} blev aflyst; hjemmebesøgsdokumentationen mangler."
    gen_rating(case, phase, element, 2, rater=leader, comment=comment)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/kvalitet").get_data(as_text=True)
    assert f'<td class="col-comment">{hyphenate(comment, 21)}</td>' in page


def test_a_test_of_changes_scale_breaks_at_syllables(client, login):
    # The scale sits in a quarter of the page's width under the title of the test.
    org, leader, intervention = _world()
    point = gen_point(intervention, title="Fælles forståelse")
    scale = "Én behandler med én familie (Myndighedssagsbehandlerteamet)"
    cycle = gen_cycle(point, owner=leader, title="Fælles gennemgang", scale=scale)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}").get_data(
        as_text=True
    )
    assert SOFT_HYPHEN in hyphenate(scale, 21)
    assert f"<dd>{hyphenate(scale, 21)}</dd>" in page


def test_a_development_points_series_and_three_questions_break_at_syllables(client, login):
    # The series of tests is a row of cards 17rem wide: "Tværfaglighedskoordinerin|gsmøderne"
    # in a title, at both widths; the three questions share the width three ways.
    org, leader, intervention = _world()
    point = gen_point(intervention, title="Fælles forståelse")
    title = f"{COMPOUND}: fælles gennemgang af progressionsmålingen"
    scale = "Én familie (Myndighedssagsbehandlerteamet)"
    learning = "Hjemmebesøgsdokumentationen skal forenkles."
    gen_cycle(point, owner=leader, title=title, scale=scale, learning=learning)
    aim = f"Inden kvartalets udgang er {COMPOUND} forbedret."
    measure = "Progressionsmålingsresultaterne hver måned."
    idea = f"Netværksmødeforberedelsesskemaet i {COMPOUND}"
    db.session.add(
        ImprovementPlan(
            organization_id=org.id,
            development_point_id=point.id,
            aim=aim,
            measure=measure,
            change_ideas=f"Kort møde\n{idea}",
        )
    )
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/udvikling/{point.id}").get_data(as_text=True)
    ramps = _between(page, '<div class="ramps">', "</ol>")
    assert f">{hyphenate(title)}</a></h3>" in ramps
    assert f"</span> {hyphenate(scale)}</p>" in ramps
    assert f"</span> {hyphenate(learning)}</p>" in ramps
    questions = _between(page, '<dl id="plan-questions" class="facts three-questions">', "</dl>")
    assert f"<dd>{hyphenate(aim, 21)}</dd>" in questions
    assert f"<dd>{hyphenate(measure, 21)}</dd>" in questions
    assert f"<li>{hyphenate(idea, 21)}</li>" in questions
    assert "<li>Kort møde</li>" in questions


def test_the_development_points_table_keeps_its_last_column_in_view(client, login):
    # At 1366 a point's title with a long compound set its column's width, and the table
    # scrolled "Åbne prøvehandlinger" out of view. Its longest words break at syllables,
    # as a table's name column does (hyphenate(21)).
    org, leader, intervention = _world()
    title = f"Fast struktur for de tværfaglige konferencer i {COMPOUND}"
    gen_point(intervention, title=title)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/udvikling").get_data(as_text=True)
    table = _between(page, '<table class="striped point-table">', "</table>")
    assert f">{hyphenate(title, 21)}</a></td>" in table
    assert "tværfaglige konferencer" in table  # the shorter words are left whole


def test_a_cases_phase_and_problem_categories_break_at_syllables(client, login):
    # The facts of a case are columns of 16rem: a category or a phase of one long word
    # broke anywhere ("Forældrereguleringsproblemstill|ingerne").
    org, leader, intervention = _world()
    phase = gen_phase(intervention, f"Afslutning og {COMPOUND.lower()}")
    case = gen_case(
        intervention,
        "IS-1",
        practitioner_id=leader.id,
        phase_id=phase.id,
        end_date=date(2026, 3, 1),
        goal_attainment="achieved",
    )
    category = ProblemCategory(
        organization_id=org.id, key="long", name="Forældrereguleringsproblemstillingerne"
    )
    db.session.add(category)
    case.problem_categories.append(category)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/forloeb/{case.id}").get_data(as_text=True)
    facts = _between(page, '<dl class="facts">', "</dl>")
    assert f"<dd>{hyphenate(phase.name, 21)}</dd>" in facts
    assert SOFT_HYPHEN in hyphenate(category.name, 21)
    assert hyphenate(category.name, 21) in facts


def test_the_theory_of_change_breaks_long_words_on_the_page_and_in_the_document(client, login):
    # Three columns of cards on the page; three columns in the description's logic model,
    # where a long word pushed the third column past the document's right edge at 1366.
    org, leader, intervention = _world()
    text = f"Forældrene aflæser barnets signaler. {COMPOUND}."
    item = gen_item(intervention, "short_term", text)
    db.session.commit()
    login(leader, org)
    theory = client.get(f"/indsatser/{intervention.id}/forandringsteori").get_data(as_text=True)
    card = _between(theory, f'id="toc-item-{item.id}"', "</li>")
    assert f'<span class="toc-text print-only">{hyphenate(text, 21)}</span>' in card
    assert f"</span>{hyphenate(text, 21)}</button>" in card
    document = client.get(f"/indsatser/{intervention.id}/indsatsbeskrivelse").get_data(as_text=True)
    logic_model = _between(document, '<div class="doc-logic-model">', "</section>")
    assert f"</strong> {hyphenate(text, 21)}" in logic_model
    # The editor holds the text as typed.
    editor = client.get(
        f"/indsatser/{intervention.id}/forandringsteori/punkter/{item.id}/rediger",
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert text in editor and hyphenate(text, 21) not in editor


def test_the_justifications_of_a_round_break_at_syllables(client, login):
    # "Hvad får os til at sige det?" sets them in columns of about 320 pixels at 1366.
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Baseline", status="closed")
    words = f"{COMPOUND} og progressionsmålingsresultaterne mangler systematik."
    for key in ("p1", "p2"):
        respondent = gen_respondent(round_, users[key], "practitioner")
        answer_all(respondent, instrument, dict.fromkeys(range(1, 12), "some"))
        db.session.add(
            AssessmentJustification(
                organization_id=org.id, respondent_id=respondent.id, element=2, text=words
            )
        )
    db.session.commit()
    login(users["leader"], org)
    page = client.get(f"/indsatser/{intervention.id}/selvevaluering/{round_.id}").get_data(
        as_text=True
    )
    group = _between(page, '<div class="justifications">', "</ul>")
    assert f"<li>{hyphenate(words, 21)}</li>" in group
