"""Accounting: the double-entry ledger under every order, payment, stock change,
expense and owner action, and the owner's money pages.

Where things are:
- models.py      accounts, journal entries and lines, the daily rollup, expenses,
                 recurring expenses
- chart.py       the chart of accounts every business gets; expense categories
- ledger.py      `post()` / `reverse()`: the only way into the books (+ the
                 database's own balance checks); the business date
- receivers.py   posting rules for order, payment and stock signals
- replay.py      posting old history after the fact (used by books.rebuild_books)
- books.py       `check_books` (every invariant) and `rebuild_books`
- queries.py     ledger sums from the daily rollup (balances, period movement)
- figures.py     the owner's figures: profit, business health, money home
- reports.py     cash movement, VAT, profit per order; periods.py report periods
- expenses.py    expenses and categories; recurring.py recurring expenses and their
                 catch-up; owner.py owner money, equipment, the starting point;
                 inputs.py checks of typed amounts and dates; receipts.py photos
- jobs.py        the periodic job that books recurring expenses
- cli.py         `flask kyora books check|rebuild`
- web/           the pages under /b/<handle>/money, and sections on other pages

May import core, accounts, businesses, customers, inventory and orders (their
models, events and services); never insights, billing or storefront.
"""


def init_app(app) -> None:
    """Connect the posting rules, schedule the recurring-expense job, add the commands."""
    # Importing `jobs` declares its periodic job to the queue.
    from kyora.accounting import jobs, receivers  # noqa: F401
    from kyora.accounting.cli import books_cli
    from kyora.accounting.web import init_web
    from kyora.core.cli import kyora_cli

    receivers.connect()
    kyora_cli.add_command(books_cli)
    init_web(app)
