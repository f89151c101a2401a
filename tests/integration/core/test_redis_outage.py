"""Redis down: people still log in and sign up; readiness says what is wrong.

Run in a separate process, because the rate limiter's storage is shared by every app
in a process and this test points it at a dead Redis.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from kyora import create_app
    from kyora.extensions import db

    dead = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1],
        "REDIS_URL": dead,
        "RATELIMIT_STORAGE_URI": dead,
        "KYORA_RENDER_500": True,
    })
    with app.app_context():
        db.create_all()
    client = app.test_client()
    result = {}
    for path, data in [
        ("/login", {"email": "nobody@example.com", "password": "wrong-password-1"}),
        ("/signup", {"name": "Sara", "email": "sara@example.com", "password": "a-long-pass-phrase-9"}),
        ("/password/forgot", {"email": "sara@example.com"}),
    ]:
        result[path] = client.post(path, data=data).status_code
    ready = client.get("/readyz")
    result["readyz"] = [ready.status_code, ready.get_json()]
    print(json.dumps(result))
    """
)


def test_with_redis_unreachable_login_signup_and_reset_still_answer(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "outage.db")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["/login"] in (200, 422)  # the "wrong email or password" page, not a 500
    assert result["/signup"] == 303
    assert result["/password/forgot"] in (200, 303)
    assert result["readyz"] == [200, {"ready": True, "database": True, "redis": False}]
