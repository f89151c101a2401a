"""Reads behind the customer pages: search, filtered lists, duplicates, export rows.

Every function issues a fixed number of SQL statements whatever the number of
customers (the list page and the customer page are tested for it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from math import ceil

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from kyora.core.pagination import PageNumbers, one_page, page_number
from kyora.customers import search
from kyora.customers.identity import PLATFORMS, similar_names
from kyora.customers.models import Address, Customer, CustomerNote
from kyora.extensions import db

PER_PAGE = 25
SORTS = ("last_order", "spent", "newest", "name")


@dataclass
class CustomerFilters:
    """What the list shows: search text, filters, sort and page (all from the query string)."""

    q: str = ""
    channel: str = ""
    unpaid: bool = False
    country: str = ""
    tag: str = ""
    sort: str = "last_order"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> CustomerFilters:
        sort = args.get("sort", "last_order")
        page = page_number(args.get("page"))
        return cls(
            q=(args.get("q") or "").strip()[:100],
            channel=(args.get("channel") or "").strip()[:20],
            unpaid=args.get("unpaid") in ("1", "on", "true"),
            country=(args.get("country") or "").strip().upper()[:2],
            tag=(args.get("tag") or "").strip().lower()[:30],
            sort=sort if sort in SORTS else "last_order",
            page=min(page, 100_000),
        )

    def args(self, **changes) -> dict:
        """Query-string arguments for a link to this list with `changes` applied."""
        values = {
            "q": self.q,
            "channel": self.channel,
            "unpaid": "1" if self.unpaid else "",
            "country": self.country,
            "tag": self.tag,
            "sort": self.sort if self.sort != "last_order" else "",
            "page": self.page if self.page != 1 else "",
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}

    @property
    def active(self) -> bool:
        return bool(self.q or self.channel or self.unpaid or self.country or self.tag)


@dataclass
class Page(PageNumbers):
    items: list[Customer]
    total: int
    page: int
    per_page: int
    duplicates: set[int] = field(default_factory=set)


def search_condition(text: str) -> sa.ColumnElement[bool]:
    """Customers whose name, phone, handle or email matches what was typed, answered by
    the search index (`search.py`); the orders list searches through it too."""
    return search.search_condition(text, _dialect())


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _order_by(sort: str) -> list:
    if sort == "spent":
        return [Customer.total_spent.desc(), Customer.id.desc()]
    if sort == "newest":
        return [Customer.created_at.desc(), Customer.id.desc()]
    if sort == "name":
        return [Customer.search_name.asc(), Customer.id.asc()]
    return [
        sa.nulls_last(Customer.last_order_at.desc()),
        Customer.created_at.desc(),
        Customer.id.desc(),
    ]


def filtered(business, filters: CustomerFilters) -> sa.Select:
    """`select(Customer)` of the business with the filters applied (no order, no paging)."""
    query = sa.select(Customer).where(Customer.business_id == business.id)
    if filters.q:
        query = query.where(search_condition(filters.q))
    if filters.channel:
        query = query.where(Customer.first_channel == filters.channel)
    if filters.unpaid:
        query = query.where(Customer.amount_due > 0)
    if filters.country:
        query = query.where(Customer.country == filters.country)
    if filters.tag:
        padded = sa.literal(",") + Customer.tags + sa.literal(",")
        query = query.where(padded.contains("," + filters.tag + ",", autoescape=True))
    return query


def list_customers(business, filters: CustomerFilters, per_page: int = PER_PAGE) -> Page:
    """One page of the business's customers, with possible duplicates flagged."""
    base = filtered(business, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    pages = max(1, ceil(total / per_page))
    page = min(filters.page, pages)
    items = list(
        db.session.scalars(
            one_page(
                base,
                Customer.id,
                _order_by(filters.sort),
                per_page,
                page,
                rows=sa.select(Customer).where(Customer.business_id == business.id),
            )
        )
    )
    return Page(items, total, page, per_page, duplicate_ids(business, items))


def ordered(business, filters: CustomerFilters) -> sa.Select:
    return filtered(business, filters).order_by(*_order_by(filters.sort))


def countries_in_use(business) -> list[str]:
    """Countries the business's customers are in, for the country filter."""
    return list(
        db.session.scalars(
            sa.select(Customer.country)
            .where(Customer.business_id == business.id, Customer.country.is_not(None))
            .distinct()
            .order_by(Customer.country)
        )
    )


def tags_in_use(business, limit: int = 50) -> list[str]:
    """The most used tags of the business (for the tag filter and suggestions)."""
    counts: dict[str, int] = {}
    # Read from the partial index of tagged customers (most customers have no tag); the
    # empty text is written out so the planner can match the index's condition.
    rows = db.session.scalars(
        sa.select(Customer.tags)
        .where(Customer.business_id == business.id, Customer.tags != sa.literal_column("''"))
        .distinct()
        .limit(2000)
    )
    for tags in rows:
        for tag in tags.split(","):
            if tag:
                counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda tag: (-counts[tag], tag))[:limit]


