"""Mixed load for a bounded time against real app servers, on this machine only.

    .venv/bin/python bench/load.py [--seconds 120] [--clients 12] [--database-url URL]

Starts gunicorn (2 workers) on 127.0.0.1 over a fresh database (a SQLite file, or a new
PostgreSQL database next to `--database-url`), seeds a shop with 40 products of 60
units each, then `--clients` sellers for `--seconds` seconds: open the orders list,
search orders, open the products list, open the quick entry and save an order for a
random product (most succeed, some find it sold out). Prints the number of requests,
5xx answers, orders saved vs orders the server accepted, whether the stock invariant
holds (units sold + units left = units stocked, and no stock below zero), and p50/p95
per kind of request. Stops by itself; every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import requests
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "a-long-pass-phrase-9"
PRODUCTS, UNITS = 40, 60

SEED = """
import sys
from decimal import Decimal
from kyora import create_app
from kyora.extensions import db
from kyora.accounts.models import User, Workspace
from kyora.accounts.passwords import hash_password
from kyora.businesses import services as businesses
from kyora.core.db import utcnow
from kyora.inventory.services import ProductDraft, VariantDraft, create_product

app = create_app()
with app.test_request_context("/"):
    workspace = Workspace(name="Load")
    owner = User(workspace=workspace, email="owner@example.com", name="Sara Ali",
                 password_hash=hash_password(sys.argv[1]), role="owner", email_verified_at=utcnow())
    db.session.add_all([workspace, owner])
    db.session.flush()
    business = businesses.create_business(workspace, owner, "Load Shop", "load-shop", "AE")
    for n in range(int(sys.argv[2])):
        create_product(business, owner, ProductDraft(name=f"Product {n}", variants=[
            VariantDraft(price=Decimal(20 + n), cost=Decimal(8), stock=int(sys.argv[3]))]))
    db.session.commit()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _csrf(session: requests.Session, url: str) -> str:
    return re.search(
        r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', session.get(url).text
    )[1]


def _database(args, folder: Path) -> tuple[str, callable]:
    if not args.database_url:
        return f"sqlite:///{folder / 'load.db'}", lambda: None
    base = make_url(args.database_url)
    name = f"kyora_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return base.set(database=name).render_as_string(hide_password=False), drop


def _seller(base: str, variants: list[int], until: float, results, lock) -> None:
    rng = random.Random()
    session = requests.Session()
    token = _csrf(session, f"{base}/login")
    session.post(
        f"{base}/login",
        data={"csrf_token": token, "email": "owner@example.com", "password": PASSWORD},
    )
    shop = f"{base}/b/load-shop"
    while time.monotonic() < until:
        kind = rng.choice(["orders list", "orders search", "products list", "save order"])
        started = time.perf_counter()
        if kind == "save order":
            token = _csrf(session, f"{shop}/orders/new")
            response = session.post(
                f"{shop}/orders/new",
                data={
                    "csrf_token": token,
                    "action": "save",
                    "idempotency_key": uuid.uuid4().hex,
                    "customer_name": f"Buyer {rng.randint(1, 500)}",
                    "status": "confirmed",
                    "items-0-variant_id": str(rng.choice(variants)),
                    "items-0-quantity": str(rng.choice((1, 1, 2))),
                },
                allow_redirects=False,
            )
        else:
            path = {
                "orders list": "/orders/",
                "orders search": f"/orders/?q=Buyer%20{rng.randint(1, 500)}",
                "products list": "/products/",
            }[kind]
            response = session.get(shop + path)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            results[kind].append((response.status_code, elapsed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL to run beside")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kyora-load-"))
    url, drop = _database(args, folder)
    env = {
        **os.environ,
        "KYORA_ENV": "development",
        "SECRET_KEY": "load-test-secret-" + "x" * 24,
        "DATABASE_URL": url,
        "KYORA_DATA_DIR": str(folder),
        "RATELIMIT_ENABLED": "false",
        "FLASK_APP": "wsgi.py",
    }
    server = None
    try:
        subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [sys.executable, "-c", SEED, PASSWORD, str(PRODUCTS), str(UNITS)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = _free_port()
        server = subprocess.Popen(
            [BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if requests.get(f"{base}/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            variants = list(conn.execute(sa.text("SELECT id FROM product_variant")).scalars())
        results: dict[str, list[tuple[int, float]]] = defaultdict(list)
        lock = threading.Lock()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=_seller, args=(base, variants, until, results, lock))
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with engine.connect() as conn:
            orders = conn.execute(sa.text("SELECT count(*) FROM sales_order")).scalar_one()
            left = conn.execute(sa.text("SELECT sum(stock), min(stock) FROM product_variant")).one()
            sold = conn.execute(
                sa.text("SELECT coalesce(sum(quantity), 0) FROM order_item")
            ).scalar()
        engine.dispose()
        everything = [status for rows in results.values() for status, _ms in rows]
        accepted = sum(1 for status, _ms in results["save order"] if status == 303)
        engine_name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"{engine_name}, {args.clients} sellers for {args.seconds} s, gunicorn -w 2")
        print(f"requests: {len(everything)}, 5xx: {sum(1 for s in everything if s >= 500)}")
        print(f"orders accepted (303): {accepted}, orders in the database: {orders}")
        stock_ok = left[0] + sold == PRODUCTS * UNITS and left[1] >= 0
        print(f"stock: {sold} sold + {left[0]} left = {PRODUCTS * UNITS} stocked: {stock_ok}")
        for kind, rows in sorted(results.items()):
            times = sorted(ms for _status, ms in rows)
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"  {kind:<14} n={len(times):<5} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop()


if __name__ == "__main__":
    main()
