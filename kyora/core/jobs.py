"""Background and periodic jobs on huey.

How a job is queued and run:
- Declare it in the domain's `jobs.py` (or beside the code it serves) with `@task()` for
  a one-off job or `@periodic(crontab(...))` for a scheduled one. The domain's
  `init_app` imports that module, which is what makes the queue know the job.
- Queue a one-off job by calling the function: calling a `@task` puts it on the
  queue and returns at once. A job that needs committed rows is queued from
  `core.mail.after_commit(session, callback)`, as queued email is.
- `flask kyora worker` runs the consumer: it takes queued jobs and fires periodic ones
  on schedule, each inside an application context.

The queue is persistent: a SQLite file in the instance folder by default, Redis when
`REDIS_URL` is set. Tests and development run jobs inline (`JOBS_IMMEDIATE`), so no
worker is needed there.
"""

from __future__ import annotations

import functools

from huey import Huey, crontab
from huey.storage import RedisStorage, SqliteStorage

huey = Huey("kyora", immediate=True, utc=True)
_app = None

__all__ = ["crontab", "huey", "init_app", "periodic", "task"]


def init_app(app) -> None:
    """Point the queue at the configured storage and remember the app for job contexts."""
    global _app
    _app = app
    if app.config["JOBS_IMMEDIATE"]:
        huey.immediate = True
        return
    if app.config.get("REDIS_URL"):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": app.config["JOBS_SQLITE_PATH"]}
    huey._immediate = False
    huey.storage = huey.create_storage()


def _in_app_context(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from flask import has_app_context

        # Inline jobs (tests, commands) run in the caller's context; the worker has none.
        if has_app_context():
            return fn(*args, **kwargs)
        with _app.app_context():
            return fn(*args, **kwargs)

    return wrapper


def task(**options):
    """Declare a background job: `@task(retries=5, retry_delay=60)`."""

    def decorate(fn):
        return huey.task(name=f"{fn.__module__}.{fn.__name__}", **options)(_in_app_context(fn))

    return decorate


def periodic(schedule, **options):
    """Declare a periodic job: `@periodic(crontab(minute="*/5"))`."""

    def decorate(fn):
        return huey.periodic_task(schedule, name=f"{fn.__module__}.{fn.__name__}", **options)(
            _in_app_context(fn)
        )

    return decorate
