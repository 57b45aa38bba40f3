"""What the description pages show, each as one function returning plain rows.

Every function issues a fixed number of queries however much data there is, and the
snapshot built from them is what the description page renders, what a published version
stores, and what versions are compared by – so the Excel export can reuse the same rows.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import scoped
from ..analysis import description_diff
from ..extensions import db
from ..models import (
    CORE_ELEMENT_STATUSES,
    DEVELOPMENT_POINT_KINDS,
    DEVELOPMENT_POINT_STATUSES,
    PREREQUISITE_STATUSES,
    Assumption,
    ChangeTheory,
    ChangeTheoryItem,
    ChangeTheoryLink,
    CoreElement,
    DescriptionVersion,
    DevelopmentPoint,
    Intervention,
    OrganisationalPrerequisite,
    Phase,
    PracticeElement,
    WorkflowStep,
)
from ..models.theory import ASSUMPTION_PREFIX, THEORY_PREFIX, theory_label

DEFAULT_WIP_LIMIT = 3


def wip_limit(intervention: Intervention) -> int:
    """How many development points may be in progress at once before the team is warned:
    the intervention's own setting, else the app's default."""
    if intervention.development_points_limit:
        return intervention.development_points_limit
    return int(current_app.config.get("DEVELOPMENT_POINTS_IN_PROGRESS_LIMIT", DEFAULT_WIP_LIMIT))


# ---------------------------------------------------------------- core elements


def core_elements(intervention: Intervention, archived: bool = False) -> list[CoreElement]:
    stmt = (
        scoped(CoreElement)
        .where(CoreElement.intervention_id == intervention.id, CoreElement.archived.is_(archived))
        .options(selectinload(CoreElement.activities))
        .order_by(CoreElement.position, CoreElement.id)
    )
    return list(db.session.scalars(stmt))


def names_in_use(model, intervention: Intervention, exclude_id: int | None = None) -> list:
    """(name, archived) of the intervention's core elements or phases, archived ones too:
    a name must stay unique among them all, or the Excel import could not tell them apart."""
    stmt = scoped(model, select(model.name, model.archived)).where(
        model.intervention_id == intervention.id
    )
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return [(name, archived) for name, archived in db.session.execute(stmt)]


def next_position(model, intervention: Intervention, **filters) -> int:
    stmt = scoped(model, select(func.coalesce(func.max(model.position), -1) + 1)).where(
        model.intervention_id == intervention.id
    )
    for key, value in filters.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt)


# ---------------------------------------------------------------- organisational prerequisites


def prerequisites(
    intervention: Intervention, archived: bool = False
) -> list[OrganisationalPrerequisite]:
    stmt = (
        scoped(OrganisationalPrerequisite)
        .where(
            OrganisationalPrerequisite.intervention_id == intervention.id,
            OrganisationalPrerequisite.archived.is_(archived),
        )
        .order_by(OrganisationalPrerequisite.position, OrganisationalPrerequisite.id)
    )
    return list(db.session.scalars(stmt))


# ---------------------------------------------------------------- development points


def development_points(intervention: Intervention) -> list[DevelopmentPoint]:
    stmt = (
        scoped(DevelopmentPoint)
        .where(DevelopmentPoint.intervention_id == intervention.id)
        .options(
            selectinload(DevelopmentPoint.core_elements),
            selectinload(DevelopmentPoint.practice_elements),
            selectinload(DevelopmentPoint.owner),
        )
        .order_by(DevelopmentPoint.position, DevelopmentPoint.id)
    )
    return list(db.session.scalars(stmt))


def practice_elements() -> list[PracticeElement]:
    return list(db.session.scalars(select(PracticeElement).order_by(PracticeElement.number)))


# ---------------------------------------------------------------- workflows


@dataclass
class PhaseRow:
    phase: Phase
    steps: list[WorkflowStep] = field(default_factory=list)


def phases(intervention: Intervention, archived: bool = False) -> list[Phase]:
    stmt = (
        scoped(Phase)
        .where(Phase.intervention_id == intervention.id, Phase.archived.is_(archived))
        .order_by(Phase.position, Phase.id)
    )
    return list(db.session.scalars(stmt))


def workflows(intervention: Intervention) -> list[PhaseRow]:
    rows = {p.id: PhaseRow(p) for p in phases(intervention)}
    steps = db.session.scalars(
        scoped(WorkflowStep)
        .where(WorkflowStep.intervention_id == intervention.id)
        .order_by(WorkflowStep.position, WorkflowStep.id)
    )
    for step in steps:
        if step.phase_id in rows:
            rows[step.phase_id].steps.append(step)
    return list(rows.values())


# ---------------------------------------------------------------- theory of change


@dataclass
class Theory:
    record: ChangeTheory | None
    items: dict[str, list[ChangeTheoryItem]]
    links: list[ChangeTheoryLink]
    assumptions: list[Assumption]
    # Item id → its label as kept ("K1", `codes`) and as shown to the reader ("S1" in
    # English, `labels`); the same for the assumptions ("F1").
    codes: dict[int, str]
    assumption_codes: dict[int, str]
    labels: dict[int, str] = field(init=False)
    assumption_labels: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.labels = {key: theory_label(code) for key, code in self.codes.items()}
        self.assumption_labels = {
            key: theory_label(code) for key, code in self.assumption_codes.items()
        }

    def outgoing(self, item_id: int) -> list[ChangeTheoryLink]:
        return [link for link in self.links if link.source_id == item_id]

    def links_of(self, assumption_id: int) -> list[ChangeTheoryLink]:
        return [link for link in self.links if link.assumption_id == assumption_id]

    def link_label(self, link: ChangeTheoryLink) -> str:
        return f"{self.labels.get(link.source_id, '?')} → {self.labels.get(link.target_id, '?')}"

    def link_code(self, link: ChangeTheoryLink) -> str:
        return f"{self.codes.get(link.source_id, '?')} → {self.codes.get(link.target_id, '?')}"

    @property
    def pairs(self) -> list[list[int]]:
        return [[link.source_id, link.target_id] for link in self.links]

    @property
    def activities(self) -> list[ChangeTheoryItem]:
        return self.items["activity"]

    @property
    def is_empty(self) -> bool:
        return not any(self.items.values()) and not self.assumptions


def theory(intervention: Intervention) -> Theory:
    record = db.session.scalars(
        scoped(ChangeTheory).where(ChangeTheory.intervention_id == intervention.id)
    ).first()
    items: dict[str, list[ChangeTheoryItem]] = {k: [] for k in THEORY_PREFIX}
    for item in db.session.scalars(
        scoped(ChangeTheoryItem)
        .where(ChangeTheoryItem.intervention_id == intervention.id)
        .order_by(ChangeTheoryItem.position, ChangeTheoryItem.id)
    ):
        items.setdefault(item.kind, []).append(item)
    codes = {}
    for kind, prefix in THEORY_PREFIX.items():
        for number, item in enumerate(items[kind], start=1):
            codes[item.id] = f"{prefix}{number}"
    links = list(
        db.session.scalars(
            scoped(ChangeTheoryLink)
            .where(ChangeTheoryLink.intervention_id == intervention.id)
            .order_by(ChangeTheoryLink.id)
        )
    )
    links.sort(key=lambda link: (_order(codes, link.source_id), _order(codes, link.target_id)))
    assumptions = list(
        db.session.scalars(
            scoped(Assumption)
            .where(Assumption.intervention_id == intervention.id)
            .options(selectinload(Assumption.references))
            .order_by(Assumption.position, Assumption.id)
        )
    )
    assumption_codes = {a.id: f"{ASSUMPTION_PREFIX}{n}" for n, a in enumerate(assumptions, start=1)}
    return Theory(record, items, links, assumptions, codes, assumption_codes)


def _order(codes: dict[int, str], item_id: int) -> tuple[str, int]:
    label = codes.get(item_id, "Z0")
    return ("ALK".index(label[0]) if label[0] in "ALK" else 9, int(label[1:] or 0))


# ---------------------------------------------------------------- versions


def versions(intervention: Intervention) -> list[DescriptionVersion]:
    stmt = (
        scoped(DescriptionVersion)
        .where(DescriptionVersion.intervention_id == intervention.id)
        .options(selectinload(DescriptionVersion.published_by))
        .order_by(DescriptionVersion.number.desc())
    )
    return list(db.session.scalars(stmt))


# ---------------------------------------------------------------- the compiled description

ACTIVE_POINT_STATUSES = ("prioritised", "in_progress", "proposed")


def snapshot(intervention: Intervention) -> dict:
    """The whole description as plain data: rendered as the page (through `readable`),
    stored as a version. It holds codes, never words in the language of whoever happens to
    publish: statuses and kinds, and whether a core element a point names is archived."""
    toc = theory(intervention)
    cores = core_elements(intervention)

    def items(kind: str) -> list[dict]:
        return [
            {
                "label": toc.codes[item.id],
                "text": item.text,
                "leads_to": [toc.codes.get(link.target_id, "?") for link in toc.outgoing(item.id)],
            }
            for item in toc.items[kind]
        ]

    return {
        # What each label stands for, so a comparison sees A2 renumbered to A1 as the same
        # item (analysis.description_diff); "i" an item's id, "f" an assumption's.
        "theory_ids": {
            **{code: f"i{item_id}" for item_id, code in toc.codes.items()},
            **{code: f"f{a_id}" for a_id, code in toc.assumption_codes.items()},
        },
        "name": intervention.name,
        "target_group": intervention.target_group,
        "purpose": intervention.purpose,
        "theory": {
            "purpose": toc.record.purpose if toc.record else "",
            "activities": items("activity"),
            "short_term": items("short_term"),
            "long_term": items("long_term"),
            "assumptions": [
                {
                    "label": toc.assumption_codes[a.id],
                    "text": a.text,
                    "knowledge": a.knowledge,
                    "links": [toc.link_code(link) for link in toc.links_of(a.id)],
                    "references": [
                        {"author": r.author, "year": r.year, "title": r.title, "url": r.url}
                        for r in a.references
                    ],
                }
                for a in toc.assumptions
            ],
        },
        "core_elements": [
            {
                "name": ce.name,
                "status": ce.status,
                "description": ce.description,
                "why": ce.why,
                "focus": ce.focus,
                "practice": ce.practice,
                "activities": [toc.codes.get(a.id, "?") for a in ce.activities],
            }
            for ce in cores
        ],
        # Seed 004's organisational prerequisites: the status as its code, as a core
        # element's.
        "prerequisites": [
            {"name": p.name, "status": p.status, "description": p.description, "gap": p.gap}
            for p in prerequisites(intervention)
        ],
        "workflows": [
            {
                "phase": row.phase.name,
                "description": row.phase.description,
                "steps": [
                    {
                        "step": s.step,
                        "child": s.child,
                        "parents": s.parents,
                        "professionals": s.professionals,
                    }
                    for s in row.steps
                ],
            }
            for row in workflows(intervention)
        ],
        "development_points": [
            {
                "title": dp.title,
                "description": dp.description,
                "kind": dp.kind,
                "status": dp.status,
                # An archived core element is no longer in the description's section 3:
                # flagged, so the document names it as archived and a reader does not look
                # for it there.
                "core_elements": [
                    {"name": ce.name, "archived": ce.archived} for ce in dp.core_elements
                ],
                "elements": [f"{pe.number}. {pe.name}" for pe in dp.practice_elements],
                "owner": dp.owner.name if dp.owner else "",
            }
            for dp in development_points(intervention)
            if dp.status in ACTIVE_POINT_STATUSES
        ],
    }


def readable(doc: dict) -> dict:
    """A snapshot (the draft's or a published version's) as the document shows it: its
    codes in the user's language."""
    return description_diff.readable(doc, diff_labels())


