"""An OAuth2 authorization server, shared by the vendors that issue tokens.

It implements the authorization-code flow the way a PBX meets it: an authorize page a
person approves (here also approvable by a request parameter), a token endpoint, access
tokens that expire, optional PKCE (S256) and an echoed ``state``. Refresh tokens come in the
two kinds real helpdesks have: *rotated* (Zendesk: a refresh returns a new refresh token and
deletes the previous refresh and access tokens) or *kept* (Zoho: a refresh returns only a new
access token; the refresh token stays valid until revoked). :meth:`OAuthServer.issue` hands
out an access token without the code flow, for a vendor's password login. Vendor modules
translate its RFC 6749 error names into their own response shapes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from hdkit.sandbox.faults import Faults
from hdkit.sandbox.recorder import Masker

CODE_TTL_S = 600


class OAuthError(Exception):
    """An RFC 6749 error: ``error`` is the standard name, ``description`` says why."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


@dataclass(frozen=True)
class _Grant:
    redirect_uri: str
    scope: str
    challenge: str | None
    expires_at: float


@dataclass(frozen=True)
class Token:
    """What an access token grants."""

    scope: str
    expires_at: float


@dataclass(frozen=True)
class _Refresh:
    scope: str
    access: str  # issued together with the refresh token; deleted when it rotates


