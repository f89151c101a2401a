"""Accounts: workspaces, users, sign-up, login, sessions, passwords and email changes.

Where things are:
- `models.py`: Workspace, User, UserSession (server-side login sessions), OneTimeToken
  (email codes and links, stored hashed), OAuthIdentity.
- `services.py`: the accounts API for other domains: register, verify, authenticate,
  passwords, profile and email changes (flush, never commit).
- `sessions.py`: login sessions: `start_session(user)` after any sign-in, the loader
  that resolves the cookie on each request, revoking sessions.
- `passwords.py`: argon2id hashing and the password rules (length, common passwords).
- `google.py`: Google sign-in (OpenID Connect through Authlib) and its routes.
- `events.py`: signals (logged_in, login_failed, password_changed...) the team audit
  log listens to.
- `deletion.py`: deleting a workspace after a grace period; `jobs.py` runs it hourly.
- `web/`: the pages: `auth.py` (sign-up, verify, login, logout, reset), `account.py`
  (profile, password, email, sessions, language), `workspace.py` (the owner's full
  data export, built by `core/export.py`), `forms.py`, `blueprint.py`.

May import: `kyora.core` only.
"""


def init_app(app) -> None:
    """Register the accounts pages, Google sign-in and the session loader."""
    # Importing `jobs` declares the periodic deletion of due workspaces.
    from kyora.accounts import google, jobs, sessions  # noqa: F401
    from kyora.accounts.web import account, auth, workspace  # noqa: F401  (attach the views)
    from kyora.accounts.web.blueprint import bp

    app.register_blueprint(bp)
    google.init_app(app)
    sessions.init_app(app)
