"""The state of the order entry form between taps (no request access: MultiDicts in and out).

Every tap that changes the form's shape (a stepper, picking a product, removing a
line, pasting a message) posts the whole form; `apply_action` rewrites the posted
values and the page is rendered again from them, with or without JavaScript. Item
lines are renumbered on the way, blank ones dropped, and one blank line kept at the
end for the next product. `draft_from_form` turns the submitted form into the
`OrderDraft` the services take; `data_from_draft` goes the other way for an edit.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from werkzeug.datastructures import MultiDict

from kyora.core.tenancy import id_or_none
from kyora.orders.drafts import (
    PAY_NONE,
    SHIP_MANUAL,
    SHIP_NONE,
    SHIP_ZONE,
    DraftLine,
    OrderDraft,
)
from kyora.orders.web import entry_paste
from kyora.orders.web.forms import DELIVERY_MANUAL, DELIVERY_NONE

LINE_KEY = re.compile(r"^items-(\d+)-(variant_id|query|quantity|unit_price)$")
LINE_FIELDS = ("variant_id", "query", "quantity", "unit_price")
MAX_LINES = 50


@dataclass
class EntryState:
    """What a re-render shows beyond the fields: parse highlights and suggestions."""

    action: str = ""
    # (text, kind) pieces of a pasted message; kind "unmatched" is highlighted.
    spans: list[tuple[str, str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    # line index -> variant ids suggested by the message parser
    candidates: dict[int, list[int]] = field(default_factory=dict)
    parsed: bool = False


def plain(value: Decimal | None) -> str:
    """A Decimal as a seller would type it ("45", "12.5")."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def read_lines(data: MultiDict) -> list[dict]:
    """The posted item lines in index order, as dicts of strings."""
    lines: dict[int, dict] = {}
    for key in list(data):
        match = LINE_KEY.match(key)
        if match:
            lines.setdefault(int(match[1]), {})[match[2]] = data.get(key, "")
    return [lines[index] for index in sorted(lines)]


def write_lines(data: MultiDict, lines: list[dict]) -> None:
    """Replace the item lines in `data`, numbered 0..n-1 with one blank line at the end."""
    for key in [key for key in data if LINE_KEY.match(key)]:
        data.poplist(key)
    kept = [line for line in lines if not _blank(line)][: MAX_LINES - 1]
    kept.append({"quantity": "1"})
    for index, line in enumerate(kept):
        for name in LINE_FIELDS:
            data[f"items-{index}-{name}"] = str(line.get(name) or "")


def _blank(line: dict) -> bool:
    return not (line.get("variant_id") or "").strip() and not (line.get("query") or "").strip()


def _quantity(line: dict) -> int:
    try:
        return int(str(line.get("quantity") or "1").strip())
    except ValueError:
        return 1


def apply_action(data: MultiDict, action: str, state: EntryState) -> None:
    """Apply a tap (`inc:2`, `dec:2`, `remove:2`, `pick:2:17`, `customer:5`,
    `customer:clear`) to the posted values in place."""
    lines = read_lines(data)
    verb, _sep, rest = action.partition(":")
    parts = rest.split(":")
    index = int(parts[0]) if parts and parts[0].isdigit() else -1
    if verb in ("inc", "dec", "remove", "pick") and 0 <= index < len(lines):
        line = lines[index]
        if verb == "inc":
            line["quantity"] = str(max(1, _quantity(line) + 1))
        elif verb == "dec":
            line["quantity"] = str(max(1, _quantity(line) - 1))
        elif verb == "remove":
            lines.pop(index)
        elif verb == "pick" and len(parts) > 1 and parts[1].isdigit():
            line.update(variant_id=parts[1], query="", unit_price="")
            if not (line.get("quantity") or "").strip():
                line["quantity"] = "1"
    elif verb == "customer":
        if rest == "clear":
            data["customer_id"] = ""
            data["address_id"] = ""
        elif rest.isdigit():
            data["customer_id"] = rest
            data["customer_query"] = ""
    write_lines(data, lines)


