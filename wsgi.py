"""Entry point for gunicorn: `gunicorn wsgi:app`."""

import gc

from improvement import create_app

app = create_app()
# What is built by now (modules, the app, its extensions: about 170,000 objects) lives as
# long as the worker. Frozen, the garbage collector's full passes no longer walk it each
# time; unfrozen, such a pass held up one request in thirty on the board by over 100 ms.
gc.freeze()
