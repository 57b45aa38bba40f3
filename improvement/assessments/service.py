"""Queries and rules of the self-assessment: instruments, rounds and their results.

Computation is done by the pure functions in improvement/analysis/assessment.py; this
module only fetches rows (a constant number of queries however many rounds or answers)
and hands them over.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import yaml
from flask import abort
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..access import current_membership
from ..analysis.assessment import (
    ELEMENT_NUMBERS,
    INTERVENTION_ELEMENTS,
    MIN_GROUP_SIZE,
    ElementResult,
    element_results,
    respondent_element_scores,
)
from ..extensions import db
from ..forms import UNTYPED
from ..models import (
    AssessmentAnswer,
    AssessmentInstrument,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentStatement,
    PracticeElement,
)
from ..names import name_key
from ..validators import CPR_MESSAGE, contains_cpr

# Closing a round with fewer respondents who answered asks for confirmation first.
MIN_RESPONDENTS = 3
# How many of the weakest elements a result page highlights.
WEAKEST = 3
# Answers fetched from the database at a time when scoring many rounds.
ANSWER_BATCH = 5000


# --- Instruments ------------------------------------------------------------------------


def instruments_stmt():
    """Instrument versions the current organisation may use: the shared ones and its own."""
    membership = current_membership()
    org_id = membership.organization_id if membership else None
    return select(AssessmentInstrument).where(
        or_(
            AssessmentInstrument.organization_id.is_(None),
            AssessmentInstrument.organization_id == org_id,
        )
    )


def available_instruments() -> list[AssessmentInstrument]:
    stmt = instruments_stmt().order_by(AssessmentInstrument.created_at.desc())
    return list(db.session.scalars(stmt))


def get_instrument_or_404(instrument_id: int) -> AssessmentInstrument:
    stmt = (
        instruments_stmt()
        .where(AssessmentInstrument.id == instrument_id)
        .options(selectinload(AssessmentInstrument.statements))
    )
    instrument = db.session.scalars(stmt).first()
    if instrument is None:
        abort(404)
    return instrument


def _clean(value):
    """A parsed text as a form would take it: the characters no one types (NUL, other
    control characters, bidirectional overrides, which YAML's escapes such as "\\0" or
    "\\u202e" produce after any check of the raw text) taken out, surrounding space too."""
    return UNTYPED.sub("", value).strip() if isinstance(value, str) else value


def _scalar_text(value) -> str | None:
    """A key or label as text; None for what cannot be one (a list, a mapping, nothing)."""
    if value is None or isinstance(value, dict | list):
        return None
    return _clean(str(value))


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that notes a key given twice in one mapping. PyYAML keeps the last one
    silently, so a second "version:" or "items:" would drop what the first said. Noted,
    not raised, so that the rest of the text is still read and checked (cleaning, CPR)."""

    def __init__(self, stream):
        super().__init__(stream)
        # (key, line of the repeat counted from 1)
        self.duplicates: list[tuple[object, int]] = []

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            keys: set = set()
            for key_node, _value_node in node.value:
                # "<<" merges another mapping in; a key given here overrides a merged one.
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=deep)
                # An unhashable key is refused by PyYAML's own construct_mapping below.
                if not isinstance(key, Hashable):
                    continue
                if key in keys:
                    self.duplicates.append((key, key_node.start_mark.line + 1))
                keys.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text) -> tuple[object, list[tuple[object, int]]]:
    """The YAML document in `text` (str or file) as yaml.safe_load reads it, and the keys
    given twice in one mapping (UniqueKeyLoader.duplicates)."""
    loader = UniqueKeyLoader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def parse_instrument(text: str, taken: Iterable[str] = ()) -> tuple[dict | None, list[str]]:
    """Read an instrument version from YAML (the format of seeds/assessment_instrument.yaml).

    Returns (data, []) when it is usable, or (None, messages) saying what is wrong. The
    data's texts are cleaned as a form cleans its fields (`forms.UNTYPED`), and every one
    of them is checked for CPR numbers: YAML's escapes ("\\x2d" for a dash) make text the
    raw source does not show. `taken` are the names of the versions the organisation
    already has (its own and the shared ones): a name equal to one of them (names.name_key:
    case and spaces aside) is refused, as are a key given twice in one mapping, two steps
    of the scale with the same key or label and a statement listed twice, under one element
    or under two.
    """
    try:
        data, duplicates = load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        return None, [_("The text is not valid YAML (line %(line)s).", line=line)]
    except RecursionError:
        # "[[[[...]]]]" nested thousands deep: no instrument is.
        return None, [_("The text is nested too deeply to be an instrument version.")]
    if not isinstance(data, dict):
        return None, [_("The text must have the fields version, scale and statements.")]
    errors: list[str] = []
    texts: list[str] = []  # every text kept or shown in a message, for the CPR check
    for key, line in duplicates:
        shown = _clean(str(key))
        texts.append(shown)
        errors.append(
            _(
                "The field %(key)s is given twice in the same section, the second time in "
                "line %(line)s.",
                key=shown,
                line=line,
            )
        )
    name = _clean(data.get("version"))
    if not isinstance(name, str) or not name:
        errors.append(_("Give the version a name (version: ...)."))
    elif len(name) > 200:
        errors.append(_("The version name can be at most 200 characters."))
    elif name_key(name) in {name_key(other) for other in taken}:
        errors.append(
            _(
                "An instrument version named %(name)s exists already: give this one another name.",
                name=name,
            )
        )
    else:
        texts.append(name)
    description = _scalar_text(data.get("description") or "") or ""
    texts.append(description)
    scale = data.get("scale")
    steps: list[dict] = []
    if not isinstance(scale, list) or len(scale) < 2:
        errors.append(_("The scale needs at least two steps (scale: ...)."))
    else:
        keys: set[str] = set()
        labels: set[str] = set()
        scored = 0
        for step in scale:
            key = _scalar_text(step.get("key")) if isinstance(step, dict) else None
            label = _scalar_text(step.get("label")) if isinstance(step, dict) else None
            if not key or not label:
                errors.append(_("Every step of the scale needs key, label and value."))
                break
            value = step.get("value")
            if name_key(key) in keys or len(key) > 30:
                errors.append(
                    _("The keys of the scale must be different and short: %(key)s.", key=key)
                )
            if name_key(label) in labels:
                errors.append(
                    _("Two steps of the scale have the same label: %(label)s.", label=label)
                )
            keys.add(name_key(key))
            labels.add(name_key(label))
            texts += [key, label]
            if value is not None:
                number = isinstance(value, int | float) and not isinstance(value, bool)
                if not number or not 0 <= value <= 100:
                    errors.append(_("The value of a step must be a number 0-100 or empty."))
                else:
                    scored += 1
            steps.append({"key": key, "label": label, "value": value})
        if scored < 2:
            errors.append(_("At least two steps of the scale must have a value."))
    statements = data.get("statements")
    groups: list[dict] = []
    if not isinstance(statements, list):
        errors.append(_("List the statements per element (statements: ...)."))
    else:
        groups = _statement_groups(statements, errors)
    texts += [item for group in groups for item in group["items"]]
    if contains_cpr(text) or any(contains_cpr(t) for t in texts):
        errors.append(str(CPR_MESSAGE))
    if errors:
        return None, errors
    return {"version": name, "description": description, "scale": steps, "statements": groups}, []


