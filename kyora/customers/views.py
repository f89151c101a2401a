"""Customer pages: the searchable list, the customer page, forms, merge and export."""

from __future__ import annotations

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from kyora.core import i18n
from kyora.core.errors import DomainError, ValidationFailed, apply_to_form
from kyora.core.forms import options
from kyora.core.htmx import is_htmx, render_page_or_partial, trigger, wants_partial
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404, id_or_none
from kyora.customers import duplicates, queries, services
from kyora.customers.blueprint import bp
from kyora.customers.exports import export_response
from kyora.customers.forms import AddressForm, CustomerForm, MergeForm, NoteForm
from kyora.customers.merging import merge_customers
from kyora.customers.models import CHANNELS, Address, Customer
from kyora.extensions import db

# --- The list --------------------------------------------------------------------------


@bp.get("/")
@requires("view", "customers")
def index():
    """Active search, filters, sort and pages; htmx gets just the results."""
    filters = queries.CustomerFilters.from_args(request.args)
    page = queries.list_customers(g.business, filters)
    context = {"results": page, "filters": filters}
    if not wants_partial("customers-results"):
        context.update(
            channels=CHANNELS,
            countries=queries.countries_in_use(g.business),
            tags=queries.tags_in_use(g.business),
        )
    response = render_page_or_partial(
        "customers/index.html", "customers/_results.html", "customers-results", **context
    )
    if wants_partial("customers-results"):
        # The address bar shows the tidy URL of what is on screen (no empty parameters).
        response.headers["HX-Push-Url"] = url_for("customers.index", **filters.args())
    return response


@bp.get("/export.csv")
@requires("export", "customers")
def export():
    """The customers matching the list's filters, as CSV."""
    filters = queries.CustomerFilters.from_args(request.args)
    return export_response(g.business, filters)


# --- Create and edit ---------------------------------------------------------------


def _locale() -> str:
    return str(get_locale() or "en")


def _address_form(prefix: str = "address", **kwargs) -> AddressForm:
    if prefix == "address":
        # Part of the customer form, whose own token covers the request.
        kwargs.setdefault("meta", {"csrf": False})
    form = AddressForm(prefix=prefix, **kwargs)
    form.country.choices = options(i18n.country_choices(_locale()))
    if not form.country.data:
        form.country.data = g.business.country
    return form


def _show_errors(error: DomainError, form, address_form=None) -> dict:
    """Put `error` beside the right fields (rolling back); returns duplicates to link to."""
    errors = getattr(error, "errors", None)
    if address_form is not None and errors:
        address_errors = {k[8:]: v for k, v in errors.items() if k.startswith("address-")}
        if address_errors:
            apply_to_form(address_form, ValidationFailed(address_errors))
        errors = {k: v for k, v in errors.items() if not k.startswith("address-")}
        if errors:
            apply_to_form(form, ValidationFailed(errors))
    else:
        apply_to_form(form, error)
    return getattr(error, "existing", {})


@bp.get("/new")
@requires("create", "customers")
def new():
    form = CustomerForm(formdata=None)
    for key in ("name", "phone", "instagram"):
        if request.args.get(key):
            form[key].data = request.args[key][:200]
    return render_template(
        "customers/new.html", form=form, address_form=_address_form(), existing={}
    )


