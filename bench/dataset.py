"""Datasets for the benchmarks: a business with a catalog, customers and N orders.

`open_app(path)` makes an app on a SQLite file (or `--database-url`); `build(app, n)`
fills it (bulk insert, as `flask kyora demo --size large` does) and returns the
handle, the variant ids and some customer ids. `cached(n)` keeps built SQLite files
in `.bench-cache/`, so a second run at 1M orders starts at once; `on_postgres(url, n)`
does the same on PostgreSQL with a database of its own (`kyora_bench_pg_100k`), built
once and reused while its schema is current.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from kyora import create_app
from kyora.extensions import db

CACHE = Path(__file__).resolve().parent.parent / ".bench-cache"
OWNER_EMAIL = "bench@kyora.app"
OWNER_PASSWORD = "bench-password-42"  # noqa: S105 - a throwaway benchmark database


def open_app(folder: Path, database_url: str | None = None):
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder / 'bench.db'}",
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
            "MAIL_OUTBOX_DIR": str(folder / "mail"),
        }
    )


def owner_and_business(**business_fields):
    """The bench workspace, its owner (OWNER_EMAIL / OWNER_PASSWORD) and its business,
    "Bench Shop" in the UAE, with `business_fields` on top (flushed, inside an app
    context)."""
    from kyora.accounts.models import User, Workspace
    from kyora.accounts.passwords import hash_password
    from kyora.businesses.models import Business
    from kyora.core.db import utcnow

    workspace = Workspace(name="Bench")
    owner = User(
        workspace=workspace,
        email=OWNER_EMAIL,
        name="Bench Owner",
        password_hash=hash_password(OWNER_PASSWORD),
        role="owner",
        email_verified_at=utcnow(),
    )
    business = Business(
        workspace=workspace,
        name="Bench Shop",
        handle="bench-shop",
        country="AE",
        currency="AED",
        timezone="Asia/Dubai",
        **business_fields,
    )
    db.session.add_all([workspace, owner, business])
    db.session.flush()
    return owner, business


def build(app, orders: int):
    """Create the bench business with `orders` orders; (handle, variant ids, customer ids)."""
    from kyora.demo.orders_bulk import insert_orders
    from kyora.inventory.services import ProductDraft, VariantDraft, create_product
    from kyora.orders.services import setup_new_business

    with app.app_context():
        db.create_all()
        owner, business = owner_and_business(vat_rate=Decimal("0.05"))
        setup_new_business(business)
        for n in range(40):
            draft = ProductDraft(
                name=f"Product {n}",
                option_names=["Size"],
                variants=[
                    VariantDraft(
                        options=[size],
                        price=Decimal(20 + n),
                        cost=Decimal(8 + n // 2),
                        stock=100_000,
                    )
                    for size in ("S", "M", "L")
                ],
            )
            create_product(business, owner, draft)
        db.session.commit()
        started = time.perf_counter()
        insert_orders(business, owner, orders, seed=11)
        db.session.commit()
        print(f"inserted {orders:,} orders in {time.perf_counter() - started:.1f} s")
        # Bulk orders bypass the signals: their sales rollups are rebuilt, as
        # `flask kyora demo --size large` does, and their books filled day by day.
        from kyora.insights.rebuild import rebuild

        started = time.perf_counter()
        fill_daily_books(business)
        db.session.commit()
        timed("daily books filled", started)
        started = time.perf_counter()
        rebuild(business)
        db.session.commit()
        timed("sales rollups rebuilt", started)
        variants = list(
            db.session.execute(sa.text("SELECT id, price FROM product_variant ORDER BY id"))
        )
        from kyora.customers.models import Customer

        customers = list(db.session.scalars(sa.select(Customer.id).limit(2000)))
        return business.handle, [row[0] for row in variants], customers


# (account code, kind, signed amount of an order row): what a sale and its payment post.
SALE_LINES = (
    ("receivable", "sale", "o.total"),
    ("sales", "sale", "-(o.subtotal - CASE WHEN o.vat_included THEN o.vat ELSE 0 END)"),
    ("discounts", "sale", "o.discount"),
    ("vat", "sale", "-o.vat"),
    ("shipping_income", "sale", "-o.shipping"),
    ("cogs", "sale", "o.cost_total"),
    ("inventory", "sale", "-o.cost_total"),
    ("cash", "payment", "o.amount_paid"),
    ("receivable", "payment", "-o.amount_paid"),
)


def fill_daily_books(business) -> None:
    """The ledger's daily rollup for bulk orders, aggregated per day in SQL: the rows
    (and so the reads' cost) the books have for such a year of sales. Replaying a
    million orders entry by entry (`flask kyora books rebuild`) takes hours; the reads
    measured here only ever touch `daily_balance`."""
    from kyora.accounting.ledger import account_ids

    accounts = account_ids(business)
    for code, kind, amount in SALE_LINES:
        db.session.execute(
            sa.text(
                f"""
                INSERT INTO daily_balance (business_id, account_id, day, kind, amount)
                SELECT o.business_id, :account, date(o.confirmed_at), :kind, sum({amount})
                FROM sales_order o
                WHERE o.business_id = :business AND o.confirmed_at IS NOT NULL
                  AND o.status IN ('confirmed', 'ready', 'shipped', 'delivered')
                GROUP BY o.business_id, date(o.confirmed_at)
                ON CONFLICT (business_id, account_id, day, kind)
                DO UPDATE SET amount = daily_balance.amount + excluded.amount
                """
            ),
            {"account": accounts[code], "kind": kind, "business": business.id},
        )


def ids(app) -> tuple[str, list[int], list[int]]:
    """(handle, variant ids, customer ids) of an already built bench database."""
    from kyora.customers.models import Customer

    with app.app_context():
        handle = db.session.scalar(sa.text("SELECT handle FROM business LIMIT 1"))
        variants = list(db.session.scalars(sa.text("SELECT id FROM product_variant ORDER BY id")))
        customers = list(db.session.scalars(sa.select(Customer.id).limit(2000)))
    return handle, variants, customers


def _schema_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(CACHE.parent / "migrations"))
    return "-".join(sorted(ScriptDirectory.from_config(config).get_heads()))


def cached(orders: int, folder: Path):
    """An app on a copy of the cached SQLite database with `orders` orders (built once)."""
    CACHE.mkdir(exist_ok=True)
    # A new migration makes new datasets: the file name carries the schema's head.
    source = CACHE / f"orders-{orders}-{_schema_head()}.db"
    if not source.exists():
        # A folder of its own: two runs building the same size at once must not
        # delete each other's files (the last to finish puts its copy in place).
        building = Path(tempfile.mkdtemp(prefix=f"building-{orders}-", dir=CACHE))
        app = open_app(building)
        build(app, orders)
        with app.app_context():
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            db.engine.dispose()
        (building / "bench.db").replace(source)
        shutil.rmtree(building, ignore_errors=True)
    shutil.copy(source, folder / "bench.db")
    app = open_app(folder)
    return app, ids(app)


def on_postgres(database_url: str, orders: int, folder: Path):
    """An app on the PostgreSQL database `kyora_bench_pg_<size>` beside `database_url`, with
    `orders` orders: created and built the first time, reused afterwards.

    A finished build is marked in the database's comment (order count and schema head);
    a database without that mark (an interrupted build, an older schema) is built anew.
    Runs that save orders leave them in the database: the dataset grows by those saves.
    """
    from sqlalchemy.engine import make_url

    base = make_url(database_url)
    name = f"kyora_bench_pg_{_size_label(orders)}"
    mark = f"kyora bench: {orders} orders, schema {_schema_head()}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(
                sa.text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": name},
            ).first()
            fresh = found is None or found[0] != mark
            if fresh:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
        app = open_app(folder, url)
        if fresh:
            build(app, orders)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            _vacuum_analyze(url)
            with admin.connect() as connection:
                connection.execute(sa.text(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'"))
        else:
            print(f"reusing PostgreSQL database {name}")
    finally:
        admin.dispose()
    return app, ids(app)


def _size_label(orders: int) -> str:
    if orders % 1_000_000 == 0:
        return f"{orders // 1_000_000}m"
    if orders % 1000 == 0:
        return f"{orders // 1000}k"
    return str(orders)


def _vacuum_analyze(url: str) -> None:
    """Statistics for the planner and a visibility map for index-only scans, as
    autovacuum would leave them some minutes after a bulk load."""
    started = time.perf_counter()
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    timed("vacuumed and analyzed", started)


def login(app):
    client = app.test_client()
    response = client.post("/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    assert response.status_code == 303, response.status_code
    return client


def timed(label: str, started: float) -> None:
    print(f"{label} in {time.perf_counter() - started:.1f} s")
