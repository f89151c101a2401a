"""The money pages as the owner uses them: figures on screen match the books, forms
refuse bad input beside the field (422) without writing anything, CSV and print views."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from PIL import Image

from kyora.accounting.chart import categories
from kyora.accounting.ledger import business_day
from kyora.accounting.models import Expense, JournalEntry, RecurringExpense
from kyora.extensions import db
from tests.factories import login, make_user
from tests.factories import page_text as raw_text

from .conftest import order


@pytest.fixture
def owner_client(client, shop):
    login(client, shop.owner)
    return client


def page_text(response) -> str:
    """What a reader sees, with the non-breaking space in "AED 1.00" as a plain one."""
    return raw_text(response).replace("\xa0", " ")


def _money(shop, path=""):
    return f"/b/{shop.business.handle}/money{path}"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def _sell_and_pay(shop):
    # 2 scarves + 1 cap − 10 = 110; VAT 5.50; delivery 15; total 130.50; bank fee 2.31.
    return order(
        shop,
        [(shop.scarf, 2), (shop.cap, 1)],
        customer_name="Mona",
        discount_kind="amount",
        discount_value=D("10"),
        shipping_mode="zone",
        shipping_zone_id=shop.zone.id,
        payment="full",
        payment_method="bank_transfer",
    )


def _small_sale(shop):
    return order(shop, [(shop.scarf, 1)], payment="full", payment_method="cod")


def test_money_home_shows_the_books_in_plain_words(owner_client, shop):
    _sell_and_pay(shop)
    db.session.commit()
    text = page_text(owner_client.get(_money(shop, "/")))
    assert "Cash in hand" in text
    assert "AED 128.19" in text  # bank after the fee
    assert "AED 70.19" in text  # profit this month
    assert "AED 120.38" in text  # safe: 128.19 − 5.50 VAT − 2.31 spent
    assert "Mona paid AED 130.50 for order #1001" in text
    assert "minus the VAT you owe" in text


def test_money_home_query_count_does_not_grow_with_the_books(owner_client, shop, count_queries):
    _sell_and_pay(shop)
    db.session.commit()
    small = count_queries.page(owner_client, _money(shop, "/"))
    for _ in range(6):
        _small_sale(shop)
    db.session.commit()
    assert count_queries.page(owner_client, _money(shop, "/")) == small
    assert small <= 12


def test_adding_an_expense_with_a_receipt(owner_client, shop, app):
    rent = next(a for a in categories(shop.business) if a.code == "exp_rent")
    today = business_day(shop.business).isoformat()
    response = owner_client.post(
        _money(shop, "/expenses/new"),
        data={
            "amount": "300",
            "category_id": str(rent.id),
            "spent_on": today,
            "paid_from": "cash",
            "note": "December",
            "receipt": (io.BytesIO(_png()), "receipt.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    expense = db.session.scalar(sa.select(Expense))
    assert expense.amount == D("300.00") and expense.receipt_key
    text = page_text(owner_client.get(_money(shop, "/expenses")))
    assert "Rent" in text and "AED 300.00" in text
    assert "You paid AED 300.00 for Rent" in page_text(owner_client.get(_money(shop, "/")))
    csv = owner_client.get(_money(shop, "/expenses.csv")).get_data(as_text=True)
    assert "Rent" in csv and ",300.00," in csv


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("amount", "-5"),
        ("amount", "NaN"),
        ("amount", "1e309"),
        ("amount", "99999999999999"),
        ("amount", "1.234"),
        ("spent_on", "2999-01-01"),
        ("spent_on", "2001-01-01"),
        ("spent_on", "not a date"),
    ],
)
def test_bad_expense_input_is_refused_beside_the_field(owner_client, shop, field, value):
    rent = categories(shop.business)[1]
    data = {
        "amount": "300",
        "category_id": str(rent.id),
        "spent_on": business_day(shop.business).isoformat(),
        "paid_from": "cash",
    }
    data[field] = value
    response = owner_client.post(_money(shop, "/expenses/new"), data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Expense.id))) == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count(JournalEntry.id)).where(JournalEntry.kind == "expense")
        )
        == 0
    )


def test_a_receipt_that_is_not_an_image_is_refused(owner_client, shop):
    rent = categories(shop.business)[1]
    response = owner_client.post(
        _money(shop, "/expenses/new"),
        data={
            "amount": "0",
            "category_id": str(rent.id),
            "spent_on": business_day(shop.business).isoformat(),
            "paid_from": "cash",
            "receipt": (io.BytesIO(b"%PDF-1.4 not an image"), "receipt.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="receipt-error"' in body and 'id="amount-error"' in body
    assert db.session.scalar(sa.select(sa.func.count(Expense.id))) == 0


def test_editing_and_deleting_an_expense_post_reversals(owner_client, shop):
    rent = categories(shop.business)[1]
    today = business_day(shop.business).isoformat()
    data = {"amount": "100", "category_id": str(rent.id), "spent_on": today, "paid_from": "cash"}
    owner_client.post(_money(shop, "/expenses/new"), data=data)
    expense = db.session.scalar(sa.select(Expense))
    data["amount"] = "120"
    assert (
        owner_client.post(_money(shop, f"/expenses/{expense.id}/edit"), data=data).status_code
        == 303
    )
    assert shop.balances()["cash"] == D("-120.00")
    assert owner_client.post(_money(shop, f"/expenses/{expense.id}/delete")).status_code == 303
    assert shop.balances()["cash"] == D("0.00")
    kinds = db.session.scalars(sa.select(JournalEntry.kind).order_by(JournalEntry.id)).all()
    assert kinds[-4:] == ["expense", "expense_reversal", "expense", "expense_reversal"]
    assert "Deleted" in page_text(owner_client.get(_money(shop, "/expenses")))
    shop.check()


def test_a_monthly_rent_started_in_the_past_is_booked_once_per_month(owner_client, shop):
    shop.business.created_at -= timedelta(days=90)
    db.session.commit()
    rent = next(a for a in categories(shop.business) if a.code == "exp_rent")
    today = business_day(shop.business)
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # first of last month
    data = {
        "amount": "1000",
        "category_id": str(rent.id),
        "frequency": "monthly",
        "start_on": start.isoformat(),
        "paid_from": "bank",
    }
    assert owner_client.post(_money(shop, "/recurring"), data=data).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Expense.id))) == 2
    owner_client.get(_money(shop, "/"))  # the catch-up before a page books nothing new
    assert db.session.scalar(sa.select(sa.func.count(Expense.id))) == 2
    row = db.session.scalar(sa.select(RecurringExpense))
    assert owner_client.post(_money(shop, f"/recurring/{row.id}/pause")).status_code == 303
    assert "Paused" in page_text(owner_client.get(_money(shop, "/recurring")))
    assert owner_client.post(_money(shop, f"/recurring/{row.id}/end")).status_code == 303
    assert "Ended" in page_text(owner_client.get(_money(shop, "/recurring")))


def test_a_recurring_expense_cannot_end_before_it_starts(owner_client, shop):
    rent = categories(shop.business)[1]
    today = business_day(shop.business)
    data = {
        "amount": "100",
        "category_id": str(rent.id),
        "frequency": "monthly",
        "start_on": today.isoformat(),
        "end_on": (today - timedelta(days=1)).isoformat(),
        "paid_from": "cash",
    }
    response = owner_client.post(_money(shop, "/recurring"), data=data)
    assert response.status_code == 422
    assert 'id="end_on-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(RecurringExpense.id))) == 0


def test_taking_out_more_than_is_safe_needs_a_confirmation(owner_client, shop):
    today = business_day(shop.business).isoformat()
    owner_client.post(
        _money(shop, "/put-in"), data={"amount": "500", "day": today, "account": "cash"}
    )
    assert shop.balances()["cash"] == D("500.00")
    data = {"amount": "600", "day": today, "account": "cash"}
    response = owner_client.post(_money(shop, "/take-out"), data=data)
    assert response.status_code == 422
    assert "safe to take out" in page_text(response)
    assert shop.balances()["cash"] == D("500.00")
    data["confirmed"] = "y"
    assert owner_client.post(_money(shop, "/take-out"), data=data).status_code == 303
    books = shop.balances()
    assert books["cash"] == D("-100.00") and books["owner_drawings"] == D("600.00")
    owner_client.post(
        _money(shop, "/equipment"), data={"amount": "50", "day": today, "account": "cash"}
    )
    assert shop.balances()["equipment"] == D("50.00")
    shop.check()


def test_the_starting_point_is_entered_once_and_can_be_corrected(owner_client, shop):
    home = page_text(owner_client.get(f"/b/{shop.business.handle}/"))
    assert "Were you selling before Kyora?" in home
    data = {"cash": "1000", "bank": "2500", "owed_to_you": "300", "you_owe": "800"}
    assert owner_client.post(_money(shop, "/starting-point"), data=data).status_code == 303
    books = shop.balances()
    assert books["cash"] == D("1000.00") and books["bank"] == D("2500.00")
    assert books["owner_capital"] == D("-3250.00")  # 250 of opening stock + 3000
    data["cash"] = "900"
    owner_client.post(_money(shop, "/starting-point"), data=data)
    assert shop.balances()["cash"] == D("900.00")
    assert "Were you selling before Kyora?" not in page_text(
        owner_client.get(f"/b/{shop.business.handle}/")
    )
    response = owner_client.post(_money(shop, "/starting-point"), data={"cash": "-1"})
    assert response.status_code == 422
    shop.check()


@pytest.mark.parametrize("name", ["profit", "health", "cash", "vat", "orders"])
def test_every_report_has_a_page_a_csv_and_a_print_view(owner_client, shop, name, count_queries):
    _sell_and_pay(shop)
    db.session.commit()
    url = _money(shop, f"/reports/{name}")
    assert owner_client.get(url).status_code == 200
    csv = owner_client.get(url + "?format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert owner_client.get(url + "?print=1").status_code == 200
    small = count_queries.page(owner_client, url)
    for _ in range(4):
        _small_sale(shop)
    db.session.commit()
    assert count_queries.page(owner_client, url) == small


def test_report_figures_match_the_scenario(owner_client, shop):
    _sell_and_pay(shop)
    db.session.commit()
    profit = page_text(owner_client.get(_money(shop, "/reports/profit?period=today")))
    assert "AED 110.00" in profit and "AED 72.50" in profit and "AED 70.19" in profit
    cash = page_text(owner_client.get(_money(shop, "/reports/cash?period=today")))
    assert "AED 130.50" in cash and "AED 128.19" in cash
    vat = page_text(owner_client.get(_money(shop, "/reports/vat?period=month")))
    assert "AED 5.50" in vat
    csv = owner_client.get(_money(shop, "/reports/profit?period=today&format=csv"))
    assert "70.19" in csv.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "period=custom&from=2025-05-01&to=2025-04-01",
        "period=custom&from=nonsense&to=2025-04-01",
        "period=custom&from=2025-01-01&to=2999-01-01",
        "period=decade",
        "period=custom&from=1200-01-01&to=2025-01-01",
    ],
)
def test_bad_report_periods_get_a_clear_message(owner_client, shop, query):
    response = owner_client.get(_money(shop, f"/reports/profit?{query}"))
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)


def test_the_order_page_shows_its_profit_in_words(owner_client, shop):
    sold = _sell_and_pay(shop)
    db.session.commit()
    text = page_text(owner_client.get(f"/b/{shop.business.handle}/orders/{sold.id}"))
    # 110 + 15 − 52.50 − 2.31 = 70.19
    assert "Profit on this order" in text and "AED 70.19" in text


def test_the_orders_list_shows_each_sales_profit(owner_client, shop, app, count_queries):
    _sell_and_pay(shop)
    pending = order(shop, [(shop.cap, 1)], status="pending")
    db.session.commit()
    url = f"/b/{shop.business.handle}/orders/"
    text = page_text(owner_client.get(url))
    assert "Profit AED 70.19" in text  # the same figure as on the order page
    assert text.count("Profit AED") == 1  # a pending order is not a sale yet
    assert f"#{pending.number}" in text
    few = count_queries.page(owner_client, url)
    for _ in range(5):
        _small_sale(shop)
    db.session.commit()
    assert count_queries.page(owner_client, url) == few  # one query for the whole page


def test_members_never_see_money(client, shop):
    member = make_user(role="member", workspace=shop.owner.workspace)
    sold = _sell_and_pay(shop)
    db.session.commit()
    login(client, member)
    assert client.get(_money(shop, "/")).status_code == 403
    text = page_text(client.get(f"/b/{shop.business.handle}/orders/{sold.id}"))
    assert "Profit on this order" not in text
    assert "Profit" not in page_text(client.get(f"/b/{shop.business.handle}/orders/"))
    assert "Money" not in page_text(client.get(f"/b/{shop.business.handle}/"))
