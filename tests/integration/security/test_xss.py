"""User-entered text renders inert on every page, and nothing bypasses escaping unreviewed."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.integration.security.routes import (
    XSS_PAYLOAD,
    XSS_RAW,
    build_url,
    describe,
    make_world_tenant,
    request,
    routes,
    sign_in,
    url_values,
)

ROOT = Path(__file__).resolve().parents[3]

# Every `|safe` or `Markup(` in templates/ and kyora/, with the reason it is safe.
# Keyed by file and the exact code, so a new use (or a moved one) must be reviewed here.
# Reviewed uses of `|safe` / Markup(): none.
SAFE_ALLOWED: dict[tuple[str, str], str] = {
    # The SVG writer: tag and attribute names come from the code; every attribute value
    # and text is escaped with `escape`, and child elements are Markup already.
    (
        "kyora/insights/charts/base.py",
        'return Markup("".join(parts))  # noqa: S704  (names from the code, values escaped)',
    ): "tag and attribute names from the code; values and text escaped",
    ("kyora/insights/charts/base.py", 'return Markup("").join(parts)'): "join escapes str parts",
    # The home's sentences: figures are escaped (`_safe`), names isolated and escaped
    # (`_user_text`); the translated sentence around them is Kyora's own text.
    ("kyora/insights/words.py", "return Markup(text)  # noqa: S704"): "trusted translation",
    (
        "kyora/insights/words.py",
        """return Markup('<bdi dir="auto">%s</bdi>') % value""",
    ): "% escapes the name",
    # The plan-limit message with its link: message and link text escaped by format.
    (
        "kyora/billing/limits.py",
        """return Markup('{} <a href="{}">{}</a>').format(""",
    ): "arguments escaped by format",
}
_UNSAFE = re.compile(r"\|\s*safe\b|\bMarkup\(")


def _payload_tenant():
    tenant = make_world_tenant("x", names=XSS_PAYLOAD)
    tenant.cache["names"] = XSS_PAYLOAD  # products and customers get it too
    return tenant


def _walk(app, client, tenant, failures, user):
    sign_in(client, user)
    shown = 0
    for route in routes(app):
        if route.method != "GET":
            continue
        try:
            url = build_url(app, route, url_values(route, tenant))
        except Exception as error:
            failures.append(f"{route}: {error}")
            continue
        response = request(client, route, url)
        if response.status_code >= 500:
            failures.append(f"{route}: {describe(response)}")
            continue
        if "html" not in (response.headers.get("Content-Type") or ""):
            continue  # CSV and plain text are not parsed by the browser as markup
        body = response.get_data(as_text=True)
        raw = [piece for piece in XSS_RAW if piece in body]
        if raw:
            at = body.index(raw[0])
            failures.append(
                f"{route} {url}: renders {raw} unescaped in …{body[at - 120 : at + 40]!r}"
            )
        shown += html.escape(XSS_PAYLOAD, quote=False)[:20] in body or "&lt;script&gt;" in body
    client.post("/logout")
    return shown


def test_names_with_markup_render_as_text_everywhere(app, client):
    tenant = _payload_tenant()
    needed = {name for route in routes(app) for name in route.params}
    from tests.integration.security.routes import PARAMS

    problems = []
    for name in needed & set(PARAMS):
        try:
            PARAMS[name].build(tenant)
        except Exception as error:
            problems.append(f"building {name!r}: {error!r}")
    assert not problems, "\n".join(problems)
    failures = []
    shown = _walk(app, client, tenant, failures, tenant.owner)
    _walk(app, client, tenant, failures, tenant.member)
    assert not failures, "\n".join(failures)
    # The control: the payload was on the pages (escaped), so the check looked at it.
    assert shown >= 3


def test_no_unreviewed_safe_filter_or_markup():
    found = {}
    for folder in ("templates", "kyora"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".html", ".txt", ".py", ".xml", ".svg"):
                continue
            relative = path.relative_to(ROOT).as_posix()
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                if _UNSAFE.search(line):
                    found[(relative, line.strip())] = number
    unreviewed = [
        f"{path}:{number}: {code}"
        for (path, code), number in found.items()
        if (path, code) not in SAFE_ALLOWED
    ]
    assert not unreviewed, (
        "`|safe` / Markup() bypass escaping. Remove them, or review and add them to "
        "SAFE_ALLOWED in this file:\n  " + "\n  ".join(unreviewed)
    )
    stale = [key for key in SAFE_ALLOWED if key not in found]
    assert not stale, f"SAFE_ALLOWED lists code that is gone: {stale}"


def test_the_scan_would_catch_a_safe_filter():
    assert _UNSAFE.search("{{ business.name|safe }}")
    assert _UNSAFE.search("{{ note | safe }}")
    assert _UNSAFE.search("return Markup(text)")
    assert not _UNSAFE.search("{{ business.name }}")
