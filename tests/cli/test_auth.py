"""``hdkit auth``: the consent URL first, a browser when one can open, a paste otherwise (the
loopback still listening), and a ``BROWSER`` command that waits never blocks the run."""

from __future__ import annotations

import json
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hdkit import samples
from hdkit.cli import main as hdkit
from hdkit.sandbox.accounts import DEMO
from support.terminal import Terminal, User

NO_DISPLAY = "No browser is opened here (no DISPLAY, WAYLAND_DISPLAY or BROWSER is set)."


def inputs(hd, name: str) -> list[str]:
    return [a for k, v in samples.demo_inputs(name, hd.url).items() for a in ("--input", f"{k}={v}")]


@pytest.fixture
def terminal(monkeypatch) -> Terminal:
    """A machine without a display (no DISPLAY, no BROWSER) and a stderr the test reads: each
    test calls ``attach(monkeypatch, terminal)`` in its body, since pytest's own capture puts
    its stream back after fixtures ran."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    return Terminal()


def attach(monkeypatch, terminal: Terminal, *answers) -> User:
    """stderr is ``terminal``; stdin a person answering ``answers`` (see support.terminal.User)."""
    user = User(terminal, *answers)
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdin", user)
    return user


def approve(url: str) -> str:
    """The person approves in a browser elsewhere and copies the address it lands on."""
    return httpx.get(url + "&approve=1").headers["location"]


def approve_and_follow(url: str) -> str:
    """The browser is on this machine after all: it follows the redirect to the loopback."""
    landing = httpx.get(url + "&approve=1", follow_redirects=True)
    assert "hdkit received the authorization" in landing.text
    return ""  # and nothing is pasted: stdin ends


def saved(tokens: Path) -> dict:
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    return json.loads(tokens.read_text())["tokens"]


@pytest.mark.parametrize("sample", ["zendesk", "zoho"])
def test_without_a_browser_the_url_comes_first_then_a_pasted_redirect(fresh_sandbox, tmp_path, terminal, monkeypatch,
                                                                      capsys, sample) -> None:
    """Issue 8 item 5: no browser here; hdkit says so, prints the URL and takes the pasted redirect."""
    user = attach(monkeypatch, terminal, approve)
    tokens = tmp_path / "tokens.json"
    args = [*inputs(fresh_sandbox, sample), "--token-file", str(tokens)]
    assert hdkit(["auth", sample, "--wait", "30", *args]) == 0
    lines = terminal.lines()
    assert lines[:2] == ["Open this URL in a browser and approve the access:", ""]
    assert lines[2].startswith(f"  {fresh_sandbox.url}/{sample}/")
    assert lines[4].startswith(NO_DISPLAY + " After approving, paste the URL your browser was sent to "
                               "(it starts with http://127.0.0.1:")
    assert "hdkit also still listens on http://127.0.0.1:" in lines[4] and lines[4].endswith("Waiting up to 30 s:")
    assert user.read[0].startswith("http://127.0.0.1:") and "code=" in user.read[0]
    assert f"authorized; tokens saved to {tokens} (owner-only)" in capsys.readouterr().out
    assert [t["access_token"] for t in saved(tokens).values()]
    assert DEMO[sample]["client_secret"] not in tokens.read_text() + "\n".join(lines)
    assert hdkit(["run", sample, "search", "--phone", "+14155550123", *args]) == 0
    assert "Ada Lovelace" in capsys.readouterr().out


def test_while_waiting_for_a_paste_the_loopback_redirect_still_counts(fresh_sandbox, tmp_path, terminal,
                                                                      monkeypatch) -> None:
    attach(monkeypatch, terminal, approve_and_follow)
    tokens = tmp_path / "tokens.json"
    assert hdkit(["auth", "zendesk", "--wait", "30", "--token-file", str(tokens),
                  *inputs(fresh_sandbox, "zendesk")]) == 0
    assert saved(tokens)
    callbacks = [r for r in fresh_sandbox.requests if r["path"].endswith("/oauth/tokens")]
    assert len(callbacks) == 1 and callbacks[0]["status"] == 200


def test_a_line_that_is_not_the_redirect_is_refused_and_asked_again(fresh_sandbox, tmp_path, terminal,
                                                                    monkeypatch) -> None:
    user = attach(monkeypatch, terminal, lambda url: "yes I approved", approve)
    tokens = tmp_path / "tokens.json"
    assert hdkit(["auth", "zoho", "--no-browser", "--token-file", str(tokens), *inputs(fresh_sandbox, "zoho")]) == 0
    refused = [line for line in terminal.lines() if line.startswith("error:")]
    assert refused == ["error: that is not the redirect URL: it has no 'code' parameter; paste the whole URL the "
                       "browser was sent to after consent (it starts with http://127.0.0.1:"
                       + refused[0].split("http://127.0.0.1:")[1]]
    assert len(user.read) == 2 and saved(tokens)


@pytest.mark.parametrize("sample", ["zendesk", "zoho"])
def test_paste_with_the_registered_redirect_uri(fresh_sandbox, tmp_path, terminal, monkeypatch, capsys,
                                                sample) -> None:
    attach(monkeypatch, terminal, approve)
    tokens = tmp_path / "tokens.json"
    redirect = DEMO[sample]["redirect_uri"]
    code = hdkit(["auth", sample, "--paste", "--redirect-uri", redirect, "--token-file", str(tokens),
                  *inputs(fresh_sandbox, sample)])
    assert code == 0 and "authorized; tokens saved" in capsys.readouterr().out
    assert f"No browser is opened here (--paste: the redirect goes to {redirect})." in terminal.getvalue()
    assert "also still listens" not in terminal.getvalue() and saved(tokens)


def test_paste_mode_with_nothing_pasted_ends_at_once_saying_why(fresh_sandbox, tmp_path, terminal, monkeypatch) -> None:
    attach(monkeypatch, terminal)  # stdin is empty
    tokens = tmp_path / "tokens.json"
    code = hdkit(["auth", "zoho", "--paste", "--token-file", str(tokens), *inputs(fresh_sandbox, "zoho")])
    assert code == 3 and not tokens.exists()
    assert terminal.lines()[-1] == "error: no redirect URL was pasted (stdin closed)"


def test_the_wait_is_bounded_and_says_so(fresh_sandbox, terminal, monkeypatch) -> None:
    attach(monkeypatch, terminal)  # the person never answers; the loopback hears nothing
    assert hdkit(["auth", "zoho", "--wait", "0.2", *inputs(fresh_sandbox, "zoho")]) == 3
    assert terminal.lines()[-3:] == [
        "(nothing more to read on stdin: waiting for the loopback redirect only)",
        "error: no OAuth2 redirect arrived within 0.2 s",
        "  hint: finish the consent in the browser, or paste the redirect URL"]


# --------------------------------------------------------------------------- a BROWSER command

BROWSER = """
import pathlib, sys, time, urllib.request
log, url, mode = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
log.write_text("started\\n")
if mode == "consent":  # approve; urllib follows the 302 to hdkit's loopback
    urllib.request.urlopen(url + "&approve=1", timeout=10).read()
