"""Normalising what sellers type: handles, emails, names, tags, phone searches."""

import pytest

from kyora.core.csv import csv_text, safe_cell
from kyora.customers.identity import (
    edit_distance,
    name_key,
    name_sound,
    normalize_email,
    normalize_handle,
    parse_tags,
    phone_digits_query,
    phone_region,
    platform_from_url,
    profile_url,
    search_text,
    similar_names,
)


@pytest.mark.parametrize(
    ("raw", "platform", "expected"),
    [
        ("@Sara.Designs", "instagram", "sara.designs"),
        ("  sara_designs ", "instagram", "sara_designs"),
        ("https://www.instagram.com/sara.designs/", "instagram", "sara.designs"),
        ("instagram.com/Sara.Designs?igsh=abc", "instagram", "sara.designs"),
        ("https://www.instagram.com/stories/sara.designs/123", "instagram", "sara.designs"),
        ("https://www.tiktok.com/@sara.designs/video/7312", "tiktok", "sara.designs"),
        ("https://www.snapchat.com/add/sara-d", "snapchat", "sara-d"),
        ("https://x.com/SaraD", "x_handle", "sarad"),
        ("https://www.facebook.com/profile.php?id=1000123", "facebook", "1000123"),
        ("", "instagram", None),
        ("   ", "instagram", None),
        ("@", "instagram", None),
    ],
)
def test_normalize_handle(raw, platform, expected):
    assert normalize_handle(raw, platform) == expected


@pytest.mark.parametrize("raw", ["Sara Designs", "sara!", "a" * 61, "<script>"])
def test_normalize_handle_rejects_non_handles(raw):
    with pytest.raises(ValueError):
        normalize_handle(raw, "instagram")


def test_platform_from_url():
    assert platform_from_url("https://www.tiktok.com/@sara") == "tiktok"
    assert platform_from_url("instagram.com/sara") == "instagram"
    assert platform_from_url("https://twitter.com/sara") == "x_handle"
    assert platform_from_url("@sara") is None
    assert platform_from_url("https://example.com/sara") is None


def test_profile_url():
    assert profile_url("instagram", "sara.d") == "https://www.instagram.com/sara.d/"
    assert profile_url("tiktok", "sara.d") == "https://www.tiktok.com/@sara.d"
    assert profile_url("snapchat", None) is None


def test_normalize_email():
    assert normalize_email(" Sara@Example.COM ") == "sara@example.com"
    assert normalize_email("") is None
    with pytest.raises(ValueError):
        normalize_email("sara@")


def test_name_key_ignores_order_case_accents_and_arabic_variants():
    assert name_key("Sara Ali") == name_key("ali  SARA") == name_key("Sára Ali") == "ali sara"
    assert name_key("فاطمة أحمد") == name_key("احمد فاطمه")
    assert search_text("Mariam Al-Mansoori") == "mariam al mansoori"


def test_name_sound_folds_transliteration_variants():
    assert name_sound("Sarah Al-Mansouri") == name_sound("sara almansoori") == "almansuri sara"
    assert name_sound("Mohammed Saleh") == name_sound("Mohamed Saleh")
    assert name_sound("Aly Hassan") == name_sound("Ali Hasan")
    assert name_sound("فاطمة الكعبي") == name_sound("فاطمه الكعبي")
    assert name_sound("Omar Ali") != name_sound("Amir Ali")


def test_similar_names():
    assert similar_names(name_key("Sara Ali"), name_key("Sarah Ali"))
    assert similar_names(name_key("Mohammed Saleh"), name_key("Mohamed Saleh"))
    assert not similar_names(name_key("Sara Ali"), name_key("Omar Khalid"))
    assert not similar_names(name_key("Sam"), name_key("Sal"))  # too short to guess
    assert edit_distance("kitten", "sitting") == 3


def test_parse_tags():
    assert parse_tags("VIP, wholesale  ,#Eid, vip") == ["vip", "wholesale", "eid"]
    assert parse_tags("") == []
    assert parse_tags("هدايا، عيد") == ["هدايا", "عيد"]
    with pytest.raises(ValueError):
        parse_tags("x" * 31)
    with pytest.raises(ValueError):
        parse_tags(",".join(f"t{n}" for n in range(21)))


def test_phone_digits_query():
    assert phone_digits_query("050 123") == "50123"
    assert phone_digits_query("٠٥٠١٢٣٤") == "501234"
    assert phone_digits_query("+971 50") == "97150"
    assert phone_digits_query("sara") is None
    assert phone_digits_query("12") is None
    assert phone_digits_query("sara 050") is None


def test_phone_region():
    assert phone_region("+971501234567") == "AE"
    assert phone_region("+447400123456") == "GB"
    assert phone_region(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tvalue", "'\tvalue"),
        ("+971501234567", "+971501234567"),
        ("-5.00", "-5.00"),
        ("Sara", "Sara"),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell_neutralises_formulas(value, expected):
    assert safe_cell(value) == expected


def test_csv_text_passes_every_cell_through_safe_cell():
    text = csv_text(["Name", "=Header"], [["=1+1", "Sara"]])
    assert text.splitlines() == ["Name,'=Header", "'=1+1,Sara"]
