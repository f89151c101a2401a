"""Queued email: written to an outbox table in the caller's transaction, sent after commit.

An email is a row in `outbound_email` first, so a crash or an SMTP hiccup never
loses it: after the transaction commits a job delivers it, and a periodic job
retries whatever is still unsent. Backends: `console` (development: printed and
saved as .eml files), `memory` (tests), `smtp` (production).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, Session, mapped_column

from kyora.core.db import Base, UTCDateTime, utcnow
from kyora.core.jobs import crontab, periodic, task

log = logging.getLogger("kyora.mail")

MAX_ATTEMPTS = 8
outbox: list[EmailMessage] = []  # the memory backend's sent messages (tests)


class OutboundEmail(Base):
    __tablename__ = "outbound_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))


def after_commit(session, callback) -> None:
    """Run `callback()` once `session` commits (dropped if it rolls back)."""
    session.info.setdefault("kyora_after_commit", []).append(callback)


@sa.event.listens_for(Session, "after_commit")
def _run_after_commit(session):
    callbacks = session.info.pop("kyora_after_commit", [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # a failed enqueue is retried by the periodic job
            log.exception("after-commit callback failed")


@sa.event.listens_for(Session, "after_rollback")
def _drop_after_commit(session):
    # A savepoint rolling back (a unique-key retry, say) keeps the outer work and
    # its emails; only the whole transaction rolling back drops them.
    if session.in_nested_transaction():
        return
    session.info.pop("kyora_after_commit", None)


def queue_email(to: str, template: str, locale: str = "en", **context) -> OutboundEmail:
    """Render `emails/<template>.{txt,html}` in `locale` and queue it for `to`.

    The text template sets `subject`. The row is added to the current session;
    delivery starts after the caller's transaction commits.
    """
    from kyora.extensions import db

    # Links in emails always point at BASE_URL, whoever's request queued them.
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context("/", base_url=base_url), force_locale(locale):
        env = current_app.jinja_env
        context = {"locale": locale, "base_url": base_url, **context}
        text_module = env.get_template(f"emails/{template}.txt").make_module(context)
        subject = str(getattr(text_module, "subject", "Kyora")).strip()
        text_body = str(text_module).strip() + "\n"
        html_body = render_template(f"emails/{template}.html", subject=subject, **context)
    email = OutboundEmail(
        to=to, subject=subject, text_body=text_body, html_body=html_body, kind=template
    )
    db.session.add(email)
    db.session.flush()
    email_id = email.id
    after_commit(db.session(), lambda: deliver_email(email_id))
    return email


def _build_message(row: OutboundEmail) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = row.to
    message["Message-ID"] = make_msgid(domain="kyora.local")
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


def _send(message: EmailMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(message)
    elif backend == "console":
        folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}.eml").write_bytes(bytes(message))
        print(
            f"\n--- email to {message['To']}: {message['Subject']}\n{message.get_body(('plain',)).get_content()}---"
        )  # noqa: T201
    elif backend == "smtp":
        cfg = current_app.config
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=20) as smtp:
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls()
            if cfg["SMTP_USERNAME"]:
                smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"])
            smtp.send_message(message)
    else:
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}")


def send_pending(email_id: int) -> bool:
    """Try to deliver one queued email; True when it is (or already was) sent."""
    from kyora.extensions import db

    with Session(db.engine) as session:
        row = session.get(OutboundEmail, email_id)
        if row is None or row.sent_at is not None:
            return True
        row.attempts += 1
        try:
            _send(_build_message(row))
        except Exception as exc:  # kept for the retry job
            row.last_error = str(exc)[:500]
            row.next_attempt_at = utcnow() + timedelta(minutes=2**row.attempts)
            session.commit()
            log.warning("email %s not sent (attempt %s): %s", email_id, row.attempts, exc)
            return False
        row.sent_at = utcnow()
        row.last_error = None
        session.commit()
        return True


@task()
def deliver_email(email_id: int) -> None:
    send_pending(email_id)


@periodic(crontab(minute="*"))
def retry_unsent_emails() -> int:
    """Deliver emails still unsent whose retry time has come."""
    from kyora.extensions import db

    with Session(db.engine) as session:
        ids = session.scalars(
            sa.select(OutboundEmail.id)
            .where(
                OutboundEmail.sent_at.is_(None),
                OutboundEmail.attempts < MAX_ATTEMPTS,
                OutboundEmail.next_attempt_at <= utcnow(),
            )
            .order_by(OutboundEmail.id)
            .limit(200)
        ).all()
    return sum(1 for email_id in ids if send_pending(email_id))
