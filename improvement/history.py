"""The audit trail in words: whose change, when, and which fields by the labels people know.

Every audited model (`__audited__ = True`, see models/audit.py) has its columns listed
here, either with the label its form shows or as deliberately left out of a history:
keys and order that no one edits, and timestamps set as a side effect of another change
(a test's `closed_at` when it moves to Done: the phase change already says so). A test
walks every audited model, so a new column cannot reach a history as a raw field name.

Values read as the app shows them (codes by their labels, people by name, days as dates);
free text is shortened around what changed, so an edit at the end of a long text shows
that end rather than the same opening twice.

The free texts people write can be put back from a history ("Gendan"): RESTORABLE lists
them, and each change to one of them carries what its restore form needs, for a user who
may write (description/history_views.py does the restore).
"""

from datetime import date, datetime
from typing import NamedTuple

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, select, union_all

from .access import can_write, scoped
from .extensions import db
from .formatting import format_day
from .models import (
    ACT_DECISIONS,
    ACTION_STATUSES,
    ALLIANCE_DIMENSIONS,
    CORE_ELEMENT_STATUSES,
    DEVELOPMENT_POINT_KINDS,
    DEVELOPMENT_POINT_STATUSES,
    GOAL_ATTAINMENT,
    MEETING_KINDS,
    PDSA_PHASES,
    PREREQUISITE_STATUSES,
    PROBLEM_GRADES,
    PROFESSIONAL_ROLES,
    REFLECTED_ADJUSTMENT,
    RESPONDENT_ROLES,
    ROUND_STATUSES,
    STATUSES,
    THEORY_KINDS,
    ActionItem,
    Assumption,
    AuditEvent,
    CaseFollowUp,
    ChangeTheoryItem,
    CoreElement,
    DevelopmentPoint,
    ImprovementPlan,
    Meeting,
    OrganisationalPrerequisite,
    PdsaCycle,
    Phase,
    User,
    WorkflowStep,
)
from .pdsa.rules import fixed_now

# Never shown for any model: identity, ownership, order and bookkeeping.
HIDDEN = frozenset(
    {"id", "organization_id", "intervention_id", "position", "created_at", "updated_at", "version"}
)

# Per model: columns set by the code as a consequence of another change, or internal.
HIDDEN_BY_MODEL: dict[str, frozenset[str]] = {
    "PdsaCycle": frozenset({"phase_changed_at", "acted_at", "closed_at"}),
    "ActionItem": frozenset({"closed_at", "closed_in_meeting_id"}),
    "AssessmentRound": frozenset({"closed_at"}),
    "Intervention": frozenset({"previous_status"}),
    "ProblemCategory": frozenset({"key"}),
    "DescriptionVersion": frozenset({"snapshot"}),
}

