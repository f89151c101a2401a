"""Fixed colour pairs in Kyora's own stylesheets are readable: every rule that sets both a
text colour and a background as plain hex colours meets WCAG AA for normal text (4.5:1).

Brand colours chosen by the seller are checked where they are used (the storefront
picks black or white text for them); this covers the colours written in the CSS files,
such as the WhatsApp buttons."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[3] / "static" / "css"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"
TEXT = re.compile(rf"(?:^|;)\s*color:\s*({HEX})")
BACKGROUND = re.compile(rf"(?:^|;)\s*background(?:-color)?:\s*({HEX})\s*(?:;|$)")


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _pairs(path: Path):
    for selector, body in RULE.findall(path.read_text()):
        text, background = TEXT.search(body), BACKGROUND.search(body)
        if text and background:
            yield selector.strip(), text.group(1), background.group(1)


def test_contrast_formula_matches_wcag():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#128c4b", "#ffffff") < 4.5  # the old WhatsApp green failed


def test_fixed_text_and_background_pairs_are_readable():
    pairs = {path.name: list(_pairs(path)) for path in sorted(STATIC.glob("*.css"))}
    # The control: the pattern still reads the stylesheets that set such pairs.
    assert pairs["storefront.css"] and pairs["orders.css"] and pairs["customers.css"]
    poor = [
        f"{name} {selector}: {text} on {background} = {contrast(text, background):.2f}"
        for name, found in pairs.items()
        for selector, text, background in found
        if contrast(text, background) < 4.5
    ]
    assert not poor, poor