if mode == "fail":
    log.write_text("started\\nfailed\\n")
    sys.exit(1)
release = log.with_suffix(".release")
for _ in range(600):  # a browser command that waits (at most 30 s here)
    if release.exists():
        break
    time.sleep(0.05)
with log.open("a") as out:
    out.write("released\\n" if release.exists() else "gave up\\n")
"""


@pytest.fixture
def browser(tmp_path, monkeypatch, terminal) -> Iterator[callable]:
    """``browser(mode)`` sets BROWSER to a command that logs, acts, then waits to be released."""
    script, log = tmp_path / "browser.py", tmp_path / "browser.log"
    script.write_text(BROWSER)

    def use(mode: str) -> Path:
        monkeypatch.setenv("BROWSER", f"{sys.executable} {script} {log} %s {mode}")
        monkeypatch.setattr("hdkit.cli.consent.BROWSER_WAIT", 120.0)  # however loaded the machine is
        return log

    yield use
    log.with_suffix(".release").touch()  # let a waiting command end; wait (bounded) until it has
    for _ in range(400):
        if not log.exists() or log.read_text().count("\n") >= 2:
            break
        time.sleep(0.05)


def test_a_browser_command_that_waits_never_blocks_the_consent(fresh_sandbox, tmp_path, browser, terminal,
                                                               monkeypatch) -> None:
    """Issue 12 item 12: the BROWSER command consents, then waits; hdkit finishes anyway."""
    log = browser("consent")
    attach(monkeypatch, terminal)
    tokens = tmp_path / "tokens.json"
    assert hdkit(["auth", "zendesk", "--wait", "30", "--token-file", str(tokens),
                  *inputs(fresh_sandbox, "zendesk")]) == 0, terminal.getvalue()
    assert log.read_text() == "started\n"  # hdkit is done while the browser command still waits
    assert saved(tokens)
    said = terminal.lines()
    assert said[0] == "Open this URL in a browser and approve the access:"
    assert said[4].startswith("Opened it in your browser (the browser command has not returned); waiting up to 30 s")


def started(log: Path) -> str:
    """The browser command's log once it has started (a loaded machine may start it late)."""
    for _ in range(600):  # at most 30 s
        if log.exists() and log.read_text():
            break
        time.sleep(0.05)
    return log.read_text()


def test_a_waiting_browser_command_does_not_outlast_wait(fresh_sandbox, browser, terminal, monkeypatch) -> None:
    log = browser("wait")
    attach(monkeypatch, terminal)
    assert hdkit(["auth", "zendesk", "--wait", "0.5", *inputs(fresh_sandbox, "zendesk")]) == 3
    assert started(log) == "started\n"  # it was launched, is still waiting, and hdkit returned
    assert terminal.lines()[-2] == "error: no OAuth2 redirect arrived within 0.5 s"


def test_a_browser_that_cannot_open_falls_back_to_a_paste(fresh_sandbox, tmp_path, browser, terminal,
                                                         monkeypatch) -> None:
    log = browser("fail")
    attach(monkeypatch, terminal, approve)
    tokens = tmp_path / "tokens.json"
    assert hdkit(["auth", "zoho", "--token-file", str(tokens), *inputs(fresh_sandbox, "zoho")]) == 0
    assert log.read_text() == "started\nfailed\n" and saved(tokens)
    assert "No browser is opened here (the system browser could not be opened)." in terminal.getvalue()


def test_no_browser_never_starts_one(fresh_sandbox, tmp_path, browser, terminal, monkeypatch) -> None:
    log = browser("consent")
    attach(monkeypatch, terminal, approve)
    tokens = tmp_path / "tokens.json"
    assert hdkit(["auth", "zoho", "--no-browser", "--token-file", str(tokens), *inputs(fresh_sandbox, "zoho")]) == 0
    assert not log.exists() and saved(tokens)
    assert "No browser is opened here (--no-browser)." in terminal.getvalue()


def test_auth_refuses_a_template_without_oauth2(capsys) -> None:
    assert hdkit(["auth", "freshdesk", "--input", "base_url=http://127.0.0.1:9", "--input", "api_key=k"]) == 1
    assert "fetches no token (neither OAuth2 nor a bearer token with a Token Endpoint); nothing to authorize" in (
        capsys.readouterr().err)
