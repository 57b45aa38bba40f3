"""The numbers behind a pager (improvement.paging.Page), worked out by hand."""

import pytest

from improvement.paging import Page


@pytest.mark.parametrize(
    ("number", "total", "expected"),
    [
        (1, 0, (1, 1, 0, 0, 0)),  # an empty list is one empty page
        (1, 50, (1, 1, 0, 1, 50)),
        (2, 51, (2, 2, 50, 51, 51)),
        (7, 682, (7, 14, 300, 301, 350)),
        (99, 682, (14, 14, 650, 651, 682)),  # past the end: the last page
    ],
)
def test_page_numbers(number, total, expected):
    page = Page.of(number, 50, total)
    assert (page.number, page.count, page.offset, page.first_item, page.last_item) == expected


@pytest.mark.parametrize(
    ("number", "count", "window"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 14, [1, 2, 3, None, 14]),
        (5, 14, [1, 2, 3, 4, 5, 6, 7, None, 14]),  # a lone gap page is shown, not "…"
        (7, 14, [1, None, 5, 6, 7, 8, 9, None, 14]),
        (14, 14, [1, None, 12, 13, 14]),
    ],
)
def test_pager_window(number, count, window):
    assert Page(number, 10, count * 10).window() == window


def test_page_parameter_is_left_out_for_page_one():
    page = Page.of(3, 10, 100)
    assert page.param() == {"side": 3}
    assert page.param(1) == {}
    assert (page.has_previous, page.has_next) == (True, True)
    assert not Page.of(1, 10, 100).has_previous and not Page.of(10, 10, 100).has_next