class OAuthServer:
    """Codes, access tokens and refresh tokens of one vendor's single demo client."""

    def __init__(self, prefix: str, client_id: str, client_secret: str, *, rotate: bool,
                 faults: Faults, masker: Masker) -> None:
        self.prefix = prefix
        self.client_id = client_id
        self._client_secret = client_secret
        self.rotate = rotate
        self._faults = faults
        self._masker = masker
        self._lock = threading.Lock()
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, Token] = {}
        self._refresh: dict[str, _Refresh] = {}

    # -- authorize ---------------------------------------------------------------------

    def check_authorize(self, params: Mapping[str, str], *, require_state: bool,
                        response_type_optional: bool = False) -> None:
        """Refuse a malformed authorize request (shown as an error page, never redirected).

        ``response_type_optional``: the vendor's consent URL has no ``response_type`` (HubSpot's
        does not); when one is sent it must still be ``code``.
        """
        if params.get("client_id") != self.client_id:
            raise OAuthError("invalid_client", "unknown client_id")
        given = params.get("response_type", "code" if response_type_optional else None)
        if given != "code":
            raise OAuthError("unsupported_response_type", "response_type must be 'code'")
        if urlsplit(params.get("redirect_uri", "")).scheme not in ("http", "https"):
            raise OAuthError("invalid_request", "redirect_uri must be an absolute http(s) URL")
        if require_state and not params.get("state"):
            raise OAuthError("invalid_request", "state is required")
        method = params.get("code_challenge_method", "S256" if params.get("code_challenge") else "")
        if params.get("code_challenge") and method != "S256":
            raise OAuthError("invalid_request", "code_challenge_method must be S256")
        if self._faults.require_pkce and not params.get("code_challenge"):
            raise OAuthError("invalid_request", "PKCE is required: send code_challenge (S256)")

    def approve(self, params: Mapping[str, str], scope: str, *, bad_state: bool = False,
                drop_state: bool = False) -> str:
        """The redirect URL after the user approves: ``redirect_uri?code=..&state=..``.

        ``bad_state`` forges the echoed state, ``drop_state`` loses it (the fault switches).
        """
        code = self._new("code")
        with self._lock:
            self._codes[code] = _Grant(params["redirect_uri"], scope,
                                       params.get("code_challenge") or None,
                                       time.time() + CODE_TTL_S)
        return _with_query(params["redirect_uri"],
                           {"code": code} | _echoed_state(params, bad_state, drop_state))

    def deny(self, params: Mapping[str, str], *, drop_state: bool = False) -> str:
        query = {"error": "access_denied", "error_description": "The user denied access"}
        return _with_query(params["redirect_uri"], query | _echoed_state(params, False, drop_state))

    # -- token endpoint --------------------------------------------------------------------

    def token(self, params: Mapping[str, str], basic: tuple[str, str] | None) -> dict[str, object]:
        """Answer the token endpoint; raises :class:`OAuthError` on any refusal."""
        client_id, secret = basic or (params.get("client_id", ""), params.get("client_secret", ""))
        if client_id != self.client_id or not hmac.compare_digest(secret.encode(), self._client_secret.encode()):
            raise OAuthError("invalid_client", "client_id or client_secret is wrong")
        grant_type = params.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange_code(params)
        if grant_type == "refresh_token":
            return self._refresh_token(params.get("refresh_token", ""))
        raise OAuthError("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")

    def _exchange_code(self, params: Mapping[str, str]) -> dict[str, object]:
        with self._lock:
            grant = self._codes.pop(params.get("code", ""), None)
        if grant is None or grant.expires_at < time.time():
            raise OAuthError("invalid_grant", "the code is unknown, used or expired")
        if params.get("redirect_uri", grant.redirect_uri) != grant.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorize request")
        if grant.challenge is not None:
            verifier = params.get("code_verifier", "")
            if not verifier or not hmac.compare_digest(s256(verifier).encode(), grant.challenge.encode()):
                raise OAuthError("invalid_grant", "code_verifier does not match code_challenge")
        return self._issue_pair(grant.scope)

    def _refresh_token(self, refresh: str) -> dict[str, object]:
        """Kept: a new access token only. Rotated: a new pair; the previous pair is deleted."""
        with self._lock:
            family = self._refresh.pop(refresh, None) if self.rotate else self._refresh.get(refresh)
            if family is not None and self.rotate:
                self._access.pop(family.access, None)
        if family is None:
            raise OAuthError("invalid_grant", "the refresh token is unknown, revoked or rotated away")
        return self._issue_pair(family.scope) if self.rotate else self._issue(family.scope)

    def issue(self, scope: str) -> dict[str, object]:
        """A fresh access token (no refresh token) for a login that is not the code flow."""
        return self._issue(scope)

    def _issue_pair(self, scope: str) -> dict[str, object]:
        issued = self._issue(scope)
        refresh = self._new("refresh")
        with self._lock:
            self._refresh[refresh] = _Refresh(scope, str(issued["access_token"]))
        return issued | {"refresh_token": refresh}

    def _issue(self, scope: str) -> dict[str, object]:
        access = self._new("access")
        ttl = self._faults.token_ttl_s
        with self._lock:
            self._access[access] = Token(scope, time.time() + ttl)
        return {"access_token": access, "token_type": "Bearer", "expires_in": ttl, "scope": scope}

    # -- resource side ---------------------------------------------------------------------

    def lookup(self, access: str) -> Token | None:
        """The token's grant, or None when unknown; check ``expires_at`` for expiry."""
        with self._lock:
            return self._access.get(access)

    def expire_all(self) -> None:
        """Every issued access token expires now (refresh tokens stay valid)."""
        with self._lock:
            self._access = {k: Token(t.scope, 0.0) for k, t in self._access.items()}

    def reset(self) -> None:
        with self._lock:
            self._codes.clear()
            self._access.clear()
            self._refresh.clear()

    def _new(self, kind: str) -> str:
        value = f"{self.prefix}_{kind}_{secrets.token_urlsafe(18)}"
        self._masker.register(value)
        return value


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _echoed_state(params: Mapping[str, str], bad: bool, drop: bool) -> dict[str, str]:
    """The ``state`` the redirect carries: the client's, a forged one, or none."""
    if "state" not in params or drop:
        return {}
    return {"state": "forged-" + params["state"] if bad else params["state"]}


def _with_query(url: str, query: dict[str, str]) -> str:
    return f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(query)}"
