"""The inventory blueprint: product pages under /b/<handle>/products.

The view modules of `kyora.inventory.web` add their routes to it; this module
imports none of them.
"""

from kyora.core.tenancy import business_blueprint

bp = business_blueprint("inventory", __name__, url_prefix="/products")
