"""Form helpers shared by every domain."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """`(value, label)` pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_OPTIONS = (("en", "English"), ("ar", "العربية"))
