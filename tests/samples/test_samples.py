"""Sample templates: current, loadable, valid, and they run against the sandbox."""

from __future__ import annotations

import pytest

from hdkit import samples
from hdkit.errors import ModelError
from hdkit.model import Template
from hdkit.samples.build import BUILDERS
from hdkit.yeastar_xml import to_xml

NAMES = samples.names()


def test_names_are_the_four_sandbox_vendors() -> None:
    assert NAMES == ["freshdesk", "keydesk", "zendesk", "zoho"]


@pytest.mark.parametrize("name", NAMES)
def test_sample_xml_is_what_the_writer_exports(name: str) -> None:
    assert samples.text(name) == to_xml(BUILDERS[name]()), "run: python -m hdkit.samples.build"


@pytest.mark.parametrize("name", NAMES)
def test_sample_loads_to_its_model(name: str) -> None:
    template = samples.load(name)
    assert isinstance(template, Template) and template == BUILDERS[name]()
    assert any(f.name == "base_url" for f in template.auth.custom_fields)


@pytest.mark.parametrize("name", NAMES)
def test_demo_inputs_point_at_the_sandbox(name: str) -> None:
    inputs = samples.demo_inputs(name, "http://127.0.0.1:8000/")
    assert inputs["base_url"] == f"http://127.0.0.1:8000/{name}"
    declared = {f.name for f in samples.load(name).auth.custom_fields}
    assert set(inputs) <= declared


def test_unknown_sample_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="no sample template 'nope'.*freshdesk"):
        samples.load("nope")


# --------------------------------------------------------------------------- against the sandbox

import httpx  # noqa: E402

from hdkit.engine.runner import Engine  # noqa: E402
from hdkit.sandbox.accounts import AGENT_COUNT, DEMO  # noqa: E402
from hdkit.validate import validate  # noqa: E402

START = 1700000000


@pytest.mark.parametrize("name", NAMES)
def test_sample_validates_without_errors(name: str) -> None:
    errors = [p for p in validate(samples.load(name)) if p.is_error]
    assert errors == []


def _approve(url: str) -> str:
    """Play the user's browser: approve the consent page, return where it redirects."""
    response = httpx.get(url + "&approve=1", follow_redirects=False)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def sample_engine(name: str, url: str) -> Engine:
    eng = Engine(samples.load(name), samples.demo_inputs(name, url))
    if name in ("zendesk", "zoho"):
        eng.authorize(redirect_uri=DEMO[name]["redirect_uri"], paste=_approve)
    return eng


@pytest.mark.parametrize("name", NAMES)
def test_sample_runs_every_scenario_against_the_sandbox(name: str, fresh_sandbox) -> None:
    eng = sample_engine(name, fresh_sandbox.url)
    users = eng.users()
    assert len(users) == AGENT_COUNT, users.stops()
    assert users.records()["UserUniqueId"].is_unique
    found = eng.search(samples.demo_phone(name))
    assert len(found) >= 1 and found.matches[0].popup_url.startswith(fresh_sandbox.url)
    assert "Lovelace" in found.records().to_string()
    answered = eng.call(eng.event("inbound-answered", samples.demo_phone(name), start=START))
    assert answered.ok, answered.trace()[["step", "status", "outcome", "note"]].to_string()
    unknown = eng.call(eng.event("inbound-missed", "+1 646 555 0199", start=START, contact_name="New Caller"))
    assert unknown.ok, unknown.trace()[["step", "status", "outcome", "note"]].to_string()
    assert unknown.variables.get("ContactId") not in (None, "")


def test_sample_secrets_reach_no_frame_repr_or_curl(fresh_sandbox) -> None:
    import base64

    key = DEMO["freshdesk"]["api_key"]
    secret_forms = [key, base64.b64encode(f"{key}:X".encode()).decode()]
    eng = sample_engine("freshdesk", fresh_sandbox.url)
    results = [eng.users(), eng.search(samples.demo_phone("freshdesk")),
               eng.call(eng.event("inbound-missed", "+1 646 555 0100", start=START)),
               eng.match_matrix(samples.demo_phone("freshdesk"))]
    texts = [repr(eng)]
    for r in results:
        texts += [repr(r), r.exchanges().to_csv(), *(e.to_curl() for e in r.log)]
    texts += [results[0].records().to_csv(), results[1].records().to_csv(), results[2].trace().to_csv(),
              repr(results[2].variables), results[3].matrix().to_csv()]
    assert not [form for form in secret_forms for t in texts if form in t]


def test_helpdesk_refusals_are_recorded_steps_not_exceptions(fresh_sandbox) -> None:
    inputs = samples.demo_inputs("freshdesk", fresh_sandbox.url) | {"api_key": DEMO["freshdesk"]["readonly_api_key"]}
    eng = Engine(samples.load("freshdesk"), inputs)
    trace = eng.call(eng.event("inbound-missed", "+1 646 555 0101", start=START))
    assert not trace.ok
    by_step = {s.name: s for s in trace.steps}
    assert str(by_step["Search Contacts"].exchange.outcome) == "ok"  # reads are allowed
    assert by_step["Create Contacts"].exchange.status == 403
    refused = [s for s in trace.steps if s.exchange is not None and s.exchange.status == 403]
    assert refused and all("HTTP 403" in s.note for s in refused)
    assert "CallJournal" in by_step  # the flow carried on and recorded every step


def test_server_errors_on_a_lookup_are_retried_then_recorded(fresh_sandbox) -> None:
    eng = sample_engine("keydesk", fresh_sandbox.url)
    eng.sleep = _no_wait
    fresh_sandbox.faults.update(server_error=2)
    found = eng.search(samples.demo_phone("keydesk"))
    assert len(found) >= 1 and found.log[0].attempts == 3


async def _no_wait(_: float) -> None:
    return None
