"""Password hashing (argon2id) and the password rules of PRODUCT.md."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 128

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when an email is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("kyora-dummy-password-for-timing")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships a frequency list of the 30,000 most common leaked passwords.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """A translated reason why `password` is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters.", count=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        return _("This password is too common. Try a short sentence you will remember.")
    local = email.split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or lowered == name.lower().replace(" ", ""):
        return _("Your password should not contain your email or name.")
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check `password`; an account without a password still costs one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
