"""Registration points for shared screens: nav items, settings tabs, page sections.

A domain adds itself to the app's chrome and to other domains' pages from its own
`init_app`, never by editing their templates:

    ui.nav_item(app, "accounting.index", _l("Money"), icon="money",
                permission=("view", "accounting"), order=50)
    ui.settings_tab(app, "order_settings.shipping", _l("Delivery zones"),
                    permission=("view", "settings"), order=20, key="shipping")
    ui.page_section(app, "order.page", "accounting/_order_profit.html",
                    permission=("view", "profit"), order=30, context=profit_context)

`ui.highlight_nav(app, "business.settings", "order_settings")` lights an existing entry
up on another domain's pages.

Slots of shared pages (the keyword arguments their `context` callables receive):
- `business.home` (business=)
- `order.page` (business=, order=)
- `customer.page` (business=, customer=)
- `account.profile` (user=): the signed-in user's own profile page

Rows of shared lists take a detail the same way, computed once for the whole page:
    ui.row_detail(app, "orders.list", "accounting/_order_profit_row.html",
                  permission=("view", "profit"), context=profits_of_orders)
where `context(business=, rows=)` returns {row id: value}; the row shows the template
with `value` when its id is there. List: `orders.list` (rows are orders).

An entry shows only when the current user's role allows its permission. A section's
`context(**objects)` returns a dict for its template (available as `section`), or None
to stay hidden for that object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, request

from kyora.core.permissions import can

Permission = tuple[str, str]


@dataclass
class NavItem:
    endpoint: str
    label: object
    icon: str
    permission: Permission
    order: int
    # Blueprints whose pages light this item up as the current one.
    blueprints: list[str] = field(default_factory=list)

    def is_active(self) -> bool:
        return request.endpoint == self.endpoint or request.blueprint in self.blueprints


@dataclass(frozen=True)
class SettingsTab:
    endpoint: str
    label: object
    permission: Permission
    order: int
    key: str

    def is_active(self, current: str | None) -> bool:
        return current == self.key or request.endpoint == self.endpoint


@dataclass(frozen=True)
class PageSection:
    slot: str
    template: str
    permission: Permission | None
    order: int
    context: Callable[..., dict | None] | None = None


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    tabs: list[SettingsTab] = field(default_factory=list)
    sections: dict[str, list[PageSection]] = field(default_factory=dict)
    row_details: dict[str, list[PageSection]] = field(default_factory=dict)


def registry(app: Flask | None = None) -> Registry:
    """The app's registered entries (tests may swap a slot's sections)."""
    app = app or current_app
    return app.extensions.setdefault("kyora_ui", Registry())


def nav_item(
    app: Flask,
    endpoint: str,
    label,
    *,
    icon: str,
    permission: Permission,
    order: int,
    blueprints: tuple[str, ...] = (),
) -> None:
    """Add an entry to the main navigation (side nav on desktop, bottom nav on phones)."""
    reg = registry(app)
    reg.nav.append(NavItem(endpoint, label, icon, permission, order, list(blueprints)))
    reg.nav.sort(key=lambda item: item.order)


def highlight_nav(app: Flask, endpoint: str, blueprint: str) -> None:
    """Light up the nav entry `endpoint` on the pages of another domain's `blueprint`
    (a domain's settings pages light up "Settings")."""
    for item in registry(app).nav:
        if item.endpoint == endpoint and blueprint not in item.blueprints:
            item.blueprints.append(blueprint)


def settings_tab(
    app: Flask, endpoint: str, label, *, permission: Permission, order: int, key: str
) -> None:
    """Add a tab to the business settings tab bar."""
    reg = registry(app)
    reg.tabs.append(SettingsTab(endpoint, label, permission, order, key))
    reg.tabs.sort(key=lambda tab: tab.order)


def page_section(
    app: Flask,
    slot: str,
    template: str,
    *,
    permission: Permission | None = None,
    order: int = 100,
    context: Callable[..., dict | None] | None = None,
) -> None:
    """Add a section (an included template) to the shared page named by `slot`."""
    sections = registry(app).sections.setdefault(slot, [])
    sections.append(PageSection(slot, template, permission, order, context))
    sections.sort(key=lambda section: section.order)


def row_detail(
    app: Flask,
    list_name: str,
    template: str,
    *,
    permission: Permission | None = None,
    order: int = 100,
    context: Callable[..., dict] | None = None,
) -> None:
    """Add a detail to every row of the shared list `list_name` (see the module doc)."""
    details = registry(app).row_details.setdefault(list_name, [])
    details.append(PageSection(list_name, template, permission, order, context))
    details.sort(key=lambda detail: detail.order)


def _allowed(permission: Permission | None) -> bool:
    return permission is None or can(*permission)


def visible_nav_items() -> list[NavItem]:
    """The nav entries the current user may open."""
    return [
        item
        for item in registry().nav
        if item.endpoint in current_app.view_functions and _allowed(item.permission)
    ]


def visible_settings_tabs() -> list[SettingsTab]:
    """The settings tabs the current user may open."""
    return [
        tab
        for tab in registry().tabs
        if tab.endpoint in current_app.view_functions and _allowed(tab.permission)
    ]


def render_sections(slot: str, **objects) -> list[dict]:
    """The sections of `slot` to include for these objects, each as its template's
    `section` dict (with `template` set)."""
    shown = []
    for section in registry().sections.get(slot, []):
        if not _allowed(section.permission):
            continue
        context = section.context(**objects) if section.context else {}
        if context is None:
            continue
        shown.append({**context, "template": section.template})
    return shown


def render_row_details(list_name: str, **objects) -> list[dict]:
    """The details of `list_name` the user may see, each {"template", "values"} with the
    values of the given rows (one call per detail for the whole page)."""
    shown = []
    for detail in registry().row_details.get(list_name, []):
        if _allowed(detail.permission):
            values = detail.context(**objects) if detail.context else {}
            shown.append({"template": detail.template, "values": values or {}})
    return shown


def init_app(app: Flask) -> None:
    """Make the registered entries available to every template."""
    registry(app)
    app.jinja_env.globals.update(
        nav_items=visible_nav_items,
        settings_tabs=visible_settings_tabs,
        page_sections=render_sections,
        row_details=render_row_details,
    )
