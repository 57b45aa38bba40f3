"""A text over its limit is told so once, with the limit written as the user's language writes
numbers ("2.000" in Danish, "2,000" in English, like the count under the field), and the
field's hint ("Write no names or CPR numbers") stays beside the message: it matters most
while the text is being corrected. The count under the field then says only how long the
text is now, so it does not repeat the limit the message gives."""

import re

import pytest
from flask import render_template_string
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from improvement.extensions import db
from improvement.forms import BaseForm
from tests.helpers import gen_org, gen_user
from tests.pdsa.factories import gen_cycle
from tests.pdsa.test_cycles import worksheet, world

HINT = "Skriv ikke borgeres navne eller CPR-numre."


class NoteForm(BaseForm):
    class Meta:
        csrf = False

    note = TextAreaField("Note", validators=[Length(max=2000)])
    password = StringField("Password", validators=[Length(min=1000)])


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_the_limit_is_written_as_the_language_writes_numbers(ctx):
    sent = MultiDict({"note": "x" * 2001, "password": "kort"})
    form = NoteForm(formdata=sent)
    assert not form.validate()
    assert form.note.errors == ["Feltet må højst være 2.000 tegn langt."]
    assert form.password.errors == ["Feltet skal være mindst 1.000 tegn langt."]
    with force_locale("en"):
        form = NoteForm(formdata=sent)
        assert not form.validate()
        assert form.note.errors == ["Field cannot be longer than 2,000 characters."]
    # Within the limit, nothing to say.
    assert NoteForm(formdata=MultiDict({"note": "x" * 2000, "password": "y" * 1000})).validate()


def _drawn(field) -> str:
    return render_template_string(
        '{% from "macros/forms.html" import field %}{{ field(f) }}', f=field
    )


def test_the_count_does_not_repeat_the_limit_the_message_gives(ctx):
    drawn = _drawn(NoteForm(formdata=MultiDict({"note": "x" * 1900})).note)
    assert 'data-length-message="{count} af højst {max} tegn"' in drawn
    assert "char-count" not in drawn  # app.js adds the count near the limit
    over = NoteForm(formdata=MultiDict({"note": "x" * 2001}))
    over.validate()
    drawn = _drawn(over.note)
    assert 'data-length-message="Teksten er nu på {count} tegn."' in drawn
    # Under the message (app.js fills this one rather than adding its own above it).
    count = '<small id="note-count" class="char-count over" aria-live="polite">'
    assert f"{count}Teksten er nu på 2.001 tegn.</small>" in drawn
    assert drawn.index('class="field-error"') < drawn.index(count)
    # Refused for something else (a CPR number), the count still gives the limit.
    cpr = NoteForm(formdata=MultiDict({"note": "Født 010203-1234"}))
    cpr.validate()
    drawn = _drawn(cpr.note)
    assert cpr.note.errors and 'data-length-message="{count} af højst {max} tegn"' in drawn
    assert '<small id="note-count" class="char-count" aria-live="polite"></small>' in drawn


def _help_texts(body: str, field_id: str) -> tuple[str, list[str]]:
    """The field's aria-describedby, and the texts of the elements it names."""
    tag = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>', body).group()
    described = re.search(r'aria-describedby="([^"]*)"', tag).group(1)
    texts = [
        re.search(rf'<small id="{i}"[^>]*>(.*?)</small>', body, re.S).group(1)
        for i in described.split()
    ]
    return tag, texts


def test_new_intervention_target_group_too_long_says_it_once_and_keeps_the_hint(client, login):
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    db.session.commit()
    login(user, org)
    response = client.post(
        "/indsatser",
        data={"name": "Familiehuset", "status": "proposed", "target_group": "x" * 20_000},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    tag, texts = _help_texts(body, "target_group")
    assert texts == ["Feltet må højst være 2.000 tegn langt.", HINT]
    assert 'aria-invalid="true"' in tag
    assert 'data-length-message="Teksten er nu på {count} tegn."' in tag
    assert "2000" not in body.replace('data-max-length="2000"', "")


def test_worksheet_observations_too_long_says_it_once_and_keeps_the_hint(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Fast opstartstid", owner=user, phase="do")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger"
    response = client.post(url, data=worksheet(cycle, observations="Iagttaget. " * 600))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    _tag, texts = _help_texts(body, "observations")
    assert texts == ["Feltet må højst være 5.000 tegn langt.", HINT]
    # A field with a hint and no error is described by the hint alone.
    _tag, texts = _help_texts(body, "problems")
    assert texts == [HINT]
