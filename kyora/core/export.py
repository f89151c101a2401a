"""Everything a workspace owns, as one ZIP of CSV files plus its photos and receipts.

The export walks the database's tables, so a new domain's tables are included without
any change here:
- a table with `business_id` gives the rows of the workspace's businesses;
- a table with `workspace_id` (or the workspace table itself) gives the workspace's rows;
- a table with `user_id` gives the rows of the workspace's people;
- other tables (platform bookkeeping such as queued email) are not workspace data.
Secrets never leave: columns named `*_hash` or marked `info={"secret": True}` are left
out. Columns marked `info={"file": True}` hold storage keys: those files are added under
`files/` with the same key.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import sqlalchemy as sa

from kyora.core.csv import BOM, safe_cell

ROWS_PER_FETCH = 1000


def _exported_columns(table: sa.Table) -> list[sa.Column]:
    return [
        column
        for column in table.columns
        if not column.name.endswith("_hash") and not column.info.get("secret")
    ]


def _scope(table: sa.Table, workspace_id: int, business_ids, user_ids):
    """The WHERE clause that keeps a table to one workspace, or None if not workspace data."""
    if table.name == "workspace":
        return table.c.id == workspace_id
    if "business_id" in table.c:
        return table.c.business_id.in_(business_ids)
    if table.name == "business" or "workspace_id" in table.c:
        return table.c.workspace_id == workspace_id
    if "user_id" in table.c:
        return table.c.user_id.in_(user_ids)
    return None


def _cell(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_cell(value)


def workspace_tables(metadata: sa.MetaData, workspace_id: int):
    """(name, table, where clause) of every table holding the workspace's rows."""
    tables = metadata.tables
    business_ids = sa.select(tables["business"].c.id).where(
        tables["business"].c.workspace_id == workspace_id
    )
    user_ids = sa.select(tables["user_account"].c.id).where(
        tables["user_account"].c.workspace_id == workspace_id
    )
    for name, table in sorted(tables.items()):
        where = _scope(table, workspace_id, business_ids, user_ids)
        if where is not None:
            yield name, table, where


def stored_file_keys(connection, metadata: sa.MetaData, workspace_id: int) -> set[str]:
    """The storage keys of every file the workspace's rows point to."""
    keys: set[str] = set()
    for _name, table, where in workspace_tables(metadata, workspace_id):
        for column in table.columns:
            if column.info.get("file"):
                query = sa.select(column).where(where, column.is_not(None))
                keys.update(connection.execute(query).scalars())
    return keys


def write_workspace_export(
    connection, metadata: sa.MetaData, workspace_id: int, open_file, out
) -> dict[str, int]:
    """Write the workspace's ZIP into the binary file `out`; `open_file(key)` returns a
    stored file's bytes (or raises). Returns the number of rows written per table."""
    counts: dict[str, int] = {}
    file_keys: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table, where in workspace_tables(metadata, workspace_id):
            columns = _exported_columns(table)
            file_columns = [column.name for column in columns if column.info.get("file")]
            order = list(table.primary_key.columns) or columns[:1]
            query = sa.select(*columns).where(where).order_by(*order)
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([column.name for column in columns])
            count = 0
            result = connection.execution_options(yield_per=ROWS_PER_FETCH).execute(query)
            for row in result:
                writer.writerow([_cell(value) for value in row])
                mapping = row._mapping
                file_keys.update(mapping[column] for column in file_columns if mapping[column])
                count += 1
            archive.writestr(f"{name}.csv", BOM + text.getvalue())
            counts[name] = count
        for key in sorted(file_keys):
            try:
                archive.writestr(f"files/{key}", open_file(key))
            except (OSError, ValueError):
                continue  # a file already gone is simply not in the export
    return counts
