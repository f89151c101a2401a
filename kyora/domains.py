"""The list of domains: adding a domain to Kyora is adding its package and a line here."""

# The domains, in dependency order (a domain may import only those before it).
# `create_app` calls each one's `init_app(app)`, which registers its blueprints,
# receivers, periodic jobs and its entries in the shared screens (`core/ui.py`).
DOMAINS = (
    "accounts",
    "businesses",
    "team",
    "customers",
    "inventory",
    "orders",
    "accounting",
    "insights",
    "billing",
    "storefront",
)
