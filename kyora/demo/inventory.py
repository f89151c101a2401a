"""Demo catalog for `flask kyora demo`: a small fashion boutique with history.

Products go through the same services as the product form, so stock always
equals the sum of its movements; timestamps are then moved into the past so
the stock history reads like a few weeks of real trading.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image

from kyora.core.db import utcnow
from kyora.extensions import db
from kyora.inventory import services as inventory
from kyora.inventory.models import StockMovement
from kyora.inventory.services import PreparedPhoto, ProductDraft, VariantDraft, prepare_image

# (name, category, price, cost, options, photo colour)
CATALOG = [
    (
        "Silk Scarf",
        "Scarves",
        "120",
        "45",
        {"Colour": ["Red", "Black", "Beige", "Navy"]},
        (178, 34, 52),
    ),
    (
        "Chiffon Hijab",
        "Scarves",
        "55",
        "18",
        {"Colour": ["Black", "White", "Dusty Pink", "Olive"]},
        (214, 170, 170),
    ),
    (
        "Classic Abaya",
        "Abayas",
        "350",
        "140",
        {"Size": ["S", "M", "L", "XL"], "Colour": ["Black", "Navy"]},
        (30, 30, 40),
    ),
    ("Linen Kimono", "Abayas", "220", "85", {"Size": ["S/M", "L/XL"]}, (222, 210, 190)),
    ("Leather Tote", "Bags", "420", "190", {}, (140, 90, 50)),
    ("Mini Crossbody Bag", "Bags", "260", "110", {"Colour": ["Tan", "Black"]}, (190, 140, 90)),
    ("Pearl Hair Clip", "Accessories", "35", "9", {}, (240, 236, 228)),
    ("Gold Hoop Earrings", "Accessories", "75", "22", {}, (212, 175, 55)),
    ("Oud Perfume 50 ml", "Beauty", "180", "70", {}, (90, 50, 40)),
    ("مسك الطهارة", "Beauty", "40", "12", {}, (250, 240, 245)),
    ("Rose Hand Cream", "Beauty", "45", "14", {}, (230, 160, 170)),
    ("Gift Box", "Packaging", "15", "4", {}, (15, 118, 110)),
]


def _combinations(options: dict[str, list[str]]) -> list[list[str]]:
    rows: list[list[str]] = [[]]
    for values in options.values():
        rows = [row + [value] for row in rows for value in values]
    return rows


def _photo(colour) -> PreparedPhoto:
    return prepare_image(Image.new("RGB", (800, 800), colour))


def _draft(name, category, price, cost, options, rng, with_photo, colour) -> ProductDraft:
    rows = [
        VariantDraft(
            options=combo,
            price=Decimal(price),
            cost=Decimal(cost),
            # Mostly healthy stock, with a few items low or out so alerts have something to say.
            stock=rng.choice([0, 1, 2, 3, 5, 8, 12, 15, 20, 24]),
        )
        for combo in _combinations(options)
    ]
    return ProductDraft(
        name=name,
        new_category=category,
        option_names=list(options),
        variants=rows,
        photos=[_photo(colour)] if with_photo else [],
    )


def _history(business, owner, product, rng, now) -> None:
    """A few weeks of restocks and adjustments, spread over the past."""
    for variant in product.variants:
        # Items already low are the ones still waiting for a restock.
        if variant.stock > 3 and rng.random() < 0.6:
            cost = variant.avg_cost * Decimal(rng.choice(["0.9", "1", "1.1"]))
            inventory.restock(
                business,
                owner,
                variant.id,
                rng.randint(3, 12),
                cost.quantize(Decimal("0.01")),
                paid=True,
                note="Supplier order",
            )
        if rng.random() < 0.15 and variant.stock > 0:
            inventory.adjust_stock(
                business, owner, variant.id, "damaged", quantity=1, note="Stained in storage"
            )
    movements = db.session.scalars(
        sa.select(StockMovement)
        .where(StockMovement.variant_id.in_([v.id for v in product.variants]))
        .order_by(StockMovement.id)
    ).all()
    start = now - timedelta(days=rng.randint(45, 90))
    step = (now - start) / (len(movements) + 1)
    for index, movement in enumerate(movements):
        movement.created_at = start + step * (index + 1) - timedelta(minutes=rng.randint(0, 600))
    product.created_at = start


def seed(business, owner, size, rng) -> None:
    """Add the demo catalog: categories, simple and variant products, stock with history."""
    now = utcnow()
    entries = list(CATALOG)
    if size == "large":
        palette = ["Emerald", "Ivory", "Plum", "Sand", "Coral", "Slate"]
        for number in range(1, 151):
            colour = palette[number % len(palette)]
            entries.append(
                (
                    f"Printed Scarf No. {number}",
                    "Scarves",
                    str(rng.choice([65, 80, 95, 110])),
                    str(rng.choice([20, 25, 30])),
                    {"Colour": [colour, palette[(number + 1) % len(palette)]]}
                    if number % 3
                    else {},
                    (rng.randint(40, 220), rng.randint(40, 220), rng.randint(40, 220)),
                )
            )
    for index, (name, category, price, cost, options, colour) in enumerate(entries):
        draft = _draft(name, category, price, cost, options, rng, index < len(CATALOG), colour)
        product = inventory.create_product(business, owner, draft)
        _history(business, owner, product, rng, now)
    db.session.flush()
