"""Configuration safety, migrations matching the models, the demo builder, Redis jobs."""

import os
import socket

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from kyora import create_app
from kyora.config import ConfigError
from kyora.core import jobs
from kyora.customers.search import include_name
from kyora.extensions import db
from kyora.inventory import summary


@pytest.fixture(autouse=True)
def _restore_job_queue(app):
    """Creating other apps re-points the shared job queue; give it back to the test app."""
    yield
    jobs.init_app(app)


def test_production_refuses_to_start_without_a_real_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("KYORA_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(ConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.test_request_context("/"):
        response = app.make_response("ok")
        from kyora.core.security import add_security_headers

        assert "Strict-Transport-Security" in add_security_headers(response).headers


def test_migrations_create_exactly_the_models(tmp_path):
    url = f"sqlite:///{tmp_path}/migrated.db"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory="migrations")
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_demo_builder_creates_a_demo_login_once(app):
    from kyora.accounts.models import User
    from kyora.businesses.models import Business
    from kyora.demo import DEMO_EMAIL, build

    assert build(size="small").created
    assert not build(size="small").created
    user = db.session.scalar(sa.select(User).where(User.email == DEMO_EMAIL))
    assert user.email_verified
    business = db.session.scalar(sa.select(Business))
    assert business.whatsapp == "+971501234567"
    # Its sales, cancellations and restocks left every product's kept stock figures true.
    assert summary.differences(business) == []
    client = app.test_client()
    from kyora.demo import DEMO_PASSWORD

    response = client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 303


def _redis_url() -> str | None:
    url = os.environ.get("KYORA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return url


@pytest.mark.redis
def test_jobs_go_through_redis_when_configured():
    url = _redis_url()
    if url is None:
        pytest.skip("Redis is not running on 127.0.0.1:6379: the Redis job queue is not tested")
    from huey import RedisHuey

    queue = RedisHuey("kyora-test", url=url)
    queue.flush()
    seen = []

    @queue.task()
    def remember(value):
        seen.append(value)
        return value * 2

    result = remember(21)
    assert queue.pending_count() == 1
    task = queue.dequeue()
    queue.execute(task)
    assert seen == [21] and result.get() == 42
    queue.flush()


def test_production_without_redis_warns_that_limits_are_per_process(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("KYORA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.delenv("REDIS_URL", raising=False)
    with caplog.at_level("WARNING", logger="kyora.config"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/w.db"})
    assert any("REDIS_URL is not set" in record.getMessage() for record in caplog.records)


def test_migrations_keep_every_row_when_they_rebuild_tables(app, tmp_path):
    """SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy
    would cascade and delete everything that points at it. Going down and up again must
    keep every row."""
    from flask_migrate import downgrade

    from tests.factories import make_customer, make_order, make_product, make_tenant

    url = f"sqlite:///{tmp_path}/rows.db"
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    try:
        with other.app_context():
            upgrade(directory="migrations")
            with other.test_request_context("/"):
                owner, business = make_tenant()
                product = make_product(business, "Silk Scarf", stock=5)
                customer = make_customer(business, "Mona", phone="0501234567")
                make_order(business, owner, [(product.variants[0], 1)], customer_id=customer.id)
                db.session.commit()

            def counts():
                with db.engine.connect() as conn:
                    return {
                        name: conn.execute(
                            sa.select(sa.func.count()).select_from(sa.table(name))
                        ).scalar()
                        for name in sa.inspect(conn).get_table_names()
                        if name != "alembic_version"
                    }

            before = counts()
            assert before["sales_order"] == 1 and before["customer"] == 1
            downgrade(directory="migrations", revision="86679b808c88")
            after_down = counts()
            assert {k: after_down[k] for k in after_down if k in before} == {
                k: before[k] for k in after_down if k in before
            }
            upgrade(directory="migrations")
            after_up = counts()
            assert after_up["sales_order"] == 1 and after_up["business"] == 1
            assert after_up["customer"] == before["customer"]
            db.session.remove()
            db.engine.dispose()
    finally:
        jobs.init_app(app)
