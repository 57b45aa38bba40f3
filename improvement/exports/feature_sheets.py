"""Workbook sheets for the features built on the foundation: theory of change, workflows,
PDSA cycles, meetings, self-assessment and quality in core elements with case outcomes and
follow-ups.

Each function takes the export Scope and returns a Sheet; rows come from one query (or a
fixed handful), streamed, never one query per row. Respondents appear only by role, and
the self-assessment's answers only as far as the result page shows them (`shareable`).
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..analysis.assessment import MIN_GROUP_SIZE, ElementResult
from ..assessments.service import (
    ROUND_ORDER,
    iter_results,
    lone_roles,
    reasons_shown,
    statement_counts,
)
from ..extensions import db
from ..models import (
    ACT_DECISIONS,
    ACTION_STATUSES,
    ALLIANCE_DIMENSIONS,
    GOAL_ATTAINMENT,
    MEETING_KINDS,
    PDSA_PHASES,
    PROBLEM_GRADES,
    PROFESSIONAL_ROLES,
    PROGRESS_SCALE,
    REFLECTED_ADJUSTMENT,
    RESPONDENT_ROLES,
    ROUND_STATUSES,
    THEORY_KINDS,
    ActionItem,
    AssessmentAnswer,
    AssessmentInstrument,
    AssessmentJustification,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentStatement,
    Assumption,
    Case,
    CaseFollowUp,
    ChangeTheory,
    ChangeTheoryItem,
    ChangeTheoryLink,
    CoreElement,
    CoreElementRating,
    DevelopmentPoint,
    Intervention,
    Meeting,
    PdsaCycle,
    Phase,
    PracticeElement,
    ProblemCategory,
    ProgressScore,
    TeamMember,
    User,
    WorkflowStep,
)
from ..models.cases import alliance_keys_of, case_problem_category
from .sheets import INTERVENTION, Scope, _labels, _stream, _translated, in_scope
from .workbook import Column, Sheet
from .xlsx import ColorScale, Radar

HIDDEN_ROLE = "(skjult: for få i rollen)"
# Rounds drawn in the radar chart of "Selvevaluering pr. element".
RADAR_ROUNDS = 6


# The level of the theory of change's overall aim, which stands above the three columns.
AIM = "Overordnet formål"


def theory_sheet(scope: Scope) -> Sheet:
    """One row per link of the logic model (items without links get a row of their own),
    after a row with the overall aim, where one is written: the theory of change page has
    it above the diagram, so an evaluator reading the items finds it first. It is a level
    of its own in the level column, so a filter on the column shows every intervention's."""
    aims = (
        select(Intervention.name, ChangeTheory.purpose)
        .join(Intervention, ChangeTheory.intervention_id == Intervention.id)
        .where(*in_scope(ChangeTheory, scope), ChangeTheory.purpose != "")
        .order_by(Intervention.name, Intervention.id)
    )
    source, target = aliased(ChangeTheoryItem), aliased(ChangeTheoryItem)
    links = (
        select(
            Intervention.name,
            source.kind,
            source.text,
            target.kind,
            target.text,
            Assumption.text,
            Assumption.knowledge,
        )
        .select_from(ChangeTheoryLink)
        .join(Intervention, ChangeTheoryLink.intervention_id == Intervention.id)
        .join(source, ChangeTheoryLink.source_id == source.id)
        .join(target, ChangeTheoryLink.target_id == target.id)
        .outerjoin(Assumption, ChangeTheoryLink.assumption_id == Assumption.id)
        .where(*in_scope(ChangeTheoryLink, scope))
        .order_by(Intervention.name, source.kind, source.position, target.position)
    )
    linked = select(ChangeTheoryLink.source_id).union(select(ChangeTheoryLink.target_id))
    lonely = (
        select(Intervention.name, ChangeTheoryItem.kind, ChangeTheoryItem.text)
        .join(Intervention, ChangeTheoryItem.intervention_id == Intervention.id)
        .where(*in_scope(ChangeTheoryItem, scope), ChangeTheoryItem.id.not_in(linked))
        .order_by(Intervention.name, ChangeTheoryItem.kind, ChangeTheoryItem.position)
    )

    kinds = _translated(THEORY_KINDS)

    def rows():
        for name, purpose in _stream(aims):
            yield (name, AIM, purpose, None, None, None, None)
        for name, skind, stext, tkind, ttext, assumption, knowledge in _stream(links):
            yield (
                name,
                kinds(skind),
                stext,
                kinds(tkind),
                ttext,
                assumption,
                knowledge,
            )
        for name, kind, text in _stream(lonely):
            yield (name, kinds(kind), text, None, None, None, None)

    return Sheet(
        "Forandringsteori",
        [
            INTERVENTION,
            Column(
                "Fra (niveau)",
                "text",
                f"Niveauet i forandringsteorien. {AIM}: forandringsteoriens overordnede "
                "formål, på indsatsens første række, uden pil",
                f"{_labels(THEORY_KINDS)}, {AIM}",
            ),
            Column(
                "Fra",
                "long_text",
                f"Aktiviteten eller resultatet, pilen går fra (på rækken {AIM}: formålet)",
            ),
            Column("Til (niveau)", "text", "Niveauet, pilen peger på", _labels(THEORY_KINDS)),
            Column("Til", "long_text", "Resultatet, pilen peger på (tom: uden forbindelse)"),
            Column("Antagelse", "long_text", "Antagelsen bag forbindelsen"),
            Column("Viden", "long_text", "Den viden, antagelsen hviler på"),
        ],
        rows(),
        empty="Ingen forandringsteori registreret.",
    )


def workflows_sheet(scope: Scope) -> Sheet:
    """Every phase in its order, with its steps; a phase without steps has a row of its own
    with the step columns empty (as Forandringsteori gives an item without links a row).

    Archived phases come after the others, marked and without a number, steps kept: ratings
    may name them, and "Kvalitet i kerneelementer" lists those ratings too. The numbers
    are the places the page shows (gaps left by archiving and moving closed), counted
    while streaming, so it is still one query.
    """
    stmt = (
        select(
            Intervention.id,
            Intervention.name,
            Phase.id,
            Phase.name,
            Phase.description,
            Phase.archived,
            WorkflowStep.id,
            WorkflowStep.step,
            WorkflowStep.child,
            WorkflowStep.parents,
            WorkflowStep.professionals,
        )
        .select_from(Phase)
        .join(Intervention, Phase.intervention_id == Intervention.id)
        .outerjoin(WorkflowStep, WorkflowStep.phase_id == Phase.id)
        .where(*in_scope(Phase, scope))
        .order_by(
            Intervention.name,
            Intervention.id,
            Phase.archived,
            Phase.position,
            Phase.id,
            WorkflowStep.position,
            WorkflowStep.id,
        )
    )

    def rows():
        intervention = phase = None
        phase_number = step_number = 0
        for row in _stream(stmt):
            iid, name, pid, phase_name, about, archived, sid, step, child, parents, pros = row
            if iid != intervention:
                intervention, phase_number = iid, 0
            if pid != phase:
                phase, step_number = pid, 0
                if not archived:
                    phase_number += 1
            if sid is not None:
                step_number += 1
            yield (
                name,
                None if archived else phase_number,
                phase_name,
                about or None,
                bool(archived),
                step_number if sid is not None else None,
                step,
                child,
                parents,
                pros,
            )

    return Sheet(
        "Arbejdsgange",
        [
            INTERVENTION,
            Column("Fase nr.", "int", "Fasens plads i forløbet (tom: arkiveret fase)"),
            Column("Fase", "text", "Forløbets fase, fx opstart, forløb, afslutning"),
            Column("Fasebeskrivelse", "long_text", "Hvad fasen er og indeholder"),
            Column(
                "Fase arkiveret",
                "bool",
                "Fasen er ikke længere i brug; bevaret, fordi trin og vurderinger kan henvise "
                "til den. Arkiverede faser står sidst.",
                "Ja, Nej",
            ),
            Column("Trin nr.", "int", "Trinnets plads i fasen (tom: fasen har ingen trin)"),
            Column("Trin", "text", "Hvad der sker (tom: fasen har ingen trin)"),
            Column("Barnet/den unge", "long_text", "Barnets eller den unges rolle og opgaver"),
            Column("Forældre", "long_text", "Forældrenes rolle og opgaver"),
            Column("Fagpersoner", "long_text", "Fagpersonernes rolle og opgaver"),
        ],
        rows(),
        empty="Ingen faser i arbejdsgangene registreret.",
    )


