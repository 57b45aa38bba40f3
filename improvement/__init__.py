"""The tracker for quality teams maturing promising social practice (lovende praksis)."""

from pathlib import Path

from flask import Flask
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from . import (
    access,
    config,
    errors,
    formatting,
    head,
    hyphenation,
    ids,
    revalidation,
    template_i18n,
)
from .extensions import babel, csrf, db, htmx, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config.load(app.instance_path))
    app.config.update(overrides or {})

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(
        app,
        locale_selector=_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    template_i18n.init_app(app)
    _init_login(app)

    app.before_request(access.check_request)
    revalidation.init_app(app)  # after access control: a 304 is only for who may see the page
    app.context_processor(access.context)
    formatting.init_app(app)
    hyphenation.init_app(app)
    errors.init_app(app)
    ids.init_app(app)
    head.init_app(app)

    from .assessments.views import bp as assessments_bp
    from .auth.views import bp as auth_bp
    from .cases.views import bp as cases_bp
    from .description.views import bp as description_bp
    from .exports.views import bp as exports_bp
    from .imports.views import bp as imports_bp
    from .interventions.views import bp as interventions_bp
    from .organisation.views import bp as organisation_bp
    from .pdsa.views import bp as pdsa_bp

    for blueprint in (
        auth_bp,
        interventions_bp,
        organisation_bp,
        description_bp,
        pdsa_bp,
        assessments_bp,
        cases_bp,
        exports_bp,
        imports_bp,
    ):
        app.register_blueprint(blueprint)

    from . import cli

    cli.init_app(app)
    return app


# English as used in Denmark: English words, Danish dates and numbers (15/11/2026, 1.234,5),
# since the people reading them work in a Danish municipality.
BABEL_LOCALES = {"da": "da", "en": "en_DK"}


def _locale() -> str:
    # Danish for everyone by default (also before login); English is a per-user choice.
    if current_user and current_user.is_authenticated and current_user.locale:
        return BABEL_LOCALES.get(current_user.locale, "da")
    return "da"


def _init_login(app: Flask) -> None:
    from .models import Membership, User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(session_id: str):
        # "user id.session epoch" (User.get_id): a session from before the user's sessions
        # were ended (new password, "log out everywhere") no longer finds its user.
        user_id, _, epoch = session_id.partition(".")
        if not (user_id.isdigit() and epoch.isdigit()):
            return None
        # Memberships and their organisations come with the user, in the same query:
        # every page needs them, and every request pays for this one.
        stmt = (
            select(User)
            .where(User.id == int(user_id), User.session_epoch == int(epoch))
            .options(joinedload(User.memberships).joinedload(Membership.organization))
        )
        return db.session.scalars(stmt).unique().first()
