"""Insights: how the business is doing, in plain words and a few figures.

Where things are:
- models.py      the sales rollup per business day (`sales_day`), each customer's first
                 two sales (`customer_firsts`), the weekly summary preference
- rollup.py      what one order adds to the rollup; receivers.py applies it on every
                 order signal, in the order's own transaction
- rebuild.py     the rollup recomputed from the orders (bulk imports, the large demo,
                 `flask kyora insights rebuild|check`)
- queries.py     reads of the rollup (a period's totals, days, top keys)
- home.py        the business home's sentences, tiles and lists; overview.py the
                 workspace overview of every business
- analytics.py   the sales, customers and inventory analytics
- periods.py     analytics periods read from the URL (shareable)
- charts/        server-drawn SVG charts with a text summary and a data table
- weekly.py      the Monday summary email and its periodic job
- web/           the pages: the home section, /b/<handle>/insights/..., the overview

How the figures stay right: sales, orders, units and customers are counted on the day
an order became a sale; cancelling, returning or editing it corrects that same day
(see models.py). Profit, cash, what customers owe and what is safe to take out come
from the books (accounting), which count a cancel or return on its own day.

May import core, accounts, businesses, customers, inventory, orders and
accounting; never billing or storefront.
"""


def init_app(app) -> None:
    """Connect the rollup to the order signals, add the pages, the job and the command."""
    from kyora.core.cli import kyora_cli
    from kyora.insights import receivers, weekly  # noqa: F401 - declares the weekly job
    from kyora.insights.cli import insights_cli
    from kyora.insights.web import init_web

    receivers.connect()
    kyora_cli.add_command(insights_cli)
    init_web(app)
