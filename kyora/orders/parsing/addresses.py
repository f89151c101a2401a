"""Where a message gives a delivery address: after a cue ("deliver to", "العنوان", "📍"),
on the lines after a bare cue, or in clauses that name a place; and the address text.
"""

from __future__ import annotations

import re
import unicodedata

from kyora.orders.parsing import words as w
from kyora.orders.parsing.entities import Token, split_at


def _place_word(toks: list[Token], i: int) -> bool:
    """Whether toks[i] is a place or address word ("Dubai", "villa", "ابو ظبي")."""
    if i >= len(toks) or toks[i].kind != "word":
        return False
    key = toks[i].key
    pair = (key, toks[i + 1].key) if i + 1 < len(toks) else None
    return w.bare(key) in w.ADDRESS_BARE or pair in w.ADDRESS_PHRASES


def _find_cue(toks: list[Token]) -> tuple[int, int] | None:
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


def _trim(toks: list[Token]) -> list[Token]:
    """The address words of `toks`, without leading fillers ("is", "في") or trailing chatter."""
    body = [t for t in toks if t.kind in ("word", "num", "map", "qty", "measure")]
    while body and body[0].key in w.ADDRESS_FILLERS:
        body.pop(0)
    while body and body[-1].kind == "word" and (body[-1].stop or body[-1].key in w.ADDRESS_FILLERS):
        body.pop()
    return body


def _address_end(toks: list[Token], start: int) -> int:
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
            clause = split_at(toks[k:], ("sep",))[0]
            if any(t.kind in ("num", "qty") for t in clause) and any(t.anchor for t in clause):
                return k
    return len(toks)


def find_addresses(lines: list[list[Token]]) -> tuple[list[tuple[int, int]], list[list[Token]]]:
    """Address regions (after a cue, on the lines after a bare cue, or place-like clauses),
    and what is left of each line for items."""
    regions: list[tuple[int, int]] = []
    rest_lines: list[list[Token]] = []
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
            toks = [*toks[:start], Token(0, 0, ",", "sep"), *toks[stop:]]
        kept: list[Token] = []
        for clause in split_at(toks, ("sep",)):
            places = [i for i, t in enumerate(clause) if t.kind == "map" or _place_word(clause, i)]
            # "can you deliver tomorrow to Business Bay": the place starts after "to"
            lead = [
                i for i in range(places[0] if places else 0) if clause[i].key in w.ADDRESS_LEAD_INS
            ]
            body = _trim(clause[lead[-1] + 1 if lead else 0 :])
            if body and places and not any(t.anchor for t in clause):
                regions.append((body[0].start, body[-1].end))
            else:
                kept += [*clause, Token(0, 0, ",", "sep")]
        rest_lines.append(kept)
    return regions, rest_lines


def address_text(
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
