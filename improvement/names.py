"""When two names are the same name.

Core elements, phases and problem categories must be named unlike the others of their kind,
and the Excel import finds phases and core elements by the name typed in a cell: both use
this one rule, so a name the forms let through is a name the import can tell apart.
"""

import unicodedata


def name_key(name) -> str:
    """Case and whitespace do not count (casefold, so Æ matches æ): a browser shows
    "Tværfagligt   makkerpar" with one space, so it would look like the same name. Nor does
    how a letter is encoded: å typed and å pasted as a + ring (NFD) look the same."""
    text = unicodedata.normalize("NFC", "" if name is None else str(name))
    return " ".join(text.split()).casefold()


# Danish alphabetical order puts æ, ø, å after z (and ä, ö, ü with æ, ø, y). Mapped to the
# three characters after "z", they sort there; other accents are dropped (é as e).
_DANISH_LAST = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"})


def sort_key(name) -> tuple[str, str]:
    """Danish alphabetical order, case and extra spaces aside: a–z, then æ, ø, å.

    Sort in Python (`sorted(rows, key=lambda r: sort_key(r.name))`): the same order on
    SQLite and PostgreSQL, whatever collation the database has. Names equal under name_key
    keep a fixed order by their exact text."""
    key = name_key(name).translate(_DANISH_LAST)
    # NFD splits é into e + accent; æ, ø, å are already mapped, so they are not split.
    plain = "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))
    return plain, "" if name is None else str(name)