# Per model: column → label (the label of the form field that edits it, where there is one).
LABELS: dict[str, dict] = {
    "Intervention": {
        "name": _l("Name"),
        "target_group": _l("Target group"),
        "purpose": _l("Purpose"),
        "status": _l("Status"),
        "start_date": _l("Start date"),
        "development_points_limit": _l("Limit for development points in progress"),
    },
    "TeamMember": {
        "user_id": _l("Person"),
        "professional_role": _l("Professional role"),
        "in_quality_team": _l("Sits in the quality team"),
    },
    "CoreElement": {
        "name": _l("Name"),
        "description": _l("Description"),
        "why": _l("Why is the core element important?"),
        "focus": _l("What does the core element focus on?"),
        "practice": _l("What does the core element mean for practice?"),
        "status": _l("Status"),
        "archived": _l("Archived"),
        "activities": _l("Activities in the theory of change it carries"),
    },
    "DevelopmentPoint": {
        "title": _l("Title"),
        "description": _l("Description"),
        "kind": _l("Kind"),
        "status": _l("Status"),
        "owner_id": _l("Owner"),
        "core_elements": _l("Core elements it strengthens"),
        "practice_elements": _l("Elements of promising practice it strengthens"),
    },
    "OrganisationalPrerequisite": {
        "name": _l("Name"),
        "description": _l("What does the prerequisite cover?"),
        "status": _l("Status now"),
        "gap": _l("What is missing?"),
        "archived": _l("Archived"),
    },
    "Phase": {
        "name": _l("Name"),
        "description": _l("Description"),
        "archived": _l("Archived"),
    },
    "WorkflowStep": {
        "phase_id": _l("Phase"),
        "step": _l("Step"),
        "child": _l("The child or young person"),
        "parents": _l("The parents"),
        "professionals": _l("The professionals"),
    },
    "ChangeTheory": {"purpose": _l("Overall aim of the theory of change")},
    "ChangeTheoryItem": {"kind": _l("Kind"), "text": _l("Text")},
    "ChangeTheoryLink": {
        "source_id": _l("From"),
        "target_id": _l("To"),
        "assumption_id": _l("Assumption"),
    },
    "Assumption": {"text": _l("Assumption"), "knowledge": _l("The knowledge it rests on")},
    "AssumptionReference": {
        "assumption_id": _l("Assumption"),
        "author": _l("Author"),
        "year": _l("Year"),
        "title": _l("Title"),
        "url": _l("Link"),
    },
    "DescriptionVersion": {
        "number": _l("Version"),
        "note": _l("Note"),
        "published_at": _l("Published"),
        "published_by_id": _l("Published by"),
    },
    "ImprovementPlan": {
        "development_point_id": _l("Development point"),
        "aim": _l("What are we trying to accomplish?"),
        "measure": _l("How will we know that a change is an improvement?"),
        "change_ideas": _l("What changes can we make that will result in improvement?"),
    },
    "PdsaCycle": {
        "development_point_id": _l("Development point"),
        "previous_id": _l("Previous test"),
        "title": _l("Title"),
        "phase": _l("Phase"),
        "owner_id": _l("Owner"),
        "change_idea": _l("Change idea this test tries"),
        "planned_start": _l("Planned start"),
        "due_date": _l("Due date"),
        "objective": _l("Objective of this test"),
        "questions": _l("Questions this test answers"),
        "prediction": _l("Prediction"),
        "plan_details": _l("Who, what, when, where"),
        "scale": _l("Scale"),
        "data_collection": _l("Data collected, and by whom"),
        "do_description": _l("What was actually done"),
        "observations": _l("Observations"),
        "problems": _l("Problems and surprises"),
        "done_date": _l("Date done"),
        "study_result": _l("Result compared with the prediction"),
        "learning": _l("What we learned"),
        "act_decision": _l("Adopt, adapt or abandon"),
        "next_step": _l("Next step"),
    },
    "ProgressScore": {
        "score_tenths": _l("Progress score"),
        "assessed_on": _l("Date"),
        "note": _l("Note"),
        "set_by_id": _l("Set by"),
    },
    "Meeting": {
        "kind": _l("Kind of meeting"),
        "held_on": _l("Date"),
        "participants": _l("Participants"),
        "agenda": _l("Agenda"),
        "notes": _l("Notes"),
        "decisions": _l("Decisions"),
    },
    "ActionItem": {
        "meeting_id": _l("Meeting"),
        "what": _l("What"),
        "owner_id": _l("Who"),
        "due_date": _l("By when"),
        "status": _l("Status"),
    },
    "AssessmentInstrument": {
        "name": _l("Name"),
        "description": _l("Description"),
        "scale": _l("Rating scale"),
        "created_by_id": _l("Created by"),
    },
    "AssessmentRound": {
        "instrument_id": _l("Instrument version"),
        "name": _l("Name of the round"),
        "status": _l("Status"),
    },
    "AssessmentRespondent": {
        "round_id": _l("Round"),
        "user_id": _l("Person"),
        "role": _l("Role"),
    },
    "ProblemCategory": {
        "name": _l("Name"),
        "description": _l("Description"),
        "archived": _l("Archived"),
    },
    "Case": {
        "code": _l("Case code"),
        "practitioner_id": _l("Responsible practitioner"),
        "caseworker_id": _l("Authority caseworker"),
        "start_date": _l("Start date"),
        "phase_id": _l("Current phase"),
        "end_date": _l("End date"),
        "followup_cadence_months": _l("Follow-up cadence"),
        "goal_attainment": _l("Goal attainment"),
        "problem_grade": _l("Problem grade"),
        "reflected_adjustment": _l("Reflected adjustment"),
        "problem_categories": _l("Problem categories"),
        "alliance": _l("The professional alliance the journal describes"),
    },
    "CaseFollowUp": {"case_id": _l("Case"), "held_on": _l("Follow-up held on")},
}


