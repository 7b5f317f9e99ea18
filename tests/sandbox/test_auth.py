"""Every auth method of the sandbox, end to end over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from support.sandbox_api import (FD, KD, ZD, ZO, authorize, login, redirect_params, token,
                             zoho_headers)

from hdkit.sandbox import Sandbox
from hdkit.sandbox.oauth_server import s256


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        yield c


USERS = "/zendesk/api/v2/users.json?per_page=1"
ZD_TICKET = {"ticket": {"subject": "s", "comment": {"body": "b"}}}


# -- static credentials ------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, status, body", [
    pytest.param({"headers": {"Authorization": f"Bearer {ZD['bearer_token']}"}}, 200, None, id="bearer"),
    pytest.param({"auth": (f"{ZD['email']}/token", ZD["api_token"])}, 200, None, id="api-token"),
    pytest.param({}, 401, {"error": "Couldn't authenticate you"}, id="none"),
    pytest.param({"auth": (ZD["email"], ZD["api_token"])}, 401,
                 {"error": "Couldn't authenticate you"}, id="password-not-accepted"),
    pytest.param({"headers": {"Authorization": "Bearer nope"}}, 401, None, id="bad-bearer"),
])
def test_zendesk_static_auth(client: httpx.Client, kwargs: dict, status: int, body: dict | None) -> None:
    response = client.get(USERS, **kwargs)
    assert response.status_code == status
    if status == 200:
        assert len(response.json()["users"]) == 1
    elif body:
        assert response.json() == body
    else:
        assert response.json()["error"] == "invalid_token"


def test_zendesk_readonly_token_reads_but_cannot_write(client: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {ZD['readonly_bearer_token']}"}
    assert client.get(USERS, headers=headers).status_code == 200
    refused = client.post("/zendesk/api/v2/tickets.json", json=ZD_TICKET, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"] == "Forbidden"


@pytest.mark.parametrize("auth, path, status", [
    pytest.param((FD["api_key"], "X"), "/freshdesk/api/v2/agents?per_page=1", 200, id="apikey:X"),
    pytest.param((FD["username"], FD["password"]), "/freshdesk/api/v2/agents?per_page=1", 200,
                 id="username+password"),
    pytest.param((FD["username"], "wrong"), "/freshdesk/api/v2/agents", 401, id="bad-password"),
    pytest.param(None, "/freshdesk/api/v2/agents", 401, id="none"),
])
def test_freshdesk_basic_auth(client: httpx.Client, auth: tuple | None, path: str, status: int) -> None:
    response = client.get(path, auth=auth)
    assert response.status_code == status
    if status == 401:
        assert response.json()["code"] == "invalid_credentials"
    else:
        assert len(response.json()) == 1


def test_freshdesk_readonly_key_cannot_write(client: httpx.Client) -> None:
    refused = client.post("/freshdesk/api/v2/contacts", json={"name": "N", "phone": "1"},
                          auth=(FD["readonly_api_key"], "X"))
    assert refused.status_code == 403
    assert refused.json() == {"code": "access_denied",
                              "message": "You are not authorized to perform this action."}


@pytest.mark.parametrize("kwargs, status", [
    pytest.param({"params": {"api_key": KD["api_key"]}}, 200, id="query"),
    pytest.param({"headers": {"X-API-Key": KD["api_key"]}}, 200, id="header"),
    pytest.param({"params": {"api_key": "nope"}}, 401, id="bad-key"),
    pytest.param({}, 401, id="none"),
])
def test_keydesk_key_in_query_or_header(client: httpx.Client, kwargs: dict, status: int) -> None:
    response = client.get("/keydesk/api/users", **kwargs)
    assert response.status_code == status
    if status == 200:
        assert response.json()["total"] == 2500
    else:
        assert response.json()["ok"] is False


def test_keydesk_readonly_key_cannot_write(client: httpx.Client) -> None:
    refused = client.post("/keydesk/api/contacts", json={"name": "N", "phone": "1"},
                          headers={"X-API-Key": KD["readonly_api_key"]})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "read_only_key"


# -- OAuth2 authorization code ------------------------------------------------------------------

def test_authorize_without_approve_shows_consent_page_and_form_post_approves(client: httpx.Client) -> None:
    params = {"response_type": "code", "client_id": ZD["client_id"],
              "redirect_uri": ZD["redirect_uri"], "state": "s1"}
    page = client.get(ZD["authorize"], params=params)
    assert page.status_code == 200 and "<form" in page.text and 'name="approve"' in page.text
    posted = client.post(ZD["authorize"], data={**params, "approve": "1"})
    assert redirect_params(posted)["state"] == "s1"
    denied = redirect_params(client.post(ZD["authorize"], data={**params, "approve": "0"}))
    assert denied == {"error": "access_denied", "error_description": "The user denied access",
                      "state": "s1"}


@pytest.mark.parametrize("vendor", [pytest.param(ZD, id="zendesk"), pytest.param(ZO, id="zoho")])
@pytest.mark.parametrize("change, error", [
    pytest.param({"client_id": "other"}, "invalid_client", id="client"),
    pytest.param({"redirect_uri": "ftp://x"}, "invalid_request", id="redirect"),
    pytest.param({"response_type": "token"}, "unsupported_response_type", id="response-type"),
    pytest.param({"code_challenge": "abc", "code_challenge_method": "plain"}, "invalid_request",
                 id="plain-pkce"),
])
def test_authorize_refuses_with_an_error_page(client: httpx.Client, vendor: dict, change: dict,
                                              error: str) -> None:
    params = {"response_type": "code", "client_id": vendor["client_id"], "state": "s",
              "redirect_uri": vendor["redirect_uri"], "approve": "1", **change}
    response = client.get(vendor["authorize"], params=params)
    assert response.status_code == 400
    assert error in response.text


def test_zendesk_code_flow_token_refresh_and_expiry(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    tokens = login(client, ZD)
    assert tokens["token_type"] == "bearer" and tokens["scope"] == "read write"
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get(USERS, headers=headers).status_code == 200
    fresh_sandbox.expire_tokens()
    expired = client.get(USERS, headers=headers)
    assert expired.status_code == 401 and expired.json()["error"] == "invalid_token"
    refreshed = token(client, ZD, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200
    again = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert client.get(USERS, headers=again).status_code == 200


def test_zendesk_refresh_tokens_rotate_and_delete_the_previous_pair(client: httpx.Client) -> None:
    """Zendesk: "a successful request will also return a refresh token and delete the previous
    access and refresh tokens"."""
    tokens = login(client, ZD)
    first = token(client, ZD, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
    assert first["refresh_token"] != tokens["refresh_token"]
    assert first["refresh_token_expires_in"] > 0 and first["token_type"] == "bearer"
    old_access = client.get(USERS, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert old_access.status_code == 401 and old_access.json()["error"] == "invalid_token"
    stale = token(client, ZD, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert stale.status_code == 400 and stale.json()["error"] == "invalid_grant"
    second = token(client, ZD, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert second["refresh_token"] not in (first["refresh_token"], tokens["refresh_token"])
    headers = {"Authorization": f"Bearer {second['access_token']}"}
    assert client.get(USERS, headers=headers).status_code == 200


def test_zendesk_code_is_single_use_and_errors_are_oauth_shaped(client: httpx.Client) -> None:
    code = authorize(client, ZD)["code"]
    grant = {"grant_type": "authorization_code", "code": code, "redirect_uri": ZD["redirect_uri"]}
    assert token(client, ZD, as_json=True, **grant).status_code == 200
    reused = token(client, ZD, **grant)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    bad_client = client.post(ZD["token"], data={**grant, "client_id": ZD["client_id"],
                                                 "client_secret": "wrong"})
    assert bad_client.status_code == 401 and bad_client.json()["error"] == "invalid_client"
    wrong_uri = token(client, ZD, grant_type="authorization_code", code=authorize(client, ZD)["code"],
                      redirect_uri="https://elsewhere.example.com/cb")
    assert wrong_uri.json()["error"] == "invalid_grant"
    unsupported = token(client, ZD, grant_type="password")
    assert unsupported.json()["error"] == "unsupported_grant_type"


def test_zendesk_read_scope_token_cannot_write(client: httpx.Client) -> None:
    tokens = login(client, ZD, scope="read")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get(USERS, headers=headers).status_code == 200
    assert client.post("/zendesk/api/v2/tickets.json", json=ZD_TICKET, headers=headers).status_code == 403


def test_zoho_refresh_token_is_kept_and_reusable(client: httpx.Client) -> None:
    """Zoho: a refresh answers a new access token and no refresh token; the old one stays."""
    tokens = login(client, ZO)
    assert tokens["api_domain"].endswith("/zoho") and tokens["token_type"] == "Bearer"
    first = token(client, ZO, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
    assert "refresh_token" not in first and first["access_token"] != tokens["access_token"]
    assert set(first) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
    second = token(client, ZO, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
    assert second["access_token"] not in (first["access_token"], tokens["access_token"])
    for access in (tokens["access_token"], first["access_token"], second["access_token"]):
        agents = client.get("/zoho/api/v1/agents", headers=zoho_headers(access))
        assert agents.status_code == 200 and len(agents.json()["data"]) == 10
    unknown = token(client, ZO, grant_type="refresh_token", refresh_token="zoho_refresh_nope")
    assert unknown.status_code == 200 and unknown.json() == {"error": "invalid_code"}


def test_zoho_pkce_s256(client: httpx.Client) -> None:
    tokens = login(client, ZO, pkce=True)
    assert "access_token" in tokens
    code = authorize(client, ZO, state="s", code_challenge=s256("right-verifier"))["code"]
    wrong = token(client, ZO, grant_type="authorization_code", code=code,
                  redirect_uri=ZO["redirect_uri"], code_verifier="wrong-verifier")
    assert wrong.json() == {"error": "invalid_code"}
    code = authorize(client, ZO, state="s", code_challenge=s256("right-verifier"))["code"]
    missing = token(client, ZO, grant_type="authorization_code", code=code,
                    redirect_uri=ZO["redirect_uri"])
    assert missing.json() == {"error": "invalid_code"}


def test_zoho_require_pkce_switch(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    fresh_sandbox.faults.update(require_pkce=True)
    params = {"response_type": "code", "client_id": ZO["client_id"], "state": "s",
              "redirect_uri": ZO["redirect_uri"], "approve": "1"}
    refused = client.get(ZO["authorize"], params=params)
    assert refused.status_code == 400 and "PKCE is required" in refused.text
    assert "access_token" in login(client, ZO, pkce=True)


def test_zoho_state_is_required_and_echoed(client: httpx.Client) -> None:
    params = {"response_type": "code", "client_id": ZO["client_id"],
              "redirect_uri": ZO["redirect_uri"], "approve": "1"}
    refused = client.get(ZO["authorize"], params=params)
    assert refused.status_code == 400 and "state is required" in refused.text
    assert authorize(client, ZO, state="xyz")["state"] == "xyz"


@pytest.mark.parametrize("how", ["switch", "per-request"])
def test_bad_state_fault_returns_a_state_the_client_did_not_send(
        fresh_sandbox: Sandbox, client: httpx.Client, how: str) -> None:
    extra = {"state": "mine"}
    if how == "switch":
        fresh_sandbox.faults.update(bad_state=True)
    else:
        extra["_fault"] = "bad_state"
    got = authorize(client, ZO, **extra)
    assert got["state"] != "mine" and got["code"]


@pytest.mark.parametrize("setting, form_ok, json_ok", [
    pytest.param("any", True, True, id="any"),
    pytest.param("form", True, False, id="form-only"),
    pytest.param("json", False, True, id="json-only"),
])
def test_zoho_token_body_kinds(fresh_sandbox: Sandbox, client: httpx.Client, setting: str,
                               form_ok: bool, json_ok: bool) -> None:
    fresh_sandbox.faults.update(token_body=setting)
    for as_json, ok in ((False, form_ok), (True, json_ok)):
        code = authorize(client, ZO, state="s")["code"]
        response = token(client, ZO, as_json=as_json, grant_type="authorization_code", code=code,
                         redirect_uri=ZO["redirect_uri"])
        assert ("access_token" in response.json()) is ok, (as_json, response.text)


def test_zoho_token_params_in_query_string(client: httpx.Client) -> None:
    code = authorize(client, ZO, state="s")["code"]
    response = client.post(ZO["token"], params={
        "grant_type": "authorization_code", "code": code, "redirect_uri": ZO["redirect_uri"],
        "client_id": ZO["client_id"], "client_secret": ZO["client_secret"]})
    assert "access_token" in response.json()


@pytest.mark.parametrize("headers, status, code", [
    pytest.param({"Authorization": "Zoho-oauthtoken nope", "orgId": ZO["org_id"]}, 401,
                 "INVALID_OAUTH", id="bad-token"),
    pytest.param({"orgId": ZO["org_id"]}, 401, "INVALID_OAUTH", id="no-token"),
])
def test_zoho_auth_errors(client: httpx.Client, headers: dict, status: int, code: str) -> None:
    response = client.get("/zoho/api/v1/agents", headers=headers)
    assert response.status_code == status and response.json()["errorCode"] == code


def test_zoho_needs_org_id_and_expiry_and_scope(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    access = login(client, ZO)["access_token"]
    no_org = client.get("/zoho/api/v1/agents", headers={"Authorization": f"Bearer {access}"})
    assert no_org.status_code == 422 and no_org.json()["errors"][0]["fieldName"] == "/orgId"
    wrong_org = client.get("/zoho/api/v1/agents", headers={**zoho_headers(access), "orgId": "1"})
    assert wrong_org.json()["errors"][0]["errorType"] == "invalid"
    client.post("/_sandbox/faults", json={"expire_tokens": True})
    expired = client.get("/zoho/api/v1/agents", headers=zoho_headers(access))
    assert expired.status_code == 401 and "expired" in expired.json()["message"]
    readonly = login(client, ZO, scope=ZO["readonly_scope"])["access_token"]
    refused = client.post("/zoho/api/v1/contacts", json={"lastName": "X"},
                          headers=zoho_headers(readonly))
    assert refused.status_code == 403 and refused.json()["errorCode"] == "SCOPE_MISMATCH"


def test_short_token_ttl_expires_on_its_own(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    fresh_sandbox.faults.update(token_ttl_s=0)
    tokens = login(client, ZD)
    assert tokens["expires_in"] == 0
    response = client.get(USERS, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401


def test_expire_tokens_from_python(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {login(client, ZD)['access_token']}"}
    fresh_sandbox.faults.update(expire_tokens=True)
    assert client.get(USERS, headers=headers).status_code == 401
    assert fresh_sandbox.faults.snapshot() == fresh_sandbox.faults.__class__().snapshot()


def test_expire_tokens_per_request_fault(client: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {login(client, ZD)['access_token']}"}
    assert client.get(USERS, headers=headers).status_code == 200
    hit = client.get(USERS, headers={**headers, "X-Sandbox-Fault": "expire_tokens"})
    assert hit.status_code == 401
    assert client.get(USERS, headers=headers).status_code == 401


# -- a password login that returns a bearer token (KeyDesk) ---------------------------------------

LOGIN = {"username": KD["username"], "password": KD["password"]}


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "form"])
def test_keydesk_login_gives_a_bearer_token(fresh_sandbox: Sandbox, client: httpx.Client, as_json: bool) -> None:
    sent = client.post(KD["login"], **({"json": LOGIN} if as_json else {"data": LOGIN}))
    assert sent.status_code == 200
    data = sent.json()["data"]
    assert (data["token_type"], data["expires_in"]) == ("Bearer", 3600)
    bearer = {"Authorization": f"Bearer {data['access_token']}"}
    assert client.get("/keydesk/api/contacts", params={"phone": "+14155550123"}, headers=bearer).json()["total"] == 1
    assert client.post("/keydesk/api/contacts", json={"name": "N", "phone": "1"}, headers=bearer).status_code == 201
    logged = fresh_sandbox.requests[0]
    assert data["access_token"] not in str(logged) and KD["password"] not in str(logged)
    assert fresh_sandbox.requests[1]["headers"]["authorization"] == "Bearer ********"


@pytest.mark.parametrize("body, status, code", [
    pytest.param({**LOGIN, "password": "wrong"}, 401, "invalid_credentials", id="password"),
    pytest.param({**LOGIN, "username": "someone@example.com"}, 401, "invalid_credentials", id="user"),
    pytest.param({"username": KD["username"]}, 422, "validation_failed", id="no-password"),
    pytest.param({}, 422, "validation_failed", id="empty-object"),
])
def test_keydesk_login_refusals(client: httpx.Client, body: dict, status: int, code: str) -> None:
    response = client.post(KD["login"], json=body)
    assert response.status_code == status and response.json()["error"]["code"] == code


def test_keydesk_login_needs_json_or_a_form(client: httpx.Client) -> None:
    response = client.post(KD["login"], content=b"user=x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_json"


def test_keydesk_login_tokens_expire_and_reset(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    bearer = {"Authorization": f"Bearer {client.post(KD['login'], json=LOGIN).json()['data']['access_token']}"}
    fresh_sandbox.expire_tokens()
    expired = client.get("/keydesk/api/users", headers=bearer)
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token_expired"
    fresh_sandbox.reset()
    forgotten = client.get("/keydesk/api/users", headers=bearer)
    assert forgotten.status_code == 401 and forgotten.json()["error"]["code"] == "invalid_token"
    unset = client.get("/keydesk/api/users", headers={"Authorization": "Bearer <no value>"})
    assert unset.json()["error"]["code"] == "invalid_token"  # what a login follow-up that never ran sends
