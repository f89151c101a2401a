"""Fixtures of the inventory tests."""

import pytest


@pytest.fixture
def request_ctx(app):
    """A request context, so services called directly can translate their messages."""
    with app.test_request_context("/"):
        yield
