"""Fixtures for the customers tests: a business with its owner (and a member) signed in."""

import pytest

from tests.factories import login, make_tenant, make_user


@pytest.fixture
def request_ctx(app):
    """A request context, so services called directly can translate their messages."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def tenant():
    owner, business = make_tenant(name="Layla Haddad", handle="layla-shop")
    return owner, business


@pytest.fixture
def owner_client(client, tenant):
    login(client, tenant[0])
    return client


@pytest.fixture
def member(tenant):
    return make_user(name="Huda Saleh", role="member", workspace=tenant[0].workspace)


@pytest.fixture
def member_client(client, member):
    login(client, member)
    return client
