"""Rate limits shared by several domains, and the keys they count by."""

from __future__ import annotations

from flask import request
from flask_login import current_user

# Image uploads cost seconds of CPU each: a person may upload a lot, but not flood.
UPLOAD_LIMIT = "30 per minute;300 per hour"


def per_user() -> str:
    """Count per signed-in user (per address for anyone else)."""
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr}"
