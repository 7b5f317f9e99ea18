"""Every corpus template that targets the sandbox, run through the Engine as the PBX would.

The corpus (tests/data/templates/corpus/) holds hand-written templates modelled on real
helpdesks; its MANIFEST says which inputs and variables each needs, what to run (users,
search, create_contact, call) and what the run must find and what the sandbox must then hold.
Each file is imported with hdkit, authorized like a user would (the OAuth2 consent approved
through the sandbox's consent URL), and run; the assertions are on what hdkit found and on what
the sandbox received and stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import pytest

import support
from hdkit.engine import Engine, TokenStore, run_sync
from hdkit.engine import calls, scenarios
from hdkit.engine.session import Session
from hdkit.model import AuthMethod, Template
from hdkit.sandbox import Sandbox
from hdkit.validate import errors, validate
from hdkit.yeastar_xml import load

CORPUS = support.DATA / "templates" / "corpus"
MANIFEST = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
SANDBOXED = [e for e in MANIFEST["templates"] if e["sandbox"]]


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["file"].removesuffix(".xml") for e in entries]


def _on(hd: Sandbox, value: Any) -> Any:
    """``{sandbox}`` in a MANIFEST value, pointed at the running sandbox."""
    return value.replace("{sandbox}", hd.url) if isinstance(value, str) else value


def _approve(consent_url: str) -> str:
    """What a user's browser does: open the consent page approving at once, follow nothing."""
    response = httpx.get(consent_url + "&approve=1", follow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def _engine(entry: dict[str, Any], hd: Sandbox) -> Engine:
    template = load(CORPUS / entry["file"])
    assert errors(validate(template)) == [], [str(p) for p in errors(validate(template))]
    inputs = {name: _on(hd, value) for name, value in entry["inputs"].items()}
    engine = Engine(template, inputs, tokens=TokenStore(), retries=0)
    if template.auth.method is AuthMethod.OAUTH2:
        tokens = engine.authorize(paste=_approve, redirect_uri=f"{hd.url}/pbx/oauth/callback")
        assert tokens.access_token  # fetched through the template's own token endpoint
    return engine


def _run(engine: Engine, variables: Mapping[str, str], scenario: Callable[[Session], Any]) -> Any:
    """One run with the MANIFEST's variables in scope (what ``hdkit run --var`` sets)."""

    async def go() -> Any:
        async with engine.session() as session:
            session.base.update(variables)
            return await scenario(session)

    return run_sync(go())


def _at(record: Any, dotted: str) -> Any:
    for step in dotted.split("."):
        record = record[int(step)] if isinstance(record, list) else record[step]
    return record


def _check_stored(hd: Sandbox, vendor: str, stored: Mapping[str, Any], before: Mapping[str, int]) -> None:
    """The records of each kind created since ``before``: as many as expected, each with its fields."""
    for kind, want in stored.items():
        created = hd.state.get(vendor, {}).get(kind, [])[before.get(kind, 0):]
        assert len(created) == want["count"], (kind, created)
        for record in created:
            for path, value in want.get("fields", {}).items():
                assert _at(record, path) == value, (kind, path, record)


def _counts(hd: Sandbox, vendor: str, stored: Mapping[str, Any]) -> dict[str, int]:
    return {kind: len(hd.state.get(vendor, {}).get(kind, [])) for kind in stored}


@pytest.mark.parametrize("entry", SANDBOXED, ids=_ids(SANDBOXED))
def test_each_corpus_template_runs_against_the_sandbox(entry: dict[str, Any], fresh_sandbox: Sandbox) -> None:
    hd, expect, vendor = fresh_sandbox, entry["expect"], entry["sandbox_vendor"]
    engine = _engine(entry, hd)
    variables = entry["variables"]
    template: Template = engine.template

    if "users" in entry["run"]:
        users = _run(engine, variables, scenarios.users)
        records = users.records()
        assert len(records) == expect["users"]["count"]
        assert str(records["UserUniqueId"].iloc[0]) == expect["users"]["first_id"]

    for want in expect.get("search", []) if "search" in entry["run"] else []:
        found, _ = _run(engine, variables, lambda s, phone=want["phone"]: scenarios.search(s, phone))
        if want["contact_id"] is None:
            assert found.matches == (), (want["phone"], found.matches)
            continue
        assert found.matches, (want["phone"], found.log)
        match = found.matches[0]
        assert str(match.fields["ContactsId"]) == want["contact_id"]
        if "contact_type" in want:
            assert match.contact_type == want["contact_type"]
        if "popup_url" in want:
            assert match.popup_url == _on(hd, want["popup_url"])
        for name, value in want.get("fields", {}).items():
            assert match.fields[name] == _on(hd, value), (name, match.fields)

    if "create_contact" in entry["run"]:
        want = expect["create_contact"]
        before = _counts(hd, vendor, want["stored"])
        trace, outputs = _run(engine, variables, lambda s: scenarios.create_contact(
            s, want["phone"], first_name=want["first_name"], last_name=want["last_name"]))
        assert outputs.get("ContactId"), trace.steps
        _check_stored(hd, vendor, want["stored"], before)

    if "call" in entry["run"]:
        want = expect["call"]
        before = _counts(hd, vendor, want["stored"])
        event = engine.event(want["event"], want["phone"], contact_name="Ada Lovelace", start=1764000000)
        legs = list(event) if isinstance(event, tuple) else [event]
        trace = _run(engine, variables, lambda s: calls.call(s, legs))
        failed = [(s.step, s.exchange.status) for s in trace.steps
                  if s.exchange is not None and s.exchange.outcome.value not in ("ok", "skipped")]
        assert failed == []
        _check_stored(hd, vendor, want["stored"], before)

    for want in expect.get("requests", []):
        sent = [r for r in hd.requests if r["method"] == want["method"] and r["path"] == want["path"]]
        assert sent, (want, [(r["method"], r["path"]) for r in hd.requests][-20:])
        if "body_contains" in want:
            assert any(want["body_contains"] in json.dumps(r.get("body")) for r in sent)
    assert template == engine.template  # running changed nothing in the template
