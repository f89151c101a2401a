"""The demo data builder behind `flask kyora demo`.

It creates a demo owner, workspace and business, then asks each domain that has a
module here (`kyora/demo/<domain>.py`, with `seed(business, owner, size, rng)`) to add
its records, in the order of `kyora.DOMAINS`. A new domain adds its demo data by adding
its module; nothing else changes. Running it again changes nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from dataclasses import dataclass

from kyora.core.db import utcnow
from kyora.extensions import db

DEMO_EMAIL = "demo@kyora.app"
DEMO_PASSWORD = "sell-more-every-day"  # noqa: S105 - printed to the developer on purpose
DEMO_HANDLE = "layla-boutique"


def seeders():
    """Each domain's `seed()` from `kyora/demo/<domain>.py`, in dependency order."""
    from kyora.domains import DOMAINS

    for domain in DOMAINS:
        name = f"kyora.demo.{domain}"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name).seed


@dataclass
class DemoResult:
    created: bool
    email: str = DEMO_EMAIL
    password: str = DEMO_PASSWORD


def build(size: str = "small", seed: int = 7) -> DemoResult:
    """Create the demo account with a business and each domain's demo records."""
    from kyora.accounts import services as accounts
    from kyora.accounts.models import User, Workspace
    from kyora.accounts.passwords import hash_password
    from kyora.businesses import services as businesses

    if accounts.get_user_by_email(DEMO_EMAIL) is not None:
        return DemoResult(created=False)
    rng = random.Random(seed)
    workspace = Workspace(name="Layla")
    owner = User(
        workspace=workspace,
        email=DEMO_EMAIL,
        name="Layla Haddad",
        password_hash=hash_password(DEMO_PASSWORD),
        role="owner",
        locale="en",
        email_verified_at=utcnow(),
    )
    db.session.add_all([workspace, owner])
    db.session.flush()
    business = businesses.create_business(workspace, owner, "Layla Boutique", DEMO_HANDLE, "AE")
    businesses.update_business(
        business,
        {
            "name": business.name,
            "whatsapp": "+971501234567",
            "phone": "+971501234567",
            "instagram": "layla.boutique",
            "tiktok": "layla.boutique",
            "vat_percent": 5,
        },
    )
    for seed_domain in seeders():
        seed_domain(business, owner, size, rng)
    db.session.commit()
    return DemoResult(created=True)
