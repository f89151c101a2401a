"""The business home's sentences: figures turned into plain words, each with a link to
the page that explains it. The weekly email uses the same sentences.

Every sentence is one translated message with named figures (plural forms through
`ngettext`), never pieces glued together. Figures are formatted for the reader's
language; product names are user text, isolated with <bdi>.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_percent
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from kyora.core.money import format_money
from kyora.insights.home import Home


@dataclass(frozen=True)
class Sentence:
    key: str
    html: Markup
    href: str

    @property
    def text(self) -> str:
        return self.html.striptags()


def _safe(**params) -> dict:
    """Figures escaped for HTML (names are isolated so Arabic and English mix well)."""
    return {
        name: (value if isinstance(value, int | Markup) else escape(str(value)))
        for name, value in params.items()
    }


def _trusted(text: str) -> Markup:
    """A translated sentence whose figures were all escaped (`_safe`, `_user_text`): the
    translation itself is Kyora's own text, so the whole is safe HTML."""
    return Markup(text)  # noqa: S704


def _user_text(value: str) -> Markup:
    return Markup('<bdi dir="auto">%s</bdi>') % value


def change_share(now: Decimal, before: Decimal) -> Decimal | None:
    """How much `now` moved from `before`, as a share of `before` (None when there was
    nothing to compare with)."""
    if before <= 0:
        return None
    return (now - before) / before


def profit_sentence(home: Home, money: Callable, locale: str) -> Markup:
    profit = home.profit["month"]
    share = change_share(profit, home.profit["last_month_so_far"])
    if profit < 0:
        return _trusted(
            _(
                "So far this month you spent %(amount)s more than you earned.",
                **_safe(amount=money(-profit)),
            )
        )
    if share is None:
        return _trusted(
            _("You made %(amount)s profit so far this month.", **_safe(amount=money(profit)))
        )
    change = format_percent(abs(share), locale=locale)
    if share >= 0:
        text = _(
            "You made %(amount)s profit so far this month, %(change)s more than by this day last month.",
            **_safe(amount=money(profit), change=change),
        )
    else:
        text = _(
            "You made %(amount)s profit so far this month, %(change)s less than by this day last month.",
            **_safe(amount=money(profit), change=change),
        )
    return _trusted(text)


def sentences(
    home: Home, business, *, link: Callable, locale: str, with_money: bool
) -> list[Sentence]:
    """The home's sentences in order of importance. `link(endpoint, **args)` builds
    a URL (external ones in emails)."""

    def money(amount):
        return format_money(amount, business.currency, locale)

    handle = business.handle
    said: list[Sentence] = []

    def say(key: str, html, endpoint: str, args: dict | None = None) -> None:
        url = link(endpoint, handle=handle, **(args or {}))
        said.append(Sentence(key, _trusted(html), url))

    # Members cannot open the analytics: their links go to the lists behind the figures.
    if with_money:
        sales_link = ("insights.sales", {"period": "month"})
        customers_link = ("insights.customers", {"period": "week"})
    else:
        sales_link = ("orders.index", {"period": "this_month"})
        customers_link = ("customers.index", {"sort": "newest"})
    month = home.sales["month"]
    if with_money:
        say(
            "profit",
            profit_sentence(home, money, locale),
            "accounting.report_profit",
            {"period": "month"},
        )
    if month.orders > 0:
        say(
            "sales",
            ngettext(
                "You sold %(amount)s on %(num)d order this month.",
                "You sold %(amount)s on %(num)d orders this month.",
                month.orders,
                **_safe(amount=money(month.sales)),
            ),
            *sales_link,
        )
    else:
        say("sales", escape(_("No sales yet this month.")), "orders.new")
    if home.top_products:
        product, delta = home.top_products[0]
        say(
            "best_seller",
            ngettext(
                "Your best seller this month is %(name)s (%(num)d sold).",
                "Your best seller this month is %(name)s (%(num)d sold).",
                delta.units,
                name=_user_text(product.name),
            ),
            "inventory.show",
            {"product_id": product.id},
        )
    if home.low_products:
        say(
            "low_stock",
            ngettext(
                "%(num)d product is running low.",
                "%(num)d products are running low.",
                home.low_products,
            ),
            "inventory.index",
            {"stock": "low"},
        )
    if home.owed_orders:
        if with_money and home.money is not None and home.money.owed_to_you > 0:
            text = ngettext(
                "Customers owe you %(amount)s on %(num)d order.",
                "Customers owe you %(amount)s on %(num)d orders.",
                home.owed_orders,
                **_safe(amount=money(home.money.owed_to_you)),
            )
        else:
            text = ngettext(
                "%(num)d order is waiting for payment.",
                "%(num)d orders are waiting for payment.",
                home.owed_orders,
            )
        say("owed", text, "orders.index", {"payment": "due"})
    if home.to_ship:
        say(
            "to_ship",
            ngettext(
                "%(num)d order is waiting to be shipped.",
                "%(num)d orders are waiting to be shipped.",
                home.to_ship,
            ),
            "orders.index",
            {"status": "to_ship"},
        )
    new_customers = home.sales["week"].new_customers
    if new_customers > 0:
        say(
            "new_customers",
            ngettext(
                "%(num)d new customer bought from you this week.",
                "%(num)d new customers bought from you this week.",
                new_customers,
            ),
            *customers_link,
        )
    if with_money and home.money is not None:
        safe = home.money.safe_to_take_out
        if safe > 0:
            text = _("You can safely take out %(amount)s.", **_safe(amount=money(safe)))
        else:
            text = _("Keep your cash in the business for now: nothing is safe to take out yet.")
        say("safe", text, "accounting.index")
    return said
