"""Soft hyphens in long words: board cards break Danish compounds at syllables."""

from markupsafe import Markup

from improvement.extensions import db
from improvement.hyphenation import SOFT_HYPHEN, hyphenate
from tests.helpers import gen_intervention, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point


def test_long_words_get_soft_hyphens_and_read_the_same() -> None:
    text = "Fælles gennemgang af progressionsmålingen"
    result = hyphenate(text)
    # The break the presentation board needs at 1366 pixels ("progres-" / "sionsmålingen").
    assert f"res{SOFT_HYPHEN}sions" in result
    assert f"må{SOFT_HYPHEN}lin{SOFT_HYPHEN}gen" in result
    # Words under 12 letters are left whole; without the soft hyphens it is the same text.
    assert result.startswith("Fælles gennemgang af ")
    assert result.replace(SOFT_HYPHEN, "") == text


def test_markup_is_left_alone() -> None:
    markup = Markup("<strong>progressionsmålingen</strong>")
    assert hyphenate(markup) is markup


def test_nothing_to_hyphenate() -> None:
    assert hyphenate(None) is None
    assert hyphenate("") == ""
    assert hyphenate("Kort titel") == "Kort titel"


def test_board_cards_carry_the_soft_hyphens(app, client, login) -> None:
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org)
    point = gen_point(intervention, title="Forældresamarbejdet")
    gen_cycle(point, owner=leader, title="Fælles gennemgang af progressionsmålingen")
    db.session.commit()
    login(leader, org)
    html = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert f"res{SOFT_HYPHEN}sions" in html
    # The development point under the title too.
    point = f'<p class="card-point">{hyphenate("Forældresamarbejdet")}</p>'
    assert point in html
    assert SOFT_HYPHEN in hyphenate("Forældresamarbejdet")
    # The titles are Danish whatever language the user reads the interface in: English
    # rules would break "Forældres-amarbejdet".
    client.post("/profil", data={"locale": "en"})
    html = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert '<html lang="en"' in html  # the interface is English
    assert point in html


def test_a_test_page_heading_breaks_a_long_title_at_syllables(app, client, login) -> None:
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org)
    point = gen_point(intervention, title="Forældresamarbejdet")
    cycle = gen_cycle(point, owner=leader, title="Fælles gennemgang af progressionsmålingen")
    db.session.commit()
    login(leader, org)
    heading = f"<h1>{hyphenate(cycle.title)}</h1>"
    base = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"
    assert heading in client.get(base).get_data(as_text=True)
    worksheet = client.get(f"{base}/rediger").get_data(as_text=True)
    assert f"{hyphenate(cycle.title)}</h1>" in worksheet


def test_a_wider_column_asks_only_its_longest_words_to_break():
    name = "Tidlig tilstedeværelse og familiebehandlingskoordinering"
    hyphenated = hyphenate(name, 21)
    assert hyphenated.startswith("Tidlig tilstedeværelse og ")  # 15 letters: left whole
    assert SOFT_HYPHEN in hyphenated.split()[-1]
    assert hyphenated.replace(SOFT_HYPHEN, "") == name


def test_a_compound_with_team_breaks_before_the_loan_word() -> None:
    """The dictionary read "kvalitetsteamet" as Danish syllables: "kva-li-tet-stea-met"."""
    broken = hyphenate("Kvalitetsteamet drøfter kvalitetsteammødet").split(" ")
    shy = SOFT_HYPHEN
    assert broken[0] == f"Kva{shy}li{shy}tets{shy}teamet"
    assert broken[2] == f"kva{shy}li{shy}tets{shy}team{shy}mø{shy}det"
    # An inflection stays with the loan; a short word with "steam" in it is left to the
    # dictionary.
    assert hyphenate("Kvalitetsteamenes", 12) == f"Kva{shy}li{shy}tets{shy}teamenes"
    assert "team" not in hyphenate("Steamerkaptajnens").replace(shy, "-").split("-")
