"""Form base classes: CSRF, Danish validation messages and the CPR guard on every text field."""

import json
import re
from collections.abc import Sequence
from datetime import date

from flask_babel import get_translations, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    StringField,
    ValidationError,
)
from wtforms import validators as wtforms_validators

from .formatting import format_day
from .history import savers
from .names import name_key
from .validators import Length, no_cpr

# WTForms ships no Danish catalogue. Its built-in messages are listed here so that Babel's
# extractor keeps them in ours, and BaseForm translates them through Flask-Babel.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid date value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        2,
    ),
    _l("Not a valid integer value."),
    _l("Invalid email address."),
    lazy_ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        2,
    ),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        2,
    ),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
)


# Characters no one types: control characters (NUL cannot even be stored in PostgreSQL text
# or written to an Excel sheet), the bidirectional overrides that make text display other
# than it reads, lone surrogates (what a YAML or JSON escape like \ud800 gives; they
# cannot be written as UTF-8, so saving them failed) and the non-characters U+FFFE and
# U+FFFF, which XML (and so an Excel sheet) cannot carry. Tabs and line breaks stay.
UNTYPED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

# No date this tool records (cases, meetings, tests, ratings) lies outside these years; one
# that does is a typing slip (1926 or 2062 for 2026) that would distort every figure.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2099, 12, 31)


def plausible_date(_form, field) -> None:
    if isinstance(field.data, date) and not EARLIEST_DATE <= field.data <= LATEST_DATE:
        raise ValidationError(_l("The date must lie between 2000 and 2099."))


# After an edit conflict: where the form can show the saved version beside the user's text,
# and where it cannot.
STALE_SHOWN = _l(
    "Someone else changed this while you were editing. Your text is kept in the form; "
    "their version is shown beside it. Save again to keep yours."
)
STALE_KEPT = _l(
    "Someone else saved this while you were editing. Your text is kept in the form, and what "
    "they saved that differs from it is listed here. Save again to replace their version with "
    "yours."
)
# The same, when every save made meanwhile was the user's own, in another window or tab:
# "someone else" would send them looking for a colleague who never touched it.
STALE_SHOWN_OWN = _l(
    "You saved changes to this in another window or tab meanwhile. Your text here is kept in "
    "the form; the version you saved there is shown beside it. Save again to keep this one."
)
STALE_KEPT_OWN = _l(
    "You saved changes to this in another window or tab meanwhile. Your text here is kept in "
    "the form, and what you saved there that differs from it is listed here. Save again to "
    "replace that version with this one."
)


def saves_since(obj, drawn_version: str | None) -> int:
    """How many times `obj` was saved since the version a page was drawn from (0 where that
    cannot be told: a version that is no number, or not an older one)."""
    try:
        return max(obj.version - int(drawn_version or ""), 0)
    except ValueError:
        return 0


def saved_only_by_self(obj, drawn_version: str | None) -> bool:
    """Whether every save of `obj` since the version a page was drawn from was the logged-in
    user's own (in another window or tab), by the audit trail: one query. False where it
    cannot be told (a row without a trail, a version that is no number, fewer recorded
    changes than versions): the message then stays with "someone else"."""
    if obj is None or not getattr(obj, "__audited__", False) or not current_user.is_authenticated:
        return False
    saves = saves_since(obj, drawn_version)
    if saves < 1:
        return False
    made_by = savers(type(obj).__name__, obj.id, saves)
    return len(made_by) == saves and all(user_id == current_user.id for user_id in made_by)


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from a {value: label} mapping or (value, label) pairs."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class _BabelTranslations:
    # The raw catalogue: WTForms formats its messages itself (e.g. %(min)d), whereas
    # Flask-Babel's gettext/ngettext would format them again and fail.
    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()

        def bind_field(self, form, unbound_field, options):
            # WTForms' Length writes its limit as "2000"; ours as the user's language does
            # ("2.000"), like the count under the field. Swapped here, so that every form's
            # `Length(max=...)` says it so without importing ours.
            field = super().bind_field(form, unbound_field, options)
            field.validators = [
                Length(v.min, v.max, v.message) if type(v) is wtforms_validators.Length else v
                for v in field.validators
            ]
            return field

        def render_field(self, field, render_kw):
            # A browser cuts text pasted past a field's maxlength without a word, so long
            # minutes lost their end and a pasted title its last words. The limit is
            # checked on saving instead (the text comes back with the message), and app.js
            # counts near it. Text areas and one-line fields alike (a TextAreaField is a
            # StringField).
            if isinstance(field, StringField) and field.flags.maxlength:
                render_kw = {
                    "maxlength": False,
                    "data-max-length": field.flags.maxlength,
                    "data-length-message": _("{count} of at most {max} characters"),
                    **render_kw,
                }
            return super().render_field(field, render_kw)

    def validate(self, extra_validators=None):
        # Every text field refuses CPR-shaped input and every date field a date outside
        # 2000-2099, without each form having to remember.
        extra = {name: list(v) for name, v in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField):
                # A missing text field is empty text, never NULL; whitespace is not content.
                # A browser sends a line break as CRLF but counts it as one character,
                # as the limit must.
                text = (field.data or "").replace("\r\n", "\n").replace("\r", "\n")
                field.data = UNTYPED.sub("", text).strip()
                extra.setdefault(name, []).append(no_cpr)
            elif isinstance(field, DateField):
                extra.setdefault(name, []).append(plausible_date)
        return super().validate(extra_validators=extra)


