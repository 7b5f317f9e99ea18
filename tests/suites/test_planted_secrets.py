"""Suite 1 of issue 12: planted secrets never show, anywhere hdkit writes (figure: places, hits).

Unique sentinel secrets holding ``"``, ``\\``, spaces, ``+``, ``%`` and ``&`` go in through
every auth method (None with an API key input, Basic, OAuth2, Bearer from a token file), and
tokens come back at run time (an OAuth2 token endpoint; a follow-up login). The runs are the
Python API and every CLI command (each ``run`` action, dry runs, ``auth`` with a token file,
``export``, ``validate``), against the echoing :class:`~support.hostile.HostileDesk` (which
sends every credential back, JSON-escaped, inside its answers) and against the sandbox, on
success and on errors (401, timeouts, template functions applied to secrets). Each place hdkit
writes (stdout, stderr, logs at DEBUG of httpx, httpcore and hdkit, DataFrames in three
formats, curl commands, reprs, tracebacks, token files, exported files) is scanned for every
secret in every spelling (:func:`support.leaks.spellings`). Notebook outputs, fresh and stored,
are scanned for the sandbox's demo secrets by tests/notebooks into the same tally.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hdkit import samples
from hdkit.cli import main as hdkit
from hdkit.engine import Engine, Tokens, TokenStore
from hdkit.errors import HdkitError
from hdkit.results import frame_of
from hdkit.sandbox import Sandbox
from hdkit.secrets import Secret
from hdkit.yeastar_xml import from_xml
from support.hostile import (
    ACCESS_TOKEN,
    FOLLOWUP_LOGIN,
    FOLLOWUP_TOKEN,
    KEY_IN_QUERY,
    REFRESH_TOKEN,
    HostileDesk,
    variant,
)
from support.leaks import TALLY
from support.terminal import Terminal, User

API_KEY = 'Pk1 "api\\key%+&Zz'
BASIC_KEY = 'Pb2 "bas\\ic%+&Yy'
CLIENT_SECRET = 'Pc3 "cli\\ent%+&Xx'
BEARER = 'Pt4 "bea\\rer%+&Ww'
INPUT_SECRETS = {"api key": API_KEY, "basic key": BASIC_KEY, "client secret": CLIENT_SECRET, "bearer": BEARER}
ISSUED = {"access token": ACCESS_TOKEN, "refresh token": REFRESH_TOKEN, "follow-up token": FOLLOWUP_TOKEN}
SECRETS = {**INPUT_SECRETS, **ISSUED}
PHONE = "+14155550123"
REDIRECT = "https://pbx.test/callback"

BEARER_XML = (('AuthType="oauth2"', 'AuthType="bearer_token"'),
              ('Name="AuthMethod" Value="oauth2"', 'Name="AuthMethod" Value="bearer_token"'))
AUTHS: dict[str, tuple[str, Callable[[HostileDesk], dict[str, str]]]] = {
    "none+api-key": (variant("keydesk", KEY_IN_QUERY, FOLLOWUP_LOGIN),
                     lambda d: {"base_url": d.base("keydesk"), "api_key": API_KEY}),
    "basic": (variant("freshdesk"), lambda d: {"base_url": d.base("freshdesk"), "api_key": BASIC_KEY}),
    "oauth2": (variant("zoho"), lambda d: {"base_url": d.base("zoho"), "client_id": "hdkit-client",
                                            "client_secret": CLIENT_SECRET, "org_id": "1", "department_id": "2"}),
    "bearer": (variant("zendesk", *BEARER_XML), lambda d: {"base_url": d.base("zendesk"), "client_id": "hdkit",
                                                            "client_secret": CLIENT_SECRET}),
}


def scan(where: str, text: str, secrets: dict[str, str] = SECRETS) -> list[str]:
    return TALLY.scan(where, text, secrets)


def paste(url: str) -> str:
    """The browser's redirect after consent, for an authorization URL (the desk approves all)."""
    state = url.split("state=", 1)[1].split("&", 1)[0]
    return f"{REDIRECT}?code=c0de-1&state={state}"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def desk() -> Iterator[HostileDesk]:
    with HostileDesk(users=3) as d:
        yield d


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every test runs with logging at DEBUG; its log text is one more place scanned."""
    caplog.set_level(logging.DEBUG)
    yield caplog
    assert scan("logs at DEBUG", caplog.text) == []


@pytest.fixture(scope="module")
def files(desk: HostileDesk, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each auth's template file, and the token files OAuth2 and Bearer runs read."""
    folder = tmp_path_factory.mktemp("planted")
    out = {}
    for auth, (xml, _) in AUTHS.items():
        out[auth] = folder / f"{auth}.xml"
        out[auth].write_text(xml, encoding="utf-8")
    out["oauth2 tokens"] = folder / "oauth2-tokens.json"
    engine = Engine(from_xml(AUTHS["oauth2"][0]), AUTHS["oauth2"][1](desk), tokens=TokenStore(out["oauth2 tokens"]))
    engine.authorize(redirect_uri=REDIRECT, paste=paste)
    out["bearer tokens"] = folder / "bearer-tokens.json"
    TokenStore(out["bearer tokens"]).put("hdkit_sample_zendesk", Tokens(Secret(BEARER)))
    return out


