"""What the printed board carries besides its columns: a header line naming the
organisation, the intervention, the day it was printed and the filter (the print rules:
static/app.css, "Board: print"); and the standup panel's open action items as text, status
included, so that a print rule can show them without their controls."""

import re
from datetime import date, timedelta

from improvement import clock
from improvement.extensions import db
from tests.pdsa.factories import gen_action_item, gen_meeting
from tests.pdsa.test_board import HX, board_world

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish_day(day: date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def print_context(body: str) -> str:
    match = re.search(r'<p class="print-context board-print-context"[^>]*>(.*?)</p>', body, re.S)
    assert match, "the board has no print header"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_printed_board_names_organisation_intervention_date_and_filter(client, login):
    org, lise, bo, intervention, visits, *_ = board_world()
    db.session.commit()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/tavle"
    printed = f"Udskrevet {danish_day(clock.today())}"

    body = client.get(url).get_data(as_text=True)
    assert print_context(body) == f"Nord · Spædbarnsindsats · {printed}"

    # Filtered: the same words as the presentation view, in the header.
    body = client.get(f"{url}?owner={bo.id}&point={visits.id}").get_data(as_text=True)
    assert print_context(body) == (
        f"Nord · Spædbarnsindsats · {printed} · Filtreret: Hjemmebesøg, Bo Bach"
    )
    # The filter changes the board by HTMX: the swapped board brings its own header.
    fragment = client.get(f"{url}?owner={lise.id}", headers=HX).get_data(as_text=True)
    assert print_context(fragment) == f"Nord · Spædbarnsindsats · {printed} · Filtreret: Lise Lund"
    # An id that names no one still says the board is filtered.
    body = client.get(f"{url}?owner=999999").get_data(as_text=True)
    assert print_context(body) == f"Nord · Spædbarnsindsats · {printed} · Filtreret"

    # The presentation view prints the same header.
    body = client.get(f"{url}?visning=praesentation&point={visits.id}").get_data(as_text=True)
    assert print_context(body) == f"Nord · Spædbarnsindsats · {printed} · Filtreret: Hjemmebesøg"
    assert 'class="board-refreshed">Opdateret' in body


def test_standup_panel_items_carry_who_what_by_when_and_status_as_text(client, login):
    org, lise, bo, intervention, *_ = board_world()
    earlier = gen_meeting(intervention, held_on=clock.today() - timedelta(days=7))
    due = clock.today() + timedelta(days=3)
    gen_action_item(earlier, what="Ring til skolen", owner=bo, due_date=due)
    gen_action_item(earlier, what="Lukket opgave", owner=bo, status="done")
    db.session.commit()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/tavle"

    body = client.get(url).get_data(as_text=True)
    items = body[body.index('<ul class="panel-items">') :]
    items = items[: items.index("</ul>")]
    assert '<span class="item-what">Ring til skolen</span>' in items
    assert f"Bo Bach · Frist {due.strftime('%d.%m.%Y')}" in items
    assert "<small>Åben</small>" in items and "Lukket opgave" not in items

    # With today's standup started the status is a select; printed, it is text beside it.
    client.post(f"/indsatser/{intervention.id}/tavle/moede", headers=HX)
    body = client.get(url).get_data(as_text=True)
    assert '<small class="print-only">Åben</small>' in body
    assert 'class="standup-decisions"' in body and 'class="standup-items"' in body
