"""Suite 2 of issue 12: faults and a hostile helpdesk (figure: cases, lost, duplicated, resent).

The sandbox's fault switches (429 and 5xx bursts, hangs, truncated JSON, looping pagination,
tokens expiring) and :class:`~support.hostile.HostileDesk`'s misbehaviour (JSON 5,000 levels
deep, a gzip bomb, a 50 MB body, a one-byte drip, a body that is not UTF-8, next links and
redirects to another host, a token-invalid marker echoed in a 201) run through the Python API
and the CLI. Each case counts users lost or duplicated by a sync that reports success, and
POSTs the helpdesk received twice; peak memory (tracemalloc) and wall time against
``--timeout`` are reported in the rows (``-v``) and bounded generously, never as a speed
assertion. Every case hdkit cannot recover from ends non-zero with one clear line.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hdkit import samples
from hdkit.cli import main as hdkit
from hdkit.engine import Engine, TokenStore
from hdkit.sandbox import AGENT_COUNT, DEMO, Sandbox
from hdkit.yeastar_xml import from_xml
from support.figures import FAULTS
from support.hostile import HostileDesk, gzip_bomb, variant
from support.terminal import Terminal, User

MB = 1024 * 1024
KEY = "kd-hostile-key-1234"
PHONE = "+14155550123"
NEXT_LINK = (
    """        <Parameter Father="Pagination" Name="Mode" Value="page" />
        <Parameter Father="Pagination" Name="PageParam" Value="page" />
        <Parameter Father="Pagination" Name="PageStart" Value="1" />
        <Parameter Father="Pagination" Name="SizeParam" Value="page_size" />
        <Parameter Father="Pagination" Name="PageSize" Value="100" />""",
    """        <Parameter Father="Pagination" Name="Mode" Value="next_link" />
        <Parameter Father="Pagination" Name="NextLinkPath" Value="next_page" />""",
)


async def no_wait(_seconds: float) -> None:
    """Backoff through Engine(sleep=...): instant, so faults cost no wall time here."""


def unique(users: Any) -> int:
    return len(set(users.records()["UserUniqueId"]))


def resent(requests: list[dict[str, Any]]) -> int:
    """POSTs the helpdesk received more than once (same path and body)."""
    posts = Counter((r["method"], r["path"], r.get("body", "")) for r in requests if r["method"] == "POST")
    return sum(n - 1 for n in posts.values())


# --------------------------------------------------------------------------- the sandbox's switches


@pytest.mark.parametrize(
    "switches",
    [
        pytest.param({"rate_limit": 5, "retry_after_s": 1}, id="429-burst"),
        pytest.param({"server_error": 4}, id="5xx-burst"),
        pytest.param({"timeout": 2, "hang_s": 2}, id="hangs"),
        pytest.param({"loop_pagination": True}, id="looping-pages"),
    ],
)
def test_sandbox_faults_mid_sync(fresh_sandbox: Sandbox, switches: dict[str, Any]) -> None:
    fresh_sandbox.faults.update(**switches)
    engine = Engine(samples.load("keydesk"), samples.demo_inputs("keydesk", fresh_sandbox.url),
                    sleep=no_wait, timeout=0.5)
    started = time.perf_counter()
    users = engine.users()
    wall = time.perf_counter() - started
    looping = "loop_pagination" in switches
    lost = 0 if looping else AGENT_COUNT - unique(users)  # a looping helpdesk has no page 2 to lose
    duplicated = len(users) - unique(users)
    FAULTS.add(f"sandbox {'+'.join(switches)}", lost=lost, duplicated=duplicated,
               detail=f"stop {users.stop.reason}, {users.stop.requests} requests, {wall:.2f} s")
    assert (lost, duplicated) == (0, 0) and not users.failures()
    assert users.stop.reason == ("repeated_page" if looping else "empty_page")


def test_sandbox_tokens_expiring_before_a_sync(fresh_sandbox: Sandbox) -> None:
    engine = Engine(samples.load("zoho"), samples.demo_inputs("zoho", fresh_sandbox.url), tokens=TokenStore(),
                    sleep=no_wait)
    engine.authorize(redirect_uri=DEMO["zoho"]["redirect_uri"],
                     paste=lambda url: httpx.get(url + "&approve=1").headers["location"])
    fresh_sandbox.expire_tokens()
    users = engine.users()
    lost, duplicated = AGENT_COUNT - unique(users), len(users) - unique(users)
    FAULTS.add("sandbox expired tokens", lost=lost, duplicated=duplicated, detail=f"stop {users.stop.reason}")
    assert (lost, duplicated) == (0, 0) and not users.failures()


FAULT_HEADER = ('<Parameter Father="PopulateTemplateString" Name="Accept" Type="Header" Value="application/json" />',
                '<Parameter Father="PopulateTemplateString" Name="Accept" Type="Header" Value="application/json" />\n'
                '        <Parameter Father="PopulateTemplateString" Name="X-Sandbox-Fault" Type="Header" Value="{spec}" />')


@pytest.mark.parametrize("spec", ["server_error=503", "rate_limit", "timeout=2", "malformed"])
def test_sandbox_faults_on_every_request_of_a_call(fresh_sandbox: Sandbox, spec: str) -> None:
    """Every scenario request of the call carries the fault; GETs may be retried, POSTs never."""
    xml = variant("freshdesk", (FAULT_HEADER[0], FAULT_HEADER[1].format(spec=spec)))
    engine = Engine(from_xml(xml), samples.demo_inputs("freshdesk", fresh_sandbox.url), sleep=no_wait,
                    timeout=0.5, retries=2)
    trace = engine.call(engine.event("inbound-missed", "+14155550777"))
    twice = resent(fresh_sandbox.requests)
    FAULTS.add(f"sandbox call under {spec}", resent=twice, detail=f"{len(trace.failures())} failed steps")
    assert twice == 0 and not trace.ok


# --------------------------------------------------------------------------- the hostile helpdesk


@pytest.fixture(scope="module")
def desk() -> Iterator[HostileDesk]:
    gzip_bomb()  # built once, before any timing
    with HostileDesk() as d:
        yield d


@pytest.fixture(scope="module")
def keydesk_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {"keydesk": folder / "keydesk.xml", "next-link": folder / "next-link.xml"}
    files["keydesk"].write_text(samples.text("keydesk"), encoding="utf-8")
    files["next-link"].write_text(variant("keydesk", NEXT_LINK), encoding="utf-8")
    return files


def cli(desk: HostileDesk, file: Path, *args: str,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], float, str]:
    """Exit code, stderr lines, wall time and stdout of ``hdkit run FILE ARGS`` against the desk."""
    started = time.perf_counter()
    code = hdkit(["run", str(file), *args, "--input", f"base_url={desk.base('keydesk')}", "--input", f"api_key={KEY}"])
    wall = time.perf_counter() - started
    captured = capsys.readouterr()
    return code, [line for line in captured.err.splitlines() if line.strip()], wall, captured.out


def measured(run: Callable[[], Any]) -> tuple[Any, float, float]:
    """``run()``'s result, its peak traced memory in MB, and its wall time."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / MB, time.perf_counter() - started


