"""``hdkit run ... users``: a progress bar on a terminal, a summary in words, the PBX-faithful
``--sequential`` mode, and an incomplete sync that never exits 0."""

from __future__ import annotations

import sys

import pytest

from hdkit import samples
from hdkit.cli import main as hdkit
from hdkit.sandbox.accounts import AGENT_COUNT
from support.terminal import Terminal


def inputs(hd, name: str = "keydesk") -> list[str]:
    return [a for k, v in samples.demo_inputs(name, hd.url).items() for a in ("--input", f"{k}={v}")]


def pages_asked(hd) -> list[int]:
    return [int(r["url"].split("page=")[1].split("&")[0]) for r in hd.requests]


def test_a_terminal_gets_a_progress_bar_then_the_summary(fresh_sandbox, monkeypatch) -> None:
    screen = Terminal(tty=True)
    monkeypatch.setattr(sys, "stderr", screen)
    assert hdkit(["run", "keydesk", "users", "--format", "csv", *inputs(fresh_sandbox)]) == 0
    text = screen.getvalue()
    frames = [f for f in text.split("\r") if f.startswith("syncing users [")]
    assert frames[0].startswith("syncing users [....................] ")  # before the first answer
    assert any(f"{AGENT_COUNT} users" in f for f in frames) and any("in flight, last page " in f for f in frames)
    last = text.rsplit("\r", 1)[1]
    assert last.startswith(f"{AGENT_COUNT} users from 25 pages of data in ")  # the bar was wiped first
    assert last.endswith("\n") and last.count("\n") == 1


def test_no_bar_when_stderr_is_not_a_terminal(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "keydesk", "users", "--format", "csv", *inputs(fresh_sandbox)]) == 0
    assert "\r" not in capsys.readouterr().err


def test_the_summary_reports_requests_past_the_last_page(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "keydesk", "users", "--format", "csv", *inputs(fresh_sandbox)]) == 0
    (summary,) = capsys.readouterr().err.splitlines()
    sent = len(fresh_sandbox.requests)
    past = sent - 25
    assert summary == (f"{AGENT_COUNT} users from 25 pages of data in {sent} requests; no duplicates; "
                       f"stopped: page 26 was empty; {past} requests past the last page ({past} x HTTP 200)")
    assert sorted(pages_asked(fresh_sandbox)) == list(range(1, sent + 1))


def test_sequential_sends_exactly_the_pbx_requests(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "keydesk", "users", "--sequential", "--format", "csv", *inputs(fresh_sandbox)]) == 0
    (summary,) = capsys.readouterr().err.splitlines()
    assert pages_asked(fresh_sandbox) == list(range(1, 27)) and fresh_sandbox.peak_in_flight == 1
    assert summary == (f"{AGENT_COUNT} users from 25 pages of data in 26 requests; no duplicates; "
                       "stopped: page 26 was empty; 1 request past the last page (1 x HTTP 200)")


def test_a_looping_sync_exits_4_with_one_line_saying_how_many_and_why(fresh_sandbox, capsys) -> None:
    """Issue 12 (Low): a looping sync used to exit 0 as if complete."""
    fresh_sandbox.faults.update(loop_pagination=True)
    code = hdkit(["run", "keydesk", "users", "--sequential", "--format", "csv", *inputs(fresh_sandbox)])
    captured = capsys.readouterr()
    assert code == 4
    assert captured.err.splitlines() == [
        "error: incomplete sync: 100 users from 1 page of data in 2 requests; no duplicates; stopped: page 2 "
        "repeated page 1; the helpdesk probably ignores the pagination parameters"]
    assert len(captured.out.splitlines()) == 101  # the users fetched are still printed


@pytest.fixture
def no_wait(monkeypatch) -> None:
    async def instantly(_seconds: float) -> None:
        return None

    monkeypatch.setattr("hdkit.engine.commands.wait", instantly)


def test_a_sync_whose_pages_keep_failing_exits_3_with_one_line(fresh_sandbox, capsys, no_wait) -> None:
    fresh_sandbox.faults.update(server_error=100, error_status=500)
    assert hdkit(["run", "keydesk", "users", "--sequential", "--format", "csv", *inputs(fresh_sandbox)]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: incomplete sync: 0 users from 0 pages of data in 1 request; no duplicates; "
                           "2 page retries; stopped: GetUsers (page 1): the helpdesk answered HTTP 500")
    assert line.endswith("(still failing after 2 more attempt(s) of the page)")
    assert len(fresh_sandbox.requests) == 12  # 3 rounds of the client's 4 attempts, then it says so


@pytest.mark.parametrize("switches", [{"rate_limit": 4, "retry_after_s": 1}, {"malformed": 1}])
def test_a_passing_fault_still_ends_complete(fresh_sandbox, capsys, no_wait, switches) -> None:
    fresh_sandbox.faults.update(**switches)
    assert hdkit(["run", "keydesk", "users", "--sequential", "--format", "csv", *inputs(fresh_sandbox)]) == 0
    (summary,) = capsys.readouterr().err.splitlines()
    assert summary.startswith(f"{AGENT_COUNT} users from 25 pages of data in 26 requests; no duplicates; 1 page retry;")


def test_a_sync_stopped_by_the_request_cap_exits_4(fresh_sandbox, tmp_path, capsys) -> None:
    """2,500 users 10 a page need 250 requests; the PBX stops at 100, and so does hdkit, saying so."""
    small = tmp_path / "small-pages.xml"
    text = samples.text("keydesk")
    assert text.count('Name="PageSize" Value="100"') == 1
    small.write_text(text.replace('Name="PageSize" Value="100"', 'Name="PageSize" Value="10"'), encoding="utf-8")
    assert hdkit(["run", str(small), "users", "--format", "csv", *inputs(fresh_sandbox)]) == 4
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "error: incomplete sync: 1000 users from 100 pages of data in 100 requests; no duplicates; stopped: the "
        "100-request cap was reached; more users may exist"]
    assert len(fresh_sandbox.requests) == 100 and len(captured.out.splitlines()) == 1001