def cycles_sheet(scope: Scope) -> Sheet:
    previous = aliased(PdsaCycle)
    stmt = (
        select(
            Intervention.name,
            DevelopmentPoint.title,
            PdsaCycle.id,
            previous.id,
            PdsaCycle.title,
            PdsaCycle.phase,
            User.name,
            PdsaCycle.planned_start,
            PdsaCycle.due_date,
            PdsaCycle.change_idea,
            PdsaCycle.objective,
            PdsaCycle.questions,
            PdsaCycle.prediction,
            PdsaCycle.plan_details,
            PdsaCycle.scale,
            PdsaCycle.data_collection,
            PdsaCycle.do_description,
            PdsaCycle.observations,
            PdsaCycle.problems,
            PdsaCycle.done_date,
            PdsaCycle.study_result,
            PdsaCycle.learning,
            PdsaCycle.act_decision,
            PdsaCycle.next_step,
            PdsaCycle.closed_at,
        )
        .join(Intervention, PdsaCycle.intervention_id == Intervention.id)
        .join(DevelopmentPoint, PdsaCycle.development_point_id == DevelopmentPoint.id)
        .outerjoin(User, PdsaCycle.owner_id == User.id)
        .outerjoin(previous, PdsaCycle.previous_id == previous.id)
        .where(*in_scope(PdsaCycle, scope))
        .order_by(Intervention.name, DevelopmentPoint.position, PdsaCycle.id)
    )

    phases, decisions = _translated(PDSA_PHASES), _translated(ACT_DECISIONS)

    def rows():
        for row in _stream(stmt):
            values = list(row)
            values[5] = phases(values[5])
            values[22] = decisions(values[22])
            yield values

    text = "long_text"
    return Sheet(
        "Prøvehandlinger",
        [
            INTERVENTION,
            Column("Udviklingspunkt", "text", "Udviklingspunktet, testen hører under"),
            Column("Cyklus-id", "int", "Prøvehandlingens nummer (entydigt)"),
            Column("Bygger på cyklus", "int", "Den cyklus, denne er en tilpasning/udvidelse af"),
            Column("Titel", "text", "Prøvehandlingens titel"),
            Column("Fase", "text", "Hvor i PDSA-cyklussen testen er", _labels(PDSA_PHASES)),
            Column("Ansvarlig", "text", "Den, der driver testen"),
            Column("Planlagt start", "date", "Hvornår testen skal begynde"),
            Column("Frist", "date", "Hvornår testen skal være gennemført"),
            Column(
                "Planlæg: forandringsidé",
                "text",
                "Den forandringsidé, testen afprøver (fra udviklingspunktets forbedringsmodel)",
            ),
            Column("Planlæg: formål", text, "Hvad testen skal afklare"),
            Column("Planlæg: spørgsmål", text, "De spørgsmål, testen besvarer"),
            Column("Planlæg: forudsigelse", text, "Hvad teamet forventer sker"),
            Column("Planlæg: hvem/hvad/hvornår/hvor", text, "Testens praktiske plan"),
            Column("Planlæg: skala", "text", "Fx én fagperson med én familie"),
            Column("Planlæg: dataindsamling", text, "Hvilke data, indsamlet af hvem"),
            Column("Afprøv: hvad blev gjort", text, "Hvad der faktisk skete"),
            Column("Afprøv: observationer", text, "Observationer undervejs"),
            Column("Afprøv: problemer og overraskelser", text, "Det uventede"),
            Column("Afprøv: udført dato", "date", "Hvornår testen blev udført"),
            Column(
                "Studér: resultat mod forudsigelse",
                text,
                "Resultatet sammenholdt med forudsigelsen",
            ),
            Column("Studér: læring", text, "Hvad teamet lærte"),
            Column(
                "Handl: beslutning", "text", "Indfør, tilpas eller opgiv", _labels(ACT_DECISIONS)
            ),
            Column("Handl: næste skridt", text, "Hvad der sker nu"),
            Column("Afsluttet", "datetime", "Hvornår cyklussen blev lukket"),
        ],
        rows(),
        empty="Ingen prøvehandlinger registreret.",
    )


MEETING_ROW, ITEM_ROW = "Møde", "Opfølgningspunkt"


def meetings_sheet(scope: Scope) -> Sheet:
    """The minutes: a row per meeting with its participants, agenda, notes and decisions,
    followed by a row per action item agreed at it, with when and at which meeting it was
    followed up. The meeting's long texts stand once, on its own row; its number, day and
    kind stand on every row, so the items can be filtered and sorted with their meeting.

    One query (meetings joined to their items, as Arbejdsgange joins phases to steps); a
    meeting's row is written when its first joined row arrives.
    """
    owner, closer = aliased(User), aliased(Meeting)
    stmt = (
        select(
            Intervention.name,
            Meeting.id,
            Meeting.held_on,
            Meeting.kind,
            Meeting.participants,
            Meeting.agenda,
            Meeting.notes,
            Meeting.decisions,
            ActionItem.id,
            ActionItem.what,
            owner.name,
            ActionItem.due_date,
            ActionItem.status,
            ActionItem.closed_at,
            closer.id,
            closer.held_on,
        )
        .join(Intervention, Meeting.intervention_id == Intervention.id)
        .outerjoin(ActionItem, ActionItem.meeting_id == Meeting.id)
        .outerjoin(owner, ActionItem.owner_id == owner.id)
        .outerjoin(closer, ActionItem.closed_in_meeting_id == closer.id)
        .where(*in_scope(Meeting, scope))
        .order_by(Intervention.name, Intervention.id, Meeting.held_on, Meeting.id, ActionItem.id)
    )
    kinds, statuses = _translated(MEETING_KINDS), _translated(ACTION_STATUSES)

    def followed_up(status, closed_at, closer_id, closer_day):
        """(day, meeting id) of an item's follow-up, as the meeting page dates it: the day
        of the meeting that closed it, else the day it was set closed (not at a meeting)."""
        if status == "open":
            return None, None
        if closer_id is not None:
            return closer_day, closer_id
        moment = scope.local(closed_at)
        return (moment.date() if moment else None), None

    def rows():
        meeting = None
        for row in _stream(stmt):
            name, mid, held, kind, people, agenda, notes, decisions = row[:8]
            item_id, what, who, due, status, closed_at, closer_id, closer_day = row[8:]
            if mid != meeting:
                meeting = mid
                yield (
                    name,
                    mid,
                    held,
                    kinds(kind),
                    MEETING_ROW,
                    people,
                    agenda,
                    notes,
                    _decision_lines(decisions),
                    *(None,) * 6,
                )
            if item_id is not None:
                day, at = followed_up(status, closed_at, closer_id, closer_day)
                yield (
                    name,
                    mid,
                    held,
                    kinds(kind),
                    ITEM_ROW,
                    *(None,) * 4,
                    what,
                    who,
                    due,
                    statuses(status),
                    day,
                    at,
                )

    meeting_only = f"(kun på rækken {MEETING_ROW})"
    item_only = f"(kun på rækken {ITEM_ROW})"
    closed = f"{statuses('done')} eller {statuses('dropped')}"
    return Sheet(
        "Møder og beslutninger",
        [
            INTERVENTION,
            Column(
                "Møde-id",
                "int",
                "Mødets nummer (entydigt; det samme som i adressen til mødets side). Står på "
                "alle mødets rækker, så to møder samme dag kan skelnes",
            ),
            Column("Dato", "date", "Mødets dato (står på alle mødets rækker)"),
            Column("Mødeforum", "text", "Hvilket møde", _labels(MEETING_KINDS)),
            Column(
                "Række",
                "text",
                f"{MEETING_ROW}: mødets referat (deltagere, dagsorden, noter og beslutninger). "
                f"{ITEM_ROW}: en handling, der blev aftalt på mødet; den står lige under "
                "mødets egen række",
                f"{MEETING_ROW}, {ITEM_ROW}",
                18,
            ),
            Column("Deltagere", "long_text", f"Hvem deltog {meeting_only}"),
            Column("Dagsorden", "long_text", f"Mødets dagsorden {meeting_only}"),
            Column("Noter", "long_text", f"Noter fra mødet {meeting_only}"),
            Column(
                "Beslutninger",
                "long_text",
                f"Hvad mødet besluttede, én beslutning pr. linje {meeting_only}",
            ),
            Column("Opfølgningspunkt", "long_text", f"Den aftalte handling {item_only}"),
            Column("Ansvarlig", "text", "Den, der har handlingen (tom: ingen endnu)"),
            Column("Frist", "date", "Hvornår handlingen skal være gjort (tom: ingen frist)"),
            Column("Status", "text", "Handlingens status nu", _labels(ACTION_STATUSES)),
            Column(
                "Fulgt op",
                "date",
                f"Hvornår handlingen blev fulgt op og lukket som {closed}: datoen for det "
                "møde, hvor det skete, ellers den dag, den blev lukket (tom: stadig åben)",
            ),
            Column(
                "Fulgt op på møde-id",
                "int",
                "Det møde, hvor handlingen blev fulgt op og lukket (se Møde-id; tom: stadig "
                "åben eller lukket uden for et møde)",
                width=20,
            ),
        ],
        rows(),
        empty="Ingen møder registreret.",
    )