UNRECOVERABLE = {
    # case: (mode, CLI arguments, words in the one line)
    "deep JSON search": ("deep", ["search", "--phone", PHONE], "nests too deeply to decode"),
    "deep JSON sync": ("deep", ["users"], "nests too deeply to decode"),
    "gzip bomb sync": ("bomb", ["users"], "over the 10 MB limit (decoded body)"),
    "gzip bomb search": ("bomb", ["search", "--phone", PHONE], "over the 10 MB limit (decoded body)"),
    "50 MB body": ("huge", ["search", "--phone", PHONE], "over the 10 MB limit (body)"),
    "1 MB cap": ("huge", ["search", "--phone", PHONE, "--max-response-mb", "1"], "over the 1 MB limit"),
    "slow drip POST": ("drip", ["create-contact", "--phone", "+14155550777", "--timeout", "0.5"],
                       "timed out after 0.5 s while reading the response"),
    "off-host redirect": ("redirect", ["search", "--phone", PHONE], "sent without X-API-Key: localhost is another host"),
}


@pytest.mark.parametrize("case", list(UNRECOVERABLE))
def test_unrecoverable_answers_end_non_zero_with_one_clear_line(desk: HostileDesk, keydesk_files, capsys,
                                                                case: str) -> None:
    mode, args, words = UNRECOVERABLE[case]
    desk.reset(mode)
    code, lines, wall, _ = cli(desk, keydesk_files["keydesk"], *args, capsys=capsys)
    twice = resent(desk.requests)
    FAULTS.add(f"hostile {case} (CLI)", resent=twice, detail=f"exit {code}, {wall:.2f} s: {lines[-1][:90] if lines else ''}")
    assert code == 3 and len(lines) == 1, lines
    said = "error: incomplete sync: " if args[0] == "users" else "helpdesk error: "  # a sync's one line: its summary
    assert lines[0].startswith(said) and words in lines[0]
    assert twice == 0
    if mode == "drip":
        assert wall < 0.5 + 5  # one attempt (a POST), bounded by --timeout; generous
    if mode == "redirect":
        elsewhere = [r for r in desk.requests if r["host"] == "localhost"]
        assert elsewhere and all("x-api-key" not in r["headers"] and KEY not in r["query"] for r in elsewhere)


