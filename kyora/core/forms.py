"""Form helpers shared by every domain, and the rule that text fields only take text.

Flask-WTF hands a form the request's files together with its text fields, so a file
part sent under a text field's name would reach that field as a file object (and
validators such as Length would fail on it). `init_app` makes every form see a file
only under the name of one of its own file fields; anything else sent as a file is
ignored, so the field is simply empty and gets its usual message.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict
from wtforms import DecimalField, FileField, MultipleFileField, StringField
from wtforms.fields.choices import SelectChoice

from kyora.core.money import parse_amount
from kyora.core.tenancy import id_or_none


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """`(value, label)` pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_OPTIONS = (("en", "English"), ("ar", "العربية"))


class NumberField(DecimalField):
    """A number as people type it ("1,250.5", Arabic-Indic digits), always finite and
    within what Kyora stores; anything else is a field error, never a crash."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_amount(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Enter a number, like 5 or 12.5.")) from error


class IdField(StringField):
    """The id of a row picked in a form: a positive 32-bit number or nothing."""

    def process_formdata(self, valuelist):
        self.data = id_or_none(valuelist[0]) if valuelist and valuelist[0] else None


_flask_wtf_formdata = FlaskForm.Meta.wrap_formdata


def _text_only_formdata(meta, form, formdata):
    data = _flask_wtf_formdata(meta, form, formdata)
    if not isinstance(data, CombinedMultiDict):
        return data
    file_fields = {
        name
        for name, field in form._fields.items()
        if isinstance(field, FileField | MultipleFileField)
    }
    files = ImmutableMultiDict(
        [(name, upload) for name, upload in request.files.items(multi=True) if name in file_fields]
    )
    return CombinedMultiDict((files, request.form)) if files else request.form


def init_app(app) -> None:
    """Every Flask-WTF form in the app takes files only in its file fields."""
    FlaskForm.Meta.wrap_formdata = _text_only_formdata
