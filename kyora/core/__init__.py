"""The shared platform: no business rules, used by every domain.

Where things are:
- `db.py`: the declarative Base, `Money`/`Rate`/`UTCDateTime` column types (exact on
  SQLite and PostgreSQL), the `BusinessScoped` and `TimestampMixin` mixins.
- `money.py`: Decimal rules: quantize half-up per currency, parse, format.
- `tenancy.py`: /b/<handle> blueprints, `current_business`, `scoped()`, `get_or_404()`.
- `permissions.py`: the one table of who may do what (a member never sees costs or
  profit: `("costs", "view")` is admin+), `@public`, `@authenticated`, `@requires`,
  `can()` for templates.
- `ui.py`: registration points for the nav, settings tabs and page sections, which
  domains fill from their `init_app`.
- `htmx.py`: request details, `render_page_or_partial`, `HX-Trigger`/`HX-Redirect`.
- `errors.py`: the DomainError family, `apply_to_form`, error pages.
- `forms.py`, `pagination.py`, `csv.py` (formula-safe CSV), `phones.py` (E.164),
  `i18n.py` (locales, countries, currencies, time zones).
- `mail.py` (queued email, sent after commit), `jobs.py` (how background and periodic
  jobs are declared, queued and run), `cli.py` (the `flask kyora` command group).
- `storage.py`, `images.py` (uploads checked and re-encoded), `security.py` (headers,
  safe redirects, token hashing), `request_log.py`, `routes.py` (uploads, /healthz).

May import: `kyora.extensions` and `kyora.config` only; never a domain.
"""
