"""The order status machine: only the valid next steps."""

import pytest

from kyora.orders import status as st

VALID = {
    ("pending", "confirmed"),
    ("pending", "cancelled"),
    ("confirmed", "ready"),
    ("confirmed", "shipped"),
    ("confirmed", "delivered"),
    ("confirmed", "cancelled"),
    ("ready", "shipped"),
    ("ready", "delivered"),
    ("ready", "cancelled"),
    ("shipped", "delivered"),
    ("shipped", "returned"),
    ("delivered", "returned"),
}


@pytest.mark.parametrize("current", st.STATUSES)
@pytest.mark.parametrize("target", st.STATUSES)
def test_only_the_product_transitions_are_allowed(current, target):
    assert st.can_move(current, target) == ((current, target) in VALID)


def test_final_statuses_have_no_next_step():
    assert st.next_steps("cancelled") == ()
    assert st.next_steps("returned") == ()
    assert st.is_final("returned") and not st.is_final("shipped")


def test_every_reachable_status_has_a_timestamp_column():
    for current, target in VALID:
        assert target in st.STAMP_COLUMNS, (current, target)


def test_sales_exclude_pending_and_cancelled():
    assert st.is_sale("confirmed") and st.is_sale("delivered")
    assert not st.is_sale("pending")
    assert not st.is_sale("cancelled")
    assert not st.is_sale("returned")
