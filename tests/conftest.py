"""Shared fixtures: one app and database per run, a clean database per test.

Set KYORA_TEST_DATABASE_URL to run the whole suite on PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from kyora import create_app
from kyora.core import mail
from kyora.extensions import db, limiter


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
        }
    )
    app.test_client_class = KyoraClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
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
