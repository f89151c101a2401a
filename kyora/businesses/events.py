"""Signals of the businesses domain.

`business_creating` lets billing refuse a business over the plan's limit (by
raising PlanLimitReached); `currency_change_requested` lets higher domains say
the currency is locked (a receiver returns True when the business has orders).
"""

from blinker import Namespace

_signals = Namespace()

business_creating = _signals.signal("business-creating")
business_created = _signals.signal("business-created")
currency_change_requested = _signals.signal("currency-change-requested")
