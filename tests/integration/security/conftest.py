"""Two tenants for the route-walking tests: `world.a` is looked at, `world.b` is the stranger."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.integration.security.routes import PARAMS, Tenant, make_world_tenant, routes


@pytest.fixture(autouse=True)
def _jobs_on_this_app(app):
    """Run background jobs (email delivery) inline against this test app.

    Another test creating its own app re-points the job runner at that app;
    these tests read delivered email, so they point it back first.
    """
    from kyora.core import jobs

    jobs.init_app(app)


@dataclass
class World:
    a: Tenant
    b: Tenant

    def build_all(self, app) -> list[str]:
        """Create every record the app's URL parameters name, in both tenants; the failures."""
        needed = {name for route in routes(app) for name in route.params}
        problems = []
        for tenant in (self.a, self.b):
            for name, param in PARAMS.items():
                if name not in needed:
                    continue
                try:
                    param.build(tenant)
                except Exception as error:  # reported by the tests, never skipped silently
                    problems.append(f"building {name!r} for tenant {tenant.label}: {error!r}")
        return problems


@pytest.fixture
def world() -> World:
    return World(make_world_tenant("a"), make_world_tenant("b"))
