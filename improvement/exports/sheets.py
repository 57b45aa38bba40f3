"""One sheet-building function per feature, in the workbook's order.

Each builder takes the export's scope (organisation id and intervention ids) and returns a
Sheet whose rows come from one query, streamed. Scope is passed explicitly (not taken from
the request) so the command line can export too; the views pass the user's organisation.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from sqlalchemy import func, select

from ..clock import LOCAL
from ..extensions import db
from ..models import (
    CORE_ELEMENT_STATUSES,
    DEVELOPMENT_POINT_KINDS,
    DEVELOPMENT_POINT_STATUSES,
    PREREQUISITE_STATUSES,
    STATUSES,
    CoreElement,
    DescriptionVersion,
    DevelopmentPoint,
    ImprovementPlan,
    Intervention,
    OrganisationalPrerequisite,
    Organization,
    PracticeElement,
    User,
)
from ..models.description import (
    development_point_core_element,
    development_point_practice_element,
)
from ..models.pdsa import change_ideas_of
from .workbook import CUT_MARK, TYPES, Column, Sheet, part_name
from .xlsx import MAX_CELL_TEXT

BATCH = 2000


@dataclass(frozen=True)
class Scope:
    organization: Organization
    intervention_ids: Sequence[int]
    exported_by: str
    exported_at: datetime
    single: Intervention | None = None
    # Where the workbook's times are wall-clock times: where the app shows them.
    zone: tzinfo = LOCAL
    # What several sheets of one export need and is costly to compute, computed once.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def local(self, moment: datetime | None) -> datetime | None:
        """A stored moment as wall-clock time in the export's zone, without a zone (Excel
        has none), for days and texts made from it; timestamp cells are converted by the
        writer. A naive moment is UTC: SQLite returns stored times without their zone."""
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone).replace(tzinfo=None)


def in_scope(model, scope: "Scope"):
    """The export's access control: rows of the scope's organisation and interventions."""
    return (
        model.organization_id == scope.organization.id,
        model.intervention_id.in_(scope.intervention_ids),
    )


def _labels(mapping) -> str:
    return ", ".join(str(label) for label in mapping.values())


def _translated(mapping) -> Callable[[str | None], str | None]:
    """Key → label of `mapping` in the current language. The lazy labels are translated
    once here, not once per row (which cost more than writing the cell). Empty keys stay
    empty; unknown keys are shown as stored."""
    labels = {key: str(label) for key, label in mapping.items()}
    return lambda key: labels.get(key, key) if key else None


def _stream(stmt):
    """The statement's rows, fetched BATCH at a time (a server-side cursor on PostgreSQL),
    executed on the connection: the rows are plain columns, ORM row processing is not
    needed."""
    return db.session.connection().execute(stmt.execution_options(yield_per=BATCH))


INTERVENTION = Column("Indsats", "text", "Indsatsens navn")


def interventions_sheet(scope: Scope) -> Sheet:
    stmt = (
        select(
            Intervention.name,
            Intervention.target_group,
            Intervention.purpose,
            Intervention.status,
            Intervention.start_date,
        )
        .where(
            Intervention.organization_id == scope.organization.id,
            Intervention.id.in_(scope.intervention_ids),
        )
        .order_by(Intervention.name)
    )
    statuses = _translated(STATUSES)
    rows = (
        (name, target, purpose, statuses(status), start)
        for name, target, purpose, status, start in _stream(stmt)
    )
    return Sheet(
        "Indsatser",
        [
            INTERVENTION,
            Column("Målgruppe", "long_text", "Hvem indsatsen er for"),
            Column("Formål", "long_text", "Indsatsens overordnede formål"),
            Column("Status", "text", "Hvor langt indsatsen er", _labels(STATUSES)),
            Column("Startdato", "date", "Hvornår indsatsen startede"),
        ],
        rows,
        empty="Organisationen har ingen indsatser.",
    )


def core_elements_sheet(scope: Scope) -> Sheet:
    stmt = (
        select(
            Intervention.name,
            CoreElement.position,
            CoreElement.name,
            CoreElement.description,
            CoreElement.why,
            CoreElement.focus,
            CoreElement.practice,
            CoreElement.status,
            CoreElement.archived,
        )
        .join(Intervention, CoreElement.intervention_id == Intervention.id)
        .where(
            *in_scope(CoreElement, scope),
        )
        .order_by(Intervention.name, CoreElement.position, CoreElement.id)
    )
    statuses = _translated(CORE_ELEMENT_STATUSES)
    rows = (
        (i, pos + 1, name, d, why, focus, practice, statuses(st), arch)
        for i, pos, name, d, why, focus, practice, st, arch in _stream(stmt)
    )
    return Sheet(
        "Kerneelementer",
        [
            INTERVENTION,
            Column("Nr.", "int", "Kerneelementets nummer i indsatsens rækkefølge"),
            Column("Kerneelement", "text", "Kerneelementets navn"),
            Column("Beskrivelse", "long_text", "Hvad kerneelementet er"),
            Column("Hvorfor vigtigt", "long_text", "Hvorfor kerneelementet er afgørende"),
            Column("Fokus", "long_text", "Hvad kerneelementet fokuserer på"),
            Column("I praksis", "long_text", "Hvad kerneelementet betyder i praksis"),
            Column(
                "Status",
                "text",
                "Potentielt (teamets antagelse) eller reelt (bekræftet)",
                _labels(CORE_ELEMENT_STATUSES),
            ),
            Column("Arkiveret", "bool", "Ikke længere i brug; bevaret for historikken", "Ja, Nej"),
        ],
        rows,
        empty="Ingen kerneelementer registreret.",
    )


def prerequisites_sheet(scope: Scope) -> Sheet:
    """Seed 004's organisational prerequisites, as the Kerneelementer sheet lays out core
    elements: in the intervention's order, archived ones flagged."""
    P = OrganisationalPrerequisite  # noqa: N806
    stmt = (
        select(Intervention.name, P.position, P.name, P.description, P.status, P.gap, P.archived)
        .join(Intervention, P.intervention_id == Intervention.id)
        .where(*in_scope(P, scope))
        .order_by(Intervention.name, P.position, P.id)
    )
    statuses = _translated(PREREQUISITE_STATUSES)
    rows = (
        (i, pos + 1, name, description, statuses(status), gap, archived)
        for i, pos, name, description, status, gap, archived in _stream(stmt)
    )
    return Sheet(
        "Organisatoriske forudsætninger",
        [
            INTERVENTION,
            Column("Nr.", "int", "Forudsætningens nummer i indsatsens rækkefølge"),
            Column("Forudsætning", "text", "Den organisatoriske forudsætnings navn"),
            Column("Omhandler", "long_text", "Hvad forudsætningen omhandler"),
            Column(
                "Status nu",
                "text",
                "Teamets vurdering af, om forudsætningen er på plads i organisationen nu",
                _labels(PREREQUISITE_STATUSES),
            ),
            Column("Hvad mangler", "long_text", "Hvad der mangler, før forudsætningen er i orden"),
            Column("Arkiveret", "bool", "Ikke længere i brug; bevaret for historikken", "Ja, Nej"),
        ],
        rows,
        empty="Ingen organisatoriske forudsætninger registreret.",
    )


