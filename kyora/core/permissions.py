"""Who may do what: one table from roles to actions on resources.

Views declare their access with exactly one of `@public`, `@authenticated` or
`@requires(action, resource)` (signed in, and the role allows it: business pages
and workspace pages such as the team alike). Templates ask the same
table through `can(action, resource)`, so hidden things are absent from pages.
The route-walking tests read the `kyora_access` attribute these decorators set.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from kyora.core.htmx import hx_redirect, is_htmx

OWNER, ADMIN, MEMBER = "owner", "admin", "member"
ROLES = (OWNER, ADMIN, MEMBER)
_RANK = {MEMBER: 1, ADMIN: 2, OWNER: 3}

# (resource, action) -> the least role allowed to do it.
PERMISSIONS: dict[tuple[str, str], str] = {
    # The business itself.
    ("business", "view"): MEMBER,
    ("business", "create"): ADMIN,
    ("business", "edit"): ADMIN,
    ("business", "archive"): ADMIN,
    ("settings", "view"): ADMIN,
    ("settings", "edit"): ADMIN,
    # People and money of the workspace.
    ("team", "view"): ADMIN,
    ("team", "manage"): ADMIN,
    ("audit", "view"): ADMIN,
    ("billing", "view"): ADMIN,
    ("billing", "manage"): OWNER,
    ("workspace", "transfer"): OWNER,
    ("workspace", "delete"): OWNER,
    ("workspace", "export"): OWNER,
    # Catalog and stock: everyone sees products and stock levels.
    ("products", "view"): MEMBER,
    ("products", "create"): ADMIN,
    ("products", "edit"): ADMIN,
    ("products", "delete"): ADMIN,
    ("products", "import"): ADMIN,
    ("products", "export"): ADMIN,
    ("stock", "view"): MEMBER,
    ("stock", "adjust"): ADMIN,
    ("costs", "view"): ADMIN,
    # Customers and orders: the helper's daily work.
    ("customers", "view"): MEMBER,
    ("customers", "create"): MEMBER,
    ("customers", "edit"): MEMBER,
    ("customers", "merge"): ADMIN,
    ("customers", "delete"): ADMIN,
    ("customers", "export"): ADMIN,
    ("orders", "view"): MEMBER,
    ("orders", "create"): MEMBER,
    ("orders", "edit"): MEMBER,
    ("orders", "status"): MEMBER,
    ("orders", "delete"): ADMIN,
    ("orders", "export"): ADMIN,
    ("payments", "create"): MEMBER,
    ("payments", "refund"): ADMIN,
    # Money and insight: never for members.
    ("profit", "view"): ADMIN,
    ("accounting", "view"): ADMIN,
    ("accounting", "edit"): ADMIN,
    ("reports", "view"): ADMIN,
}


def role_allows(role: str | None, action: str, resource: str) -> bool:
    """True when `role` may do `action` on `resource` (unknown pairs are refused)."""
    needed = PERMISSIONS.get((resource, action))
    if needed is None or role not in _RANK:
        return False
    return _RANK[role] >= _RANK[needed]


def can(action: str, resource: str) -> bool:
    """Whether the current user may do `action` on `resource` (for views and templates)."""
    if not current_user or not current_user.is_authenticated:
        return False
    return role_allows(current_user.role, action, resource)


def role_at_least(role: str, least: str) -> bool:
    return _RANK.get(role, 0) >= _RANK[least]


def _login_response():
    target = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if is_htmx():
        return hx_redirect(target, status=401)
    return redirect(target)


def login_gate():
    """None when the current user may use signed-in pages; otherwise the response."""
    if not current_user.is_authenticated:
        return _login_response()
    if not current_user.email_verified:
        target = url_for("accounts.verify")
        return hx_redirect(target, 401) if is_htmx() else redirect(target)
    return None


def public(view):
    """Mark a view open to everyone."""
    view.kyora_access = ("public",)
    return view


def authenticated(view=None, *, allow_unverified: bool = False):
    """A signed-in (and, unless allowed, email-verified) user's own page."""

    def decorate(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return _login_response()
            if not allow_unverified and not current_user.email_verified:
                target = url_for("accounts.verify")
                return hx_redirect(target, 401) if is_htmx() else redirect(target)
            return fn(*args, **kwargs)

        wrapper.kyora_access = ("authenticated",)
        return wrapper

    return decorate(view) if view is not None else decorate


def requires(action: str, resource: str):
    """The user must be signed in (login page otherwise) and their role must allow
    `action` on `resource` (403 otherwise). Business pages and workspace pages alike."""
    if (resource, action) not in PERMISSIONS:
        raise ValueError(f"unknown permission {resource}:{action}")

    def decorate(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            gate = login_gate()
            if gate is not None:
                return gate
            if not can(action, resource):
                abort(403)
            return fn(*args, **kwargs)

        wrapper.kyora_access = ("permission", action, resource)
        return wrapper

    return decorate
