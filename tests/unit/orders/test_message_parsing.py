"""Pasted-message parsing: realistic DMs and WhatsApp messages in English, Arabic and both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyora.orders.parsing import CatalogEntry, ParsedMessage, build_index, parse_message

SIZES = ("S", "M", "L")
COLOURS = ("Red", "Black", "Blue")


def catalog() -> list[CatalogEntry]:
    """A small shop: scarves (size x colour), caps, abayas, perfumes, cakes, candles, Arabic names."""
    entries = [
        CatalogEntry(
            101 + 3 * s + c, "Silk Scarf", (size, colour), f"SCF-{colour[:3].upper()}-{size}"
        )
        for s, size in enumerate(SIZES)
        for c, colour in enumerate(COLOURS)
    ]
    entries += [
        CatalogEntry(201, "Cap", ("Black",), "CAP-BLK"),
        CatalogEntry(202, "Cap", ("White",), "CAP-WHT"),
        CatalogEntry(301, "Classic Abaya", ("52", "Black")),
        CatalogEntry(302, "Classic Abaya", ("52", "Beige")),
        CatalogEntry(303, "Classic Abaya", ("54", "Black")),
        CatalogEntry(304, "Classic Abaya", ("54", "Beige")),
        CatalogEntry(305, "Classic Abaya", ("56", "Black")),
        CatalogEntry(306, "Classic Abaya", ("56", "Beige")),
        CatalogEntry(401, "Oud Perfume", ("50ml",)),
        CatalogEntry(402, "Oud Perfume", ("100 ML",)),
        CatalogEntry(411, "Rose Perfume", ("50ml",)),
        CatalogEntry(501, "Chocolate Cake", ("Small",)),
        CatalogEntry(502, "Chocolate Cake", ("Large",)),
        CatalogEntry(511, "Red Velvet Cake"),
        CatalogEntry(601, "Vanilla Candle"),
        CatalogEntry(602, "Lavender Candle"),
        CatalogEntry(701, "شيلة شيفون", ("أسود",)),
        CatalogEntry(702, "شيلة شيفون", ("وردي",)),
        CatalogEntry(801, "كيكة تمر"),
        CatalogEntry(901, "بخور ملكي"),
    ]
    return entries


INDEX = build_index(catalog())

# (message, expected): items are (variant_id, quantity); omitted keys mean "none found".
CASES: list[tuple[str, dict]] = [
    # --- English -------------------------------------------------------------------------
    (
        "Hi! 2 red scarves size M and 1 black cap, deliver to Marina, 050 123 4567 @sara.designs",
        {
            "phones": ["+971501234567"],
            "handles": ["sara.designs"],
            "items": [(104, 2), (201, 1)],
            "address": "Marina",
        },
    ),
    ("Hello dear 😊 can I get 1 Oud perfume 100ml please", {"items": [(402, 1)]}),
    ("hii\nI want 3 scarves black L\n+ cap white x2\nThanks!!", {"items": [(108, 3), (202, 2)]}),
    (
        "Salam alaikum 🌸\n2x Classic abaya size 54 beige\nAddress:\nVilla 12, Street 5\n"
        "Al Barsha, Dubai\n+971 50 765 4321",
        {
            "phones": ["+971507654321"],
            "items": [(304, 2)],
            "address": "Villa 12, Street 5, Al Barsha, Dubai",
        },
    ),
    ("Can I order the red velvet cake for Friday? Pick up, no delivery", {"items": [(511, 1)]}),
    (
        "1 chocolate cake large + 2 vanilla candles 🕯️ to: JVC, Dubai",
        {"items": [(502, 1), (601, 2)], "address": "JVC, Dubai"},
    ),
    ("2 candles pls", {"items": [(None, 2)], "candidates": [[601, 602]]}),
    ("I need 3 mugs and 1 cap black", {"items": [(201, 1)], "unmatched": ["mugs"]}),
    ("one silk scarf blue medium, two black caps", {"items": [(106, 1), (201, 2)]}),
    ("SCF-RED-M x3", {"items": [(104, 3)]}),
    (
        "Rose perfume 50 ml x 2, call me on 0559876543",
        {"phones": ["+971559876543"], "items": [(411, 2)]},
    ),
    (
        "scarf size XXL red",
        {
            "items": [(None, 1)],
            "candidates": [[101, 104, 107, 102, 103, 105, 106, 108, 109]],
            "unmatched": ["XXL"],
        },
    ),
    (
        "Order:\n- 2 x Silk scarf M red\n- 1 x Silk scarf L black\n- 1 cap (white)\nName: Fatima\n"
        "Phone: 050-111-2233",
        {"phones": ["+971501112233"], "items": [(104, 2), (108, 1), (202, 1)]},
    ),
    ("Hi, what are your prices? 🙂", {}),
    (
        "my email is Sara.K@Example.com , 1 cap black",
        {"emails": ["sara.k@example.com"], "items": [(201, 1)]},
    ),
    ("2x cap black 1x cap white", {"items": [(201, 2), (202, 1)]}),
    ("I want black cap and white cap", {"items": [(201, 1), (202, 1)]}),
    (
        "need 2 scarfs red M, 1 cake chocolate large. Send to: Downtown, Burj Views tower B, "
        "apt 1203. Cash on delivery",
        {"items": [(104, 2), (502, 1)], "address": "Downtown, Burj Views tower B, apt 1203"},
    ),
    ("Chocolat cake smal x1", {"items": [(501, 1)]}),
    ("lavendar candel 2 pcs", {"items": [(602, 2)]}),
    (
        "Hello, do you deliver to Abu Dhabi? 1 abaya 54 black pls. 971501112233",
        {"phones": ["+971501112233"], "items": [(303, 1)], "address": "Abu Dhabi"},
    ),
    (
        "050 123 4567 / 0501234567 / 00971 50 123 4567 — 1 vanilla candle",
        {"phones": ["+971501234567"], "items": [(601, 1)]},
    ),
    (
        "do you have the pink scarf in XL? also want a tote bag",
        {
            "items": [(None, 1)],
            "candidates": [[101, 102, 103, 104, 105, 106, 107, 108, 109]],
            "unmatched": ["pink", "XL", "tote bag"],
        },
    ),
    (
        "Heyy 👋🏻 can u send 2 of the oud perfume 50ml to Jumeirah 1? My number +971-52-555-0199",
        {"phones": ["+971525550199"], "items": [(401, 2)], "address": "Jumeirah 1"},
    ),
    ("2️⃣ caps black please", {"items": [(201, 2)]}),
    (
        "1 cap white\n📍 Al Quoz, Dubai",
        {"items": [(202, 1)], "address": "Al Quoz, Dubai"},
    ),
    (
        "location: https://maps.app.goo.gl/abc123\n1 vanilla candle",
        {"items": [(601, 1)], "address": "https://maps.app.goo.gl/abc123"},
    ),
    (
        "Instagram: @Layla.Home\nOrder 2 lavendar candles and one vanilla candle",
        {"handles": ["layla.home"], "items": [(602, 2), (601, 1)]},
    ),
    (
        "saw ur post on instagram.com/kyora.shop/ 😍 1 red velvet cake + 1 chocolate cake small",
        {"handles": ["kyora.shop"], "items": [(511, 1), (501, 1)]},
    ),
    (
        "Good morning! I saw your story yesterday, the scarves are beautiful 😍 I would like to "
        "order 2 of them, one red and one blue, size M please. Can you deliver tomorrow to "
        "Business Bay? I'll pay cash",
        {"items": [(104, 1), (106, 1)], "address": "Business Bay"},
    ),
    ("Thank you so much sis ❤️ received the order yesterday", {}),
    ("2 caps: 1 black, 1 white", {"items": [(201, 1), (202, 1)]}),
    ("vanilla candle lavender candle", {"items": [(601, 1), (602, 1)]}),
    ("Need: 2 mugs, 1 blue bottle", {"unmatched": ["mugs", "blue bottle"]}),
    ("1 cap\nblack", {"items": [(201, 1)]}),
    ("cap black and white", {"items": [(201, 1), (202, 1)]}),
    ("silk scarf M red and blue", {"items": [(104, 1), (106, 1)]}),
    ("2 red scarves, size M", {"items": [(104, 2)]}),
    ("can you do 2 chocolate cakes, 1 small 1 large", {"items": [(501, 1), (502, 1)]}),
    ("Hi, I'd like to place an order please", {}),
    # --- Arabic --------------------------------------------------------------------------
    ("السلام عليكم، ابي شيلتين شيفون سودا", {"items": [(701, 2)]}),
    ("مرحبا ابغى عباية مقاس ٥٢ بيج و كاب اسود", {"items": [(302, 1), (201, 1)]}),
    (
        "ممكن ٣ كيكة شوكولاتة كبيرة؟ التوصيل الى الشارقة",
        {"items": [(502, 3)], "address": "الشارقة"},
    ),
    (
        "ابي عطر عود ١٠٠ مل عدد ٢ ورقمي ٠٥٥٩٨٧٦٥٤٣",
        {"phones": ["+971559876543"], "items": [(402, 2)]},
    ),
    ("اثنين كاب ابيض + ثلاث شموع فانيلا", {"items": [(202, 2), (601, 3)]}),
    (
        "بدي كيكة تمر وحدة، العنوان: دبي - البرشاء، فيلا ١٢",
        {"items": [(801, 1)], "address": "دبي - البرشاء، فيلا 12"},
    ),
    ("ابي بخور ملكي ٢ حبة", {"items": [(901, 2)]}),
    ("عايزة شال أزرق صغير", {"items": [(103, 1)]}),
    (
        "السلام عليكم\nابي كاب ابيض\n+966 55 123 4567",
        {"phones": ["+966551234567"], "items": [(202, 1)]},
    ),
    ("ابي ٢ كاب احمر", {"items": [(None, 2)], "candidates": [[201, 202]], "unmatched": ["احمر"]}),
    ("ابي ٢ ساعة", {"unmatched": ["ساعة"]}),
    (
        "٢ عباية ٥٤ سوداء\nالى العين، قرب المول",
        {"items": [(303, 2)], "address": "العين، قرب المول"},
    ),
    ("عطر ورد ٥٠ مل", {"items": [(411, 1)]}),
    ("۲ شيلة شيفون اسود", {"items": [(701, 2)]}),
    ("ابي 2 شال احمر وسط و٢ كاب ابيض 🙏", {"items": [(104, 2), (202, 2)]}),
    ("شيلة شيفون وردية وشيلة سوداء", {"items": [(702, 1), (701, 1)]}),
    (
        "السلام عليكم ورحمة الله، كيف حالك؟ ودي اطلب عبايتين مقاس ٥٤ وحدة سودا ووحدة بيج، "
        "والتوصيل للشارقة النهدة بعد العصر",
        {"items": [(303, 1), (304, 1)], "address": "الشارقة النهدة"},
    ),
    ("شيلة سودا كاب ابيض", {"items": [(701, 1), (202, 1)]}),
    ("ابغى ٣ شيلات شيفون ٢ وردي و١ أسود", {"items": [(702, 2), (701, 1)]}),
    ("عندكم شيلة حرير؟", {"items": [(None, 1)], "candidates": [[701, 702]]}),
    # --- mixed ---------------------------------------------------------------------------
    (
        "Hi habibti ❤️ 2 عباية black size 56 + 1 كاب white, توصيل الى Dubai Marina, 0501234567",
        {"phones": ["+971501234567"], "items": [(305, 2), (202, 1)], "address": "Dubai Marina"},
    ),
    ("ابي 1 red velvet cake و 2 chocolate cakes small", {"items": [(511, 1), (501, 2)]}),
    (
        "مرحبا 🌷\n1 silk scarf M أحمر\n1 cap أبيض\nالعنوان:\nعجمان، النعيمية\nشكراً",
        {"items": [(104, 1), (202, 1)], "address": "عجمان، النعيمية"},
    ),
    (
        "Hi! ابي 2 oud perfume ٥٠مل, insta: noura.k ✨",
        {"handles": ["noura.k"], "items": [(401, 2)]},
    ),
]


def expect(parsed: ParsedMessage, expected: dict) -> None:
    assert parsed.phones == expected.get("phones", [])
    assert parsed.handles == expected.get("handles", [])
    assert parsed.emails == expected.get("emails", [])
    assert [(i.variant_id, i.quantity) for i in parsed.items] == expected.get("items", [])
    if "candidates" in expected:
        assert [i.candidates for i in parsed.items] == expected["candidates"]
    assert parsed.address == expected.get("address")
    assert parsed.unmatched == expected.get("unmatched", [])


@pytest.mark.parametrize(
    ("message", "expected"), CASES, ids=[f"msg{n:02d}" for n in range(len(CASES))]
)
def test_realistic_messages(message: str, expected: dict) -> None:
    expect(parse_message(message, INDEX), expected)


def test_there_are_at_least_forty_messages() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("message", [m for m, _ in CASES])
def test_spans_cover_the_normalised_message(message: str) -> None:
    parsed = parse_message(message, INDEX)
    joined = "".join(text for _kind, text in parsed.spans)
    assert joined.strip() == joined
    assert len(joined) >= len(message.strip()) - 4  # only invisible marks are dropped
    assert {kind for kind, _ in parsed.spans} <= {
        "text",
        "phone",
        "handle",
        "email",
        "item",
        "unmatched",
        "address",
    }
    item_texts = [text for kind, text in parsed.spans if kind == "item"]
    for item in parsed.items:
        assert item.text in joined
        assert any(piece in item.text or item.text in piece for piece in item_texts)
        assert 0.0 <= item.confidence <= 1.0


def test_spans_highlight_what_matched() -> None:
    parsed = parse_message(
        "Hi! 2 red scarves size M and 1 black cap, deliver to Marina, 050 123 4567 @sara.designs",
        INDEX,
    )
    assert parsed.spans == [
        ("text", "Hi! "),
        ("item", "2 red scarves size M"),
        ("text", " and "),
        ("item", "1 black cap"),
        ("text", ", deliver to "),
        ("address", "Marina"),
        ("text", ", "),
        ("phone", "050 123 4567"),
        ("text", " "),
        ("handle", "@sara.designs"),
    ]
    assert [i.text for i in parsed.items] == ["2 red scarves size M", "1 black cap"]


def test_unmatched_words_are_marked_in_the_spans() -> None:
    parsed = parse_message("I need 3 mugs and 1 cap black", INDEX)
    assert ("unmatched", "mugs") in parsed.spans


def test_normalisation_of_digits_and_presentation_forms() -> None:
    # RTL mark, full-width digit, Arabic presentation forms (ﻛﺎﺏ), CRLF, Arabic-Indic digits
    parsed = parse_message("\u200fابي ２ \ufedb\ufe8e\ufe8f ابيض\r\nرقمي: ٠٥٠١٢٣٤٥٦٧ ", INDEX)
    assert "".join(t for _k, t in parsed.spans) == "ابي 2 كاب ابيض\nرقمي: 0501234567"
    assert parsed.phones == ["+971501234567"]
    assert [(i.variant_id, i.quantity) for i in parsed.items] == [(202, 2)]


def test_chosen_variant_lists_the_other_variants_best_first() -> None:
    (item,) = parse_message("1 red scarf M", INDEX).items
    assert item.variant_id == 104
    assert item.candidates[:3] == [101, 105, 106]
    assert item.confidence > 0.7


def test_ambiguous_product_names_offer_every_candidate() -> None:
    (item,) = parse_message("1 cake", INDEX).items
    assert item.variant_id is None
    assert item.candidates == [501, 502, 801, 511]
    assert item.confidence < 0.5


def test_region_decides_local_numbers() -> None:
    assert parse_message("0551234567", INDEX, default_region="SA").phones == ["+966551234567"]


def test_empty_message_and_empty_catalog() -> None:
    empty = parse_message("", INDEX)
    assert (empty.items, empty.spans, empty.address) == ([], [], None)
    parsed = parse_message("2 red scarves, 0501234567", build_index([]))
    assert parsed.phones == ["+971501234567"]
    assert parsed.items == []
    assert parsed.unmatched == ["red scarves"]


def test_duplicate_variant_ids_keep_the_first_entry() -> None:
    index = build_index([CatalogEntry(1, "Mug", ("Blue",)), CatalogEntry(1, "Mug", ("Red",))])
    (item,) = parse_message("blue mug", index).items
    assert (item.variant_id, item.candidates) == (1, [])


def test_same_output_every_run() -> None:
    first = parse_message(CASES[0][0], INDEX)
    assert parse_message(CASES[0][0], build_index(catalog())) == first


def test_same_output_across_processes_with_different_hash_seeds() -> None:
    script = (
        "import json, sys\n"
        "from kyora.orders.parsing import CatalogEntry, build_index, parse_message\n"
        "data = json.load(sys.stdin)\n"
        "index = build_index(CatalogEntry(v, n, tuple(o), s) for v, n, o, s in data['catalog'])\n"
        "print(repr([parse_message(m, index) for m in data['messages']]))\n"
    )
    data = json.dumps(
        {
            "catalog": [[e.variant_id, e.product_name, e.option_values, e.sku] for e in catalog()],
            "messages": [message for message, _ in CASES],
        }
    )
    root = Path(__file__).resolve().parents[3]
    outputs = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", script],
            input=data,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert "ParsedItem(variant_id=104, quantity=2" in outputs.pop()


PIECES = st.sampled_from(
    ["2 ", "x2 ", "size ", "M ", "red ", "cap ", "scarves ", "شيلة ", "و", "٢ ", "ابيض ", "@sara ",
     "050 123 4567 ", "deliver to ", "العنوان: ", "📍", "\n", ", ", "+", "and ", "a@b.co ", "🌸"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=25).map("".join))
def test_any_text_parses_and_the_spans_rebuild_the_message(message: str) -> None:
    parsed = parse_message(message, INDEX)
    joined = "".join(text for _kind, text in parsed.spans)
    assert "".join(t for _k, t in parse_message(joined, INDEX).spans) == joined
    assert all(text for _kind, text in parsed.spans)
    assert all(item.quantity >= 1 for item in parsed.items)
    assert all(phone.startswith("+") for phone in parsed.phones)
