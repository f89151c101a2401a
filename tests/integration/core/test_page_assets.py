"""Each page loads only the CSS and JavaScript it uses, and still gets all it needs.

htmx loads only on pages with an htmx attribute: a page that has one without the
script would have buttons and filters that silently fall back to full page loads (or,
for a `hx-post` without a form around it, do nothing). A domain's stylesheet loads only
on the pages that use its classes: a page (or a fragment htmx swaps into one) that uses
them without it would look broken. Pico is a trimmed copy: a base rule lost in the trim
would change how every page looks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from kyora.core.assets import DOMAIN_STYLESHEETS
from tests.factories import login, make_customer, make_order, make_product, make_tenant
from tests.integration.security.routes import (
    build_url,
    describe,
    make_world_tenant,
    request,
    routes,
    sign_in,
    url_values,
)

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "static" / "vendor"
FULL_PICO = VENDOR / "pico-2.1.1.jade.min.css"
TRIMMED_PICO = VENDOR / "pico-2.1.1.jade.trimmed.min.css"
CSS = ROOT / "static" / "css"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/(css/[a-z]+)\.[0-9a-f]{12}\.css">')
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
HTMX_SCRIPT = re.compile(
    r'<script src="/static/js/app\.[0-9a-f]{12}\.js" defer'
    r' data-htmx="/static/vendor/htmx-[\d.]+min\.[0-9a-f]{12}\.js">'
)


class _HtmxAttributes(HTMLParser):
    """The htmx attributes (`hx-*`, `data-hx-*`) of a page's real elements, not its text."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, _value in attrs:
            if name.startswith(("hx-", "data-hx-")):
                self.found.append(f"<{tag} {name}>")


def htmx_attributes(html: str) -> list[str]:
    parser = _HtmxAttributes()
    parser.feed(html)
    return parser.found


def _domain_classes() -> dict[str, set[str]]:
    """Each domain stylesheet's class names that no shared stylesheet styles."""
    shared = set(re.findall(r"\.([a-z][\w-]*)", (CSS / "app.css").read_text("utf-8")))
    shared |= set(re.findall(r"\.([a-z][\w-]*)", TRIMMED_PICO.read_text("utf-8")))
    return {
        name: set(re.findall(r"\.([a-z][\w-]*)", (ROOT / "static" / name).read_text("utf-8")))
        - shared
        for name in DOMAIN_STYLESHEETS
    }


DOMAIN_CLASSES = _domain_classes()


def _missing_stylesheets(html: str, linked: set[str]) -> list[str]:
    """Domain classes the markup uses whose stylesheet is not in `linked`."""
    used = {name for value in CLASS_ATTRIBUTE.findall(html) for name in value.split()}
    return sorted(
        f"{cls} ({sheet})"
        for sheet, classes in DOMAIN_CLASSES.items()
        if sheet not in linked
        for cls in used & classes
    )


def _blueprint_stylesheets(endpoint: str) -> set[str]:
    blueprint = endpoint.rpartition(".")[0]
    return {name for name, (blueprints, _) in DOMAIN_STYLESHEETS.items() if blueprint in blueprints}


def _check_pages(app, client, tenant, failures: list[str]) -> dict[str, int]:
    """Check every HTML page and fragment of the GET routes: htmx where it is used, the
    domain stylesheets its classes need (a fragment: those its own pages always link).
    Counts pages with and without htmx."""
    counts = {"with": 0, "without": 0}
    for route in routes(app):
        if route.method != "GET":
            continue
        url = build_url(app, route, url_values(route, tenant))
        response = request(client, route, url)
        if response.status_code >= 500:
            failures.append(f"{route}: {describe(response)}")
            continue
        if "text/html" not in (response.headers.get("Content-Type") or ""):
            continue
        body = response.get_data(as_text=True)
        if "<html" not in body:
            # A fragment htmx swaps into a page of its own domain.
            missing = _missing_stylesheets(body, _blueprint_stylesheets(route.endpoint))
            if missing:
                failures.append(f"fragment {route} {url}: no stylesheet for {missing[:3]}")
            continue
        missing = _missing_stylesheets(body, {f"{name}.css" for name in _stylesheets(body)})
        if missing:
            failures.append(f"{route} {url}: no stylesheet for {missing[:3]}")
        attributes = htmx_attributes(body)
        has_script = HTMX_SCRIPT.search(body) is not None
        if attributes and not has_script:
            failures.append(f"{route} {url}: {attributes[:3]} but no htmx script")
        counts["with" if has_script else "without"] += 1
    return counts


