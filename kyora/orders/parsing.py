"""Read a pasted customer message (DM, WhatsApp) into suggestions for the quick order form.

`build_index(catalog)` once per request, then `parse_message(text, index)` finds phone
numbers (E.164), @handles, emails, the requested items matched to catalog variants, an
address, and the words that looked like a request but matched nothing. Pure and
deterministic: no I/O, no randomness, stable ordering (sets are never iterated into output).

How a message is read:
1. Normalise: NFKC, Arabic-Indic digits to ASCII, LF line breaks, invisible direction marks
   dropped, outer whitespace stripped. `ParsedMessage.spans` joins back to this text.
2. Claim emails, links, handles and phone numbers, so their digits and words are not items.
3. Tokenise the rest; each word is folded (see `parsing_words.fold`) and looked up in the
   index: product-name words, option concepts (colours, sizes, "100ml"), SKUs, with plural,
   Arabic prefix/suffix and bounded-typo tolerance.
4. Address: the words after a cue ("deliver to", "العنوان", "📍") or clauses naming a place.
5. Items: lines are cut into clauses ("and", ",", "+", "و") and clauses into pieces at
   quantities and new product nouns; each piece picks its product(s), then the variant whose
   option values it mentions. Pieces with only options ("size M", "one red") join a product.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers

from kyora.core.money import normalize_digits
from kyora.core.phones import normalize_phone
from kyora.orders import parsing_words as w
from kyora.orders.parsing_words import fold


@dataclass(frozen=True)
class CatalogEntry:
    """One sellable variant: its product's name, option values ("M", "Red") and SKU."""

    variant_id: int
    product_name: str
    option_values: tuple[str, ...] = ()
    sku: str | None = None


@dataclass
class ParsedItem:
    """A requested item. `variant_id` is None when the product was found but the variant
    (or the product, among several) could not be chosen; `candidates` are the other
    plausible variant ids, best first; `text` is the slice of the message it came from."""

    variant_id: int | None
    quantity: int
    text: str
    candidates: list[int]
    confidence: float


@dataclass
class ParsedMessage:
    """What a pasted message holds. `phones` are E.164, `handles` lower-case without "@";
    `unmatched` are phrases that looked like item requests but matched nothing; `spans` cut
    the whole normalised message into (kind, text) pieces, kind in {"text", "phone",
    "handle", "email", "item", "unmatched", "address"}, and join back to it."""

    phones: list[str]
    handles: list[str]
    emails: list[str]
    items: list[ParsedItem]
    address: str | None
    unmatched: list[str]
    spans: list[tuple[str, str]]


_CANON = {**w.NOUN_SYNONYMS, **w.OPTION_SYNONYMS}
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_WORD = rf"(?:[^\W_]|[{_MARKS}])"
_WORD_RE = re.compile(rf"{_WORD}+(?:(?:['’\-]|(?<=\d)\.(?=\d)){_WORD}+)*")
_TOKEN_RE = re.compile(
    rf"(?P<word>{_WORD_RE.pattern})|(?P<line>\n)|(?P<sep>[,،;؛+!?|]|\.(?!\d)|&)"
    r"|(?P<times>[×*])|(?P<colon>:)|(?P<pin>📍)"
)
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MEASURE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*([^\W\d_]+)")
_QTY_RE = re.compile(r"(\d+)(x|pcs?|pce|pieces?)")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_MAP_RE = re.compile(
    r"(?:https?://)?(?:maps\.app\.goo\.gl|goo\.gl/maps|(?:www\.)?google\.[a-z.]+/maps)\S*"
)
_IG_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?(?:instagram\.com|instagr\.am)/(?!p/|reel|stories/|explore/)([\w.]{1,30})\S*"
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|me|ae|sa|net|org|link|ly)/\S*")
_HANDLE_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9._]{1,30})")
_IG_LABEL_RE = re.compile(
    r"(?i)\b(?:ig|insta|instagram|انستا|انستقرام|انستغرام)\s*[:：]\s*(@?[A-Za-z0-9._]{2,30})"
)
_PHONE_RUN_RE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \-().]{5,}\d(?!\w)")


def _measure_key(key: str) -> str | None:
    """The option key of an amount with a unit ("100 ml", "100مل" -> "100ml"), else None."""
    match = _MEASURE_RE.fullmatch(key)
    if match and match[2] in w.MEASURE_UNITS:
        return match[1] + w.MEASURE_UNITS[match[2]]
    return None


def _canon(key: str) -> str:
    for form, _quality, _dual in w.word_forms(key):
        if form in _CANON:
            return _CANON[form]
    return key


def _is_stop(key: str) -> bool:
    return key in w.STOPWORDS or (w.is_arabic(key) and w.strip_prefix(key) in w.STOPWORDS)


