"""Page numbers for paginated lists."""

from __future__ import annotations

from math import ceil


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