def _archived_in_any_language() -> tuple[str, ...]:
    """The words "%(name)s (archived)" in each language the app speaks: versions published
    before snapshots stored codes hold them in their publisher's."""
    from .. import BABEL_LOCALES

    words = []
    for locale in sorted(set(BABEL_LOCALES.values())):
        with force_locale(locale):
            words.append(_("%(name)s (archived)"))
    return tuple(words)


def diff_labels() -> dict:
    """The words of analysis.description_diff's lines, in the user's language."""
    return {
        "core_element_statuses": {k: str(v) for k, v in CORE_ELEMENT_STATUSES.items()},
        "point_kinds": {k: str(v) for k, v in DEVELOPMENT_POINT_KINDS.items()},
        "point_statuses": {k: str(v) for k, v in DEVELOPMENT_POINT_STATUSES.items()},
        "prerequisite_statuses": {k: str(v) for k, v in PREREQUISITE_STATUSES.items()},
        "archived": _("%(name)s (archived)"),
        "archived_in_any_language": _archived_in_any_language(),
        # A theory item's label in the newer version, its older label noted.
        "renumbered": _("%(label)s (was %(old)s)"),
        "theory_label": theory_label,
        "name": _("Name"),
        "target_group": _("Target group"),
        "purpose": _("Purpose"),
        "aim": _("Overall aim"),
        "knowledge": _("knowledge"),
        "applies_to": _("applies to"),
        "source": _("source"),
        "description": _("description"),
        "why": _("why"),
        "focus": _("focus"),
        "practice": _("in practice"),
        "activities": _("activities"),
        "covers": _("covers"),
        "gap": _("missing"),
        "phase": _("Phase"),
        "child": _("child/young person"),
        "parents": _("parents"),
        "professionals": _("professionals"),
        "core_elements": _("core elements"),
        "elements": _("elements"),
    }
