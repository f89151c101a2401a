"""Benchmark: the list pages at growing sizes, against raw SQL computing the same rows.

    .venv/bin/python bench/lists.py [--sizes 10000,100000] [--requests 30]
                                    [--database-url postgresql+psycopg://...]
                                    [--pages "orders search,customers by 050"]

For each size, a SQLite database with that many orders (built once and cached in
.bench-cache/), or with `--database-url` a PostgreSQL database beside that URL
(`kyora_bench_pg_100k`, built once and reused), is opened and each page is requested
as the owner: the orders list, an orders search, an order page, the customers list and
search, the products list.
Prints, per page and size, the median and 95th percentile server time, the SQL
statements per request, the ratio of the largest size to the smallest, and for the
orders list the ratio to the hand-written SQL that reads the same page of rows and
the same status counts (the baseline the page is measured against).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask import g

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import OWNER_EMAIL, cached, login, on_postgres  # noqa: E402
from kyora.extensions import db  # noqa: E402

RAW_ORDERS_PAGE = """
SELECT o.id, o.number, o.status, o.payment_status, o.total, o.created_at, c.name
FROM sales_order o LEFT JOIN customer c ON c.id = o.customer_id
WHERE o.business_id = :business
ORDER BY o.created_at DESC, o.id DESC LIMIT 25
"""
# The tab counts as the page reads them: from the kept per-status counts.
RAW_STATUS_COUNTS = """
SELECT status, sum(count) FROM order_count WHERE business_id = :business GROUP BY status
"""


def _pages(handle: str, order_id: int) -> dict[str, str]:
    base = f"/b/{handle}"
    return {
        "orders list": f"{base}/orders/",
        "orders, page 1000": f"{base}/orders/?page=1000",
        # A common name: about one customer in eighty has it, with their orders.
        "orders search": f"{base}/orders/?q=Sara%20Ali",
        # Matches nearly every customer: the orders of most of the business.
        "orders by 050": f"{base}/orders/?q=050",
        "order page": f"{base}/orders/{order_id}",
        "customers list": f"{base}/customers/",
        "customers, page 1000": f"{base}/customers/?page=1000",
        "customers search": f"{base}/customers/?q=Huda%20Saleh",
        # Two digits after the trunk zero: too short for a trigram index.
        "customers by 050": f"{base}/customers/?q=050",
        "products list": f"{base}/products/",
    }


def _measure(app, client, url: str, requests: int) -> tuple[list[float], int]:
    timings: list[float] = []
    statements = [0]

    def start():
        g.bench_started = time.perf_counter()

    def stop(response):
        if "bench_started" in g:
            timings.append((time.perf_counter() - g.bench_started) * 1000)
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request_funcs.setdefault(None, []).insert(0, stop)

    def count(*_args):
        statements[0] += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(3):  # warm up
            assert client.get(url).status_code == 200, url
        timings.clear()
        statements[0] = 0
        for _ in range(requests):
            client.get(url)
    finally:
        app.before_request_funcs[None].remove(start)
        app.after_request_funcs[None].remove(stop)
        with app.app_context():
            sa.event.remove(db.engine, "before_cursor_execute", count)
    return timings, statements[0] // max(1, requests)


def _raw_sql(app, requests: int) -> list[float]:
    timings = []
    with app.app_context():
        business = db.session.scalar(sa.text("SELECT id FROM business LIMIT 1"))
        for _ in range(requests + 3):
            started = time.perf_counter()
            db.session.execute(sa.text(RAW_ORDERS_PAGE), {"business": business}).all()
            db.session.execute(sa.text(RAW_STATUS_COUNTS), {"business": business}).all()
            timings.append((time.perf_counter() - started) * 1000)
    return timings[3:]


def _throughput(app, handle: str, requests: int) -> tuple[float, float]:
    """(page, baseline) median ms for the orders list, both timed inside one request
    context as the owner: the page is its view function; the baseline is the
    hand-written SQL for the same rows and counts plus rendering the same template
    with the page's rows (loaded beforehand, so the baseline pays no ORM loading).
    Requests per second go as 1 / time: baseline ÷ page is the page's share of the
    baseline's throughput (goal ≥ 50%)."""
    from flask import render_template
    from flask_login import login_user

    from kyora.accounts.models import User
    from kyora.orders.web.list_page import page_context

    url = f"/b/{handle}/orders/"
    page, baseline = [], []
    with app.test_request_context(url):
        login_user(db.session.scalar(sa.select(User).where(User.email == OWNER_EMAIL)))
        app.preprocess_request()
        view = app.view_functions["orders.index"]
        context = page_context(g.business, {})
        business = {"business": g.business.id}
        # One render loads everything the template reads; detached, the rows stay
        # loaded while the page's own reads expire theirs.
        render_template("orders/index.html", fragment=False, **context)
        db.session.expunge_all()
        login_user(db.session.scalar(sa.select(User).where(User.email == OWNER_EMAIL)))
        for _ in range(requests + 3):
            started = time.perf_counter()
            view()
            page.append((time.perf_counter() - started) * 1000)
            db.session.expire_all()
            started = time.perf_counter()
            db.session.execute(sa.text(RAW_ORDERS_PAGE), business).all()
            db.session.execute(sa.text(RAW_STATUS_COUNTS), business).all()
            render_template("orders/index.html", fragment=False, **context)
            baseline.append((time.perf_counter() - started) * 1000)
    return statistics.median(page[3:]), statistics.median(baseline[3:])


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL to run beside")
    parser.add_argument(
        "--pages", default="", help="only these pages (names as printed, comma-separated)"
    )
    args = parser.parse_args()
    only = {name.strip() for name in args.pages.split(",") if name.strip()}
    sizes = [int(size) for size in args.sizes.split(",")]
    results: dict[str, dict[int, tuple[float, float, int]]] = {}
    raw: dict[int, float] = {}
    throughput: dict[int, tuple[float, float]] = {}
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix="kyora-bench-"))
        try:
            started = time.perf_counter()
            if args.database_url:
                app, (handle, _variants, _customers) = on_postgres(args.database_url, size, folder)
            else:
                app, (handle, _variants, _customers) = cached(size, folder)
            print(f"{size:,} orders ready in {time.perf_counter() - started:.1f} s")
            with app.app_context():
                order_id = db.session.scalar(sa.text("SELECT max(id) FROM sales_order"))
            client = login(app)
            for name, url in _pages(handle, order_id).items():
                if only and name not in only:
                    continue
                timings, statements = _measure(app, client, url, args.requests)
                results.setdefault(name, {})[size] = (
                    statistics.median(timings),
                    _p(timings, 0.95),
                    statements,
                )
            if "orders list" in results:
                raw[size] = statistics.median(_raw_sql(app, args.requests))
                throughput[size] = _throughput(app, handle, args.requests)
            with app.app_context():
                db.engine.dispose()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    print()
    header = "".join(f"{f'{size:,} p50/p95 ms (SQL)':>28}" for size in sizes)
    print(f"{'page':<22}{header}{'largest/smallest':>18}")
    for name, per_size in results.items():
        cells = "".join(
            f"{f'{p50:.1f} / {p95:.1f} ({sql})':>28}" for p50, p95, sql in per_size.values()
        )
        ratio = per_size[sizes[-1]][0] / per_size[sizes[0]][0]
        print(f"{name:<22}{cells}{ratio:>17.2f}x")
    print()
    for size in raw:
        page = results["orders list"][size][0]
        print(
            f"orders list at {size:,}: raw SQL for the same rows and counts {raw[size]:.2f} ms; "
            f"page {page:.1f} ms ({page / raw[size]:.1f}x the raw SQL)"
        )
        view, baseline = throughput[size]
        print(
            f"orders list at {size:,}: view {view:.1f} ms, hand-written SQL + same template "
            f"{baseline:.1f} ms: the page serves {baseline / view:.0%} of the baseline's "
            "requests per second (goal ≥ 50%)"
        )


if __name__ == "__main__":
    main()
