"""Domain errors raised by services, and the HTML/htmx error pages.

Services raise `DomainError` subclasses; views catch them and show the message
beside the right field (`field`) or as a form-level error.
"""

from __future__ import annotations

import logging

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from kyora.core.htmx import is_htmx

log = logging.getLogger("kyora.errors")


class DomainError(Exception):
    """A business rule refused an action. `message` is already translated."""

    status_code = 422

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input broke a rule; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, first_field)
        self.errors = errors


class NotAllowed(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class InvalidTransition(DomainError):
    """A status change that is not one of the valid next steps."""


class OutOfStock(DomainError):
    """Taking stock would leave a variant below zero."""


class PlanLimitReached(DomainError):
    """The workspace's plan does not allow more of something."""

    status_code = 402


def apply_to_form(form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Roll back the unit of work and put the error's message(s) beside the form's fields.

    Field names may point into nested rows (`items-0-quantity`, `variants-2-sku`) and
    sub-forms (`card-fee_percent`);
    `aliases` renames a service's field to the form's (`{"variant_id": "query"}`, also
    applied to the last part of a nested name). Messages without a field, or for a
    field the form lacks, go above the form. Rolling back first means nothing a
    service flushed before refusing is kept.
    """
    from kyora.extensions import db

    db.session.rollback()
    aliases = aliases or {}
    errors = getattr(error, "errors", None) or {error.field: error.message}
    for key, message in errors.items():
        key = _alias(key, aliases)
        target = _resolve_field(form, key) if key else None
        if target is not None:
            target.errors = [*list(target.errors or []), message]
        else:
            form.form_errors.append(message)


def _alias(key: str | None, aliases: dict[str, str]) -> str | None:
    if not key or not aliases:
        return key
    if key in aliases:
        return aliases[key]
    head, _sep, last = key.rpartition("-")
    return f"{head}-{aliases[last]}" if head and last in aliases else key


def _resolve_field(form, key: str):
    """The (possibly nested) field named `key` on `form`, or None."""
    fields = getattr(form, "_fields", {})
    if key in fields:
        field = fields[key]
        return None if hasattr(field, "entries") else field
    parts = key.split("-")
    field = fields.get(parts[0])
    if field is None or len(parts) < 2:
        return None
    if not hasattr(field, "entries"):
        # A FormField: `card-fee_percent` is the field `fee_percent` of the sub-form `card`.
        sub = getattr(field, "form", None)
        return _resolve_field(sub, "-".join(parts[1:])) if sub is not None else None
    if len(parts) < 3:
        return None
    try:
        entry = field.entries[int(parts[1])]
    except (AttributeError, IndexError, ValueError):
        return None
    sub = getattr(entry, "form", None)
    if sub is None:
        return None
    return _resolve_field(sub, "-".join(parts[2:]))


_TITLES = {
    400: lambda: _("That request could not be understood"),
    401: lambda: _("Please log in"),
    402: lambda: _("Your plan does not include this"),
    403: lambda: _("You don't have access to this"),
    404: lambda: _("We couldn't find that page"),
    405: lambda: _("That action isn't available here"),
    409: lambda: _("That was changed by someone else"),
    413: lambda: _("That file is too large"),
    422: lambda: _("Some details need fixing"),
    429: lambda: _("Too many attempts"),
    503: lambda: _("Kyora is busy for a moment"),
    500: lambda: _("Something went wrong on our side"),
}

_MESSAGES = {
    400: lambda: _("Please go back, reload the page and try again."),
    403: lambda: _("Ask the owner of this business if you need access."),
    404: lambda: _("The link may be old, or the page may have moved."),
    413: lambda: _("Please choose a smaller file and try again."),
    422: lambda: _("Please check the form and try again."),
    429: lambda: _("Please wait a minute before trying again."),
    503: lambda: _("Nothing was saved. Please wait a few seconds and tap Save again."),
    500: lambda: _("We have been told about it. Please try again in a moment."),
}


def render_error(status: int, message: str | None = None):
    """The error page (or, for htmx, a small inline message) for `status`."""
    title = _TITLES.get(status, _TITLES[500])()
    message = message or _MESSAGES.get(status, _MESSAGES[500])()
    template = "errors/_inline.html" if is_htmx() else "errors/error.html"
    response_body = render_template(template, status=status, title=title, message=message)
    return response_body, status, {"Vary": "HX-Request"}


_BUSY_MARKERS = ("database is locked", "database is busy", "lock timeout", "could not obtain lock")
_BUSY_CODES = {"55P03", "40001", "40P01"}  # lock not available, serialization, deadlock


def _is_busy(error: OperationalError) -> bool:
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) in _BUSY_CODES:
        return True
    text = str(original or error).lower()
    return any(marker in text for marker in _BUSY_MARKERS)


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("This form has expired. Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_error(error.status_code, error.message)

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        # Another write held the database past the busy timeout (SQLite), or a lock or
        # serialization wait gave up (PostgreSQL): the unit of work rolled back whole.
        from kyora.extensions import db

        db.session.rollback()
        if not _is_busy(error):
            return unhandled(error)
        log.warning("database busy", extra={"request_id": getattr(request, "request_id", None)})
        body, status, headers = render_error(503)
        return body, status, {**headers, "Retry-After": "5"}

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        from kyora.extensions import db

        db.session.rollback()
        if app.testing and not app.config.get("KYORA_RENDER_500"):
            raise error
        log.exception("unhandled error", extra={"request_id": getattr(request, "request_id", None)})
        return render_error(500)
