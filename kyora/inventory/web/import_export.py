"""CSV import (upload, preview, confirm) and export of the catalog."""

from __future__ import annotations

import base64
import binascii

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.core.csv import csv_response
from kyora.core.db import utcnow
from kyora.core.errors import DomainError
from kyora.core.permissions import can, requires
from kyora.extensions import db
from kyora.inventory.csv.applying import apply_import
from kyora.inventory.csv.columns import COLUMNS, column_labels
from kyora.inventory.csv.export import export_rows
from kyora.inventory.csv.plan import ImportPlan
from kyora.inventory.csv.reading import plan_import, read_file
from kyora.inventory.web.blueprint import bp
from kyora.inventory.web.forms import ImportForm


def _import_page(form: ImportForm, status: int = 200, error: str | None = None):
    if error:
        form.file.errors = [error]
    return render_template("inventory/import.html", form=form, columns=column_labels()), status


def _preview(plan: ImportPlan, text: str, status: int = 200, error: str | None = None):
    form = ImportForm(formdata=None)
    form.content.data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    if error:
        form.form_errors.append(error)
    return render_template("inventory/import_preview.html", plan=plan, form=form), status


@bp.get("/import")
@requires("import", "products")
def import_form():
    return _import_page(ImportForm(formdata=None))


@bp.get("/import/template.csv")
@requires("import", "products")
def import_template():
    """A small example file with the expected columns."""
    labels = column_labels()
    header = [labels[key] for key in COLUMNS]
    rows = [
        ["Silk Scarf", "Scarves", "Colour: Red", "", "120", "45", "10", ""],
        ["Silk Scarf", "Scarves", "Colour: Black", "", "120", "45", "4", ""],
        ["Gift Box", "Packaging", "", "", "25", "8", "30", "5"],
    ]
    return csv_response("products-template.csv", header, rows)


@bp.post("/import")
@requires("import", "products")
def import_preview():
    """Read the uploaded file and show what importing it would do; nothing is written."""
    form = ImportForm()
    upload = request.files.get("file")
    text, problem = read_file(upload.read() if upload else b"")
    if problem:
        return _import_page(form, 422, problem)
    plan = plan_import(g.business, text)
    if plan.file_error:
        return _import_page(form, 422, plan.file_error)
    return _preview(plan, text, 200 if plan.ok else 422)


@bp.post("/import/confirm")
@requires("import", "products")
def import_confirm():
    """Import the previewed file, all rows or none."""
    form = ImportForm()
    try:
        text = base64.b64decode(form.content.data or "", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return _import_page(form, 422, _("The file could not be read. Please upload it again."))
    plan = plan_import(g.business, text)
    if plan.file_error:
        return _import_page(form, 422, plan.file_error)
    if not plan.ok:
        return _preview(plan, text, 422)
    try:
        done = apply_import(g.business, current_user, plan)
    except DomainError as error:
        db.session.rollback()
        plan = plan_import(g.business, text)
        return _preview(plan, text, 422, error.message)
    db.session.commit()
    flash(
        _(
            "Import done: %(created)d new, %(updated)d updated.",
            created=done["created"] + done["added"],
            updated=done["updated"],
        ),
        "success",
    )
    return redirect(url_for("inventory.index"), 303)


@bp.get("/export.csv")
@requires("export", "products")
def export():
    """Every active variant with stock (and, for who may see them, cost and value)."""
    header, rows = export_rows(g.business, include_costs=can("view", "costs"))
    filename = f"products-{g.business.handle}-{utcnow():%Y-%m-%d}.csv"
    return csv_response(filename, header, rows)
