"""Benchmark: the public shop's home with a catalog of 500 products (SQLite).

    .venv/bin/python bench/storefront.py [--products 500] [--requests 200]

Builds a throwaway SQLite database with an open shop whose catalog has the given
number of products (a third with four sizes, each with a photo, some sold out),
then requests the shop's home, a later page of it, a category and a product page
through the Flask test client, and prints the server time per request (median and
95th percentile) and the SQL statements each issues. "home, cold" re-reads the
catalog every time (its cache emptied before each request); the others run warm,
as a busy shop does between two catalog changes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog import build, measure, throwaway_app  # noqa: E402


def main() -> None:
    from kyora.storefront.catalog import clear_cache

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = throwaway_app(folder)
        handle, category_id, product_id = build(app, args.products, shop=True)
        client = app.test_client()
        base = f"/s/{handle}"
        pages = {
            "home, cold": (f"{base}/", clear_cache),
            "home": (f"{base}/", None),
            "home, page 5": (f"{base}/?page=5", None),
            "home, Arabic": (f"{base}/?lang=ar", None),
            "category": (f"{base}/c/{category_id}", None),
            "product page": (f"{base}/p/{product_id}", None),
        }
        print(f"shop of {args.products} products, {args.requests} requests per page")
        print(f"{'page':<16}{'median ms':>11}{'p95 ms':>9}{'SQL':>6}")
        with app.app_context():
            for name, (url, before) in pages.items():
                median, p95, count = measure(client, url, args.requests, before)
                print(f"{name:<16}{median:>11.1f}{p95:>9.1f}{count:>6}")


if __name__ == "__main__":
    main()