# Per model: column → the labels of its stored codes, so "proposed" reads "Foreslået".
CODED: dict[str, dict] = {
    "Intervention": {"status": STATUSES},
    "TeamMember": {"professional_role": PROFESSIONAL_ROLES},
    "CoreElement": {"status": CORE_ELEMENT_STATUSES},
    "DevelopmentPoint": {"kind": DEVELOPMENT_POINT_KINDS, "status": DEVELOPMENT_POINT_STATUSES},
    "OrganisationalPrerequisite": {"status": PREREQUISITE_STATUSES},
    "ChangeTheoryItem": {"kind": THEORY_KINDS},
    "PdsaCycle": {"phase": PDSA_PHASES, "act_decision": ACT_DECISIONS},
    "Meeting": {"kind": MEETING_KINDS},
    "ActionItem": {"status": ACTION_STATUSES},
    "AssessmentRound": {"status": ROUND_STATUSES},
    "AssessmentRespondent": {"role": RESPONDENT_ROLES},
    "Case": {
        "goal_attainment": GOAL_ATTAINMENT,
        "problem_grade": PROBLEM_GRADES,
        "reflected_adjustment": REFLECTED_ADJUSTMENT,
        "alliance": ALLIANCE_DIMENSIONS,  # several codes, space-separated
        # As the case form's choices (cases/forms.py CADENCES, which imports this module's
        # users, so not imported here): "Hver 3. måned"; the legal minimum is stored empty.
        "followup_cadence_months": {"1": _l("Every month")}
        | {str(n): _l("Every %(num)d months", num=n) for n in range(2, 6)},
    },
}

# Columns where no value is a choice of its own, shown by its name instead of a dash.
EMPTY_MEANS: dict[str, dict] = {
    "Case": {"followup_cadence_months": _l("Legal minimum")},
}

# Columns that point at a row people know by name: shown by that name, not its id.
NAMED = {
    "owner_id": (User, User.name),
    "practitioner_id": (User, User.name),
    "caseworker_id": (User, User.name),
    "user_id": (User, User.name),
    "set_by_id": (User, User.name),
    "published_by_id": (User, User.name),
    "created_by_id": (User, User.name),
    "phase_id": (Phase, Phase.name),
    "development_point_id": (DevelopmentPoint, DevelopmentPoint.title),
}


# Rows shown in another object's history (a meeting's action items): the history line says
# which one, by this column.
SUBJECTS = {
    "ActionItem": (ActionItem, ActionItem.what, _l("Action item «%(name)s»")),
    # A case's follow-ups are named by the day they were held (a case's history).
    "CaseFollowUp": (CaseFollowUp, CaseFollowUp.held_on, _l("Follow-up held on %(name)s")),
}


class Restorable(NamedTuple):
    """A model's texts that a history can put back, and the id of the part of its page
    that shows it ("{id}": the row's), which the restore draws again."""

    fields: tuple[str, ...]
    region: str


# The texts people write, in every model whose history is shown: the text areas of its edit
# form (tests/test_history_restore.py holds this list to the forms). Names and titles are
# not among them: a line, retyped in a moment, and kept unlike their siblings' by the views
# that edit them. An intervention's target group and purpose, the overall aim of a theory
# of change and a progress score's note have no history on any page, so nothing to put
# back from; a published version's note is never edited.
RESTORABLE: dict[type, Restorable] = {
    CoreElement: Restorable(("description", "why", "focus", "practice"), "core-{id}"),
    OrganisationalPrerequisite: Restorable(("description", "gap"), "prerequisite-{id}"),
    # A card numbered by its place in the list: the list is drawn again.
    DevelopmentPoint: Restorable(("description",), "development-points"),
    Phase: Restorable(("description",), "phase-head-{id}"),
    # A step's and a theory-of-change box's history is shown in their editor.
    WorkflowStep: Restorable(("child", "parents", "professionals"), "step-{id}"),
    ChangeTheoryItem: Restorable(("text",), "toc-item-{id}"),
    Assumption: Restorable(("text", "knowledge"), "assumption-{id}"),
    ImprovementPlan: Restorable(("aim", "measure", "change_ideas"), "plan-questions"),
    PdsaCycle: Restorable(
        (
            "objective",
            "questions",
            "prediction",
            "plan_details",
            "data_collection",
            "do_description",
            "observations",
            "problems",
            "study_result",
            "learning",
            "next_step",
        ),
        "cycle",
    ),
    Meeting: Restorable(("participants", "agenda", "notes", "decisions"), "meeting"),
}
RESTORABLE_MODELS = {model.__name__: model for model in RESTORABLE}


