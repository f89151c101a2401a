"""How customers are recognised: normalised handles, emails, names and tags.

Pure functions (no app, no database), so the rules are easy to test. Phones are
normalised by `kyora.core.phones.normalize_phone`; everything else lives here.
Functions raise `ValueError` for input that cannot be normalised; services turn
that into a translated message beside the field.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from kyora.core.money import normalize_digits

# Platforms a customer can be reached on, in the order the form shows them.
# The value is the Customer column that holds the handle.
PLATFORMS = ("instagram", "tiktok", "facebook", "snapchat", "x_handle")

HANDLE_MAX = 60
_HANDLE_RE = re.compile(r"^[a-z0-9._-]{1,60}$")
_HOSTS = {
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "tiktok.com": "tiktok",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "m.me": "facebook",
    "snapchat.com": "snapchat",
    "twitter.com": "x_handle",
    "x.com": "x_handle",
}
# Path words that come before the user name in profile links (instagram.com/stories/sara).
_PATH_PREFIXES = {"add", "stories", "p", "reel", "u", "t", "people", "profile.php"}

_PROFILE_URLS = {
    "instagram": "https://www.instagram.com/{}/",
    "tiktok": "https://www.tiktok.com/@{}",
    "facebook": "https://www.facebook.com/{}",
    "snapchat": "https://www.snapchat.com/add/{}",
    "x_handle": "https://x.com/{}",
}

# Arabic letter variants people type interchangeably; folded for name comparison.
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": None}
)
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670]")


def normalize_handle(raw: str | None, platform: str = "instagram") -> str | None:
    """A bare, lower-case handle from what was typed or pasted; None when blank.

    "@Sara.Designs", "instagram.com/sara.designs/" and
    "https://www.tiktok.com/@sara.designs/video/1" all give "sara.designs".
    Raises ValueError when the result is not handle-shaped.
    """
    text = normalize_digits((raw or "").strip())
    if not text:
        return None
    if "/" in text or text.lower().startswith(("http:", "https:", "www.")):
        text = _handle_from_url(text)
    handle = text.strip().lstrip("@").strip().lower()
    if not handle:
        return None
    if not _HANDLE_RE.match(handle):
        raise ValueError("not a handle")
    return handle


def _handle_from_url(text: str) -> str:
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and segments[0].lower() == "profile.php":
        # Facebook profiles without a user name: facebook.com/profile.php?id=1000123
        ids = parse_qs(parts.query).get("id")
        return ids[0] if ids else ""
    while segments and segments[0].lower() in _PATH_PREFIXES:
        segments = segments[1:]
    return segments[0] if segments else ""


def platform_from_url(raw: str | None) -> str | None:
    """Which platform a pasted profile link belongs to ("instagram", ...), if any."""
    text = (raw or "").strip().lower()
    if "/" not in text:
        return None
    host = urlsplit(text if "://" in text else "https://" + text).hostname or ""
    host = host.removeprefix("www.").removeprefix("m.") if host != "m.me" else host
    return _HOSTS.get(host)


def profile_url(platform: str, handle: str | None) -> str | None:
    """The public profile link of `handle` on `platform`."""
    if not handle or platform not in _PROFILE_URLS:
        return None
    return _PROFILE_URLS[platform].format(handle)


def normalize_email(raw: str | None) -> str | None:
    """A validated, lower-case email address (no DNS lookups); None when blank."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError("not an email address") from exc
    return result.normalized.lower()


def clean_name(raw: str | None) -> str:
    """The name as it will be shown: trimmed, inner whitespace collapsed."""
    return " ".join((raw or "").split())


def search_text(raw: str | None) -> str:
    """A name folded for searching: lower case, no accents or Arabic marks, single spaces."""
    text = unicodedata.normalize("NFKD", normalize_digits(raw or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD).lower()
    text = re.sub(r"[^\w\s]+", " ", text).replace("_", " ")
    return " ".join(text.split())


def name_key(raw: str | None) -> str:
    """Duplicate-detection key: the folded name's words in sorted order.

    "Sara Ali", "ali  SARA" and "Sára Ali" share the key "ali sara".
    """
    return " ".join(sorted(search_text(raw).split()))


_SOUND_REPLACEMENTS = (("ph", "f"), ("oo", "u"), ("ou", "u"), ("ee", "i"))
_ARTICLES = {"al", "el"}


def name_sound(raw: str | None) -> str:
    """A looser key for names spelled differently but said the same way.

    Joins articles ("Al Mansoori" / "Almansoori"), folds common transliteration
    variants (ou/oo -> u, ee -> i, doubled letters, a final h) and sorts the
    words: "Sarah Al-Mansouri" and "sara almansoori" share one sound key.
    """
    words = search_text(raw).split()
    joined: list[str] = []
    for index, word in enumerate(words):
        if word in _ARTICLES and index + 1 < len(words):
            continue
        if index and words[index - 1] in _ARTICLES:
            word = "al" + word
        joined.append(word)
    sounds = []
    for word in joined:
        for old, new in _SOUND_REPLACEMENTS:
            word = word.replace(old, new)
        word = re.sub(r"(.)\1+", r"\1", word)
        if len(word) > 3 and word.endswith("h"):
            word = word[:-1]
        if len(word) > 2 and word.endswith("y"):
            word = word[:-1] + "i"
        sounds.append(word)
    return " ".join(sorted(sounds))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance between `a` and `b`, stopping early above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def similar_names(key_a: str, key_b: str) -> bool:
    """Whether two name keys are probably the same person ("sara ali" / "ali sarah")."""
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    shortest = min(len(key_a), len(key_b))
    if shortest < 5:
        return False
    allowed = 1 if shortest < 10 else 2
    return edit_distance(key_a, key_b, limit=allowed) <= allowed


TAG_MAX = 30
TAGS_MAX = 20


def parse_tags(raw: str | list[str] | None) -> list[str]:
    """Tags from "VIP, wholesale  #eid": lower case, no '#', unique, in typed order.

    Raises ValueError when a tag is too long or there are too many.
    """
    parts = raw if isinstance(raw, list) else re.split(r"[,،;\n]+", raw or "")
    tags: list[str] = []
    for part in parts:
        tag = " ".join(part.replace("#", " ").split()).lower()
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX:
            raise ValueError("tag too long")
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValueError("too many tags")
    return tags


def phone_digits_query(text: str) -> str | None:
    """The digits to look for in stored E.164 phones when someone searches `text`.

    "050 123" -> "50123" (a local trunk zero is not part of the E.164 form).
    None when the text is not mostly digits.
    """
    text = normalize_digits(text or "").strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 3 or len(digits) < len(re.sub(r"[\s()+\-.]", "", text)):
        return None
    return digits.lstrip("0") or None


def phone_region(e164: str | None) -> str | None:
    """The country (ISO alpha-2) a stored E.164 number belongs to, if known."""
    if not e164:
        return None
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None
    return region if region and region != "ZZ" else None
