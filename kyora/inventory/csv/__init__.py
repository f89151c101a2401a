"""CSV import and export of the catalog, one row per variant.

- `columns.py`: the columns, their headings in English and Arabic, the options cell.
- `reading.py`: reading an uploaded file into an `ImportPlan` (the preview); writes nothing.
- `plan.py`: `RowPlan`/`ImportPlan`, and deciding what each row does against the catalog.
- `applying.py`: carrying out a plan through the catalog and stock services.
- `export.py`: the catalog as export rows.
"""