def intervention_of(obj) -> int:
    """The intervention a restorable row belongs to (a Model for Improvement through its
    development point, which the page showing it has loaded already)."""
    if isinstance(obj, ImprovementPlan):
        return obj.development_point.intervention_id
    return obj.intervention_id


# Free text in a history line: at most this many characters of each side.
TEXT_LIMIT = 100
# When a long text changed after this many characters, show it from shortly before the change.
TEXT_CONTEXT = 30


def is_hidden(object_type: str, key: str) -> bool:
    return key in HIDDEN or key in HIDDEN_BY_MODEL.get(object_type, ())


def _names(events: list[AuditEvent]) -> dict:
    """(model, id) → name for every row the events' changes point at: one query per kind
    of row, whatever the number of events."""
    wanted: dict = {}
    for event in events:
        if event.object_type in SUBJECTS:
            model, column, _label = SUBJECTS[event.object_type]
            wanted.setdefault((model, column), set()).add(event.object_id)
        for key, values in (event.changes or {}).items():
            if key in NAMED:
                ids = {v for v in values if isinstance(v, int)}
                wanted.setdefault(NAMED[key], set()).update(ids)
    names = {}
    for (model, column), ids in wanted.items():
        # People are looked up directly (a user is in several organisations); other rows
        # only within the organisation, like everything else.
        stmt = select(model.id, column).where(model.id.in_(ids))
        rows = db.session.execute(stmt if model is User else scoped(model, stmt))
        names.update({(model, row_id): name for row_id, name in rows})
    # A row deleted since (an action item added by mistake) is named as it last read: the
    # newest of its own events that set the naming column.
    for event in events:
        if event.object_type in SUBJECTS:
            model, column, _label = SUBJECTS[event.object_type]
            values = (event.changes or {}).get(column.key)
            if (model, event.object_id) not in names and values and values[1]:
                names[(model, event.object_id)] = values[1]
    return names


def _readable(object_type: str, key: str, value, names: dict):
    """A stored value as the app shows it: a code by its label, a person or phase by its
    name, a day as a date, yes/no in words. None and empty text are None (shown as a dash),
    unless no value is a choice of its own (EMPTY_MEANS)."""
    if value is None or value == "":
        empty = EMPTY_MEANS.get(object_type, {}).get(key)
        return str(empty) if empty is not None else None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key in NAMED:
        return names.get((NAMED[key][0], value), f"({_('deleted')})")
    codes = CODED.get(object_type, {}).get(key)
    if codes is not None:
        # A column of several codes (a case's alliance) keeps them space-separated.
        return ", ".join(str(codes.get(code, code)) for code in str(value).split())
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and len(value) > 18 and value[10:11] == "T":
        try:
            return format_datetime(datetime.fromisoformat(value), "short")
        except ValueError:
            return value
    return value


def _one_line(text: str) -> str:
    """Lines joined by " / ", runs of spaces as one: a history line is one line."""
    return " / ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _cut(text: str, limit: int) -> str:
    """At most about `limit` characters, ending at a word with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" /,;:") + "…"


def shorten_text(old: str | None, new: str | None, limit: int = TEXT_LIMIT) -> tuple:
    """Two versions of a free text as a history shows them: whole when short; when long,
    from shortly before the first difference (after "…"), so the change is what is seen."""
    old = _one_line(old) if old is not None else None
    new = _one_line(new) if new is not None else None
    if all(len(v) <= limit for v in (old, new) if v is not None):
        return old, new
    start = 0
    if old and new:
        same = 0
        for a, b in zip(old, new, strict=False):
            if a != b:
                break
            same += 1
        if same > limit - TEXT_CONTEXT:
            start = max(0, same - TEXT_CONTEXT)
            # Begin at a word: the space before `start` (or the word after it).
            space = old.rfind(" ", 0, start + 1)
            start = space + 1 if space > same - 2 * TEXT_CONTEXT else start

    def part(value):
        if value is None:
            return None
        return ("…" if start else "") + _cut(value[start:], limit)

    return part(old), part(new)


def _is_text(object_type: str, key: str, old, new) -> bool:
    """A free-text column: strings shown as they are (not codes, names or dates)."""
    if key in NAMED or key in CODED.get(object_type, {}):
        return False
    values = [v for v in (old, new) if v is not None]
    return bool(values) and all(isinstance(v, str) for v in values)


def shown_changes(object_type: str, changes: dict | None, names: dict | None = None) -> list[dict]:
    """The changes of one audit event a reader sees, in the model's column order, each
    with its label: `key`, `field` (the label), `old`, `new` (as the app shows them)."""
    labels = LABELS.get(object_type, {})
    names = names or {}
    shown = []
    for key, (old, new) in (changes or {}).items():
        if is_hidden(object_type, key):
            continue
        label = str(labels.get(key, key))  # tests/test_history.py: every column has one
        old_shown = _readable(object_type, key, old, names)
        new_shown = _readable(object_type, key, new, names)
        as_stored = all(v == raw for v, raw in ((old_shown, old), (new_shown, new)) if raw)
        if as_stored and _is_text(object_type, key, old, new):
            old_shown, new_shown = shorten_text(old_shown, new_shown)
        if old_shown == new_shown:
            continue  # nothing a reader could see: empty for empty, or spaces only
        shown.append({"key": key, "field": label, "old": old_shown, "new": new_shown})
    return shown


def history(object_type: str, object_id: int, limit: int | None = None) -> list[dict]:
    """One object's audit trail, newest first (see history_of)."""
    return history_of([(object_type, object_id)], limit=limit)