def apply_parsed(data: MultiDict, parsed, state: EntryState, text: str = "") -> None:
    """Pre-fill the form from a parsed message: contact details, a name (said in the
    message, else made from the handle), the channel it came from and the address where
    the form is still empty, and one line per requested item (matched or not)."""
    state.parsed = True
    state.spans = _mark_unpicked(list(parsed.spans or []), parsed.items)
    state.unmatched = list(parsed.unmatched or [])
    if not data.get("customer_id"):
        if parsed.phones and not data.get("customer_phone"):
            data["customer_phone"] = parsed.phones[0]
        if parsed.handles and not data.get("customer_handle"):
            data["customer_handle"] = "@" + parsed.handles[0].lstrip("@")
        if not (data.get("customer_name") or "").strip():
            name = entry_paste.name_from_message(text) or entry_paste.name_from_handle(
                parsed.handles[0] if parsed.handles else ""
            )
            if name:
                data["customer_name"] = name
    channel = entry_paste.infer_channel(text, parsed.phones, parsed.handles)
    if channel:
        data["channel"] = channel
    if parsed.address and not data.get("address_line"):
        data["address_line"] = parsed.address
    lines = [line for line in read_lines(data) if not _blank(line)]
    for item in parsed.items:
        if item.variant_id:
            lines.append({"variant_id": str(item.variant_id), "quantity": str(item.quantity or 1)})
        else:
            state.candidates[len(lines)] = list(item.candidates or [])
            lines.append({"query": item.text, "quantity": str(item.quantity or 1)})
    # Words that read like a request but matched nothing become lines to fix (or remove);
    # an option word that fits none of an item's options ("size XL") stays with that item.
    for words in state.unmatched:
        if not any(words in item.text for item in parsed.items):
            lines.append({"query": words[:100], "quantity": "1"})
    write_lines(data, lines)


def _mark_unpicked(spans: list, items) -> list:
    """Item highlights of items whose product is still to be picked are marked "pick", so
    the message does not look matched where it is not."""
    open_texts = [item.text for item in items if not item.variant_id]
    if not open_texts:
        return spans
    return [
        ("pick", piece)
        if kind == "item" and any(piece.strip() and piece in text for text in open_texts)
        else (kind, piece)
        for kind, piece in spans
    ]


def fill_city(data: MultiDict, zones, message: str = "") -> None:
    """The delivery zone and city from the address (else from anywhere in the pasted
    message), when a zone names its city or area.

    An address that is only the area ("Dubai Marina") moves to the city box.
    """
    zone, city = entry_paste.match_city(zones, data.get("address_line"))
    if zone is None and message:
        zone, city = entry_paste.match_city(zones, message)
    if zone is None:
        return
    data["delivery"] = f"zone-{zone.id}"
    if not (data.get("address_city") or "").strip():
        data["address_city"] = city
    address = (data.get("address_line") or "").strip(" ,.")
    if address.casefold() == city.casefold():
        data["address_line"] = ""


def prefill_prices(data: MultiDict, variants: dict) -> None:
    """A picked product's price goes into its line when the price box is empty."""
    for index, line in enumerate(read_lines(data)):
        variant_id = (line.get("variant_id") or "").strip()
        if variant_id.isdigit() and not (line.get("unit_price") or "").strip():
            variant = variants.get(int(variant_id))
            if variant is not None:
                data[f"items-{index}-unit_price"] = plain(variant.price)


# Fields kept behind "More options" unless something in them needs the seller.
MORE_FIELDS = (
    "channel",
    "status",
    "discount_kind",
    "discount_value",
    "shipping_fee",
    "payment_amount",
    "payment_reference",
    "allow_zero_price",
    "note",
)


