"""How the orders list finds what a search names: the orders of the customers the
customers' search finds (their name, phone, handles; `kyora.customers.search`), or the
order with the number typed.

A search's orders are read one of two ways (`condition`): GATHERed customer by customer
through the (business, customer, created) index, right when they are few; or by a WALK
of the list's own order (newest first), keeping those of the customers found, which
stops once the page is full, right when they are many. `found` counts them up to a
limit, which tells the two apart.
"""

from __future__ import annotations

import sqlalchemy as sa

from kyora.customers.models import Customer
from kyora.customers.queries import search_condition
from kyora.customers.search import few, scans
from kyora.extensions import db
from kyora.orders.models import Order

GATHER, WALK = "gather", "walk"


def order_number(text: str) -> int | None:
    """The order number typed (with or without "#"), if the text can be one."""
    number = text.lstrip("#").strip()
    return int(number) if number.isdigit() and len(number) <= 9 else None


def condition(business, text: str, plan: str = GATHER) -> sa.ColumnElement[bool]:
    """Orders of the customers the search finds (their name, phone, handles), or the
    order with that number.

    GATHER reads the found customers' orders through the (business, customer, created)
    index: right when they have few orders. With a number, the two sets of ids are then
    joined by UNION: an OR of the two conditions makes PostgreSQL read every order of
    the business. WALK leaves the customer out of the index choice, so the list's order
    index is read and each order is kept when its customer matches: right when the
    matches are many, as the page fills within its first few thousand orders instead
    of gathering and sorting all of them. A search the trigram index cannot narrow is
    then checked on each order's customer, not collected for the whole business first.
    """
    dialect = db.session.get_bind().dialect.name
    customers = sa.select(Customer.id).where(
        Customer.business_id == business.id, search_condition(text)
    )
    number = order_number(text)
    if plan == WALK:
        if dialect == "sqlite" and not scans(text):
            # The ids the index found, read once; "+ 0" keeps SQLite from choosing the
            # customer's index for them, so it walks the list's order.
            of_customers = (Order.customer_id + sa.literal_column("0")).in_(customers)
        else:
            # Each order's customer checked in turn. PostgreSQL plans it as a semi-join
            # and itself chooses between the walk and gathering by cost; beside the
            # number (an OR) it would instead hash every matching customer of the
            # business, so there the order's one customer is counted, order by order.
            mine = customers.where(Customer.id == Order.customer_id).correlate(Order)
            if number is None:
                of_customers = sa.exists(mine)
            else:
                of_customers = mine.with_only_columns(sa.func.count()).scalar_subquery() > 0
        return of_customers if number is None else sa.or_(Order.number == number, of_customers)
    # Marked as few: else SQLite may walk every order of the business by date instead.
    of_customers = few(Order.customer_id.in_(customers), dialect)
    if number is None:
        return of_customers
    mine = Order.business_id == business.id
    return few(
        Order.id.in_(
            sa.union(
                sa.select(Order.id).where(mine, Order.number == number),
                sa.select(Order.id).where(mine, of_customers),
            )
        ),
        dialect,
    )


def found(business, orders: sa.Select, text: str, limit: int) -> sa.Subquery:
    """(id, status) of `orders` (the list's other filters, as `select(Order.id,
    Order.status)`) that the search `text` finds: no more than `limit` + 1 of its
    customers' orders, plus the one with the number typed.

    The customers are read first, each with its orders from the (business, customer)
    index, until the limit: a name shared by a thousand customers, or two digits found
    in most numbers, costs the limit's index entries at most, not every match. A search
    the index cannot narrow and that matches few reads the business's customers, never
    its orders (SQLite is told the customers are few, so it starts from them)."""
    dialect = db.session.get_bind().dialect.name
    orders = orders.with_only_columns(Order.id, Order.status).order_by(None)
    # "+ 0": no customer can be looked up from an order, so the customers come first
    # (else SQLite may switch, as the business grows, to reading the orders first: for
    # the ids the index found, another plan at another size; for a search that scans,
    # every order of the business).
    of_customers = (
        orders.join(Customer, Order.customer_id == Customer.id + sa.literal_column("0"))
        .where(Customer.business_id == business.id, few(search_condition(text), dialect))
        .limit(limit + 1)
        .subquery()
    )
    matches = sa.select(of_customers.c.id, of_customers.c.status)
    number = order_number(text)
    if number is not None:
        matches = sa.union(matches, orders.where(Order.number == number))
    return matches.subquery()
