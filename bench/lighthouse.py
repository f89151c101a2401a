"""Lighthouse (mobile) on the main pages and the storefront, against gunicorn on this
machine with the demo data.

    .venv/bin/python bench/lighthouse.py [--runs 3]

Needs the `lighthouse` command (npm install -g lighthouse@12) and Debian's Chromium; when
either is missing it says so and stops. Builds the demo in a throwaway SQLite database,
serves it with gunicorn (compressed, hashed static files, as in production), signs in as
the demo owner, then runs Lighthouse's default mobile profile (simulated slow 4G and a
4× slower CPU) on each page `--runs` times and prints the median of: performance and
accessibility scores, LCP, CLS, total blocking time, and the CSS+JS bytes on the wire.
Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("KYORA_CHROMIUM", "/usr/bin/chromium")
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking " + (
    "--disable-component-update --disable-sync --no-first-run"
)
ATTEMPTS = 3
PAGES = {
    "login": ("/login", False),
    "business home": ("/b/layla-boutique/", True),
    "orders": ("/b/layla-boutique/orders/", True),
    "new order": ("/b/layla-boutique/orders/new", True),
    "products": ("/b/layla-boutique/products/", True),
    "insights: sales": ("/b/layla-boutique/insights/sales", True),
    "shop home": ("/s/layla-boutique/", False),
    "shop product": (None, False),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(folder: Path) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        "KYORA_DATA_DIR": str(folder),
        "SECRET_KEY": "lighthouse-only-" + "x" * 32,
        "FLASK_APP": "wsgi.py",
    }
    for command in (["flask", "db", "upgrade"], ["flask", "kyora", "demo"]):
        subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{base}/healthz", timeout=5)
            break
        except requests.RequestException:
            time.sleep(0.2)
    return server, base


def _session_cookie(base: str) -> str:
    client = requests.Session()
    page = client.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    answer = client.post(
        f"{base}/login",
        data={"csrf_token": token, "email": "demo@kyora.app", "password": "sell-more-every-day"},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 303, answer.status_code
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def _product_path(base: str) -> str | None:
    html = requests.get(f"{base}/s/layla-boutique/", timeout=10).text
    marker = 'href="/s/layla-boutique/p/'
    if marker not in html:
        return None
    start = html.index(marker) + len('href="')
    return html[start : html.index('"', start)]


def _lighthouse(url: str, cookie: str | None, out: Path) -> dict:
    command = [
        "lighthouse",
        url,
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={FLAGS}",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    for attempt in range(1, ATTEMPTS + 1):
        # Chromium now and then fails to start or loses its page on a busy machine: a run
        # that fails is tried again before the bench gives up.
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        if done.returncode == 0:
            break
        print(f"  lighthouse failed on {url} (attempt {attempt}): {done.stderr.strip()[-300:]}")
    else:
        raise RuntimeError(f"lighthouse failed {ATTEMPTS} times on {url}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    wire = sum(
        item.get("transferSize", 0)
        for item in audits["network-requests"]["details"]["items"]
        if item.get("resourceType") in ("Stylesheet", "Script")
    )
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "css_js_kb": wire / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("lighthouse") or not Path(CHROMIUM).exists():
        print(
            "lighthouse or Chromium is missing: npm install -g lighthouse@12; apt-get install chromium"
        )
        return 0
    with tempfile.TemporaryDirectory() as folder:
        server, base = _serve(Path(folder))
        try:
            cookie = _session_cookie(base)
            print(
                f"{'page':<18}{'perf':>6}{'a11y':>6}{'LCP ms':>9}{'CLS':>7}{'TBT ms':>8}{'CSS+JS KB':>11}"
            )
            for name, (path, signed_in) in PAGES.items():
                path = path or _product_path(base)
                if path is None:
                    continue
                runs = [
                    _lighthouse(
                        base + path, cookie if signed_in else None, Path(folder) / "lh.json"
                    )
                    for _ in range(args.runs)
                ]

                def median(key, runs=runs):
                    return statistics.median(run[key] for run in runs)

                print(
                    f"{name:<18}{median('performance'):>6.2f}{median('accessibility'):>6.2f}"
                    f"{median('lcp'):>9.0f}{median('cls'):>7.3f}{median('tbt'):>8.0f}"
                    f"{median('css_js_kb'):>11.1f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
