"""Formula-safe CSV cells, decoding uploads, reading delimiters, option cells."""

import pytest

from kyora.core.csv import (
    CSVDecodeError,
    csv_text,
    decode_csv,
    looks_like_formula,
    read_csv,
    safe_cell,
    unguard_cell,
)
from kyora.inventory.csv.columns import format_options, parse_options


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-cmd", "@now", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe_and_come_back(text):
    assert safe_cell(text) == "'" + text
    assert looks_like_formula(text)
    assert unguard_cell(safe_cell(text)) == text


def test_numbers_and_plain_text_are_left_alone():
    assert safe_cell(-5) == "-5"
    assert safe_cell("-5.25") == "-5.25"
    assert safe_cell("Red Scarf") == "Red Scarf"
    assert not looks_like_formula("-12")
    assert unguard_cell("'quoted") == "'quoted"


def test_csv_text_guards_headers_and_cells():
    assert csv_text(["Name"], [["=2*3"]]).splitlines() == ["Name", "'=2*3"]


def test_decode_utf8_with_bom_utf16_and_refuse_other_encodings():
    assert decode_csv("\ufeffname\nوشاح".encode()) == "name\nوشاح"
    assert decode_csv("name\nوشاح".encode("utf-16")) == "name\nوشاح"
    with pytest.raises(CSVDecodeError):
        decode_csv("name\nوشاح".encode("cp1256"))
    with pytest.raises(CSVDecodeError):
        decode_csv(b"\x00\x01binary")


def test_read_csv_sniffs_the_delimiter_and_drops_blank_rows():
    assert read_csv("a;b\n1;2\n;\n") == [["a", "b"], ["1", "2"]]
    assert read_csv('a,b\n"x, y",2\n') == [["a", "b"], ["x, y", "2"]]
    assert read_csv("a\tb\n1\t2\n") == [["a", "b"], ["1", "2"]]


def test_option_cells():
    assert parse_options("Size: M; Colour: Red") == [("Size", "M"), ("Colour", "Red")]
    assert parse_options("Size: M / Colour: Red") == [("Size", "M"), ("Colour", "Red")]
    assert parse_options("المقاس: كبير؛ اللون: أحمر") == [("المقاس", "كبير"), ("اللون", "أحمر")]
    assert parse_options("") == []
    with pytest.raises(ValueError):
        parse_options("Red")
    assert format_options(["Size", "Colour"], ["M", "Red"]) == "Size: M; Colour: Red"