def development_points_sheet(scope: Scope) -> Sheet:
    ids = select(DevelopmentPoint.id).where(
        *in_scope(DevelopmentPoint, scope),
    )
    # The links are gathered in two queries up front, never one per development point.
    core = defaultdict(list)
    for point_id, name in db.session.execute(
        select(development_point_core_element.c.development_point_id, CoreElement.name)
        .join(CoreElement, CoreElement.id == development_point_core_element.c.core_element_id)
        .where(development_point_core_element.c.development_point_id.in_(ids))
        .order_by(CoreElement.position)
    ):
        core[point_id].append(name)
    # The elements as the development points page shows them: "8. Relationelt samarbejde".
    elements = defaultdict(list)
    for point_id, number, name in db.session.execute(
        select(
            development_point_practice_element.c.development_point_id,
            PracticeElement.number,
            PracticeElement.name,
        )
        .join(
            PracticeElement,
            PracticeElement.id == development_point_practice_element.c.practice_element_id,
        )
        .where(development_point_practice_element.c.development_point_id.in_(ids))
        .order_by(PracticeElement.number)
    ):
        elements[point_id].append(f"{number}. {name}")
    stmt = (
        select(
            Intervention.name,
            DevelopmentPoint.id,
            DevelopmentPoint.position,
            DevelopmentPoint.title,
            DevelopmentPoint.description,
            DevelopmentPoint.kind,
            DevelopmentPoint.status,
            User.name,
            ImprovementPlan.aim,
            ImprovementPlan.measure,
            ImprovementPlan.change_ideas,
        )
        .join(Intervention, DevelopmentPoint.intervention_id == Intervention.id)
        .outerjoin(User, DevelopmentPoint.owner_id == User.id)
        .outerjoin(ImprovementPlan, ImprovementPlan.development_point_id == DevelopmentPoint.id)
        .where(DevelopmentPoint.id.in_(ids))
        .order_by(Intervention.name, DevelopmentPoint.position, DevelopmentPoint.id)
    )
    kinds = _translated(DEVELOPMENT_POINT_KINDS)
    statuses = _translated(DEVELOPMENT_POINT_STATUSES)
    rows = (
        (
            intervention,
            position + 1,
            title,
            description,
            kinds(kind),
            statuses(status),
            owner,
            "; ".join(core[point_id]),
            ", ".join(elements[point_id]),
            aim or "",
            measure or "",
            "; ".join(change_ideas_of(ideas)),
        )
        for (
            intervention,
            point_id,
            position,
            title,
            description,
            kind,
            status,
            owner,
            aim,
            measure,
            ideas,
        ) in _stream(stmt)
    )
    return Sheet(
        "Udviklingspunkter",
        [
            INTERVENTION,
            Column(
                "Prioritet", "int", "Udviklingspunktets plads i teamets prioritering (1 = først)"
            ),
            Column("Udviklingspunkt", "text", "Titel"),
            Column("Beskrivelse", "long_text", "Hvad der skal udvikles"),
            Column(
                "Type", "text", "Organisatorisk eller indsatsnært", _labels(DEVELOPMENT_POINT_KINDS)
            ),
            Column("Status", "text", "Hvor langt arbejdet er", _labels(DEVELOPMENT_POINT_STATUSES)),
            Column("Ansvarlig", "text", "Den medarbejder, der driver udviklingspunktet"),
            Column("Kerneelementer", "text", "De kerneelementer, punktet styrker (adskilt af ;)"),
            Column(
                "Elementer (lovende praksis)",
                "text",
                "De af de 11 elementer i lovende praksis, punktet styrker: nummer og navn, "
                "adskilt af komma (som på siden Udviklingspunkter)",
                _element_labels(),
            ),
            # The Model for Improvement's three questions, as the point's page asks them.
            Column(
                "Mål",
                "long_text",
                "Forbedringsmodellen: hvad prøver vi at opnå (helst hvor meget, hvornår)",
            ),
            Column(
                "Måling",
                "long_text",
                "Forbedringsmodellen: hvordan ved vi, at en ændring er en forbedring",
            ),
            Column(
                "Forandringsidéer",
                "long_text",
                "Forbedringsmodellen: hvilke ændringer kan føre til forbedring (adskilt af ;)",
            ),
        ],
        rows,
        empty="Ingen udviklingspunkter registreret.",
    )


