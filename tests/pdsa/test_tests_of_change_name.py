"""The page of the development points' tests of change has one name: the menu's, the
breadcrumb's, the tab's and the heading's are all "Prøvehandlinger"."""

import re

from tests.pdsa.test_cycles import world


def test_the_tests_of_change_page_is_named_as_in_the_menu(client, login):
    org, user, intervention, _point = world()
    login(user, org)
    page = client.get(f"/indsatser/{intervention.id}/udvikling").get_data(as_text=True)
    menu = re.search(r'<a href="[^"]*/udvikling" aria-current="page">([^<]+)</a>', page)
    crumb = re.search(r'<nav class="breadcrumb.*?<li>([^<]+)</li>\s*</ul>', page, re.S)
    heading = re.search(r"<h1>([^<]+)</h1>", page)
    title = re.search(r"<title>([^·<]+) ·", page)
    names = {m.group(1).strip() for m in (menu, crumb, heading, title)}
    assert names == {"Prøvehandlinger"}
    assert "Udviklingsarbejde" not in page