def error_links(form) -> list[tuple[str, str, str]]:
    """(element id, label, message) of every error on the form, in the form's order: the
    summary at the top links to each. An item line's errors point at the line."""
    links: list[tuple[str, str, str]] = []
    for box in form:
        if box.type == "FieldList":
            for index, entry in enumerate(box):
                for sub in entry.form:
                    target = f"line-{index}" if sub.short_name == "query" else sub.id
                    links += [(target, str(sub.label.text), message) for message in sub.errors]
        elif box.type == "CSRFTokenField":
            links += [("order-form", "", message) for message in box.errors]
        else:
            links += [(box.id, str(box.label.text), message) for message in box.errors]
    return links


def initial_data(channel: str, delivery: str, method: str) -> MultiDict:
    """A fresh quick entry: a new idempotency key and one blank line."""
    data = MultiDict(
        {
            "idempotency_key": uuid.uuid4().hex,
            "channel": channel,
            "status": "confirmed",
            "payment": PAY_NONE,
            "payment_method": method,
            "delivery": delivery,
            "discount_kind": "amount",
        }
    )
    write_lines(data, [])
    return data


def delivery_value(draft: OrderDraft) -> str:
    if draft.shipping_mode == SHIP_ZONE and draft.shipping_zone_id:
        return f"zone-{draft.shipping_zone_id}"
    if draft.shipping_mode == SHIP_MANUAL:
        return DELIVERY_MANUAL
    return DELIVERY_NONE


def data_from_draft(draft: OrderDraft, version: int | None = None) -> MultiDict:
    """The edit form's values for an order's draft."""
    data = MultiDict(
        {
            "customer_id": str(draft.customer_id or ""),
            "channel": draft.channel,
            "delivery": delivery_value(draft),
            "shipping_fee": plain(draft.shipping_fee),
            "address_line": draft.address_line,
            "discount_kind": draft.discount_kind,
            "discount_value": plain(draft.discount_value),
            "note": draft.note,
            "version": str(version or ""),
        }
    )
    if draft.allow_zero_price:
        data["allow_zero_price"] = "y"
    write_lines(
        data,
        [
            {
                "variant_id": str(line.variant_id or ""),
                "quantity": str(line.quantity),
                "unit_price": plain(line.unit_price),
            }
            for line in draft.lines
        ],
    )
    return data


def draft_from_form(form) -> OrderDraft:
    """The OrderDraft the form describes (blank lines left out; indices stay aligned
    because blank lines only ever come last)."""
    lines = []
    for entry in form.items:
        sub = entry.form
        if sub.variant_id.data is None and not (sub.query.data or "").strip():
            continue
        lines.append(DraftLine(sub.variant_id.data, sub.quantity.data, sub.unit_price.data))
    delivery = form.delivery.data or DELIVERY_NONE
    zone_id = None
    if delivery.startswith("zone-") and id_or_none(delivery[5:]):
        mode, zone_id = SHIP_ZONE, id_or_none(delivery[5:])
    elif delivery == DELIVERY_MANUAL:
        mode = SHIP_MANUAL
    else:
        mode = SHIP_NONE
    address_id = form.address_id.data
    return OrderDraft(
        lines=lines,
        customer_id=form.customer_id.data,
        customer_name=form.customer_name.data or "",
        customer_phone=form.customer_phone.data or "",
        customer_handle=form.customer_handle.data or "",
        channel=form.channel.data or "other",
        status=form.status.data or "confirmed",
        shipping_mode=mode,
        shipping_zone_id=zone_id,
        shipping_fee=form.shipping_fee.data,
        address_id=id_or_none(address_id),
        address_line=form.address_line.data or "",
        address_city=form.address_city.data or "",
        discount_kind=form.discount_kind.data or "amount",
        discount_value=form.discount_value.data,
        payment=form.payment.data or PAY_NONE,
        payment_amount=form.payment_amount.data,
        payment_method=form.payment_method.data or "",
        payment_reference=form.payment_reference.data or "",
        note=form.note.data or "",
        allow_zero_price=bool(form.allow_zero_price.data),
        idempotency_key=(form.idempotency_key.data or "").strip()[:64] or None,
    )