def _decision_lines(decisions: str | None) -> str | None:
    """The decisions as the meeting page lists them: one a line, blank lines left out."""
    lines = [line.strip() for line in (decisions or "").splitlines()]
    return "\n".join(line for line in lines if line) or None


def progress_sheet(scope: Scope) -> Sheet:
    """The team's own progress scores (Fremdrift, the IHI scale 0.5–5), every one kept."""
    setter = aliased(User)
    stmt = (
        select(
            Intervention.name,
            ProgressScore.assessed_on,
            ProgressScore.score_tenths,
            ProgressScore.note,
            setter.name,
        )
        .join(Intervention, ProgressScore.intervention_id == Intervention.id)
        .outerjoin(setter, ProgressScore.set_by_id == setter.id)
        .where(*in_scope(ProgressScore, scope))
        .order_by(Intervention.name, ProgressScore.assessed_on, ProgressScore.id)
    )
    steps = {tenths: label for tenths, (label, _meaning) in PROGRESS_SCALE.items()}
    step_label = _translated(steps)
    rows = (
        (name, day, tenths / 10, step_label(tenths), note, who)
        for name, day, tenths, note, who in _stream(stmt)
    )
    return Sheet(
        "Fremdrift",
        [
            INTERVENTION,
            Column("Dato", "date", "Hvornår teamet vurderede sin fremdrift"),
            Column("Score", "number", "Fremdriftsscore på IHI-skalaen", _score_range()),
            Column("Trin", "text", "Skalaens trin for scoren", _labels(steps)),
            Column("Note", "long_text", "Teamets begrundelse"),
            Column("Sat af", "text", "Den, der registrerede scoren"),
        ],
        rows,
        empty="Ingen fremdriftsscorer registreret.",
    )


def _score_range() -> str:
    """The progress scale's lowest to highest score as the column writes them: "0,5–5,0"."""

    def score(tenths: int) -> str:
        return f"{tenths / 10:.1f}".replace(".", ",")

    return f"{score(min(PROGRESS_SCALE))}–{score(max(PROGRESS_SCALE))}"


@dataclass(frozen=True)
class _Instrument:
    name: str
    labels: dict[str, str]  # scale key → label
    weights: dict[str, float | None]  # scale key → points (None: "ved ikke")


@dataclass(frozen=True)
class _RoundFacts:
    """Every round of the scope, open and closed, with what its pages say about who
    answered it: the rounds list, the round page and its result page's respondents."""

    # In the screen's order (opened first first: assessments.service.ROUND_ORDER), one
    # intervention after the other by name.
    rounds: list[AssessmentRound]
    interventions: dict[int, str]  # intervention id → name
    versions: dict[int, str]  # round id → its questionnaire version's name
    statements: dict[int, int]  # instrument id → its number of statements
    invited: dict[int, Counter]  # round id → role → respondents invited
    answering: dict[int, Counter]  # round id → role → respondents with at least one answer
    # round id → "full" / "partial" / "none" → respondents who answered every statement of
    # the version, some of them, or none ("ved ikke" is an answer, as on the round page).
    progress: dict[int, Counter]


def _round_facts(scope: Scope) -> _RoundFacts:
    """The scope's rounds and their respondents' progress, in three queries however many
    rounds: the rounds, one row per respondent with the answers they gave, and the
    statement count of each version (the round page's own `statement_counts`)."""
    if "round_facts" not in scope.memo:
        rounds, interventions, versions = [], {}, {}
        for round_, intervention, version in db.session.execute(
            select(AssessmentRound, Intervention.name, AssessmentInstrument.name)
            .join(Intervention, AssessmentRound.intervention_id == Intervention.id)
            .join(AssessmentInstrument, AssessmentRound.instrument_id == AssessmentInstrument.id)
            .where(*in_scope(AssessmentRound, scope))
            .order_by(Intervention.name, Intervention.id, *ROUND_ORDER)
        ):
            rounds.append(round_)
            interventions[round_.intervention_id] = intervention
            versions[round_.id] = version
        statements = statement_counts({r.instrument_id for r in rounds})
        total = {r.id: statements.get(r.instrument_id, 0) for r in rounds}
        invited, answering = defaultdict(Counter), defaultdict(Counter)
        progress = defaultdict(Counter)
        for round_id, role, answers in db.session.execute(
            select(
                AssessmentRespondent.round_id,
                AssessmentRespondent.role,
                func.count(AssessmentAnswer.id),
            )
            .join(AssessmentRound, AssessmentRespondent.round_id == AssessmentRound.id)
            .outerjoin(AssessmentAnswer, AssessmentAnswer.respondent_id == AssessmentRespondent.id)
            .where(*in_scope(AssessmentRound, scope))
            .group_by(
                AssessmentRespondent.id, AssessmentRespondent.round_id, AssessmentRespondent.role
            )
        ):
            invited[round_id][role] += 1
            if not answers:
                progress[round_id]["none"] += 1
                continue
            answering[round_id][role] += 1
            progress[round_id]["full" if answers >= total[round_id] else "partial"] += 1
        scope.memo["round_facts"] = _RoundFacts(
            rounds, interventions, versions, statements, invited, answering, progress
        )
    return scope.memo["round_facts"]


@dataclass(frozen=True)
class _PageWords:
    """What the result page writes instead of a figure, in the workbook's language."""

    too_few: str  # fewer than MIN_GROUP_SIZE behind it: it would be one person's
    hidden: str  # complementary suppression: shown, it would give a hidden cell away
    no_score: str  # nobody scored the element
    agree: str
    disagree: str


def _page_words() -> _PageWords:
    # The page's own messages, so the workbook says what the page says.
    return _PageWords(
        gettext("too few to show"),
        gettext("hidden"),
        gettext("no score"),
        gettext("Agree"),
        gettext("Disagree"),
    )


