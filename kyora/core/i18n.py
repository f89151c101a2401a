"""Languages, locale selection and country data (names, dialling codes, currencies).

Country data comes from Babel (localised names, currencies), phonenumbers
(dialling codes) and tzdata (time zones) rather than hand-typed tables.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import phonenumbers
from babel import Locale
from babel.numbers import get_territory_currencies
from flask import current_app, request
from flask_login import current_user

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}
LANG_COOKIE = "kyora_lang"


def select_locale() -> str:
    """The user's chosen language, else the language cookie, else the browser's."""
    supported = current_app.config["LANGUAGES"]
    forced = getattr(request, "kyora_locale", None)
    if forced in supported:
        return forced
    if current_user and current_user.is_authenticated:
        chosen = getattr(current_user, "locale", None)
        if chosen in supported:
            return chosen
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in supported:
        return cookie
    return request.accept_languages.best_match(supported) or supported[0]


def is_rtl(locale: str) -> bool:
    return str(locale).split("_")[0] in RTL_LANGUAGES


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, list[str]]:
    zones: dict[str, list[str]] = {}
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        zones.setdefault(parts[0], []).append(parts[2])
    return zones


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """ISO 3166 alpha-2 codes of countries that have a dialling code and a currency."""
    codes = []
    for code in Locale("en").territories:
        if len(code) != 2 or not code.isalpha():
            continue
        if phonenumbers.country_code_for_region(code) == 0:
            continue
        if not get_territory_currencies(code, tender=True):
            continue
        codes.append(code)
    return tuple(sorted(codes))


def country_name(code: str, locale: str = "en") -> str:
    return Locale.parse(locale).territories.get(code, code)


def country_currency(code: str) -> str:
    currencies = get_territory_currencies(code, tender=True)
    return currencies[0] if currencies else "USD"


def dialling_code(code: str) -> int:
    return phonenumbers.country_code_for_region(code)


def country_timezones(code: str) -> list[str]:
    return _country_zones().get(code, ["UTC"])


def default_timezone(code: str) -> str:
    return country_timezones(code)[0]


@lru_cache(maxsize=4)
def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    """(code, localised name) pairs sorted by the localised name."""
    names = Locale.parse(locale).territories
    pairs = [(code, names.get(code, code)) for code in country_codes()]
    return sorted(pairs, key=lambda pair: pair[1])


@lru_cache(maxsize=1)
def all_timezones() -> list[str]:
    zones = sorted({zone for group in _country_zones().values() for zone in group})
    return ["UTC", *zones]


def currency_name(code: str, locale: str = "en") -> str:
    return Locale.parse(locale).currencies.get(code, code)