@pytest.mark.parametrize(("mode", "bound_mb"), [("bomb", 400), ("huge", 400)])
def test_memory_of_a_sync_fetching_ahead_stays_bounded(desk: HostileDesk, mode: str, bound_mb: int) -> None:
    """Ten pages in flight, each answered with a bomb or 50 MB: bounded by concurrency x the cap."""
    desk.reset(mode)
    engine = Engine(samples.load("keydesk"), {"base_url": desk.base("keydesk"), "api_key": KEY})
    users, peak_mb, wall = measured(engine.users)
    FAULTS.add(f"hostile {mode} sync (API)", detail=f"peak {peak_mb:.0f} MB with {engine.max_concurrent} in flight, "
               f"{wall:.2f} s, {users.stop.requests} requests")
    assert users.stop.reason == "error" and len(users) == 0
    assert str(users.failures()[0].outcome) == "refused"
    assert peak_mb < bound_mb  # the 1 GiB bomb, inflated 10 times over, would be 10,000 MB


def test_a_dripping_get_ends_at_the_timeout(desk: HostileDesk) -> None:
    """It answered, too slowly: not asked again (it would drip again), so one timeout."""
    desk.reset("drip")
    engine = Engine(samples.load("keydesk"), {"base_url": desk.base("keydesk"), "api_key": KEY},
                    timeout=0.3, sleep=no_wait)
    result, _, wall = measured(lambda: engine.search(PHONE))
    (failure,) = result.failures()
    FAULTS.add("hostile drip GET (API)", detail=f"{failure.attempts} attempt of 0.3 s: {wall:.2f} s")
    assert str(failure.outcome) == "timeout" and failure.attempts == 1
    assert wall < 0.3 + 5  # generous: the drip alone lasts 20 s


def test_a_body_that_is_not_utf8_is_read_not_fatal(desk: HostileDesk, keydesk_files, capsys) -> None:
    desk.reset("latin1")
    code, lines, _, out = cli(desk, keydesk_files["keydesk"], "search", "--phone", PHONE, "--format", "json",
                              capsys=capsys)
    (record,) = json.loads(out)
    FAULTS.add("hostile non-UTF-8 body", detail=f"exit {code}, name {record['FirstName']!r}")
    assert code == 0 and lines == []
    assert record["FirstName"] == "Jos\ufffd M\ufffdller"  # undecodable bytes shown as U+FFFD, as declared UTF-8


def test_an_off_host_next_link_gets_no_credentials_and_the_sync_says_so(desk: HostileDesk, keydesk_files,
                                                                        capsys) -> None:
    desk.reset("echo")
    code, lines, _, _ = cli(desk, keydesk_files["next-link"], "users", "--format", "csv", capsys=capsys)
    assert code == 0 and lines[0].startswith("150 users from 2 pages of data")  # the same host: followed
    desk.reset("offhost_next")
    code, lines, _, _ = cli(desk, keydesk_files["next-link"], "users", capsys=capsys)
    elsewhere = [r for r in desk.requests if r["host"] == "localhost"]
    FAULTS.add("hostile off-host next link", detail=f"exit {code}: {lines[-1][:90] if lines else ''}")
    assert elsewhere and all("x-api-key" not in r["headers"] and KEY not in r["query"] for r in elsewhere)
    assert code == 3 and len(lines) == 1 and "sent without X-API-Key: localhost is another host" in lines[0]


