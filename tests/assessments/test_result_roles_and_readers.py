"""A closed round's result as a QA walk through a quarterly round found it: the role
columns hide a role of one whether or not that person scored the element, and are left
out (said once, under the table) when none of their cells can be shown; the count's
"(+1 ved ikke)" keeps its title attribute whole; a reader is not offered a development
point they cannot create."""

from html.parser import HTMLParser

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.helpers import gen_member, gen_user

EVERY = range(1, 12)
ROLE_HEADS = ("Ledere", "Medarbejdere", "Myndighed", "Andre")
NOT_SHOWN = "Gennemsnittet pr. rolle vises ikke"


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


class _Table(HTMLParser):
    """The result table's column heads, and per element row (by its number) the text and
    the markup of each cell."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.heads: list[str] = []
        self.rows: dict[int, list[tuple[str, str]]] = {}
        self._in_table = False
        self._cells: list[tuple[str, str]] | None = None
        self._cell: list[str] | None = None
        self._markup: list[str] = []
        self._head = False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "table" and "result-table" in classes:
            self._in_table = True
        if not self._in_table:
            return
        if tag == "tr":
            self._cells = []
        elif tag in ("td", "th"):
            self._cell, self._markup = [], []
            self._head = tag == "th" and dict(attrs).get("scope") == "col"
        elif self._cell is not None:
            self._markup.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        if not self._in_table:
            return
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._head:
                self.heads.append(text)
            else:
                self._cells.append((text, "".join(self._markup).strip()))
            self._cell = None
        elif tag == "tr" and self._cells:
            number = self._cells[0][0].split(".")[0]
            if number.isdigit():
                self.rows[int(number)] = self._cells[1:]
            self._cells = None
        elif self._cell is not None:
            self._markup.append(f"</{tag}>")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
            self._markup.append(data.strip())


def table(body: str) -> _Table:
    parsed = _Table()
    parsed.feed(body)
    return parsed


def role_cells(parsed: _Table, role: str) -> dict[int, tuple[str, str]]:
    """Each element's cell under a role's column (after score, range, agreement and n)."""
    column = 4 + ROLE_HEADS.index(role)
    return {n: cells[column] for n, cells in parsed.rows.items()}


def _other_user(org, intervention):
    user = gen_user(org, role="practitioner", name="Pia Partner")
    gen_member(intervention, user, "other")
    return user


def test_a_role_of_one_reads_too_few_also_where_that_person_gave_no_score(client, login):
    """Lise, the one leader, knows nothing about element 1 ("ved ikke" throughout) and
    scores the rest; two practitioners score everything but element 3, where both say
    "ved ikke"; Mads, the one caseworker, answers element 2 only. Under the leaders "–"
    beside element 1 would say Lise answered "ved ikke" there: every leader cell reads the
    same "too few"."""
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Kvartal 4", status="closed")
    answer_all(
        gen_respondent(round_, users["leader"], "leader"),
        instrument,
        {1: "dont_know", **{n: "high" for n in range(2, 12)}},
    )
    for key in ("p1", "p2"):
        answer_all(
            gen_respondent(round_, users[key], "practitioner"),
            instrument,
            {3: "dont_know", **{n: "some" for n in EVERY if n != 3}},
        )
    answer_all(gen_respondent(round_, users["caseworker"], "authority"), instrument, {2: "little"})
    db.session.commit()
    login(users["leader"], org)
    for url in (f"{base(intervention)}/{round_.id}", f"{base(intervention)}/{round_.id}/udskriv"):
        parsed = table(client.get(url).get_data(as_text=True))
        too_few = "for få" if url.endswith("udskriv") else "for få til at vise"
        leaders = role_cells(parsed, "Ledere")
        assert {text for text, _ in leaders.values()} == {too_few}, url
        # Not told apart by their markup either: the cell beside "ved ikke" is the others'.
        assert len({markup for _, markup in leaders.values()}) == 1, url
        # Mads answered element 2 only: his cells beside the other ten are as that one.
        assert {text for text, _ in role_cells(parsed, "Myndighed").values()} == {too_few}, url
        # Two practitioners who both said "ved ikke" reveal no one: "–" stays.
        practitioners = role_cells(parsed, "Medarbejdere")
        assert practitioners[3][0] == "–" and practitioners[1][0] == "67,0 (n=2)", url
        # Nobody answered as "other": nothing to hide.
        assert {text for text, _ in role_cells(parsed, "Andre").values()} == {"–"}, url


def test_one_person_per_role_leaves_the_role_columns_out_and_says_why(client, login):
    """A leader, a practitioner, a caseworker and a partner: each of the 44 role cells would
    read "too few to show". The columns are left out; a note under the table says why."""
    org, intervention, instrument, users, _ = setup_team()
    users["other"] = _other_user(org, intervention)
    round_ = gen_round(intervention, instrument, "Kvartal 4", status="closed")
    for key, role, value in (
        ("leader", "leader", "high"),
        ("p1", "practitioner", "some"),
        ("caseworker", "authority", "little"),
        ("other", "other", "some"),
    ):
        answer_all(
            gen_respondent(round_, users[key], role), instrument, dict.fromkeys(EVERY, value)
        )
    db.session.commit()
    login(users["leader"], org)
    for url in (f"{base(intervention)}/{round_.id}", f"{base(intervention)}/{round_.id}/udskriv"):
        body = client.get(url).get_data(as_text=True)
        parsed = table(body)
        assert parsed.heads == ["Element", "Score", "Min–maks", "Enighed", "n"], url
        assert all(len(cells) == 4 for cells in parsed.rows.values()), url
        assert 'colspan="5"' in body, url  # the track rows span the five columns left
        assert body.count(NOT_SHOWN) == 1, url
        assert "mindst 2 respondenter med en score i rollen" in body, url
        assert "skjult" not in body, url  # nor the note on hidden roles


def test_the_role_columns_stay_when_one_cell_has_a_mean(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Kvartal 4", status="closed")
    for key in ("p1", "p2"):
        answer_all(gen_respondent(round_, users[key], "practitioner"), instrument, {1: "some"})
    db.session.commit()
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert table(body).heads[5:] == list(ROLE_HEADS)
    assert NOT_SHOWN not in body


def test_a_round_nobody_scored_has_no_note_on_roles(client, login):
    """With no score anywhere, the page says so beside the weakest elements; a note on why
    the roles' means are not shown would be beside the point."""
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Kvartal 4", status="closed")
    answer_all(gen_respondent(round_, users["p1"], "practitioner"), instrument, {1: "dont_know"})
    db.session.commit()
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert "ingen har svaret andet end" in body
    assert NOT_SHOWN not in body


