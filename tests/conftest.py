"""Shared fixtures: one app and database per run, a clean database per test.

Set KYORA_TEST_DATABASE_URL to run the whole suite on PostgreSQL.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from kyora import create_app
from kyora.core import mail
from kyora.extensions import db, limiter


@contextmanager
def _statements():
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


class QueryCounter:
    """`with count_queries() as statements:` collects the SQL run inside the block;
    `count_queries.page(client, url)` is the number of statements one GET (status 200)
    issues once warm (after a first GET has refreshed the session and caches)."""

    def __call__(self):
        return _statements()

    def page(self, client, url: str, headers: dict | None = None) -> int:
        client.get(url, headers=headers or {})
        with _statements() as statements:
            response = client.get(url, headers=headers or {})
        assert response.status_code == 200, url
        return len(statements)


@pytest.fixture
def count_queries():
    return QueryCounter()


class KyoraClient(FlaskClient):
    """A test client whose every request runs in its own application context.

    The test's own session commits first, so what the test set up is visible to
    the request and what the request wrote is visible to the test afterwards.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = build_app(tmp_path_factory)
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
    dispose(app)


def build_app(tmp_path_factory, **config):
    """A test app over a fresh schema (SQLite, or KYORA_TEST_DATABASE_URL), with
    `config` on top of the suite's settings."""
    url = os.environ.get("KYORA_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'kyora-test.db'}"
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_DIR": str(instance / "uploads"),
            "MAIL_OUTBOX_DIR": str(instance / "mail"),
            "BASE_URL": "http://kyora.test",
            **config,
        }
    )
    app.test_client_class = KyoraClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _wipe(engine) -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(sa.text(f'DELETE FROM "{name}"'))


@pytest.fixture
def app_ctx(app):
    """An app context over an empty database (autouse in integration/ and e2e/)."""
    mail.outbox.clear()
    limiter.reset()
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _wipe(db.engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox():
    """Emails delivered during the test (memory backend)."""
    return mail.outbox