def _element_labels() -> str:
    """The 11 elements as the column writes them, for Datadefinitioner's allowed values."""
    return ", ".join(
        f"{number}. {name}"
        for number, name in db.session.execute(
            select(PracticeElement.number, PracticeElement.name).order_by(PracticeElement.number)
        )
    )


def definitions_sheet(sheets: Sequence[Sheet]) -> Sheet:
    """What every column of `sheets` means. Written after them, so each row names the
    sheet as its tab reads (cut to Excel's 31 characters) and, for a sheet longer than
    Excel allows, every part it went on in."""
    sheets = list(sheets)  # the caller appends this sheet to its list: not itself

    def rows():
        for sheet in sheets:
            names = ", ".join(name for name, _ in sheet.parts) or part_name(sheet.name, 1)
            for column in sheet.columns:
                yield names, column.header, column.meaning, TYPES[column.kind][0], column.allowed

    return Sheet(
        "Datadefinitioner",
        [
            Column("Ark", "text", "Arket, kolonnen står i", width=24),
            Column("Kolonne", "text", "Kolonnens overskrift", width=28),
            Column("Betydning", "long_text", "Hvad kolonnen indeholder"),
            Column("Type", "text", "Datatype", _labels({k: v[0] for k, v in TYPES.items()}), 14),
            Column("Tilladte værdier", "long_text", "De værdier, kolonnen kan have", width=40),
        ],
        rows(),
    )


