"""The first pass over a message: normalising it, claiming phones, handles, emails and
links, then cutting the rest into tokens with quantities ("2 pcs", "x2", "qty: 3") and
measures ("100 ml") joined into single tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

from kyora.core.money import normalize_digits
from kyora.core.phones import normalize_phone
from kyora.orders.parsing import words as w
from kyora.orders.parsing.catalog import (
    CANON,
    EMPTY_LOOKUP,
    WORD_RE,
    CatalogEntry,
    CatalogIndex,
    Lookup,
    canon,
    is_stop,
    measure_key,
)
from kyora.orders.parsing.words import fold

_TOKEN_RE = re.compile(
    rf"(?P<word>{WORD_RE.pattern})|(?P<line>\n)|(?P<sep>[,،;؛+!?|]|\.(?!\d)|&)"
    r"|(?P<times>[×*])|(?P<colon>:)|(?P<pin>📍)"
)
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
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


@dataclass
class Token:
    start: int
    end: int
    key: str
    kind: str  # word | num | qty | measure | map | sep | line | times | colon | pin
    value: int = 0
    hint: str = ""  # for quantities: word | bare | post | either
    look: Lookup = EMPTY_LOOKUP
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


def normalise(text: str) -> str:
    """The text every offset refers to: NFKC, ASCII digits, LF line breaks, no invisible
    direction marks, no outer whitespace."""
    text = normalize_digits(unicodedata.normalize("NFKC", text or ""))
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return text.strip()


def find_entities(
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


def _classify(start: int, end: int, key: str, index: CatalogIndex) -> Token:
    tok = Token(start, end, key, "word")
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
    elif measure := measure_key(key):
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
        tok.stop = is_stop(key)
        if not tok.stop:
            tok.look = index.lookup(key)
    return tok


def _known(key: str, index: CatalogIndex) -> bool:
    return key in CANON or key in index.name_keys or is_stop(key) or key in w.NUMBER_WORDS


def tokenize(
    text: str, masked: str, claims: list[tuple[int, int, str]], index: CatalogIndex
) -> list[Token]:
    """Words, numbers and separators of the message, outside phones/handles/emails/links."""
    tokens = [Token(s, e, "", "map") for s, e, kind in claims if kind == "map"]
    for match in _TOKEN_RE.finditer(masked):
        start, end, kind = match.start(), match.end(), match.lastgroup or "sep"
        if kind != "word":
            tokens.append(Token(start, end, match[0], kind))
            continue
        key = fold(text[start:end])
        rest = key[1:]
        # A leading "و" is "and": "و٢ كاب", "وشيلة سودا" are a new request.
        if key[:1] == "و" and len(key) >= 2 and not _known(key, index):
            tail = _classify(start + 1, end, rest, index)
            if tail.kind in ("num", "qty") or tail.anchor:
                tokens += [Token(start, start + 1, "و", "sep"), tail]
                continue
        tokens.append(_classify(start, end, key, index))
    return sorted(tokens, key=lambda t: t.start)


def merge_tokens(tokens: list[Token]) -> list[Token]:
    """Join "2 pcs", "x 2", "qty: 3", "100 ml", "size: M" into single meaningful tokens."""
    out: list[Token] = []
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
                joined = Token(tok.start, nxt.end, "", "measure", option=f"{tok.value}{unit}")
            elif nxt.key in w.QTY_UNITS:
                joined = Token(tok.start, nxt.end, "", "qty", tok.value, "either")
        elif tok.kind == "num" and nxt and nxt.kind == "times":
            joined = Token(tok.start, nxt.end, "", "qty", tok.value, "either")
        elif tok.kind == "times" and nxt and nxt.kind == "num":
            joined = Token(tok.start, nxt.end, "", "qty", nxt.value, "post")
        elif tok.label == "qty" and after and after.kind == "num":
            joined, width = Token(tok.start, after.end, "", "qty", after.value, "post"), j - i + 1
        elif tok.label == "option" and after and after.kind in ("word", "num", "qty"):
            if after.kind != "word":
                after.kind, after.option = "word", str(after.value)
            else:
                after.option = min(after.look.concepts, default=None) or canon(after.key)
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


def split_at(tokens: list[Token], kinds: tuple[str, ...]) -> list[list[Token]]:
    """Cut `tokens` at the tokens of `kinds` (which are dropped)."""
    parts: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.kind in kinds:
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts
