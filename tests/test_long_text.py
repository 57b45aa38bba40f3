"""Long texts: the browser is not told a maxlength (it would cut pasted text silently), the
limit is checked on saving and counts a line break as one character, as the browser does."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from improvement.forms import BaseForm


class NoteForm(BaseForm):
    class Meta:
        csrf = False

    note = TextAreaField("Note", validators=[Length(max=10)])
    title = StringField("Title", validators=[Length(max=10)])


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_a_textarea_carries_its_limit_for_the_counter_not_as_maxlength(ctx):
    html = str(NoteForm()["note"]())
    assert "maxlength" not in html
    assert 'data-max-length="10"' in html
    assert 'data-length-message="{count} af højst {max} tegn"' in html


def test_a_one_line_field_carries_its_limit_for_the_counter_not_as_maxlength(ctx):
    # A title pasted past the limit was cut to it without a word.
    html = str(NoteForm()["title"]())
    assert "maxlength" not in html
    assert 'data-max-length="10"' in html
    too_long = NoteForm(formdata=MultiDict({"title": "Elleve tegn"}))
    assert not too_long.validate()
    assert too_long.title.errors == ["Feltet må højst være 10 tegn langt."]
    assert too_long.title.data == "Elleve tegn"


def test_a_line_break_counts_as_one_character(ctx):
    # 9 letters and a line break sent as CRLF: 10 characters, as the browser counted them.
    form = NoteForm(formdata=MultiDict({"note": "abcd\r\nefgh"}))
    assert form.validate(), form.errors
    assert form.note.data == "abcd\nefgh"
    lone = NoteForm(formdata=MultiDict({"note": "ab\rcd"}))
    assert lone.validate() and lone.note.data == "ab\ncd"
    too_long = NoteForm(formdata=MultiDict({"note": "abcde\r\nfghij"}))
    assert not too_long.validate()
    assert too_long.note.errors == ["Feltet må højst være 10 tegn langt."]
    # The text comes back whole, to be shortened, not cut.
    assert too_long.note.data == "abcde\nfghij"
