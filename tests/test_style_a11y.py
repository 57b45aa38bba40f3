"""The app's accent on every primary variable of Pico's light theme, and a problem category's
Archive and Reopen as one control across the row's swap (so focus can stay on it)."""

import re
from pathlib import Path

from improvement.cases import service
from improvement.extensions import db
from tests.helpers import gen_org, gen_user

HX = {"HX-Request": "true"}
STATIC = Path(__file__).resolve().parent.parent / "static"
LIGHT_THEME = ':root:not([data-theme="dark"])'


def _rule_blocks(css: str, selector: str) -> str:
    """The declarations of every rule whose selector is exactly `selector`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return " ".join(
        body for head, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css) if head.strip() == selector
    )


def test_every_primary_colour_of_picos_light_theme_is_the_apps(client):
    pico = (STATIC / "vendor/pico-2.1.1/pico.min.css").read_text(encoding="utf-8")
    light = _rule_blocks(
        pico, ":host(:not([data-theme=dark])),:root:not([data-theme=dark]),[data-theme=light]"
    )
    picos = set(re.findall(r"(--pico-primary[\w-]*):", light))
    assert {"--pico-primary", "--pico-primary-background", "--pico-primary-hover"} <= picos

    # As the browser gets it: a rule as specific as Pico's, after it.
    response = client.get("/static/app.css")
    css = response.get_data(as_text=True)
    response.close()
    ours = dict(re.findall(r"(--pico-primary[\w-]*):\s*([^;]+);", _rule_blocks(css, LIGHT_THEME)))
    assert picos <= set(ours), picos - set(ours)
    assert ours["--pico-primary-background"] == "var(--app-accent)"
    assert ours["--pico-primary-inverse"] == "#fff"


def _categories_world(login):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader")
    service.ensure_categories(org.id)
    db.session.commit()
    login(leader, org)
    return service.categories_of(org.id)[0]


def _toggle(html: str, category_id: int) -> tuple[str, str]:
    """The row's archive button, by its id: (its aria-label, its text)."""
    button = rf'<button id="category-archive-{category_id}"[^>]*'
    match = re.search(button + r'aria-label="([^"]*)"[^>]*>([^<]*)</button>', html)
    assert match, f"no button with the id category-archive-{category_id}"
    return match.group(1), match.group(2)


def test_archive_and_reopen_are_one_control_across_the_rows_swap(client, login):
    category = _categories_world(login)
    page = client.get("/problemkategorier").get_data(as_text=True)
    assert _toggle(page, category.id) == (f"Arkivér {category.name}", "Arkivér")

    archived = client.post(f"/problemkategorier/{category.id}/arkiver", headers=HX)
    assert archived.status_code == 200
    assert _toggle(archived.get_data(as_text=True), category.id) == (
        f"Genåbn {category.name}",
        "Genåbn",
    )
    reopened = client.post(f"/problemkategorier/{category.id}/arkiver", headers=HX)
    assert _toggle(reopened.get_data(as_text=True), category.id) == (
        f"Arkivér {category.name}",
        "Arkivér",
    )
