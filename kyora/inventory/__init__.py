"""Catalog and inventory: products, variants, the stock ledger, photos, CSV, alerts."""
