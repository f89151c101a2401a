"""Reading the analytics pages as a person does: the text of one part of a page, cells
in reading order, and amounts written as the page writes them."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

from kyora.core.db import utcnow
from kyora.core.money import format_money


def text_of(html: str) -> str:
    """What a reader sees in `html` (tags gone, entities decoded, plain spaces)."""
    return unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


def part(response, element_id: str) -> str:
    """The text of the element with this id, up to the end of its section."""
    html = response.get_data(as_text=True)
    start = html.index(f'id="{element_id}"')
    return text_of(html[start : html.index("</section>", start)])


def row(text: str, *cells: str) -> bool:
    """The cells appear in this order in `text` (a table row read aloud)."""
    position = 0
    for cell in cells:
        position = text.find(cell, position)
        if position < 0:
            return False
        position += len(cell)
    return True


def aed(amount) -> str:
    return format_money(Decimal(amount), "AED", "en").replace("\xa0", " ")


def days_ago(days: int):
    """A moment `days` days back: an order placed then counts on that business day."""
    return utcnow() - timedelta(days=days)


def line(text: str, *cells: str) -> bool:
    """The cells appear one right after the other in `text` (one table row)."""
    words = " ".join(text.split())
    return f" {' '.join(cells)} " in f" {words} "