def _description_versions(scope: Scope) -> list[tuple[str, str]]:
    """Which published version of each intervention description the data goes with."""
    latest = (
        select(
            DescriptionVersion.intervention_id,
            func.max(DescriptionVersion.number).label("number"),
        )
        .where(
            *in_scope(DescriptionVersion, scope),
        )
        .group_by(DescriptionVersion.intervention_id)
        .subquery()
    )
    stmt = (
        select(Intervention.name, DescriptionVersion.number, DescriptionVersion.published_at)
        .select_from(Intervention)
        .outerjoin(latest, latest.c.intervention_id == Intervention.id)
        .outerjoin(
            DescriptionVersion,
            (DescriptionVersion.intervention_id == Intervention.id)
            & (DescriptionVersion.number == latest.c.number),
        )
        .where(
            Intervention.organization_id == scope.organization.id,
            Intervention.id.in_(scope.intervention_ids),
        )
        .order_by(Intervention.name)
    )
    return [
        (
            f"Indsatsbeskrivelse: {name}",
            f"version {number}, udgivet {scope.local(published):%d.%m.%Y}"
            if number
            else "ingen udgivet version (kun kladde)",
        )
        for name, number, published in db.session.execute(stmt)
    ]


# How much of the organisation's name an intervention's workbook's page header shows.
SUBJECT_ORGANISATION = 40


def subject(scope: Scope) -> str:
    """What the workbook is about, for every printed page's header: the organisation, and
    the intervention of an intervention's workbook (the organisation cut short, so the
    intervention shows)."""
    organisation = scope.organization.name
    if scope.single is None:
        return f"{organisation} – alle indsatser"
    if len(organisation) > SUBJECT_ORGANISATION:
        organisation = organisation[: SUBJECT_ORGANISATION - 1].rstrip() + "…"
    return f"{organisation} – {scope.single.name}"


def overview_sheet(scope: Scope):
    def build(sheets: Sequence[Sheet]) -> Sheet:
        what = f"Indsats: {scope.single.name}" if scope.single else "Alle organisationens indsatser"
        rows = [
            ("Eksport", what),
            ("Organisation", scope.organization.name),
            ("Antal indsatser", len(scope.intervention_ids)),
            ("Eksporteret af", scope.exported_by),
            ("Eksporteret", scope.exported_at),
            ("Personoplysninger", "Forløb er pseudonyme koder; respondenter vises kun med rolle."),
        ]
        rows += _description_versions(scope)
        rows = [(field, value, None) for field, value in rows]
        rows += [
            (f"Rækker i arket {name}", count, _remark(sheet) if part == 0 else None)
            for sheet in sheets
            for part, (name, count) in enumerate(sheet.parts)
        ]
        return Sheet(
            "Oversigt",
            [
                Column("Felt", "text", "Hvad værdien angiver", width=36),
                Column("Værdi", "text", "Værdien", width=60),
                Column(
                    "Bemærkning", "long_text", "Hvorfor et ark er tomt, eller hvad det udelader"
                ),
            ],
            rows,
        )

    return build


def _remark(sheet: Sheet) -> str | None:
    """What Oversigt says beside a sheet's row count: why it is empty, its note, and texts
    cut to fit a cell."""
    said = [sheet.empty if not sheet.count else "", sheet.note, _cut_remark(sheet.cut)]
    return " ".join(text for text in said if text) or None


def _cut_remark(cut: int) -> str:
    if not cut:
        return ""
    limit = f"{MAX_CELL_TEXT:_}".replace("_", ".")  # Danish thousands separator
    texts = "1 tekst var" if cut == 1 else f"{cut} tekster var"
    return (
        f"{texts} længere end de {limit} tegn, en celle i Excel kan rumme, og er afkortet "
        f"(slutter med »{CUT_MARK.strip()}«)."
    )