def _result_cells(result: ElementResult, lone: frozenset[str], words: _PageWords) -> tuple:
    """One element's row of the result page's table as cells: element number, n, n with
    only "ved ikke", score, min, max, spread, agreement, then mean and n per role.

    The figures and what is suppressed are the analysis's (`element_results`), the words
    the page's: a withheld figure is written as the page writes it, never as the number.
    """
    if result.suppressed:
        score = low = high = spread = words.too_few
    else:
        score = words.no_score if result.mean is None else result.mean
        low, high, spread = result.minimum, result.maximum, result.spread
    # As the page: "Uenige" over the threshold, "Enige" under it, nothing without two.
    agreement = words.disagree if result.disagreement else words.agree if result.n > 1 else None
    roles = []
    for role in RESPONDENT_ROLES:
        cell = result.by_role[role]
        if cell.suppressed_reason == "complementary":
            roles += [words.hidden, cell.n]  # the page shows the head count beside it
        elif cell.suppressed or role in lone:
            roles += [words.too_few, words.too_few]
        else:
            roles += [cell.mean, cell.n]  # nobody in the role scored: empty, n 0
    return (
        result.element,
        result.n,
        result.n_without_score,
        score,
        low,
        high,
        spread,
        agreement,
        *roles,
    )


@dataclass(frozen=True)
class _ClosedRounds:
    # In the screen's order (opened first first: assessments.service.ROUND_ORDER), one
    # intervention after the other by name.
    rounds: list[AssessmentRound]
    means: dict[int, dict[int, float | None]]  # round id → element number → mean score
    respondents: dict[int, int]  # round id → respondents with at least one answer
    # round id → element number → the roles the result page hides for the element.
    screen_hidden: dict[int, dict[int, frozenset[str]]]
    instruments: dict[int, _Instrument]
    # round id → the elements whose justifications the result page shows (reasons_shown).
    reasons: dict[int, frozenset[int]]
    # round id → the result page's table, a row of cells per element (`_result_cells`).
    results: dict[int, tuple[tuple, ...]]

    def scored(self, round_: AssessmentRound) -> bool:
        """Whether any element of the round has a score (a mean of enough respondents)."""
        return any(mean is not None for mean in self.means[round_.id].values())


def _closed_rounds(scope: Scope) -> _ClosedRounds:
    """The scope's closed rounds, their element results and what the result page hides,
    for the self-assessment sheets.

    Scoring reads every answer, so it is done once per export, round by round, keeping
    only the means, the hidden roles and the result table's cells (an organisation's
    thousands of rounds as result objects would take several times the memory).
    """
    if "closed_rounds" not in scope.memo:
        facts = _round_facts(scope)
        rounds = [r for r in facts.rounds if r.status == "closed"]
        words = _page_words()
        means, respondents, hidden, reasons, results = {}, {}, {}, {}, {}
        for round_id, result in iter_results(rounds):
            means[round_id] = {e.element: e.mean for e in result.elements}
            respondents[round_id] = result.respondents
            hidden[round_id] = {
                e.element: frozenset(role for role, r in e.by_role.items() if r.suppressed)
                for e in result.elements
            }
            reasons[round_id] = frozenset(e.element for e in result.elements if reasons_shown(e))
            lone = lone_roles(facts.answering[round_id])
            results[round_id] = tuple(_result_cells(e, lone, words) for e in result.elements)
        instruments = {
            i.id: _Instrument(i.name, i.labels, i.weights)
            for i in db.session.scalars(
                select(AssessmentInstrument).where(
                    AssessmentInstrument.id.in_({r.instrument_id for r in rounds})
                )
            )
        }
        scope.memo["closed_rounds"] = _ClosedRounds(
            rounds, means, respondents, hidden, instruments, reasons, results
        )
    return scope.memo["closed_rounds"]


def _rounds(count: int) -> str:
    return f"{count} lukket runde" if count == 1 else f"{count} lukkede runder"


def _unscored(closed: _ClosedRounds, rounds: list[AssessmentRound]) -> str:
    """Why `rounds` (closed, without a score for any element) have no column."""
    unanswered = sum(1 for r in rounds if not closed.respondents.get(r.id))
    why = []
    if unanswered:
        why.append(f"{unanswered} uden svar")
    if len(rounds) - unanswered:
        why.append(
            f"{len(rounds) - unanswered} hvor færre end {MIN_GROUP_SIZE} respondenter "
            "gav en score (et gennemsnit af én persons svar vises ikke)"
        )
    return f"{_rounds(len(rounds))} uden score: {' og '.join(why)}."


def _practice_element_names() -> dict[int, str]:
    """Number → name of the 11 elements of promising practice."""
    return dict(db.session.execute(select(PracticeElement.number, PracticeElement.name)).all())


def _intervention_names(ids) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(Intervention.id, Intervention.name).where(Intervention.id.in_(ids))
        ).all()
    )


def _role_order(role: str) -> int:
    return list(RESPONDENT_ROLES).index(role) if role in RESPONDENT_ROLES else len(RESPONDENT_ROLES)


def shareable(
    counts: Mapping[Any, Mapping[str, int]], screen_hidden: Collection[str] = ()
) -> tuple[set, set[str]]:
    """Which of one element's answers the long form may show, and under which roles.

    `counts`: statement → role → the answers with a score (not "ved ikke") the role's
    respondents gave the statement; `screen_hidden`: the roles the result page hides for
    the element (too few, or hidden with them). Returns (the statements whose answers are
    shown, the roles shown only as hidden), by the result page's rule, MIN_GROUP_SIZE,
    held statement by statement so that no set of rows is one person's answers:

    * a statement fewer than MIN_GROUP_SIZE scored is left out (its rows would be one
      person's; an element the page shows as "too few to show" then has no rows at all);
    * a role the page hides for the element is hidden in all its statements, and so is a
      role that in any statement shown gave fewer than MIN_GROUP_SIZE scored answers: a
      role is named for the whole element or not at all, so its rows cannot be set against
      the page's figure for the role;
    * while the hidden rows of a statement would be fewer than MIN_GROUP_SIZE, the
      smallest other role answering it there is hidden too (the page's complementary
      suppression), so hidden rows are never one person's either.
    """
    shown = {s for s, by_role in counts.items() if sum(by_role.values()) >= MIN_GROUP_SIZE}
    hidden = set(screen_hidden)
    hidden |= {role for s in shown for role, n in counts[s].items() if 0 < n < MIN_GROUP_SIZE}
    while True:
        short = next(
            (
                s
                for s in sorted(shown, key=str)
                if 0 < sum(n for role, n in counts[s].items() if role in hidden) < MIN_GROUP_SIZE
            ),
            None,
        )
        if short is None:
            return shown, hidden
        others = [(n, _role_order(r), r) for r, n in counts[short].items() if n and r not in hidden]
        hidden.add(min(others)[2])  # some: the statement has MIN_GROUP_SIZE scored answers


def _points(value: float | None) -> str:
    if value is None:
        return "ingen point (tæller som manglende)"
    return f"{value:g} point".replace(".", ",")


def _scale_text(instruments) -> str:
    """Every scale in the sheet with the points of each answer, for Datadefinitioner."""
    return " | ".join(
        f"{i.name}: "
        + ", ".join(f"{label} = {_points(i.weights[key])}" for key, label in i.labels.items())
        for i in instruments
    )