class EmptyForm(BaseForm):
    """A CSRF-only form for buttons that post (archive, remove, log out)."""


# Fields a form carries for itself, never saved onto the row: the version it started
# from, the CSRF token, and a MergingForm's values it was drawn with.
BOOKKEEPING = frozenset({"version", "csrf_token", "base"})


class VersionedForm(BaseForm):
    """Edit form for a Versioned row: carries the version the user started from."""

    version = HiddenField()
    theirs: list[tuple[str, str]] = []  # set by refuse_stale
    # Whether the saves made since the form was drawn were all the user's own, in another
    # window or tab: read once, when the row is first found stale (before this save adds
    # to the trail), for every message about the save made meanwhile, the views' too.
    saved_by_self: bool | None = None

    def is_stale(self, obj) -> bool:
        if str(obj.version) == (self.version.data or ""):
            return False
        if self.saved_by_self is None:
            self.saved_by_self = saved_only_by_self(obj, self.version.data)
        return True

    def refuse_stale(self, obj, theirs_shown: bool = False) -> None:
        """Say that someone else (or the user, in another window or tab) saved meanwhile,
        and let the user's next save be a deliberate overwrite: the form now carries the
        saved version, so saving again keeps the user's text instead of being refused
        forever. `theirs_shown`: the template shows the saved version beside the form
        (conflict=True); otherwise the form's errors list the fields their save changed."""
        if obj is not None:
            self.is_stale(obj)  # for a view that compared the versions itself
        if self.saved_by_self:
            message = STALE_SHOWN_OWN if theirs_shown else STALE_KEPT_OWN
        else:
            message = STALE_SHOWN if theirs_shown else STALE_KEPT
        self.form_errors.append(str(message))
        # Where the template does not show their version, the form's errors list what of
        # it the user's save would replace (macros/forms.html), so nothing is overwritten
        # unseen.
        self.theirs = self.differences(obj) if obj is not None and not theirs_shown else []
        self.version.data = str(obj.version) if obj is not None else "0"

    def loaded_values(self) -> dict | None:
        """The saved values the form was drawn with (field name → value as compared), where
        the form carries them; None where it does not."""
        return None

    def differences(self, obj) -> list[tuple[str, str]]:
        """(label, saved value as shown) for each field whose saved value is not what the
        user sent: after a conflict, what the other person's save holds that this form
        would replace. A form that carries the values it was drawn with leaves out the
        fields the saved version still has as drawn: only this user changed those, and
        listing the old value would read as if the other person had set it. Choices show
        their labels, dates their Danish form."""
        loaded = self.loaded_values() or {}
        shown = []
        for name, field in self._fields.items():
            if name in BOOKKEEPING or not hasattr(obj, name):
                continue
            saved = getattr(obj, name)
            if _blank_as_none(saved) == _blank_as_none(field.data):
                continue
            if name in loaded and _comparable(saved) == loaded[name]:
                continue
            shown.append((str(field.label.text), _as_shown(field, saved)))
        return shown

    def populate_obj(self, obj) -> None:
        # The version is the database's to bump (version_id_col), never the form's to set.
        for name, field in self._fields.items():
            if name not in BOOKKEEPING:
                field.populate_obj(obj, name)


