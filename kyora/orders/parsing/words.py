"""Word lists for reading pasted customer messages, and the folding used to compare words.

Every list is written the way people type it and folded at import time with `fold`,
so the parser only ever compares folded keys (lower-case, no Arabic diacritics, one
alef/ya/ta-marbuta form). Words that mean the same thing share one canonical key.
"""

from __future__ import annotations

import re

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ک": "ك",
        "ء": None,
        "’": "'",
        "‘": "'",
    }
)


def fold(text: str) -> str:
    """The comparison key of `text`: lower-case, no diacritics/tatweel, unified letters."""
    return _DIACRITICS.sub("", text.casefold()).translate(_LETTERS)


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


def _groups(table: dict[str, str]) -> dict[str, str]:
    """{canonical: "synonym synonym ..."} -> {folded synonym: canonical}."""
    mapping: dict[str, str] = {}
    for canonical, words in table.items():
        mapping[canonical] = canonical
        for word in words.split():
            mapping.setdefault(fold(word.replace("_", " ")), canonical)
    return mapping


# Colours and sizes: option words a customer uses to pick a variant.
OPTION_SYNONYMS = _groups(
    {
        "red": "red ahmar أحمر احمر حمراء حمرا",
        "black": "black blk aswad أسود اسود سوداء سودا",
        "white": "white wht abyad أبيض ابيض بيضاء بيضا",
        "blue": "blue azraq أزرق ازرق زرقاء زرقا",
        "navy": "navy navy_blue كحلي كحليه",
        "green": "green أخضر اخضر خضراء خضرا",
        "yellow": "yellow أصفر اصفر صفراء صفرا",
        "pink": "pink وردي ورديه زهري زهريه بمبي",
        "purple": "purple violet بنفسجي بنفسجيه موف",
        "orange": "orange برتقالي برتقاليه",
        "brown": "brown بني بنيه",
        "grey": "grey gray رمادي رماديه رصاصي",
        "beige": "beige بيج",
        "gold": "gold golden ذهبي ذهبيه",
        "silver": "silver فضي فضيه",
        "maroon": "maroon burgundy عنابي خمري",
        "cream": "cream off_white كريمي",
        "xs": "xs x-small xsmall extra_small",
        "s": "s small sm صغير صغيره سمول سمال",
        "m": "m medium med md وسط متوسط ميديم ميديوم",
        "l": "l large lg lrg كبير كبيره لارج",
        "xl": "xl x-large xlarge extra_large اكس_لارج اكسلارج",
        "xxl": "xxl 2xl xx-large",
        "xxxl": "xxxl 3xl",
        "onesize": "one_size free_size onesize freesize فري_سايز",
    }
)

# Product nouns in English and Arabic, so "عباية" finds a product called "Abaya".
NOUN_SYNONYMS = _groups(
    {
        "scarf": "scarf شال وشاح سكارف",
        "shayla": "shayla sheila shaila شيله شيلة",
        "abaya": "abaya abayah عبايه عبايا",
        "cap": "cap كاب كابه",
        "hat": "hat قبعه",
        "perfume": "perfume fragrance parfum عطر عطور برفان برفيوم",
        "oud": "oud oudh عود",
        "rose": "rose ورد ورده روز",
        "cake": "cake كيك كيكه كعكه",
        "candle": "candle شمعه شموع شمع",
        "chocolate": "chocolate choco شوكولاته شوكولاتا شوكلت شوكليت شوكولا",
        "vanilla": "vanilla فانيلا فانيليا",
        "lavender": "lavender لافندر خزامى",
        "dress": "dress فستان فساتين",
        "bag": "bag شنطه حقيبه شنط",
        "hoodie": "hoodie hoody هودي",
        "tshirt": "t-shirt tshirt tee تيشيرت تيشرت",
        "mug": "mug كوب",
        "musk": "musk مسك",
        "bakhoor": "bakhoor bukhoor bakhour بخور",
        "honey": "honey عسل",
        "velvet": "velvet مخمل",
        "silk": "silk حرير",
    }
)

# Two-word option phrases ("extra large", "اكس لارج") folded with a single space.
OPTION_PHRASES = {key: value for key, value in OPTION_SYNONYMS.items() if " " in key}

NUMBER_WORDS = {
    fold(word): value
    for value, words in {
        1: "one واحد واحده وحده",
        2: "two اثنين اثنان اثنتين اثنتان ثنين اتنين تنين ثنتين",
        3: "three ثلاث ثلاثه تلات تلاته",
        4: "four اربع اربعه",
        5: "five خمس خمسه",
        6: "six ست سته",
        7: "seven سبع سبعه",
        8: "eight ثمان ثماني ثمانيه تمن تمان تمانيه",
        9: "nine تسع تسعه",
        10: "ten عشر عشره",
    }.items()
    for word in words.split()
}

