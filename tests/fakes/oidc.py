"""A tiny OpenID Connect provider for tests, served on 127.0.0.1 by a werkzeug thread.

It speaks just enough of the protocol for Kyora's Google sign-in: a discovery
document, an authorize endpoint that "logs in" whoever the test chose (it
redirects straight back with a code), a token endpoint that returns a real
RS256-signed ID token (with the nonce it was given), and the JWKS to check it.

    provider.next_user = {"sub": "1001", "email": "a@example.com", "email_verified": True}
    provider.tamper = {"nonce": "forged"}   # overrides claims of the next ID token
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class FakeOpenIDProvider:
    """The provider's state: its key, the user it signs in next, and the codes it issued."""

    def __init__(
        self, client_id: str = "kyora-test-client", client_secret: str = "kyora-test-secret"
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig"})
        self.next_user: dict = {
            "sub": "google-user-1",
            "email": "person@example.com",
            "email_verified": True,
            "name": "Test Person",
        }
        self.tamper: dict = {}
        self.sign_with: RSAKey | None = None  # a different key: the signature will not verify
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.base_url = ""
        self._server = None
        self._thread = None

    # --- Lifecycle -------------------------------------------------------------------

    def start(self) -> FakeOpenIDProvider:
        self._server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)

    def reset(self) -> None:
        self.next_user = {
            "sub": "google-user-1",
            "email": "person@example.com",
            "email_verified": True,
            "name": "Test Person",
        }
        self.tamper = {}
        self.sign_with = None
        self.codes.clear()
        self.token_requests.clear()

    @property
    def discovery_url(self) -> str:
        return f"{self.base_url}/.well-known/openid-configuration"

    @property
    def issuer(self) -> str:
        return self.base_url

    def config(self) -> dict:
        """Settings that point a Kyora app at this provider."""
        return {
            "GOOGLE_CLIENT_ID": self.client_id,
            "GOOGLE_CLIENT_SECRET": self.client_secret,
            "GOOGLE_DISCOVERY_URL": self.discovery_url,
        }

    # --- HTTP ------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/authorize": self._authorize,
            "/token": self._token,
            "/jwks": self._jwks,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    @staticmethod
    def _json(data: dict, status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, mimetype="application/json")

    def _discovery(self, request: Request) -> Response:
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.base_url}/authorize",
                "token_endpoint": f"{self.base_url}/token",
                "jwks_uri": f"{self.base_url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def _authorize(self, request: Request) -> Response:
        args = request.args
        if args.get("client_id") != self.client_id or args.get("response_type") != "code":
            return Response("bad authorization request", status=400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "user": dict(self.next_user),
            "nonce": args.get("nonce"),
            "redirect_uri": args.get("redirect_uri"),
            "code_challenge": args.get("code_challenge"),
        }
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def _client_ok(self, request: Request) -> bool:
        auth = request.authorization
        if auth is not None and auth.type == "basic":
            return auth.username == self.client_id and auth.password == self.client_secret
        form = request.form
        return (
            form.get("client_id") == self.client_id
            and form.get("client_secret") == self.client_secret
        )

    def _token(self, request: Request) -> Response:
        form = request.form
        self.token_requests.append(dict(form))
        if not self._client_ok(request):
            return self._json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json({"error": "invalid_grant"}, 400)
        if (
            grant["code_challenge"]
            and _s256(form.get("code_verifier", "")) != grant["code_challenge"]
        ):
            return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "nonce": grant["nonce"],
            **grant["user"],
            **self.tamper,
        }
        claims = {key: value for key, value in claims.items() if value is not None}
        key = self.sign_with or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims, key)
        return self._json(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": id_token,
                "scope": "openid email profile",
            }
        )

    def _jwks(self, request: Request) -> Response:
        return self._json({"keys": [self.key.as_dict(private=False)]})