def test_every_page_with_an_htmx_attribute_loads_htmx(app, client):
    tenant = make_world_tenant("assets")
    failures: list[str] = []
    anonymous = _check_pages(app, client, tenant, failures)
    sign_in(client, tenant.owner)
    owner = _check_pages(app, client, tenant, failures)
    assert not failures, "\n".join(failures)
    # The control: both kinds of page were seen, so the switch does something and the
    # check above looked at pages that need htmx.
    assert anonymous["without"] >= 3
    assert owner["with"] >= 5 and owner["without"] >= 5


def test_a_page_without_htmx_attributes_skips_htmx_but_keeps_its_scripts(client):
    html = client.get("/login").get_data(as_text=True)
    assert not htmx_attributes(html)
    assert not HTMX_SCRIPT.search(html)
    assert "htmx-config" not in html and "hx-headers" not in html
    assert re.search(r'<script src="/static/js/app\.[0-9a-f]{12}\.js" defer>', html)
    assert re.search(r'<link rel="stylesheet" href="/static/css/kyora\.[0-9a-f]{12}\.css">', html)


def test_a_page_with_htmx_attributes_loads_htmx_with_its_csrf_header(client):
    owner, business = make_tenant()
    login(client, owner)
    html = client.get(f"/b/{business.handle}/orders/").get_data(as_text=True)
    assert htmx_attributes(html)
    assert HTMX_SCRIPT.search(html)
    assert 'name="htmx-config"' in html
    assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)


def _stylesheets(html: str) -> list[str]:
    return STYLESHEET.findall(html)


def test_a_page_links_the_shared_stylesheet_and_only_the_domains_it_uses(client):
    owner, business = make_tenant()
    login(client, owner)
    orders = client.get(f"/b/{business.handle}/orders/").get_data(as_text=True)
    assert _stylesheets(orders) == ["css/kyora", "css/orders"]
    money = client.get(f"/b/{business.handle}/money/").get_data(as_text=True)
    assert "css/money" in _stylesheets(money) and "css/orders" not in _stylesheets(money)
    # A customer's page shows their orders, styled by the orders' stylesheet.
    customer = make_customer(business, name="Sara")
    scarf = make_product(business, stock=3)
    make_order(business, owner, [(scarf.variants[0], 1)], customer_id=customer.id)
    page = client.get(f"/b/{business.handle}/customers/{customer.id}").get_data(as_text=True)
    assert "ord-" in page
    assert _stylesheets(page)[:1] == ["css/kyora"]
    assert {"css/customers", "css/orders"} <= set(_stylesheets(page))
    # The login page needs no domain's rules.
    client.post("/logout")
    assert _stylesheets(client.get("/login").get_data(as_text=True)) == ["css/kyora"]


def _rule_body(css: str, selector: str) -> str:
    """The declarations of the first rule whose selector list is exactly `selector`."""
    match = re.search(r"(?:^|[}/])" + re.escape(selector) + r"\{([^}]*)\}", css)
    assert match, f"no rule {selector!r} in the trimmed Pico"
    return match.group(1)


def test_trimmed_pico_keeps_the_base_rules_and_variables():
    css = TRIMMED_PICO.read_text("utf-8")
    assert len(css) < 0.8 * FULL_PICO.stat().st_size
    # The custom properties, the light theme and the page base.
    assert "--pico-font-family:" in _rule_body(css, ":host,:root")
    light = _rule_body(
        css, ":host(:not([data-theme=dark])),:root:not([data-theme=dark]),[data-theme=light]"
    )
    assert "--pico-primary-background:" in light and "--pico-background-color:" in light
    assert "background-color:var(--pico-background-color)" in _rule_body(
        css, ":where(:host),:where(:root)"
    )
    assert "font-family:var(--pico-font-family)" in css
    # Buttons, form fields and their states, right-to-left layout.
    assert "--pico-background-color:var(--pico-primary-background)" in css
    assert "input,select,textarea" in css and "[aria-invalid=true]" in css
    assert ":focus-visible" in css and "[aria-busy=true]" in css and "[dir=rtl]" in css
    assert ":where(a:not([role=button])),[role=link]" in css
    assert "details.dropdown>summary" in css
    # The dark theme is gone: every page is light.
    assert "[data-theme=dark]{" not in css and "prefers-color-scheme:dark" not in css


def _template_classes() -> set[str]:
    classes = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', path.read_text("utf-8")):
            classes.update(re.findall(r"(?<![\w{~'-])[a-z][\w-]*(?![\w}'-])", value))
    return classes


def test_trimmed_pico_keeps_every_pico_class_the_templates_use():
    full_classes = set(re.findall(r"\.([a-z][\w-]*)", FULL_PICO.read_text("utf-8")))
    trimmed = set(re.findall(r"\.([a-z][\w-]*)", TRIMMED_PICO.read_text("utf-8")))
    used = _template_classes() & full_classes
    assert {"secondary", "outline"} <= used  # the control: the scan finds Pico's classes
    assert not used - trimmed, f"Pico classes used but trimmed away: {sorted(used - trimmed)}"
