"""Time `parse_message` against a 1,000-product / 3,000-variant catalog.

Run: .venv/bin/python bench/parse_message.py [rounds]
Prints the index build time and the median / p95 parse time per message in ms.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kyora.orders.parsing import CatalogEntry, build_index, parse_message  # noqa: E402

ADJECTIVES = [
    "Silk", "Cotton", "Linen", "Classic", "Royal", "Luxury", "Summer", "Winter", "Velvet", "Chiffon",
    "Crepe", "Satin", "Premium", "Daily", "Oud", "Rose", "Musk", "Amber", "Vanilla", "Lavender",
    "Chocolate", "Pistachio", "Lotus", "Saffron", "Jasmine",
]  # fmt: skip
NOUNS = [
    "Scarf", "Shayla", "Abaya", "Cap", "Hoodie", "Dress", "Bag", "Perfume", "Candle", "Cake",
    "Mug", "Kaftan", "Jalabiya", "Hijab", "Tote", "Cushion", "Bakhoor", "Honey", "Cookie", "Brownie",
    "Wallet", "Bracelet", "Necklace", "Ring", "Pouch", "Blanket", "Towel", "Soap", "Lotion", "Serum",
    "Notebook", "Sticker", "Keychain", "Frame", "Vase", "Tray", "Coaster", "Planner", "Diffuser", "Spray",
]  # fmt: skip
ARABIC = ["شيلة", "عباية", "عطر", "بخور", "كيكة", "شمعة", "جلابية", "قفطان"]
ARABIC_ADJ = ["ملكي", "فاخر", "صيفي", "شتوي", "كلاسيك", "ناعم"]
SIZES = ["S", "M", "L", "XL", "52", "54", "56", "50ml", "100ml", "Small", "Large"]
COLOURS = ["Red", "Black", "White", "Blue", "Beige", "Pink", "Green", "أسود", "وردي", "Gold"]


def catalog() -> list[CatalogEntry]:
    """1,000 products with three variants each (size x colour), some with Arabic names."""
    names = [f"{a} {n}" for a, n in itertools.product(ADJECTIVES, NOUNS)]
    names += [f"{n} {a}" for n, a in itertools.product(ARABIC, ARABIC_ADJ)]
    names += [
        f"{a} {n} {i}" for i, (a, n) in enumerate(itertools.product(ADJECTIVES[:10], NOUNS[:10]))
    ]
    entries = []
    variant_id = 1
    for p, name in enumerate(names[:1000]):
        for v in range(3):
            size = SIZES[(p + v) % len(SIZES)]
            colour = COLOURS[(p * 3 + v) % len(COLOURS)]
            entries.append(CatalogEntry(variant_id, name, (size, colour), f"SKU-{p}-{v}"))
            variant_id += 1
    return entries


MESSAGES = [
    "Hi! 2 red silk scarves size M and 1 black classic cap, deliver to Marina, 050 123 4567 @sara.designs",
    "Hello dear 😊 can I get 1 oud perfume 100ml please",
    "hii\nI want 3 cotton scarves black L\n+ summer cap white x2\nThanks!!",
    "Salam alaikum 🌸\n2x Classic abaya size 54 beige\nAddress:\nVilla 12, Street 5\nAl Barsha, Dubai",
    "Can I order the velvet cake for Friday? Pick up, no delivery",
    "1 chocolate cake large + 2 vanilla candles 🕯️ to: JVC, Dubai",
    "2 candles pls",
    "I need 3 mugs and 1 cap black",
    "one silk scarf blue medium, two black caps",
    "SKU-10-2 x3",
    "Rose perfume 50 ml x 2, call me on 0559876543",
    "scarf size XXL red",
    "Order:\n- 2 x Linen scarf M red\n- 1 x Royal hoodie L black\n- 1 daily cap (white)\nName: Fatima",
    "Hi, what are your prices? 🙂",
    "my email is Sara.K@Example.com , 1 amber candle",
    "2x crepe dress black 1x satin dress white",
    "need 2 scarfs red M, 1 cake chocolate large. Send to: Downtown, Burj Views tower B, apt 1203",
    "Chocolat cake smal x1",
    "lavendar candel 2 pcs",
    "Hello, do you deliver to Abu Dhabi? 1 abaya 54 black pls. 971501112233",
    "do you have the pink scarf in XL? also want a tote bag",
    "Heyy 👋🏻 can u send 2 of the musk perfume 50ml to Jumeirah 1? My number +971-52-555-0199",
    "السلام عليكم، ابي شيلتين ملكي سودا",
    "مرحبا ابغى عباية مقاس ٥٢ بيج و كاب اسود",
    "ممكن ٣ كيكة فاخر كبيرة؟ التوصيل الى الشارقة",
    "ابي عطر ملكي ١٠٠ مل عدد ٢ ورقمي ٠٥٥٩٨٧٦٥٤٣",
    "اثنين كاب ابيض + ثلاث شموع فانيلا",
    "بدي كيكة صيفي وحدة، العنوان: دبي - البرشاء، فيلا ١٢",
    "ابي بخور ملكي ٢ حبة",
    "عايزة شال أزرق صغير",
    "ابي ٢ ساعة",
    "٢ عباية ٥٤ سوداء\nالى العين، قرب المول",
    "Hi habibti ❤️ 2 عباية black size 56 + 1 كاب white, توصيل الى Dubai Marina, 0501234567",
    "ابي 1 velvet cake و 2 chocolate cakes small",
    "مرحبا 🌷\n1 silk scarf M أحمر\n1 cap أبيض\nالعنوان:\nعجمان، النعيمية\nشكراً",
    "Hi! ابي 2 oud perfume ٥٠مل, insta: noura.k ✨",
    "Good morning! the scarves are beautiful 😍 I would like 2 of them, one red and one blue, size M",
    "السلام عليكم ودي اطلب عبايتين مقاس ٥٤ وحدة سودا ووحدة بيج، والتوصيل للشارقة النهدة",
    "Hello, I'm Mariam. Is the lavender candle still available? I'll take 2. whatsapp 055 444 3322",
    "2 jasmine soaps, 1 saffron honey, 3 pistachio cookies and a lotus diffuser 🙏",
]


def main(rounds: int = 25) -> None:
    entries = catalog()
    products = len({e.product_name for e in entries})
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        index = build_index(entries)
        builds.append((time.perf_counter() - started) * 1000)
    # Warm: one index reused, so words seen before come from its lookup cache.
    warm = []
    for _ in range(rounds):
        for message in MESSAGES:
            started = time.perf_counter()
            parse_message(message, index)
            warm.append((time.perf_counter() - started) * 1000)
    # Cold: a fresh index per message, as in a request that parses one paste.
    cold = []
    for message in MESSAGES * 3:
        index = build_index(entries)
        started = time.perf_counter()
        parse_message(message, index)
        cold.append((time.perf_counter() - started) * 1000)
    print(f"catalog: {products} products, {len(entries)} variants; {len(MESSAGES)} messages")
    print(f"build_index: median {statistics.median(builds):.1f} ms")
    for label, timings in (("warm", warm), ("cold", cold)):
        timings.sort()
        p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
        print(
            f"parse_message ({label}, {len(timings)} parses): median {statistics.median(timings):.2f} ms, "
            f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 25)
