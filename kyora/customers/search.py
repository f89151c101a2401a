"""Finding customers by a part of their name, number, handle or email, through an index.

A search box is typed into on every list; a `LIKE '%...%'` scan of every customer (and,
for the orders list, of every order joined to them) grows with the business. Both
engines answer substring searches from a trigram index instead:

- SQLite: `customer_search`, an FTS5 table with the trigram tokenizer over the
  customer's search columns (external content: the text stays in `customer`), kept in
  step by triggers on `customer`, so bulk inserts, imports and merges need no extra code.
- PostgreSQL: a GIN `pg_trgm` index over the same columns (lower-cased), which serves
  the `LIKE` conditions directly.

Trigrams need three characters: a shorter word is checked with `LIKE` on the customers
the longer words already found, or, when nothing longer was typed, on the business's
customers one by one (`scans`). Such a text ("050": the digits "50") often matches most
of them, so the lists read it in their own order and stop once the page is full, and
count its matches only up to a limit; when it matches few, the read is bounded by the
business's customers, never by its orders.
The SQLite index is not per business: a common word finds other shops' customers too,
which the business condition then drops (their cost, never their rows, is shared).
"""

from __future__ import annotations

import sqlalchemy as sa

from kyora.customers.identity import PLATFORMS, phone_digits_query, search_text
from kyora.customers.models import Customer

# The columns searched, in the index's order. Handles and emails are stored lower case,
# the name folded by `identity.search_text`, so typed text is folded the same way.
NAME_COLUMNS = ("search_name",)
PHONE_COLUMNS = ("phone", "whatsapp")
HANDLE_COLUMNS = (*PLATFORMS, "email")
COLUMNS = (*NAME_COLUMNS, *PHONE_COLUMNS, *HANDLE_COLUMNS)
TRIGRAM = 3  # the shortest text a trigram index can look up

FTS_TABLE = "customer_search"