@dataclass(frozen=True)
class _Lookup:
    names: tuple[tuple[str, float], ...] = ()  # (canonical name word, match quality)
    concepts: frozenset[str] = frozenset()
    dual: bool = False


_EMPTY = _Lookup()


@dataclass
class _Product:
    weights: dict[str, int]  # canonical name word -> weight (the head noun counts double)
    variants: list[tuple[CatalogEntry, tuple[tuple[str, ...], ...]]] = field(default_factory=list)
    concepts: set[str] = field(default_factory=set)
    slots: dict[str, set[int]] = field(default_factory=dict)  # concept -> option positions

    @property
    def total(self) -> int:
        return sum(self.weights.values())


def _fuzzy_table(vocabulary: Iterable[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for word in sorted(vocabulary):
        if len(word) >= 4:
            for deleted in w.deletes(word, w.typo_limit(len(word))):
                table.setdefault(deleted, []).append(word)
    return table


_BUILTIN_FUZZY = _fuzzy_table(k for k in _CANON if " " not in k)


class CatalogIndex:
    """What `parse_message` needs from a catalog: names, options, SKUs and a typo table."""

    def __init__(self, catalog: Iterable[CatalogEntry]) -> None:
        self.products: list[_Product] = []
        self.name_keys: dict[str, str] = {}  # how a name word may be written -> canonical word
        self.by_word: dict[str, list[int]] = {}  # canonical name word -> product positions
        self.heads: set[str] = set()  # name words that are a product's main noun
        self.concepts: set[str] = set(w.OPTION_SYNONYMS.values())
        self.skus: dict[str, tuple[int, CatalogEntry]] = {}
        self._cache: dict[str, _Lookup] = {}
        by_name: dict[str, int] = {}
        seen: set[int] = set()
        # Variants repeat their product's name and the same few sizes and colours.
        folded: dict[str, str] = {}
        values: dict[str, tuple[str, ...]] = {}
        for entry in catalog:
            if entry.variant_id in seen:
                continue
            seen.add(entry.variant_id)
            raw = entry.product_name
            if raw not in folded:
                folded[raw] = " ".join(fold(raw).split())
            name = folded[raw]
            if name not in by_name:
                by_name[name] = len(self.products)
                self.products.append(_Product(self._register_name(name)))
            product = self.products[by_name[name]]
            for value in entry.option_values:
                if value not in values:
                    values[value] = _option_concepts(value)
            options = tuple(values[value] for value in entry.option_values if value)
            product.variants.append((entry, options))
            for slot, option in enumerate(options):
                product.concepts.update(option)
                self.concepts.update(option)
                for concept in option:
                    product.slots.setdefault(concept, set()).add(slot)
            if entry.sku:
                self.skus.setdefault(fold(entry.sku.strip()), (by_name[name], entry))
        for position, product in enumerate(self.products):
            for word, weight in product.weights.items():
                self.by_word.setdefault(word, []).append(position)
                if weight == max(product.weights.values()):
                    self.heads.add(word)
        self._fuzzy = _fuzzy_table(set(self.name_keys) | {c for c in self.concepts if c.isalpha()})

    def _register_name(self, name: str) -> dict[str, int]:
        tokens = [t for t in _WORD_RE.findall(name) if not t.isdigit()]
        significant = [t for t in tokens if not _is_stop(t)] or tokens or [name]
        weights: dict[str, int] = {}
        for token in significant:
            canonical = _canon(token)
            weights[canonical] = 1
            self.name_keys[token] = self.name_keys[canonical] = canonical
            for form, _quality, _dual in w.word_forms(token)[1:]:
                if len(form) >= 3:
                    self.name_keys.setdefault(form, canonical)
        if len(weights) > 1:
            # English puts the noun last ("Silk Scarf"), Arabic first ("شيلة شيفون").
            head = _canon(significant[0] if w.is_arabic(name) else significant[-1])
            weights[head] = 2
        return weights

    def lookup(self, key: str) -> _Lookup:
        """Catalog name words and option concepts that the message word `key` may mean."""
        found = self._cache.get(key)
        if found is None:
            found = self._exact(key)
            if found is _EMPTY and len(key) >= 4 and not key.isdigit():
                found = self._typo(key)
            self._cache[key] = found
        return found

    def _exact(self, key: str, factor: float = 1.0) -> _Lookup:
        for form, quality, dual in w.word_forms(key):
            canonical = _CANON.get(form, form)
            name = self.name_keys.get(canonical) or self.name_keys.get(form)
            concepts = frozenset({canonical} & self.concepts)
            if name or concepts:
                names = ((name, round(quality * factor, 3)),) if name else ()
                return _Lookup(names, concepts, dual)
        return _EMPTY

    def _typo(self, key: str) -> _Lookup:
        best: dict[str, int] = {}
        for form, _quality, _dual in w.word_forms(key):
            if len(form) < 4:
                continue
            for deleted in sorted(w.deletes(form, 2 if len(form) >= 7 else 1)):
                for table in (self._fuzzy, _BUILTIN_FUZZY):
                    for target in table.get(deleted, ()):
                        limit = w.typo_limit(min(len(form), len(target)))
                        distance = w.edit_distance(form, target, limit)
                        if distance <= limit and distance < best.get(target, 99):
                            best[target] = distance
        if not best:
            return _EMPTY
        nearest = min(best.values())
        names: dict[str, float] = {}
        concepts: set[str] = set()
        for target in sorted(t for t, d in best.items() if d == nearest):
            found = self._exact(target, 0.8 if nearest == 1 else 0.65)
            for name, quality in found.names:
                names[name] = max(quality, names.get(name, 0.0))
            concepts |= found.concepts
        return _Lookup(tuple(sorted(names.items())), frozenset(concepts))


def _option_concepts(value: str) -> tuple[str, ...]:
    """The concepts a customer must mention to pick an option value ("Red" -> ("red",))."""
    key = " ".join(fold(value).split())
    if measure := _measure_key(key.replace(" ", "")):
        return (measure,)
    if key in _CANON:
        return (_CANON[key],)
    tokens = [t for t in _WORD_RE.findall(key) if t not in w.OPTION_LABELS]
    return tuple(_canon(t) for t in tokens) or (key,)


def build_index(catalog: Iterable[CatalogEntry]) -> CatalogIndex:
    """Precompute the lookup tables for `catalog` (once per request, reused per message)."""
    return CatalogIndex(catalog)


# --- reading a message --------------------------------------------------------------


@dataclass
class _Tok:
    start: int
    end: int
    key: str
    kind: str  # word | num | qty | measure | map | sep | line | times | colon | pin
    value: int = 0
    hint: str = ""  # for quantities: word | bare | post | either
    look: _Lookup = _EMPTY
    option: str | None = None  # a concept named outright ("size 54", "100ml")
    sku: tuple[int, CatalogEntry] | None = None
    stop: bool = False
    label: str = ""  # "qty" before a quantity, "option" before an option value
    used: bool = False  # part of the matched product name
    asked: bool = False  # comes after "want", "need", "ابي" ... in its clause

    @property
    def anchor(self) -> bool:
        """A word that names a product (and is not also a colour or size)."""
        return bool(self.sku) or (
            bool(self.look.names) and not self.look.concepts and not self.option
        )

    @property
    def optionish(self) -> bool:
        return (
            self.kind in ("word", "measure")
            and not self.used
            and bool(self.option or self.look.concepts)
        )


@dataclass
class _Seg:
    tokens: list[_Tok]
    products: list[int] = field(default_factory=list)
    coverage: float = 0.0
    quality: float = 0.0
    extra: list[list[_Tok]] = field(default_factory=list)  # option-only pieces said apart
    parent: _Seg | None = None  # "2 abayas: one black, one beige" -> each "one ..." has a parent
    children: int = 0


def _normalise(text: str) -> str:
    text = normalize_digits(unicodedata.normalize("NFKC", text or ""))
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return text.strip()


def _entities(
    text: str, region: str
) -> tuple[str, list[tuple[int, int, str]], dict[str, list[str]]]:
    """Phones, handles, emails and links: their places (blanked out of the returned text)."""
    masked = text
    claims: list[tuple[int, int, str]] = []
    found: dict[str, list[str]] = {"phone": [], "handle": [], "email": []}

    def claim(start: int, end: int, kind: str, value: str | None = None) -> None:
        nonlocal masked
        claims.append((start, end, kind))
        masked = masked[:start] + " " * (end - start) + masked[end:]
        if value and value not in found[kind]:
            found[kind].append(value)

    for match in _EMAIL_RE.finditer(masked):
        claim(match.start(), match.end(), "email", match[0].lower())
    for match in _MAP_RE.finditer(masked):
        claim(match.start(), match.end(), "map")
    for match in _IG_URL_RE.finditer(masked):
        claim(match.start(), match.end(), "handle", match[1].rstrip(".").lower() or None)
    for match in _URL_RE.finditer(masked):
        claim(match.start(), match.end(), "url")
    for match in _IG_LABEL_RE.finditer(masked):
        name = match[1].lstrip("@").rstrip(".")
        claim(
            match.start(1),
            match.start(1) + len(match[1].rstrip(".")),
            "handle",
            name.lower() or None,
        )
    for match in _HANDLE_RE.finditer(masked):
        name = match[1].rstrip(".")
        if name:
            claim(match.start(), match.start() + 1 + len(name), "handle", name.lower())
    leniency = phonenumbers.Leniency.VALID
    for match in phonenumbers.PhoneNumberMatcher(masked, region, leniency=leniency):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        claim(match.start, match.end, "phone", e164)
    for match in _PHONE_RUN_RE.finditer(masked):
        raw = match[0].strip("()- ")
        start = match.start() + match[0].index(raw)
        digits = re.sub(r"\D", "", raw)
        for candidate, country in ((raw, region), ("+" + digits, None)):
            try:
                e164 = normalize_phone(candidate, country)
            except ValueError:
                continue
            claim(start, start + len(raw), "phone", e164)
            break
    return masked, sorted(claims), found


def _classify(start: int, end: int, key: str, index: CatalogIndex) -> _Tok:
    tok = _Tok(start, end, key, "word")
    if key in index.skus:
        tok.sku = index.skus[key]
    elif key in w.CONJUNCTIONS:
        tok.kind = "sep"
    elif key == "x":
        tok.kind = "times"
    elif key.isdigit():
        tok.kind, tok.value = "num", int(key)
    elif match := _QTY_RE.fullmatch(key):
        tok.kind, tok.value, tok.hint = "qty", int(match[1]), "either"
    elif key[:1] == "x" and key[1:].isdigit():
        tok.kind, tok.value, tok.hint = "qty", int(key[1:]), "post"
    elif measure := _measure_key(key):
        tok.kind, tok.option = "measure", measure
    elif key in w.QTY_DUAL_WORDS:
        tok.kind, tok.value, tok.hint = "qty", 2, "either"
    elif key in w.NUMBER_WORDS:
        tok.kind, tok.value, tok.hint = "qty", w.NUMBER_WORDS[key], "word"
    elif key in w.QTY_LABELS:
        tok.label = "qty"
    elif key in w.OPTION_LABELS or w.strip_prefix(key) in w.OPTION_LABELS:
        tok.label = "option"
    else:
        tok.stop = _is_stop(key)
        if not tok.stop:
            tok.look = index.lookup(key)
    return tok


def _known(key: str, index: CatalogIndex) -> bool:
    return key in _CANON or key in index.name_keys or _is_stop(key) or key in w.NUMBER_WORDS


def _tokens(
    text: str, masked: str, claims: list[tuple[int, int, str]], index: CatalogIndex
) -> list[_Tok]:
    """Words, numbers and separators of the message, outside phones/handles/emails/links."""
    tokens = [_Tok(s, e, "", "map") for s, e, kind in claims if kind == "map"]
    for match in _TOKEN_RE.finditer(masked):
        start, end, kind = match.start(), match.end(), match.lastgroup or "sep"
        if kind != "word":
            tokens.append(_Tok(start, end, match[0], kind))
            continue
        key = fold(text[start:end])
        rest = key[1:]
        # A leading "و" is "and": "و٢ كاب", "وشيلة سودا" are a new request.
        if key[:1] == "و" and len(key) >= 2 and not _known(key, index):
            tail = _classify(start + 1, end, rest, index)
            if tail.kind in ("num", "qty") or tail.anchor:
                tokens += [_Tok(start, start + 1, "و", "sep"), tail]
                continue
        tokens.append(_classify(start, end, key, index))
    return sorted(tokens, key=lambda t: t.start)


def _merge(tokens: list[_Tok]) -> list[_Tok]:
    """Join "2 pcs", "x 2", "qty: 3", "100 ml", "size: M" into single meaningful tokens."""
    out: list[_Tok] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        j = i + 2 if nxt and nxt.kind == "colon" else i + 1
        after = tokens[j] if j < len(tokens) else None
        joined, width = None, 2
        if tok.kind == "num" and nxt and nxt.kind == "word":
            unit = w.MEASURE_UNITS.get(nxt.key)
            if unit and unit != "l":  # a lone "L" after a number is a size, not litres
                joined = _Tok(tok.start, nxt.end, "", "measure", option=f"{tok.value}{unit}")
            elif nxt.key in w.QTY_UNITS:
                joined = _Tok(tok.start, nxt.end, "", "qty", tok.value, "either")
        elif tok.kind == "num" and nxt and nxt.kind == "times":
            joined = _Tok(tok.start, nxt.end, "", "qty", tok.value, "either")
        elif tok.kind == "times" and nxt and nxt.kind == "num":
            joined = _Tok(tok.start, nxt.end, "", "qty", nxt.value, "post")
        elif tok.label == "qty" and after and after.kind == "num":
            joined, width = _Tok(tok.start, after.end, "", "qty", after.value, "post"), j - i + 1
        elif tok.label == "option" and after and after.kind in ("word", "num", "qty"):
            if after.kind != "word":
                after.kind, after.option = "word", str(after.value)
            else:
                after.option = min(after.look.concepts, default=None) or _canon(after.key)
            out += [tok, after]
            i = j + 1
            continue
        if joined:
            out.append(joined)
            i += width
            continue
        out.append(tok)
        i += 1
    return out


def _split(tokens: list[_Tok], kinds: tuple[str, ...]) -> list[list[_Tok]]:
    parts: list[list[_Tok]] = [[]]
    for tok in tokens:
        if tok.kind in kinds:
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts


def _place_word(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] is a place or address word ("Dubai", "villa", "ابو ظبي")."""
    if i >= len(toks) or toks[i].kind != "word":
        return False
    key = toks[i].key
    pair = (key, toks[i + 1].key) if i + 1 < len(toks) else None
    return w.bare(key) in w.ADDRESS_BARE or pair in w.ADDRESS_PHRASES


def _find_cue(toks: list[_Tok]) -> tuple[int, int] | None:
    """Where an address cue ("deliver to", "العنوان", "📍") starts and ends in a line."""
    for i, tok in enumerate(toks):
        if tok.kind == "pin":
            return i, i + 1
        if tok.kind != "word":
            continue
        clause_start = i == 0 or toks[i - 1].kind == "sep"
        for bare_cue, cue in w.ADDRESS_CUES_BY_WORD.get(w.bare(tok.key), ()):
            end = i + len(cue)
            if tuple(w.bare(t.key) for t in toks[i:end]) != bare_cue:
                continue
            if cue in w.CLAUSE_START_CUES or cue in w.COLON_CUES:
                colon = end < len(toks) and toks[end].kind == "colon"
                place = _place_word(toks, end + colon)
                if cue in w.COLON_CUES and not (colon or place):
                    continue
                if cue not in w.COLON_CUES and not (clause_start or place):
                    continue
            return i, end
    return None


def _trim(toks: list[_Tok]) -> list[_Tok]:
    """The address words of `toks`, without leading fillers ("is", "في") or trailing chatter."""
    body = [t for t in toks if t.kind in ("word", "num", "map", "qty", "measure")]
    while body and body[0].key in w.ADDRESS_FILLERS:
        body.pop(0)
    while body and body[-1].kind == "word" and (body[-1].stop or body[-1].key in w.ADDRESS_FILLERS):
        body.pop()
    return body


def _address_end(toks: list[_Tok], start: int) -> int:
    """Where the address after a cue ends: at the end of the line, or where an item request
    starts ("deliver to JLT 2 caps", "deliver to JLT, also cap x2")."""
    clause_start = start
    for k in range(start, len(toks)):
        tok = toks[k]
        if tok.kind == "sep":
            clause_start = k + 1
            continue
        ahead = toks[k + 1 : k + 3]
        if (
            tok.kind in ("num", "qty")
            and ahead
            and (ahead[0].anchor or (ahead[0].optionish and ahead[-1].anchor))
        ):
            return k
        if clause_start > start and k == clause_start:
            clause = _split(toks[k:], ("sep",))[0]
            if any(t.kind in ("num", "qty") for t in clause) and any(t.anchor for t in clause):
                return k
    return len(toks)


def _addresses(lines: list[list[_Tok]]) -> tuple[list[tuple[int, int]], list[list[_Tok]]]:
    """Address regions (after a cue, on the lines after a bare cue, or place-like clauses),
    and what is left of each line for items."""
    regions: list[tuple[int, int]] = []
    rest_lines: list[list[_Tok]] = []
    pending = 0
    for toks in lines:
        body = _trim(toks)
        if (
            pending
            and body
            and body[0].key not in w.LABEL_WORDS
            and not any(t.anchor for t in toks)
        ):
            regions.append((body[0].start, body[-1].end))
            pending -= 1
            continue
        pending = 0
        cue = _find_cue(toks)
        if cue:
            start, end = cue
            stop = _address_end(toks, end)
            body = _trim(toks[end:stop])
            if body:
                regions.append((body[0].start, body[-1].end))
            elif not any(t.kind == "map" for t in toks[end:]):
                pending = 3
            toks = [*toks[:start], _Tok(0, 0, ",", "sep"), *toks[stop:]]
        kept: list[_Tok] = []
        for clause in _split(toks, ("sep",)):
            places = [i for i, t in enumerate(clause) if t.kind == "map" or _place_word(clause, i)]
            # "can you deliver tomorrow to Business Bay": the place starts after "to"
            lead = [
                i for i in range(places[0] if places else 0) if clause[i].key in w.ADDRESS_LEAD_INS
            ]
            body = _trim(clause[lead[-1] + 1 if lead else 0 :])
            if body and places and not any(t.anchor for t in clause):
                regions.append((body[0].start, body[-1].end))
            else:
                kept += [*clause, _Tok(0, 0, ",", "sep")]
        rest_lines.append(kept)
    return regions, rest_lines


def _segments(clause: list[_Tok], index: CatalogIndex) -> list[_Seg]:
    """Cut a clause into one piece per requested item ("2 red scarves 1 cap" -> 2 pieces)."""
    anchors_after = [0] * (len(clause) + 1)
    for i in range(len(clause) - 1, -1, -1):
        anchors_after[i] = anchors_after[i + 1] + clause[i].anchor
    pieces: list[list[_Tok]] = [[]]
    has_anchor = has_qty = asked = False
    products: set[int] = set()
    said: set[str] = set()
    last = 0  # position of the last token that said something about the item
    for i, tok in enumerate(clause):
        tok.asked = asked
        noun = i > 0 and clause[i - 1].key in w.ARTICLES
        asked = asked or (tok.key in w.REQUEST_WORDS and not noun)
        if tok.kind == "num":
            if has_anchor and str(tok.value) in index.concepts:
                tok.kind, tok.option = "word", str(tok.value)
            elif 1 <= tok.value <= 99:
                tok.kind, tok.hint = "qty", "bare"
        if tok.kind == "qty":
            later = anchors_after[i + 1] > 0
            far = i - last > 3  # "the scarves are lovely, I'd like to order 2" is a new thought
            if has_qty or (has_anchor and ((tok.hint != "post" and later) or far)):
                pieces.append([])
                has_anchor, products = False, set()
            has_qty = True
        elif tok.anchor:
            mine = _products_of(tok, index)
            heads = {name for name, _q in tok.look.names if name in index.heads}
            # A new main noun starts a new item: "black cap white cap", "scarf cap".
            if has_anchor and (heads or tok.sku) and (not mine & products or heads & said):
                pieces.append(_trailing_words(pieces[-1], index))
                has_qty, products, said = False, set(), set()
            has_anchor = True
            products |= mine
            said |= heads
        if tok.kind == "qty" or tok.anchor or tok.optionish or tok.label:
            last = i
        pieces[-1].append(tok)
    return [_Seg(piece) for piece in pieces if piece]


def _products_of(tok: _Tok, index: CatalogIndex) -> set[int]:
    if tok.sku:
        return {tok.sku[0]}
    return {p for name, _q in tok.look.names for p in index.by_word.get(name, ())}


def _trailing_words(piece: list[_Tok], index: CatalogIndex) -> list[_Tok]:
    """Words at the end of a piece that describe the next product ("... black cap",
    "... lavender candle"). English puts them before the noun; Arabic after, so they stay."""
    moved: list[_Tok] = []
    while piece and not w.is_arabic(piece[-1].key):
        last = piece[-1]
        modifier = last.anchor and not any(n in index.heads for n, _q in last.look.names)
        if not (last.optionish and not last.anchor) and not modifier:
            break
        moved.insert(0, piece.pop())
    if moved and piece and piece[-1].label == "option":
        piece.append(moved.pop(0))
    return moved


def _match_products(seg: _Seg, index: CatalogIndex) -> None:
    """Rank the products named in a piece; ties stay ambiguous. Marks the name words used."""
    sku = next((t for t in seg.tokens if t.sku), None)
    if sku and sku.sku:
        sku.used = True
        seg.products, seg.coverage, seg.quality = [sku.sku[0]], 1.0, 1.0
        return
    hits: dict[int, dict[str, tuple[float, _Tok]]] = {}
    for tok in seg.tokens:
        if tok.kind == "word" and not tok.option:
            for name, quality in tok.look.names:
                for position in index.by_word.get(name, ()):
                    slot = hits.setdefault(position, {})
                    if quality > slot.get(name, (0.0, tok))[0]:
                        slot[name] = (quality, tok)
    ranked = []
    for position in sorted(hits):
        found = hits[position]
        product = index.products[position]
        coverage = sum(q * product.weights[name] for name, (q, _t) in found.items()) / product.total
        anchored = any(t.anchor for _q, t in found.values())
        if anchored and (coverage >= 0.3 or len(found) >= 2):
            ranked.append((-round(coverage, 6), -len(found), position))
    if not ranked:
        return
    ranked.sort()
    # Products named by the very same words are a tie ("1 cake": every cake), unless the
    # best one is named in full.
    said = {p: {id(t) for _q, t in hits[p].values()} for _c, _n, p in ranked}
    top = ranked[0]
    best = [r for r in ranked if said[r[2]] == said[top[2]] and (top[0] > -1 or r[0] == top[0])]
    seg.products = [position for _c, _n, position in best]
    seg.coverage = -best[0][0]
    seg.quality = max(q for p in seg.products for q, _t in hits[p].values())
    for position in seg.products:
        for _q, tok in hits[position].values():
            tok.used = True


def _concepts(tokens: list[_Tok]) -> dict[int, set[str]]:
    """Option concepts each option-like token stands for (by position), two-word phrases too."""
    found: dict[int, set[str]] = {}
    for i, tok in enumerate(tokens):
        if tok.optionish:
            found[i] = ({tok.option} if tok.option else set()) | set(tok.look.concepts)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        phrase = f"{tok.key} {nxt.key}" if nxt else ""
        if phrase in w.OPTION_PHRASES:
            found[i] = {w.OPTION_PHRASES[phrase]}
            found[i + 1] = set()
    return found


def _said(seg: _Seg) -> tuple[list[_Tok], dict[int, set[str]], set[str]]:
    tokens = seg.tokens + [t for piece in seg.extra for t in piece]
    per_token = _concepts(tokens)
    return tokens, per_token, set().union(*per_token.values()) if per_token else set()


def _choose(seg: _Seg, index: CatalogIndex) -> tuple[int | None, list[int], list[_Tok]]:
    """The variant the piece asks for (or None), other candidates, and option words that fit none.

    A piece's own words count double; words said for its parent ("2 abayas size 54: one
    black, one beige") fill in what the piece leaves open.
    """
    tokens, per_token, own = _said(seg)
    inherited = _said(seg.parent)[2] if seg.parent else set()
    scored = []
    for rank, position in enumerate(seg.products):
        for order, (entry, options) in enumerate(index.products[position].variants):
            score = sum(
                2
                if all(c in own for c in option)
                else all(c in own or c in inherited for c in option)
                for option in options
            )
            scored.append((-score, rank, order, entry.variant_id))
    scored.sort()
    offered = set().union(*(index.products[p].concepts for p in seg.products))
    conflicts = [tokens[i] for i, c in sorted(per_token.items()) if c and not c & offered]
    sku = next((t.sku[1].variant_id for t in seg.tokens if t.sku and t.used), None)
    best = [s for s in scored if s[0] == scored[0][0]]
    chosen = sku
    if chosen is None and (len(scored) == 1 or (scored[0][0] < 0 and len(best) == 1)):
        chosen = scored[0][3]
    candidates = [s[3] for s in scored if s[3] != chosen][:10]
    return chosen, candidates, conflicts


def _span(tokens: list[_Tok]) -> tuple[int, int] | None:
    marked = [t for t in tokens if t.kind in ("qty", "measure") or t.used or t.optionish or t.label]
    return (marked[0].start, marked[-1].end) if marked else None


def _unknown(seg: _Seg) -> list[_Tok]:
    """Content words of a piece that mean nothing to the catalog (when it looks like a request)."""
    content = [
        t for t in seg.tokens if t.kind in ("word", "measure") and not t.stop and not t.label
    ]
    unknown = [
        t
        for t in content
        if t.kind == "word"
        and not t.look.names
        and not t.optionish
        and len(t.key) > 1
        and not t.key.replace(".", "").isdigit()
    ]
    signal = any(t.asked for t in unknown) or any(
        t.kind == "qty" and t.hint != "word" for t in seg.tokens
    )
    signal = signal or any(t.optionish for t in content)
    return [t for t in content if t in unknown or t.optionish] if unknown and signal else []


def parse_message(text: str, index: CatalogIndex, default_region: str = "AE") -> ParsedMessage:
    """Phones, handles, emails, items, address and unmatched words found in a pasted message."""
    text = _normalise(text)
    masked, claims, found = _entities(text, default_region)
    tokens = _tokens(text, masked, claims, index)
    regions, lines = _addresses(_split(tokens, ("line",)))
    segments: list[_Seg] = []
    for line in lines:
        for clause in _split(_merge(line), ("sep",)):
            segments += _segments(clause, index)
    for seg in segments:
        _match_products(seg, index)
    items, paint, unmatched = _items(text, segments, index)
    paint[:0] = [(s, e, "address") for s, e in regions]
    paint += [(s, e, "unmatched") for s, e in unmatched]
    paint += [
        (s, e, kind if kind != "map" else "address") for s, e, kind in claims if kind != "url"
    ]
    return ParsedMessage(
        phones=found["phone"],
        handles=found["handle"],
        emails=found["email"],
        items=items,
        address=_address_text(text, regions, claims),
        unmatched=list(dict.fromkeys(text[s:e] for s, e in sorted(unmatched))),
        spans=_paint(text, paint),
    )


def _another(piece: _Seg, parent: _Seg, index: CatalogIndex) -> bool:
    """Whether an options-only piece asks for another variant ("cap black and white") rather
    than completing its product ("2 red scarves, size M"): it names a different value for an
    option the product piece already set."""
    own, mine = _said(parent)[2], _said(piece)[2] - _said(parent)[2]
    for position in parent.products:
        slots = index.products[position].slots
        if any(slots.get(c, set()) & slots.get(d, set()) for c in mine for d in own):
            return True
    return False


def _items(
    text: str, segments: list[_Seg], index: CatalogIndex
) -> tuple[list[ParsedItem], list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Items in message order, the regions to highlight, and the unmatched regions."""
    paint: list[tuple[int, int, str]] = []
    unmatched: list[tuple[int, int]] = []
    with_product = [s for s in segments if s.products]
    requests = list(with_product)
    for seg in segments:
        if seg.products:
            continue
        lone = [
            t
            for t in seg.tokens
            if t.kind in ("word", "measure", "qty") and not t.stop and not t.label
        ]
        earlier = [s for s in with_product if s.tokens[0].start < seg.tokens[0].start]
        only_options = bool(lone) and all(t.optionish for t in lone)
        if only_options and with_product and not (earlier and _another(seg, earlier[-1], index)):
            (earlier[-1] if earlier else with_product[0]).extra.append(seg.tokens)
        elif (
            lone
            and all(t.optionish or t.kind == "qty" for t in lone)
            and any(t.optionish for t in lone)
            and earlier
        ):
            seg.parent = earlier[-1]
            seg.products, seg.coverage, seg.quality = (
                seg.parent.products,
                seg.parent.coverage,
                seg.parent.quality,
            )
            seg.parent.children += 1
            requests.append(seg)
        elif content := _unknown(seg):
            unmatched.append((content[0].start, content[-1].end))
    items: list[tuple[int, ParsedItem]] = []
    for seg in requests:
        chosen, candidates, conflicts = _choose(seg, index)
        start, end = _span(seg.tokens) or (seg.tokens[0].start, seg.tokens[-1].end)
        paint.append((start, end, "item"))
        paint += [(s, e, "item") for s, e in filter(None, map(_span, seg.extra))]
        unmatched += [(t.start, t.end) for t in conflicts]
        if seg.children and chosen is None and not any(t.optionish for t in seg.tokens):
            continue  # a heading ("2 scarves: one red, one blue"); its children are the items
        qty = next((t.value for t in seg.tokens if t.kind == "qty"), 0)
        dual = any(t.used and t.look.dual for t in seg.tokens)
        confidence = seg.quality * (0.6 + 0.4 * min(1.0, seg.coverage))
        confidence *= (1.0 if chosen else 0.5) * (0.8 if conflicts else 1.0)
        confidence *= 0.9 if chosen and len(seg.products) > 1 else 1.0
        item = ParsedItem(
            chosen, qty or (2 if dual else 1), text[start:end], candidates, round(confidence, 2)
        )
        items.append((start, item))
    return [item for _start, item in sorted(items, key=lambda pair: pair[0])], paint, unmatched


def _paint(text: str, regions: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Cut `text` into (kind, piece) runs; later regions win where they overlap."""
    kinds = ["text"] * len(text)
    for start, end, kind in regions:
        kinds[start:end] = [kind] * (end - start)
    spans: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or kinds[i] != kinds[start]:
            spans.append((kinds[start], text[start:i]))
            start = i
    return spans


def _address_text(
    text: str, regions: list[tuple[int, int]], claims: list[tuple[int, int, str]]
) -> str | None:
    """The address regions joined and cleaned: no phones/handles/emoji, tidy commas."""
    if not regions:
        return None
    chars = list(text)
    for start, end, kind in claims:
        if kind != "map":
            chars[start:end] = [" "] * (end - start)
    parts = []
    for start, end in sorted(regions):
        piece = "".join(
            c
            for c in chars[start:end]
            if c == "\n"
            or (unicodedata.category(c) not in ("So", "Sk", "Cc", "Cf") and c not in "\ufe0f\u20e3")
        )
        piece = re.sub(r"\s*\n\s*", ", ", piece)
        piece = re.sub(r"\s+", " ", piece)
        piece = re.sub(r"\s*([,،])(?:\s*[,،])*\s*", r"\1 ", piece)
        piece = re.sub("^لل", "ال", piece.strip(" ,،;:.-|/"))  # "للشارقة" (to Sharjah) -> "الشارقة"
        if piece and piece not in parts:
            parts.append(piece)
    return ", ".join(parts) or None
