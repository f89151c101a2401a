"""Fixed scenarios with the figures worked out by hand: what each event posts, what
the owner's figures then say, and that the books check agrees.

The shop (conftest): AED, VAT 5 % added on top, bank transfers cost 1 % + 1.00,
delivery 15.00 (free from 150.00). Opening stock: 10 scarves at cost 20 and 4 caps at
cost 12.50, so the books start with stock 250.00 against the owner's stake.
"""

from decimal import Decimal as D

from kyora.accounting import figures
from kyora.accounting.ledger import business_day
from kyora.extensions import db
from kyora.orders import services as orders
from tests.factories import make_product, make_tenant

from .conftest import Shop, order


def _pay(shop, the_order, amount, method):
    return orders.record_payment(
        shop.business, shop.owner, the_order, amount=D(amount), method=method
    )


def test_opening_stock_is_the_owners_stake(shop):
    books = shop.balances()
    assert books["inventory"] == D("250.00")
    assert books["owner_capital"] == D("-250.00")
    shop.check()


def test_vat_on_top_with_a_discount_delivery_and_a_bank_fee(shop):
    # 2 scarves (90) + 1 cap (30) = 120, less 10 = 110; VAT 5.50; delivery 15 (110 < 150)
    # total 130.50; cost 2 × 20 + 12.50 = 52.50; fee 1 % × 130.50 + 1 = 2.305 → 2.31.
    sold = order(
        shop,
        [(shop.scarf, 2), (shop.cap, 1)],
        discount_kind="amount",
        discount_value=D("10"),
        shipping_mode="zone",
        shipping_zone_id=shop.zone.id,
        payment="full",
        payment_method="bank_transfer",
    )
    assert sold.total == D("130.50")
    books = shop.balances()
    assert books["receivable"] == D("0.00")
    assert books["bank"] == D("128.19")
    assert books["sales"] == D("-120.00")
    assert books["discounts"] == D("10.00")
    assert books["shipping_income"] == D("-15.00")
    assert books["vat"] == D("-5.50")
    assert books["cogs"] == D("52.50")
    assert books["payment_fees"] == D("2.31")
    assert books["inventory"] == D("197.50")

    today = business_day(shop.business)
    profit = figures.profit(shop.business, today, today)
    assert profit.net_sales == D("110.00")
    assert profit.shipping == D("15.00")
    assert profit.gross_profit == D("72.50")
    assert profit.net_profit == D("70.19")
    assert profit.vat_collected == D("5.50")

    home = figures.home(shop.business, today)
    assert home.cash_in_hand == D("128.19")
    assert home.vat_owed == D("5.50")
    # Safe to take out: 128.19 − VAT 5.50 − last 30 days' spending (the fee, 2.31).
    assert home.safe_to_take_out == D("120.38")
    assert home.month_profit == D("70.19")
    shop.check()


def test_free_delivery_above_the_threshold(shop):
    # 4 scarves = 180 ≥ 150: delivery free. VAT 9.00, total 189.00, cost 80.
    sold = order(shop, [(shop.scarf, 4)], shipping_mode="zone", shipping_zone_id=shop.zone.id)
    assert sold.shipping == D("0.00")
    books = shop.balances()
    assert books["receivable"] == D("189.00")
    assert books["shipping_income"] == D("0.00")
    assert books["vat"] == D("-9.00")
    assert books["cogs"] == D("80.00")
    shop.check()


def test_a_three_decimal_currency_with_a_part_payment(app, request_ctx):
    owner, business = make_tenant(country="KW")
    assert business.currency == "KWD"
    orders.setup_new_business(business)
    lamp = make_product(business, "Lamp", price="1.250", cost="0.625", stock=10).variants[0]
    db.session.commit()
    shop = Shop(owner, business, lamp, None, None)
    # 3 × 1.250 = 3.750 (no VAT), cost 3 × 0.625 = 1.875; 1.500 paid cash on delivery.
    sold = order(shop, [(lamp, 3)], payment="part", payment_amount=D("1.500"), payment_method="cod")
    assert sold.total == D("3.750")
    books = shop.balances()
    assert books["cash"] == D("1.500")
    assert books["receivable"] == D("2.250")
    assert books["sales"] == D("-3.750")
    assert books["cogs"] == D("1.875")
    assert books["inventory"] == D("4.375")
    shop.check()


