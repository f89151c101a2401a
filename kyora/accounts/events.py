"""Signals sent by the accounts domain (higher domains and the audit log listen)."""

from blinker import Namespace

_signals = Namespace()

user_registered = _signals.signal("user-registered")
email_verified = _signals.signal("email-verified")
logged_in = _signals.signal("logged-in")
login_failed = _signals.signal("login-failed")
password_changed = _signals.signal("password-changed")
email_changed = _signals.signal("email-changed")
