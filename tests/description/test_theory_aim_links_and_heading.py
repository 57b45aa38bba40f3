"""After a month's QA of a new intervention: the theory of change tells the intervention's
purpose (what it is for) from the theory's overall aim (the long-term change it is to lead
to) and says what to write when the aim is empty; its links table names both ends by code
and text; the description page has a page heading like the other pages, and the document's
own title sits under it (a published version, with no page heading, keeps it as its h1)."""

import re
from html import unescape

from improvement.extensions import db
from improvement.models import ChangeTheory, ChangeTheoryLink, DescriptionVersion
from tests.description.factories import EMPTY_SNAPSHOT, gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HX = {"HX-Request": "true"}
ACTIVITY = "Intensive hjemmebesøg af et tværfagligt makkerpar, i perioder flere besøg dagligt"
RESULT = "Forældrene aflæser barnets signaler og reagerer mere sensitivt på dem"
HINT = (
    "Den forandring på langt sigt for målgruppen, som kæden af aktiviteter og resultater "
    "nedenfor skal føre til – ikke hvad indsatsen er til; det står i indsatsens formål."
)


def _world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(
        org, name="Spædbarnsindsats", purpose="At styrke forældrenes omsorgskompetencer"
    )
    gen_member(intervention, user, "leader")
    db.session.commit()
    return org, user, intervention


def _text(html: str) -> str:
    """The page's text, soft hyphens and tags left out, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", unescape(html).replace("\u00ad", ""))
    return re.sub(r"\s+", " ", text)


def test_theory_tells_the_interventions_purpose_from_the_overall_aim(client, login):
    org, user, intervention = _world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/forandringsteori"
    html = unescape(client.get(url).get_data(as_text=True))
    text = _text(html)
    # The intervention's purpose is named as the intervention's, and says what it is.
    assert "<dt>Indsatsens formål</dt>" in html
    assert "Hvad indsatsen er til. Redigeres på Overblik" in text
    # The aim is named as the theory's, with a line on how the two differ.
    aim = re.search(r'<div id="toc-aim" class="toc-aim">.*?</div>', html, re.S).group(0)
    assert "<h2>Forandringsteoriens overordnede formål</h2>" in aim
    assert HINT in _text(aim)
    # Empty, it says what to write, and the button says "write", not "edit".
    assert "Ikke skrevet endnu. Skriv i en sætning eller to, hvordan målgruppens situation" in (
        _text(aim)
    )
    assert "Skriv det overordnede formål</button>" in aim
    assert "er ikke skrevet endnu" not in text

    # Written, it shows the aim and offers to edit it; the form keeps the hint in view.
    db.session.add(
        ChangeTheory(
            organization_id=org.id,
            intervention_id=intervention.id,
            purpose="Barnet får en tryg tilknytning",
        )
    )
    db.session.commit()
    aim = client.get(f"{url}/formaal?cancel=1", headers=HX).get_data(as_text=True)
    assert "Barnet får en tryg tilknytning" in aim and "Ikke skrevet endnu" not in aim
    assert "Redigér det overordnede formål</button>" in aim
    form = client.get(f"{url}/formaal", headers=HX).get_data(as_text=True)
    assert HINT in _text(form)


def test_the_links_table_names_both_ends_by_code_and_text(client, login):
    org, user, intervention = _world()
    activity = gen_item(intervention, "activity", ACTIVITY)
    result = gen_item(intervention, "short_term", RESULT)
    db.session.add(
        ChangeTheoryLink(
            organization_id=org.id,
            intervention_id=intervention.id,
            source_id=activity.id,
            target_id=result.id,
        )
    )
    db.session.commit()
    login(user, org)
    html = client.get(f"/indsatser/{intervention.id}/forandringsteori").get_data(as_text=True)
    row = re.search(r'<tr id="toc-link-\d+">.*?</tr>', html, re.S).group(0)
    head = re.search(r'<th scope="row".*?</th>', row, re.S).group(0)
    # Code and whole text of each end (the screen cuts it short; paper prints it whole), the
    # arrow between them, which a screen reader reads as words.
    assert _text(head).strip() == f"A1 {ACTIVITY} → fører til K1 {RESULT}"
    spoken = re.sub(r'<span class="toc-end-arrow" aria-hidden="true">[^<]*</span>', "", head)
    assert _text(spoken).strip() == f"A1 {ACTIVITY} fører til K1 {RESULT}"
    assert f'title="{ACTIVITY}"' in unescape(row) and f'title="{RESULT}"' in unescape(row)
    assert '<th scope="col">Fra → til</th>' in html
    # The controls still name the link by its codes.
    assert 'aria-label="Fjern forbindelsen A1 → K1"' in html


def test_description_page_has_its_heading_and_the_document_its_title_under_it(client, login):
    org, user, intervention = _world()
    version = DescriptionVersion(
        organization_id=org.id,
        intervention_id=intervention.id,
        number=1,
        note="Første",
        snapshot={**EMPTY_SNAPSHOT, "name": "Spædbarnsindsats"},
    )
    db.session.add(version)
    db.session.commit()
    login(user, org)
    html = client.get(f"/indsatser/{intervention.id}/indsatsbeskrivelse").get_data(as_text=True)
    # One h1, the page's, in a page title as on the other pages, left off paper.
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == ["Indsatsbeskrivelse"]
    assert re.search(
        r'<header class="page-title doc-toolbar no-print">\s*<div>\s*<h1>Indsatsbeskrivelse', html
    )
    assert '<h2 class="doc-title">Spædbarnsindsats</h2>' in html
    # A published version has no page heading of its own: the document's title is its h1.
    page = client.get(
        f"/indsatser/{intervention.id}/indsatsbeskrivelse/versioner/{version.id}"
    ).get_data(as_text=True)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Spædbarnsindsats"]
    assert '<h1 class="doc-title">Spædbarnsindsats</h1>' in page
