"""Browser tests: Playwright driving Debian's Chromium against a live Kyora server.

Fixtures
- `live_server`: base URL (e.g. "http://127.0.0.1:PORT") of a Kyora app with CSRF on,
  sharing the test database (set up data in the test, then `db.session.commit()`).
- `page`: a fresh browser page with a 390×844 phone viewport. Console errors (including
  CSP violations) fail the test at teardown; `page.kyora_console` lists them.
- `desktop_page`: the same at 1280×800.
Helpers: `log_in(page, live_server, email, password)`, `switch_to_arabic(page)`,
`htmx_ready(page)`.

htmx arrives once a page has loaded (see kyora/core/assets.py): a person never taps that
fast, a test does. So the pages' `goto`, `wait_for_url` and `wait_for_load_state` also
wait for htmx where the page loads it, and a test calls `htmx_ready` itself before an
htmx action on a page it reached otherwise (a click that navigates).

Without /usr/bin/chromium the tests skip, unless KYORA_REQUIRE_E2E=1 (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from kyora import create_app
from kyora.extensions import db

CHROMIUM = os.environ.get("KYORA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _clean_database(app_ctx):
    yield


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(app, tmp_path_factory):
    instance = tmp_path_factory.mktemp("live")
    live_app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "MAIL_OUTBOX_DIR": str(instance / "mail"),
            "BASE_URL": "http://127.0.0.1",
        }
    )
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def _playwright():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: browser tests need Debian's chromium"
        if os.environ.get("KYORA_REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _open_page(browser, viewport, artifacts: Path, name: str):
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.kyora_console = []

    def on_console(message):
        # A 4xx answer (a 422 form, a 404 link) is expected behaviour, not a page error.
        expected = message.text.startswith(
            "Failed to load resource: the server responded with a status of 4"
        )
        if message.type == "error" and not expected:
            page.kyora_console.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.kyora_console.append(str(error)))
    for method in ("goto", "wait_for_url", "wait_for_load_state"):
        setattr(page, method, _then_htmx_ready(page, getattr(page, method)))
    return context, page


HTMX_LOADED = "() => !document.querySelector('script[data-htmx]') || window.htmx !== undefined"


def htmx_ready(page) -> None:
    """Wait until htmx runs on the page, if the page loads it."""
    page.wait_for_function(HTMX_LOADED)


def _then_htmx_ready(page, navigate):
    def navigate_then_wait(*args, **kwargs):
        result = navigate(*args, **kwargs)
        htmx_ready(page)
        return result

    return navigate_then_wait


@pytest.fixture
def page(browser, request, tmp_path):
    context, page = _open_page(browser, {"width": 390, "height": 844}, tmp_path, request.node.name)
    yield page
    _finish(context, page, request)


@pytest.fixture
def desktop_page(browser, request, tmp_path):
    context, page = _open_page(browser, {"width": 1280, "height": 800}, tmp_path, request.node.name)
    yield page
    _finish(context, page, request)


def _finish(context, page, request):
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        shots = Path("test-results/screenshots")
        shots.mkdir(parents=True, exist_ok=True)
        # A failed screenshot must not hide the real failure.
        with contextlib.suppress(Exception):
            page.screenshot(path=str(shots / f"{request.node.name}.png"), full_page=True)
    errors = list(page.kyora_console)
    context.close()
    assert not errors, f"browser console errors: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def log_in(page, live_server: str, email: str, password: str) -> None:
    """Log in through the real form and wait for the landing page."""
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def switch_to_arabic(page) -> None:
    """Use the language switcher (Arabic) and wait for the right-to-left page."""
    button = page.locator("button[name=lang][value=ar]").first
    if not button.is_visible():
        page.locator("details.user-menu summary").click()
    button.click()
    page.wait_for_selector("html[dir=rtl]")
    htmx_ready(page)
