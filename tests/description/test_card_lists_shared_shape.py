"""The card lists (core elements, prerequisites, development points) share one shape
(templates/description/_cards.html): ordered by drag or ↑/↓ for who may write, read-only
for the others, and the same hint on how to reorder."""

import re

import pytest

from improvement.extensions import db
from tests.description.factories import gen_core_element, gen_point, gen_prerequisite
from tests.helpers import gen_intervention, gen_org, gen_user

HINT = "Træk et kort i håndtaget for at ændre rækkefølgen, eller brug pileknapperne."

# page path, the section's id, a card's id prefix, the card's history kind, a factory
LISTS = [
    ("kerneelementer", "core-elements", "core", "kerneelement", gen_core_element),
    ("forudsaetninger", "prerequisites", "prerequisite", "forudsaetning", gen_prerequisite),
    ("udviklingspunkter", "development-points", "point", "udviklingspunkt", gen_point),
]
PARAMS = ("path", "section", "prefix", "kind", "make")


def _setup(role):
    org = gen_org("Nord")
    user = gen_user(org, role=role)
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    return org, user, intervention


@pytest.mark.parametrize(PARAMS, LISTS)
def test_a_writer_can_reorder_every_card_list_and_is_told_how(
    login, path, section, prefix, kind, make
):
    org, user, intervention = _setup("leader")
    item = make(intervention)
    db.session.commit()
    body = login(user, org).get(f"/indsatser/{intervention.id}/{path}").get_data(True)
    # The development points were without the hint the other two lists give.
    assert body.count(HINT) == 1
    assert re.search(
        rf'<ol class="card-list" data-sortable hx-post="[^"]+/{path}/raekkefoelge"', body
    )
    card = body[body.index(f'<li id="{prefix}-{item.id}"') :]
    card = card[: card.index("</li>")]
    assert 'class="drag-handle"' in card
    for direction in ("up", "down"):
        assert re.search(
            rf'hx-post="[^"]+/{path}/{item.id}/flyt" hx-vals=\'{{"direction": "{direction}"}}\'\s+'
            rf'hx-target="#{section}"',
            card,
        )
    assert re.search(
        rf'hx-get="[^"]+/{path}/{item.id}/rediger" hx-target="#{prefix}-{item.id}"', card
    )
    assert f'hx-get="/indsatser/{intervention.id}/historik/{kind}/{item.id}"' in card


@pytest.mark.parametrize(PARAMS, LISTS)
def test_a_read_only_role_sees_the_cards_without_controls(login, path, section, prefix, kind, make):
    org, user, intervention = _setup("evaluator")
    item = make(intervention)
    db.session.commit()
    body = login(user, org).get(f"/indsatser/{intervention.id}/{path}").get_data(True)
    assert f'<li id="{prefix}-{item.id}"' in body
    assert f"/historik/{kind}/{item.id}" in body
    assert HINT not in body
    assert "data-sortable" not in body and "drag-handle" not in body
    assert "/flyt" not in body and "/rediger" not in body and "create-panel" not in body


@pytest.mark.parametrize(PARAMS, LISTS)
def test_each_cards_repeated_controls_name_their_item(login, path, section, prefix, kind, make):
    """A screen reader listing the buttons hears "Redigér Tværfagligt makkerpar", not
    "Redigér" once per card."""
    org, user, intervention = _setup("leader")
    item = make(intervention)
    db.session.commit()
    body = login(user, org).get(f"/indsatser/{intervention.id}/{path}").get_data(True)
    name = getattr(item, "name", None) or item.title
    card = body[body.index(f'<li id="{prefix}-{item.id}"') :]
    card = card[: card.index("</li>")]
    assert f'aria-label="Redigér {name}"' in card
    assert f'aria-label="Historik for {name}"' in card
    if path != "udviklingspunkter":  # development points are closed by status, not archived
        assert f'aria-label="Arkivér {name}"' in card
