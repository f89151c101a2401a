"""The list pages keep their plans as a business grows: the same statements, the same
indexes on SQLite, and no full read of a big table on either engine.

Every statement a page issues is caught as it is sent (`before_cursor_execute`) and
explained afterwards with the same parameters — `EXPLAIN QUERY PLAN` on SQLite,
`EXPLAIN (FORMAT JSON)` on PostgreSQL — giving per statement the indexes it uses on
the tables that grow with sales, and the tables it reads whole.

What is compared, and why it means something on both engines:

- The database is never single-tenant: twenty neighbouring businesses hold 12,000
  orders and 12,000 customers from the start, as the other shops do in production.
  With one tenant alone (or two), `business_id = ?` matches every row (or half of them,
  as SQLite's statistics estimate it) and a full scan is the right plan on either
  engine, which would make the test measure the fixture, not the app. In a
  single-business database such a scan reads the rows the index would have; what this
  test guards against — a plan that reads far more than the page shows — shows the
  same way with many tenants.
- The measured business first has 30 orders, then 3,000 (and 1,500 more customers).
  Both sizes are planned after ANALYZE, from real statistics, as in production once
  `PRAGMA optimize` or autovacuum has run; `enable_seqscan` stays on.
- Every page issues the same number of statements at both sizes.
- On SQLite, each statement uses the same indexes of growing tables at both sizes: its
  planner decides from the statistics' rows-per-key, so a flip to another index as data
  grows is a real change — it is what once made the order page read 76k payments
  through their date index. Small tables (the business, the session) are left out:
  their plans follow their own few rows, not the business's size.
- On PostgreSQL, index sets are not compared: its cost model rightly moves from a
  filter's index plus a sort at 30 rows to an ORDER BY's index at 3,000, or reads a
  page-sized table whole. Its plans are judged at the larger size.
- At the larger size, no table of growing data that then holds at least BIG_ROWS rows
  is read whole (SQLite `SCAN`, with or without an index; PostgreSQL `Seq Scan`).

Search pages are measured like the others, without naming their indexes, so a change
of search technique keeps this test meaningful.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bench.dataset import fill_daily_books
from kyora.accounting.models import DailyBalance
from kyora.core.db import utcnow
from kyora.customers.identity import name_key, search_text
from kyora.customers.models import Customer
from kyora.demo.orders_bulk import insert_orders
from kyora.extensions import db
from kyora.insights.rebuild import rebuild
from kyora.orders.models import Order
from kyora.orders.services import setup_new_business
from tests.factories import login, make_business, make_product, make_user

# The measured business's orders at the two sizes.
SMALL, LARGE = 30, 3000
EXTRA_CUSTOMERS = 1500
NEIGHBOURS, NEIGHBOUR_ORDERS, NEIGHBOUR_CUSTOMERS = 20, 600, 600  # 12,000 of each

# Tables that grow with a business's sales: reading one whole is what the pages must
# avoid. One counts as big when it holds at least BIG_ROWS rows at the larger size.
GROWING_TABLES = frozenset(
    {
        "sales_order",
        "order_item",
        "order_event",
        "order_payment",
        "customer",
        "customer_address",
        "customer_firsts",
        "customer_note",
        "journal_entry",
        "journal_line",
        "daily_balance",
        "sales_day",
        "stock_movement",
        "audit_event",
    }
)
BIG_ROWS = 2000
EXPLAINED = ("SELECT", "WITH", "UPDATE", "DELETE")


def _pages(handle: str, order_id: int) -> dict[str, str]:
    base = f"/b/{handle}"
    return {
        "orders list": f"{base}/orders/",
        "orders list, pending": f"{base}/orders/?status=pending",
        "orders search by name": f"{base}/orders/?q=Sara",
        "customers list": f"{base}/customers/",
        "customers search": f"{base}/customers/?q=Noura",
        "products list": f"{base}/products/",
        "products search": f"{base}/products/?q=Scarf",
        "order page": f"{base}/orders/{order_id}",
        "business home": f"{base}/",
        "analytics sales": f"{base}/insights/sales",
    }


@dataclass
class Plan:
    """What one statement does: the indexes it uses and the tables it reads whole."""

    statement: str
    indexes: frozenset[str] = frozenset()
    full_scans: frozenset[str] = frozenset()
    detail: list[str] = field(default_factory=list)


# SQLite: "SCAN sales_order", "SCAN customer_1 USING INDEX ix_…", "SEARCH customer USING
# COVERING INDEX ix_… (business_id=?)"; a table appears under its alias when it has one.
_SQLITE_STEP = re.compile(r"^(SCAN|SEARCH) (\S+)(?: USING (?:COVERING )?INDEX (\S+))?")
_ALIAS = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?\s+AS\s+"?(\w+)"?', re.IGNORECASE)


def _sqlite_plan(conn, statement: str, parameters) -> Plan:
    """Indexes of growing tables the statement uses (rowid lookups aside: they are never
    the wrong choice) and the tables it reads whole."""
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    details = [row[-1] for row in rows]
    tables = {alias: table for table, alias in _ALIAS.findall(statement)}
    index_tables = {
        name: table
        for name, table in conn.exec_driver_sql(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"
        )
    }
    indexes, scans = set(), set()
    for detail in details:
        step = _SQLITE_STEP.match(detail)
        if not step:
            continue
        kind, name, index = step.groups()
        if index and index_tables.get(index) in GROWING_TABLES:
            indexes.add(index)
        if kind == "SCAN":
            scans.add(tables.get(name, name))
    return Plan(statement, frozenset(indexes), frozenset(scans), details)


def _postgres_nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _postgres_nodes(child)


def _postgres_plan(conn, statement: str, parameters) -> Plan:
    raw = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
    document = json.loads(raw) if isinstance(raw, str) else raw
    indexes, scans, details = set(), set(), []
    for node in _postgres_nodes(document[0]["Plan"]):
        relation = node.get("Relation Name")
        details.append(f"{node['Node Type']} {relation or ''} {node.get('Index Name', '')}")
        if "Index Name" in node:
            indexes.add(node["Index Name"])
        if node["Node Type"] in ("Seq Scan", "Parallel Seq Scan"):
            scans.add(relation)
    return Plan(statement, frozenset(indexes), frozenset(scans), details)


def _statements_of(client, url: str) -> list[tuple[str, object]]:
    """The statements one warm GET of `url` sends (those a plan can be asked for)."""
    caught: list[tuple[str, object]] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(EXPLAINED) and not executemany:
            caught.append((statement, parameters))

    client.get(url)
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, url
    return caught


def _plans(client, pages: dict[str, str]) -> dict[str, list[Plan]]:
    explain = _postgres_plan if db.engine.dialect.name == "postgresql" else _sqlite_plan
    found = {}
    for name, url in pages.items():
        statements = _statements_of(client, url)
        with db.engine.connect() as conn:
            found[name] = [explain(conn, text, parameters) for text, parameters in statements]
    return found


def _analyze() -> None:
    db.session.commit()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def _catalog(business) -> None:
    for n, name in enumerate(("Red Scarf", "Silk Scarf", "Black Cap", "Tote Bag", "Candle")):
        make_product(
            business, name, options={"Size": ["S", "M", "L"]}, price=str(30 + n), stock=10**6
        )


def _business(name: str, handle: str):
    owner = make_user(name=name)
    business = make_business(owner, name=f"{name} Shop", handle=handle)
    business.vat_rate = Decimal("0.05")
    setup_new_business(business)
    _catalog(business)
    db.session.flush()
    return owner, business


def _grow(owner, business, orders: int, seed: int, days: float = 365) -> None:
    """`orders` more orders over the last `days`, with their rollups and daily books."""
    insert_orders(business, owner, orders, seed=seed, days=days)
    db.session.execute(sa.delete(DailyBalance).where(DailyBalance.business_id == business.id))
    fill_daily_books(business)
    rebuild(business)
    db.session.commit()


def _more_customers(business, count: int) -> None:
    """Customers without orders yet (people who asked, then did not buy), in bulk."""
    now = utcnow()
    rows = []
    first = db.session.scalar(
        sa.select(sa.func.count(Customer.id)).where(Customer.business_id == business.id)
    )
    for n in range(first, first + count):
        name = f"Lead {n} {('Noura', 'Reem', 'Omar', 'Dana')[n % 4]}"
        rows.append(
            {
                "business_id": business.id,
                "name": name,
                "search_name": search_text(name),
                "name_key": name_key(name),
                "phone": f"+9715{n + 50_000_000:08d}",
                "country": business.country,
                "tags": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(sa.insert(Customer.__table__), rows)
    db.session.commit()


@pytest.fixture
def request_ctx(app):
    """A request context, so services called directly can translate their messages."""
    with app.test_request_context("/"):
        yield


def _listing(plans: list[Plan]) -> str:
    return "\n  ".join(" ".join(plan.statement.split())[:160] for plan in plans)


def _big_tables() -> frozenset[str]:
    with db.engine.connect() as conn:
        return frozenset(
            name
            for name in GROWING_TABLES
            if conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar()
            >= BIG_ROWS
        )


def _differences(small: dict[str, list[Plan]], large: dict[str, list[Plan]], sizes) -> list[str]:
    """Each way the plans at the larger size depart from those at the smaller one."""
    problems = []
    big = _big_tables()
    # PostgreSQL chooses between good indexes by cost (a filter's index or an ORDER BY's);
    # its plans are judged by full scans alone (see the module docstring).
    compare_indexes = db.engine.dialect.name == "sqlite"
    for page, plans in large.items():
        before = small[page]
        if len(before) != len(plans):
            problems.append(
                f"{page}: {len(before)} statements at {sizes[0]} orders, {len(plans)} at "
                f"{sizes[1]}\n  " + _listing(before) + "\n  then\n  " + _listing(plans)
            )
            continue
        for n, (was, now) in enumerate(zip(before, plans, strict=True), start=1):
            if compare_indexes and was.indexes != now.indexes:
                problems.append(
                    f"{page}, statement {n}: indexes {sorted(was.indexes)} at {sizes[0]} "
                    f"orders, {sorted(now.indexes)} at {sizes[1]}\n  {now.statement}\n  "
                    + "\n  ".join(now.detail)
                )
            if now.full_scans & big:
                problems.append(
                    f"{page}, statement {n}: reads {sorted(now.full_scans & big)} whole at "
                    f"{sizes[1]} orders\n  {now.statement}\n  " + "\n  ".join(now.detail)
                )
    return problems


def _neighbours() -> None:
    for n in range(NEIGHBOURS):
        owner, business = _business(f"Neighbour {n}", f"neighbour-{n}")
        _grow(owner, business, NEIGHBOUR_ORDERS, seed=100 + n)
        _more_customers(business, NEIGHBOUR_CUSTOMERS)


@pytest.mark.usefixtures("request_ctx")
def test_list_pages_keep_their_indexes_and_scan_no_big_table_as_the_business_grows(client):
    _neighbours()
    owner, business = _business("Sara Ali", "growing-shop")
    # The young business's orders are all of the last hour, so the home's and the
    # analytics' figures for this month (best sellers and all) have rows at both sizes.
    _grow(owner, business, SMALL, seed=3, days=1 / 24)
    login(client, owner)
    _analyze()
    # The same order is opened at both sizes: the business's first one.
    order_id = db.session.scalar(
        sa.select(sa.func.min(Order.id)).where(Order.business_id == business.id)
    )
    pages = _pages(business.handle, order_id)
    small = _plans(client, pages)

    _grow(owner, business, LARGE - SMALL, seed=4)
    _more_customers(business, EXTRA_CUSTOMERS)
    _analyze()
    large = _plans(client, pages)

    assert all(large.values()), "every page was explained"
    problems = _differences(small, large, (SMALL, LARGE))
    assert not problems, "\n\n".join(problems)
