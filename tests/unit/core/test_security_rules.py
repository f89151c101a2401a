"""Pure rules: safe redirects, phone numbers, permissions, handles, passwords."""

import pytest

from kyora.core.permissions import ADMIN, MEMBER, OWNER, PERMISSIONS, role_allows
from kyora.core.phones import display_phone, normalize_phone, whatsapp_link
from kyora.core.security import safe_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/b/shop/orders?page=2", "/b/shop/orders?page=2"),
        ("https://evil.example/", "/home"),
        ("//evil.example/", "/home"),
        ("/\\evil.example", "/home"),
        ("javascript:alert(1)", "/home"),
        ("orders", "/home"),
        ("", "/home"),
        (None, "/home"),
    ],
)
def test_safe_next_only_allows_local_paths(target, expected):
    assert safe_next(target, "/home") == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("050 123 4567", "AE", "+971501234567"),
        ("٠٥٠ ١٢٣ ٤٥٦٧", "AE", "+971501234567"),
        ("+971 50 123 4567", "SA", "+971501234567"),
        ("00971501234567", "US", "+971501234567"),
        ("0551234567", "SA", "+966551234567"),
        ("", "AE", None),
    ],
)
def test_normalize_phone(raw, region, expected):
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["12", "hello", "050 123"])
def test_normalize_phone_rejects_non_numbers(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw, "AE")


def test_phone_display_and_whatsapp_link():
    assert display_phone("+971501234567") == "+971 50 123 4567"
    assert whatsapp_link("+971501234567") == "https://wa.me/971501234567"
    assert whatsapp_link("+971501234567", "Hi Sara & co") == (
        "https://wa.me/971501234567?text=Hi%20Sara%20%26%20co"
    )
    assert whatsapp_link(None) is None


def test_members_never_see_money_internals():
    for resource in ("costs", "profit", "accounting", "reports", "billing", "team", "settings"):
        assert not role_allows(MEMBER, "view", resource), resource
        assert role_allows(ADMIN, "view", resource), resource
    for action in ("view", "create", "edit", "status"):
        assert role_allows(MEMBER, action, "orders")
    assert role_allows(MEMBER, "create", "payments")
    assert not role_allows(MEMBER, "edit", "products")


def test_only_the_owner_transfers_or_deletes_the_workspace():
    assert role_allows(OWNER, "transfer", "workspace")
    assert not role_allows(ADMIN, "transfer", "workspace")
    assert not role_allows(ADMIN, "delete", "workspace")


def test_unknown_permissions_are_refused():
    assert not role_allows(OWNER, "fly", "orders")
    assert not role_allows("stranger", "view", "orders")
    assert all(role in (OWNER, ADMIN, MEMBER) for role in PERMISSIONS.values())
