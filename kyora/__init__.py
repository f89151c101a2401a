"""Kyora: the business assistant for people who sell on social media."""

from __future__ import annotations

import os
import sqlite3

from dotenv import load_dotenv
from flask import Flask, abort, g, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine

from kyora import config as config_module
from kyora.core.db import sqlite_statistics_at_open
from kyora.domains import DOMAINS


def create_app(config: dict | None = None) -> Flask:
    """Application factory: settings, extensions, blueprints, errors, CLI."""
    if not (config or {}).get("TESTING"):
        load_dotenv()
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.update(config_module.load(app.instance_path, config))
    os.makedirs(app.config["KYORA_DATA_DIR"], exist_ok=True)

    _init_extensions(app)
    _warn_about_shared_state(app)
    _init_templates(app)
    _init_request_hooks(app)

    from kyora.core.errors import register_error_handlers

    register_error_handlers(app)
    _init_domains(app)

    from kyora.cli import register_cli

    register_cli(app)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The real client address (rate limits, sessions, logs) from the proxy's headers,
        # trusting only as many hops as are really ours.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=0
        )
    return app


def _init_extensions(app: Flask) -> None:
    from kyora.core import assets, forms, jobs, request_log
    from kyora.core.i18n import select_locale
    from kyora.extensions import babel, compress, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    forms.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=_select_timezone)
    login_manager.init_app(app)
    login_manager.session_protection = None  # server-side session records do this job
    jobs.init_app(app)
    request_log.init_app(app)
    assets.init_app(app)
    compress.init_app(app)

    import kyora.core.mail  # noqa: F401  (registers the email jobs)


def _warn_about_shared_state(app: Flask) -> None:
    """In production, say loudly what is only per process without Redis."""
    if app.config["KYORA_ENV"] != "production" or app.config.get("REDIS_URL"):
        return
    import logging

    logging.getLogger("kyora.config").warning(
        "REDIS_URL is not set: rate limits are counted by each web process on its own, "
        "so with several workers (gunicorn -w N) an attacker gets N times the limit. "
        "Set REDIS_URL in production."
    )


def _select_timezone():
    business = g.get("business")
    return business.timezone if business is not None else None


def _init_templates(app: Flask) -> None:
    from flask_babel import get_locale

    from kyora.core import i18n, money
    from kyora.core.permissions import can
    from kyora.core.tenancy import current_business

    def has_endpoint(name: str) -> bool:
        return name in app.view_functions

    def format_money(amount, currency=None):
        business = g.get("business")
        code = currency or (business.currency if business is not None else "USD")
        return money.format_money(amount, code, str(get_locale() or "en"))

    app.jinja_env.globals.update(
        can=can,
        current_business=current_business,
        has_endpoint=has_endpoint,
        is_rtl=lambda: i18n.is_rtl(str(get_locale() or "en")),
        current_locale=lambda: str(get_locale() or "en"),
        language_names=i18n.LANGUAGE_NAMES,
        country_name=lambda code: i18n.country_name(code, str(get_locale() or "en")),
    )
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["percent"] = money.rate_to_percent
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _init_request_hooks(app: Flask) -> None:
    from kyora.core.security import add_security_headers

    @app.after_request
    def _headers(response):
        response.vary.add("HX-Request")
        if "text/html" in (response.content_type or "") and request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return add_security_headers(response)

    @app.before_request
    def _permanent_session():
        session.permanent = True

    @app.before_request
    def _refuse_nul_characters():
        # No text a person types holds a NUL character, and PostgreSQL refuses to store
        # one: such a request is malformed (400), whatever the field.
        if request.endpoint == "static":
            return None
        values = [value for _name, value in request.args.items(multi=True)]
        if request.method in ("POST", "PUT", "PATCH"):
            values += [value for _name, value in request.form.items(multi=True)]
        if any("\x00" in value for value in values):
            abort(400)
        return None

    @app.teardown_request
    def _close_uploads(_error=None):
        # Large uploads are spooled to temporary files; close them with the request
        # (a refused upload is never read to the end), never at some later collection.
        if "files" in request.__dict__:
            for _name, upload in request.files.items(multi=True):
                upload.close()


def _init_domains(app: Flask) -> None:
    import importlib

    from kyora.core import ui
    from kyora.core.routes import bp as core_bp

    ui.init_app(app)
    app.register_blueprint(core_bp)
    for domain in DOMAINS:
        importlib.import_module(f"kyora.{domain}").init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        # Let SQLAlchemy's "begin" event below decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        sqlite_statistics_at_open(dbapi_connection)


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    # A write request takes SQLite's lock up front, so two writers queue (busy
    # timeout) instead of one failing half-way; page reads, jobs and commands start
    # deferred and stay concurrent.
    from flask import has_request_context

    if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
