"""Platform routes: uploaded files (`/uploads/<key>`), liveness (`/healthz`) and
readiness (`/readyz`: the database and Redis, each reported on its own)."""

from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, abort, current_app, jsonify, send_from_directory

from kyora.core.permissions import public
from kyora.core.storage import get_storage

ONE_YEAR = 31536000

bp = Blueprint("core", __name__)


@bp.get("/uploads/<path:key>")
@public
def upload(key: str):
    """An uploaded file, from whichever storage holds it. Keys are random and a stored
    file never changes, so it may be cached for a year."""
    if current_app.config["STORAGE_BACKEND"] == "local":
        response = send_from_directory(current_app.config["UPLOAD_DIR"], key, max_age=ONE_YEAR)
    else:
        try:
            data = get_storage().open(key)
        except (FileNotFoundError, ValueError):
            abort(404)
        kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
        response = Response(data, mimetype=kind)
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/healthz")
@public
def healthz():
    """Liveness and database check for load balancers."""
    import sqlalchemy as sa

    from kyora.extensions import db

    db.session.execute(sa.text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def _database_ready() -> bool:
    import sqlalchemy as sa

    from kyora.extensions import db

    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the reason is logged by the pool
        db.session.rollback()
        return False
    return True


def _redis_ready(url: str | None) -> bool | None:
    """True/False when Redis is configured; None when Kyora runs without it."""
    if not url:
        return None
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@bp.get("/readyz")
@public
def readyz():
    """Readiness for load balancers: 200 when every configured dependency answers, 503
    otherwise; the JSON body says which one failed. With Redis down, pages keep working
    (rate limits fall back to memory), so only the database makes a process unready."""
    checks = {
        "database": _database_ready(),
        "redis": _redis_ready(current_app.config.get("REDIS_URL")),
    }
    ready = checks["database"]
    body = {"ready": ready, **{name: value for name, value in checks.items() if value is not None}}
    return jsonify(body), 200 if ready else 503
