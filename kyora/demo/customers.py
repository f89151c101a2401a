"""Demo customers: Gulf, Arab and international shoppers in the UAE.

`seed()` is called by `flask kyora demo` (kyora/demo/__init__.py): about 40 customers
for the small demo, about 5,000 for the large one, inserted in bulk.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from kyora.core.db import utcnow
from kyora.customers.identity import name_key, name_sound, search_text
from kyora.customers.models import Address, Customer, CustomerNote
from kyora.extensions import db

# Name pools: (first names, last names, share of customers). Each entry is
# (name as written, latin spelling used for handles and emails).
GULF = (
    [
        ("Fatima", "fatima"),
        ("Mariam", "mariam"),
        ("Aisha", "aisha"),
        ("Noura", "noura"),
        ("Hessa", "hessa"),
        ("Shamma", "shamma"),
        ("Latifa", "latifa"),
        ("Sara", "sara"),
        ("Reem", "reem"),
        ("Alya", "alya"),
        ("Maitha", "maitha"),
        ("Layla", "layla"),
        ("Huda", "huda"),
        ("Dana", "dana"),
        ("Rania", "rania"),
        ("Yasmin", "yasmin"),
        ("Ahmed", "ahmed"),
        ("Mohammed", "mohammed"),
        ("Khalid", "khalid"),
        ("Omar", "omar"),
        ("Saeed", "saeed"),
        ("Rashid", "rashid"),
        ("Hamdan", "hamdan"),
        ("Youssef", "youssef"),
    ],
    [
        ("Al Mansoori", "almansoori"),
        ("Al Hashimi", "alhashimi"),
        ("Al Nuaimi", "alnuaimi"),
        ("Al Ketbi", "alketbi"),
        ("Al Shamsi", "alshamsi"),
        ("Al Dhaheri", "aldhaheri"),
        ("Al Marzouqi", "almarzouqi"),
        ("Al Suwaidi", "alsuwaidi"),
        ("Haddad", "haddad"),
        ("Khoury", "khoury"),
        ("Nasser", "nasser"),
        ("Saleh", "saleh"),
        ("Farouk", "farouk"),
        ("Othman", "othman"),
        ("Qasim", "qasim"),
        ("Al Rashid", "alrashid"),
    ],
    60,
)
ARABIC = (
    [
        ("فاطمة", "fatma"),
        ("مريم", "maryam"),
        ("نورة", "nora"),
        ("عائشة", "aysha"),
        ("حصة", "hessa"),
        ("ريم", "reem"),
        ("أحمد", "ahmad"),
        ("خالد", "khaled"),
    ],
    [
        ("المنصوري", "mansoori"),
        ("الهاشمي", "hashimi"),
        ("الكعبي", "kaabi"),
        ("النعيمي", "nuaimi"),
        ("الشامسي", "shamsi"),
    ],
    15,
)
INTERNATIONAL = (
    [
        ("Priya", "priya"),
        ("Anjali", "anjali"),
        ("Maria", "maria"),
        ("Olivia", "olivia"),
        ("Emma", "emma"),
        ("Sofia", "sofia"),
        ("Chloe", "chloe"),
        ("Grace", "grace"),
        ("Daniel", "daniel"),
        ("James", "james"),
        ("Ravi", "ravi"),
        ("Joy", "joy"),
    ],
    [
        ("Sharma", "sharma"),
        ("Menon", "menon"),
        ("Santos", "santos"),
        ("Reyes", "reyes"),
        ("Smith", "smith"),
        ("Taylor", "taylor"),
        ("Müller", "mueller"),
        ("Rossi", "rossi"),
        ("Dubois", "dubois"),
        ("Kim", "kim"),
        ("Petrova", "petrova"),
    ],
    25,
)
POOLS = (GULF, ARABIC, INTERNATIONAL)
PLACES = {
    "Dubai": [
        "Dubai Marina",
        "JLT",
        "Jumeirah",
        "Al Barsha",
        "Deira",
        "Business Bay",
        "Mirdif",
        "Al Quoz",
        "Downtown Dubai",
        "Arabian Ranches",
    ],
    "Abu Dhabi": [
        "Khalifa City",
        "Al Reem Island",
        "Al Raha",
        "Mussafah",
        "Al Khalidiyah",
        "Yas Island",
        "Al Bateen",
    ],
    "Sharjah": ["Al Majaz", "Al Nahda", "Al Khan", "Muwaileh", "Al Taawun"],
}
STREETS = [
    "Street 12",
    "Al Wasl Road",
    "Sheikh Zayed Road",
    "Corniche Road",
    "Al Khail Road",
    "Hamdan Street",
    "Al Falah Street",
    "King Faisal Street",
    "Al Sufouh Road",
]
BUILDINGS = [
    "Marina Heights",
    "Al Noor Tower",
    "Villa",
    "Palm View",
    "Sunset Residence",
    "Rose Building",
    "Golden Sands",
    "Lake Terrace",
    "Bay Central",
]
TAGS = ["vip", "wholesale", "eid", "gift buyer", "repeat", "giveaway winner"]
NOTES = [
    "Prefers delivery after 6 pm.",
    "Always pays by bank transfer.",
    "Orders gifts for her sisters at Eid.",
    "Call before delivery: the building has no concierge.",
    "Asked to be told when the red scarves are back in stock.",
    "Likes gift wrapping with a handwritten card.",
]
UAE_MOBILE_PREFIXES = ("50", "52", "54", "55", "56", "58")
CHANNEL_WEIGHTS = [
    ("instagram", 45),
    ("whatsapp", 25),
    ("tiktok", 12),
    ("in_person", 8),
    ("storefront", 6),
    ("snapchat", 4),
]


def _channel(rng) -> str:
    names = [name for name, _weight in CHANNEL_WEIGHTS]
    weights = [weight for _name, weight in CHANNEL_WEIGHTS]
    return rng.choices(names, weights)[0]


def _customer_rows(business, count: int, rng) -> list[dict]:
    now = utcnow()
    numbers = rng.sample(range(1_000_000, 10_000_000), count)
    handles: set[str] = set()
    rows = []
    for index in range(count):
        firsts, lasts, _share = rng.choices(POOLS, [pool[2] for pool in POOLS])[0]
        first, first_latin = rng.choice(firsts)
        last, last_latin = rng.choice(lasts)
        name = f"{first} {last}"
        phone = f"+971{rng.choice(UAE_MOBILE_PREFIXES)}{numbers[index]}"
        handle = None
        if rng.random() < 0.75:
            base = rng.choice(
                [
                    f"{first_latin}.{last_latin}",
                    f"{first_latin}_{last_latin}",
                    f"{first_latin}{last_latin}",
                    f"the.{first_latin}",
                ]
            )
            handle = base
            while handle in handles:
                handle = f"{base}{rng.randint(1, 9999)}"
            handles.add(handle)
        email = f"{first_latin}.{last_latin}{index}@example.com" if rng.random() < 0.3 else None
        created = now - timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440))
        tags = ",".join(sorted(rng.sample(TAGS, rng.choice([0, 0, 0, 1, 1, 2]))))
        rows.append(
            {
                "business_id": business.id,
                "name": name,
                "search_name": search_text(name),
                "name_key": name_key(name),
                "name_sound": name_sound(name),
                "phone": phone,
                "whatsapp": None,
                "email": email,
                "instagram": handle,
                "tiktok": handle if handle and rng.random() < 0.15 else None,
                "country": "AE",
                "tags": tags,
                "first_channel": _channel(rng),
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def _address_row(business, customer_id: int, rng, created) -> dict:
    city = rng.choices(list(PLACES), [60, 28, 12])[0]
    return {
        "business_id": business.id,
        "customer_id": customer_id,
        "label": rng.choice(["Home", "Work", "Home", None]),
        "line": f"{rng.choice(BUILDINGS)} {rng.randint(1, 40)}, {rng.choice(STREETS)}",
        "area": rng.choice(PLACES[city]),
        "city": city,
        "country": "AE",
        "notes": rng.choice([None, None, "Leave with the concierge", "Call on arrival"]),
        "created_at": created,
        "updated_at": created,
    }


def seed(business, owner, size: str, rng) -> None:
    """Add demo customers (with addresses and a few notes) to `business`."""
    count = 5000 if size == "large" else 40
    rows = _customer_rows(business, count, rng)
    if size != "large":
        # Two records of the same person, so the duplicate flag and merge have something to show.
        twin = dict(rows[0], phone=None, instagram="sarah.hashimi", tiktok=None, tags="")
        for row, name in ((rows[0], "Sara Al Hashimi"), (twin, "Sarah Al Hashimi")):
            row.update(
                name=name,
                search_name=search_text(name),
                name_key=name_key(name),
                name_sound=name_sound(name),
            )
        rows.append(twin)
    ids = db.session.scalars(
        sa.insert(Customer).returning(Customer.id, sort_by_parameter_order=True), rows
    ).all()
    addresses, notes = [], []
    for customer_id, row in zip(ids, rows, strict=True):
        for _number in range(rng.choice([0, 1, 1, 1, 2])):
            addresses.append(_address_row(business, customer_id, rng, row["created_at"]))
        if rng.random() < 0.2:
            notes.append(
                {
                    "business_id": business.id,
                    "customer_id": customer_id,
                    "author_id": owner.id,
                    "body": rng.choice(NOTES),
                    "created_at": min(
                        row["created_at"] + timedelta(hours=rng.randint(1, 400)), utcnow()
                    ),
                }
            )
    if addresses:
        db.session.execute(sa.insert(Address), addresses)
    if notes:
        db.session.execute(sa.insert(CustomerNote), notes)
    db.session.flush()