# Written out (not generated from COLUMNS) so the migration can carry the same text.
SQLITE_DDL = (
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS customer_search USING fts5(
      search_name, phone, whatsapp, instagram, tiktok, facebook, snapchat, x_handle, email,
      content='customer', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS customer_search_insert AFTER INSERT ON customer BEGIN
      INSERT INTO customer_search (rowid, search_name, phone, whatsapp, instagram, tiktok,
        facebook, snapchat, x_handle, email)
      VALUES (new.id, new.search_name, new.phone, new.whatsapp, new.instagram, new.tiktok,
        new.facebook, new.snapchat, new.x_handle, new.email);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS customer_search_delete AFTER DELETE ON customer BEGIN
      INSERT INTO customer_search (customer_search, rowid, search_name, phone, whatsapp,
        instagram, tiktok, facebook, snapchat, x_handle, email)
      VALUES ('delete', old.id, old.search_name, old.phone, old.whatsapp, old.instagram,
        old.tiktok, old.facebook, old.snapchat, old.x_handle, old.email);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS customer_search_update AFTER UPDATE OF search_name, phone,
      whatsapp, instagram, tiktok, facebook, snapchat, x_handle, email ON customer BEGIN
      INSERT INTO customer_search (customer_search, rowid, search_name, phone, whatsapp,
        instagram, tiktok, facebook, snapchat, x_handle, email)
      VALUES ('delete', old.id, old.search_name, old.phone, old.whatsapp, old.instagram,
        old.tiktok, old.facebook, old.snapchat, old.x_handle, old.email);
      INSERT INTO customer_search (rowid, search_name, phone, whatsapp, instagram, tiktok,
        facebook, snapchat, x_handle, email)
      VALUES (new.id, new.search_name, new.phone, new.whatsapp, new.instagram, new.tiktok,
        new.facebook, new.snapchat, new.x_handle, new.email);
    END
    """,
    # Indexes the customers already there (nothing to do on an empty table).
    "INSERT INTO customer_search (customer_search) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS customer_search_insert",
    "DROP TRIGGER IF EXISTS customer_search_delete",
    "DROP TRIGGER IF EXISTS customer_search_update",
    "DROP TABLE IF EXISTS customer_search",
)
POSTGRES_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE INDEX IF NOT EXISTS ix_customer_search_trgm ON customer USING gin ((lower(
      coalesce(search_name, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(whatsapp, '')
      || ' ' || coalesce(instagram, '') || ' ' || coalesce(tiktok, '') || ' ' || coalesce(facebook, '')
      || ' ' || coalesce(snapchat, '') || ' ' || coalesce(x_handle, '') || ' ' || coalesce(email, '')
    )) gin_trgm_ops)
    """,
    # Not search, but the same engine gap: the customers list's default order (last order
    # first, never-ordered last) is DESC NULLS LAST, which a plain index only gives
    # backwards with NULLs first. SQLite puts NULLs last in DESC already.
    """
    CREATE INDEX IF NOT EXISTS ix_customer_business_recent ON customer (
      business_id, last_order_at DESC NULLS LAST, created_at DESC, id DESC
    )
    """,
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS ix_customer_search_trgm",
    "DROP INDEX IF EXISTS ix_customer_business_recent",
)


def create_index(connection) -> None:
    """Create the search index (filled from the customers already there) and, on
    PostgreSQL, the customers list's order index."""
    postgres = connection.dialect.name == "postgresql"
    for statement in POSTGRES_DDL if postgres else SQLITE_DDL:
        connection.exec_driver_sql(statement)


def drop_index(connection) -> None:
    postgres = connection.dialect.name == "postgresql"
    for statement in POSTGRES_DROP if postgres else SQLITE_DROP:
        connection.exec_driver_sql(statement)


POSTGRES_INDEXES = ("ix_customer_search_trgm", "ix_customer_business_recent")


def include_name(name, type_, _parent_names) -> bool:
    """For schema comparisons (autogenerate): leave out what this module creates outside
    the models (the SQLite search table and FTS5's tables behind it, PostgreSQL's
    expression indexes)."""
    if type_ == "table":
        return not (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    return not (type_ == "index" and name in POSTGRES_INDEXES)


def restore_sqlite_triggers(connection) -> None:
    """Recreate the triggers and refill the index when the search table is there but a
    trigger is not (SQLite drops them when a migration rebuilds the customer table)."""
    names = set(
        connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name LIKE 'customer_search%'"
        ).scalars()
    )
    triggers = {"customer_search_insert", "customer_search_delete", "customer_search_update"}
    if FTS_TABLE in names and not triggers <= names:
        create_index(connection)
        connection.commit()


# Tests and benchmarks build the schema with create_all; the migration runs the same.
sa.event.listen(Customer.__table__, "after_create", lambda _t, conn, **_kw: create_index(conn))
sa.event.listen(Customer.__table__, "before_drop", lambda _t, conn, **_kw: drop_index(conn))


# --- Reading -------------------------------------------------------------------------


def _contains(expression, text: str) -> sa.ColumnElement[bool]:
    """`expression` contains `text`, with LIKE's wildcards in `text` taken literally."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return expression.like(f"%{escaped}%", escape="/")


def _like(column: str, text: str) -> sa.ColumnElement[bool]:
    return _contains(getattr(Customer, column), text)


def _document() -> sa.ColumnElement[str]:
    """All the searched columns in one lower-case text, exactly as PostgreSQL's trigram
    index is defined (the planner matches the expression, not its meaning).

    One expression, not one per column: the planner prices an OR over nine indexed
    columns above a full scan, and an index on a bare column would also answer equality
    and be picked, slowly, for the exact lookups the unique indexes serve. A searched
    text never holds a space, so it cannot match across two columns."""
    empty, space = sa.literal_column("''"), sa.literal_column("' '")
    document = sa.func.coalesce(getattr(Customer, COLUMNS[0]), empty)
    for column in COLUMNS[1:]:
        document = document.op("||")(space).op("||")(
            sa.func.coalesce(getattr(Customer, column), empty)
        )
    return sa.func.lower(document)


def _quoted(text: str) -> str:
    """`text` as one FTS5 string: whatever it holds (quotes, `*`, `NEAR`, `:`) is literal."""
    return '"' + text.replace('"', '""') + '"'


def _fts(columns: tuple[str, ...], texts: list[str]) -> str:
    """An FTS5 query: every one of `texts` inside one of `columns`."""
    terms = " AND ".join(_quoted(text) for text in texts)
    return "{" + " ".join(columns) + "} : (" + terms + ")"


def _fts_ids(query: str) -> sa.ColumnElement[bool]:
    """The customer is among the matches of `query`: looked up by id, marked as few, so
    a list reads the matches rather than walks all the business's customers in order."""
    match = sa.select(sa.literal_column("rowid")).select_from(sa.table(FTS_TABLE))
    match = match.where(sa.literal_column(FTS_TABLE).op("MATCH")(query))
    return few(Customer.id.in_(match), "sqlite")


def few(condition: sa.ColumnElement[bool], dialect: str) -> sa.ColumnElement[bool]:
    """`condition`, marked for SQLite as true for few rows (PostgreSQL needs no hint).

    SQLite's statistics can make an indexed IN look worse than reading every row of the
    business in index order: its estimates count all customers without a WhatsApp number
    as sharing one value, and a subquery's size is unknown to it. `likelihood()` tells it
    the condition is selective, so it looks the values up in their index."""
    if dialect != "sqlite":
        return condition
    return sa.func.likelihood(condition, sa.literal_column("0.001"), type_=sa.types.NullType)


def _parts(text: str) -> list[tuple[tuple[str, ...], list[str]]]:
    """What to look for, as (columns, texts) pairs: a customer matches a pair when
    every text is in one of the columns, and matches the search when any pair matches.

    All the words of the folded name; the digits of a number (without a trunk zero);
    a handle or email typed whole."""
    text = (text or "").strip()
    parts = []
    words = search_text(text).split()
    if words:
        parts.append((NAME_COLUMNS, words))
    digits = phone_digits_query(text)
    if digits:
        parts.append((PHONE_COLUMNS, [digits]))
    handle = text.lstrip("@").strip().lower()
    if handle and " " not in handle:
        parts.append((HANDLE_COLUMNS, [handle]))
    return parts


def _like_part(columns: tuple[str, ...], texts: list[str]) -> sa.ColumnElement[bool]:
    return sa.and_(*(sa.or_(*(_like(column, text) for column in columns)) for text in texts))


def _sqlite_condition(parts) -> sa.ColumnElement[bool]:
    """The trigram table finds candidates for every part with a 3+ character text; one
    MATCH answers all the parts that have nothing shorter to check."""
    indexed, conditions = [], []
    for columns, texts in parts:
        long = [text for text in texts if len(text) >= TRIGRAM]
        short = [text for text in texts if len(text) < TRIGRAM]
        if not long:
            conditions.append(_like_part(columns, short))
        elif short:
            conditions.append(sa.and_(_fts_ids(_fts(columns, long)), _like_part(columns, short)))
        else:
            indexed.append(_fts(columns, long))
    if indexed:
        conditions.insert(0, _fts_ids(" OR ".join(f"({query})" for query in indexed)))
    return sa.or_(*conditions)


def scans(text: str) -> bool:
    """Whether searching `text` reads the business's customers one by one: some part of
    it has no word long enough for the trigram index (a two-letter name, the two digits
    of "050"). Lists then stop counting early and read in their own order (see
    `kyora.core.pagination.bounded_count`), since such a text often matches most
    customers."""
    return any(all(len(word) < TRIGRAM for word in words) for _columns, words in _parts(text))


def search_condition(text: str, dialect: str) -> sa.ColumnElement[bool]:
    """Customers whose name, phone, handle or email contains what was typed.

    On PostgreSQL the trigram index over one document of all the columns finds the
    candidates; on SQLite the FTS5 table does. A blank search matches everyone."""
    parts = _parts(text)
    if not parts:
        return sa.true()
    if dialect == "sqlite":
        return _sqlite_condition(parts)
    return _postgres_condition(parts)


def _postgres_condition(parts) -> sa.ColumnElement[bool]:
    """The trigram index finds the customers whose document holds every text of a part;
    the same test per column then keeps those where each text is in the right column."""
    document = _document()
    found = sa.or_(
        *(sa.and_(*(_contains(document, text) for text in texts)) for _columns, texts in parts)
    )
    exact = sa.or_(*(_like_part(columns, texts) for columns, texts in parts))
    return sa.and_(found, exact)
