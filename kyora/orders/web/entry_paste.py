"""What a pasted message tells the entry form beyond its items: who wrote it (a name from
the message or the handle), where it came from (the channel) and which delivery zone's
city it names. Pure: text and zones in, values out.
"""

from __future__ import annotations

import re

from kyora.customers.identity import search_text

# "this is Mona", "I'm Mona Khalil", "my name is Mona", "اسمي منى", "معك منى".
_NAME_RE = re.compile(
    r"(?:\bthis is|\bi am|\bi'm|\bim|\bmy name is|\bname\s*:|اسمي|الاسم\s*:|معك|معاك)"
    r"\s+([^\W\d_][^\W\d_'-]*(?:[ '-][^\W\d_][^\W\d_'-]*)?)",
    re.IGNORECASE,
)
# Words that follow "I'm" without being a name ("I'm looking for", "I'm in Dubai").
_NOT_NAMES = frozenset(
    [
        "looking",
        "interested",
        "in",
        "at",
        "from",
        "here",
        "ordering",
        "wondering",
        "asking",
        "trying",
        "going",
        "not",
        "sorry",
        "so",
        "very",
        "ready",
        "back",
        "waiting",
        "the",
        "a",
        "an",
        "and",
        "please",
        "ابي",
        "أبي",
        "ابغى",
        "أبغى",
        "ابغي",
        "بدي",
        "اريد",
        "أريد",
        "ودي",
        "حابة",
        "حاب",
        "ممكن",
        "و",
    ]
)
_TIKTOK_RE = re.compile(r"tiktok|تيك ?توك", re.IGNORECASE)
_INSTAGRAM_RE = re.compile(r"instagram\.com|instagr\.am|\binsta(?:gram)?\b|انستا", re.IGNORECASE)
_SNAPCHAT_RE = re.compile(r"snapchat\.com|\bsnap(?:chat)?\b|سناب", re.IGNORECASE)
_FACEBOOK_RE = re.compile(r"facebook\.com|fb\.com|\bfacebook\b|فيسبوك", re.IGNORECASE)


def name_from_message(text: str) -> str:
    """The name the writer gives ("Hi, this is Mona K") or ""."""
    for match in _NAME_RE.finditer(text or ""):
        words = match.group(1).split()
        while words and words[-1].lower() in _NOT_NAMES:
            words.pop()
        if words and words[0].lower() not in _NOT_NAMES:
            return " ".join(word[:1].upper() + word[1:] for word in words)[:120]
    return ""


def name_from_handle(handle: str) -> str:
    """A readable name from a handle: "@mona.k" -> "Mona K", "layla_haddad92" -> "Layla Haddad"."""
    words = [word for word in re.split(r"[._\d]+", (handle or "").lstrip("@")) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words)[:120]


def infer_channel(text: str, phones: list[str], handles: list[str]) -> str | None:
    """The channel a message came from: a TikTok, Snapchat or Facebook mention or link
    says so; an Instagram link or any @handle means Instagram; a phone number alone
    means WhatsApp. None when the message does not say."""
    text = text or ""
    if _TIKTOK_RE.search(text):
        return "tiktok"
    if _SNAPCHAT_RE.search(text):
        return "snapchat"
    if _FACEBOOK_RE.search(text):
        return "facebook"
    if handles or _INSTAGRAM_RE.search(text):
        return "instagram"
    if phones:
        return "whatsapp"
    return None


def match_city(zones, address: str | None):
    """(zone, city) for the longest city or area of a zone that the address names, or
    (None, "")."""
    text = search_text(address)
    if not text:
        return None, ""
    padded = f" {text} "
    best = (None, "")
    for zone in zones:
        for city in zone.city_list:
            folded = search_text(city)
            if folded and f" {folded} " in padded and len(city) > len(best[1]):
                best = (zone, city)
    return best
