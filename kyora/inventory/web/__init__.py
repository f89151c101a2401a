"""The inventory pages, all on the one `inventory` blueprint (`blueprint.py`).

- `products.py`: the product list with search and filters, the product page, the
  product form (create, edit), archive and delete.
- `live_checks.py`: checking one product-form field as the seller leaves it.
- `variant_rows.py`: the product form's option and variant-row buttons (no saving).
- `stock.py`: restock, adjust and the low-stock thresholds of a variant; the alerts setting.
- `photos.py`: uploading, ordering and deleting product photos.
- `import_export.py`: CSV upload, preview, confirm, template and export.
- `forms.py`: the forms of these pages and their translation into service drafts.
"""