def assessment_sheet(scope: Scope) -> Sheet:
    """Long form: one row per scored answer of a closed round (open rounds are still
    private), with only what the result page shows of its people (see `shareable`).

    "Ved ikke" is not in it: it counts as no answer, and rows of it would show who did not
    know where the rest of a role answered (the page does not say that either). Oversigt
    counts what is left out, and why.
    """
    closed = _closed_rounds(scope)
    by_id = {r.id: r for r in closed.rounds}
    names = _intervention_names({r.intervention_id for r in closed.rounds})
    # Half a million rows: they are read as numbers and named from lookups made once, so
    # the statement texts and names are not sent and decoded on every row.
    statements = dict(
        db.session.execute(
            select(AssessmentStatement.id, AssessmentStatement.text).where(
                AssessmentStatement.instrument_id.in_(list(closed.instruments))
            )
        ).all()
    )
    elements = _practice_element_names()
    label = _translated(RESPONDENT_ROLES)
    stmt = (
        select(
            AssessmentRound.id,
            AssessmentStatement.element,
            AssessmentAnswer.statement_id,
            AssessmentRespondent.role,
            AssessmentAnswer.value,
        )
        .select_from(AssessmentAnswer)
        .join(AssessmentRespondent, AssessmentAnswer.respondent_id == AssessmentRespondent.id)
        .join(AssessmentRound, AssessmentRespondent.round_id == AssessmentRound.id)
        .join(Intervention, AssessmentRound.intervention_id == Intervention.id)
        .join(AssessmentStatement, AssessmentAnswer.statement_id == AssessmentStatement.id)
        .where(*in_scope(AssessmentRound, scope), AssessmentRound.status == "closed")
        # The rounds in the order of the other sheet and the pages; each statement's
        # answers sorted by the answer, not by who gave it, so that no run of rows is one
        # person's answers.
        .order_by(
            Intervention.name,
            Intervention.id,
            *ROUND_ORDER,
            AssessmentStatement.element,
            AssessmentStatement.position,
            AssessmentStatement.id,
            AssessmentAnswer.value,
        )
    )
    left_out: Counter = Counter()

    def rows():
        for (round_id, number), group in groupby(_stream(stmt), key=itemgetter(0, 1)):
            round_ = by_id[round_id]
            instrument = closed.instruments[round_.instrument_id]
            scored, counts = [], defaultdict(Counter)
            for _round, _number, statement_id, role, value in group:
                points = instrument.weights.get(value)
                if points is None:
                    left_out["dont_know"] += 1
                    continue
                scored.append((statement_id, role, value, points))
                counts[statement_id][role] += 1
            shown, hidden = shareable(counts, closed.screen_hidden[round_id][number])
            for statement_id, role, value, points in scored:
                if statement_id not in shown:
                    left_out["few"] += 1
                    continue
                yield (
                    names[round_.intervention_id],
                    round_.name,
                    instrument.name,
                    HIDDEN_ROLE if role in hidden else label(role),
                    number,
                    elements.get(number),
                    statements[statement_id],
                    instrument.labels.get(value, value),
                    points,
                    closed.means[round_id][number],
                )
        sheet.note = _left_out(left_out)
        sheet.empty = _no_answers(closed)

    sheet = Sheet(
        "Selvevaluering",
        [
            INTERVENTION,
            Column("Runde", "text", "Selvevalueringsrunden (kun lukkede runder)"),
            Column(
                "Spørgeskemaversion",
                "text",
                "Den version af spørgeskemaet (udsagn og skala), runden blev besvaret med",
            ),
            Column(
                "Respondentens rolle",
                "text",
                "Rollen, som på resultatsiden: skjult for en rolle, hvor færre end "
                f"{MIN_GROUP_SIZE} i rollen gav elementet eller et af dets udsagn en score, "
                "og da også for den mindste anden rolle, så de skjulte rækker aldrig er én "
                "persons svar. Rækkerne står pr. udsagn, ordnet efter svaret, ikke pr. person",
                _labels(RESPONDENT_ROLES) + ", " + HIDDEN_ROLE,
            ),
            Column(
                "Element nr.", "int", "Elementets nummer blandt de 11 i lovende praksis", "1–11"
            ),
            Column("Element", "text", "Elementets navn"),
            Column(
                "Udsagn",
                "long_text",
                f"Det udsagn, der blev vurderet; kun udsagn, som mindst {MIN_GROUP_SIZE} "
                "respondenter gav en score (se Oversigt for det udeladte)",
            ),
            Column(
                "Svar",
                "text",
                "Svaret på spørgeskemaversionens skala. »Ved ikke« tæller som manglende "
                "svar og er ikke med",
                _scale_text(closed.instruments.values()),
            ),
            Column(
                "Point",
                "number",
                "Svarets point på skalaen; en respondents score for elementet er "
                "gennemsnittet af vedkommendes point",
                "0–100",
            ),
            Column(
                "Elementets score",
                "number",
                "Rundens gennemsnitlige score for elementet, 0–100 "
                f"(tom: ingen svar, eller færre end {MIN_GROUP_SIZE} respondenter gav en score)",
                "0–100",
            ),
        ],
        [],
    )
    sheet.rows = rows()
    return sheet


def _left_out(left_out: Counter) -> str:
    """What Oversigt says the long form leaves out."""
    parts = []
    if left_out["few"]:
        parts.append(
            f"{left_out['few']} svar på udsagn, som færre end {MIN_GROUP_SIZE} respondenter "
            "gav en score (én persons svar vises ikke)"
        )
    if left_out["dont_know"]:
        parts.append(f"{left_out['dont_know']} svar »Ved ikke« (tæller som manglende svar)")
    return f"Udeladt: {' og '.join(parts)}." if parts else ""


def _no_answers(closed: _ClosedRounds) -> str:
    """Why the long form has no rows: it has a row per answer of a closed round."""
    if not closed.rounds:
        return "Ingen lukkede runder (åbne runders svar kommer først med, når runden lukkes)."
    if not any(closed.respondents.values()):
        return f"Ingen svar: {_rounds(len(closed.rounds))}, ingen af dem besvaret."
    return "Ingen svar at vise."


ROUNDS = "Selvevalueringsrunder"


def rounds_sheet(scope: Scope) -> Sheet:
    """A row per round, open or closed, as the rounds list and the round page give it:
    status, opened and closed, questionnaire version, and how many were invited and
    answered fully, partly or not at all. Head counts only: no answer shows in them."""
    facts = _round_facts(scope)
    statuses, roles = _translated(ROUND_STATUSES), _translated(RESPONDENT_ROLES)

    def by_role(invited: Counter) -> str | None:
        # As the closed round's page lists them: the roles with anyone invited, in order.
        counts = [f"{roles(r)}: {invited[r]}" for r in RESPONDENT_ROLES if invited[r]]
        return "; ".join(counts) or None

    rows = (
        (
            facts.interventions[r.intervention_id],
            r.name,
            statuses(r.status),
            r.created_at,
            r.closed_at,
            facts.versions[r.id],
            facts.statements.get(r.instrument_id, 0),
            facts.invited[r.id].total(),
            by_role(facts.invited[r.id]),
            facts.progress[r.id]["full"],
            facts.progress[r.id]["partial"],
            facts.progress[r.id]["none"],
        )
        for r in facts.rounds
    )
    return Sheet(
        ROUNDS,
        [
            INTERVENTION,
            Column("Runde", "text", "Selvevalueringsrundens navn"),
            Column(
                "Status",
                "text",
                "Åben: respondenterne kan stadig svare, og ingen ser resultatet. Lukket: "
                f"svarene er låst, og resultatet vises (arket {RESULTS})",
                _labels(ROUND_STATUSES),
                10,
            ),
            Column("Åbnet", "datetime", "Hvornår runden blev oprettet (dansk tid)"),
            Column("Lukket", "datetime", "Hvornår runden blev lukket (dansk tid; tom: åben)"),
            Column(
                "Spørgeskemaversion",
                "long_text",
                "Den version af spørgeskemaet (udsagn og skala), runden besvares med",
                width=34,
            ),
            Column("Udsagn", "int", "Antal udsagn i spørgeskemaversionen"),
            Column("Inviterede", "int", "Antal respondenter inviteret til runden", width=12),
            Column(
                "Inviterede pr. rolle",
                "long_text",
                "De inviterede fordelt på de roller, deres svar tæller under, som rundens side "
                "viser dem (kun roller med nogen inviteret; tom: ingen inviteret)",
                _labels(RESPONDENT_ROLES),
                30,
            ),
            Column(
                "Besvaret helt",
                "int",
                "Inviterede, der har svaret på alle versionens udsagn (»Ved ikke« er et svar). "
                "Besvaret helt og delvist er tilsammen rundens respondenter, som resultatet "
                "bygger på",
                width=15,
            ),
            Column(
                "Besvaret delvist",
                "int",
                "Inviterede, der har svaret på nogle af versionens udsagn, men ikke alle",
                width=17,
            ),
            Column(
                "Ikke besvaret",
                "int",
                "Inviterede, der ikke har svaret på noget udsagn",
                width=15,
            ),
        ],
        rows,
        empty="Ingen selvevalueringsrunder oprettet.",
    )


