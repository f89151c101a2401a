"""Benchmark: saving a quick order with 100,000 orders already in the business.

    .venv/bin/python bench/quick_order.py [--orders 100000] [--saves 300]
                                          [--database-url postgresql+psycopg://...]

Builds a throwaway SQLite database (in a temporary directory), a business with a
120-variant catalog, its customers and the existing orders (bulk insert, as in
`flask kyora demo --size large`); with `--database-url` the dataset lives in the
PostgreSQL database `kyora_bench_pg_100k` beside that URL instead, built once and
reused (see `bench.dataset.on_postgres`). Then it posts the quick entry form the way
the page does (a mix of new and returning customers, 1-3 lines, some paid now) and
prints the server time per save (from the first request hook to the response), the
SQL statements per save, and the database size.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from flask import g

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import (  # noqa: E402
    OWNER_EMAIL,
    OWNER_PASSWORD,
    build,
    on_postgres,
    open_app,
)
from kyora.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL to run beside")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kyora-bench-"))
    try:
        run(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, args) -> None:
    if args.database_url:
        app, (handle, variant_ids, customer_ids) = on_postgres(
            args.database_url, args.orders, folder
        )
    else:
        app = open_app(folder)
        handle, variant_ids, customer_ids = build(app, args.orders)

    timings: list[float] = []
    statements: list[int] = []

    def start_clock():
        g.bench_started = time.perf_counter()
        g.bench_statements = 0

    def stop_clock(response):
        if "bench_started" in g and response.status_code in (200, 303):
            timings.append(time.perf_counter() - g.bench_started)
            statements.append(g.bench_statements)
        return response

    # Run first before every other hook, and last after every other one.
    app.before_request_funcs.setdefault(None, []).insert(0, start_clock)
    app.after_request_funcs.setdefault(None, []).insert(0, stop_clock)

    with app.app_context():

        @sa.event.listens_for(db.engine, "before_cursor_execute")
        def count(conn, cursor, statement, parameters, context, executemany):
            if "bench_statements" in g:
                g.bench_statements += 1

    client = app.test_client()
    login = client.post("/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    assert login.status_code == 303, login.status_code
    rng = random.Random(5)
    url = f"/b/{handle}/orders/new"
    failures = 0
    warmup = 20
    for n in range(args.saves + warmup):
        data = {
            "action": "save",
            "idempotency_key": uuid.uuid4().hex,
            "channel": rng.choice(["instagram", "whatsapp", "tiktok"]),
            "status": "confirmed",
            "delivery": "manual",
            "shipping_fee": "15",
            "discount_kind": "percent",
            "discount_value": rng.choice(["", "", "10"]),
            "payment": rng.choice(["none", "none", "full", "part"]),
            "payment_amount": "20",
            "payment_method": "cod",
            "note": "",
        }
        if rng.random() < 0.5:
            data["customer_id"] = str(rng.choice(customer_ids))
        else:
            data["customer_name"] = f"Bench Customer {n}"
            data["customer_phone"] = f"+97155{n:07d}"
            data["address_line"] = f"Villa {n}, Marina"
        for line in range(rng.choice((1, 2, 3))):
            data[f"items-{line}-variant_id"] = str(rng.choice(variant_ids))
            data[f"items-{line}-quantity"] = str(rng.choice((1, 1, 2)))
        with app.app_context():
            response = client.post(url, data=data)
        if response.status_code != 303:
            failures += 1
        # A seller's browser follows the redirect, which shows and drops the "saved"
        # message; without that the messages pile up in the session cookie.
        with client.session_transaction() as cookie:
            cookie.pop("_flashes", None)
        if n == warmup - 1:
            timings.clear()
            statements.clear()

    ms = sorted(t * 1000 for t in timings)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"database: {_describe(app, folder)}, {args.orders:,} existing orders")
    print(
        f"quick order saves timed: {len(ms)} (after {warmup} warm-up saves), failures: {failures}"
    )
    print(
        f"server time per save: median {statistics.median(ms):.1f} ms, "
        f"p95 {p95:.1f} ms, min {ms[0]:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(
        f"SQL statements per save: median {statistics.median(statements):.0f}, max {max(statements)}"
    )


def _describe(app, folder: Path) -> str:
    """The engine and the database's size on disk."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            size = db.session.scalar(sa.text("SELECT pg_database_size(current_database())"))
            return f"PostgreSQL, {size / 1_000_000:.0f} MB"
    return f"SQLite, {(folder / 'bench.db').stat().st_size / 1_000_000:.0f} MB"


if __name__ == "__main__":
    main()
