"""Page numbers for paginated lists."""

from __future__ import annotations

from math import ceil

# Far beyond any real list; keeps OFFSET inside what both engines accept.
MAX_PAGE = 100_000


def page_number(value) -> int:
    """The page asked for in a URL (`?page=`), 1 when missing or nonsense."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(1, number), MAX_PAGE)


class PageNumbers:
    """Mixin for a list page that has `total`, `page` and `per_page` attributes."""

    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