RESULTS = "Selvevaluering – resultater"


def results_sheet(scope: Scope) -> Sheet:
    """The result page's table of every closed round, a row per element: n, n with only
    "ved ikke", score, min, max, spread, agreement and the mean and n per role, computed
    and withheld as the page does (`_result_cells`). Answer rows are not per person, so
    min, max and agreement cannot be worked out from them: they are given here.

    Open rounds are left out, as their results are not shown until the round is closed.
    """
    facts = _round_facts(scope)
    closed = _closed_rounds(scope)
    elements = _practice_element_names()
    rows = (
        (facts.interventions[r.intervention_id], r.name, number, elements.get(number), *cells)
        for r in closed.rounds
        for number, *cells in closed.results[r.id]
    )
    open_rounds = len(facts.rounds) - len(closed.rounds)
    note = ""
    if open_rounds and closed.rounds:  # without closed rounds, `empty` says it
        rounds = "1 åben runde" if open_rounds == 1 else f"{open_rounds} åbne runder"
        note = (
            f"Udeladt: {rounds}; en rundes resultat vises først, når runden er lukket "
            f"(se arket {ROUNDS})."
        )
    return Sheet(
        RESULTS,
        [
            Column("Indsats", "text", INTERVENTION.meaning, width=24),
            Column(
                "Runde", "text", f"Selvevalueringsrunden (kun lukkede; se arket {ROUNDS})", width=22
            ),
            Column(
                "Element nr.",
                "int",
                "Elementets nummer blandt de 11 i lovende praksis (1–6: indsatssporet, "
                "7–11: det organisatoriske spor)",
                "1–11",
                12,
            ),
            Column("Element", "text", "Elementets navn", width=26),
            Column(
                "n",
                "int",
                "Antal respondenter, der gav elementet en score (svarede andet end »Ved ikke« "
                "på mindst ét af dets udsagn)",
                width=7,
            ),
            Column(
                "Kun »ved ikke«",
                "int",
                "Antal respondenter, der kun svarede »Ved ikke« på elementets udsagn: de har "
                "ingen score for elementet (manglende, ikke 0). Resultatsiden skriver dem "
                "som »(+n ved ikke)«",
                width=15,
            ),
            *_result_columns(),
        ],
        rows,
        empty=(
            "Ingen lukkede runder; en rundes resultat vises først, når runden er lukket."
            if not closed.rounds
            else ""
        ),
        note=note,
    )


def _result_columns() -> list[Column]:
    """The result columns after n: the element's figures, then each role's mean and n."""
    words = _page_words()
    too_few = (
        f"»{words.too_few}«: færre end {MIN_GROUP_SIZE} respondenter gav elementet en score, "
        "så tallet ville være én persons"
    )
    figure = f"0–100, {words.too_few}"
    columns = [
        Column(
            "Score",
            "number_or_text",
            "Elementets score, 0–100: gennemsnittet af respondenternes scorer (en "
            "respondents score er gennemsnittet af vedkommendes point på elementets udsagn; "
            f"»Ved ikke« tæller som manglende, ikke som 0). {too_few}; »{words.no_score}«: "
            "ingen gav en score",
            f"{figure}, {words.no_score}",
        ),
        Column(
            "Min",
            "number_or_text",
            f"Den laveste respondentscore for elementet. {too_few}; tom: ingen score",
            figure,
        ),
        Column(
            "Maks",
            "number_or_text",
            f"Den højeste respondentscore for elementet. {too_few}; tom: ingen score",
            figure,
        ),
        Column(
            "Spredning",
            "number_or_text",
            f"Maks minus min (beregnet før afrunding), 0–100. {too_few}; tom: ingen score",
            figure,
        ),
        Column(
            "Enighed",
            "text",
            f"{words.disagree}: respondenternes scorer ligger mere end 50 point fra hinanden "
            f"(mere end ét trin på skalaen). {words.agree}: højst 50 point. Tom: færre end to "
            "gav en score",
            f"{words.disagree}, {words.agree}",
            10,
        ),
    ]
    for label in map(str, RESPONDENT_ROLES.values()):
        columns += [
            Column(
                label,
                "number_or_text",
                f"Gennemsnitlig score for rollen {label.lower()}, 0–100, som resultatsiden viser "
                f"den. »{words.too_few}«: færre end {MIN_GROUP_SIZE} i rollen gav elementet en "
                f"score, eller færre end {MIN_GROUP_SIZE} i rollen har svaret i runden (også "
                "hvor ingen af dem gav elementet en score); "
                f"»{words.hidden}«: vist ville tallet sammen med elementets score afsløre en "
                "skjult rolles score; tom: ingen i rollen gav en score",
                f"0–100, {words.too_few}, {words.hidden}",
                max(11, len(label) + 3),
            ),
            Column(
                f"{label}, n",
                "int_or_text",
                f"Antal i rollen {label.lower()}, der gav elementet en score. "
                f"»{words.too_few}« som rollens score; ved »{words.hidden}« står antallet, som "
                "på resultatsiden",
                f"0 og derover, {words.too_few}",
                max(10, len(label) + 6),
            ),
        ]
    return columns


def assessment_elements_sheet(scope: Scope) -> Sheet:
    """Element × round: the mean per element in each closed round, with a radar chart.

    A round without a score for any element (nobody answered, or too few to show a mean)
    would be an empty column and an empty series: it is left out, and Oversigt says how
    many were and why. Without any scored round the sheet has no rows and no chart.
    """
    closed = _closed_rounds(scope)
    means = closed.means
    rounds = [r for r in closed.rounds if closed.scored(r)]
    unscored = [r for r in closed.rounds if not closed.scored(r)]
    names = _intervention_names({r.intervention_id for r in rounds})
    elements = _practice_element_names()
    columns = [
        Column("Element nr.", "int", "Elementets nummer", "1–11"),
        Column("Element", "text", "Elementets navn"),
    ]
    columns += [
        Column(
            f"{names[r.intervention_id]}: {r.name}"[:60],
            "number",
            "Gennemsnitlig score i runden, 0–100 (tom: færre end to respondenter gav "
            "elementet en score); runder uden nogen score er udeladt (se Oversigt). "
            f"Spørgeskemaversion: {closed.instruments[r.instrument_id].name}",
            "0–100",
            22,
        )
        for r in rounds
    ]
    rows = (
        [
            [number, elements.get(number)] + [means[r.id][number] for r in rounds]
            for number in range(1, 12)
        ]
        if rounds
        else []
    )

    # One series per round, right of the last round's column with one column between.
    # More than a handful of overlaid rounds cannot be told apart, so the chart shows the
    # latest ones, in the order the pages have them; the table keeps every scored round.
    charted = sorted(rounds, key=lambda r: (r.created_at, r.id))[-RADAR_ROUNDS:]
    title = "Selvevaluering: de 11 elementer"
    if len(charted) < len(rounds):
        title += f" (de {len(charted)} seneste runder)"
    position = {r.id: column for column, r in enumerate(rounds, start=3)}
    radar = Radar(
        title, columns=tuple(sorted(position[r.id] for r in charted)), anchor=4 + len(rounds)
    )
    if not closed.rounds:
        empty = "Ingen lukkede runder."
    else:
        empty = f"Ingen lukkede runder med en score; {_unscored(closed, unscored)}"
    return Sheet(
        "Selvevaluering pr. element",
        columns,
        rows,
        radar=radar if rounds else None,
        empty=empty,
        note=f"Udeladt: {_unscored(closed, unscored)}" if rounds and unscored else "",
    )


