"""Fixtures of the team tests: a workspace with its three roles, and the fake Google."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kyora.accounts.models import User
from kyora.businesses.models import Business
from tests.factories import make_business, make_user
from tests.fakes.oidc import FakeOpenIDProvider


@pytest.fixture(autouse=True)
def _jobs_on_this_app(app):
    """Run background jobs (email delivery) inline against this test app.

    Another test creating its own app re-points the job runner at that app;
    these tests read delivered email, so they point it back first.
    """
    from kyora.core import jobs

    jobs.init_app(app)


@dataclass
class Team:
    owner: User
    admin: User
    member: User
    business: Business


@pytest.fixture
def team() -> Team:
    """A workspace with an owner, an admin, a member and one business."""
    owner = make_user(name="Layla Owner", email="owner@example.com")
    admin = make_user(
        name="Adam Admin", email="admin@example.com", role="admin", workspace=owner.workspace
    )
    member = make_user(
        name="Mona Member", email="member@example.com", role="member", workspace=owner.workspace
    )
    return Team(owner, admin, member, make_business(owner, name="Layla Scarves"))


@pytest.fixture(scope="session")
def oidc_provider():
    provider = FakeOpenIDProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def google(app, oidc_provider, monkeypatch):
    """Google sign-in switched on and pointed at the local fake provider."""
    oidc_provider.reset()
    for key, value in oidc_provider.config().items():
        monkeypatch.setitem(app.config, key, value)
    return oidc_provider
