"""Every table of business data carries an indexed business_id (core.db.BusinessScoped)."""

import sqlalchemy as sa

from kyora.extensions import db

# Tables that are not business data: the workspace and its people, the businesses
# themselves, and platform tables.
NOT_BUSINESS_DATA = {
    "workspace",
    "user_account",
    "user_session",
    "one_time_token",
    "oauth_identity",
    "invitation",
    "audit_event",
    "business",
    "outbound_email",
    # A user's own setting, the workspace's plan, and the Stripe events already handled.
    "weekly_summary",
    "billing_subscription",
    "billing_processed_event",
}


def _indexed_first(table, column: str) -> bool:
    """The column leads an index, a unique constraint or the primary key."""
    leading = [list(index.columns)[0].name for index in table.indexes if index.columns]
    leading += [
        list(constraint.columns)[0].name
        for constraint in table.constraints
        if isinstance(constraint, (sa.UniqueConstraint, sa.PrimaryKeyConstraint))
        and len(constraint.columns)
    ]
    return column in leading


def test_every_business_table_has_an_indexed_business_id(app):
    missing, unindexed = [], []
    for name, table in sorted(db.metadata.tables.items()):
        if name in NOT_BUSINESS_DATA:
            continue
        if "business_id" not in table.columns:
            missing.append(name)
        elif not _indexed_first(table, "business_id"):
            unindexed.append(name)
        else:
            foreign = {key.column.table.name for key in table.columns["business_id"].foreign_keys}
            assert foreign == {"business"}, name
    assert not missing, f"tables without business_id (use BusinessScoped): {missing}"
    assert not unindexed, f"business_id not indexed: {unindexed}"


def test_the_allow_list_names_real_tables(app):
    # A renamed table must not silently escape the check above.
    assert set(db.metadata.tables) >= NOT_BUSINESS_DATA
