"""The comparison page after an activity is deleted: a core element's links to the
activities after it are renumbered, not changed, and the page says which is which."""

import re
from html import unescape

from improvement.extensions import db
from tests.description.factories import gen_core_element, gen_item
from tests.helpers import gen_intervention, gen_org, gen_user

HX = {"HX-Request": "true"}
TEXTS = ("Hjemmebesøg", "Samtale om søvn", "Forældregruppe", "Netværksmøde")


def _text(html: str) -> str:
    """The page's words, one space between them ("A1: Hjemmebesøg" of "<strong>A1</strong>: …")."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(html)))
    return words.replace(" :", ":")


def test_deleting_a1_shows_the_link_to_the_old_a4_unchanged_and_the_one_to_a1_removed(
    client, login
):
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    items = [gen_item(intervention, text=text, position=n) for n, text in enumerate(TEXTS)]
    element = gen_core_element(intervention, name="Tæt kontakt")
    element.activities = [items[0], items[3]]  # A1 and A4
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/indsatsbeskrivelse"
    assert client.post(f"{url}/versioner", data={"note": "Før"}).status_code == 302
    theory = f"/indsatser/{intervention.id}/forandringsteori"
    assert client.post(f"{theory}/punkter/{items[0].id}/slet", headers=HX).status_code == 200
    assert client.post(f"{url}/versioner", data={"note": "Efter"}).status_code == 302

    response = client.get(f"{url}/sammenlign?fra=1&til=2")
    assert response.status_code == 200
    page = _text(response.get_data(as_text=True))
    # Before, the row read "Tæt kontakt – aktiviteter: A1, A4" → "… A3": Netværksmøde's
    # link read as changed, and nothing said A3 was A4.
    assert "Tæt kontakt – aktiviteter: A3 " not in page
    assert (
        "Før: Tæt kontakt – aktiviteter: − Fjernet: A1: Hjemmebesøg (slettet i "
        "forandringsteorien) Uændret: A4: Netværksmøde"
    ) in page
    assert "Efter: Tæt kontakt – aktiviteter: Uændret: A3 (tidligere A4): Netværksmøde" in page
    # The deleted activity and the core element's line: one removed line, one changed.
    assert "1 fjernet, 1 ændret, 0 flyttet." in page
