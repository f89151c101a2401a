"""Platform routes: uploaded files (`/uploads/<key>`) and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

from kyora.core.permissions import public

bp = Blueprint("core", __name__)


@bp.get("/uploads/<path:key>")
@public
def upload(key: str):
    response = send_from_directory(current_app.config["UPLOAD_DIR"], key, max_age=31536000)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/healthz")
@public
def healthz():
    """Liveness and database check for load balancers."""
    import sqlalchemy as sa

    from kyora.extensions import db

    db.session.execute(sa.text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