def test_a_token_invalid_marker_echoed_in_a_201_never_sends_the_post_twice(fresh_sandbox: Sandbox) -> None:
    """Issue 12, item 1: a caller named "invalid_token Doe" got a contact created twice."""
    engine = Engine(samples.load("zendesk"), samples.demo_inputs("zendesk", fresh_sandbox.url), tokens=TokenStore(),
                    sleep=no_wait)
    engine.authorize(redirect_uri=DEMO["zendesk"]["redirect_uri"],
                     paste=lambda url: httpx.get(url + "&approve=1").headers["location"])
    trace = engine.create_contact("+14155550777", first_name="invalid_token", last_name="Doe")
    twice = resent(fresh_sandbox.requests)
    refreshes = sum(r["method"] == "POST" and r["path"].endswith("/oauth/tokens") for r in fresh_sandbox.requests) - 1
    FAULTS.add("sandbox marker echoed in a 201", resent=twice, detail=f"{refreshes} refreshes")
    assert trace.ok and twice == 0 and refreshes == 0
    (created,) = [r for r in fresh_sandbox.requests if r["method"] == "POST" and r["path"].endswith("/users.json")]
    assert created["status"] == 201


@pytest.mark.parametrize(("mode", "words"), [("deep", "nested too deeply to decode"), ("bomb", "over the 10 MB limit")])
def test_a_hostile_token_endpoint_ends_the_consent_with_one_line(desk: HostileDesk, tmp_path: Path, capsys,
                                                                  monkeypatch, mode: str, words: str) -> None:
    desk.reset(mode)
    template = tmp_path / "zoho.xml"
    template.write_text(samples.text("zoho"), encoding="utf-8")
    redirect = "https://pbx.test/callback"

    def paste(url: str) -> str:
        state = url.split("state=", 1)[1].split("&", 1)[0]
        return f"{redirect}?code=c0de&state={state}"

    screen = Terminal()  # hdkit auth prints the consent URL on stderr; the person pastes the redirect
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(sys, "stdin", User(screen, paste))
    code = hdkit(["auth", str(template), "--paste", "--redirect-uri", redirect, "--token-file", str(tmp_path / "t.json"),
                  "--input", f"base_url={desk.base('zoho')}", "--input", "client_id=c", "--input", "client_secret=s3cr3t",
                  "--input", "org_id=1", "--input", "department_id=2"])
    lines = [line for line in screen.lines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    FAULTS.add(f"hostile token endpoint: {mode}", detail=f"exit {code}: {lines[-1][:90] if lines else ''}")
    assert code == 3 and errors == lines[-1:] and words in errors[0]  # after the consent URL: one error line
    assert not (tmp_path / "t.json").exists()


def test_a_marker_echoed_in_a_201_through_the_cli_sends_each_post_once(desk: HostileDesk, tmp_path: Path,
                                                                       capsys) -> None:
    """The same through ``hdkit run`` and the hostile desk, which echoes every body it receives in
    its 201 answers: a caller named after zoho's token-invalid marker (INVALID_OAUTH)."""
    desk.reset()
    template, token_file = tmp_path / "zoho.xml", tmp_path / "tokens.json"
    template.write_text(samples.text("zoho"), encoding="utf-8")
    inputs = {"base_url": desk.base("zoho"), "client_id": "c", "client_secret": "s3cr3t-zoho", "org_id": "1",
              "department_id": "2"}
    engine = Engine(from_xml(samples.text("zoho")), inputs, tokens=TokenStore(token_file))
    engine.authorize(redirect_uri="https://pbx.test/callback",
                     paste=lambda url: "https://pbx.test/callback?code=c&state=" + url.split("state=", 1)[1].split("&")[0])
    desk.reset()
    argv = ["run", str(template), "create-contact", "--phone", "+14155550777", "--first-name", "INVALID_OAUTH Doe",
            "--token-file", str(token_file)]
    for name, value in inputs.items():
        argv += ["--input", f"{name}={value}"]
    code = hdkit(argv)
    captured = capsys.readouterr()
    posts = [r for r in desk.requests if r["method"] == "POST"]
    echoed = [r for r in posts if "INVALID_OAUTH" in r["body"]]
    twice, refreshes = resent(desk.requests), sum(r["path"].endswith("/token") for r in posts)
    FAULTS.add("hostile marker echoed in a 201 (CLI)", resent=twice, detail=f"exit {code}, {len(posts)} POSTs, "
               f"{refreshes} refreshes")
    assert code == 0, captured.err
    assert echoed and twice == 0 and refreshes == 0
