"""The businesses blueprints: workspace-level pages (`businesses`: onboarding, new
business, the switcher's targets) and the business home and settings under
/b/<handle> (`business`). Views attach to them in views.py."""

from flask import Blueprint

from kyora.core.tenancy import business_blueprint

bp = Blueprint("businesses", __name__)
home_bp = business_blueprint("business", __name__)
