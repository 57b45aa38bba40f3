"""The breadcrumb is named in the page's language, so it no longer carries the name Pico
styles (`nav[aria-label=breadcrumb]`); app.css gives the class Pico's rules. Beside a copy
that Pico's selector matches as well, every crumb, link and ">" looks the same."""

import pytest

from improvement.extensions import db
from tests.browser.steps import login
from tests.helpers import gen_intervention, gen_org, gen_user

pytestmark = pytest.mark.browser

PROPERTIES = [
    "display", "position", "align-items", "justify-content", "flex-wrap", "width",
    "max-width", "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding-top", "padding-right", "padding-bottom", "padding-left", "color",
    "background-color", "font-size", "font-weight", "text-decoration-line", "text-align",
    "white-space", "text-overflow", "overflow-x", "pointer-events", "content",
]  # fmt: skip

# Each element of the breadcrumb and of a copy of it also named as Pico names it: the
# computed styles of every element (and of each li's ::after, the ">") that differ.
DIFFERENCES = """(properties) => {
  const nav = document.querySelector('nav.breadcrumb');
  const copy = nav.cloneNode(true);
  copy.removeAttribute('id');
  copy.setAttribute('aria-label', 'breadcrumb');
  nav.after(copy);
  const mine = [nav, ...nav.querySelectorAll('*')];
  const pico = [copy, ...copy.querySelectorAll('*')];
  const differences = [];
  mine.forEach((el, i) => {
    for (const pseudo of [null, '::after']) {
      const a = getComputedStyle(el, pseudo), b = getComputedStyle(pico[i], pseudo);
      for (const p of properties) {
        if (a.getPropertyValue(p) !== b.getPropertyValue(p)) {
          differences.push(`${el.tagName}${pseudo || ''} ${p}: ${a.getPropertyValue(p)}`
            + ` != ${b.getPropertyValue(p)}`);
        }
      }
    }
  });
  const boxes = [nav, copy].map((n) => [...n.querySelectorAll('li')].map((li) => {
    const r = li.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)]; }));
  const divider = getComputedStyle(nav.querySelector('li'), '::after').content;
  return {differences, boxes, divider};
}"""


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_breadcrumb_looks_as_pico_draws_it(browser_page, live_server, size):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, live_server)
    for path in ("forandringsteori", "tavle"):
        page.goto(f"{live_server}/indsatser/{intervention.id}/{path}")
        crumb = page.get_by_role("navigation", name="Brødkrumme")
        assert crumb.count() == 1 and crumb.get_by_role("link").count() >= 1
        found = page.evaluate(DIFFERENCES, PROPERTIES)
        assert found["differences"] == [], path
        assert found["boxes"][0] == found["boxes"][1], path
        assert found["divider"] == '">"', path
