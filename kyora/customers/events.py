"""Signals of the customers domain (higher domains connect to them at app creation).

Sections on the customer page are not signals: see `core/ui.py` (slot `customer.page`).

- `customers_merged`: `send(business, kept=customer, merged=customer)`, sent inside
  the merge's transaction BEFORE the merged customer is deleted, so receivers can
  point their rows at the kept customer.
- `customer_deleting`: `send(customer, business=business)` before a delete; a
  receiver returns a translated reason (str) to refuse it, or None.
- `customer_created`: `send(customer, business=business, actor=actor)`.
"""

from blinker import Namespace

_signals = Namespace()

customers_merged = _signals.signal("customers-merged")
customer_deleting = _signals.signal("customer-deleting")
customer_created = _signals.signal("customer-created")
