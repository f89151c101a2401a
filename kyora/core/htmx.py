"""htmx request details and response helpers (after django-htmx's shape).

`render_page_or_partial` is the one way a view answers both shapes: the partial
for an htmx request aimed at that partial's element id, the full page otherwise.
"""

from __future__ import annotations

import json

from flask import make_response, render_template, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def is_boosted() -> bool:
    return request.headers.get("HX-Boosted") == "true"


def is_history_restore() -> bool:
    return request.headers.get("HX-History-Restore-Request") == "true"


def hx_target() -> str | None:
    return request.headers.get("HX-Target")


def hx_trigger_name() -> str | None:
    return request.headers.get("HX-Trigger-Name")


def wants_partial(target: str) -> bool:
    """True for an htmx request (not boosted, not a history restore) aimed at `target`."""
    return is_htmx() and not is_boosted() and not is_history_restore() and hx_target() == target


def render_page_or_partial(
    page: str, partial: str | dict[str, str], target: str | None = None, status: int = 200, **ctx
):
    """Render `partial` for an htmx request aimed at `target`, else the full `page`.

    A page with several swappable parts passes a map instead: `{element id: partial}`
    (no `target`). Templates get `fragment` (True when only a partial is rendered).
    """
    parts = partial if isinstance(partial, dict) else {target: partial}
    template = next((part for aim, part in parts.items() if wants_partial(aim)), page)
    ctx.setdefault("fragment", template != page)
    response = make_response(render_template(template, **ctx), status)
    response.vary.add("HX-Request")
    return response


def trigger(response, *events: str, **detailed):
    """Add `HX-Trigger` events to `response` (`orders-changed`, ...)."""
    payload: dict = {name: True for name in events}
    payload.update(detailed)
    existing = response.headers.get("HX-Trigger")
    if existing:
        try:
            payload = {**json.loads(existing), **payload}
        except ValueError:
            payload = {**{name: True for name in existing.split(",")}, **payload}
    response.headers["HX-Trigger"] = json.dumps(payload)
    return response


def hx_redirect(url: str, status: int = 200):
    """A response that makes htmx do a full-page navigation to `url`."""
    response = make_response("", status)
    response.headers["HX-Redirect"] = url
    return response
