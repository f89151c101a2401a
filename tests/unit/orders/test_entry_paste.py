"""What a pasted message says beyond its items: a name, the channel, the zone's city."""

from dataclasses import dataclass

import pytest

from kyora.orders.web.entry_paste import (
    infer_channel,
    match_city,
    name_from_handle,
    name_from_message,
)


@pytest.mark.parametrize(
    ("handle", "name"),
    [("@mona.k", "Mona K"), ("layla_haddad92", "Layla Haddad"), ("@2024", ""), ("", "")],
)
def test_a_name_from_the_handle(handle, name):
    assert name_from_handle(handle) == name


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("Hi, this is Mona Khalil. 2 scarves please", "Mona Khalil"),
        ("hello I'm sara, can I order 1 cap", "Sara"),
        ("I'm looking for 2 red scarves", ""),
        ("مرحبا اسمي منى ابي ٢ شيلة", "منى"),
        ("2 red scarves size M", ""),
    ],
)
def test_a_name_the_writer_gives(message, name):
    assert name_from_message(message) == name


@pytest.mark.parametrize(
    ("message", "phones", "handles", "channel"),
    [
        ("2 scarves @mona.k", [], ["mona.k"], "instagram"),
        ("https://instagram.com/mona.k 2 caps", [], [], "instagram"),
        ("saw it on tiktok! @mona 1 cap", [], ["mona"], "tiktok"),
        ("2 caps 050 123 4567", ["+971501234567"], [], "whatsapp"),
        ("2 caps", [], [], None),
    ],
)
def test_the_channel_a_message_came_from(message, phones, handles, channel):
    assert infer_channel(message, phones, handles) == channel


@dataclass
class Zone:
    name: str
    cities: str

    @property
    def city_list(self):
        return [city.strip() for city in self.cities.split(",") if city.strip()]


def test_the_longest_zone_city_the_address_names_wins():
    dubai = Zone("Dubai", "Dubai, Dubai Marina, JBR")
    sharjah = Zone("Sharjah", "Sharjah")
    assert match_city([sharjah, dubai], "Villa 5, Dubai Marina") == (dubai, "Dubai Marina")
    assert match_city([sharjah, dubai], "Al Nahda, sharjah") == (sharjah, "Sharjah")
    assert match_city([sharjah, dubai], "Marina Walk") == (None, "")
    assert match_city([dubai], None) == (None, "")