# --- Possible duplicates -------------------------------------------------------------

_IDENTITY_COLUMNS = ("name_key", "name_sound", "email", "phone", "whatsapp", *PLATFORMS)


def _identities(customer) -> dict[str, set[str]]:
    """The values that identify `customer`, grouped by kind."""
    return {
        "name": {customer.name_key} if customer.name_key else set(),
        "sound": {customer.name_sound} if customer.name_sound else set(),
        "email": {customer.email} if customer.email else set(),
        "phone": {value for value in (customer.phone, customer.whatsapp) if value},
        "handle": {getattr(customer, platform) for platform in PLATFORMS} - {None},
    }


def _candidates(business, customers: list[Customer], limit: int = 500) -> list:
    """Rows sharing a name key, email, number or handle with any of `customers` (one query).

    One SELECT per identity column, joined by UNION: each reads its (business, column)
    index, where a single WHERE with an OR of them all makes SQLite read every customer.
    Most customers have no WhatsApp number or TikTok, so SQLite is told these lookups
    are selective (`search.few`).

    A namesake with another number is a different person (`_match_reason`), and one
    with the same number is found by the number: for a customer with a number, only
    namesakes without one are read (a partial index holds just those), so a common
    name shared by a thousand customers costs nothing.
    """
    wanted = {"name": set(), "sound": set(), "email": set(), "phone": set(), "handle": set()}
    unnumbered = {"name": set(), "sound": set()}  # names of customers without a number
    for customer in customers:
        for kind, values in _identities(customer).items():
            wanted[kind] |= values
            if kind in unnumbered and not customer.phone:
                unnumbered[kind] |= values
    no_phone = Customer.phone.is_(None)
    lookups = [
        ("name_key", wanted["name"] - unnumbered["name"], no_phone),
        ("name_sound", wanted["sound"] - unnumbered["sound"], no_phone),
        ("name_key", unnumbered["name"], None),
        ("name_sound", unnumbered["sound"], None),
        ("email", wanted["email"], None),
        ("phone", wanted["phone"], None),
        ("whatsapp", wanted["phone"], None),
        *((platform, wanted["handle"], None) for platform in PLATFORMS),
    ]
    columns = [Customer.id, Customer.name, *(getattr(Customer, c) for c in _IDENTITY_COLUMNS)]
    selects = [
        sa.select(*columns).where(
            Customer.business_id == business.id,
            search.few(getattr(Customer, column).in_(sorted(values)), _dialect()),
            *([] if condition is None else [condition]),
        )
        for column, values, condition in lookups
        if values
    ]
    if not selects:
        return []
    return list(db.session.execute(sa.union(*selects).limit(limit)))


def _different_phones(customer, other) -> bool:
    """Two numbers on record that differ: namesakes, not the same person."""
    return bool(customer.phone and other.phone and customer.phone != other.phone)


