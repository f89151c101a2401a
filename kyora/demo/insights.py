"""Demo insights for `flask kyora demo`: the small demo's orders went through the
order services, so their rollup is already kept; orders inserted in bulk
(`--size large`) have theirs rebuilt from the orders."""

from __future__ import annotations

import random

from kyora.insights.rebuild import rebuild


def seed(business, owner, size: str, rng: random.Random) -> None:
    if size == "large":
        rebuild(business)
