"""Every route declares who may use it, and the net can fill in every URL."""

from __future__ import annotations

from flask import Flask

from kyora.core.permissions import PERMISSIONS, public
from tests.integration.security.routes import PARAMS, routes, unclassified


def test_every_route_is_classified(app):
    missing = unclassified(app)
    assert not missing, (
        "These views have no access decorator (@public, @authenticated or @requires from "
        "kyora.core.permissions):\n  " + "\n  ".join(missing)
    )


def test_the_net_can_fill_in_every_url_parameter(app):
    missing = sorted(
        {
            f"{name!r} in {route}"
            for route in routes(app)
            for name in route.params
            if name not in PARAMS
        }
    )
    assert not missing, (
        "URL parameters without a fixture (add a builder to PARAMS in "
        "tests/integration/security/routes.py):\n  " + "\n  ".join(missing)
    )


def test_declared_permissions_are_in_the_table(app):
    unknown = [
        str(route)
        for route in routes(app)
        if route.permission and route.permission[::-1] not in PERMISSIONS
    ]
    assert not unknown, unknown


def test_business_scoped_routes_declare_a_permission(app):
    loose = [
        str(route)
        for route in routes(app)
        if route.rule.rule.startswith("/b/<handle>") and route.kind != "business"
    ]
    assert not loose, "Business pages must use @requires(action, resource):\n  " + "\n  ".join(
        loose
    )


def test_an_undecorated_view_is_caught():
    # The check above must be able to fail: a bare view on a small app is reported.
    tiny = Flask(__name__)
    tiny.add_url_rule("/open", "open", public(lambda: "ok"))
    tiny.add_url_rule("/forgotten", "forgotten", lambda: "oops")
    assert unclassified(tiny) == ["forgotten (/forgotten)"]


def test_the_walk_covers_every_domain(app):
    walked = {route.endpoint.split(".")[0] for route in routes(app)}
    blueprints = set(app.blueprints)
    assert blueprints <= walked, blueprints - walked
