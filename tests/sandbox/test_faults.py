"""Fault switches (server-wide and per request) and the request log, over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from support.sandbox_api import FD, FD_AUTH, KD, KD_AUTH, ZD, ZD_AUTH, ZO, authorize, login, token

from hdkit.sandbox import FaultError, Faults, Sandbox
from hdkit.sandbox.recorder import MASK


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        yield c


ZD_USERS = ("/zendesk/api/v2/users.json?per_page=2", {"headers": ZD_AUTH})
FD_AGENTS = ("/freshdesk/api/v2/agents?per_page=2", {"auth": FD_AUTH})
KD_USERS = ("/keydesk/api/users?page_size=2", {"headers": KD_AUTH})
ZO_AGENTS = "/zoho/api/v1/agents?limit=2"
VENDOR_CALLS = [pytest.param(ZD_USERS, id="zendesk"), pytest.param(FD_AGENTS, id="freshdesk"),
                pytest.param(KD_USERS, id="keydesk")]


# -- status faults: 429 bursts, 5xx bursts, each vendor's shape ------------------------------------

@pytest.mark.parametrize("call", VENDOR_CALLS)
def test_rate_limit_burst_then_recovery(fresh_sandbox: Sandbox, client: httpx.Client,
                                        call: tuple) -> None:
    path, kwargs = call
    fresh_sandbox.faults.update(rate_limit=2, retry_after_s=7)
    first, second, third = (client.get(path, **kwargs) for _ in range(3))
    assert [first.status_code, second.status_code, third.status_code] == [429, 429, 200]
    assert first.headers["retry-after"] == "7"
    assert isinstance(first.json(), dict) and first.json()
    assert [r["fault"] for r in fresh_sandbox.requests] == [{"status": 429}, {"status": 429}, None]


@pytest.mark.parametrize("call, key, value", [
    pytest.param(ZD_USERS, "error", "APIRateLimitExceeded", id="zendesk"),
    pytest.param(FD_AGENTS, "message", "You have exceeded the limit of requests per hour",
                 id="freshdesk"),
])
def test_429_bodies_are_vendor_shaped(fresh_sandbox: Sandbox, client: httpx.Client, call: tuple,
                                      key: str, value: str) -> None:
    path, kwargs = call
    response = client.get(path, headers={**kwargs.get("headers", {}), "X-Sandbox-Fault": "rate_limit"},
                          auth=kwargs.get("auth"))
    assert response.status_code == 429 and response.json()[key] == value


def test_zoho_and_keydesk_429_shapes(client: httpx.Client) -> None:
    zoho = client.get(ZO_AGENTS + "&_fault=rate_limit")
    assert zoho.status_code == 429 and zoho.json()["errorCode"] == "TOO_MANY_REQUESTS"
    keydesk = client.get("/keydesk/api/users?_fault=rate_limit")
    assert keydesk.status_code == 429 and keydesk.json()["error"]["code"] == "rate_limited"
    elsewhere = client.get("/nowhere?_fault=rate_limit")
    assert elsewhere.status_code == 429 and "retry-after" in elsewhere.headers


def test_server_error_burst_and_per_request_status(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    fresh_sandbox.faults.update(server_error=1, error_status=500)
    path, kwargs = ZD_USERS
    assert client.get(path, **kwargs).status_code == 500
    assert client.get(path, **kwargs).status_code == 200
    bad_gateway = client.get(path + "&_fault=server_error=502", **kwargs)
    assert bad_gateway.status_code == 502 and bad_gateway.json()["error"] == "ServiceUnavailable"
    zoho = client.get(ZO_AGENTS, headers={"X-Sandbox-Fault": "server_error"})
    assert zoho.status_code == 503 and zoho.json()["errorCode"] == "INTERNAL_SERVER_ERROR"


# -- latency, timeouts, malformed JSON ------------------------------------------------------------

def test_latency_is_async_so_concurrent_requests_overlap(fresh_sandbox: Sandbox) -> None:
    fresh_sandbox.faults.update(latency_ms=300)

    async def burst() -> list[int]:
        async with httpx.AsyncClient(base_url=fresh_sandbox.url, timeout=5) as c:
            responses = await asyncio.gather(*(c.get(KD_USERS[0], headers=KD_AUTH) for _ in range(8)))
        return [r.status_code for r in responses]

    assert asyncio.run(burst()) == [200] * 8
    assert fresh_sandbox.peak_in_flight == 8
    assert {json.dumps(r["fault"]) for r in fresh_sandbox.requests} == {'{"latency_ms": 300}'}


def test_peak_in_flight_never_runs_ahead_of_the_client(fresh_sandbox: Sandbox) -> None:
    fresh_sandbox.faults.update(latency_ms=20)

    async def capped(limit: int, total: int) -> None:
        gate = asyncio.Semaphore(limit)
        async with httpx.AsyncClient(base_url=fresh_sandbox.url, timeout=5) as c:
            async def one() -> None:
                async with gate:
                    assert (await c.get(KD_USERS[0], headers=KD_AUTH)).status_code == 200

            await asyncio.gather(*(one() for _ in range(total)))

    asyncio.run(capped(3, 24))
    assert fresh_sandbox.peak_in_flight == 3 and len(fresh_sandbox.requests) == 24


def test_timeout_fault_hangs_past_the_client_timeout(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    fresh_sandbox.faults.update(timeout=1, hang_s=0.5)
    path, kwargs = KD_USERS
    with pytest.raises(httpx.ReadTimeout):
        client.get(path, timeout=0.1, **kwargs)
    assert client.get(path, **kwargs).status_code == 200
    with pytest.raises(httpx.ReadTimeout):
        client.get(path + "&_fault=timeout=0.5", timeout=0.1, **kwargs)


def test_reset_forgets_requests_still_in_flight(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    fresh_sandbox.faults.update(timeout=1, hang_s=5)
    path, kwargs = KD_USERS
    with pytest.raises(httpx.ReadTimeout):
        client.get(path, timeout=0.1, **kwargs)
    fresh_sandbox.reset()
    assert client.get(path, **kwargs).status_code == 200
    assert fresh_sandbox.peak_in_flight == 1 and len(fresh_sandbox.requests) == 1


def test_timeout_fault_answers_504_when_the_client_waits(client: httpx.Client) -> None:
    response = client.get(ZD_USERS[0] + "&_fault=timeout=0.05", headers=ZD_AUTH)
    assert response.status_code == 504 and response.json()["error"] == "GatewayTimeout"


@pytest.mark.parametrize("call", VENDOR_CALLS)
def test_malformed_json_is_cut_in_half(fresh_sandbox: Sandbox, client: httpx.Client, call: tuple) -> None:
    path, kwargs = call
    whole = client.get(path, **kwargs)
    fresh_sandbox.faults.update(malformed=1)
    cut = client.get(path, **kwargs)
    assert cut.status_code == 200 and cut.content == whole.content[: len(whole.content) // 2]
    assert int(cut.headers["content-length"]) == len(cut.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    assert client.get(path, **kwargs).json() == whole.json()


def test_malformed_leaves_an_empty_204_alone(client: httpx.Client) -> None:
    zoho = login(client, ZO)["access_token"]
    headers = {"Authorization": f"Bearer {zoho}", "orgId": ZO["org_id"], "X-Sandbox-Fault": "malformed"}
    response = client.get("/zoho/api/v1/agents?from=5000", headers=headers)
    assert (response.status_code, response.content) == (204, b"")


# -- looping pagination --------------------------------------------------------------------------

def test_loop_pagination_next_links_point_back(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    fresh_sandbox.faults.update(loop_pagination=True)
    first = client.get("/zendesk/api/v2/users.json?per_page=100", headers=ZD_AUTH).json()
    assert httpx.URL(first["next_page"]).params["page"] == "1"
    looped = client.get(first["next_page"], headers=ZD_AUTH).json()
    assert looped["users"] == first["users"] and looped["next_page"] == first["next_page"]
    cursor = client.get("/zendesk/api/v2/users.json?page[size]=100", headers=ZD_AUTH).json()
    again = client.get(cursor["links"]["next"], headers=ZD_AUTH).json()
    assert again["users"] == cursor["users"] and again["links"]["next"] == cursor["links"]["next"]


@pytest.mark.parametrize("path, kwargs, param", [
    pytest.param("/freshdesk/api/v2/agents?per_page=10", {"auth": FD_AUTH}, "page=5", id="freshdesk"),
    pytest.param("/keydesk/api/users?page_size=10", {"headers": KD_AUTH}, "page=5", id="keydesk"),
])
def test_loop_pagination_ignores_the_page(client: httpx.Client, path: str, kwargs: dict,
                                          param: str) -> None:
    first = client.get(path, **kwargs).json()
    fifth = client.get(f"{path}&{param}", **kwargs).json()
    looped = client.get(f"{path}&{param}&_fault=loop_pagination", **kwargs).json()
    assert looped == first != fifth


def test_loop_pagination_zoho_offset(client: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {login(client, ZO)['access_token']}", "orgId": ZO["org_id"]}
    first = client.get(ZO_AGENTS, headers=headers).json()
    looped = client.get(ZO_AGENTS + "&from=400", headers={**headers, "X-Sandbox-Fault": "loop_pagination"})
    assert looped.json() == first


# -- per-request specs, switches API, control routes ---------------------------------------------

def test_fault_param_is_dropped_from_next_links(client: httpx.Client) -> None:
    page = client.get("/zendesk/api/v2/users.json?per_page=5&_fault=latency_ms=1", headers=ZD_AUTH)
    assert "_fault" not in page.json()["next_page"]


@pytest.mark.parametrize("spec", ["nonsense", "latency_ms=soon", "server_error=404", "hang_s=-1",
                                  "latency_ms=30001", "timeout=31", "timeout=nan", "bad_state=maybe",
                                  "expire_tokens=perhaps", "retry_after_s=1e999"])
def test_bad_fault_specs_are_400(client: httpx.Client, spec: str) -> None:
    response = client.get(KD_USERS[0], headers={**KD_AUTH, "X-Sandbox-Fault": spec})
    assert response.status_code == 400 and "sandbox_error" in response.json()


@pytest.mark.parametrize("changes", [{"nonsense": 1}, {"rate_limit": "many"}, {"token_body": "xml"},
                                     {"error_status": 418}, {"latency_ms": -5}, {"latency_ms": True},
                                     {"latency_ms": 60_000}, {"hang_s": "nan"}, {"hang_s": "inf"},
                                     {"token_ttl_s": "1e999"}, {"loop_pagination": "maybe"},
                                     {"expire_tokens": "perhaps"}, {"rate_limit": None}])
def test_bad_switches_raise_and_answer_400(fresh_sandbox: Sandbox, client: httpx.Client,
                                           changes: dict) -> None:
    with pytest.raises(FaultError):
        fresh_sandbox.faults.update(**changes)
    response = client.post("/_sandbox/faults", json=changes)
    assert response.status_code == 400 and "sandbox_error" in response.json()
    assert client.get("/_sandbox/faults").json() == Faults().snapshot()


def test_faults_over_http_and_reset(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    set_ = client.post("/_sandbox/faults", json={"rate_limit": 1, "latency_ms": 5})
    assert set_.json()["rate_limit"] == 1 and fresh_sandbox.faults.latency_ms == 5
    assert "rate_limit=1" in repr(fresh_sandbox.faults)
    assert client.get(KD_USERS[0], headers=KD_AUTH).status_code == 429
    assert client.get("/_sandbox/faults").json()["rate_limit"] == 0
    assert client.post("/_sandbox/faults", content=b"[]").status_code == 400
    client.post("/keydesk/api/contacts", json={"name": "N", "phone": "1"}, headers=KD_AUTH)
    assert fresh_sandbox.state and fresh_sandbox.requests
    assert client.post("/_sandbox/reset").json() == {"reset": True}
    assert (fresh_sandbox.state, fresh_sandbox.requests) == ({}, [])
    assert fresh_sandbox.faults.snapshot() == Faults().snapshot()
    index = client.get("/_sandbox").json()
    assert index["zoho"]["api"] == fresh_sandbox.url + "/zoho/api/v1"
    assert fresh_sandbox.urls["keydesk"] == fresh_sandbox.url + "/keydesk"


def test_reset_revokes_issued_tokens(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    tokens = login(client, ZD)
    fresh_sandbox.reset()
    response = client.get(ZD_USERS[0], headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401
    refreshed = token(client, ZD, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.json()["error"] == "invalid_grant"


# -- the request log -----------------------------------------------------------------------------

def test_request_log_records_and_masks_every_secret(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    zoho = login(client, ZO, pkce=True)
    code = authorize(client, ZD, state="s")["code"]
    zd = client.post(ZD["token"], json={"grant_type": "authorization_code", "code": code,
                                         "client_id": ZD["client_id"], "client_secret": ZD["client_secret"],
                                         "redirect_uri": ZD["redirect_uri"]}).json()
    client.get(ZD_USERS[0], headers={"Authorization": f"Bearer {zd['access_token']}"})
    client.get(f"/zendesk/api/v2/users/search.json?query={zd['refresh_token']}", headers=ZD_AUTH)
    client.get(*FD_AGENTS[:1], auth=(FD["username"], FD["password"]))
    client.get(KD_USERS[0], params={"api_key": KD["api_key"]},
               headers={"X-Auth-Credential": "custom-header-secret-value"})
    client.post("/keydesk/api/contacts", headers=KD_AUTH,
                json={"name": "N", "phone": "1", "password": "hunter2-secret-pw"})
    client.post(ZO["token"], data={"grant_type": "refresh_token", "refresh_token": zoho["refresh_token"],
                                   "client_id": ZO["client_id"], "client_secret": ZO["client_secret"]})
    secrets = [ZD["client_secret"], ZD["bearer_token"], ZO["client_secret"], FD["password"],
               KD["api_key"], "hunter2-secret-pw", "custom-header-secret-value", code, zd["access_token"], zd["refresh_token"],
               zoho["access_token"], zoho["refresh_token"]]
    logged = json.dumps(fresh_sandbox.requests)
    over_http = client.get("/_sandbox/requests").text
    for secret in secrets:
        assert secret not in logged and secret not in over_http, secret
    by_path = {(r["method"], r["path"]): r for r in fresh_sandbox.requests}
    assert by_path[("GET", "/zendesk/api/v2/users.json")]["headers"]["authorization"] == f"Bearer {MASK}"
    assert by_path[("GET", "/freshdesk/api/v2/agents")]["headers"]["authorization"] == f"Basic {MASK}"
    assert f"api_key={MASK}" in by_path[("GET", "/keydesk/api/users")]["url"]
    contact = by_path[("POST", "/keydesk/api/contacts")]
    assert contact["headers"]["x-api-key"] == MASK
    assert json.loads(contact["body"]) == {"name": "N", "phone": "1", "password": MASK}
    assert contact["vendor"] == "keydesk" and contact["status"] == 201
    assert f"client_secret={MASK}" in by_path[("POST", "/zoho/oauth/v2/token")]["body"]
    assert "grant_type=refresh_token" in by_path[("POST", "/zoho/oauth/v2/token")]["body"]
    assert [r["seq"] for r in fresh_sandbox.requests] == list(range(1, len(fresh_sandbox.requests) + 1))


def test_json_bodies_are_logged_as_sent_unless_masked(fresh_sandbox: Sandbox,
                                                       client: httpx.Client) -> None:
    raw = b'{ "name" : "Caf\\u00e9",  "phone": "1" }'
    client.post("/keydesk/api/contacts", headers={**KD_AUTH, "Content-Type": "application/json"},
                content=raw)
    client.post("/keydesk/api/contacts", headers={**KD_AUTH, "Content-Type": "application/json"},
                content=b"{not json " + KD["api_key"].encode())
    assert [r["body"] for r in fresh_sandbox.requests] == [raw.decode(), f"{{not json {MASK}"]


def test_control_routes_are_not_logged(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    client.get(KD_USERS[0], headers=KD_AUTH)
    for _ in range(3):
        client.get("/_sandbox/requests")
    log = client.get("/_sandbox/requests").json()
    assert [r["path"] for r in log["requests"]] == ["/keydesk/api/users"]
    assert log["peak_in_flight"] == 1 and log["in_flight"] == 0
