"""The money pages (/b/<handle>/money) and the sections added to other domains' pages.

- blueprint.py       `bp`, imported by the view modules (it imports none of them)
- views_home.py      money home, owner money, the starting point
- views_expenses.py  expenses, categories, recurring expenses
- views_reports.py   reports with CSV and print views
- sections.py        the order page's profit and the business home's prompt
- forms.py, words.py forms, and the plain words of the activity list
"""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_web(app) -> None:
    """Attach the views, register the blueprint, the nav item and the page sections."""
    from kyora.accounting.web import sections, views_expenses, views_home, views_reports  # noqa: F401
    from kyora.accounting.web.blueprint import bp

    app.register_blueprint(bp)
    ui.nav_item(
        app,
        "accounting.index",
        _l("Money"),
        icon="money",
        permission=("view", "accounting"),
        order=50,
        blueprints=("accounting",),
    )
    ui.page_section(
        app,
        "order.page",
        "accounting/_order_profit.html",
        permission=("view", "profit"),
        order=30,
        context=sections.order_profit,
    )
    ui.row_detail(
        app,
        "orders.list",
        "accounting/_order_profit_row.html",
        permission=("view", "profit"),
        context=sections.profits_of_orders,
    )
    ui.page_section(
        app,
        "business.home",
        "accounting/_starting_point_prompt.html",
        permission=("edit", "accounting"),
        order=40,
        context=sections.starting_point_prompt,
    )
