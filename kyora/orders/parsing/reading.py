"""The main pass: a message's tokens into requested items, and the result.

Lines are cut into clauses ("and", ",", "+", "و") and clauses into pieces at quantities
and new product nouns; each piece picks its product(s), then the variant whose option
values it mentions. Pieces with only options ("size M", "one red") join a product.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kyora.orders.parsing import words as w
from kyora.orders.parsing.addresses import address_text, find_addresses
from kyora.orders.parsing.catalog import CatalogIndex
from kyora.orders.parsing.entities import (
    Token,
    find_entities,
    merge_tokens,
    normalise,
    split_at,
    tokenize,
)


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


@dataclass
class _Seg:
    tokens: list[Token]
    products: list[int] = field(default_factory=list)
    coverage: float = 0.0
    quality: float = 0.0
    extra: list[list[Token]] = field(default_factory=list)  # option-only pieces said apart
    parent: _Seg | None = None  # "2 abayas: one black, one beige" -> each "one ..." has a parent
    children: int = 0


def parse_message(text: str, index: CatalogIndex, default_region: str = "AE") -> ParsedMessage:
    """Phones, handles, emails, items, address and unmatched words found in a pasted message."""
    text = normalise(text)
    masked, claims, found = find_entities(text, default_region)
    tokens = tokenize(text, masked, claims, index)
    regions, lines = find_addresses(split_at(tokens, ("line",)))
    segments: list[_Seg] = []
    for line in lines:
        for clause in split_at(merge_tokens(line), ("sep",)):
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
        address=address_text(text, regions, claims),
        unmatched=list(dict.fromkeys(text[s:e] for s, e in sorted(unmatched))),
        spans=_paint(text, paint),
    )


def _segments(clause: list[Token], index: CatalogIndex) -> list[_Seg]:
    """Cut a clause into one piece per requested item ("2 red scarves 1 cap" -> 2 pieces)."""
    anchors_after = [0] * (len(clause) + 1)
    for i in range(len(clause) - 1, -1, -1):
        anchors_after[i] = anchors_after[i + 1] + clause[i].anchor
    pieces: list[list[Token]] = [[]]
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


def _products_of(tok: Token, index: CatalogIndex) -> set[int]:
    if tok.sku:
        return {tok.sku[0]}
    return {p for name, _q in tok.look.names for p in index.by_word.get(name, ())}


def _trailing_words(piece: list[Token], index: CatalogIndex) -> list[Token]:
    """Words at the end of a piece that describe the next product ("... black cap",
    "... lavender candle"). English puts them before the noun; Arabic after, so they stay."""
    moved: list[Token] = []
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
    hits: dict[int, dict[str, tuple[float, Token]]] = {}
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


def _concepts(tokens: list[Token]) -> dict[int, set[str]]:
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


def _said(seg: _Seg) -> tuple[list[Token], dict[int, set[str]], set[str]]:
    tokens = seg.tokens + [t for piece in seg.extra for t in piece]
    per_token = _concepts(tokens)
    return tokens, per_token, set().union(*per_token.values()) if per_token else set()


def _choose(seg: _Seg, index: CatalogIndex) -> tuple[int | None, list[int], list[Token]]:
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


def _span(tokens: list[Token]) -> tuple[int, int] | None:
    marked = [t for t in tokens if t.kind in ("qty", "measure") or t.used or t.optionish or t.label]
    return (marked[0].start, marked[-1].end) if marked else None


def _unknown(seg: _Seg) -> list[Token]:
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
