"""Hostile input is normal input: every form route, posted boundary values, never a 5xx.

The walk finds the forms itself: it reads every field name from every page an owner
can open, then posts each hostile value in all those fields at once to every
state-changing route (and once more as file parts where text belongs). A route answers
with a page, a field error (422), a redirect, 400/403/404/409/413/429 — anything but a
server error.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.integration.security.routes import (
    STATE_CHANGING,
    build_url,
    describe,
    make_world_tenant,
    request,
    routes,
    sign_in,
    url_values,
)

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-0.001",
    "1e309",
    "NaN",
    "-Infinity",
    "9" * 40,
    "1.123456789123",
    str(2**31),
    str(2**63),
    "٣٤٥٫٦",
    "1,000,000,000,000,000",
    "<script>alert(1)</script>",
    "' OR 1=1; --",
    "\x00\x01",
    "\u202e\u200b\ufeff😀\U0001f9d5\u200d\u2640",
    "x" * 20_000,
    "2026-13-45",
    "9999-12-31",
    "0001-01-01",
]
# Routes whose effect would end the walk for the rest (signing out, giving the
# workspace away): posted last.
LAST = ("logout", "transfer", "archive", "delete", "remove", "revoke")
_FIELD = re.compile(r'\bname="([A-Za-z_][\w-]{0,60})"')


def _field_names(app, client, tenant) -> set[str]:
    names: set[str] = set()
    for route in routes(app):
        if route.method != "GET":
            continue
        url = build_url(app, route, url_values(route, tenant))
        response = request(client, route, url)
        if "html" in (response.headers.get("Content-Type") or ""):
            names.update(_FIELD.findall(response.get_data(as_text=True)))
    names.discard("csrf_token")
    return names


def _post_routes(app):
    found = [route for route in routes(app) if route.method in STATE_CHANGING]
    return sorted(found, key=lambda route: any(word in route.endpoint for word in LAST))


@pytest.fixture
def fuzz_tenant(app):
    tenant = make_world_tenant("f")
    return tenant


def _walk(app, client, tenant, payloads) -> tuple[list[str], int]:
    failures, sent = [], 0
    sign_in(client, tenant.owner)
    names = sorted(_field_names(app, client, tenant))
    assert len(names) > 40, names  # the walk really found the forms
    for route in _post_routes(app):
        try:
            url = build_url(app, route, url_values(route, tenant))
        except Exception as error:
            failures.append(f"{route}: no URL ({error!r})")
            continue
        for label, data in payloads(names):
            response = request(client, route, url, data=data)
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{route} with {label}: {describe(response)}")
            if response.status_code == 401 or "/login" in response.headers.get("Location", ""):
                sign_in(client, tenant.owner)  # the route signed us out: carry on signed in
    return failures, sent


def test_no_form_route_fails_on_hostile_values(app, client, fuzz_tenant):
    def payloads(names):
        for value in HOSTILE:
            yield repr(value[:20]), {name: value for name in names}
        # The same field twice, with two different values.
        yield "duplicated fields", {name: ["1", "x"] for name in names}

    failures, sent = _walk(app, client, fuzz_tenant, payloads)
    assert sent > 500
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


def test_no_form_route_fails_on_a_file_where_text_belongs(app, client, fuzz_tenant):
    def payloads(names):
        yield (
            "files in every field",
            {name: (io.BytesIO(b"\x89PNG\r\n\x1a\n not text"), "x.png") for name in names},
        )

    failures, sent = _walk(app, client, fuzz_tenant, payloads)
    assert sent > 20
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])
