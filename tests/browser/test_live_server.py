"""The browser tests' live server closes each response before sending it (see conftest)."""

from tests.browser.conftest import closed_before_sending


class FileLikeResponse:
    """A WSGI response holding a resource, as Flask's static files do."""

    def __init__(self):
        self.closed = False

    def __iter__(self):
        yield b"<svg>"
        yield b"</svg>"

    def close(self):
        self.closed = True


def test_a_response_is_closed_before_the_server_writes_anything():
    response = FileLikeResponse()
    app = closed_before_sending(lambda environ, start_response: response)

    body = app({}, None)

    # A dropped connection can no longer leave the file open: it was closed on return.
    assert response.closed
    assert body == [b"<svg></svg>"]
