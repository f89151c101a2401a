"""The catalog as the message reader sees it: name words, option concepts, SKUs, typos.

`build_index(catalog)` runs once per request; `CatalogIndex.lookup(word)` then says
which product-name words and option concepts ("red", "M", "100ml") a message word may
mean, with plural, Arabic prefix/suffix and bounded-typo tolerance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kyora.orders.parsing import words as w
from kyora.orders.parsing.words import fold


@dataclass(frozen=True)
class CatalogEntry:
    """One sellable variant: its product's name, option values ("M", "Red") and SKU."""

    variant_id: int
    product_name: str
    option_values: tuple[str, ...] = ()
    sku: str | None = None


CANON = {**w.NOUN_SYNONYMS, **w.OPTION_SYNONYMS}
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_WORD = rf"(?:[^\W_]|[{_MARKS}])"
WORD_RE = re.compile(rf"{_WORD}+(?:(?:['’\-]|(?<=\d)\.(?=\d)){_WORD}+)*")
_MEASURE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*([^\W\d_]+)")


def measure_key(key: str) -> str | None:
    """The option key of an amount with a unit ("100 ml", "100مل" -> "100ml"), else None."""
    match = _MEASURE_RE.fullmatch(key)
    if match and match[2] in w.MEASURE_UNITS:
        return match[1] + w.MEASURE_UNITS[match[2]]
    return None


def canon(key: str) -> str:
    """The canonical key of a word ("scarves", "شال" -> "scarf"), else the word itself."""
    for form, _quality, _dual in w.word_forms(key):
        if form in CANON:
            return CANON[form]
    return key


def is_stop(key: str) -> bool:
    """Whether a folded word is chatter ("please", "the"), with or without an Arabic prefix."""
    return key in w.STOPWORDS or (w.is_arabic(key) and w.strip_prefix(key) in w.STOPWORDS)


@dataclass(frozen=True)
class Lookup:
    names: tuple[tuple[str, float], ...] = ()  # (canonical name word, match quality)
    concepts: frozenset[str] = frozenset()
    dual: bool = False


EMPTY_LOOKUP = Lookup()


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


_BUILTIN_FUZZY = _fuzzy_table(k for k in CANON if " " not in k)


class CatalogIndex:
    """What `parse_message` needs from a catalog: names, options, SKUs and a typo table."""

    def __init__(self, catalog: Iterable[CatalogEntry]) -> None:
        self.products: list[_Product] = []
        self.name_keys: dict[str, str] = {}  # how a name word may be written -> canonical word
        self.by_word: dict[str, list[int]] = {}  # canonical name word -> product positions
        self.heads: set[str] = set()  # name words that are a product's main noun
        self.concepts: set[str] = set(w.OPTION_SYNONYMS.values())
        self.skus: dict[str, tuple[int, CatalogEntry]] = {}
        self._cache: dict[str, Lookup] = {}
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
        tokens = [t for t in WORD_RE.findall(name) if not t.isdigit()]
        significant = [t for t in tokens if not is_stop(t)] or tokens or [name]
        weights: dict[str, int] = {}
        for token in significant:
            canonical = canon(token)
            weights[canonical] = 1
            self.name_keys[token] = self.name_keys[canonical] = canonical
            for form, _quality, _dual in w.word_forms(token)[1:]:
                if len(form) >= 3:
                    self.name_keys.setdefault(form, canonical)
        if len(weights) > 1:
            # English puts the noun last ("Silk Scarf"), Arabic first ("شيلة شيفون").
            head = canon(significant[0] if w.is_arabic(name) else significant[-1])
            weights[head] = 2
        return weights

    def lookup(self, key: str) -> Lookup:
        """Catalog name words and option concepts that the message word `key` may mean."""
        found = self._cache.get(key)
        if found is None:
            found = self._exact(key)
            if found is EMPTY_LOOKUP and len(key) >= 4 and not key.isdigit():
                found = self._typo(key)
            self._cache[key] = found
        return found

    def _exact(self, key: str, factor: float = 1.0) -> Lookup:
        for form, quality, dual in w.word_forms(key):
            canonical = CANON.get(form, form)
            name = self.name_keys.get(canonical) or self.name_keys.get(form)
            concepts = frozenset({canonical} & self.concepts)
            if name or concepts:
                names = ((name, round(quality * factor, 3)),) if name else ()
                return Lookup(names, concepts, dual)
        return EMPTY_LOOKUP

    def _typo(self, key: str) -> Lookup:
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
            return EMPTY_LOOKUP
        nearest = min(best.values())
        names: dict[str, float] = {}
        concepts: set[str] = set()
        for target in sorted(t for t, d in best.items() if d == nearest):
            found = self._exact(target, 0.8 if nearest == 1 else 0.65)
            for name, quality in found.names:
                names[name] = max(quality, names.get(name, 0.0))
            concepts |= found.concepts
        return Lookup(tuple(sorted(names.items())), frozenset(concepts))


def _option_concepts(value: str) -> tuple[str, ...]:
    """The concepts a customer must mention to pick an option value ("Red" -> ("red",))."""
    key = " ".join(fold(value).split())
    if measure := measure_key(key.replace(" ", "")):
        return (measure,)
    if key in CANON:
        return (CANON[key],)
    tokens = [t for t in WORD_RE.findall(key) if t not in w.OPTION_LABELS]
    return tuple(canon(t) for t in tokens) or (key,)


def build_index(catalog: Iterable[CatalogEntry]) -> CatalogIndex:
    """Precompute the lookup tables for `catalog` (once per request, reused per message)."""
    return CatalogIndex(catalog)