def _match_reason(customer, other) -> str | None:
    """Why `other` (a row or a Customer) looks like `customer`, or None."""
    mine = _identities(customer)
    theirs = _identities(other)
    if mine["phone"] & theirs["phone"]:
        return "phone"
    if mine["handle"] & theirs["handle"]:
        return "handle"
    if mine["email"] & theirs["email"]:
        return "email"
    if _different_phones(customer, other):
        return None
    if mine["name"] & theirs["name"]:
        return "name"
    if mine["sound"] & theirs["sound"]:
        return "similar"
    return None


def duplicate_ids(business, customers: list[Customer]) -> set[int]:
    """Ids among `customers` that look like another customer of the business.

    Same rules as `_match_reason`, answered by looking each identity up in an index of
    the candidates (one query), not by comparing every pair.
    """
    if not customers:
        return set()
    rows = _candidates(business, customers)
    index: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    phones = {}
    for row in rows:
        phones[row.id] = row.phone
        for kind, values in _identities(row).items():
            for value in values:
                index[kind][value].add(row.id)

    def matches(identities: dict[str, set[str]], kinds: tuple[str, ...]) -> set[int]:
        return {
            row_id
            for kind in kinds
            for value in identities[kind]
            for row_id in index[kind].get(value, ())
        }

    flagged = set()
    for customer in customers:
        identities = _identities(customer)
        if matches(identities, ("phone", "handle", "email")) - {customer.id}:
            flagged.add(customer.id)
            continue
        # A shared name alone does not count when both have different numbers.
        namesakes = matches(identities, ("name", "sound")) - {customer.id}
        if any(
            not (customer.phone and phones[row_id] and customer.phone != phones[row_id])
            for row_id in namesakes
        ):
            flagged.add(customer.id)
    return flagged


def possible_duplicates(business, customer: Customer, limit: int = 10) -> list[tuple]:
    """Customers that may be the same person as `customer`: (id, name, reason) tuples.

    Matches on number, handle, email, name or name sound ("Sarah Al Mansouri" /
    "Sara Almansoori") come from one indexed query, as in the list; other near
    spellings (a typo) from one bounded query of names of a similar length
    starting with the same letter.
    """
    found: dict[int, tuple] = {}
    for row in _candidates(business, [customer]):
        reason = _match_reason(customer, row)
        if row.id != customer.id and reason:
            found[row.id] = (row.id, row.name, reason)
    key = customer.name_key or ""
    if len(key) >= 5:
        rows = db.session.execute(
            sa.select(Customer.id, Customer.name, Customer.name_key, Customer.phone)
            .where(
                Customer.business_id == business.id,
                Customer.id != customer.id,
                Customer.name_key.startswith(key[0], autoescape=True),
                sa.func.length(Customer.name_key).between(len(key) - 2, len(key) + 2),
            )
            .limit(2000)
        )
        for row in rows:
            if (
                row.id not in found
                and not _different_phones(customer, row)
                and similar_names(key, row.name_key)
            ):
                found[row.id] = (row.id, row.name, "similar")
    return list(found.values())[:limit]


# --- The customer page ---------------------------------------------------------------


def customer_notes(customer: Customer, limit: int = 100) -> list[CustomerNote]:
    """Newest notes first, each with its author (one query)."""
    return list(
        db.session.scalars(
            sa.select(CustomerNote)
            .where(
                CustomerNote.customer_id == customer.id,
                CustomerNote.business_id == customer.business_id,
            )
            .order_by(CustomerNote.created_at.desc(), CustomerNote.id.desc())
            .limit(limit)
        ).unique()
    )


def customer_addresses(customer: Customer) -> list[Address]:
    return list(
        db.session.scalars(
            sa.select(Address)
            .where(Address.customer_id == customer.id, Address.business_id == customer.business_id)
            .order_by(Address.id)
        )
    )


def export_rows(business, filters: CustomerFilters):
    """(customer, city of their first address) for the CSV export, streamed in chunks."""
    first_address = aliased(Address)
    city = (
        sa.select(first_address.city)
        .where(first_address.customer_id == Customer.id)
        .order_by(first_address.id)
        .limit(1)
        .correlate(Customer)
        .scalar_subquery()
    )
    query = ordered(business, filters).add_columns(city.label("city"))
    return db.session.execute(query.execution_options(yield_per=500))
