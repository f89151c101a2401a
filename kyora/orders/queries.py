"""Reads behind the order pages: the filtered list, status counts, one order, the export.

Each function issues a fixed number of SQL statements whatever the number of orders;
the list filters and sorts on indexed columns (business_id first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from kyora.core.pagination import AtLeast, PageNumbers, at_most, count_limit, one_page
from kyora.core.tenancy import id_or_none
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.orders import counters, search
from kyora.orders import status as st
from kyora.orders.models import CHANNEL_KEYS, Order, OrderEvent, OrderItem, Payment
from kyora.orders.totals import DUE_PAYMENT_STATUSES, PAYMENT_DUE, PAYMENT_STATUSES

PER_PAGE = 25
SORTS = ("newest", "oldest", "total_desc", "total_asc", "number")
PERIODS = ("today", "yesterday", "7d", "30d", "this_month", "last_month", "this_year", "custom")


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@dataclass
class OrderFilters:
    """What the list shows, read from the query string."""

    status: str = ""
    q: str = ""
    payment: str = ""
    channel: str = ""
    period: str = ""
    start: date | None = None
    end: date | None = None
    customer: int | None = None
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> OrderFilters:
        status = args.get("status", "")
        payment = args.get("payment", "")
        channel = args.get("channel", "")
        period = args.get("period", "")
        sort = args.get("sort", "newest")
        customer = args.get("customer", "")
        try:
            page = max(1, min(int(args.get("page", 1)), 100_000))
        except (TypeError, ValueError):
            page = 1
        return cls(
            status=status if status in (*st.STATUSES, st.TO_SHIP) else "",
            q=(args.get("q") or "").strip()[:100],
            payment=payment if payment in (*PAYMENT_STATUSES, PAYMENT_DUE) else "",
            channel=channel if channel in CHANNEL_KEYS else "",
            period=period if period in PERIODS else "",
            start=_parse_date(args.get("start")),
            end=_parse_date(args.get("end")),
            customer=id_or_none(customer),
            sort=sort if sort in SORTS else "newest",
            page=page,
        )

    def args(self, **changes) -> dict:
        """Query-string arguments for a link to this list with `changes` applied."""
        values = {
            "status": self.status,
            "q": self.q,
            "payment": self.payment,
            "channel": self.channel,
            "period": self.period,
            "start": self.start.isoformat() if self.start and self.period == "custom" else "",
            "end": self.end.isoformat() if self.end and self.period == "custom" else "",
            "customer": self.customer or "",
            "sort": self.sort if self.sort != "newest" else "",
            "page": self.page if self.page != 1 else "",
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}

    @property
    def active(self) -> bool:
        return bool(self.q or self.payment or self.channel or self.period or self.customer)


def period_bounds(period: str, start: date | None, end: date | None, timezone: str, now=None):
    """(from, to) UTC datetimes of a date preset in the business's time zone (None = open)."""
    zone = ZoneInfo(timezone or "UTC")
    now = (now or datetime.now(UTC)).astimezone(zone)
    today = now.date()

    def at(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)

    if period == "today":
        return at(today), None
    if period == "yesterday":
        return at(today - timedelta(days=1)), at(today)
    if period == "7d":
        return at(today - timedelta(days=6)), None
    if period == "30d":
        return at(today - timedelta(days=29)), None
    if period == "this_month":
        return at(today.replace(day=1)), None
    if period == "last_month":
        first = today.replace(day=1)
        return at((first - timedelta(days=1)).replace(day=1)), at(first)
    if period == "this_year":
        return at(today.replace(month=1, day=1)), None
    if period == "custom":
        return (at(start) if start else None), (at(end + timedelta(days=1)) if end else None)
    return None, None


def _base(
    business,
    filters: OrderFilters,
    *,
    with_status: bool = True,
    with_customer=True,
    plan: str | None = search.GATHER,
):
    query = sa.select(Order).where(Order.business_id == business.id)
    if with_customer:
        query = query.outerjoin(Customer, Customer.id == Order.customer_id)
    if with_status and filters.status == st.TO_SHIP:
        query = query.where(Order.status.in_(st.TO_SHIP_STATUSES))
    elif with_status and filters.status:
        query = query.where(Order.status == filters.status)
    if filters.payment == PAYMENT_DUE:
        query = query.where(
            Order.status.in_(st.SALE_STATUSES), Order.payment_status.in_(DUE_PAYMENT_STATUSES)
        )
    elif filters.payment:
        query = query.where(Order.payment_status == filters.payment)
    if filters.channel:
        query = query.where(Order.channel == filters.channel)
    if filters.customer:
        query = query.where(Order.customer_id == filters.customer)
    start, end = period_bounds(filters.period, filters.start, filters.end, business.timezone)
    if start is not None:
        query = query.where(Order.created_at >= start)
    if end is not None:
        query = query.where(Order.created_at < end)
    if filters.q and plan:
        query = query.where(search.condition(business, filters.q, plan))
    return query


def _order_by(sort: str) -> list:
    if sort == "oldest":
        return [Order.created_at.asc(), Order.id.asc()]
    if sort == "total_desc":
        return [Order.total.desc(), Order.id.desc()]
    if sort == "total_asc":
        return [Order.total.asc(), Order.id.asc()]
    if sort == "number":
        return [Order.number.desc()]
    return [Order.created_at.desc(), Order.id.desc()]


@dataclass
class OrderPage(PageNumbers):
    items: list[Order]
    total: int
    page: int
    per_page: int


