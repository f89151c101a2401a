"""The orders web layer: blueprints, views, forms and what the views send back.

- `blueprint.py`: the blueprints (`orders`, `order_settings`, `order_status`); no views.
- `list_page.py`: the orders list (status tabs, search, filters), bulk status, CSV export.
- `order_page.py`: one order's page and what can be done on it (status, payments,
  refunds, notes, delete).
- `receipt.py`: the printable receipt.
- `entry_page.py`: the quick entry and order edits (one form), live totals, type-aheads.
- `entry_form.py`: the entry form's values between taps, and the form as an `OrderDraft`.
- `settings_pages.py`: delivery zones, payment methods, the default channel.
- `status_page.py`: the customer's status page behind an unguessable link.
- `forms.py`: the WTForms; `csv_export.py`: the CSV download; `whatsapp.py`: the order
  summary text and wa.me link.

Views parse the form, call `kyora.orders.services`, commit, and respond.
"""
