"""Possible duplicates: customers who share a name key, a sound-alike name, an email, a
number or a handle, found by indexed lookups (never by comparing every pair), and the
reason each pair looks like one person.

Every function issues a fixed number of SQL statements whatever the number of
customers.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from kyora.customers import search
from kyora.customers.identity import PLATFORMS, similar_names
from kyora.customers.models import Customer
from kyora.extensions import db

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
            search.few(
                getattr(Customer, column).in_(sorted(values)), db.session.get_bind().dialect.name
            ),
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