def test_money_paid_before_confirmation_waits_then_reduces_what_is_owed(shop):
    # Scarf + cap = 75; VAT 3.75; delivery 15; total 93.75. 50 paid while pending.
    pending = order(
        shop,
        [(shop.scarf, 1), (shop.cap, 1)],
        status="pending",
        shipping_mode="zone",
        shipping_zone_id=shop.zone.id,
    )
    _pay(shop, pending, "50", "cod")
    books = shop.balances()
    assert books["cash"] == D("50.00")
    assert books["customer_credit"] == D("-50.00")
    assert books["sales"] == D("0.00")
    shop.check()

    orders.change_status(shop.business, shop.owner, pending, "confirmed")
    books = shop.balances()
    assert books["customer_credit"] == D("0.00")
    assert books["receivable"] == D("43.75")
    assert books["sales"] == D("-75.00")
    assert books["vat"] == D("-3.75")
    assert books["cogs"] == D("32.50")
    shop.check()


def test_a_refund_gives_back_its_share_of_the_fee(shop):
    sold = order(
        shop,
        [(shop.scarf, 2), (shop.cap, 1)],
        discount_kind="amount",
        discount_value=D("10"),
        shipping_mode="zone",
        shipping_zone_id=shop.zone.id,
        payment="full",
        payment_method="bank_transfer",
    )
    # Refund 30.50 of 130.50: fee back 2.31 × 30.50 / 130.50 = 0.5399 → 0.54.
    orders.refund_payment(
        shop.business, shop.owner, sold, amount=D("30.50"), method="bank_transfer"
    )
    books = shop.balances()
    assert books["bank"] == D("98.23")
    assert books["payment_fees"] == D("1.77")
    assert books["receivable"] == D("30.50")
    shop.check()


def test_a_return_that_cannot_be_sold_again_is_a_stock_loss(shop):
    sold = order(
        shop,
        [(shop.scarf, 2), (shop.cap, 1)],
        discount_kind="amount",
        discount_value=D("10"),
        shipping_mode="zone",
        shipping_zone_id=shop.zone.id,
        payment="full",
        payment_method="bank_transfer",
    )
    orders.change_status(shop.business, shop.owner, sold, "shipped")
    orders.change_status(shop.business, shop.owner, sold, "returned", resellable=False)
    books = shop.balances()
    for code in ("sales", "discounts", "shipping_income", "vat", "cogs", "receivable"):
        assert books[code] == D("0.00"), code
    assert books["stock_losses"] == D("52.50")
    assert books["inventory"] == D("197.50")
    # What the customer paid is now owed back to them until refunded.
    assert books["customer_credit"] == D("-130.50")
    today = business_day(shop.business)
    assert figures.profit(shop.business, today, today).net_profit == D("-54.81")
    shop.check()


def test_cancelling_a_sale_puts_the_stock_back_in_the_books(shop):
    sold = order(
        shop, [(shop.scarf, 3)], payment="part", payment_amount=D("40"), payment_method="cod"
    )
    orders.change_status(shop.business, shop.owner, sold, "cancelled")
    books = shop.balances()
    assert books["inventory"] == D("250.00")
    assert books["sales"] == D("0.00")
    assert books["receivable"] == D("0.00")
    assert books["customer_credit"] == D("-40.00")
    assert books["cash"] == D("40.00")
    orders.refund_payment(shop.business, shop.owner, sold, amount=D("40"), method="cod")
    books = shop.balances()
    assert books["customer_credit"] == D("0.00")
    assert books["cash"] == D("0.00")
    shop.check()


def test_editing_a_confirmed_order_posts_the_difference(shop):
    # 1 scarf: 45 + VAT 2.25 + delivery 15 = 62.25; edited to 2 scarves: 90 + 4.50 + 15 = 109.50.
    sold = order(shop, [(shop.scarf, 1)], shipping_mode="zone", shipping_zone_id=shop.zone.id)
    assert shop.balances()["receivable"] == D("62.25")
    draft = orders.draft_from_order(sold, list(sold.items))
    draft.lines = [orders.DraftLine(shop.scarf.id, 2, D("45"))]
    orders.update_order(shop.business, shop.owner, sold, draft)
    books = shop.balances()
    assert books["receivable"] == D("109.50")
    assert books["sales"] == D("-90.00")
    assert books["vat"] == D("-4.50")
    assert books["cogs"] == D("40.00")
    assert books["inventory"] == D("210.00")
    shop.check()


def test_prices_that_include_vat(shop):
    shop.business.prices_include_vat = True
    db.session.commit()
    # 2 scarves at 45 = 90 with VAT inside: 90 × 5 / 105 = 4.2857 → 4.29; sales 85.71.
    sold = order(shop, [(shop.scarf, 2)])
    assert sold.total == D("90.00") and sold.vat == D("4.29")
    books = shop.balances()
    assert books["receivable"] == D("90.00")
    assert books["sales"] == D("-85.71")
    assert books["vat"] == D("-4.29")
    assert books["cogs"] == D("40.00")
    today = business_day(shop.business)
    profit = figures.profit(shop.business, today, today)
    assert profit.net_sales == D("85.71")
    assert profit.gross_profit == D("45.71")
    shop.check()
