"""A small fake of the Stripe API for tests: the real `stripe` SDK talks to it over HTTP.

It keeps customers, products, prices (with lookup keys), Checkout Sessions, Customer
Portal sessions, subscriptions and invoices in memory, reads form-encoded requests
the way Stripe does (`line_items[0][price]=...`), and answers a repeated
`Idempotency-Key` with the first answer. It also serves a tiny Checkout page whose
"Pay" button completes the session and sends the user to the success URL, and it
writes the events Stripe would send, signed with the test webhook secret (posted to
`webhook_url` when one is set, always kept in `events`).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

WEBHOOK_SECRET = "whsec_test_secret_for_kyora"  # noqa: S105 - a test secret
PERIOD = 30 * 24 * 3600


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's bracket encoding (`a[b][0][c]=v`) as nested dicts and lists."""
    root: dict = {}
    for key, raw in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = raw
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(key.isdigit() for key in node):
            return [_lists(node[key]) for key in sorted(node, key=int)]
        return {key: _lists(value) for key, value in node.items()}
    return node


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header for `payload`, as Stripe computes it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class NotFound(Exception):
    pass


class FakeStripe:
    """The server and its state. `start()` it, point the SDK at `url`, `stop()` it."""

    def __init__(self, webhook_url: str | None = None):
        self.webhook_url = webhook_url
        self.lock = threading.RLock()
        self.ids = itertools.count(1)
        self.clock = itertools.count(int(time.time()))
        self.objects: dict[str, dict[str, dict]] = {
            name: {}
            for name in (
                "customers",
                "products",
                "prices",
                "sessions",
                "portals",
                "subscriptions",
                "invoices",
            )
        }
        self.idempotent: dict[str, tuple[int, bytes]] = {}
        self.events: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.server: ThreadingHTTPServer | None = None

    # --- Running ---------------------------------------------------------------------

    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._serve(self, "GET")

            def do_POST(self):
                fake._serve(self, "POST")

            def do_DELETE(self):
                fake._serve(self, "DELETE")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        params = decode_form(parse_qsl(split.query) + parse_qsl(body))
        key = handler.headers.get("Idempotency-Key")
        if not split.path.startswith("/v1/"):
            # The hosted pages take the lock themselves and deliver webhooks outside it.
            status, payload, kind = self._route(method, split.path, params)
            self._answer(handler, status, payload, kind)
            return
        with self.lock:
            self.requests.append((method, split.path))
            if method == "POST" and key and key in self.idempotent:
                status, payload, kind = *self.idempotent[key], "application/json"
            else:
                status, payload, kind = self._route(method, split.path, params)
                if method == "POST" and key:
                    self.idempotent[key] = (status, payload)
        self._answer(handler, status, payload, kind)

    @staticmethod
    def _answer(handler, status: int, payload: bytes, kind: str) -> None:
        handler.send_response(status)
        if status in (302, 303):
            handler.send_header("Location", payload.decode())
            payload = b""
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _route(self, method: str, path: str, params: dict) -> tuple[int, bytes, str]:
        try:
            if path.startswith("/checkout/") or path.startswith("/portal/"):
                return self._pages(method, path)
            found = self._api(method, path.removeprefix("/v1/").split("/"), params)
        except NotFound as missing:
            error = {"error": {"type": "invalid_request_error", "message": str(missing)}}
            return 404, json.dumps(error).encode(), "application/json"
        return 200, json.dumps(found).encode(), "application/json"

    # --- The API ---------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_test{next(self.ids):06d}"

    def _get(self, kind: str, object_id: str) -> dict:
        if object_id not in self.objects[kind]:
            raise NotFound(f"No such {kind[:-1]}: '{object_id}'")
        return self.objects[kind][object_id]

    def _api(self, method: str, parts: list[str], params: dict):
        head, rest = parts[0], parts[1:]
        if head == "checkout" and rest[:1] == ["sessions"]:
            return self._sessions(method, rest[1:], params)
        if head == "billing_portal":
            return self._portal(params)
        handlers = {
            "customers": self._customers,
            "products": self._products,
            "prices": self._prices,
            "subscriptions": self._subscriptions,
            "invoices": self._invoices,
        }
        if head not in handlers:
            raise NotFound(f"Unrecognized request URL: {'/'.join(parts)}")
        return handlers[head](method, rest, params)

    def _customers(self, method, rest, params):
        if rest:
            return self._get("customers", rest[0])
        customer = {
            "id": self._new_id("cus"),
            "object": "customer",
            "email": params.get("email"),
            "name": params.get("name"),
            "metadata": params.get("metadata", {}),
        }
        self.objects["customers"][customer["id"]] = customer
        return customer

    def _products(self, method, rest, params):
        if rest:
            product = self._get("products", rest[0])
            if method == "POST":
                product.update({k: v for k, v in params.items() if k in ("name", "metadata")})
            return product
        product = {
            "id": self._new_id("prod"),
            "object": "product",
            "name": params.get("name"),
            "active": True,
            "metadata": params.get("metadata", {}),
        }
        self.objects["products"][product["id"]] = product
        return product

    def _prices(self, method, rest, params):
        if rest:
            price = self._get("prices", rest[0])
            if method == "POST" and "active" in params:
                price["active"] = params["active"] == "true"
            return price
        if method == "GET":
            keys = params.get("lookup_keys", [])
            found = [
                price
                for price in self.objects["prices"].values()
                if (not keys or price["lookup_key"] in keys)
                and (
                    params.get("active") is None or price["active"] == (params["active"] == "true")
                )
            ]
            if "data.product" in params.get("expand", []):
                found = [
                    {**price, "product": self.objects["products"][price["product"]]}
                    for price in found
                ]
            return {"object": "list", "data": found, "has_more": False, "url": "/v1/prices"}
        if params.get("transfer_lookup_key") == "true":
            for other in self.objects["prices"].values():
                if other["lookup_key"] == params.get("lookup_key"):
                    other["lookup_key"] = None
        price = {
            "id": self._new_id("price"),
            "object": "price",
            "product": self._get("products", params["product"])["id"],
            "currency": params.get("currency"),
            "unit_amount": int(params.get("unit_amount", 0)),
            "recurring": {"interval": params.get("recurring", {}).get("interval", "month")},
            "lookup_key": params.get("lookup_key"),
            "active": True,
            "metadata": params.get("metadata", {}),
        }
        self.objects["prices"][price["id"]] = price
        return price

    def _sessions(self, method, rest, params):
        if rest:
            return self._get("sessions", rest[0])
        session_id = self._new_id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "customer": params.get("customer"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "subscription": None,
            "url": f"{self.url}/checkout/{session_id}",
            "line_items_": params.get("line_items", []),
            "subscription_data_": params.get("subscription_data", {}),
        }
        self.objects["sessions"][session_id] = session
        return session

    def _portal(self, params):
        portal_id = self._new_id("bps")
        portal = {
            "id": portal_id,
            "object": "billing_portal.session",
            "customer": self._get("customers", params["customer"])["id"],
            "return_url": params.get("return_url"),
            "url": f"{self.url}/portal/{portal_id}",
        }
        self.objects["portals"][portal_id] = portal
        return portal

    def _subscriptions(self, method, rest, params):
        subscription = self._get("subscriptions", rest[0])
        if method == "GET":
            return subscription
        if method == "DELETE":
            subscription["status"] = "canceled"
            self.emit("customer.subscription.deleted", subscription)
            return subscription
        if "cancel_at_period_end" in params:
            subscription["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
        for item in params.get("items", []):
            price = self._get("prices", item["price"])
            subscription["items"]["data"][0]["price"] = price
        self.emit("customer.subscription.updated", subscription)
        return subscription

    def _invoices(self, method, rest, params):
        if rest:
            return self._get("invoices", rest[0])
        found = [
            invoice
            for invoice in self.objects["invoices"].values()
            if invoice["customer"] == params.get("customer")
        ]
        found.sort(key=lambda invoice: invoice["created"], reverse=True)
        return {"object": "list", "data": found, "has_more": False, "url": "/v1/invoices"}

    # --- What Stripe does on its side ------------------------------------------------

    def complete_checkout(self, session_id: str) -> str:
        """The customer paid: subscription, paid invoice, events. Returns the success URL."""
        with self.lock:
            session = self._get("sessions", session_id)
            if session["status"] != "complete":
                price = self._get("prices", session["line_items_"][0]["price"])
                now = next(self.clock)
                subscription = {
                    "id": self._new_id("sub"),
                    "object": "subscription",
                    "customer": session["customer"],
                    "status": "active",
                    "cancel_at_period_end": False,
                    "created": now,
                    "metadata": session["subscription_data_"].get("metadata", {}),
                    "items": {
                        "object": "list",
                        "data": [
                            {
                                "id": self._new_id("si"),
                                "object": "subscription_item",
                                "price": price,
                                "current_period_end": now + PERIOD,
                            }
                        ],
                    },
                }
                self.objects["subscriptions"][subscription["id"]] = subscription
                session.update(
                    status="complete", payment_status="paid", subscription=subscription["id"]
                )
                self.add_invoice(subscription, "paid")
                self.emit("customer.subscription.created", subscription)
                self.emit("checkout.session.completed", session)
                self.emit("invoice.paid", self.latest_invoice(subscription["id"]))
            target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
        self.deliver()
        return target

    def add_invoice(self, subscription: dict, status: str) -> dict:
        price = subscription["items"]["data"][0]["price"]
        invoice_id = self._new_id("in")
        invoice = {
            "id": invoice_id,
            "object": "invoice",
            "number": f"KY-{next(self.ids):04d}",
            "customer": subscription["customer"],
            "subscription": subscription["id"],
            "parent": {"subscription_details": {"subscription": subscription["id"]}},
            "status": status,
            "currency": price["currency"],
            "amount_due": price["unit_amount"],
            "amount_paid": price["unit_amount"] if status == "paid" else 0,
            "hosted_invoice_url": f"https://invoice.stripe.test/{invoice_id}",
            "created": next(self.clock),
        }
        self.objects["invoices"][invoice_id] = invoice
        return invoice

    def latest_invoice(self, subscription_id: str) -> dict:
        return max(
            (i for i in self.objects["invoices"].values() if i["subscription"] == subscription_id),
            key=lambda invoice: invoice["created"],
        )

    def fail_payment(self, subscription_id: str) -> None:
        """A renewal payment failed: an open invoice, a past-due subscription, events."""
        with self.lock:
            subscription = self._get("subscriptions", subscription_id)
            subscription["status"] = "past_due"
            invoice = self.add_invoice(subscription, "open")
            self.emit("invoice.payment_failed", invoice)
            self.emit("customer.subscription.updated", subscription)
        self.deliver()

    def emit(self, kind: str, obj: dict) -> dict:
        """Record the event Stripe would send (a snapshot of `obj` now)."""
        data = {k: v for k, v in copy.deepcopy(obj).items() if not k.endswith("_")}
        event = {
            "id": self._new_id("evt"),
            "object": "event",
            "type": kind,
            "created": next(self.clock),
            "data": {"object": data},
            "delivered": False,
        }
        self.events.append(event)
        return event

    def payload(self, event: dict) -> bytes:
        return json.dumps({k: v for k, v in event.items() if k != "delivered"}).encode()

    def deliver(self) -> None:
        """Post the undelivered events to `webhook_url`, signed (when it is set)."""
        if not self.webhook_url:
            return
        for event in self.events:
            if event["delivered"]:
                continue
            body = self.payload(event)
            request = urllib.request.Request(  # noqa: S310 - the test's own http:// server
                self.webhook_url,
                data=body,
                headers={"Stripe-Signature": sign(body), "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
            event["delivered"] = True

    # --- The hosted pages ------------------------------------------------------------

    def _pages(self, method: str, path: str) -> tuple[int, bytes, str]:
        parts = path.strip("/").split("/")
        if parts[0] == "portal":
            portal = self._get("portals", parts[1])
            back = html.escape(portal["return_url"] or "/")
            page = f'<h1>Customer portal</h1><a href="{back}">Return to Kyora</a>'
            return 200, page.encode(), "text/html"
        session = self._get("sessions", parts[1])
        if method == "POST":
            return 303, self.complete_checkout(session["id"]).encode(), "text/html"
        price = self._get("prices", session["line_items_"][0]["price"])
        amount = f"{price['unit_amount'] / 100:.2f} {price['currency'].upper()}"
        page = (
            "<!doctype html><title>Checkout</title><meta name=viewport "
            'content="width=device-width"><h1>Pay Kyora</h1>'
            f"<p>{html.escape(amount)} a month</p>"
            f'<form method="post" action="/checkout/{session["id"]}">'
            '<button type="submit">Pay</button></form>'
            f'<a href="{html.escape(session["cancel_url"] or "/")}">Cancel</a>'
        )
        return 200, page.encode(), "text/html"
