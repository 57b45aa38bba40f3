"""Settings from the environment, with safe defaults for `make run` on a laptop."""

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/.

    Generating it keeps sessions valid across restarts without ever committing a key.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'improvement.sqlite'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load(instance_path: str) -> dict:
    path = Path(instance_path)
    return {
        "SECRET_KEY": _secret_key(path),
        "SQLALCHEMY_DATABASE_URI": _database_url(path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # A board left open on a screen for hours must not start failing with CSRF errors;
        # tokens stay bound to the session instead of expiring.
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "LANGUAGES": {"da": "Dansk", "en": "English"},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        # Login throttling: after this many failures, each further attempt waits longer.
        "LOGIN_FREE_ATTEMPTS": int(os.environ.get("LOGIN_FREE_ATTEMPTS", "5")),
        "LOGIN_MAX_DELAY_SECONDS": int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", "900")),
        # Largest Excel workbook accepted by the import (bytes).
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1000 * 1000))),
        # Most rows one import sheet may have (imports/parsing.py says why there is one).
        "IMPORT_MAX_ROWS": int(os.environ.get("IMPORT_MAX_ROWS", "50000")),
    }