# "2 pcs", "٣ حبات"; the Arabic dual forms carry their own number.
QTY_UNITS = _folded("pcs pc pce piece pieces unit units nos pkt حبه حبات قطعه قطع")
QTY_DUAL_WORDS = _folded("حبتين قطعتين")
QTY_LABELS = _folded("qty quantity عدد العدد كميه الكميه")
OPTION_LABELS = _folded(
    "size sz sizes color colour colors colours clr shade مقاس المقاس حجم الحجم لون اللون"
)

MEASURE_UNITS = {
    fold(word): unit
    for unit, words in {
        "ml": "ml mls مل ملي مللي",
        "l": "l ltr litre liter لتر",
        "g": "g gm gms gr gram grams جرام جم غرام",
        "kg": "kg kgs kilo كيلو كجم كغ",
        "oz": "oz",
        "cm": "cm سم",
        "mm": "mm",
        "inch": "inch inches انش",
    }.items()
    for word in words.split()
}

# Words that join two requests ("2 caps and 1 scarf", "شيلة و كاب").
CONJUNCTIONS = _folded("and & also plus و كمان وكمان ايضا")

# "the order", "my order" are nouns, not a request.
ARTICLES = _folded("the a an my your our this that")

REQUEST_WORDS = _folded(
    "want wanna need order add buy get take send like would "
    "ابي ابغى ابغي ابغا بغيت اريد أريد بدي عايز عايزه عاوز عاوزه ودي حابه حاب اطلب ابا"
)

LABEL_WORDS = _folded(
    "name phone mobile mob tel number whatsapp wa email mail insta instagram ig "
    "الاسم اسم رقم الرقم جوال الجوال موبايل تلفون هاتف واتساب واتس ايميل انستا انستقرام"
)

STOPWORDS = (
    _folded(
        "a an the i i'm im me my mine we our us you your u ur it its it's this that these those "
        "is are am was were be been do does did have has had will would can could shall should "
        "may might please pls plz kindly thanks thank thx ty tysm hi hii hiii hello hey heyy dear "
        "habibi habibti sis bro ma'am maam sir madam good morning evening afternoon night salam "
        "salaam assalamu alaikum alaykum inshallah mashallah yes no ok okay k sure just or of for "
        "to in on at by from with without as so too very really wanted like love same more "
        "another again asap today tomorrow tonight now soon later week weekend monday tuesday "
        "wednesday thursday friday saturday sunday pm when where how much many what which price "
        "cost total aed dhs dh dirham dirhams sar sr riyal riyals kwd kd qar bhd omr usd cash cod "
        "card pay payment paid transfer delivery deliver delivered shipping ship pickup pick up "
        "there here them they he she her him his their all any some each both let know lmk "
        "available stock help info details question ask also then if but not don't dont thats "
        "got ordering sending possible via urgent fast quick item items product products stuff "
        "thing things one's ones it'll i'll i'd i've we'd"
        " في من الى على عن مع هذا هذه هذي ذا انا احنا انت انتي هو هي يا لو سمحت سمحتي لوسمحت "
        "فضلك فضلكم شكرا مشكور مشكوره يعطيك العافيه السلام عليكم وعليكم مرحبا اهلا هلا هاي صباح "
        "مساء الخير النور حبيبتي حبيبي عزيزتي اختي اخوي كم سعر السعر بكم بكام متى وين اليوم بكره "
        "باكر باجر بعدين الحين هلق هسه ان شاء الله انشاءالله ماشاءالله تمام اوكي اوك نعم لا ايوه "
        "طيب ممكن لي لك عندكم عندك متوفر متوفره موجود كاش دفع الدفع تحويل فيزا التوصيل توصيل "
        "الشحن شحن درهم دراهم ريال دينار عند بعد قبل او ثم كل نفس بس جدا كثير حلو حلوه مره ما "
        "اذا لين حق حقي تبع مال الطلب طلب منكم عليها عليه لها له اللي الي الصبح الصباح الظهر العصر "
        "المغرب العشاء المسا الليل الساعه امس last time noon lunch dinner yesterday received "
        "next hours days place catalogue catalog menu pictures picture photos photo pics pic "
        "صور الصور صوره الكتالوج"
    )
    | REQUEST_WORDS
    | LABEL_WORDS
    | CONJUNCTIONS
)

# An address cue starts the address that follows it. Tuples of folded words. The short,
# common ones count only when a place name follows ("to Dubai", "الى العين") or, for
# CLAUSE_START_CUES, at the start of a clause ("..., الى العين") and, for COLON_CUES,
# before a colon ("to: Marina", "التوصيل: دبي").
ADDRESS_CUES = tuple(
    sorted(
        (
            tuple(fold(word) for word in cue.split())
            for cue in (
                "deliver to",
                "delivery to",
                "delivered to",
                "deliver it to",
                "deliver at",
                "delivery at",
                "delivery address",
                "shipping address",
                "ship to",
                "ship it to",
                "send to",
                "send it to",
                "address",
                "addr",
                "location",
                "العنوان",
                "عنوان",
                "عنواني",
                "التوصيل الى",
                "توصيل الى",
                "التوصيل على",
                "التوصيل في",
                "اللوكيشن",
                "لوكيشن",
                "الموقع",
                "الى",
                "to",
                "التوصيل",
                "توصيل",
            )
        ),
        key=len,
        reverse=True,
    )
)
CLAUSE_START_CUES = {(fold("الى"),), ("to",), (fold("التوصيل"),), (fold("توصيل"),)}
COLON_CUES = {("to",), (fold("التوصيل"),), (fold("توصيل"),)}
ADDRESS_FILLERS = _folded("is at in on : هو هي في على")
ADDRESS_LEAD_INS = _folded("to in at into الى في على")

