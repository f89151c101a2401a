"""The shop's pages for shoppers and search engines: home, a category, a product,
the sitemap, and the site's robots.txt."""

from __future__ import annotations

from flask import Response, abort, g, render_template, request, url_for

from kyora.core.permissions import public
from kyora.core.tenancy import id_or_none
from kyora.storefront import catalog
from kyora.storefront.web.blueprint import bp, current_cart, site_bp
from kyora.storefront.web.page import page_context

# Cards above the fold on a phone load at once; the rest lazily.
EAGER_CARDS = 4


def _page_number() -> int:
    number = id_or_none(request.args.get("page")) or 1
    return min(number, 10_000)


def _grid(cards, page: int, endpoint: str, **values) -> dict:
    start = (page - 1) * catalog.PAGE_SIZE
    shown = cards[start : start + catalog.PAGE_SIZE]
    if page > 1 and not shown:
        abort(404)
    more = len(cards) > start + catalog.PAGE_SIZE
    return {
        "cards": shown,
        "eager": EAGER_CARDS if page == 1 else 0,
        "next_url": url_for(endpoint, page=page + 1, **values) if more else None,
        "prev_url": url_for(endpoint, page=page - 1, **values) if page > 1 else None,
    }


@bp.get("/")
@public
def home():
    """The shop: brand header, categories and the product grid (cached per shop)."""
    shelf = catalog.shelf(g.business, g.shop_settings)
    page = _page_number()
    return render_template(
        "storefront/home.html",
        shelf=shelf,
        category=None,
        grid=_grid(shelf.cards, page, "storefront.home"),
        **page_context(current_cart(), "storefront.home", page=page if page > 1 else None),
    )


@bp.get("/c/<int:category_id>")
@public
def category(category_id: int):
    """The products of one category."""
    shelf = catalog.shelf(g.business, g.shop_settings)
    names = dict(shelf.categories)
    if category_id not in names:
        abort(404)
    page = _page_number()
    return render_template(
        "storefront/home.html",
        shelf=shelf,
        category=(category_id, names[category_id]),
        grid=_grid(
            shelf.in_category(category_id), page, "storefront.category", category_id=category_id
        ),
        **page_context(
            current_cart(),
            "storefront.category",
            category_id=category_id,
            page=page if page > 1 else None,
        ),
    )


@bp.get("/p/<int:product_id>")
@public
def product(product_id: int):
    """A product: photos, description, the variant to pick with what is left of each."""
    found = id_or_none(product_id)
    item = catalog.get_product(g.business, g.shop_settings, found) if found else None
    if item is None:
        abort(404)
    variants = catalog.product_variants(item)
    if not variants:
        abort(404)
    chosen = id_or_none(request.args.get("variant"))
    in_stock = [variant for variant in variants if variant.stock > 0]
    selected = next((v for v in variants if v.id == chosen), None) or (
        in_stock[0] if in_stock else variants[0]
    )
    return render_template(
        "storefront/product.html",
        product=item,
        variants=variants,
        selected=selected,
        sold_out=not in_stock,
        photos=catalog.product_photos(item),
        threshold=g.business.low_stock_threshold,
        **page_context(current_cart(), "storefront.product", product_id=item.id),
    )


@bp.get("/sitemap.xml")
@public
def sitemap():
    """The shop's home, categories and products, for search engines."""
    shelf = catalog.shelf(g.business, g.shop_settings)
    body = render_template(
        "storefront/sitemap.xml",
        categories=[cid for cid, _name in shelf.categories],
        products=catalog.sitemap_entries(g.business, g.shop_settings),
    )
    return Response(body, mimetype="application/xml")


@site_bp.get("/robots.txt")
@public
def robots():
    """Search engines may read the shops, never the signed-in app or private links."""
    lines = [
        "User-agent: *",
        "Allow: /s/",
        "Disallow: /b/",
        "Disallow: /o/",
        "Disallow: /account",
        "Disallow: /s/*/cart",
        "Disallow: /s/*/checkout",
        "Disallow: /s/*/placed/",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