def _statement_groups(statements: list, errors: list[str]) -> list[dict]:
    """The usable groups of statements (element, cleaned items); what is wrong with the
    others, a statement listed twice and the elements left out appended to `errors`."""
    groups: list[dict] = []
    seen: set[int] = set()
    # Each statement's first element, so that a repeat can say where the first one is.
    placed: dict[str, int] = {}
    for group in statements:
        element = group.get("element") if isinstance(group, dict) else None
        items = group.get("items") if isinstance(group, dict) else None
        if element not in ELEMENT_NUMBERS or isinstance(element, bool):
            errors.append(_("Every group of statements needs an element number 1-11."))
            continue
        if element in seen:
            errors.append(_("Element %(number)s is listed twice.", number=element))
        seen.add(element)
        items = [_clean(i) for i in items] if isinstance(items, list) else None
        if not items or not all(isinstance(i, str) and i for i in items):
            errors.append(_("Element %(number)s needs at least one statement.", number=element))
            continue
        errors += _repeated_statements(element, items, placed)
        groups.append({"element": element, "items": items})
    missing = [str(n) for n in ELEMENT_NUMBERS if n not in seen]
    if missing:
        errors.append(
            _("Statements are missing for element %(numbers)s.", numbers=", ".join(missing))
        )
    return groups


