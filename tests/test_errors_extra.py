"""Crafted requests answered with a message, never a server error: a newline after the
export token, a meeting form's base nested too deep to read, and a form too large."""

import pytest
from sqlalchemy import select
from werkzeug.test import encode_multipart

from improvement.extensions import db
from improvement.forms import MergingForm
from improvement.models import Meeting
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_meeting

HX = {"HX-Request": "true"}


def _world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    db.session.commit()
    return org, user, intervention


@pytest.mark.parametrize("path", ["/eksport.xlsx", "/indsatser/{id}/eksport.xlsx"])
def test_a_newline_after_the_export_token_sets_no_cookie_and_is_no_server_error(
    client, login, path
):
    org, user, intervention = _world()
    login(user, org)
    url = path.format(id=intervention.id)
    # "$" matched before the final newline, which then went into the cookie's name.
    for token in ("abcdef\n", "abcdef\r\n", "abc\ndef", "abcdef%0A"):
        response = client.get(url, query_string={"token": token})
        assert response.status_code == 200, token
        assert not _export_cookies(response), token
    response = client.get(url, query_string={"token": "abcdef123"})
    assert response.status_code == 200
    assert [c.split(";")[0] for c in _export_cookies(response)] == ["export_abcdef123=done"]


def _export_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("export_")]


def _meeting_form_data(meeting, base):
    return {
        "held_on": "2026-01-15",
        "kind": "quality_team",
        "notes": "Mit referat",
        "version": str(meeting.version - 1),  # someone saved meanwhile: merged
        "base": base,
    }


def test_a_meeting_form_base_nested_too_deep_is_read_as_no_base(client, login):
    org, user, intervention = _world()
    meeting = gen_meeting(intervention, notes="Deres referat")
    db.session.commit()
    meeting.agenda = "Ændret"
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/rediger"
    response = client.post(url, data=_meeting_form_data(meeting, "[" * 50_000))
    # Without a base every field that differs counts as changed by both: asked, not lost.
    assert response.status_code == 409
    assert "ændret de samme felter" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Meeting.notes).where(Meeting.id == meeting.id)) == (
        "Deres referat"
    )


@pytest.mark.parametrize("base", ["[" * 50_000, '{"a": ' * 50_000, "1" * 5_000, "ikke json"])
def test_merge_reads_an_unreadable_base_as_none(app, base):
    class Form(MergingForm):
        pass

    with app.test_request_context(method="POST", data={"base": base, "version": "0"}):
        form = Form()
        assert form.merge(object()) == []


def _many_parts(n: int) -> dict:
    return {f"felt{i}": "x" for i in range(n)}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_many_parts(1_001), id="more than 1,000 parts"),
        pytest.param({"notes": "x" * 600_000}, id="a field of more than 500 KB"),
    ],
)
def test_a_form_too_large_is_refused_in_danish(client, login, data):
    org, user, intervention = _world()
    meeting = gen_meeting(intervention)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/rediger"
    # Encoded here: the test client spools a body this large to a file it leaves open.
    boundary, body = encode_multipart(data)
    content_type = f"multipart/form-data; boundary={boundary}"
    response = client.post(url, data=body, content_type=content_type)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Det sendte er for stort til at blive modtaget" in html
    assert "Request Entity Too Large" not in html
    assert "<html" in html  # the app's own page, in its layout

    response = client.post(url, data=body, content_type=content_type, headers=HX)
    assert response.status_code == 413
    assert response.headers["HX-Retarget"] == "#messages"
    assert "Det sendte er for stort til at blive modtaget" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).notes in (None, "")


@pytest.mark.csrf
def test_a_form_too_large_is_refused_in_danish_also_where_csrf_is_checked(client):
    # The CSRF check reads the form first (before any view): the same answer.
    response = client.post(
        "/login", data=_many_parts(1_001), content_type="multipart/form-data", headers=HX
    )
    assert response.status_code == 413
    assert "Det sendte er for stort til at blive modtaget" in response.get_data(as_text=True)
