"""When two names are the same name.

Core elements, phases and problem categories must be named unlike the others of their kind,
and the Excel import finds phases and core elements by the name typed in a cell: both use
this one rule, so a name the forms let through is a name the import can tell apart.
"""


def name_key(name) -> str:
    """Case and whitespace do not count (casefold, so Æ matches æ): a browser shows
    "Tværfagligt   makkerpar" with one space, so it would look like the same name."""
    return " ".join(("" if name is None else str(name)).split()).casefold()
