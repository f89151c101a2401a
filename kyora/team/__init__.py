"""Team: invitations, roles, member removal, ownership transfer and the security audit log."""


def init_app(app) -> None:
    from kyora.team import views

    views.init_app(app)
