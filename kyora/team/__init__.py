"""Team: invitations, roles, member removal, ownership transfer and the security audit log.

Where things are:
- `models.py`: Invitation, AuditEvent.
- `services.py`: roles, removal, ownership transfer, the member limit check
  (`member_limit_check` lets billing answer; see events.py).
- `invitations.py`: invite, resend, revoke, accept (single use, 7 days).
- `audit.py`: the audit log and the receivers that fill it from accounts' signals.
- `queries.py`: the team page's lists.
- `jobs.py`: the hourly job that marks expired invitations.
- `views.py`, `forms.py`, `blueprint.py`: the team page (/settings/team) and the public
  invitation page.

May import: `kyora.core`, `kyora.accounts`, `kyora.businesses`.
"""


def init_app(app) -> None:
    """Register the team pages, connect the audit log, schedule the expiry job."""
    # Importing `jobs` declares its periodic job to the queue (core/jobs.py); importing
    # `views` attaches the routes to the blueprints.
    from kyora.team import audit, jobs, views  # noqa: F401
    from kyora.team.blueprint import bp, invitations_bp

    app.register_blueprint(bp)
    app.register_blueprint(invitations_bp)
    audit.connect()
