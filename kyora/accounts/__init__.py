"""Accounts: workspaces, users, sign-up, login, sessions, passwords and email changes."""


def init_app(app) -> None:
    from kyora.accounts import views

    views.init_app(app)
