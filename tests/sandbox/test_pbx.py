"""The PBX's OAuth2 callback in the sandbox: a consent round trip carries ``state`` or fails the way
the PBX fails (format reference 6.1: "PARAMETER ERROR" / "state is null")."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from support.sandbox_api import HS, ZD, ZO

from hdkit.sandbox import Sandbox
from hdkit.sandbox.accounts import PBX_CALLBACK


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5, follow_redirects=True) as c:
        yield c


def _consent(client: httpx.Client, vendor: dict, **extra: str) -> httpx.Response:
    """Approve the vendor's consent page with the PBX's callback as redirect_uri, following the 302."""
    params = {"response_type": "code", "client_id": vendor["client_id"], "approve": "1",
              "redirect_uri": f"{client.base_url}{PBX_CALLBACK}", **extra}
    return client.get(vendor["authorize"], params=params)


@pytest.mark.parametrize("vendor", [pytest.param(ZD, id="zendesk"), pytest.param(ZO, id="zoho"),
                                    pytest.param(HS, id="hubspot")])
def test_a_round_trip_that_carries_state_is_accepted(fresh_sandbox: Sandbox, client: httpx.Client,
                                                     vendor: dict) -> None:
    landed = _consent(client, vendor, state="pbx-123")
    assert landed.status_code == 200 and "Authorization complete" in landed.text
    assert landed.history[0].status_code == 302
    [callback] = fresh_sandbox.state["pbx"]["callbacks"]
    assert (callback["state"], callback["code_received"], callback["accepted"]) == ("pbx-123", True, True)
    assert "code" not in callback  # the code is a secret: recorded as received, never stored
    logged = fresh_sandbox.requests[-1]
    assert logged["vendor"] == "pbx" and "code=********" in logged["url"]


def test_a_helpdesk_that_does_not_require_state_lets_the_pbx_fail(fresh_sandbox: Sandbox,
                                                                  client: httpx.Client) -> None:
    landed = _consent(client, ZD)  # Zendesk redirects without state when none was sent
    assert landed.status_code == 400
    assert landed.json() == {"status": "PARAMETER ERROR", "message": "state is null"}
    assert fresh_sandbox.state["pbx"]["callbacks"][0]["accepted"] is False


@pytest.mark.parametrize("how", ["switch", "per-request"])
@pytest.mark.parametrize("vendor", [pytest.param(ZD, id="zendesk"), pytest.param(HS, id="hubspot")])
def test_drop_state_loses_the_state_like_a_broken_proxy(fresh_sandbox: Sandbox, client: httpx.Client,
                                                        vendor: dict, how: str) -> None:
    extra = {"state": "pbx-123"}
    if how == "switch":
        fresh_sandbox.faults.update(drop_state=True)
    else:
        extra["_fault"] = "drop_state"
    landed = _consent(client, vendor, **extra)
    assert landed.history[0].status_code == 302 and "state=" not in landed.history[0].headers["location"]
    assert landed.status_code == 400 and landed.json()["message"] == "state is null"


def test_a_denied_consent_reaches_the_pbx_without_a_code(client: httpx.Client) -> None:
    landed = _consent(client, HS, state="s", approve="0")
    assert landed.status_code == 400
    assert landed.json() == {"status": "PARAMETER ERROR", "message": "code is null", "error": "access_denied"}


def test_faults_on_the_pbx_and_unknown_pbx_pages(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    busy = client.get(PBX_CALLBACK, params={"code": "c", "state": "s", "_fault": "server_error"})
    assert busy.status_code == 503 and busy.json() == {"status": "SYSTEM ERROR", "message": "HTTP 503"}
    assert client.get("/pbx/admin").json()["status"] == "NOT FOUND"
    assert fresh_sandbox.faults.snapshot()["drop_state"] is False
