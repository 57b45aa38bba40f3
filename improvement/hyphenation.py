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
# Shorter words fit a board column at presentation size (see static/app.css).
_LONG_WORD = re.compile(r"\w{12,}")
# What the teams type is Danish, whichever language a user reads the interface in.
_DANISH = pyphen.Pyphen(lang="da")


def hyphenate(text: str | None) -> str | None:
    """Plain `text` with soft hyphens at the syllable breaks of its long words. Markup is
    returned as it is: its tags are not words."""
    if not text or isinstance(text, Markup):
        return text
    return _hyphenated(text)


# A board shows the same titles render after render: remembered whole, a title costs one
# lookup instead of a scan for long words.
@lru_cache(maxsize=8192)
def _hyphenated(text: str) -> str:
    return _LONG_WORD.sub(lambda match: _DANISH.inserted(match.group(), SOFT_HYPHEN), text)


def init_app(app: Flask) -> None:
    app.add_template_filter(hyphenate, "hyphenate")
