"""The workspace's data: the owner downloads everything Kyora keeps for it, any time."""

from __future__ import annotations

import tempfile

from flask import render_template, send_file
from flask_login import current_user

from kyora.accounts.models import Workspace
from kyora.accounts.web.blueprint import bp
from kyora.core.db import utcnow
from kyora.core.export import write_workspace_export
from kyora.core.permissions import requires
from kyora.core.storage import get_storage
from kyora.extensions import db

# Exports up to this size stay in memory; bigger ones spill to a temporary file.
IN_MEMORY_BYTES = 16 * 1024 * 1024


@bp.get("/account/data")
@requires("export", "workspace")
def data():
    workspace = db.session.get(Workspace, current_user.workspace_id)
    return render_template("accounts/data.html", workspace=workspace)


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
