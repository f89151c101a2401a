"""The shop's web layer.

- `blueprint.py`: the blueprints (`storefront` under /s/<handle>, `storefront_site` for
  /robots.txt, `storefront_settings` under /b/<handle>/settings/shop) and what every
  shop page shares: loading the open shop, the shopper's language, the headers.
- `views_shop.py`: the home, a category, a product, the sitemap and robots.txt.
- `views_cart.py`: the cart (add, change, remove) and the checkout.
- `views_placed.py`: the page after the order: WhatsApp hand-off, QR code, status link.
- `views_settings.py`: the seller's shop settings tab.
- `forms.py`: the WTForms of the checkout and the settings.
"""