def history_of(targets: list[tuple], limit: int | None = None) -> list[dict]:
    """The audit trail of some objects together, newest first, in one query whatever its
    length: `targets` are (object type, id) pairs, where the id may be a subquery of ids
    (a meeting's action items). Each entry has `at`, `action`, `user` (who, or "System"),
    `subject` (which row, for rows shown in another's history; else None), `changes` (see
    shown_changes; each with `restore`, see restore_form) and the event's `id`,
    `object_type` and `object_id`. An update that touched only hidden columns is left out."""
    conditions = [
        and_(
            AuditEvent.object_type == object_type,
            AuditEvent.object_id.in_(ids)
            if isinstance(ids, Select)
            else AuditEvent.object_id == ids,
        )
        for object_type, ids in targets
    ]
    # Several targets are looked up one by one on the object index (migration 0017), each
    # within the organisation as the index begins, and their events joined: a subquery
    # under an OR can use no index, and the database read every event of the
    # organisation, newest first, until it had enough.
    if len(conditions) == 1:
        wanted = conditions[0]
    else:
        branches = (scoped(AuditEvent, select(AuditEvent.id)).where(c) for c in conditions)
        wanted = AuditEvent.id.in_(union_all(*branches))
    stmt = (
        scoped(AuditEvent, select(AuditEvent, User.name))
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(wanted)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    events = db.session.execute(stmt).all()
    names = _names([event for event, _name in events])
    current = _restorable_rows([event for event, _name in events])
    offered: set = set()
    rows = []
    for event, name in events:
        changes = shown_changes(event.object_type, event.changes, names)
        if event.action == "update" and not changes:
            continue
        row = current.get((event.object_type, event.object_id))
        for change in changes:
            change["restore"] = _restore_once(event, change["key"], row, offered)
        rows.append(
            {
                "id": event.id,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "at": event.at,
                "action": event.action,
                "user": name or _("System"),
                "subject": _subject(event, names),
                "changes": changes,
            }
        )
    return rows


def _restorable_rows(events: list[AuditEvent]) -> dict:
    """(type, id) → the row as saved now, for the events' rows whose texts the user may put
    back; none for a user who may not write. A history is one row's (a meeting's action
    items have no such texts), which its page has loaded: taken from the session."""
    if not can_write():
        return {}
    rows: dict = {}
    for event in events:
        model = RESTORABLE_MODELS.get(event.object_type)
        key = (event.object_type, event.object_id)
        if model is None or event.action != "update" or key in rows:
            continue
        row = db.session.get(model, event.object_id)
        # The events are the organisation's; a row is its events' organisation's.
        rows[key] = (
            row if row is not None and row.organization_id == event.organization_id else None
        )
    return rows


def restorable_text(event: AuditEvent, key: str) -> str | None:
    """The text a change to a restorable field replaced: what a restore puts back. None
    where there is nothing to put back (not an update of such a text, or it was empty)."""
    model = RESTORABLE_MODELS.get(event.object_type)
    if model is None or event.action != "update" or key not in RESTORABLE[model].fields:
        return None
    values = (event.changes or {}).get(key)
    old = values[0] if isinstance(values, list) and len(values) == 2 else None
    return old if isinstance(old, str) and old.strip() else None


def restore_form(event: AuditEvent, key: str, row) -> dict | None:
    """What the history's restore button for one change sends, or None where it has none:
    no text to put back, the row gone or not the user's to change, the row holding that
    text already, or the field fixed by a test's phase. `version` is the row's as the
    history is drawn: saved since, the restore is refused rather than undoing that save
    unseen."""
    old = restorable_text(event, key)
    if old is None or row is None or getattr(row, key) == old:
        return None
    if isinstance(row, PdsaCycle) and key in fixed_now(row.phase):
        return None  # the prediction once the test has left Plan: a restore is refused
    region = RESTORABLE[type(row)].region.format(id=row.id)
    return {
        "url": url_for(
            "description.item_restore",
            intervention_id=intervention_of(row),
            event_id=event.id,
        ),
        "field": key,
        "version": row.version,
        "region": f"#{region}",
    }


def _restore_once(event: AuditEvent, key: str, row, offered: set) -> dict | None:
    """restore_form, on the newest change that replaced a text only: an older change that
    replaced the same text would put back what that button puts back. `offered` holds the
    (row, field, text) offered so far, newest first."""
    form = restore_form(event, key, row)
    text = (event.object_type, event.object_id, key, restorable_text(event, key))
    if form is None or text in offered:
        return None
    offered.add(text)
    return form


def savers(object_type: str, object_id: int, saves: int) -> list[int | None]:
    """Who made the newest `saves` changes of one object, newest first: a user's id, or None
    for a change no one logged in made (an import, a command). One query."""
    stmt = (
        select(AuditEvent.user_id)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(saves)
    )
    return list(db.session.scalars(stmt))


def fields_saved_since(object_type: str, object_id: int, saves: int) -> set[str] | None:
    """The fields the newest `saves` changes of one object changed, or None when the trail
    holds fewer changes than that (it cannot tell). One query."""
    stmt = (
        select(AuditEvent.changes)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(saves)
    )
    changes = list(db.session.scalars(stmt))
    if len(changes) < saves:
        return None
    return {name for change in changes for name in change or {}}


def _subject(event: AuditEvent, names: dict) -> str | None:
    if event.object_type not in SUBJECTS:
        return None
    model, column, label = SUBJECTS[event.object_type]
    name = names.get((model, event.object_id))
    if isinstance(name, date):
        name = name.isoformat()
    if name:  # a day as a date (a follow-up's: read from its row, or its trail's ISO day)
        name = _readable(event.object_type, column.key, name, names)
    return label % {"name": _cut(_one_line(name), 60) if name else f"({_('deleted')})"}


def meeting_history(meeting_id: int, limit: int | None = None) -> list[dict]:
    """A meeting's trail: its record (notes, decisions, …) and the action items decided at
    it, each line saying which action item. One query, however long."""
    return _trail_with_children("Meeting", meeting_id, ActionItem, "meeting_id", limit)


def case_history(case_id: int, limit: int | None = None) -> list[dict]:
    """A case's trail: its own fields (practitioner, caseworker, phase, dates, cadence,
    outcome coding, problem categories) and the follow-ups registered on it, each line
    saying which follow-up. One query, however long."""
    return _trail_with_children("Case", case_id, CaseFollowUp, "case_id", limit)


def _trail_with_children(
    parent: str, parent_id: int, child, key: str, limit: int | None
) -> list[dict]:
    """A row's trail and its child rows' (the rows whose `key` names it), those deleted
    since included: found by the parent their creation recorded."""
    name = child.__name__
    # From the few deletions (their own index) to those children's creations.
    deleted = scoped(AuditEvent, select(AuditEvent.object_id)).where(
        AuditEvent.object_type == name, AuditEvent.action == "delete"
    )
    created_here = scoped(AuditEvent, select(AuditEvent.object_id)).where(
        AuditEvent.object_type == name,
        AuditEvent.action == "insert",
        AuditEvent.object_id.in_(deleted),
        AuditEvent.changes[(key, 1)].as_integer() == parent_id,
    )
    children = select(child.id).where(getattr(child, key) == parent_id)
    targets = [(parent, parent_id), (name, children), (name, created_here)]
    return history_of(targets, limit=limit)
