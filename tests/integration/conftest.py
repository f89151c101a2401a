"""Integration tests run in an app context over an empty database."""

import pytest


@pytest.fixture(autouse=True)
def _clean_database(app_ctx):
    yield
