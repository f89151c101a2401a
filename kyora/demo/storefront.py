"""Demo shop for `flask kyora demo`: the demo business's storefront is open at
/s/<handle>, in its colours, with a few words about it."""

from __future__ import annotations

import random

from kyora.storefront.settings import SettingsDraft, update_settings


def seed(business, owner, size: str, rng: random.Random) -> None:
    update_settings(
        business,
        SettingsDraft(
            enabled=True,
            brand_color="#0f766e",
            accent_color="#f59e0b",
            about=(
                "Modest fashion and accessories from Dubai. Order here and we confirm "
                "on WhatsApp within the hour."
            ),
        ),
    )
