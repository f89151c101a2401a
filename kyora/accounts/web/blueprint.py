"""The accounts blueprint and its rate limits (views attach to `bp` in auth.py and account.py)."""

import hashlib

from flask import Blueprint, request

bp = Blueprint("accounts", __name__)

AUTH_LIMIT = "10 per minute;50 per hour"
# Per account, whatever address the tries come from: password guessing spread over many
# addresses still stops, and one attacker cannot lock a whole shared address out.
ACCOUNT_LIMIT = "5 per minute;20 per hour;50 per day"


def account_key() -> str:
    """The account a login or reset is aimed at (the email as typed, normalised)."""
    email = (request.form.get("email") or "").strip().casefold()[:320]
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


SIGNUP_LIMIT = "5 per minute;30 per hour"