def justifications_sheet(scope: Scope) -> Sheet:
    """The justifications of closed rounds ("Hvad får os til at sige det?"), a row each, as
    far as the result page shows them: beside an element whose result rests on at least
    MIN_GROUP_SIZE people (`reasons_shown`, the page's own rule), without name or role.

    A justification is one person's words. Named by role, the words of a role one person
    answered in would be that person's, so no role is given, as the page gives none. The
    rows of an element run in the order of the texts, not of who wrote or saved them, so
    that the nth row of one element is not the same person as the nth of the next. Open
    rounds are still private; the words left out are counted in Oversigt.
    """
    closed = _closed_rounds(scope)
    by_id = {r.id: r for r in closed.rounds}
    names = _intervention_names({r.intervention_id for r in closed.rounds})
    elements = _practice_element_names()
    stmt = (
        select(AssessmentRound.id, AssessmentJustification.element, AssessmentJustification.text)
        .select_from(AssessmentJustification)
        .join(
            AssessmentRespondent, AssessmentJustification.respondent_id == AssessmentRespondent.id
        )
        .join(AssessmentRound, AssessmentRespondent.round_id == AssessmentRound.id)
        .join(Intervention, AssessmentRound.intervention_id == Intervention.id)
        .where(
            *in_scope(AssessmentRound, scope),
            AssessmentRound.status == "closed",
            AssessmentJustification.text != "",
        )
        .order_by(
            Intervention.name,
            Intervention.id,
            *ROUND_ORDER,
            AssessmentJustification.element,
            AssessmentJustification.text,
            AssessmentJustification.id,
        )
    )

    def rows():
        left_out, rounds_left_out = 0, set()
        for round_id, number, text in _stream(stmt):
            if number not in closed.reasons[round_id]:
                left_out += 1
                rounds_left_out.add(round_id)
                continue
            round_ = by_id[round_id]
            yield names[round_.intervention_id], round_.name, number, elements.get(number), text
        if left_out:
            texts = "1 begrundelse" if left_out == 1 else f"{left_out} begrundelser"
            sheet.note = (
                f"Udeladt: {texts} i {_rounds(len(rounds_left_out))} til elementer, som færre "
                f"end {MIN_GROUP_SIZE} respondenter gav en score (eller, hvor ingen gav en "
                f"score, færre end {MIN_GROUP_SIZE} svarede »Ved ikke«): som på "
                "resultatsiden vises én persons ord ikke."
            )
        if not closed.rounds:
            sheet.empty = (
                "Ingen lukkede runder (åbne runders begrundelser kommer først med, når runden "
                "lukkes)."
            )
        elif left_out:
            sheet.empty = "Ingen begrundelser at vise."
        else:
            sheet.empty = f"Ingen begrundelser skrevet i {_rounds(len(closed.rounds))}."

    sheet = Sheet(
        "Selvevaluering – begrundelser",
        [
            INTERVENTION,
            Column("Runde", "text", "Selvevalueringsrunden (kun lukkede runder)"),
            Column(
                "Element nr.", "int", "Elementets nummer blandt de 11 i lovende praksis", "1–11"
            ),
            Column("Element", "text", "Elementets navn"),
            Column(
                "Begrundelse",
                "long_text",
                "»Hvad får os til at sige det?«: en respondents begrundelse for svarene på "
                "elementet, som resultatsiden viser dem: uden navn og rolle, og kun hvor "
                f"mindst {MIN_GROUP_SIZE} respondenter gav elementet en score (eller, hvor "
                f"ingen gav en score, mindst {MIN_GROUP_SIZE} svarede »Ved ikke«). Et "
                "elements begrundelser står i tekstens rækkefølge, ikke pr. person",
            ),
        ],
        [],
    )
    sheet.rows = rows()
    return sheet


def ratings_sheet(scope: Scope) -> Sheet:
    """Long form of every rating, revisions included, and which of them counts.

    Only the latest rating of a (case, phase, core element) cell counts in the app's
    figures; "Gældende" says which, from the flag the heat map itself reads
    (``CoreElementRating.is_latest``: latest ``rated_at``, on a tie the later row), so the
    sheet and the page cannot disagree. A cell's rows come in that same order, the one that
    counts last, with the time of day, so sorting keeps the corrections readable.

    A million rows at national size: they are read as numbers and named from lookups
    made once, so names and codes are not sent and decoded on every row.
    """
    cases = {
        case_id: (name, intervention_id, code)
        for case_id, name, intervention_id, code in db.session.execute(
            select(Case.id, Intervention.name, Case.intervention_id, Case.code)
            .join(Intervention, Case.intervention_id == Intervention.id)
            .where(*in_scope(Case, scope))
        )
    }
    phases = dict(
        db.session.execute(
            select(Phase.id, Phase.name).where(Phase.intervention_id.in_(scope.intervention_ids))
        ).all()
    )
    elements = dict(
        db.session.execute(
            select(CoreElement.id, CoreElement.name).where(*in_scope(CoreElement, scope))
        ).all()
    )
    # Cases numbered in (intervention name, case code) order first: sorting a million
    # ratings by that number is much cheaper than by the two texts.
    places = (
        select(
            Case.id,
            func.dense_rank().over(order_by=(Intervention.name, Case.code)).label("place"),
        )
        .join(Intervention, Case.intervention_id == Intervention.id)
        .where(*in_scope(Case, scope))
        .subquery()
    )
    stmt = (
        select(
            CoreElementRating.case_id,
            CoreElementRating.phase_id,
            CoreElementRating.core_element_id,
            CoreElementRating.score,
            CoreElementRating.is_latest,
            CoreElementRating.rated_at,
            CoreElementRating.rater_id,
            CoreElementRating.comment,
        )
        # The cases in scope (organisation and interventions) are the access control: a
        # rating is its case's. A filter on the ratings' own organisation column would
        # be redundant and, without statistics, leads SQLite to read the organisation's
        # every rating once per case (minutes at national size) instead of by case.
        .join(places, CoreElementRating.case_id == places.c.id)
        .join(Phase, CoreElementRating.phase_id == Phase.id)
        .join(CoreElement, CoreElementRating.core_element_id == CoreElement.id)
        .order_by(
            places.c.place,
            Phase.position,
            CoreElement.position,
            CoreElementRating.rated_at,
            CoreElementRating.id,
        )
    )
    roles = _team_roles(scope)

    def rows():
        for case_id, phase_id, element_id, score, latest, at, rater, comment in _stream(stmt):
            name, intervention_id, code = cases[case_id]
            yield (
                name,
                code,
                phases[phase_id],
                elements[element_id],
                score,
                latest,
                # The writer puts stored (UTC) moments on the export's clock.
                at,
                roles.get((intervention_id, rater)),
                comment,
            )

    return Sheet(
        "Kvalitet i kerneelementer",
        [
            INTERVENTION,
            Column("Forløbskode", "text", "Forløbets pseudonyme kode"),
            Column("Fase", "text", "Forløbets fase"),
            Column("Kerneelement", "text", "Det kerneelement, der er vurderet"),
            Column("Score", "int", "I hvilken grad der er arbejdet med kerneelementet", "1–5"),
            Column(
                "Gældende",
                "bool",
                "Ja: forløbets seneste vurdering af kerneelementet i fasen. Kun den tæller i "
                "appens tal (varmekort, fordeling, udvikling og lave vurderinger). Nej: en "
                "tidligere vurdering af samme forløb, fase og kerneelement, som senere er "
                "rettet (historik). Ved samme tidspunkt gælder den sidst gemte.",
                "Ja, Nej",
            ),
            Column(
                "Tidspunkt",
                "datetime",
                "Hvornår vurderingen blev givet (dansk tid); en celles vurderinger står i "
                "den rækkefølge, den gældende sidst",
            ),
            Column("Vurderet af (rolle)", "text", "Vurderingsgiverens faglige rolle i indsatsen"),
            Column("Kommentar", "long_text", "Hvorfor der blev afveget, hvis relevant"),
        ],
        rows(),
        # Red (1) through yellow (3) to green (5) on the scores.
        color_scale=ColorScale(5, ((1, "F8696B"), (3, "FFEB84"), (5, "63BE7B"))),
        empty="Ingen vurderinger af kerneelementer registreret.",
    )


