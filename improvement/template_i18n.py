"""Translated strings in templates, with the catalogue looked up once per page.

Flask-Babel's Jinja callables find the request's locale and catalogue anew for every
string: about 30 µs each on the bench host, and a list page has over a hundred strings.
Here a context processor puts the catalogue and the locale into each render's context
once, and the callables (and the date and number filters) read them from there. Jinja
still wraps the callables (`install_gettext_callables`, newstyle), so escaping and
`%(name)s` formatting are unchanged. A context without the catalogue (a macro module
imported without context, a template rendered outside `render_template`) asks
Flask-Babel as before.
"""

from flask import Flask
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context

CATALOGUE = "_catalogue"
LOCALE = "_locale_id"


def _catalogue(context: Context):
    catalogue = context.get(CATALOGUE)
    return get_translations() if catalogue is None else catalogue


@pass_context
def _gettext(context: Context, string: str) -> str:
    return _catalogue(context).ugettext(string)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _catalogue(context).ungettext(singular, plural, n)


@pass_context
def _pgettext(context: Context, msgctxt: str, string: str) -> str:
    return _catalogue(context).upgettext(msgctxt, string)


@pass_context
def _npgettext(context: Context, msgctxt: str, singular: str, plural: str, n: int) -> str:
    return _catalogue(context).unpgettext(msgctxt, singular, plural, n)


def _page_i18n() -> dict:
    locale = get_locale()  # None without an app context: the filters then ask per value
    return {CATALOGUE: get_translations(), LOCALE: str(locale) if locale else None}


def init_app(app: Flask) -> None:
    """Call after Flask-Babel's init_app, whose callables these replace."""
    app.context_processor(_page_i18n)
    app.jinja_env.install_gettext_callables(
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
        newstyle=True,
    )