def _repeated_statements(element: int, items: list[str], placed: dict[str, int]) -> list[str]:
    """A message for each of `items` listed before, under this element or another one
    (case and spaces aside); `placed` gets the element each new statement is under. One
    statement under two elements would be answered twice, and count in both results."""
    errors = []
    known: set[str] = set()
    for item in items:
        key = name_key(item)
        first = placed.setdefault(key, element)
        if key in known:
            errors.append(
                _(
                    "Element %(number)s has the same statement twice: %(text)s",
                    number=element,
                    text=item,
                )
            )
        elif first != element:
            errors.append(
                _(
                    "The same statement is under element %(first)s and element %(number)s: "
                    "%(text)s",
                    first=first,
                    number=element,
                    text=item,
                )
            )
        known.add(key)
    return errors


def build_instrument(data: dict, organization_id: int | None, created_by_id: int | None = None):
    instrument = AssessmentInstrument(
        organization_id=organization_id,
        name=data["version"].strip(),
        description=str(data.get("description") or ""),
        scale=[
            {
                "key": str(step["key"]),
                "label": str(step["label"]),
                "value": step.get("value"),
            }
            for step in data["scale"]
        ],
        created_by_id=created_by_id,
    )
    for group in data["statements"]:
        for position, text in enumerate(group["items"]):
            instrument.statements.append(
                AssessmentStatement(element=group["element"], position=position, text=text.strip())
            )
    return instrument


