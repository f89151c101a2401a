"""Orders: quick entry, totals, status, payments, stock and the customer-facing pages."""
