"""Billing pages: the plan step of sign-up (and its gate), the billing page, Checkout's
return, the portal.

These exist only with billing on (the blueprint is registered then). The owner changes
the plan; admins see the page read-only; members get 403.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.billing import limits, plans, services
from kyora.billing.gateway import value
from kyora.billing.web.blueprint import bp
from kyora.billing.web.forms import PlanForm, PortalForm
from kyora.core.errors import DomainError
from kyora.core.htmx import hx_redirect, is_htmx
from kyora.core.permissions import OWNER, authenticated, requires
from kyora.core.security import CSP
from kyora.extensions import db

STRIPE_PAGES = "https://checkout.stripe.com https://billing.stripe.com"


@bp.after_request
def _allow_stripe_pages(response):
    """The plan buttons post here and are redirected to Stripe's Checkout or portal
    pages: the page's form-action also allows Stripe (or the configured API host)."""
    base = current_app.config.get("STRIPE_API_BASE")
    origins = base.rstrip("/") if base else STRIPE_PAGES
    response.headers["Content-Security-Policy"] = CSP.replace(
        "form-action 'self'", f"form-action 'self' {origins}"
    )
    return response


def _return_urls() -> tuple[str, str]:
    """Where Checkout sends the user back: the return page (with the session id Stripe
    fills in) or, when they cancel, the billing page."""
    done = url_for("billing.checkout_return", _external=True) + "?session_id={CHECKOUT_SESSION_ID}"
    return done, url_for("billing.index", _external=True)


def _page(status: int = 200, error: str | None = None):
    workspace = current_user.workspace
    subscription = limits.get_subscription(workspace.id)
    context = {
        "subscription": subscription,
        "plan": limits.current_plan(subscription),
        "plans": plans.all_plans(),
        "usage": limits.usage(workspace),
        "grace_ends_at": limits.grace_ends_at(subscription),
        "writes_blocked": limits.writes_blocked(subscription),
        "invoices": services.list_invoices(subscription),
        "currency": _currency(),
        "error": error,
        "portal_form": PortalForm(),
    }
    return render_template("billing/index.html", **context), status


def _currency() -> str:
    return current_app.config["BILLING_CURRENCY"]


@bp.get("/billing")
@requires("view", "billing")
def index():
    return _page()


@bp.post("/billing/plan")
@requires("manage", "billing")
def change():
    form = PlanForm()
    if not form.validate():
        return _page(422, _("Please reload the page and try again."))
    try:
        outcome = services.change_plan(
            current_user.workspace, current_user, form.plan.data or "", _return_urls()
        )
    except DomainError as error:
        db.session.rollback()
        return _page(error.status_code, error.message)
    db.session.commit()
    if outcome.startswith("checkout:"):
        return redirect(outcome.removeprefix("checkout:"), 303)
    messages = {
        "changed": _("Your plan is changed."),
        "ends": _("Your paid plan ends at the end of this period; then you are on Starter."),
        "resumed": _("Your plan carries on."),
        "unchanged": _("You are already on this plan."),
    }
    flash(messages[outcome], "success")
    return redirect(url_for("billing.index"), 303)


@bp.post("/billing/portal")
@requires("manage", "billing")
def portal():
    if not PortalForm().validate():
        return _page(422, _("Please reload the page and try again."))
    try:
        url = services.portal_url(
            current_user.workspace, current_user, url_for("billing.index", _external=True)
        )
    except DomainError as error:
        db.session.rollback()
        return _page(error.status_code, error.message)
    return redirect(url, 303)


@bp.get("/billing/checkout/return")
@requires("manage", "billing")
def checkout_return():
    """Back from Checkout: confirm at once when Stripe says it is paid, else "activating"
    (the page asks again every few seconds; the webhook usually gets there first)."""
    session_id = request.args.get("session_id", "")
    session = services.checkout_session_for(current_user.workspace, session_id)
    if session is None:
        abort(404)
    services.fulfil_checkout(current_user.workspace_id, session)
    db.session.commit()
    subscription = limits.get_subscription(current_user.workspace_id)
    if (
        subscription is not None
        and subscription.stripe_subscription_id
        and (subscription.stripe_subscription_id == value(session, "subscription"))
    ):
        flash(
            _("%(plan)s is active. Thank you!", plan=limits.current_plan(subscription).name),
            "success",
        )
        target = url_for("billing.index")
        return hx_redirect(target) if is_htmx() else redirect(target, 303)
    template = "billing/_activating.html" if is_htmx() else "billing/activating.html"
    return render_template(template, session_id=session_id)


@bp.route("/signup/plan", methods=["GET", "POST"])
@authenticated
def choose():
    """The plan step of sign-up (the owner only; others are on the workspace's plan)."""
    if current_user.role != OWNER:
        return redirect(url_for("businesses.start"))
    if request.method == "GET":
        if limits.get_subscription(current_user.workspace_id) is not None:
            return redirect(url_for("businesses.start"))
        return render_template("billing/choose.html", plans=plans.all_plans(), currency=_currency())
    form = PlanForm()
    plan = plans.get_plan(form.plan.data) if form.validate() else None
    if plan is None:
        flash(_("Choose one of the plans shown."), "error")
        return render_template(
            "billing/choose.html", plans=plans.all_plans(), currency=_currency()
        ), 422
    try:
        if plan.is_free:
            services.choose_free_plan(current_user.workspace, current_user)
            target = url_for("businesses.start")
        else:
            target = services.start_checkout(
                current_user.workspace, current_user, plan.key, *_return_urls()
            )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_template(
            "billing/choose.html", plans=plans.all_plans(), currency=_currency()
        ), error.status_code
    db.session.commit()
    return redirect(target, 303)


# Pages a new owner may open before choosing a plan.
_BEFORE_PLAN = {"billing.choose", "billing.webhook", "static"}


@bp.before_app_request
def plan_step():
    """A new owner chooses a plan before anything else (billing on only)."""
    if request.endpoint in _BEFORE_PLAN or request.blueprint in ("accounts",):
        return None
    if not current_user.is_authenticated or current_user.role != OWNER:
        return None
    if not current_user.email_verified:
        return None
    if limits.get_subscription(current_user.workspace_id) is not None:
        return None
    target = url_for("billing.choose")
    return hx_redirect(target) if is_htmx() else redirect(target)
