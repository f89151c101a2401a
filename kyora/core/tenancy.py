"""Business-scoped URLs (`/b/<handle>/...`) and tenant-safe reads.

`business_blueprint()` makes a domain blueprint whose URLs live under
`/b/<handle>`: the handle is loaded from the current user's workspace (404
otherwise) into `g.business`, and put back by `url_defaults`, so
`url_for("orders.show", order_id=7)` needs no handle.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, g
from flask_login import current_user
from sqlalchemy import select
from werkzeug.local import LocalProxy

from kyora.core.permissions import login_gate

# Set by the businesses domain at app creation: (handle, user) -> Business | None.
_business_loader: Callable | None = None


def set_business_loader(loader: Callable) -> None:
    global _business_loader
    _business_loader = loader


def _current_business():
    return g.get("business")


current_business = LocalProxy(_current_business)


def _pull_handle(endpoint, values):
    if values is not None and "handle" in values:
        g.business_handle = values.pop("handle")


def _push_handle(endpoint, values):
    if "handle" in values:
        return
    business = g.get("business")
    if business is not None:
        values["handle"] = business.handle


def _load_business():
    gate = login_gate()
    if gate is not None:
        return gate
    handle = g.get("business_handle")
    business = _business_loader(handle, current_user) if handle and _business_loader else None
    if business is None:
        abort(404)
    g.business = business
    return None


def business_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint whose routes are scoped to one business of the user's workspace."""
    bp = Blueprint(name, import_name, url_prefix=f"/b/<handle>{url_prefix}")
    bp.url_value_preprocessor(_pull_handle)
    bp.url_defaults(_push_handle)
    bp.before_request(_load_business)
    bp.kyora_business_scoped = True
    return bp


def scoped(statement, model=None, business=None):
    """Restrict a `select()` to the current business (or `business`)."""
    business = business or g.business
    model = model or statement.column_descriptions[0]["entity"]
    return statement.where(model.business_id == business.id)


# Primary keys are 32-bit integers on PostgreSQL; anything outside is no row at all.
MAX_ID = 2**31 - 1


def id_or_none(value) -> int | None:
    """`value` as a row id, or None when it cannot be one (not a number, out of range)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


def get_or_404(model, object_id, business=None):
    """Load `model` by id within the current business; another tenant's id is a 404."""
    from kyora.extensions import db

    object_id = id_or_none(object_id)
    if object_id is None:
        abort(404)
    obj = db.session.scalar(scoped(select(model).where(model.id == object_id), model, business))
    if obj is None:
        abort(404)
    return obj