def list_orders(
    business, filters: OrderFilters, per_page: int = PER_PAGE, total: int | None = None
) -> OrderPage:
    """One page of orders (with their customers loaded in the same query). `total`, when
    the caller already has it from `status_counts`, saves counting again.

    A search's total is bounded (`_found`); past its limit the matches are many, and the
    page is read by walking the list's order (`search.WALK`)."""
    if total is None and filters.q:
        limit = count_limit(filters.page, per_page)
        found = _found(business, filters, limit, with_status=True)
        total = at_most(db.session.scalar(sa.select(sa.func.count()).select_from(found)), limit)
    elif total is None:
        counting = _base(business, filters, with_customer=False)
        total = (
            db.session.scalar(counting.with_only_columns(sa.func.count(Order.id)).order_by(None))
            or 0
        )
    many = bool(filters.q) and getattr(total, "at_least", False)
    plan = search.WALK if many else search.GATHER
    base = _base(business, filters, with_customer=False, plan=plan)
    pages = max(1, ceil(total / per_page))
    page = min(filters.page, pages)
    # The page's orders with their customers, found by id: the filters (a search's
    # index lookups among them) run once, in the id subquery.
    rows_with_customers = (
        sa.select(Order)
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(Order.business_id == business.id)
    )
    rows = db.session.scalars(
        one_page(
            base, Order.id, _order_by(filters.sort), per_page, page, rows=rows_with_customers
        ).options(contains_eager(Order.customer))
    )
    return OrderPage(list(rows), total, page, per_page)


def _found(business, filters: OrderFilters, limit: int, *, with_status: bool) -> sa.Subquery:
    """(id, status) of the orders a search finds under the other filters, up to a limit
    (`search.found`)."""
    orders = _base(business, filters, with_status=with_status, with_customer=False, plan=None)
    return search.found(business, orders, filters.q, limit)


def status_counts(business, filters: OrderFilters) -> dict[str, int | None]:
    """Orders per status under the other filters, plus "" for all and the To ship view.

    Without a search or filter they come from the kept counts (`counters.py`), whatever
    the number of orders; with other filters, one GROUP BY without the customer table,
    so an index on orders answers it. A search is counted up to a limit past the page
    (`_found`): under it the counts are exact; past it "" is `AtLeast` the limit and the
    statuses are None (unknown: the orders read so far are no sample of them)."""
    if filters.q:
        limit = count_limit(filters.page, PER_PAGE)
        found = _found(business, filters, limit, with_status=False)
        rows = db.session.execute(
            sa.select(found.c.status, sa.func.count()).group_by(found.c.status)
        ).all()
        if sum(count for _status, count in rows) > limit:
            return {"": AtLeast(limit)} | dict.fromkeys((*st.STATUSES, st.TO_SHIP))
    elif filters.active:
        base = _base(business, filters, with_status=False, with_customer=False)
        rows = db.session.execute(
            base.with_only_columns(Order.status, sa.func.count(Order.id))
            .group_by(Order.status)
            .order_by(None)
        ).all()
    else:
        by_status: dict[str, int] = {}
        for (status, _payment), number in counters.counts(business).items():
            by_status[status] = by_status.get(status, 0) + number
        rows = list(by_status.items())
    counts = {status: 0 for status in st.STATUSES}
    counts.update({status: count for status, count in rows})
    counts[""] = sum(count for _status, count in rows)
    counts[st.TO_SHIP] = sum(counts[status] for status in st.TO_SHIP_STATUSES)
    return counts


def order_page(order: Order) -> dict:
    """Everything the order page shows besides the order (a fixed number of queries)."""
    items = list(
        db.session.scalars(
            sa.select(OrderItem)
            .where(OrderItem.order_id == order.id, OrderItem.business_id == order.business_id)
            .order_by(OrderItem.position, OrderItem.id)
        )
    )
    payments = list(
        db.session.scalars(
            sa.select(Payment)
            .where(Payment.order_id == order.id, Payment.business_id == order.business_id)
            .order_by(Payment.received_on, Payment.id)
        )
    )
    timeline = list(
        db.session.scalars(
            sa.select(OrderEvent)
            .where(OrderEvent.order_id == order.id, OrderEvent.business_id == order.business_id)
            .options(joinedload(OrderEvent.actor))
            .order_by(OrderEvent.created_at.desc(), OrderEvent.id.desc())
        )
    )
    return {"items": items, "payments": payments, "timeline": timeline}


def order_items(order: Order) -> list[OrderItem]:
    """The order's items in the order they were entered."""
    return list(
        db.session.scalars(
            sa.select(OrderItem)
            .where(OrderItem.order_id == order.id, OrderItem.business_id == order.business_id)
            .order_by(OrderItem.position, OrderItem.id)
        )
    )


def get_by_token(token: str) -> Order | None:
    """The order behind a public status link (any business), or None."""
    if not token or len(token) > 40:
        return None
    return db.session.scalar(sa.select(Order).where(Order.public_token == token))


def export_rows(business, filters: OrderFilters):
    """(order, customer name, phone, items count) for the CSV export, streamed in chunks."""
    items = (
        sa.select(sa.func.coalesce(sa.func.sum(OrderItem.quantity), 0))
        .where(OrderItem.order_id == Order.id)
        .correlate(Order)
        .scalar_subquery()
    )
    query = (
        _base(business, filters)
        .add_columns(Customer.name, Customer.phone, items.label("units"))
        .order_by(*_order_by(filters.sort))
    )
    return db.session.execute(query.execution_options(yield_per=500))
