"""The migration gives every business that already exists its chart of accounts and
the database's balance checks."""

import sqlalchemy as sa
from flask_migrate import upgrade

from kyora import create_app
from kyora.accounting.chart import CHART
from kyora.core import jobs
from kyora.extensions import db


def test_existing_businesses_get_their_chart(app, tmp_path):
    url = f"sqlite:///{tmp_path}/migrated.db"
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    try:
        with other.app_context():
            upgrade(directory="migrations", revision="86679b808c88")
            with db.engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "INSERT INTO workspace (id, name, created_at, updated_at)"
                        " VALUES (1, 'W', '2025-01-01', '2025-01-01')"
                    )
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO business (id, workspace_id, handle, name, country, currency,"
                        " timezone, vat_rate, low_stock_threshold, storefront_enabled,"
                        " brand_color, accent_color, created_at, updated_at) VALUES (1, 1,"
                        " 'old-shop', 'Old', 'AE', 'AED', 'Asia/Dubai', 0, 3, 0, '#000000',"
                        " '#000000', '2025-01-01', '2025-01-01')"
                    )
                )
            upgrade(directory="migrations", revision="3c1d7a9e5b20")
            with db.engine.connect() as conn:
                codes = (
                    conn.execute(sa.text("SELECT code FROM ledger_account WHERE business_id = 1"))
                    .scalars()
                    .all()
                )
                triggers = (
                    conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
                    .scalars()
                    .all()
                )
            db.engine.dispose()
    finally:
        jobs.init_app(app)
    assert sorted(codes) == sorted(code for code, *_ in CHART)
    assert {"journal_line_balanced", "journal_line_immutable"} <= set(triggers)
