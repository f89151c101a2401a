"""Kyora scales out: two app servers and two job workers share one PostgreSQL, one Redis
and one S3-compatible store, and behave as one.

Runs on the PostgreSQL run of the suite when Redis answers (skipped, saying why,
otherwise). Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
TEST_DB = os.environ.get("KYORA_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("KYORA_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "a-long-pass-phrase-9"
STOCK = 150
ORDERS = 200


def _redis_answers() -> bool:
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(
        not TEST_DB.startswith("postgresql"),
        reason="scale-out needs PostgreSQL (set KYORA_TEST_DATABASE_URL, as `make test-postgres` does)",
    ),
    pytest.mark.skipif(not _redis_answers(), reason=f"scale-out needs Redis at {REDIS_URL}"),
]

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
    workspace = Workspace(name="Scale")
    owner = User(workspace=workspace, email="owner@example.com", name="Sara Ali",
                 password_hash=hash_password(sys.argv[1]), role="owner",
                 email_verified_at=utcnow())
    other = User(workspace=workspace, email="helper@example.com", name="Huda Saleh",
                 password_hash=hash_password(sys.argv[1]), role="admin",
                 email_verified_at=utcnow())
    db.session.add_all([workspace, owner, other])
    db.session.flush()
    business = businesses.create_business(workspace, owner, "Scale Shop", "scale-shop", "AE")
    product = create_product(business, owner, ProductDraft(
        name="Silk Scarf", variants=[VariantDraft(price=Decimal("50"), cost=Decimal("20"),
                                                  stock=int(sys.argv[2]))]))
    db.session.commit()
    print(product.id, product.variants[0].id)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10).text
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import redis
    from moto.server import ThreadedMotoServer

    tmp = tmp_path_factory.mktemp("cluster")
    base = make_url(TEST_DB)
    name = f"kyora_scale_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database_url = base.set(database=name).render_as_string(hide_password=False)
    with redis.Redis.from_url(REDIS_URL) as client:
        client.flushdb()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    s3_host, s3_port = s3.get_host_and_port()
    env = {
        **os.environ,
        "KYORA_ENV": "development",
        "SECRET_KEY": "scale-out-test-secret-" + "x" * 20,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "JOBS_IMMEDIATE": "false",
        "MAIL_BACKEND": "console",
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "kyora-scale",
        "S3_ENDPOINT_URL": f"http://{s3_host}:{s3_port}",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "FLASK_APP": "wsgi.py",
    }
    env.pop("KYORA_TEST_DATABASE_URL", None)
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",  # noqa: S106 - the emulator takes any key
    ).create_bucket(Bucket="kyora-scale")
    subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, timeout=300)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED, PASSWORD, str(STOCK)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    product_id, variant_id = map(int, seeded.stdout.split()[-2:])
    processes, urls = [], []
    for n in range(2):
        port = _free_port()
        server_env = {**env, "KYORA_DATA_DIR": str(tmp / f"server{n}")}
        processes.append(
            subprocess.Popen(
                [BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                cwd=ROOT,
                env=server_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
        processes.append(
            subprocess.Popen(
                [BIN / "flask", "kyora", "worker", "--workers", "2"],
                cwd=ROOT,
                env={**server_env, "KYORA_DATA_DIR": str(tmp / f"worker{n}")},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    engine = sa.create_engine(database_url)
    try:
        for url in urls:
            _wait_for(f"{url}/healthz")
        yield {
            "urls": urls,
            "db": engine,
            "data": tmp,
            "product_id": product_id,
            "variant_id": variant_id,
        }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        s3.stop()
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        with redis.Redis.from_url(REDIS_URL) as client:
            client.flushdb()


def _login(url: str, email: str = "owner@example.com") -> requests.Session:
    session = requests.Session()
    token = _csrf(session, f"{url}/login")
    response = session.post(
        f"{url}/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303, response.status_code
    return session


def test_a_login_on_one_server_works_on_the_other(cluster):
    a, b = cluster["urls"]
    session = _login(a)
    assert session.get(f"{a}/account", allow_redirects=False, timeout=10).status_code == 200
    other = requests.Session()
    other.cookies.update(session.cookies)
    assert other.get(f"{b}/account", allow_redirects=False, timeout=10).status_code == 200


def test_rate_limits_are_shared_by_the_servers(cluster):
    a, b = cluster["urls"]
    statuses = []
    for n in range(6):
        browser = requests.Session()
        url = (a, b)[n % 2]
        token = _csrf(browser, f"{url}/login")
        statuses.append(
            browser.post(
                f"{url}/login",
                data={"csrf_token": token, "email": "helper@example.com", "password": "wrong!"},
                allow_redirects=False,
                timeout=10,
            ).status_code
        )
    # Five tries a minute per account, counted together however they are spread.
    assert statuses == [422] * 5 + [429]


def test_a_photo_uploaded_through_one_server_is_served_by_the_other(cluster):
    import io

    from PIL import Image

    a, b = cluster["urls"]
    session = _login(a)
    page = f"{a}/b/scale-shop/products/{cluster['product_id']}/photos"
    token = _csrf(session, page)
    picture = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 60)).save(picture, format="PNG")
    response = session.post(
        page,
        data={"csrf_token": token},
        files={"photos": ("scarf.png", picture.getvalue(), "image/png")},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303
    with cluster["db"].connect() as conn:
        key = conn.execute(sa.text("SELECT image_key FROM product_photo LIMIT 1")).scalar_one()
    served = requests.get(f"{b}/uploads/{key}", timeout=10)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/webp"


def test_a_queued_email_is_sent_exactly_once_by_two_workers(cluster):
    a, _b = cluster["urls"]
    browser = requests.Session()
    token = _csrf(browser, f"{a}/password/forgot")
    asked = browser.post(
        f"{a}/password/forgot",
        data={"csrf_token": token, "email": "owner@example.com"},
        allow_redirects=False,
        timeout=10,
    )
    assert asked.status_code in (200, 303), asked.status_code
    deadline = time.monotonic() + 60
    sent = None
    while time.monotonic() < deadline and not sent:
        with cluster["db"].connect() as conn:
            sent = conn.execute(
                sa.text(
                    "SELECT sent_at FROM outbound_email WHERE kind = 'password_reset' "
                    "AND sent_at IS NOT NULL"
                )
            ).all()
        time.sleep(0.5)
    assert len(sent) == 1
    time.sleep(3)  # room for a second (wrong) delivery by the other worker
    # Each process writes what it sends under its own data folder: one file in all.
    files = [
        path
        for path in cluster["data"].glob("*/mail/*.eml")
        if "owner@example.com" in path.read_text(errors="replace")
    ]
    assert len(files) == 1, files


def test_concurrent_orders_across_both_servers_never_oversell(cluster):
    a, b = cluster["urls"]
    sessions = {url: _login(url) for url in (a, b)}
    tokens = {
        url: _csrf(session, f"{url}/b/scale-shop/orders/new") for url, session in sessions.items()
    }

    def place(n: int) -> int:
        url = (a, b)[n % 2]
        return (
            sessions[url]
            .post(
                f"{url}/b/scale-shop/orders/new",
                data={
                    "csrf_token": tokens[url],
                    "action": "save",
                    "idempotency_key": uuid.uuid4().hex,
                    "customer_name": f"Buyer {n}",
                    "status": "confirmed",
                    "channel": "instagram",
                    "items-0-variant_id": str(cluster["variant_id"]),
                    "items-0-quantity": "1",
                },
                allow_redirects=False,
                timeout=60,
            )
            .status_code
        )

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(place, range(ORDERS)))
    assert statuses.count(303) == STOCK
    assert all(status in (303, 422) for status in statuses), sorted(set(statuses))
    with cluster["db"].connect() as conn:
        stock = conn.execute(
            sa.text("SELECT stock FROM product_variant WHERE id = :id"),
            {"id": cluster["variant_id"]},
        ).scalar_one()
        orders = conn.execute(sa.text("SELECT count(*) FROM sales_order")).scalar_one()
        moved = conn.execute(
            sa.text("SELECT -sum(quantity) FROM stock_movement WHERE kind = 'sale'")
        ).scalar_one()
    assert (stock, orders, moved) == (0, STOCK, STOCK)
