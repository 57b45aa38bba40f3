"""Soft hyphens in long words, so narrow columns break Danish compounds at a syllable
rather than at any letter.

Danish makes long compound words, and the board in presentation mode sets card titles in
large type in five columns: at 1366 pixels a word like "progressionsmålingen" is wider
than its column. CSS `hyphens: auto` would do this, but Chromium fetches its hyphenation
dictionaries over the network, and the app must work offline; Pyphen carries the
(LibreOffice) dictionaries itself. Only words long enough to overflow a column get soft
hyphens (U+00AD): invisible unless the browser breaks the line there, and ignored by
search in the page and by copying in the major browsers. The break points are the
dictionary's ("progres-sionsmålingen", also the odd "prog-ressionsmålingen").
"""

import re
from functools import lru_cache

import pyphen
from flask import Flask
from markupsafe import Markup

SOFT_HYPHEN = "\u00ad"
# Shorter words fit a board column at presentation size (see static/app.css); a table's
# name column, wider, asks for longer ones only (`hyphenate(21)`).
BOARD_WORD = 12
# What the teams type is Danish, whichever language a user reads the interface in.
_DANISH = pyphen.Pyphen(lang="da")


def hyphenate(text: str | None, min_letters: int = BOARD_WORD) -> str | None:
    """Plain `text` with soft hyphens at the syllable breaks of its words of `min_letters`
    letters or more. Markup is returned as it is: its tags are not words."""
    if not text or isinstance(text, Markup):
        return text
    return _hyphenated(text, min_letters)


# A board shows the same titles render after render: remembered whole, a title costs one
# lookup instead of a scan for long words.
@lru_cache(maxsize=8192)
def _hyphenated(text: str, min_letters: int) -> str:
    long_word = _long_word(min_letters)
    return long_word.sub(lambda match: _inserted(match.group()), text)


# English loans the dictionary reads as Danish syllables inside a compound: "kvalitetsteamet"
# came out as "kva-li-tet-stea-met". Such a word breaks before the loan and keeps the loan
# whole with its inflection ("-et", "-enes"); a word after it ("-møde") breaks as usual.
_LOAN = re.compile(r"(?<=\w{3})team", re.IGNORECASE)
_INFLECTIONS = frozenset({"s", "et", "ets", "ene", "enes"})


def _inserted(word: str) -> str:
    loan = _LOAN.search(word)
    if loan is None:
        return _DANISH.inserted(word, SOFT_HYPHEN)
    head, name, rest = word[: loan.start()], loan.group(), word[loan.end() :]
    parts = [_DANISH.inserted(head, SOFT_HYPHEN)]
    if not rest or rest.lower() in _INFLECTIONS:
        parts.append(name + rest)
    else:
        parts += [name, _inserted(rest)]
    return SOFT_HYPHEN.join(parts)


@lru_cache(maxsize=8)
def _long_word(min_letters: int) -> re.Pattern:
    return re.compile(rf"\w{{{min_letters},}}")


def init_app(app: Flask) -> None:
    app.add_template_filter(hyphenate, "hyphenate")
