"""Soft hyphens in long words, so narrow columns break Danish compounds where a reader
expects it ("progressions-målingen"), not at any letter.

Danish makes long compound words, and the board in presentation mode sets card titles in
large type in five columns: at 1366 pixels a word like "progressionsmålingen" is wider
than its column. CSS `hyphens: auto` would do this, but Chromium fetches its hyphenation
dictionaries over the network, and the app must work offline; Pyphen carries the same
(LibreOffice) dictionaries. Only words long enough to overflow a column get soft hyphens
(U+00AD): invisible unless the browser breaks the line there, and ignored by search
in the page and by copying in the major browsers.
"""

import re
from functools import lru_cache

import pyphen
from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context

from .template_i18n import LOCALE

SOFT_HYPHEN = "\u00ad"
# Shorter words fit a board column at presentation size (see static/app.css).
_LONG_WORD = re.compile(r"\w{12,}")


@lru_cache(maxsize=4)
def _dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=language)


def hyphenate(text: str | None, language: str = "da") -> str | None:
    """`text` with soft hyphens at the syllable breaks of its long words."""
    if not text:
        return text
    return _hyphenated(text, language)


# A board shows the same titles render after render: remembered whole, a title costs one
# lookup instead of a scan for long words.
@lru_cache(maxsize=8192)
def _hyphenated(text: str, language: str) -> str:
    dictionary = _dictionary(language)
    return _LONG_WORD.sub(lambda match: dictionary.inserted(match.group(), SOFT_HYPHEN), text)


@pass_context
def _hyphenate_filter(context: Context, text: str | None) -> str | None:
    # The page's language: an English user's titles are broken by English rules.
    locale = context.get(LOCALE) or "da"
    return hyphenate(text, locale.split("_")[0])


def init_app(app: Flask) -> None:
    app.add_template_filter(_hyphenate_filter, "hyphenate")
