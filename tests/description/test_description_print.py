"""The printed intervention description: its heading says which text it is, and core
elements run on inside their section (only a short one is kept on one page)."""

import re
from datetime import UTC, datetime

from sqlalchemy import select

from improvement.extensions import db
from improvement.models import DescriptionVersion, Intervention
from tests.description.factories import gen_core_element, gen_point
from tests.helpers import gen_intervention, gen_org, gen_user

HX = {"HX-Request": "true"}


def setup():
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Familiehuset")
    db.session.commit()
    return org, user, intervention


def kicker(html: str) -> str:
    match = re.search(r'<p class="doc-kicker">(.*?)</p>', html, re.S)
    assert match, "no heading"
    return " ".join(match.group(1).split())


def publish(client, url, published_at):
    assert client.post(f"{url}/versioner", data={"note": "Efter mødet"}).status_code == 302
    version = db.session.scalars(
        select(DescriptionVersion).order_by(DescriptionVersion.number.desc())
    ).first()
    version.published_at = published_at
    db.session.commit()
    return version


def test_heading_says_draft_version_or_draft_since_version(client, login):
    org, user, intervention = setup()
    login(user, org)
    url = f"/indsatser/{intervention.id}/indsatsbeskrivelse"

    assert kicker(client.get(url).get_data(as_text=True)) == (
        "Indsatsbeskrivelse · Udkast, ingen version udgivet endnu"
    )

    # Published at 10:00 UTC on 6 December: 11:00 in Copenhagen, the same day.
    v1 = publish(client, url, datetime(2026, 12, 6, 10, tzinfo=UTC))
    page = client.get(url).get_data(as_text=True)
    assert "Udkastet er det samme som version 1." in page
    assert kicker(page) == "Indsatsbeskrivelse · Version 1, udgivet 06.12.2026"
    version_page = client.get(f"{url}/versioner/{v1.id}").get_data(as_text=True)
    assert kicker(version_page) == "Indsatsbeskrivelse · Version 1, udgivet 06.12.2026"

    # A change after publishing: a draft again, saying which version it changes.
    db.session.get(Intervention, intervention.id).purpose = "Trygge rammer"
    db.session.commit()
    assert kicker(client.get(url).get_data(as_text=True)) == (
        "Indsatsbeskrivelse · Udkast med ændringer siden version 1, udgivet 06.12.2026"
    )

    # Version 2 published at 23:30 UTC on 31 December is 1 January in Copenhagen.
    publish(client, url, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert kicker(client.get(url).get_data(as_text=True)) == (
        "Indsatsbeskrivelse · Version 2, udgivet 01.01.2027"
    )
    # The first version's own page still names the first version.
    version_page = client.get(f"{url}/versioner/{v1.id}").get_data(as_text=True)
    assert kicker(version_page) == "Indsatsbeskrivelse · Version 1, udgivet 06.12.2026"


def test_the_english_heading(client, login):
    org, user, intervention = setup()
    user.locale = "en"
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/indsatsbeskrivelse"
    publish(client, url, datetime(2026, 12, 6, 10, tzinfo=UTC))
    heading = kicker(client.get(url).get_data(as_text=True))
    assert heading.startswith("Intervention description · Version 1, published ")
    assert "2026" in heading


def test_core_elements_are_not_each_kept_to_a_page(client, login):
    org, user, intervention = setup()
    login(user, org)
    base = f"/indsatser/{intervention.id}"
    assert client.post(f"{base}/kerneelementer/skabelon", headers=HX).status_code == 200
    gen_core_element(intervention, name="Kort", why="Fordi det virker", position=9)
    gen_point(intervention, title="Fast dagsorden", description="Kort beskrivelse")
    gen_point(intervention, title="Langt punkt", description="Lang tekst. " * 100, position=1)
    db.session.commit()

    page = client.get(f"{base}/indsatsbeskrivelse").get_data(as_text=True)

    cores = re.findall(
        r'<table role="presentation" class="(doc-core[^"]*)">\s*'
        r"<thead><tr><th><h3>[^<]*?(\S[^<(]*?) <small>",
        page,
    )
    # The template's four (about 2,000 characters each) may break between paragraphs; the
    # short one is kept whole. None starts a page of its own.
    assert len(cores) == 5
    assert [c for c, _ in cores].count("doc-core") == 4
    assert ("doc-core doc-keep", "5. Kort") in cores
    assert "page-break" not in " ".join(c for c, _ in cores)
    points = re.findall(r'<table role="presentation" class="(doc-point[^"]*)">', page)
    assert points == ["doc-point doc-keep", "doc-point"]
    # Each of the six sections starts a page; nothing else does.
    assert page.count("page-break") == 5