@bp.post("/new")
@requires("create", "customers")
def create():
    form = CustomerForm()
    address_form = _address_form()
    existing = {}
    if form.validate() & address_form.validate():
        draft = form.draft(address_form.draft() if address_form.filled else None)
        try:
            customer = services.create_customer(g.business, current_user, draft)
        except DomainError as error:
            existing = _show_errors(error, form, address_form)
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=customer.display_name), "success")
            return redirect(url_for("customers.show", customer_id=customer.id), 303)
    return (
        render_template(
            "customers/new.html", form=form, address_form=address_form, existing=existing
        ),
        422,
    )


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
@requires("edit", "customers")
def edit(customer_id: int):
    customer = get_or_404(Customer, customer_id)
    existing = {}
    if request.method == "POST":
        form = CustomerForm()
        if form.validate():
            try:
                services.update_customer(g.business, current_user, customer, form.draft())
            except DomainError as error:
                existing = _show_errors(error, form)
            else:
                db.session.commit()
                flash(_("Changes saved."), "success")
                return redirect(url_for("customers.show", customer_id=customer.id), 303)
        customer = get_or_404(Customer, customer_id)
        return render_template(
            "customers/edit.html", form=form, customer=customer, existing=existing
        ), 422
    form = CustomerForm(formdata=None, obj=customer)
    form.phone.data = customer.phone_display
    form.whatsapp.data = customer.whatsapp_display
    form.tags.data = ", ".join(customer.tag_list)
    return render_template("customers/edit.html", form=form, customer=customer, existing=existing)


@bp.post("/<int:customer_id>/delete")
@requires("delete", "customers")
def delete(customer_id: int):
    customer = get_or_404(Customer, customer_id)
    name = customer.display_name
    try:
        services.delete_customer(g.business, current_user, customer)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("customers.show", customer_id=customer_id), 303)
    db.session.commit()
    flash(_("%(name)s is deleted.", name=name), "success")
    return redirect(url_for("customers.index"), 303)


# --- The customer page ---------------------------------------------------------------


def _show_context(customer: Customer, **overrides) -> dict:
    context = {
        "customer": customer,
        "business": g.business,
        "notes": queries.customer_notes(customer),
        "duplicates": duplicates.possible_duplicates(g.business, customer),
        "note_form": NoteForm(formdata=None),
        "address_form": _address_form(prefix="new"),
    }
    context.update(overrides)
    return context


@bp.get("/<int:customer_id>")
@requires("view", "customers")
def show(customer_id: int):
    customer = get_or_404(Customer, customer_id)
    return render_template("customers/show.html", **_show_context(customer))


@bp.post("/<int:customer_id>/notes")
@requires("edit", "customers")
def add_note(customer_id: int):
    """Add a timeline note; htmx gets the updated notes, a plain form a redirect."""
    customer = get_or_404(Customer, customer_id)
    form = NoteForm()
    status = 200
    if form.validate():
        try:
            services.add_note(g.business, current_user, customer, form.body.data)
        except DomainError as error:
            apply_to_form(form, error)
            status = 422
        else:
            db.session.commit()
            if not is_htmx():
                flash(_("Note added."), "success")
                return redirect(url_for("customers.show", customer_id=customer.id) + "#notes", 303)
            form = NoteForm(formdata=None)
    else:
        status = 422
    customer = get_or_404(Customer, customer_id)
    context = _notes_context(customer, form)
    response = render_page_or_partial(
        "customers/show.html",
        "customers/_notes.html",
        "customer-notes",
        status=status,
        **(context if wants_partial("customer-notes") else _show_context(customer, note_form=form)),
    )
    return trigger(response, "customer-notes-changed") if status == 200 else response


def _notes_context(customer: Customer, form) -> dict:
    return {"customer": customer, "notes": queries.customer_notes(customer), "note_form": form}


@bp.post("/<int:customer_id>/addresses")
@requires("edit", "customers")
def add_address(customer_id: int):
    customer = get_or_404(Customer, customer_id)
    form = _address_form(prefix="new")
    status = 200
    if form.validate():
        try:
            services.add_address(g.business, current_user, customer, form.draft())
        except DomainError as error:
            apply_to_form(form, error)
            status = 422
        else:
            db.session.commit()
            if not is_htmx():
                flash(_("Address added."), "success")
                return redirect(
                    url_for("customers.show", customer_id=customer.id) + "#addresses", 303
                )
            form = _address_form(prefix="new", formdata=None)
    else:
        status = 422
    customer = get_or_404(Customer, customer_id)
    if wants_partial("customer-addresses"):
        context = {"customer": customer, "address_form": form}
    else:
        context = _show_context(customer, address_form=form)
    response = render_page_or_partial(
        "customers/show.html",
        "customers/_addresses.html",
        "customer-addresses",
        status=status,
        **context,
    )
    return trigger(response, "customers-changed") if status == 200 else response


