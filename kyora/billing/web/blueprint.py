"""The billing blueprints: the workspace's billing pages (`billing`) and the Stripe
webhook (`stripe`). Views attach to them in views.py and webhook.py."""

from flask import Blueprint

bp = Blueprint("billing", __name__)
