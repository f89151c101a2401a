"""Benchmark: the business home, the analytics pages and the workspace overview at
several sizes (SQLite by default), against the raw SQL that computes the home's figures.

    .venv/bin/python bench/insights.py [--sizes 10000,100000,1000000] [--requests 30]
                                       [--database-url postgresql+psycopg://...]

For each size, a cached dataset (bench/dataset.py: bulk orders over a year, their books
and sales rollups rebuilt) is opened, then each page is requested as the owner through
the test client and timed from the first line of the request to the last (server time,
no network). Prints p50/p95 and SQL statements per request, the ratio of the largest
size to the smallest (goal ≤ 1.2×; the home < 50 ms p50 at 1M), and how the home's
figures (`insights.home.build_home`) compare with the same figures computed by
hand-written SQL (goal ≤ 1.5×). With `--database-url` the dataset lives in a PostgreSQL
database beside that URL (`kyora_bench_pg_<size>`, built once and reused) instead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dataset import cached, login, on_postgres  # noqa: E402
from lists import _measure  # noqa: E402

from kyora.extensions import db  # noqa: E402

# The home's figures, written by hand: the baseline the ORM path is compared with.
RAW_HOME = {
    "sales per period": """
        SELECT {periods} FROM sales_day
        WHERE business_id = :b AND dimension = 'all' AND day >= :ever AND day <= :today""",
    "profit per period": """
        SELECT {profits} FROM daily_balance d JOIN ledger_account a ON a.id = d.account_id
        WHERE d.business_id = :b AND a.type IN ('income', 'expense')
          AND d.day >= :ever AND d.day <= :today""",
    "money home": """
        SELECT a.code, sum(d.amount),
               sum(CASE WHEN d.day >= :month THEN d.amount ELSE 0 END),
               sum(CASE WHEN d.day >= :buffer AND a.type = 'expense'
                        AND a.code NOT IN ('cogs', 'stock_losses') THEN d.amount ELSE 0 END)
        FROM daily_balance d JOIN ledger_account a ON a.id = d.account_id
        WHERE d.business_id = :b AND d.day <= :today GROUP BY a.code""",
    "to ship": """SELECT sum(count) FROM order_count
        WHERE business_id = :b AND status IN ('confirmed', 'ready')""",
    "owed": """SELECT sum(count) FROM order_count WHERE business_id = :b
        AND payment_status IN ('unpaid', 'partially_paid')
        AND status IN ('confirmed', 'ready', 'shipped', 'delivered')""",
    "low products": """
        SELECT count(DISTINCT v.product_id) FROM product_variant v
        JOIN product p ON p.id = v.product_id
        WHERE v.business_id = :b AND v.archived_at IS NULL AND p.archived_at IS NULL
          AND v.stock <= coalesce(v.low_stock_threshold, :threshold)""",
    "top products": """
        SELECT s.key, sum(s.units) AS units, p.name FROM sales_day s
        JOIN product p ON p.id = CAST(s.key AS INTEGER)
        WHERE s.business_id = :b AND s.dimension = 'product' AND s.day >= :month
          AND s.day <= :today
        GROUP BY s.key, p.name HAVING sum(s.units) > 0 ORDER BY units DESC LIMIT 5""",
    "top customers": """SELECT id, name, total_spent FROM customer
        WHERE business_id = :b AND total_spent > 0 ORDER BY total_spent DESC, id LIMIT 5""",
    "channels": """SELECT key, sum(sales), sum(orders) FROM sales_day
        WHERE business_id = :b AND dimension = 'channel' AND day >= :month AND day <= :today
        GROUP BY key""",
    "low stock": """
        SELECT v.id, v.stock, p.name FROM product_variant v JOIN product p ON p.id = v.product_id
        WHERE v.business_id = :b AND v.archived_at IS NULL AND p.archived_at IS NULL
          AND v.stock <= coalesce(v.low_stock_threshold, :threshold)
        ORDER BY v.stock, p.name LIMIT 5""",
    "ship next": """
        SELECT o.id, o.number, o.total, c.name FROM sales_order o
        LEFT JOIN customer c ON c.id = o.customer_id
        WHERE o.business_id = :b AND o.status IN ('confirmed', 'ready')
        ORDER BY o.created_at, o.id LIMIT 5""",
    "chart sales": """SELECT day, sum(sales) FROM sales_day
        WHERE business_id = :b AND dimension = 'all' AND day >= :chart AND day <= :today
        GROUP BY day""",
    "chart profit": """
        SELECT d.day, sum(d.amount) FROM daily_balance d JOIN ledger_account a ON a.id = d.account_id
        WHERE d.business_id = :b AND a.type IN ('income', 'expense')
          AND d.day >= :chart AND d.day <= :today GROUP BY d.day""",
}
COUNTERS = ("orders", "units", "sales", "cost", "new_customers", "returning_customers")


def _raw_statements(periods: dict) -> list[str]:
    sums, profits = [], []
    for name in periods:
        inside = f"day >= :{name}_start AND day <= :{name}_end"
        sums += [f"sum(CASE WHEN {inside} THEN {c} ELSE 0 END)" for c in COUNTERS]
        profits.append(f"sum(CASE WHEN d.{inside} THEN d.amount ELSE 0 END)")
    return [
        sql.format(periods=", ".join(sums), profits=", ".join(profits)) for sql in RAW_HOME.values()
    ]


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _figures(app, requests: int) -> tuple[list[float], list[float]]:
    """(build_home timings, raw SQL timings) for the bench business, in ms."""
    from kyora.accounting.ledger import business_day
    from kyora.businesses.models import Business
    from kyora.insights.home import CHART_DAYS, build_home, home_periods

    with app.test_request_context("/"):
        business = db.session.scalars(sa.select(Business)).first()
        today = business_day(business)
        periods = home_periods(today)
        params = {
            "b": business.id,
            "today": today,
            "ever": periods["ever"][0],
            "month": today.replace(day=1),
            "buffer": today - timedelta(days=29),
            "chart": today - timedelta(days=CHART_DAYS - 1),
            "threshold": business.low_stock_threshold,
        }
        for name, (start, end) in periods.items():
            params[f"{name}_start"], params[f"{name}_end"] = start, end
        statements = [sa.text(sql) for sql in _raw_statements(periods)]
        orm, raw = [], []
        for _ in range(requests + 3):
            started = time.perf_counter()
            build_home(business, with_money=True, today=today)
            orm.append((time.perf_counter() - started) * 1000)
            db.session.expire_all()
            started = time.perf_counter()
            for statement in statements:
                db.session.execute(statement, params).all()
            raw.append((time.perf_counter() - started) * 1000)
    return orm[3:], raw[3:]


def _pages(handle: str) -> dict[str, str]:
    base = f"/b/{handle}"
    return {
        "business home": f"{base}/",
        "analytics: sales (month)": f"{base}/insights/sales",
        "analytics: sales (year)": f"{base}/insights/sales?period=year",
        "analytics: customers": f"{base}/insights/customers",
        "analytics: inventory": f"{base}/insights/inventory",
        "workspace overview": "/overview",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results: dict[str, dict[int, tuple]] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            if args.database_url:
                app, (handle, _variants, _customers) = on_postgres(
                    args.database_url, size, Path(folder)
                )
            else:
                app, (handle, _variants, _customers) = cached(size, Path(folder))
            print(f"{size:,} orders ready in {time.perf_counter() - started:.1f} s", flush=True)
            client = login(app)
            for name, url in _pages(handle).items():
                timings, statements = _measure(app, client, url, args.requests)
                results.setdefault(name, {})[size] = (*_percentiles(timings), statements)
            orm, raw = _figures(app, args.requests)
            results.setdefault("home figures (build_home)", {})[size] = (*_percentiles(orm), 0)
            results.setdefault("home figures, raw SQL", {})[size] = (*_percentiles(raw), 0)
            with app.app_context():
                db.engine.dispose()
    _report(results, sizes)


def _cell(p50: float, p95: float, statements: int) -> str:
    text = f"{p50:.1f} / {p95:.1f} · {statements or '-'}"
    return f"{text:>24}"


def _report(results, sizes) -> None:
    head = "".join(f"{f'{size:,}':>24}" for size in sizes)
    print(f"\n{'page':<30}{head}{'ratio':>8}")
    print(f"{'':<30}" + "".join(f"{'p50 / p95 ms · SQL':>24}" for _ in sizes))
    for name, by_size in results.items():
        cells = "".join(_cell(*values) for values in by_size.values())
        first, last = by_size[sizes[0]][0], by_size[sizes[-1]][0]
        print(f"{name:<30}{cells}{last / first:>7.2f}×")
    orm, raw = results["home figures (build_home)"], results["home figures, raw SQL"]
    for size in sizes:
        print(
            f"home figures vs raw SQL at {size:,}: {orm[size][0] / raw[size][0]:.2f}× (goal ≤ 1.5×)"
        )


if __name__ == "__main__":
    main()
