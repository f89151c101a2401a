"""Members (helpers) are refused admin routes and never see a cost or a profit figure."""

from __future__ import annotations

from kyora.core.permissions import role_allows
from tests.integration.security.routes import (
    COST,
    COST_MARKERS,
    build_url,
    describe,
    page_text,
    request,
    routes,
    sign_in,
    url_values,
)


def _member_may(route) -> bool:
    return route.permission is None or role_allows("member", *route.permission)


def test_members_are_refused_every_admin_route(app, client, world):
    problems = world.build_all(app)
    assert not problems, "\n".join(problems)
    sign_in(client, world.a.member)
    failures, checked = [], 0
    for route in routes(app):
        if _member_may(route):
            continue
        try:
            url = build_url(app, route, url_values(route, world.a))
        except Exception as error:
            failures.append(f"{route}: {error}")
            continue
        for htmx in (False, True):
            response = request(client, route, url, htmx=htmx, data={"name": "helper"})
            if response.status_code not in (403, 404):
                failures.append(f"{route} htmx={htmx}: {describe(response)}, expected 403 or 404")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 5  # the team pages at least


def _get_pages(app, client, world, only_member_pages: bool):
    """(route, url, response) of every GET page, bare and with a search for the product."""
    product = world.a.cache.get("product")
    search = product.name if product is not None else "Scarf"
    for route in routes(app):
        if route.method != "GET" or (only_member_pages and not _member_may(route)):
            continue
        url = build_url(app, route, url_values(route, world.a))
        for query in ("", f"?q={search}"):
            yield route, url + query, request(client, route, url + query)
        # The same page asked for by htmx (type-ahead and live parts answer htmx only).
        yield (
            route,
            f"{url}?q={search} (htmx)",
            request(client, route, f"{url}?q={search}", htmx=True),
        )


def test_members_never_see_cost_or_profit(app, client, world):
    problems = world.build_all(app)
    assert not problems, "\n".join(problems)

    if "product" in world.a.cache:
        # The control: the owner sees the cost somewhere, so the markers are real.
        sign_in(client, world.a.owner)
        seen = any(
            str(COST) in page_text(response)
            for _route, _url, response in _get_pages(app, client, world, only_member_pages=False)
        )
        assert seen, (
            "no page shows the owner the product's cost: the member check would prove nothing"
        )
        client.post("/logout")

    sign_in(client, world.a.member)
    failures, opened = [], 0
    for route, url, response in _get_pages(app, client, world, only_member_pages=True):
        if response.status_code >= 500:
            failures.append(f"{route} {url}: {describe(response)}")
            continue
        body = page_text(response)
        leaked = [marker for marker in COST_MARKERS if marker in body]
        if leaked:
            failures.append(f"{route} {url}: shows {leaked} to a member")
        opened += response.status_code == 200
    assert not failures, "\n".join(failures)
    assert opened >= 3


def test_members_menu_links_only_to_pages_they_can_open(app, client, world):
    sign_in(client, world.a.member)
    body = client.get(f"/b/{world.a.business.handle}/").get_data(as_text=True)
    admin_pages = sorted(
        {
            build_url(app, route, url_values(route, world.a))
            for route in routes(app)
            if route.method == "GET" and not _member_may(route) and set(route.params) <= {"handle"}
        }
    )
    assert admin_pages, "no admin-only pages found: the check would prove nothing"
    shown = [link for link in admin_pages if f'href="{link}"' in body]
    assert not shown, f"the member's pages link to admin pages: {shown}"
