"""Benchmark: the products list and a product page on a large catalog (SQLite).

    .venv/bin/python bench/products_list.py [--products 10000] [--requests 50]

Builds a throwaway SQLite database with a business whose catalog has the given
number of products (a third of them with four variants), a photo each and a stock
history, then requests the products list (plain, searched, filtered by stock
status, sorted) and a product page, and prints the server time per request
(median and 95th percentile) and the SQL statements each one issues.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog import build, measure, throwaway_app  # noqa: E402
from dataset import OWNER_EMAIL, OWNER_PASSWORD  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = throwaway_app(folder)
        started = time.perf_counter()
        handle, _category_id, product_id = build(app, args.products)
        print(f"catalog of {args.products} products built in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        with app.app_context():
            client.post("/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
            base = f"/b/{handle}/products"
            pages = {
                "list": base + "/",
                "search": base + "/?q=scarf",
                "low stock": base + "/?stock=low",
                "by stock, page 50": base + "/?sort=stock&page=50",
                "product page": f"{base}/{product_id}",
            }
            print(f"{'page':<20}{'median ms':>11}{'p95 ms':>9}{'SQL':>6}")
            for name, url in pages.items():
                median, p95, count = measure(client, url, args.requests)
                print(f"{name:<20}{median:>11.1f}{p95:>9.1f}{count:>6}")


if __name__ == "__main__":
    main()
