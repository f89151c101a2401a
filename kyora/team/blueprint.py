"""The team blueprints: the team pages (`team`) and the public invitation page
(`invitations`). Views attach to them in views.py."""

from flask import Blueprint

bp = Blueprint("team", __name__, url_prefix="/settings/team")
invitations_bp = Blueprint("invitations", __name__, url_prefix="/invitations")
