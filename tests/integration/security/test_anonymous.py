"""A visitor who is not logged in reaches only public pages; everything else asks to log in."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.integration.security.routes import build_url, request, routes, url_values


def test_anonymous_visitors_are_sent_to_the_login_page(app, client, world):
    failures, checked = [], 0
    for route in routes(app):
        if route.kind == "public":
            continue
        try:
            url = build_url(app, route, url_values(route, world.a))
        except Exception as error:
            failures.append(f"{route}: {error}")
            continue
        page = request(client, route, url)
        location = page.headers.get("Location", "")
        if page.status_code not in (302, 303) or urlsplit(location).path != "/login":
            failures.append(f"{route}: {page.status_code} {location!r} (expected a login redirect)")
        partial = request(client, route, url, htmx=True)
        hx_location = partial.headers.get("HX-Redirect", "")
        if partial.status_code != 401 or urlsplit(hx_location).path != "/login":
            failures.append(
                f"{route} via htmx: {partial.status_code} {hx_location!r} (expected HX-Redirect)"
            )
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 20
