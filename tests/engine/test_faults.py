"""Issue 5, "Bad input and faults": each fault against the sandbox's switches, through the Engine.

Every row runs a bundled sample template, as a user would, against the sandbox helpdesk with
one fault switched on, and checks the promise of the issue: a clear error or a recorded
outcome that names the step and the cause; no user lost or duplicated across retries; never
a POST sent twice.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from hdkit import samples
from hdkit.engine import Engine, TokenStore
from hdkit.errors import EngineError
from hdkit.model import Header, Template
from hdkit.sandbox import AGENT_COUNT, DEMO, Sandbox

PHONE = samples.demo_phone("keydesk")  # Ada Lovelace, in every sandbox phone book


async def no_wait(_seconds: float) -> None:
    """Retries back off through Engine(sleep=...): instant here, counted by the sandbox."""


def engine(hd: Sandbox, name: str = "keydesk", *, template: Template | None = None,
           **inputs_and_options: Any) -> Engine:
    options = {k: inputs_and_options.pop(k) for k in ("timeout", "retries") if k in inputs_and_options}
    inputs = {**samples.demo_inputs(name, hd.url), **inputs_and_options}
    return Engine(template or samples.load(name), inputs, sleep=no_wait, **options)


def with_header(name: str, value: str, sample: str = "keydesk") -> Template:
    """The sample with one more custom header (sent on every scenario request)."""
    t = samples.load(sample)
    return dataclasses.replace(t, headers=(*t.headers, Header(name=name, value=value)))


def faulty(spec: str, sample: str = "keydesk") -> Template:
    """The sample asking the sandbox for a fault on each of its scenario requests."""
    return with_header("X-Sandbox-Fault", spec, sample)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sent(hd: Sandbox, method: str, path_end: str = "") -> int:
    return sum(r["method"] == method and r["path"].endswith(path_end) for r in hd.requests)


# --------------------------------------------------------------------------- one request, each fault

Setup = Callable[[Sandbox], Engine]
Scenario = Callable[[Engine], Any]


def search(e: Engine) -> Any:
    return e.search(PHONE)


def create(e: Engine) -> Any:
    return e.create_contact("+14155550777", first_name="Grace", last_name="Hopper")


def sync(e: Engine) -> Any:
    return e.users()


def page_size(size: int) -> Template:
    """The keydesk sample asking for pages of ``size`` users (the helpdesk allows 1 to 100)."""
    t = samples.load("keydesk")
    ua = t.user_association
    paging = dataclasses.replace(ua.pagination, size=size)
    return dataclasses.replace(t, user_association=dataclasses.replace(ua, pagination=paging))


@pytest.mark.parametrize(
    "setup, scenario, step, outcome, status, cause",
    [
        pytest.param(lambda hd: engine(hd, base_url=f"http://127.0.0.1:{closed_port()}/keydesk", retries=1),
                     search, "Search Contacts", "network_error", None, "could not connect", id="unreachable"),
        pytest.param(lambda hd: engine(hd, base_url=hd.url.replace("http://", "https://") + "/keydesk"),
                     search, "Search Contacts", "tls_error", None, "TLS error", id="tls"),
        pytest.param(lambda hd: engine(hd, template=faulty("timeout=3"), timeout=0.3, retries=1),
                     search, "Search Contacts", "timeout", None,
                     "timed out after 0.3 s while waiting for the response", id="timeout"),
        pytest.param(lambda hd: engine(hd, api_key="kd-wrong-key"),
                     search, "Search Contacts", "http_error", 401, "HTTP 401 Unauthorized: {", id="401"),
        pytest.param(lambda hd: engine(hd, api_key=DEMO["keydesk"]["readonly_api_key"]),
                     create, "Create Contacts", "http_error", 403, "This API key may only read", id="403"),
        pytest.param(lambda hd: engine(hd, base_url=f"{hd.url}/keydesk/v9"),
                     search, "Search Contacts", "http_error", 404, "HTTP 404 Not Found", id="404"),
        pytest.param(lambda hd: engine(hd, template=page_size(500)),
                     sync, "GetUsers (page 1)", "http_error", 422, "page_size: must be between 1 and 100",
                     id="422"),
        pytest.param(lambda hd: engine(hd, template=faulty("rate_limit"), retries=2),
                     search, "Search Contacts", "http_error", 429, "HTTP 429 Too Many Requests after 3 attempts",
                     id="429"),
        pytest.param(lambda hd: engine(hd, template=faulty("server_error=502"), retries=2),
                     search, "Search Contacts", "http_error", 502, "HTTP 502 Bad Gateway after 3 attempts",
                     id="5xx"),
        pytest.param(lambda hd: engine(hd, template=faulty("malformed")),
                     search, "Search Contacts", "invalid_json", 200,
                     "the response is not valid JSON (application/json)", id="truncated-json"),
    ],
)
def test_a_failed_request_is_a_recorded_outcome_naming_step_and_cause(
        fresh_sandbox: Sandbox, setup: Setup, scenario: Scenario, step: str, outcome: str,
        status: int | None, cause: str) -> None:
    result = scenario(setup(fresh_sandbox))
    (failure,) = result.failures()
    assert (failure.step, str(failure.outcome), failure.status) == (step, outcome, status)
    assert failure.error.startswith(f"{step}: ") and cause in failure.error
    assert not getattr(result, "matches", ())  # nothing mapped from a failed answer


def test_a_body_that_is_not_json_names_the_step(fresh_sandbox: Sandbox) -> None:
    """A page that answers HTML (a login page, a proxy's error page) where JSON was expected."""
    html_page = DEMO["keydesk"]["contact_page"].format(id="c00001")  # the helpdesk's HTML view
    t = samples.load("keydesk")
    search = dataclasses.replace(t.contact_search.contact_types[0], url="{{.base_url}}" + html_page.removeprefix("/keydesk"))
    t = dataclasses.replace(t, contact_search=dataclasses.replace(t.contact_search, contact_types=(search,)))
    (failure,) = engine(fresh_sandbox, template=t).search(PHONE).failures()
    assert str(failure.outcome) == "invalid_json" and failure.status == 200
    assert failure.error.startswith("Search Contacts: the response is not valid JSON (text/html")


def test_a_missing_input_names_the_step_and_the_variable_and_sends_nothing(fresh_sandbox: Sandbox) -> None:
    inputs = samples.demo_inputs("keydesk", fresh_sandbox.url)
    del inputs["api_key"]
    with pytest.raises(EngineError) as caught:
        Engine(samples.load("keydesk"), inputs).search(PHONE)
    assert "Search Contacts: variable 'api_key' has no value" in str(caught.value)
    assert "--input api_key=VALUE" in str(caught.value)
    assert fresh_sandbox.requests == []


def test_a_contact_path_that_matches_nothing_is_an_empty_field_and_a_warning(fresh_sandbox: Sandbox) -> None:
    """Format reference 1.4: a path that matches nothing gives an empty value; in every
    record it is most likely a typo, so the step says which path."""
    t = samples.load("keydesk")
    cs = t.contact_search
    email = dataclasses.replace(cs.fields.email, path="data.#.no_such_field")
    t = dataclasses.replace(t, contact_search=dataclasses.replace(
        cs, fields=dataclasses.replace(cs.fields, email=email)))
    result = engine(fresh_sandbox, template=t).search(PHONE)
    assert not result.failures() and len(result) == 1
    match = result.matches[0].fields
    assert match["Email"] == "" and match["FirstName"] == "Ada Lovelace"
    (problem,) = result.problems
    assert problem.code == "path-matched-nothing" and problem.location.field == "Email"
    assert "Search Contacts: the path 'data.#.no_such_field' matched nothing in any of 1 record(s)" in str(problem)


@pytest.mark.parametrize("path", ["data.#.no_id", "no_such_array.#.id"])
def test_a_user_id_path_that_matches_nothing_is_named_on_the_sync(fresh_sandbox: Sandbox, path: str) -> None:
    t = samples.load("keydesk")
    ua = t.user_association
    t = dataclasses.replace(t, user_association=dataclasses.replace(
        ua, fields=dataclasses.replace(ua.fields, user_id=path)))
    users = engine(fresh_sandbox, template=t).users()
    (problem,) = users.problems
    assert (problem.location.section, problem.location.field) == ("User Association", "UserUniqueId")
    assert f"GetUsers: the path {path!r} matched nothing in any of {AGENT_COUNT} record(s)" in problem.message
    assert set(users.records()["UserUniqueId"]) == {""} and len(users) == AGENT_COUNT


# --------------------------------------------------------------------------- user sync under faults


def unique_ids(users: Any) -> int:
    return len(set(users.records()["UserUniqueId"]))


@pytest.mark.parametrize(
    "switches",
    [
        pytest.param({"rate_limit": 5, "retry_after_s": 1}, id="429s"),
        pytest.param({"server_error": 4}, id="5xx"),
        pytest.param({"timeout": 2, "hang_s": 2}, id="timeouts"),
    ],
)
def test_faults_mid_sync_lose_and_duplicate_no_user(fresh_sandbox: Sandbox, switches: dict[str, Any]) -> None:
    fresh_sandbox.faults.update(**switches)
    users = engine(fresh_sandbox, timeout=0.5).users()
    assert users.stop.reason == "empty_page" and not users.failures()
    assert len(users) == unique_ids(users) == AGENT_COUNT
    retried = sum(r["status"] != 200 for r in fresh_sandbox.requests)
    assert retried == next(v for k, v in switches.items() if k != "retry_after_s" and k != "hang_s")


def test_a_sync_that_keeps_failing_stops_with_error_and_keeps_no_partial_page(fresh_sandbox: Sandbox) -> None:
    fresh_sandbox.faults.update(server_error=100)
    users = engine(fresh_sandbox, retries=1).users()
    (failure,) = users.failures()
    assert users.stop.reason == "error" and len(users) == 0
    assert failure.step == "GetUsers (page 1)" and "HTTP 503" in users.stop.detail


@pytest.mark.parametrize("sample", [pytest.param("keydesk", id="page-number"),
                                    pytest.param("zoho", id="offset"),
                                    pytest.param("zendesk", id="next-link")])
def test_pagination_that_loops_stops_at_the_first_repeated_page(fresh_sandbox: Sandbox, sample: str) -> None:
    """The helpdesk ignores the page parameters (or links back to page 1): page 2 is page 1."""
    e = engine(fresh_sandbox) if sample == "keydesk" else authorized(fresh_sandbox, sample)
    fresh_sandbox.faults.update(loop_pagination=True)
    users = e.users()
    assert users.stop.reason == "repeated_page" and users.stop.pages == 2
    assert users.stop.detail.startswith("page 2 repeated page 1")
    assert len(users) == unique_ids(users) > 0 and not users.failures()


# --------------------------------------------------------------------------- OAuth2 tokens


def authorized(hd: Sandbox, sample: str) -> Engine:
    """A sample OAuth2 engine, consent given (the sandbox auto-approves with approve=1)."""
    e = Engine(samples.load(sample), samples.demo_inputs(sample, hd.url), tokens=TokenStore(), sleep=no_wait)
    e.authorize(redirect_uri=DEMO[sample]["redirect_uri"],
                paste=lambda url: httpx.get(url + "&approve=1").headers["location"])
    return e


@contextmanager
def tokens_expire_after(hd: Sandbox, pages: int) -> Iterator[None]:
    """Expire every access token once the helpdesk has served ``pages`` user pages.

    The watcher stops with the block, so it can never fire during another test.
    """
    done = threading.Event()

    def served() -> int:
        return sum(r["path"].endswith("/agents") and r["status"] == 200 for r in hd.requests)

    def watch() -> None:
        while not done.wait(0.005):
            if served() >= pages:
                hd.expire_tokens()
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=5)


