"""Organisations (kommuner, tilbud), user accounts and their memberships with roles."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import Timestamped

ORG_KINDS = {"kommune": _l("Municipality"), "tilbud": _l("Provider")}
ORG_KINDS_KEYS = list(ORG_KINDS)

# Roles a user holds in an organisation. Evaluators read everything and change nothing.
ROLES = {
    "admin": _l("Administrator"),
    "leader": _l("Leader"),
    "practitioner": _l("Practitioner"),
    "authority": _l("Authority caseworker"),
    "partner": _l("Partner"),
    "evaluator": _l("Evaluator (read only)"),
}
READ_ONLY_ROLES = frozenset({"evaluator"})


class Organization(Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="kommune")
    # Raised by every committed write to the organisation's data (models/data_version.py);
    # pages carry it in their ETag, so a browser's repeat view is answered with 304.
    data_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    memberships: Mapped[list["Membership"]] = relationship(back_populates="organization")

    @property
    def kind_label(self) -> str:
        return str(ORG_KINDS.get(self.kind, self.kind))


class User(UserMixin, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256), info={"not_text": True})
    locale: Mapped[str] = mapped_column(String(5), default="da")
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the id every session carries (get_id): raising it ends all of the user's
    # sessions, copied cookies included, since the session cookie is kept by the browser.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        """A new password ends every session opened with the old one."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        self.session_epoch = (self.session_epoch or 0) + 1

    def get_id(self) -> str:
        return f"{self.id}.{self.session_epoch or 0}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active


class Membership(Timestamped, db.Model):
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))


class LoginThrottle(db.Model):
    """Failed logins per e-mail address, known or not, so throttling reveals no accounts."""

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