def _comparable(value) -> str:
    """A field's value as two saves compare it: dates by day, text without the browser's
    CR before each newline and without surrounding space."""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


class MergingForm(VersionedForm):
    """A VersionedForm that merges a save made meanwhile instead of replacing it: the form
    carries the values it was drawn with (`base`), so a field only the other person changed
    keeps their value, a field only this user changed takes this user's, and only a field
    both changed is a conflict. For records two people edit at once as a matter of course
    (the meeting: its minutes in one browser, decisions added at the board in another)."""

    base = HiddenField()

    def _merged_names(self, obj) -> list[str]:
        return [name for name in self._fields if name not in BOOKKEEPING and hasattr(obj, name)]

    def remember_base(self, obj) -> None:
        """Carry `obj`'s saved values as the ones this form starts from."""
        values = {name: _comparable(getattr(obj, name)) for name in self._merged_names(obj)}
        self.base.data = json.dumps(values)

    def loaded_values(self) -> dict | None:
        try:
            base = json.loads(self.base.data or "")
        except (ValueError, RecursionError):  # not JSON; nested too deep to read ("[[[[…")
            return None
        return base if isinstance(base, dict) else None

    # The fields whose saved value the last `merge` brought in, so a view can say the save
    # took in someone else's changes (and stay silent when theirs changed nothing shown).
    taken_in: Sequence[str] = ()

    def merge(self, obj) -> list[str]:
        """Take the other person's value into each field only they changed since the form
        was drawn; return the names of the fields both changed, differently. Without a base
        (a form drawn before the base was carried) every differing field counts as both.
        A field the form was drawn without and that was not sent (an intervention reopened
        meanwhile gains its status) was not this user's to change: it takes the saved value."""
        base = self.loaded_values()
        clashes, self.taken_in = [], []
        for name in self._merged_names(obj):
            field, saved = self._fields[name], getattr(obj, name)
            mine, theirs = _comparable(field.data), _comparable(saved)
            if mine == theirs:
                continue
            if base is not None and name not in base and not field.raw_data:
                field.data, field.raw_data = saved, []
                self.taken_in.append(name)
            elif base is None or (mine != base.get(name) and theirs != base.get(name)):
                clashes.append(name)
            elif mine == base.get(name):
                field.data, field.raw_data = saved, []
                self.taken_in.append(name)
        # A field the form was drawn with and has lost (the status of an intervention
        # archived meanwhile) shows the other person's change too.
        declared = {name for name, _unbound in self._unbound_fields}
        self.taken_in += [
            name
            for name in sorted(declared - self._fields.keys())
            if base is not None
            and name in base
            and hasattr(obj, name)
            and _comparable(getattr(obj, name)) != base[name]
        ]
        return clashes


class UniqueNameForm(VersionedForm):
    """A form whose name must differ from its siblings' (archived ones included) by the rule
    of names.name_key: an intervention's among the organisation's, a core element's or a
    phase's among the intervention's (the Excel import matches those by name). The view sets
    `names_in_use` to the others' (name, archived) before validating."""

    names_in_use: list = []
    taken_message = ""
    taken_archived_message = ""

    def validate_name(self, field):
        key = name_key(field.data)
        archived = [a for name, a in self.names_in_use if name_key(name) == key]
        if not archived:
            return
        if all(archived):
            raise ValidationError(self.taken_archived_message)
        raise ValidationError(self.taken_message)


def _blank_as_none(value):
    return None if value in ("", None) else value


def _as_shown(field, value) -> str:
    if value in ("", None):
        return "–"
    if isinstance(value, date):
        return format_day(value, "long")
    for choice in getattr(field, "choices", None) or ():
        option, label = (choice.value, choice.label) if isinstance(choice, SelectChoice) else choice
        if str(option) == str(value):
            return str(label)
    return str(value)