def test_the_dont_know_count_keeps_its_title_whole(client, login):
    """The title "svarede kun “ved ikke”" was cut at its first quote; on paper the count's
    "(+1 ved ikke)" took three lines of its narrow column."""
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Kvartal 4", status="closed")
    answer_all(gen_respondent(round_, users["p1"], "practitioner"), instrument, {1: "high"})
    answer_all(gen_respondent(round_, users["p2"], "practitioner"), instrument, {1: "some"})
    answer_all(gen_respondent(round_, users["leader"], "leader"), instrument, {1: "dont_know"})
    db.session.commit()
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert 'title="svarede kun “ved ikke”">(+1 ved ikke)</small>' in body
    assert 'ved=""' not in body
    # On paper the narrow column has "(+1)", and a note under the table says what it is.
    body = client.get(f"{base(intervention)}/{round_.id}/udskriv").get_data(as_text=True)
    assert 'title="svarede kun “ved ikke”">(+1)</small>' in body
    assert "n (+1): antal respondenter med en score og i parentes dem" in body


def _weak_round(org, intervention, instrument, users):
    round_ = gen_round(intervention, instrument, "Kvartal 4", status="closed")
    for key, value in (("p1", "little"), ("p2", "some")):
        answer_all(
            gen_respondent(round_, users[key], "practitioner"),
            instrument,
            dict.fromkeys(EVERY, value),
        )
    db.session.commit()
    return round_


def test_a_reader_is_led_to_the_element_not_to_a_form_they_do_not_have(client, login):
    org, intervention, instrument, users, _ = setup_team()
    evaluator = gen_user(org, role="evaluator", name="Erik Evaluator")
    round_ = _weak_round(org, intervention, instrument, users)
    login(evaluator, org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert "Svageste elementer" in body
    assert "Opret et udviklingspunkt" not in body
    assert "#new-point" not in body
    element = f'href="{base(intervention)}/elementer/1">1. '
    assert element in body.split('class="weakest"')[1].split("</ol>")[0]


def test_a_writer_is_still_offered_a_development_point(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = _weak_round(org, intervention, instrument, users)
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert body.count("Opret et udviklingspunkt") == 3
    assert f'{base(intervention)}/elementer/1#new-point"' in body
