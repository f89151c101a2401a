"""The weekly summary preference, shown on the profile page (slot account.profile)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.core.permissions import authenticated
from kyora.extensions import db
from kyora.insights.web.blueprint import workspace_bp
from kyora.insights.weekly import set_summary, wants_summary


def summary_section(user):
    """The profile page's "weekly summary" switch."""
    return {"weekly_enabled": wants_summary(user.id)}


@workspace_bp.post("/account/weekly-summary")
@authenticated
def weekly_summary():
    """Turn the Monday summary email on or off for the signed-in user."""
    enabled = request.form.get("weekly") == "on"
    set_summary(current_user, enabled)
    db.session.commit()
    if enabled:
        flash(_("You will get a summary every Monday morning."), "success")
    else:
        flash(_("You will not get the weekly summary any more."), "success")
    return redirect(url_for("accounts.profile"), 303)