# Places and address words: a clause holding one of these, and no product, is an address.
ADDRESS_WORDS = _folded(
    "dubai sharjah ajman fujairah rak abudhabi riyadh jeddah dammam khobar makkah mecca madinah "
    "kuwait salmiya hawalli doha manama muscat marina jlt jvc jbr jumeirah jumeira downtown deira "
    "karama barsha mirdif qusais nahda khalifa reem yas satwa quoz bay hills heights springs "
    "meadows greens lakes creek palm city gardens villa building bldg tower street "
    "road flat apt apartment floor area district block avenue compound community "
    "دبي الشارقه عجمان الفجيره العين ابوظبي الرياض جده الدمام الخبر مكه المدينه الكويت السالميه "
    "حولي الدوحه المنامه مسقط مارينا المارينا جميرا الجميرا البرشا ديره القصيص النهده فيلا فيله "
    "بنايه عماره برج شارع حي منطقه شقه طابق مجمع"
)
ADDRESS_PHRASES = {("abu", "dhabi"), ("al", "ain"), ("bur", "dubai"), (fold("ابو"), fold("ظبي"))}

# Arabic prefixes (the article, "and", "with") peeled off before looking a word up.
ARABIC_PREFIXES = tuple(
    fold(p) for p in ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف"]
)
_ARABIC = re.compile("[\u0600-\u06ff]")

# Irregular plurals that suffix stripping cannot reach.
IRREGULAR_PLURALS = {
    fold(k): fold(v) for k, v in {"عطور": "عطر", "شموع": "شمعه", "شنط": "شنطه"}.items()
}


def is_arabic(key: str) -> bool:
    return bool(_ARABIC.search(key))


def strip_prefix(key: str) -> str | None:
    """`key` without an Arabic prefix ("الشيله" -> "شيله"), or None."""
    for prefix in ARABIC_PREFIXES:
        rest = key[len(prefix) :]
        if key.startswith(prefix) and len(rest) >= (2 if len(prefix) > 1 else 3):
            return rest
    return None


def word_forms(key: str) -> list[tuple[str, float, bool]]:
    """Ways `key` may be written in a catalog, best first: (form, quality, is_dual).

    English plurals (scarves -> scarf, boxes -> box, candies -> candy, caps -> cap) and
    Arabic article/conjunction prefixes, sound plurals (-ات) and duals (-ين, -ان, -تين).
    """
    forms: list[tuple[str, float, bool]] = [(key, 1.0, False)]
    if key in IRREGULAR_PLURALS:
        forms.append((IRREGULAR_PLURALS[key], 0.95, False))
    if is_arabic(key):
        bases = [key]
        bare = strip_prefix(key)
        if bare:
            forms.append((bare, 0.97, False))
            bases.append(bare)
        for base in bases:
            for suffix, replacements, dual in (
                ("تين", ("ه",), True),
                ("تان", ("ه",), True),
                ("ات", ("ه", ""), False),
                ("ين", ("",), True),
                ("ان", ("",), True),
            ):
                stem = base[: -len(suffix)]
                if base.endswith(suffix) and len(stem) >= 2:
                    forms.extend((stem + r, 0.95, dual) for r in replacements)
        return forms
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        if key.endswith("ies"):
            forms.append((key[:-3] + "y", 0.95, False))
        if key.endswith("ves"):
            forms.append((key[:-3] + "f", 0.95, False))
            forms.append((key[:-3] + "fe", 0.95, False))
        if key.endswith("es"):
            forms.append((key[:-2], 0.95, False))
        forms.append((key[:-1], 0.95, False))
    return forms


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance between `a` and `b`, or limit + 1 once above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_limit(length: int) -> int:
    """How many typos a word of `length` letters may carry and still match."""
    return 0 if length < 4 else 1 if length < 8 else 2


def deletes(word: str, depth: int) -> set[str]:
    """`word` with up to `depth` letters removed (the typo-lookup neighbourhood)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - found
        found |= frontier
    return found


def bare(key: str) -> str:
    """`key` without an Arabic prefix, so "للشارقه", "الشارقه" and "شارقه" compare equal."""
    return strip_prefix(key) or key


ADDRESS_BARE = frozenset(bare(word) for word in ADDRESS_WORDS)
# First (bare) word -> [(bare cue, cue)], longest cue first.
ADDRESS_CUES_BY_WORD: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
for _cue in ADDRESS_CUES:
    _bare_cue = tuple(bare(word) for word in _cue)
    ADDRESS_CUES_BY_WORD.setdefault(_bare_cue[0], []).append((_bare_cue, _cue))