def engine_for(auth: str, desk: HostileDesk, **options: Any) -> Engine:
    xml, inputs = AUTHS[auth]
    tokens = None
    if auth == "oauth2":
        tokens = TokenStore()
    elif auth == "bearer":
        tokens = TokenStore()
        tokens.put("hdkit_sample_zendesk", Tokens(Secret(BEARER)))
    engine = Engine(from_xml(xml), inputs(desk), tokens=tokens, **options)
    if auth == "oauth2":
        engine.authorize(redirect_uri=REDIRECT, paste=paste)
    return engine


def shown(result: Any) -> dict[str, str]:
    """Every way a result is looked at: repr, its main table and exchanges in three formats,
    curl commands, problems and errors."""
    frame, exchanges = frame_of(result), result.exchanges()
    return {
        "repr": repr(result),
        "table": frame.to_string() + repr(frame),
        "table csv+json": frame.to_csv() + frame.to_json(default_handler=str),
        "exchanges": exchanges.to_string() + exchanges.to_csv() + exchanges.to_json(default_handler=str),
        "curl": "\n".join(e.to_curl() for e in result.log),
        "problems+errors": "\n".join([*(str(p) for p in getattr(result, "problems", ())),
                                       *(str(e.error) for e in result.log)]),
        "exchange reprs": "\n".join(repr(e) for e in result.log),
    }


# --------------------------------------------------------------------------- the Python API


SCENARIOS: dict[str, Callable[[Engine], Any]] = {
    "users": lambda e: e.users({"1001": "u1@x.io"}),
    "search": lambda e: e.search(PHONE),
    "match-matrix": lambda e: e.match_matrix(PHONE),
    "create-contact": lambda e: e.create_contact("+14155550777", first_name="Grace", last_name="Hopper"),
    "call": lambda e: e.call(e.event("inbound-answered", PHONE)),
    "followup": lambda e: e.followup(FOLLOWUP_EVENT.get(e.template.general.key, "call_ringing"), {"TicketId": "7"}),
}
FOLLOWUP_EVENT = {"hdkit_sample_keydesk": "call_ringing", "hdkit_sample_freshdesk": "ticket_created"}


