"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from improvement import create_app

app = create_app()
