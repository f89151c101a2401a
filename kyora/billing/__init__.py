"""Billing: plans, Stripe Checkout and Customer Portal, webhooks, and the plan limits.

Billing is on only when STRIPE_SECRET_KEY is set. Off (self-hosted, development,
most tests) there is no plan step, no limit, no billing page and no webhook route.

Where things are:
- plans.py      the plans from the settings (BILLING_PLANS); "unlimited" is None
- models.py     the workspace's subscription row; Stripe events already handled
- gateway.py    the Stripe client (STRIPE_API_BASE points it at a local fake in tests)
- limits.py     usage (orders this month, people incl. invitations, businesses) and
                the receivers that refuse a gated write over the plan or past the grace
- services.py   plan choice, Checkout, the one fulfilment function, plan changes,
                the portal, invoices, emails to the owner
- webhooks.py   signature check, once per event id, newest event wins
- cli.py        `flask kyora billing sync-plans`
- web/          the billing page, the plan step, Checkout's return, the webhook route

May import: core, accounts, businesses, team, orders (events/models); never
accounting, insights or storefront.
"""


def init_app(app) -> None:
    """Connect the limit checks; with billing on, add the pages, the banner and the CLI."""
    from kyora.billing import limits
    from kyora.billing.cli import billing_cli
    from kyora.core.cli import kyora_cli

    # Signals are shared by every app in the process: each check asks its own app
    # whether billing is on.
    limits.connect()
    kyora_cli.add_command(billing_cli)
    if not app.config.get("STRIPE_SECRET_KEY"):
        return
    from kyora.billing.web import views, webhook  # noqa: F401
    from kyora.billing.web.blueprint import bp
    from kyora.billing.web.notice import billing_notice

    app.register_blueprint(bp)
    app.context_processor(lambda: {"billing_notice": billing_notice})