def instrument_yaml(instrument: AssessmentInstrument) -> str:
    """An instrument written back in the upload format: a starting point for a new version."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for statement in instrument.statements:
        grouped[statement.element].append(statement.text)
    data = {
        # The starting point of an organisation's own version: named as one, not as a
        # second shared one.
        "version": _("Own version of %(name)s", name=instrument.name),
        "scale": instrument.scale,
        "statements": [{"element": n, "items": grouped[n]} for n in sorted(grouped)],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# --- Elements ---------------------------------------------------------------------------


def practice_elements() -> dict[int, PracticeElement]:
    return {e.number: e for e in db.session.scalars(select(PracticeElement))}


def element_label(element: PracticeElement | None, number: int) -> str:
    return f"{number}. {element.name}" if element else str(number)


# --- Rounds and results -----------------------------------------------------------------


# The one order of an intervention's rounds, on every page, chart and Excel sheet: as
# they were opened. (Rounds run side by side, so the order they closed in would put a
# baseline closed late after the round that followed it.)
ROUND_ORDER = (AssessmentRound.created_at, AssessmentRound.id)


def rounds_of(intervention_id: int) -> list[AssessmentRound]:
    stmt = (
        select(AssessmentRound)
        .where(AssessmentRound.intervention_id == intervention_id)
        .options(selectinload(AssessmentRound.instrument))
        .order_by(*ROUND_ORDER)
    )
    return list(db.session.scalars(stmt))


def previous_closed_round(round_: AssessmentRound) -> AssessmentRound | None:
    """The intervention's closed round just before this one in ROUND_ORDER: the one a
    result is compared with first."""
    created_at, id_ = ROUND_ORDER
    stmt = (
        select(AssessmentRound)
        .where(
            AssessmentRound.intervention_id == round_.intervention_id,
            AssessmentRound.status == "closed",
            or_(
                created_at < round_.created_at,
                and_(created_at == round_.created_at, id_ < round_.id),
            ),
        )
        .order_by(created_at.desc(), id_.desc())
        .limit(1)
    )
    return db.session.scalars(stmt).first()


def element_progress(respondent_id: int, instrument_id: int) -> dict[int, tuple[int, int]]:
    """Per element, how many of its statements the respondent has answered, and how many
    it has: {element: (answered, statements)}, in one query."""
    stmt = (
        select(
            AssessmentStatement.element,
            func.count(AssessmentAnswer.id),
            func.count(AssessmentStatement.id),
        )
        .outerjoin(
            AssessmentAnswer,
            and_(
                AssessmentAnswer.statement_id == AssessmentStatement.id,
                AssessmentAnswer.respondent_id == respondent_id,
            ),
        )
        .where(AssessmentStatement.instrument_id == instrument_id)
        .group_by(AssessmentStatement.element)
    )
    return {element: (answered, total) for element, answered, total in db.session.execute(stmt)}


def progress_of(round_ids: list[int]) -> dict[int, dict[int, int]]:
    """Answers given per respondent, per round: {round_id: {respondent_id: count}}."""
    if not round_ids:
        return {}
    stmt = (
        select(AssessmentRespondent.round_id, AssessmentRespondent.id, func.count())
        .join(AssessmentAnswer, AssessmentAnswer.respondent_id == AssessmentRespondent.id)
        .where(AssessmentRespondent.round_id.in_(round_ids))
        .group_by(AssessmentRespondent.round_id, AssessmentRespondent.id)
    )
    progress: dict[int, dict[int, int]] = defaultdict(dict)
    for round_id, respondent_id, count in db.session.execute(stmt):
        progress[round_id][respondent_id] = count
    return progress


def statement_counts(instrument_ids: set[int]) -> dict[int, int]:
    if not instrument_ids:
        return {}
    stmt = (
        select(AssessmentStatement.instrument_id, func.count())
        .where(AssessmentStatement.instrument_id.in_(instrument_ids))
        .group_by(AssessmentStatement.instrument_id)
    )
    return dict(db.session.execute(stmt).all())


@dataclass(frozen=True)
class RoundResult:
    round: AssessmentRound
    elements: list[ElementResult]
    respondents: int  # respondents with at least one answer

    def by_element(self) -> dict[int, ElementResult]:
        return {r.element: r for r in self.elements}


def results_for(rounds: list[AssessmentRound]) -> dict[int, RoundResult]:
    """Results of several rounds in three queries, each scored with its own instrument."""
    results = dict(iter_results(rounds))
    return {r.id: results[r.id] for r in rounds}


def iter_results(rounds: list[AssessmentRound]) -> Iterator[tuple[int, RoundResult]]:
    """(round id, result) for each round, in three queries; the answers are streamed
    round by round, so only one round's answers are held at a time (an organisation's
    export scores thousands of rounds)."""
    if not rounds:
        return
    by_id = {r.id: r for r in rounds}
    instrument_ids = {r.instrument_id for r in rounds}
    weights = {
        i.id: i.weights
        for i in db.session.scalars(
            select(AssessmentInstrument).where(AssessmentInstrument.id.in_(instrument_ids))
        )
    }
    elements_of = dict(
        db.session.execute(
            select(AssessmentStatement.id, AssessmentStatement.element).where(
                AssessmentStatement.instrument_id.in_(instrument_ids)
            )
        ).all()
    )
    stmt = (
        select(
            AssessmentRespondent.round_id,
            AssessmentRespondent.id,
            AssessmentRespondent.role,
            AssessmentAnswer.statement_id,
            AssessmentAnswer.value,
        )
        .join(AssessmentAnswer, AssessmentAnswer.respondent_id == AssessmentRespondent.id)
        .where(AssessmentRespondent.round_id.in_(list(by_id)))
        .order_by(
            AssessmentRespondent.round_id, AssessmentRespondent.id, AssessmentAnswer.statement_id
        )
    )

    def result(round_: AssessmentRound, answers: list[dict]) -> RoundResult:
        scores = respondent_element_scores(answers, weights[round_.instrument_id])
        return RoundResult(
            round=round_,
            elements=element_results(scores),
            respondents=len({answer["respondent_id"] for answer in answers}),
        )

    answered = db.session.connection().execute(stmt.execution_options(yield_per=ANSWER_BATCH))
    for round_id, rows in groupby(answered, key=itemgetter(0)):
        answers = [
            {
                "respondent_id": respondent_id,
                "role": role,
                "element": elements_of[statement_id],
                "statement_id": statement_id,
                "value": value,
            }
            for _, respondent_id, role, statement_id, value in rows
        ]
        yield round_id, result(by_id.pop(round_id), answers)
    for round_id, round_ in by_id.items():  # rounds nobody answered
        yield round_id, result(round_, [])


def lone_roles(answering: Mapping[str, int]) -> frozenset[str]:
    """The roles fewer than MIN_GROUP_SIZE of a round's respondents answered in (but some),
    from {role: respondents with at least one answer}. Every cell of such a role reads "too
    few to show", also one where none of them scored: the team knows who answered in which
    role, and a "–" there would say that the one person answered only "ved ikke". The
    result page and the workbook follow this one rule."""
    return frozenset(role for role, count in answering.items() if 0 < count < MIN_GROUP_SIZE)


def reasons_shown(result: ElementResult) -> bool:
    """Whether the justifications given for an element ("Hvad får os til at sige det?")
    may be shown beside its result: by the rule its figures follow (MIN_GROUP_SIZE).

    A justification is one person's words. Beside an element only one respondent scored,
    shown as "too few to show", they are that person's: they are shown only when at
    least MIN_GROUP_SIZE scored the element or, where nobody could score it, at least
    MIN_GROUP_SIZE answered it with "ved ikke" only.
    """
    if result.n:
        return result.n >= MIN_GROUP_SIZE
    return result.n_without_score >= MIN_GROUP_SIZE


def chart_labels(elements: dict[int, PracticeElement]) -> list[str]:
    return [element_label(elements.get(n), n) for n in ELEMENT_NUMBERS]


def _no_score(results: Iterable[ElementResult]) -> str | None:
    """Why no score is shown for an element in any of these rounds (the table's words),
    or None when one of them has a score."""
    results = list(results)
    if any(r.mean is not None for r in results):
        return None
    return _("too few to show") if all(r.suppressed for r in results) else _("no score")


def _round_label(result: RoundResult, notes: list[str | None]) -> str:
    """The round's name, and the elements only it has no score for (where no round has
    one, the element's name on the radar says so)."""
    gaps = [
        str(e.element)
        for e, note in zip(result.elements, notes, strict=True)
        if e.mean is None and not note
    ]
    if not gaps:
        return result.round.name
    return _(
        "%(round)s – no score shown for element %(elements)s",
        round=result.round.name,
        elements=", ".join(gaps),
    )


def radar_data(results: list[RoundResult], elements: dict[int, PracticeElement]) -> dict:
    """Chart.js data for a radar of one or more rounds. An element a round has no score
    for (nobody scored it, or too few to show) is a gap in that round's line, and the
    chart says so, as an empty axis could be read as 0: beside the element's name
    ("notes") where no round has a score, in the round's legend entry where another has."""
    notes = [_no_score(per_round) for per_round in zip(*(r.elements for r in results), strict=True)]
    return {
        "type": "radar",
        "labels": chart_labels(elements),
        "notes": notes,
        "tracks": [
            "intervention" if n in INTERVENTION_ELEMENTS else "organisation"
            for n in ELEMENT_NUMBERS
        ],
        "datasets": [
            {"label": _round_label(r, notes), "data": [e.mean for e in r.elements]} for r in results
        ],
    }


def _with_note(label: str, note: str | None) -> str:
    # An element without a score in any round shown has no line: its legend entry says why.
    return f"{label} ({note})" if note else label


# Eleven lines across more rounds than this cannot be told apart on a projector: the line
# chart over time shows the latest rounds only, and the table beside it all of them.
LINE_CHART_ROUNDS = 8


def line_data(results: list[RoundResult], elements: dict[int, PracticeElement]) -> dict:
    """Chart.js data for a line per element across rounds (give it at most
    LINE_CHART_ROUNDS of them). A round without a score for an element (nobody scored it,
    or too few to show) is a gap in its line, not a line drawn past it: a line from the
    round before to the round after would show a change nobody measured."""
    labels = chart_labels(elements)
    return {
        "type": "line",
        "labels": [r.round.name for r in results],
        "datasets": [
            {
                "label": _with_note(labels[i], _no_score(r.elements[i] for r in results)),
                "data": [r.elements[i].mean for r in results],
                "spanGaps": False,
            }
            for i in range(len(ELEMENT_NUMBERS))
        ],
    }
