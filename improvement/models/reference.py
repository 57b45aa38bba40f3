"""Reference data shared by all organisations: the 11 elements of promising practice."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

TRACKS = {"intervention": _l("Intervention track"), "organisation": _l("Organisational track")}


class PracticeElement(db.Model):
    """One of the 11 elements of promising practice (Socialstyrelsen / SFI 2016)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(100))
    track: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")

    @property
    def track_label(self) -> str:
        return str(TRACKS.get(self.track, self.track))
