"""What a form (or another domain) hands the customers services: typed drafts.

Values are as typed (strings, possibly blank or malformed); the services clean and
check them and report problems per field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class AddressDraft:
    line: str | None = None
    area: str | None = None
    city: str | None = None
    country: str | None = None  # the business's country when blank
    label: str | None = None
    notes: str | None = None

    @property
    def filled(self) -> bool:
        return any((value or "").strip() for value in (self.line, self.area, self.city, self.notes))


@dataclass(frozen=True)
class CustomerDraft:
    name: str | None = None
    phone: str | None = None
    whatsapp: str | None = None
    email: str | None = None
    tags: str | None = None
    instagram: str | None = None
    tiktok: str | None = None
    facebook: str | None = None
    snapchat: str | None = None
    x_handle: str | None = None
    # Only when creating: the channel they first came from, a first timeline note,
    # and a first delivery address.
    channel: str | None = None
    note: str | None = None
    address: AddressDraft | None = None

    @classmethod
    def of(cls, **values) -> CustomerDraft:
        """A draft from keyword values (`address` may be a dict of AddressDraft fields)."""
        address = values.pop("address", None)
        if isinstance(address, dict):
            address = AddressDraft(**address)
        known = {field.name for field in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise TypeError(f"unknown customer fields: {sorted(unknown)}")
        return cls(address=address, **values)
