"""The accounts blueprint and its rate limits (views attach to `bp` in auth.py and account.py)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

AUTH_LIMIT = "10 per minute;50 per hour"
SIGNUP_LIMIT = "5 per minute;30 per hour"