def _load_address(customer: Customer, address_id: int) -> Address:
    address = get_or_404(Address, address_id)
    if address.customer_id != customer.id:
        abort(404)
    return address


@bp.route("/<int:customer_id>/addresses/<int:address_id>/edit", methods=["GET", "POST"])
@requires("edit", "customers")
def edit_address(customer_id: int, address_id: int):
    customer = get_or_404(Customer, customer_id)
    address = _load_address(customer, address_id)
    if request.method == "POST":
        form = _address_form(prefix="edit")
        if form.validate():
            try:
                services.update_address(g.business, current_user, address, form.draft())
            except DomainError as error:
                apply_to_form(form, error)
            else:
                db.session.commit()
                flash(_("Address saved."), "success")
                return redirect(
                    url_for("customers.show", customer_id=customer.id) + "#addresses", 303
                )
        customer = get_or_404(Customer, customer_id)
        return render_template(
            "customers/address_edit.html", form=form, customer=customer, address_id=address_id
        ), 422
    form = _address_form(prefix="edit", formdata=None, obj=address)
    return render_template(
        "customers/address_edit.html", form=form, customer=customer, address_id=address_id
    )


@bp.post("/<int:customer_id>/addresses/<int:address_id>/delete")
@requires("edit", "customers")
def delete_address(customer_id: int, address_id: int):
    customer = get_or_404(Customer, customer_id)
    services.delete_address(g.business, current_user, _load_address(customer, address_id))
    db.session.commit()
    if wants_partial("customer-addresses"):
        response = make_response(
            render_template(
                "customers/_addresses.html",
                customer=customer,
                address_form=_address_form(prefix="new"),
            )
        )
        return trigger(response, "customers-changed")
    flash(_("Address removed."), "success")
    return redirect(url_for("customers.show", customer_id=customer.id) + "#addresses", 303)


# --- Merge ---------------------------------------------------------------------------


@bp.route("/<int:customer_id>/merge", methods=["GET", "POST"])
@requires("merge", "customers")
def merge(customer_id: int):
    """Pick the other record, compare the two, confirm; then merge and open the kept one."""
    customer = get_or_404(Customer, customer_id)
    form = MergeForm()
    if request.method == "POST":
        other = get_or_404(Customer, request.form.get("other"))
        if other.id == customer.id:
            abort(404)
        pair = {customer.id: customer, other.id: other}
        keep_id = id_or_none(request.form.get("keep", customer.id)) or customer.id
        kept = pair.get(keep_id)
        if kept is None or not form.validate():
            abort(400)
        merged = other if kept is customer else customer
        merged_name = merged.display_name
        merge_customers(g.business, current_user, kept, merged)
        db.session.commit()
        flash(
            _("%(merged)s is merged into %(kept)s.", merged=merged_name, kept=kept.display_name),
            "success",
        )
        return redirect(url_for("customers.show", customer_id=kept.id), 303)

    other = None
    if request.args.get("other"):
        other = get_or_404(Customer, request.args["other"])
        if other.id == customer.id:
            other = None
    query = (request.args.get("q") or "").strip()[:100]
    candidates = []
    if other is None:
        if query:
            found = services.search_customers(g.business, query, limit=10)
            candidates = [(c.id, c.display_name, None) for c in found if c.id != customer.id]
        else:
            candidates = duplicates.possible_duplicates(g.business, customer)
    return render_page_or_partial(
        "customers/merge.html",
        "customers/_merge_candidates.html",
        "merge-candidates",
        customer=customer,
        other=other,
        candidates=candidates,
        q=query,
        form=MergeForm(formdata=None),
    )