def _team_roles(scope: Scope) -> dict:
    """(intervention id, user id) → professional role, so raters appear only by role."""
    return {
        (intervention_id, user_id): str(PROFESSIONAL_ROLES.get(role, role))
        for intervention_id, user_id, role in db.session.execute(
            select(
                TeamMember.intervention_id, TeamMember.user_id, TeamMember.professional_role
            ).where(*in_scope(TeamMember, scope))
        )
    }


# The follow-ups (Serviceloven § 70) held in a case are days only, and a case has many: the
# timeliness the case pages count (first within 3 months, then every 6 or the team's
# cadence) needs every day, which count and latest day alone cannot give. So every day
# has a row in a sheet of its own, "Opfølgninger (§ 70)", and Forløb has each case's
# cadence, count and latest day beside its other facts, for reading case by case.
FOLLOWUPS = "Opfølgninger (§ 70)"
LEGAL_CADENCE = "lovens minimum: første gang senest efter 3 måneder, så mindst hver 6. måned"


def cases_sheet(scope: Scope) -> Sheet:
    categories = defaultdict(list)
    for case_id, name in _case_categories(scope):
        categories[case_id].append(name)
    # Count and latest day per case, joined in, so the cases are still one query; of the
    # organisation's follow-ups only, or the grouping would count every organisation's.
    held = (
        select(
            CaseFollowUp.case_id,
            func.count().label("count"),
            func.max(CaseFollowUp.held_on).label("latest"),
        )
        .where(CaseFollowUp.organization_id == scope.organization.id)
        .group_by(CaseFollowUp.case_id)
        .subquery()
    )
    practitioner, caseworker = aliased(User), aliased(User)
    stmt = (
        select(
            Intervention.name,
            Case.id,
            Case.code,
            practitioner.name,
            caseworker.name,
            Case.start_date,
            Phase.name,
            Case.end_date,
            Case.goal_attainment,
            Case.problem_grade,
            Case.reflected_adjustment,
            Case.alliance,
            Case.followup_cadence_months,
            held.c.count,
            held.c.latest,
        )
        .join(Intervention, Case.intervention_id == Intervention.id)
        .outerjoin(practitioner, Case.practitioner_id == practitioner.id)
        .outerjoin(caseworker, Case.caseworker_id == caseworker.id)
        .outerjoin(Phase, Case.phase_id == Phase.id)
        .outerjoin(held, held.c.case_id == Case.id)
        .where(*in_scope(Case, scope))
        .order_by(Intervention.name, Case.code)
    )
    goals, grades = _translated(GOAL_ATTAINMENT), _translated(PROBLEM_GRADES)
    adjustments = _translated(REFLECTED_ADJUSTMENT)
    alliance_labels = {key: str(label) for key, label in ALLIANCE_DIMENSIONS.items()}

    def alliance(stored: str | None) -> str:
        return "; ".join(alliance_labels[key] for key in alliance_keys_of(stored))

    def rows():
        for row in _stream(stmt):
            name, case_id, code, responsible, caseworker_name, start, phase, end = row[:8]
            goal, grade, adjusted, dimensions, cadence, count, latest = row[8:]
            yield (
                name,
                code,
                responsible,
                caseworker_name,
                start,
                phase,
                end,
                goals(goal),
                grades(grade),
                "; ".join(categories[case_id]),
                adjustments(adjusted),
                alliance(dimensions),
                cadence,
                count or 0,
                latest,
            )

    # The codes and the outcome codes are short: narrower columns keep the sheet on two
    # pages' width in print with the people and the follow-up columns.
    return Sheet(
        "Forløb",
        [
            INTERVENTION,
            Column(
                "Forløbskode",
                "text",
                "Pseudonym kode valgt af teamet (aldrig CPR eller navn)",
                width=16,
            ),
            Column(
                "Ansvarlig medarbejder",
                "text",
                "Den medarbejder i teamet, der er ansvarlig for forløbet (tom: ikke valgt)",
                width=22,
            ),
            Column(
                "Myndighedssagsbehandler",
                "text",
                "Myndighedens sagsbehandler på forløbet, som har opfølgningen efter serviceloven "
                "§ 70 (tom: ikke valgt)",
                width=24,
            ),
            Column("Startdato", "date", "Forløbets start"),
            Column("Aktuel fase", "text", "Den fase, forløbet er i"),
            Column("Slutdato", "date", "Forløbets afslutning (tom: i gang)"),
            Column(
                "Målopnåelse",
                "text",
                "Vurderet ved afslutning",
                _labels(GOAL_ATTAINMENT),
                16,
            ),
            Column("Problemgrad", "text", "Familiens problemgrad", _labels(PROBLEM_GRADES), 14),
            Column("Problemkategorier", "text", "Kategorier (adskilt af ;)"),
            Column(
                "Reflekteret indsatsjustering",
                "text",
                "Førte faglig tvivl til en tilpasning af indsatsen?",
                _labels(REFLECTED_ADJUSTMENT),
                27,
            ),
            Column(
                "Professionel alliance",
                "text",
                "Hvad journalen beskriver af alliancen (adskilt af ;), som i effektanalysens "
                "tabel 4",
                _labels(ALLIANCE_DIMENSIONS),
            ),
            Column(
                "Opfølgningskadence",
                "int",
                "Hvor mange måneder der højst må gå mellem opfølgningerne (serviceloven § 70), "
                f"som teamet har aftalt for forløbet (tom: {LEGAL_CADENCE})",
                "1–5",
                19,
            ),
            Column(
                "Opfølgninger",
                "int",
                f"Antal holdte opfølgninger (serviceloven § 70); hver med sin dato i arket "
                f"{FOLLOWUPS}",
                width=13,
            ),
            Column(
                "Seneste opfølgning",
                "date",
                "Dagen for den seneste holdte opfølgning (tom: ingen endnu)",
                width=18,
            ),
        ],
        rows(),
        empty="Ingen forløb registreret.",
    )


def followups_sheet(scope: Scope) -> Sheet:
    """Every follow-up held in a case (Serviceloven § 70), a row each, in the case's order
    of days, numbered while streaming (one query). See FOLLOWUPS for why a sheet."""
    stmt = (
        select(Intervention.name, Case.id, Case.code, CaseFollowUp.held_on)
        .select_from(CaseFollowUp)
        .join(Case, CaseFollowUp.case_id == Case.id)
        .join(Intervention, Case.intervention_id == Intervention.id)
        .where(*in_scope(Case, scope))
        .order_by(Intervention.name, Case.code, CaseFollowUp.held_on, CaseFollowUp.id)
    )

    def rows():
        case, number = None, 0
        for name, case_id, code, held_on in _stream(stmt):
            case, number = case_id, (number + 1 if case_id == case else 1)
            yield name, code, number, held_on

    return Sheet(
        FOLLOWUPS,
        [
            INTERVENTION,
            Column(
                "Forløbskode", "text", "Forløbets pseudonyme kode (som i arket Forløb)", width=16
            ),
            Column(
                "Opfølgning nr.",
                "int",
                "Opfølgningens nummer i forløbet, i datoernes rækkefølge (1 = den første)",
                width=15,
            ),
            Column(
                "Dato",
                "date",
                "Dagen, opfølgningen blev holdt. Serviceloven § 70: første gang senest 3 "
                "måneder efter forløbets start, så mindst hver 6. måned, eller med teamets "
                "kadence (se Opfølgningskadence i arket Forløb)",
            ),
        ],
        rows(),
        empty="Ingen opfølgninger registreret i forløbene.",
    )


def _case_categories(scope: Scope):
    return db.session.execute(
        select(case_problem_category.c.case_id, ProblemCategory.name)
        .join(ProblemCategory, ProblemCategory.id == case_problem_category.c.problem_category_id)
        .join(Case, Case.id == case_problem_category.c.case_id)
        .where(*in_scope(Case, scope))
        .order_by(ProblemCategory.position)
    )
