"""Businesses: the shops inside a workspace, their profile and settings.

Where things are:
- `models.py`: Business (handle, country, currency, time zone, VAT, contacts, logo).
- `services.py`: create, update, archive/restore, handle rules (reserved words,
  availability), the loader behind /b/<handle> URLs.
- `events.py`: business_creating (billing may refuse), business_created (higher domains
  set up their defaults), currency_change_requested (orders lock the currency).
- `views.py`, `forms.py`, `blueprint.py`: onboarding, new business, the business home
  (with sections other domains register: core/ui.py slot `business.home`) and settings.
- `switcher.py`: the business switcher's list in the page chrome.

May import: `kyora.core`, `kyora.accounts`.
"""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    """Register the business pages, the /b/<handle> loader, the switcher and nav entries."""
    from kyora.businesses import services, views  # noqa: F401  (views attach to the blueprints)
    from kyora.businesses.blueprint import bp, home_bp
    from kyora.businesses.switcher import WorkspaceBusinesses
    from kyora.core.tenancy import set_business_loader

    app.register_blueprint(bp)
    app.register_blueprint(home_bp)
    set_business_loader(services.get_business_for_user)
    switcher = WorkspaceBusinesses()
    app.context_processor(lambda: {"workspace_businesses": switcher})
    ui.nav_item(
        app, "business.home", _l("Home"), icon="home", permission=("view", "business"), order=10
    )
    ui.nav_item(
        app,
        "business.settings",
        _l("Settings"),
        icon="settings",
        permission=("view", "settings"),
        order=90,
    )
    ui.settings_tab(
        app,
        "business.settings",
        _l("Business"),
        permission=("view", "settings"),
        order=10,
        key="business",
    )
