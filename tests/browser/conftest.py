"""A live server on a free port and Debian's Chromium driven by Playwright, on every backend.

The tests skip, saying why, when Chromium is not installed (CI installs it: see .ci/run).
"""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def closed_before_sending(wsgi_app):
    """The app with each response read and closed before the server sends it.

    Werkzeug's development server skips the response's close() when the browser drops the
    connection while it is sent (Chromium does so for the favicon when a test ends), which
    leaves a static file open; its ResourceWarning then fails whichever test is running.
    """

    def app(environ, start_response):
        response = wsgi_app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return app


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, closed_before_sending(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def browser_page(live_server):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # A browser in Denmark, as the users': its clock's date is the server's Danish date
        # (improvement.clock), also in the hour when UTC is still on the day before.
        context = browser.new_context(
            viewport={"width": 1366, "height": 768},
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
        )
        page = context.new_page()
        yield page
        context.close()
        browser.close()
