"""Helpers (no tests) for the sandbox tests: each vendor's demo credentials as request arguments,
and logging in through a vendor's OAuth2 flow over HTTP."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from hdkit.sandbox import DEMO
from hdkit.sandbox.oauth_server import s256

ZD, FD, ZO, KD = DEMO["zendesk"], DEMO["freshdesk"], DEMO["zoho"], DEMO["keydesk"]
HS, ZM = DEMO["hubspot"], DEMO["zammad"]
ZD_AUTH = {"Authorization": f"Bearer {ZD['bearer_token']}"}
FD_AUTH = (FD["api_key"], "X")
KD_AUTH = {"X-API-Key": KD["api_key"]}
HS_AUTH = {"Authorization": f"Bearer {HS['private_app_token']}"}
ZM_AUTH = {"Authorization": f"Bearer {ZM['api_token']}"}


def redirect_params(response: httpx.Response) -> dict[str, str]:
    """The query of a 302 to redirect_uri, as a flat dict."""
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith("https://pbx.example.com/oauth/callback?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def authorize(client: httpx.Client, vendor: dict[str, Any], **extra: str) -> dict[str, str]:
    params = {"response_type": "code", "client_id": vendor["client_id"],
              "redirect_uri": vendor["redirect_uri"], "approve": "1", **extra}
    return redirect_params(client.get(vendor["authorize"], params=params))


def token(client: httpx.Client, vendor: dict[str, Any], *, as_json: bool = False,
          **params: str) -> httpx.Response:
    body = {"client_id": vendor["client_id"], "client_secret": vendor["client_secret"], **params}
    if as_json:
        return client.post(vendor["token"], json=body)
    return client.post(vendor["token"], data=body)


def login(client: httpx.Client, vendor: dict[str, Any], *, pkce: bool = False,
          scope: str | None = None) -> dict[str, Any]:
    """Run the whole code flow; returns the token response."""
    extra = {"state": secrets.token_hex(4)}
    if scope:
        extra["scope"] = scope
    verifier = secrets.token_urlsafe(40)
    if pkce:
        extra |= {"code_challenge": s256(verifier), "code_challenge_method": "S256"}
    redirected = authorize(client, vendor, **extra)
    assert redirected["state"] == extra["state"]
    grant = {"grant_type": "authorization_code", "code": redirected["code"],
             "redirect_uri": vendor["redirect_uri"]}
    if pkce:
        grant["code_verifier"] = verifier
    response = token(client, vendor, **grant)
    assert response.status_code == 200 and "access_token" in response.json(), response.text
    return response.json()


def zoho_headers(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {access_token}", "orgId": ZO["org_id"]}
