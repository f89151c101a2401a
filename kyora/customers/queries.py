"""Reads behind the customer pages: search, filtered lists, notes, addresses, export rows;
possible duplicates are in `duplicates.py`.

Every function issues a fixed number of SQL statements whatever the number of
customers (the list page and the customer page are tested for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from kyora.core.pagination import (
    PageNumbers,
    at_most,
    bounded_count,
    count_limit,
    one_page,
    page_number,
)
from kyora.customers import search
from kyora.customers.duplicates import duplicate_ids
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


def filtered(business, filters: CustomerFilters, *, few_found: bool = False) -> sa.Select:
    """`select(Customer)` of the business with the filters applied (no order, no paging).

    `few_found`: the search is known to match few customers, so SQLite reads them and
    sorts them rather than walk the list's order index to its end looking for them."""
    query = sa.select(Customer).where(Customer.business_id == business.id)
    if filters.q:
        condition = search_condition(filters.q)
        query = query.where(search.few(condition, _dialect()) if few_found else condition)
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
    """One page of the business's customers, with possible duplicates flagged.

    A search the index cannot narrow (`search.scans`) is counted only up to a limit past
    the page: "050" matches nearly every customer, and counting them all would read
    every one of them. Past the limit the page walks the list's order and stops once it
    has its rows; under it the matches are few, and are read and sorted instead."""
    base = filtered(business, filters)
    scanning = bool(filters.q) and search.scans(filters.q)
    if scanning:
        limit = count_limit(filters.page, per_page)
        total = at_most(db.session.scalar(bounded_count(base, Customer.id, limit)) or 0, limit)
        if not getattr(total, "at_least", False):
            base = filtered(business, filters, few_found=True)
    else:
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
