"""HEAD asks for a page's headers: it is answered as the GET it stands for, without the
body.

Flask runs a GET view for HEAD with `request.method == "HEAD"`, and views that show a form
on GET and save it on POST (`if request.method == "GET": ...`) took a HEAD for a save: link
checkers and monitoring got 409 or 422 for pages that are fine.
"""

from flask import Flask


class HeadAsGet:
    """WSGI middleware: a HEAD request runs as GET; the body is dropped."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "HEAD":
            return self.wsgi_app(environ, start_response)
        body = self.wsgi_app({**environ, "REQUEST_METHOD": "GET"}, start_response)
        close = getattr(body, "close", None)
        if close is not None:
            close()
        return []


def init_app(app: Flask) -> None:
    app.wsgi_app = HeadAsGet(app.wsgi_app)
