"""The Monday summary email: due on Monday morning in the business's time zone, once
per user per week (a second run sends nothing), in the user's language, with the
home's sentences; a user can turn it off from their profile."""

import re
from datetime import UTC, datetime

from kyora.extensions import db
from kyora.insights.models import WeeklySummary
from kyora.insights.weekly import send_due_summaries
from tests.factories import login, make_user

# Monday 7 December 2026, 08:30 in Dubai (UTC+4) = 04:30 UTC.
MONDAY_MORNING = datetime(2026, 12, 7, 4, 30, tzinfo=UTC)
MONDAY_TOO_EARLY = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 06:00 in Dubai
TUESDAY = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)


def body(message, kind="plain") -> str:
    return message.get_body((kind,)).get_content()


def test_the_summary_is_sent_once_on_monday_morning(shop, outbox):
    shop.business.timezone = "Asia/Dubai"
    shop.order([(shop.scarf, 2)])
    db.session.commit()
    assert send_due_summaries(MONDAY_TOO_EARLY) == 0
    assert send_due_summaries(TUESDAY) == 0
    assert send_due_summaries(MONDAY_MORNING) == 1
    assert send_due_summaries(MONDAY_MORNING) == 0  # a restart or a second run
    sent = [message for message in outbox if message["To"] == shop.owner.email]
    assert len(sent) == 1
    text = body(sent[0])
    assert shop.business.name in text
    assert "Your best seller this month is Red Scarf (2 sold)." in text
    html = body(sent[0], "html")
    assert "<table" in html and "Red Scarf" in html
    assert db.session.get(WeeklySummary, shop.owner.id).last_week.isoformat() == "2026-12-07"


def test_a_member_gets_no_money_figure_and_their_language(shop, outbox):
    shop.business.timezone = "Asia/Dubai"
    member = make_user(
        "helper@example.com", role="member", workspace=shop.owner.workspace, locale="ar"
    )
    shop.order([(shop.cap, 1)])
    db.session.commit()
    send_due_summaries(MONDAY_MORNING)
    message = next(message for message in outbox if message["To"] == member.email)
    text = body(message)
    assert "profit" not in text.lower() and "take out" not in text
    assert re.search("[\u0600-\u06ff]", text), "the summary is in Arabic"


def test_a_user_can_turn_the_summary_off_from_the_profile(client, shop, outbox):
    shop.business.timezone = "Asia/Dubai"
    db.session.commit()
    login(client, shop.owner)
    page = client.get("/account").get_data(as_text=True)
    assert 'id="weekly-summary"' in page and "checked" in page
    response = client.post("/account/weekly-summary", data={})
    assert response.status_code == 303
    assert (
        "checked"
        not in client.get("/account").get_data(as_text=True).split('id="weekly-summary"')[1]
    )
    assert send_due_summaries(MONDAY_MORNING) == 0
    client.post("/account/weekly-summary", data={"weekly": "on"})
    assert send_due_summaries(MONDAY_MORNING) == 1
