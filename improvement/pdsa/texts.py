"""The board's repeated texts, translated once per request instead of once per card.

A board shows a hundred cards and dozens of open action items. Each gettext call looks up
the request's locale and catalogue through Flask-Babel, and with about ten texts per card
those lookups cost more than the rest of the board. The templates take these strings and
patterns from one BoardTexts made by the view, so a card only fills in its own values.
"""

from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from ..formatting import format_day
from ..models import ACTION_STATUSES, PDSA_PHASES


class BoardTexts:
    def __init__(self):
        self.phases = {key: str(label) for key, label in PDSA_PHASES.items()}
        self.statuses = {key: str(label) for key, label in ACTION_STATUSES.items()}
        self.no_owner = _("No owner")
        self.nobody_yet = _("Nobody yet")
        self.overdue = _("Overdue")
        self.stuck = _("No movement for 14 days")
        self.abandoned = _("Abandoned – see the learning")
        # Flask-Babel returns a pattern unformatted when given no values.
        self._due = _("Due %(date)s")
        self._move_back = _("Move %(title)s back to %(phase)s")
        self._move_to = _("Move %(title)s to %(phase)s")
        self._status_of = _("Status of %(what)s")
        locale = get_locale()
        self._locale = str(locale) if locale else None  # asked once, not for every card

    def due(self, day: date) -> str:
        # The date as the |date filter writes it (which remembers formatted dates).
        return self._due % {"date": format_day(day, locale=self._locale)}

    def move_back(self, title: str, phase: str) -> str:
        return self._move_back % {"title": title, "phase": self.phases[phase]}

    def move_to(self, title: str, phase: str) -> str:
        return self._move_to % {"title": title, "phase": self.phases[phase]}

    def status_of(self, what: str) -> str:
        return self._status_of % {"what": what}
