"""Benchmark: Profit & earnings for this year and the money home, at 10k and 1M
journal lines (SQLite).

    .venv/bin/python bench/money.py [--sizes 10000,1000000] [--runs 40]

For each size, builds a throwaway SQLite database with one business whose books
hold that many journal lines spread over two years (sales, payments, expenses,
stock purchases), fills the daily rollup from them, then times the two reads the
money pages make (`figures.profit` for this year, `figures.home` for today) and
the same figures computed straight from the journal lines with plain SQL (fewer
runs: at 1M lines each takes seconds). Prints
p50/p95 per size, the ratio between sizes (goal ≤ 1.2×, and < 50 ms p50 at 1M),
and how the rollup compares with raw SQL over the lines.

The synthetic lines are inserted in bulk without the per-row balance trigger
(every generated entry balances by construction); the reads are what is measured.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kyora import create_app  # noqa: E402
from kyora.extensions import db  # noqa: E402

DAYS = 730
# (entry kind, [(account code, sign)], typical amount): each entry balances.
SHAPES = (
    ("sale", [("receivable", 1), ("sales", -1)], 120),
    ("payment", [("bank", 1), ("receivable", -1)], 120),
    ("payment", [("cash", 1), ("receivable", -1)], 80),
    ("expense", [("exp_marketing", 1), ("cash", -1)], 40),
    ("stock_purchase", [("inventory", 1), ("cash", -1)], 300),
    ("sale", [("cogs", 1), ("inventory", -1)], 50),
)


def build(app, lines: int):
    from kyora.accounting.chart import ensure_chart
    from kyora.accounting.ledger import business_day
    from kyora.accounts.models import Workspace
    from kyora.businesses.models import Business

    with app.app_context():
        db.create_all()
        conn = db.session.connection()
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS journal_line_balanced")
        workspace = Workspace(name="Bench")
        business = Business(
            workspace=workspace,
            name="Bench Shop",
            handle="bench-money",
            country="AE",
            currency="AED",
            timezone="Asia/Dubai",
        )
        db.session.add_all([workspace, business])
        db.session.flush()
        accounts = {code: account.id for code, account in ensure_chart(business).items()}
        today = business_day(business)
        rng = random.Random(7)
        entries, rows = [], []
        entry_id = 0
        while len(rows) < lines:
            entry_id += 1
            kind, legs, typical = SHAPES[rng.randrange(len(SHAPES))]
            day = (today - timedelta(days=rng.randrange(DAYS))).isoformat()
            # Money on SQLite is an integer in thousandths.
            amount = rng.randint(typical * 500, typical * 1500)
            entries.append((entry_id, business.id, day, kind, amount, len(legs), "2025-01-01"))
            for code, sign in legs:
                rows.append((business.id, entry_id, accounts[code], day, sign * amount))
        conn.exec_driver_sql(
            "INSERT INTO journal_entry (id, business_id, entry_date, kind, total, line_count,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            entries,
        )
        conn.exec_driver_sql(
            "INSERT INTO journal_line (business_id, entry_id, account_id, entry_date, amount)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        conn.exec_driver_sql(
            "INSERT INTO daily_balance (business_id, account_id, day, kind, amount)"
            " SELECT l.business_id, l.account_id, l.entry_date, e.kind, sum(l.amount)"
            " FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id"
            " GROUP BY l.business_id, l.account_id, l.entry_date, e.kind"
        )
        db.session.commit()
        rollup = db.session.scalar(sa.text("SELECT count(*) FROM daily_balance"))
        return business.id, len(rows), rollup


RAW_PROFIT = sa.text(
    "SELECT a.code, sum(l.amount) FROM journal_line l JOIN ledger_account a ON a.id = l.account_id"
    " WHERE l.business_id = :b AND l.entry_date BETWEEN :start AND :end GROUP BY a.code"
)
RAW_HOME = sa.text(
    "SELECT a.code, sum(l.amount),"
    " sum(CASE WHEN l.entry_date >= :month THEN l.amount ELSE 0 END)"
    " FROM journal_line l JOIN ledger_account a ON a.id = l.account_id"
    " WHERE l.business_id = :b AND l.entry_date <= :end GROUP BY a.code"
)


def timed(fn, runs: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def measure(app, business_id: int, runs: int) -> dict:
    from kyora.accounting import figures
    from kyora.accounting.ledger import business_day
    from kyora.businesses.models import Business

    with app.app_context():
        business = db.session.get(Business, business_id)
        today = business_day(business)
        year = date(today.year, 1, 1)
        month = today.replace(day=1)
        return {
            "P&L this year": timed(lambda: figures.profit(business, year, today), runs),
            "money home": timed(lambda: figures.home(business, today), runs),
            "raw SQL P&L": timed(
                lambda: db.session.execute(
                    RAW_PROFIT, {"b": business_id, "start": year, "end": today}
                ).all(),
                max(3, runs // 8),
            ),
            "raw SQL home": timed(
                lambda: db.session.execute(
                    RAW_HOME, {"b": business_id, "end": today, "month": month}
                ).all(),
                max(3, runs // 8),
            ),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as folder:
            app = create_app(
                {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"}
            )
            started = time.perf_counter()
            business_id, count, rollup = build(app, size)
            print(
                f"\n{count:,} journal lines, {rollup:,} rollup rows "
                f"(built in {time.perf_counter() - started:.1f} s)"
            )
            results[size] = measure(app, business_id, args.runs)
            for name, (p50, p95) in results[size].items():
                print(f"  {name:<14} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
            for name, raw in (("P&L this year", "raw SQL P&L"), ("money home", "raw SQL home")):
                ratio = results[size][raw][0] / results[size][name][0]
                print(f"  {name}: raw SQL over the lines takes {ratio:.1f}× as long")
            with app.app_context():
                db.engine.dispose()
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\nLarge ({large:,}) vs small ({small:,}), p50:")
        for name in ("P&L this year", "money home"):
            ratio = results[large][name][0] / results[small][name][0]
            verdict = "ok" if ratio <= 1.2 and results[large][name][0] < 50 else "over the goal"
            print(f"  {name:<14} {ratio:.2f}×  ({verdict}: goal ≤ 1.2× and < 50 ms)")


if __name__ == "__main__":
    main()
