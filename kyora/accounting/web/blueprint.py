"""The money pages' blueprint (/b/<handle>/money); view modules attach to it."""

from kyora.core.tenancy import business_blueprint

bp = business_blueprint("accounting", __name__, url_prefix="/money")
