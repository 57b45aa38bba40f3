"""A heat map cell opened: the cases behind one core element in one phase.

The heat map shows that, say, "Inddragelse" in "Afslutning" is 2.9 over 15 cases; the
reflection meeting then asks which cases and why. This page lists them with the cell's
latest rating and its comment, the lowest first, and counts them as the heat map does,
so the page's mean and n are the cell's.
"""

from flask import request

from ..access import get_or_404_for_user
from ..analysis.ratings import mean_of_scores
from ..description.common import load_child
from ..extensions import htmx
from ..models import CoreElement, Intervention, Phase
from ..paging import Page, requested_page
from ..rendering import render_htmx
from . import service
from .quality_filter import QualityFilter
from .views import bp

CELL = "cases/quality_cell.html"
CASES_PER_PAGE = 50


@bp.route(
    "/indsatser/<int:intervention_id>/kvalitet/kerneelementer/<int:core_element_id>"
    "/faser/<int:phase_id>"
)
def quality_cell(intervention_id: int, core_element_id: int, phase_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    element = load_child(CoreElement, intervention_id, core_element_id)
    phase = load_child(Phase, intervention_id, phase_id)
    # The cases the quality page's filter counted in the cell.
    flt = QualityFilter.from_args(request.args)
    where = flt.where()
    scores = service.cell_score_counts(intervention, element.id, phase.id, where)
    paging = Page.of(requested_page(), CASES_PER_PAGE, sum(scores.values()))
    # The pager swaps only the list.
    block = "case_list" if htmx and htmx.target == "cell-cases" else "content"
    response = render_htmx(
        CELL,
        block,
        intervention=intervention,
        element=element,
        phase=phase,
        scores=scores,
        mean=mean_of_scores(scores),
        cases=service.cell_cases(
            intervention, element.id, phase.id, paging.offset, paging.size, where
        ),
        paging=paging,
        flt=flt,
        scale=service.rating_scale(),
    )
    response.vary.add("HX-Target")
    return response
