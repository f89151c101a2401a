"""Customers: who buys, how to reach them, where to deliver, and what they owe.

Where things are:
- `models.py`: Customer (phone, handles, email, tags, order stats), Address, CustomerNote.
- `services.py`: the customers API for other domains: create/update, find or create
  from an order (`find_or_create_customer`), stats that orders keep up to date, delete.
- `identity.py`: pure rules for recognising a person (handles, emails, names, tags);
  phones are normalised by `core/phones.py`.
- `cleaning.py`: checking what is typed and keeping phones and handles unique.
- `addresses_notes.py`: a customer's addresses and timeline notes.
- `merging.py`: merging duplicates (orders move through `events.customers_merged`).
- `search.py`: the trigram search index (SQLite FTS5 table / PostgreSQL pg_trgm) and
  the one search condition the customers and orders lists share.
- `queries.py`: the list (search, filters, sort; a broad short search counted only so
  far), the page's reads.
- `duplicates.py`: possible duplicates (indexed lookups, never every pair compared).
- `exports.py`: the CSV export.
- `events.py`: customers_merged, customer_deleting, customer_created.
- `views.py`, `forms.py`, `blueprint.py`: the pages; other domains add sections to the
  customer page through core/ui.py (slot `customer.page`).

May import: `kyora.core`, `kyora.accounts`, `kyora.businesses`.
"""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    """Register the customer pages and the nav entry."""
    # Views attach to the blueprint; search creates its index with the customer table.
    from kyora.customers import search, views  # noqa: F401
    from kyora.customers.blueprint import bp

    app.register_blueprint(bp)
    ui.nav_item(
        app,
        "customers.index",
        _l("Customers"),
        icon="customers",
        permission=("view", "customers"),
        order=30,
        blueprints=("customers",),
    )
