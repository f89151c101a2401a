"""The billing forms: a plan choice (the plan step and the billing page share it)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class PlanForm(FlaskForm):
    """One button per plan posts its key; the service checks the key."""

    plan = HiddenField()


class PortalForm(FlaskForm):
    """The "Manage card and invoices" button (CSRF only)."""