@pytest.mark.parametrize("dry_run", [False, True], ids=["real", "dry-run"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("auth", list(AUTHS))
def test_api_runs(desk: HostileDesk, auth: str, scenario: str, dry_run: bool) -> None:
    desk.reset()
    engine = engine_for(auth, desk, dry_run=dry_run)
    if auth == "oauth2" and not dry_run:
        desk.unauthorized_next = 1  # the token is refused once: refresh (client secret, refresh token), retry
    result = SCENARIOS[scenario](engine)
    if not dry_run and (scenario != "followup" or auth in ("none+api-key", "basic")):
        assert desk.requests, "the run reached the helpdesk"  # (only two samples have follow-ups)
    hits = [h for where, text in shown(result).items() for h in scan(f"{auth} {scenario} {where}", text)]
    hits += scan(f"{auth} {scenario} engine repr", repr(engine) + repr(engine.inputs) + repr(engine.tokens))
    assert hits == []


def test_the_echoing_desk_really_sends_the_secrets_back(desk: HostileDesk) -> None:
    """The suite means something only if the answers carry the secrets: check the raw bodies."""
    desk.reset()
    result = engine_for("none+api-key", desk).call(Engine.event(engine_for("none+api-key", desk),
                                                                "inbound-answered", PHONE))
    raw = [r for r in desk.requests if r["path"].endswith("/whoami")]
    assert raw and raw[0]["headers"]["authorization"] == f"Bearer {FOLLOWUP_TOKEN}"
    assert any(API_KEY in r["headers"].get("x-api-key", "") for r in desk.requests)
    assert result.ok


# --------------------------------------------------------------------------- the command line


COMMANDS: dict[str, list[str]] = {
    "users": ["users"],
    "users csv": ["users", "--format", "csv", "--extension", "1001=u1@x.io"],
    "search": ["search", "--phone", PHONE],
    "search json": ["search", "--phone", PHONE, "--format", "json"],
    "search matrix": ["search", "--phone", PHONE, "--matrix"],
    "search dry-run": ["search", "--phone", PHONE, "--dry-run"],
    "create-contact": ["create-contact", "--phone", "+14155550777", "--first-name", "Grace"],
    "call": ["call", "--event", "inbound-answered", "--phone", PHONE, "--start", "1700000000"],
    "call dry-run": ["call", "--event", "inbound-answered", "--phone", PHONE, "--dry-run", "--format", "csv"],
    "followup": ["followup", "ticket_created", "--var", "TicketId=7"],
}


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = hdkit(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def run_argv(auth: str, desk: HostileDesk, files: dict[str, Path], args: list[str]) -> list[str]:
    argv = ["run", str(files[auth]), *args[:1]]
    argv += args[1:]
    for name, value in AUTHS[auth][1](desk).items():
        argv += ["--input", f"{name}={value}"]
    if auth in ("oauth2", "bearer"):
        argv += ["--token-file", str(files[f"{auth} tokens"])]
    return argv


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("auth", list(AUTHS))
def test_cli_runs(desk: HostileDesk, files: dict[str, Path], capsys, auth: str, command: str) -> None:
    desk.reset()
    code, output = cli(run_argv(auth, desk, files, COMMANDS[command]), capsys)
    assert code == 0, output
    assert scan(f"cli {auth} {command}", output) == []


@pytest.mark.parametrize("auth", list(AUTHS))
def test_cli_errors_401_and_timeouts(desk: HostileDesk, files: dict[str, Path], capsys, auth: str) -> None:
    desk.reset("unauthorized")  # answers 401 with the request echoed in the body
    code, output = cli(run_argv(auth, desk, files, ["search", "--phone", PHONE]), capsys)
    assert code == 3 and "HTTP 401" in output
    hits = scan(f"cli {auth} 401", output)
    desk.reset("drip")
    code, output = cli(run_argv(auth, desk, files, ["create-contact", "--phone", "+1415555", "--timeout", "0.3"]),
                       capsys)
    assert code == 3 and "timed out after 0.3 s" in output
    assert hits + scan(f"cli {auth} timeout", output) == []


TEMPLATE_ERRORS = {
    "ToMillis on the API key in a URL": ("none+api-key", ("phone={{UrlEncode .Phone}}&amp;key={{.api_key}}",
                                                          "phone={{UrlEncode .Phone}}&amp;key={{ToMillis .api_key}}")),
    "ToMillis on the Basic credential": ("basic", ('Value="{{.api_key}}:X"', 'Value="{{ToMillis .api_key}}:X"')),
    "TimeFormat on the client secret in the refresh body": (
        "oauth2", ("&amp;client_secret={{.client_secret}}", "&amp;client_secret={{TimeFormat .client_secret &quot;x&quot;}}")),
}


@pytest.mark.parametrize("case", list(TEMPLATE_ERRORS))
def test_template_errors_applying_functions_to_secrets(desk: HostileDesk, files, tmp_path, capsys, case: str) -> None:
    auth, replacement = TEMPLATE_ERRORS[case]
    desk.reset()
    xml = AUTHS[auth][0].replace(*replacement)
    assert xml != AUTHS[auth][0]
    engine = Engine(from_xml(xml), AUTHS[auth][1](desk), tokens=TokenStore() if auth == "oauth2" else None)
    if auth == "oauth2":
        engine.authorize(redirect_uri=REDIRECT, paste=paste)
        desk.unauthorized_next = 1  # forces the refresh whose body fails to render
    try:
        result = engine.search(PHONE)
        text = "\n".join([repr(result), *(str(e.error) for e in result.log), result.exchanges().to_csv()])
    except HdkitError as exc:
        text = "".join(traceback.format_exception(exc))
    assert "TimeFormat" in text or "ToMillis" in text
    hits = scan(f"api {case}", text)
    path = tmp_path / "t.xml"
    path.write_text(xml, encoding="utf-8")
    files = {**files, auth: path}
    desk.unauthorized_next = 1 if auth == "oauth2" else 0
    code, output = cli(run_argv(auth, desk, files, ["search", "--phone", PHONE]), capsys)
    assert code != 0 or "TimeFormat" in output
    assert hits + scan(f"cli {case}", output) == []


def test_cli_auth_with_a_token_file(desk: HostileDesk, files, tmp_path: Path, capsys, monkeypatch) -> None:
    desk.reset()
    screen = Terminal()  # hdkit auth prints the consent URL on stderr; the person pastes the redirect
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(sys, "stdin", User(screen, paste))
    token_file = tmp_path / "tokens.json"
    argv = ["auth", str(files["oauth2"]), "--paste", "--redirect-uri", REDIRECT, "--token-file", str(token_file)]
    for name, value in AUTHS["oauth2"][1](desk).items():
        argv += ["--input", f"{name}={value}"]
    code, output = cli(argv, capsys)
    output += screen.getvalue()
    assert code == 0 and "authorized" in output
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    content = token_file.read_text()
    assert ACCESS_TOKEN.replace("\\", "\\\\").replace('"', '\\"') in content  # the file's job: keep them
    hits = scan("cli auth", output)
    hits += scan("token file", content, INPUT_SECRETS)  # ...and nothing else
    assert hits == []


@pytest.mark.parametrize("auth", list(AUTHS))
def test_validate_and_export(files, tmp_path: Path, capsys, auth: str) -> None:
    out = tmp_path / "exported.xml"
    code, validated = cli(["validate", str(files[auth])], capsys)
    assert code == 0
    code, exported = cli(["export", str(files[auth]), "-o", str(out)], capsys)
    assert code == 0
    assert scan(f"validate {auth}", validated) + scan(f"export {auth}", exported + out.read_text()) == []


# --------------------------------------------------------------------------- the sandbox


def _sandbox_engine(hd: Sandbox, sample: str, **inputs: str) -> tuple[Engine, dict[str, str]]:
    values = {**samples.demo_inputs(sample, hd.url), **inputs}
    tokens = TokenStore() if sample in ("zoho", "zendesk") else None
    engine = Engine(samples.load(sample), values, tokens=tokens)
    if tokens is not None:
        from hdkit.sandbox import DEMO
        import httpx

        engine.authorize(redirect_uri=DEMO[sample]["redirect_uri"],
                         paste=lambda url: httpx.get(url + "&approve=1").headers["location"])
    secrets = {k: v for k, v in values.items() if k in ("api_key", "client_secret")}
    for key in ("access_token", "refresh_token"):
        stored = engine.tokens.get(engine.template.general.key) if tokens is not None else None
        if stored is not None and getattr(stored, key):
            secrets[key] = getattr(stored, key).reveal()
    return engine, secrets


@pytest.mark.parametrize(
    ("sample", "inputs", "ok"),
    [
        pytest.param("keydesk", {}, True, id="keydesk"),
        pytest.param("freshdesk", {}, True, id="freshdesk"),
        pytest.param("zoho", {}, True, id="zoho-oauth2"),
        pytest.param("keydesk", {"api_key": API_KEY}, False, id="keydesk-401"),
        pytest.param("freshdesk", {"api_key": BASIC_KEY}, False, id="freshdesk-401"),
    ],
)
def test_sandbox_runs(fresh_sandbox: Sandbox, sample: str, inputs: dict[str, str], ok: bool) -> None:
    engine, secrets = _sandbox_engine(fresh_sandbox, sample, **inputs)
    hits = []
    for name, scenario in SCENARIOS.items():
        if name in ("followup", "users") and sample == "keydesk" and not ok:
            continue
        result = scenario(engine)
        if name == "search":
            assert (not result.failures()) is ok
        hits += [h for where, text in shown(result).items() for h in scan(f"sandbox {sample} {name} {where}",
                                                                          text, {**SECRETS, **secrets})]
    assert hits == []


def test_the_figure_is_counted(desk: HostileDesk) -> None:
    """A scan that found nothing because it looked nowhere would be no figure at all."""
    before = TALLY.places
    assert scan("self-check", f"no secret here, {os.getpid()}") == []
    assert TALLY.places == before + 1 and TALLY.hits == []
