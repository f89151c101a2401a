"""The workspace's data: the owner downloads everything Kyora keeps for it, any time,
and may have the workspace deleted (after a grace period, with a final download)."""

from __future__ import annotations

import tempfile

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from kyora.accounts import deletion
from kyora.accounts.models import Workspace
from kyora.accounts.web.blueprint import bp
from kyora.accounts.web.forms import DeleteWorkspaceForm
from kyora.core.db import utcnow
from kyora.core.errors import DomainError, apply_to_form
from kyora.core.export import write_workspace_export
from kyora.core.permissions import requires
from kyora.core.storage import get_storage
from kyora.extensions import db

# Exports up to this size stay in memory; bigger ones spill to a temporary file.
IN_MEMORY_BYTES = 16 * 1024 * 1024


def _page(form=None, status: int = 200):
    workspace = db.session.get(Workspace, current_user.workspace_id)
    form = form or DeleteWorkspaceForm(formdata=None)
    return render_template("accounts/data.html", workspace=workspace, form=form), status


@bp.get("/account/data")
@requires("export", "workspace")
def data():
    return _page()


@bp.post("/account/data/delete")
@requires("delete", "workspace")
def delete_workspace():
    """Schedule the workspace's deletion (password needed); the owner is emailed."""
    form = DeleteWorkspaceForm()
    if not form.validate():
        return _page(form, 422)
    try:
        workspace = deletion.request_deletion(
            current_user, form.password.data, current_app.config["WORKSPACE_DELETION_GRACE"]
        )
    except DomainError as error:
        apply_to_form(form, error)
        return _page(form, 422)
    db.session.commit()
    flash(
        _(
            "%(workspace)s will be deleted on %(date)s. You can still download everything, "
            "or keep it, until then.",
            workspace=workspace.name,
            date=format_datetime(workspace.deletion_due_at, "long"),
        ),
        "warning",
    )
    return redirect(url_for("accounts.data"), 303)


@bp.post("/account/data/keep")
@requires("delete", "workspace")
def keep_workspace():
    deletion.keep_workspace(current_user)
    db.session.commit()
    flash(_("Your workspace will not be deleted."), "success")
    return redirect(url_for("accounts.data"), 303)


@bp.get("/account/data/kyora-export.zip")
@requires("export", "workspace")
def export():
    """Every table of the workspace as CSV, with its photos and receipts, in one ZIP."""
    storage = get_storage()
    # send_file closes it once the response is sent.
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    write_workspace_export(
        db.session.connection(), db.metadata, current_user.workspace_id, storage.open, out
    )
    out.seek(0)
    return send_file(
        out,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"kyora-export-{utcnow():%Y-%m-%d}.zip",
    )
