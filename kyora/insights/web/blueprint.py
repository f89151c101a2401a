"""The insights pages' blueprints; view modules attach to them.

- `bp`: a business's analytics (/b/<handle>/insights/...)
- `workspace_bp`: the overview of every business of the workspace (/overview)
"""

from flask import Blueprint

from kyora.core.tenancy import business_blueprint

bp = business_blueprint("insights", __name__, url_prefix="/insights")
workspace_bp = Blueprint("overview", __name__)
