"""The breadcrumb's accessible name is in the page's language ("Brødkrumme", "Breadcrumb"):
it was Pico's `aria-label="breadcrumb"`, read out in English by a Danish screen reader.
Its look comes from app.css's rules on the class, the same as Pico's (the browser test in
tests/browser/test_style_a11y_browser.py compares them)."""

import re
from pathlib import Path

import pytest

import improvement
from improvement.extensions import db
from tests.assessments.helpers import gen_round, shared_instrument
from tests.helpers import gen_intervention, gen_org, gen_user

TEMPLATES = Path(improvement.__file__).parent.parent / "templates"
NAV = re.compile(r"<nav\b[^>]*>")
NAME = "aria-label=\"{{ _('Breadcrumb') }}\""
# An intervention's overview, a description page, an improvement page (their shared
# header), the self-assessment's rounds, a round, the import, the cases, the quality page.
PAGES = [
    *("", "/forandringsteori", "/tavle", "/selvevaluering", "/selvevaluering/{round}"),
    *("/import", "/forloeb", "/kvalitet"),
]


def _breadcrumbs(source: str) -> list[str]:
    return [tag for tag in NAV.findall(source) if "breadcrumb" in tag.lower()]


def test_every_breadcrumb_has_the_class_and_the_translated_name():
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        for tag in _breadcrumbs(path.read_text(encoding="utf-8")):
            found[f"{path.relative_to(TEMPLATES)}: {tag}"] = (
                re.search(r'class="breadcrumb[ "]', tag) is not None and NAME in tag
            )
    assert len(found) >= 7
    assert [tag for tag, ok in found.items() if not ok] == []


@pytest.mark.parametrize(("locale", "name"), [("da", "Brødkrumme"), ("en", "Breadcrumb")])
def test_the_breadcrumb_is_named_in_the_users_language(client, login, locale, name):
    org = gen_org("Nord")
    user = gen_user(org, role="leader", locale=locale)
    intervention = gen_intervention(org, name="Familiekonsulent")
    instrument = shared_instrument()
    round_ = gen_round(intervention, instrument)
    db.session.commit()
    login(user, org)
    pages = [f"/indsatser/{intervention.id}{path}".format(round=round_.id) for path in PAGES]
    # Besides: the progress of all interventions, a self-assessment questionnaire.
    pages += ["/fremdrift", f"/selvevaluering/instrumenter/{instrument.id}"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        tags = _breadcrumbs(response.get_data(as_text=True))
        assert len(tags) == 1, page
        assert 'class="breadcrumb no-print"' in tags[0], page
        assert f'aria-label="{name}"' in tags[0], page
