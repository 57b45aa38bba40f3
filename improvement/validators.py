"""The one shared guard against CPR numbers, used by every form and by the database session.

A Danish CPR number is DDMMYY-SSSS (with or without the dash). Cases concern vulnerable
children, so anything shaped like one is refused everywhere text enters the system.
"""

import re
import unicodedata

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text, event
from sqlalchemy.orm import Session
from wtforms import ValidationError, validators

from .formatting import format_number

# Day 01-31, month 01-12, two-digit year, up to three dashes or spaces, four digits; not
# part of a longer number (so phone numbers with country codes and long ids pass). The
# dashes include those Word and Outlook put in (en and em dash, non-breaking hyphen, minus).
CPR_PATTERN = re.compile(
    r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\s\u2010-\u2015\u2212]{0,3}\d{4}(?!\d)"
)

CPR_MESSAGE = _l(
    "This looks like a CPR number. Never enter CPR numbers: citizens are known here only by "
    "their case's pseudonymous code."
)


def normalised(text: str) -> str:
    """The text as the pattern must see it: full-width digits and dashes made plain (NFKC),
    and invisible characters (soft hyphens, zero-width spaces) taken out, so that none of
    them can hide a CPR number."""
    plain = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in plain if unicodedata.category(ch) != "Cf")


# A CPR number split up differently (0102-03-1234, 01 02 03 12 34, 01.02.03-12.34): runs of
# digit groups joined by up to three separators, in which whole groups make ten digits that
# start with a date (DDMMYY). A date with its full year and the hour after it
# (12.03.2027 14:30) is ten digits too; its four-digit year where a CPR number has its
# serial number gives it away. Codes like SP-2025-014 and phone numbers are not ten digits
# starting with a date.
_GROUP_RUN = re.compile(r"\d+(?:[-\s./\u2010-\u2015\u2212]{1,3}\d+)*")
_DATE_DIGITS = re.compile(r"(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}")


def _full_year_date(groups: list[str]) -> bool:
    """dd.mm.yyyy at the start of the groups: a date written with its year in full."""
    return (
        len(groups) > 2
        and len(groups[2]) == 4
        and groups[2][:2] in ("19", "20")
        and (len(groups[0]) + len(groups[1]) == 4)
    )


def _split_cpr(plain: str) -> bool:
    for run in _GROUP_RUN.finditer(plain):
        groups = re.findall(r"\d+", run.group())
        for start in range(len(groups)):
            length, end = 0, start
            while end < len(groups) and length < 10:
                length += len(groups[end])
                end += 1
            window = groups[start:end]
            if (
                length == 10
                and _DATE_DIGITS.fullmatch("".join(window)[:6])
                and not _full_year_date(window)
            ):
                return True
    return False


def contains_cpr(text: str | None) -> bool:
    if not text:
        return False
    plain = normalised(text)
    return bool(CPR_PATTERN.search(plain)) or _split_cpr(plain)


def masked(text: str, mask: str) -> str:
    """The text with each CPR number replaced by `mask`; a CPR number split up so that
    no part of the text alone is one masks the whole text."""
    plain = CPR_PATTERN.sub(mask, normalised(text.strip()))
    return mask if contains_cpr(plain) else plain


def no_cpr(_form, field) -> None:
    """WTForms validator; BaseForm applies it to every text field automatically."""
    if isinstance(field.data, str) and contains_cpr(field.data):
        raise ValidationError(CPR_MESSAGE)


class Length(validators.Length):
    """WTForms' Length, with its limit written as the user's language writes numbers: "højst
    2.000 tegn", as the count under a long text says it, not "2000". BaseForm puts it in
    place of each WTForms Length, so no form has to remember. A limit with both ends, or
    with a message of its own, is WTForms' as it is."""

    def __call__(self, form, field):
        if self.message is not None or (self.min != -1 and self.max != -1):
            super().__call__(form, field)
            return
        length = len(field.data) if field.data else 0
        if self.max != -1 and length > self.max:
            raise ValidationError(
                _("Field cannot be longer than %(max)s characters.", max=format_number(self.max))
            )
        if length < self.min:
            raise ValidationError(
                _("Field must be at least %(min)s characters long.", min=format_number(self.min))
            )


class CprRefused(ValueError):
    """Raised when CPR-shaped text reaches the database by a path that skipped the forms."""


@event.listens_for(Session, "before_flush")
def _refuse_cpr(session: Session, _ctx, _instances) -> None:
    # Last line of defence for imports, CLI commands and future code paths. Columns that
    # hold machine strings (password hashes) are marked info={"not_text": True}.
    for obj in list(session.new) + list(session.dirty):
        for column in obj.__table__.columns:
            if isinstance(column.type, String | Text) and not column.info.get("not_text"):
                value = getattr(obj, column.key, None)
                if isinstance(value, str) and contains_cpr(value):
                    raise CprRefused(f"{type(obj).__name__}.{column.key}")
