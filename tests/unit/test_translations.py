"""Arabic catalog: every message translated, nothing fuzzy, placeholders kept.

Reads kyora/translations/ar/LC_MESSAGES/messages.po directly with Babel, so it
needs no app. A placeholder is a named %-format field such as %(name)s or
%(count)d; the translation must use the same names with the same types.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PO_PATH = Path(__file__).resolve().parents[2] / "kyora/translations/ar/LC_MESSAGES/messages.po"

ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
)

# Plural forms 0, 1 and 2 (zero, one, two) may spell the number out in words.
COUNT_NAMES = {"count", "n", "num"}  # num: what Flask-Babel ngettext passes
FORMS_THAT_MAY_DROP_COUNT = {0, 1, 2}

# "%%" is a literal percent sign; anything else is a named field with optional
# flags, width, precision and length modifier before its conversion type.
_PLACEHOLDER = re.compile(
    r"%%|%\((?P<name>[^)]+)\)[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa])"
)


def placeholders(text: str) -> set[tuple[str, str]]:
    """The (name, type) pairs of the named %-format fields in `text`."""
    return {
        (m.group("name"), m.group("type")) for m in _PLACEHOLDER.finditer(text) if m.group("name")
    }


def _load():
    with PO_PATH.open("rb") as handle:
        return read_po(handle, locale="ar")


CATALOG = _load()
MESSAGES = [m for m in CATALOG if m.id]


def _label(message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return msgid[:50]


def test_placeholder_helper_reads_names_and_types():
    assert placeholders("%(name)s owes %(total).2f, 100%% sure") == {
        ("name", "s"),
        ("total", "f"),
    }
    assert placeholders("no fields here") == set()


def test_catalog_has_messages():
    assert MESSAGES


def test_header_uses_arabic_plural_forms():
    assert CATALOG.plural_forms == ARABIC_PLURAL_FORMS
    assert not CATALOG.fuzzy


@pytest.mark.parametrize("message", MESSAGES, ids=_label)
def test_message_is_translated_and_not_fuzzy(message):
    assert not message.fuzzy
    if message.pluralizable:
        assert isinstance(message.string, tuple)
        assert len(message.string) == CATALOG.num_plurals
        assert all(message.string)
    else:
        assert message.string


@pytest.mark.parametrize("message", MESSAGES, ids=_label)
def test_placeholders_match(message):
    if not message.pluralizable:
        assert placeholders(message.string) == placeholders(message.id)
        return
    expected = placeholders(message.id[1])
    for index, form in enumerate(message.string):
        found = placeholders(form)
        if index in FORMS_THAT_MAY_DROP_COUNT:
            optional = {p for p in expected if p[0] in COUNT_NAMES}
            assert expected - optional <= found <= expected, f"form {index}: {form!r}"
        else:
            assert found == expected, f"form {index}: {form!r}"
