"""Another workspace's business, and its ids, answer 404 on every route."""

from __future__ import annotations

from tests.integration.security.routes import (
    build_url,
    owned_params,
    request,
    routes,
    sign_in,
    url_values,
)


def test_another_workspace_gets_404_for_every_url_of_ours(app, client, world):
    problems = world.build_all(app)
    assert not problems, "\n".join(problems)
    sign_in(client, world.b.owner)
    failures, checked = [], 0
    for route in routes(app):
        if route.kind == "public":
            continue
        cases = []
        if "handle" in route.params:
            cases.append(("A's business", {}))
        if owned_params(route):
            # The stranger's own business (when the URL has one) with A's ids.
            own = {"handle": world.b.business.handle} if "handle" in route.params else {}
            cases.append(("A's ids", own))
        for label, overrides in cases:
            try:
                url = build_url(app, route, url_values(route, world.a, overrides))
            except Exception as error:
                failures.append(f"{route}: {error}")
                continue
            response = request(client, route, url, data={"name": "stranger"})
            checked += 1
            if response.status_code != 404:
                failures.append(
                    f"{route} with {label} ({url}): {response.status_code}, expected 404"
                )
    assert not failures, "\n".join(failures)
    assert checked >= 10


def test_our_own_urls_open_for_us(app, client, world):
    """The control: the same GET routes with the tenant's own values are not 404s."""
    problems = world.build_all(app)
    assert not problems, "\n".join(problems)
    sign_in(client, world.b.owner)
    failures = []
    for route in routes(app):
        if route.kind == "public" or route.method != "GET" or not route.params:
            continue
        try:
            url = build_url(app, route, url_values(route, world.b))
        except Exception as error:
            failures.append(f"{route}: {error}")
            continue
        response = request(client, route, url)
        if response.status_code == 404 or response.status_code >= 500:
            failures.append(f"{route} ({url}): {response.status_code} for the tenant's own data")
    assert not failures, "\n".join(failures)
