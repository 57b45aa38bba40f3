"""A translated string placed in an HTML attribute value keeps the attribute whole.

Jinja's newstyle gettext returns the translation as Markup, unescaped: a quote in the
message id or its Danish translation ends the attribute where it stands. `title="{{
_('answered only "ved ikke"') }}"` was sent as `title="svarede kun " ved="" ikke""=""`.
Every template is read with Jinja's own lexer; the HTML around the Jinja tags is followed
just far enough to know when a tag's quoted attribute value is open, and each string given
to _(), gettext() or ngettext() there is looked up in the compiled Danish catalogue. The
typographic quotes (“ved ikke”) the UI uses elsewhere are safe.
"""

import re
from functools import cache
from pathlib import Path

from babel.support import Translations

import improvement

ROOT = Path(improvement.__file__).parent
TEMPLATES = ROOT.parent / "templates"
TRANSLATIONS = ROOT / "translations"
GETTEXT = {"_", "gettext", "ngettext"}
TAG_OPEN = re.compile(r"</?([A-Za-z][\w:-]*)")
# Elements whose content is text up to their end tag, not markup.
RAW_TEXT = {"script", "style", "textarea", "title"}


class _Markup:
    """Where in the HTML the data read so far ends: text, a comment, a raw text
    element's content, a tag, or a quoted attribute value (then `quote` is its quote)."""

    def __init__(self):
        self.state = "text"
        self.quote = ""
        self.tag = ""

    def feed(self, data: str) -> None:
        at = 0
        while at < len(data):
            at = self._step(data, at)

    def _step(self, data: str, at: int) -> int:
        char = data[at]
        if self.state == "text":
            if data.startswith("<!--", at):
                self.state = "comment"
                return at + 4
            opened = TAG_OPEN.match(data, at)
            if opened:
                self.state, self.tag = "tag", opened.group(0)[1:].lower()
                return opened.end()
        elif self.state == "comment":
            if data.startswith("-->", at):
                self.state = "text"
                return at + 3
        elif self.state == "raw":
            end = "</" + self.tag
            if data[at : at + len(end)].lower() == end:
                self.state, self.tag = "tag", end[1:]
                return at + len(end)
        elif self.state == "tag":
            if char == ">":
                self.state = "raw" if self.tag in RAW_TEXT else "text"
            elif char == "=":
                self.state = "before value"
        elif self.state == "before value":
            if char in "\"'":
                self.state, self.quote = "value", char
            elif not char.isspace():
                self.state = "tag"  # an unquoted value
        elif self.state == "value" and char == self.quote:
            self.state = "tag"
        return at + 1


def _messages(tokens: list) -> list[tuple[str, ...]]:
    """The message ids given to the gettext calls among a Jinja tag's tokens: (msgid,) for
    _() and gettext(), (singular, plural) for ngettext()."""
    found = []
    for i, token in enumerate(tokens[:-1]):
        if token.type == "name" and token.value in GETTEXT and tokens[i + 1].type == "lparen":
            strings = []
            for following in tokens[i + 2 :]:
                if following.type == "string":
                    strings.append(following.value)
                elif following.type != "comma":
                    break
            found.append(tuple(strings[: 2 if token.value == "ngettext" else 1]))
    return found


def attribute_messages(env, source: str, name: str = "") -> list[tuple[int, str, tuple]]:
    """(line, the attribute's quote, message ids) for each translated string the template
    `source` puts in a quoted attribute value."""
    markup = _Markup()
    found = []
    tag: list = []
    for token in env.lexer.tokenize(source, name=name):
        if token.type == "data":
            markup.feed(token.value)
        elif token.type in ("variable_begin", "block_begin"):
            tag = []
        elif token.type in ("variable_end", "block_end"):
            if markup.state == "value":
                found += [(token.lineno, markup.quote, ids) for ids in _messages(tag)]
        else:
            tag.append(token)
    return found


@cache
def _danish() -> Translations:
    return Translations.load(str(TRANSLATIONS), ["da"])


def _translations(ids: tuple) -> list[str]:
    danish = _danish()
    if len(ids) == 2:
        return [danish.ungettext(*ids, n) for n in (1, 2)]
    return [danish.ugettext(ids[0])]


def test_the_scan_finds_a_quote_in_an_attribute_and_nothing_else(app):
    source = (
        '<p title="{{ _(\'say "hi"\') }}" data-x=\'{{ ngettext("a", "b", n) }}\'>'
        '{{ _("in text") }}<!-- <a title="{{ _("in a comment") }}"> -->'
        "<script>var s = \"{{ _('in a script') }}\";</script>"
        '<a href="{{ url_for(\'x\') }}" class="{% if a %}{{ _("in a block") }}{% endif %}">'
    )
    assert [(quote, ids) for _, quote, ids in attribute_messages(app.jinja_env, source)] == [
        ('"', ('say "hi"',)),
        ("'", ("a", "b")),
        ('"', ("in a block",)),
    ]


def test_no_translated_attribute_value_holds_its_own_quote(app):
    broken, seen = [], 0
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for line, quote, ids in attribute_messages(app.jinja_env, source, path.name):
            seen += 1
            texts = [*ids, *_translations(ids)]
            if any(quote in text for text in texts):
                broken.append(f"{path.relative_to(TEMPLATES)}:{line}: {ids[0]!r}")
    assert seen > 60  # the scan reaches the templates' attributes (title, aria-label, ...)
    assert broken == []
