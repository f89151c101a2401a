"""Team pages (/settings/team, workspace-level) and the public invitation page.

The team pages are for the owner and admins: every view is `@requires(...)`,
answering 403 to members. Rows are looked up within the current user's workspace, so another
workspace's id is a 404.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from kyora.accounts import google
from kyora.accounts.sessions import start_session
from kyora.businesses import services as businesses
from kyora.core.db import utcnow
from kyora.core.errors import DomainError, ValidationFailed, apply_to_form, render_error
from kyora.core.forms import options
from kyora.core.htmx import is_htmx, render_page_or_partial, trigger
from kyora.core.i18n import select_locale
from kyora.core.pagination import page_number
from kyora.core.permissions import can, public, requires
from kyora.core.tenancy import id_or_none
from kyora.extensions import db, limiter
from kyora.team import audit, invitations, queries, services
from kyora.team.blueprint import bp, invitations_bp
from kyora.team.forms import AcceptForm, InviteForm, RoleForm, TransferForm
from kyora.team.invitations import InvitationUnusable

ACCEPT_LIMIT = "10 per minute;50 per hour"
PARTIALS = {
    "team-members": "team/_members.html",
    "team-invitations": "team/_invitations.html",
    "invite-form": "team/_invite_form.html",
    "team-activity": "team/_activity.html",
}


@bp.before_request
def _inside_the_business():
    """The team page is the workspace's, but it sits in the user's first business: its
    navigation (no dead end on a phone) and its time zone, like every business page."""
    if current_user.is_authenticated and g.get("business") is None:
        active = businesses.list_businesses(current_user.workspace_id)
        if active:
            g.business = active[0]


def _member_limit():
    return current_app.config.get("TEAM_MEMBER_LIMIT")


def _team_context(invite_form=None, error=None, notice=None) -> dict:
    workspace_id = current_user.workspace_id
    events = []
    if can("view", "audit"):
        events, _more = audit.list_events(workspace_id, per_page=10)
    return {
        "members": queries.list_members(workspace_id),
        "invitations": queries.list_invitations(workspace_id),
        "events": events,
        "invite_form": invite_form or InviteForm(formdata=None, locale=select_locale()),
        "role_labels": services.ROLE_LABELS,
        "role_hints": services.ROLE_HINTS,
        "now": utcnow(),
        "error": error,
        "notice": notice,
    }


def _team_page(status: int = 200, **ctx):
    """The team page, or just the part an htmx request aimed at."""
    return render_page_or_partial(
        "team/index.html", PARTIALS, status=status, **_team_context(**ctx)
    )


def _done(message: str, *events: str):
    """After a change: for htmx the updated part (the others refresh on `events`), else a redirect."""
    if is_htmx():
        return trigger(_team_page(notice=message), *events, "activity-changed")
    flash(message, "success")
    return redirect(url_for("team.index"), 303)


def _refused(error: DomainError):
    db.session.rollback()
    return _team_page(error.status_code, error=error.message)


def _member_or_404(user_id: int):
    member = queries.get_member(current_user.workspace_id, user_id)
    if member is None:
        abort(404)
    return member


def _invitation_or_404(invitation_id: int):
    invitation = queries.get_invitation(current_user.workspace_id, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


# --- The team page ------------------------------------------------------------------


@bp.get("")
@requires("view", "team")
def index():
    return _team_page()


@bp.post("/invitations")
@requires("manage", "team")
def invite():
    form = InviteForm()
    if not form.validate():
        return _team_page(422, invite_form=form)
    try:
        invitations.invite_member(
            current_user.workspace,
            current_user,
            form.email.data,
            form.role.data,
            form.locale.data,
            member_limit=_member_limit(),
        )
    except DomainError as error:
        apply_to_form(form, error)
        return _team_page(error.status_code, invite_form=form)
    db.session.commit()
    return _done(
        _("Invitation sent to %(email)s.", email=form.email.data.strip()), "invitations-changed"
    )


@bp.post("/invitations/<int:invitation_id>/resend")
@requires("manage", "team")
def resend(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    try:
        invitations.resend_invitation(
            current_user.workspace, current_user, invitation, member_limit=_member_limit()
        )
    except DomainError as error:
        return _refused(error)
    db.session.commit()
    return _done(_("Invitation sent again to %(email)s.", email=invitation.email))


@bp.post("/invitations/<int:invitation_id>/revoke")
@requires("manage", "team")
def revoke(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    try:
        invitations.revoke_invitation(current_user.workspace, current_user, invitation)
    except DomainError as error:
        return _refused(error)
    db.session.commit()
    return _done(_("The invitation to %(email)s is cancelled.", email=invitation.email))


@bp.post("/members/<int:user_id>/role")
@requires("manage", "team")
def change_role(user_id: int):
    member = _member_or_404(user_id)
    form = RoleForm()
    try:
        services.change_role(current_user.workspace, current_user, member, form.role.data or "")
    except DomainError as error:
        return _refused(error)
    db.session.commit()
    return _done(
        _(
            "%(name)s is now %(role)s.",
            name=member.name,
            role=services.role_label(member.role),
        )
    )


@bp.post("/members/<int:user_id>/remove")
@requires("manage", "team")
def remove(user_id: int):
    member = _member_or_404(user_id)
    try:
        services.remove_member(current_user.workspace, current_user, member)
    except DomainError as error:
        return _refused(error)
    db.session.commit()
    return _done(_("%(name)s is no longer on the team and was logged out.", name=member.name))


@bp.route("/transfer", methods=["GET", "POST"])
@requires("transfer", "workspace")
def transfer():
    candidates = [
        member
        for member in queries.list_members(current_user.workspace_id)
        if member.id != current_user.id and member.email_verified
    ]
    form = TransferForm()
    form.new_owner.choices = options(
        (str(member.id), f"{member.name} · {member.email}") for member in candidates
    )
    ctx = {"form": form, "candidates": candidates}
    if request.method == "POST":
        target = None
        member_id = id_or_none(form.new_owner.data)
        if member_id is not None:
            target = queries.get_member(current_user.workspace_id, member_id)
        try:
            if target is None:
                raise ValidationFailed({"new_owner": _("Choose someone on your team.")})
            services.transfer_ownership(
                current_user.workspace, current_user, target, form.password.data or ""
            )
        except DomainError as error:
            apply_to_form(form, error)
            return render_template("team/transfer.html", **ctx), error.status_code
        db.session.commit()
        flash(_("%(name)s is now the owner. You are an admin.", name=target.name), "success")
        return redirect(url_for("team.index"), 303)
    return render_template("team/transfer.html", **ctx)


@bp.get("/activity")
@requires("view", "audit")
def activity():
    page = page_number(request.args.get("page"))
    events, more = audit.list_events(current_user.workspace_id, page=page, per_page=50)
    return render_template("team/activity.html", events=events, page=page, more=more)


# --- The invitation link (public) ---------------------------------------------------


def _unusable(error: InvitationUnusable):
    db.session.rollback()
    status = 404 if error.status == "unknown" else 410
    return render_template("team/invitation_invalid.html", message=error.message), status


@invitations_bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(ACCEPT_LIMIT, methods=["POST"])
@public
def show(token: str):
    """Accept an invitation with a name and password (or go on with Google)."""
    try:
        invitation = invitations.usable_invitation(token)
    except InvitationUnusable as error:
        return _unusable(error)
    ctx = {
        "invitation": invitation,
        "token": token,
        "role_label": services.role_label(invitation.role),
        "google_enabled": google.enabled(),
    }
    if current_user.is_authenticated:
        return render_template("team/invitation_signed_in.html", **ctx), 409
    form = AcceptForm()
    if request.method == "POST":
        if not form.validate():
            return render_template("team/invitation.html", form=form, **ctx), 422
        try:
            user = invitations.accept_invitation(
                invitation, form.name.data, form.password.data, select_locale()
            )
        except InvitationUnusable as error:
            return _unusable(error)
        except DomainError as error:
            apply_to_form(form, error)
            return render_template("team/invitation.html", form=form, **ctx), 422
        return _signed_in(user)
    return render_template("team/invitation.html", form=form, **ctx)


def _signed_in(user):
    start_session(user)
    db.session.commit()
    flash(_("Welcome to the team, %(name)s.", name=user.first_name), "success")
    return redirect(url_for("businesses.start"), 303)


@invitations_bp.get("/<token>/google")
@limiter.limit(ACCEPT_LIMIT)
@public
def google_start(token: str):
    try:
        invitations.usable_invitation(token)
    except InvitationUnusable as error:
        return _unusable(error)
    return google.begin_handoff(url_for("invitations.google_done", token=token))


@invitations_bp.get("/<token>/google/done")
@limiter.limit(ACCEPT_LIMIT)
@public
def google_done(token: str):
    """Where Google sends the invited person back: join with the verified identity."""
    try:
        invitation = invitations.usable_invitation(token)
    except InvitationUnusable as error:
        return _unusable(error)
    identity = google.take_verified_identity()
    if identity is None:
        return render_error(400, _("We could not confirm your Google sign-in. Please try again."))
    try:
        user = invitations.accept_invitation_with_identity(invitation, identity, select_locale())
    except InvitationUnusable as error:
        return _unusable(error)
    except DomainError as error:
        db.session.rollback()
        return render_error(error.status_code, error.message)
    return _signed_in(user)
