"""The customers blueprint (/b/<handle>/customers); views attach to it in views.py."""

from kyora.core.tenancy import business_blueprint

bp = business_blueprint("customers", __name__, url_prefix="/customers")
