"""Sign-up answers the same whether or not the email already has an account.

A new address gets an account, a login and a code. An address that already has an
account gets no account and no login: its owner is emailed instead, and the browser
sees the very same "check your email" page, where every code is wrong in exactly the
words and counts a real code has. What happened is told only to the mailbox.
The state of that page lives in the signed session cookie (`PENDING`).
"""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from kyora.accounts import services
from kyora.accounts.web.forms import CodeForm
from kyora.extensions import db

PENDING = "signup_elsewhere"


def start(email: str) -> None:
    """After a sign-up with a taken address: tell its owner, remember the page's state."""
    services.tell_about_existing_account(email)
    db.session.commit()
    session[PENDING] = {"email": email, "sent": time.time(), "tries": 0, "codes": 1}


def pending() -> dict | None:
    return session.get(PENDING)


def _wait(state: dict) -> int:
    left = state["sent"] + services.RESEND_AFTER.total_seconds() - time.time()
    return max(0, int(left + 0.999))


def _page(form, state: dict, status: int = 200):
    body = render_template(
        "accounts/verify.html", form=form, wait=_wait(state), email=state["email"]
    )
    return body, status


def verify(state: dict, posted: bool):
    """The code page for a taken address: the form, and a wrong answer to any code."""
    form = CodeForm()
    if not posted:
        return _page(form, state)
    if not form.validate():
        return _page(form, state, 422)
    state["tries"] += 1
    session[PENDING] = state
    left = services.MAX_CODE_ATTEMPTS - state["tries"]
    if left <= 0:
        message = _("Too many wrong tries. Ask for a new code.")
    else:
        message = _("That code is not right. %(left)d tries left.", left=left)
    form.code.errors = [*form.code.errors, message]
    return _page(form, state, 422)


def resend(state: dict):
    """ "Send a new code" for a taken address: the same waits and limits as a real one."""
    wait = _wait(state)
    problem = None
    if wait:
        problem = _("You can ask for a new code in %(seconds)d seconds.", seconds=wait)
    elif state["codes"] >= services.MAX_CODES_PER_DAY:
        problem = _("You have asked for many codes today. Please try again tomorrow.")
    if problem:
        form = CodeForm()
        form.code.errors = [problem]
        return _page(form, state, 429)
    services.tell_about_existing_account(state["email"])
    db.session.commit()
    session[PENDING] = {**state, "sent": time.time(), "tries": 0, "codes": state["codes"] + 1}
    flash(_("We sent you a new code."), "success")
    return redirect(url_for("accounts.verify"), 303)


def forget() -> None:
    session.pop(PENDING, None)
