"""The insights pages and the business home's section.

- blueprint.py         `bp` (/b/<handle>/insights) and `workspace_bp` (/overview)
- sections.py          the business home: sentences, tiles, chart and lists
- views_analytics.py   sales, customers and inventory analytics
- views_overview.py    every business of the workspace in one line each
- views_summary.py     the weekly summary preference (on the profile page)
"""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_web(app) -> None:
    """Attach the views, register the blueprints, the nav item and the sections."""
    from kyora.insights.web import (  # noqa: F401
        sections,
        views_analytics,
        views_overview,
        views_summary,
    )
    from kyora.insights.web.blueprint import bp, workspace_bp

    app.register_blueprint(bp)
    app.register_blueprint(workspace_bp)
    ui.nav_item(
        app,
        "insights.sales",
        _l("Insights"),
        icon="insights",
        permission=("view", "reports"),
        order=45,
        blueprints=("insights",),
    )
    ui.page_section(
        app,
        "business.home",
        "insights/_home.html",
        permission=("view", "business"),
        order=5,
        context=sections.home_section,
    )
    ui.page_section(
        app,
        "account.profile",
        "insights/_summary_pref.html",
        permission=None,
        order=10,
        context=views_summary.summary_section,
    )