def test_a_token_that_expires_mid_sync_is_refreshed_and_no_user_is_lost(fresh_sandbox: Sandbox) -> None:
    e = authorized(fresh_sandbox, "zoho")
    fresh_sandbox.faults.update(latency_ms=20)  # pages take long enough for the switch to land mid-sync
    with tokens_expire_after(fresh_sandbox, pages=5):
        users = e.users()
    statuses = [r["status"] for r in fresh_sandbox.requests if r["path"].endswith("/agents")]
    assert 401 in statuses and statuses.index(401) >= 5  # expired after pages were served
    assert sent(fresh_sandbox, "POST", "/oauth/v2/token") == 2  # the code exchange, then one refresh
    assert users.stop.reason == "empty_page" and not users.failures()
    assert len(users) == unique_ids(users) == AGENT_COUNT


# --------------------------------------------------------------------------- a call never POSTs twice


@pytest.mark.parametrize(
    "spec, searches",
    [
        pytest.param("server_error=503", 3, id="5xx"),
        pytest.param("rate_limit", 3, id="429"),
        pytest.param("timeout=2", 3, id="timeout"),
        pytest.param("malformed", 1, id="truncated-json"),  # an answer, not a transient failure
    ],
)
def test_a_call_under_faults_never_sends_a_post_twice(fresh_sandbox: Sandbox, spec: str, searches: int) -> None:
    """Every scenario request of the call carries the fault; GETs are retried, POSTs never."""
    e = engine(fresh_sandbox, "freshdesk", template=faulty(spec, "freshdesk"), timeout=0.5, retries=2)
    trace = e.call(e.event("inbound-missed", "+14155550777"))  # unknown: contact creation too
    posts = [r["path"] for r in fresh_sandbox.requests if r["method"] == "POST"]
    assert posts and len(posts) == len(set(posts))  # each POST endpoint reached exactly once
    assert sent(fresh_sandbox, "GET", "/contacts") == searches  # 1 + 2 retries when transient
    failed = {e.step: e for e in trace.failures()}
    assert {"Search Contacts", "Create Contacts", "CreateNewTicket", "CallJournal"} <= set(failed)
    assert all(f.attempts == 1 for step, f in failed.items() if step != "Search Contacts")
    assert failed["Search Contacts"].attempts == searches and not trace.ok
