"""Every state-changing route refuses a request without a valid CSRF token."""

from __future__ import annotations

import re

from tests.integration.security.routes import (
    STATE_CHANGING,
    build_url,
    describe,
    request,
    routes,
    sign_in,
    url_values,
)

# Routes that may take state-changing requests without a token, and why.
CSRF_EXEMPT = {
    "billing.webhook": "Stripe calls it; the signature on the body is checked instead",
}


def test_state_changing_routes_need_a_csrf_token(app, client, world, monkeypatch):
    problems = world.build_all(app)
    assert not problems, "\n".join(problems)
    sign_in(client, world.a.owner)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    failures, checked = [], 0
    for route in routes(app):
        if route.method not in STATE_CHANGING or route.endpoint in CSRF_EXEMPT:
            continue
        try:
            url = build_url(app, route, url_values(route, world.a))
        except Exception as error:
            failures.append(f"{route}: {error}")
            continue
        for htmx in (False, True):
            response = request(client, route, url, htmx=htmx, data={"name": "no token"})
            if response.status_code != 400:
                failures.append(f"{route} htmx={htmx}: {describe(response)}, expected 400")
        forged = request(
            client,
            route,
            url,
            data={"name": "x", "csrf_token": "forged"},
            headers={"X-CSRFToken": "forged"},
        )
        if forged.status_code != 400:
            failures.append(f"{route} with a forged token: {describe(forged)}, expected 400")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 15


def test_a_real_token_is_accepted(app, client, world, monkeypatch):
    # The control: with the page's own token the same kind of request goes through.
    sign_in(client, world.a.owner)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    response = client.post(
        "/account", data={"csrf_token": token.group(1), "name": "Renamed Owner", "locale": "en"}
    )
    assert response.status_code == 303
    # htmx's header token comes from a page that loads htmx (the orders list).
    orders = client.get(f"/b/{world.a.business.handle}/orders/").get_data(as_text=True)
    hx_token = re.search(r'"X-CSRFToken": "([^"]+)"', orders).group(1)
    response = client.post(
        "/account",
        data={"name": "Renamed Again", "locale": "en"},
        headers={"X-CSRFToken": hx_token, "HX-Request": "true"},
    )
    assert response.status_code == 303
