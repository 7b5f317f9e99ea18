"""The OAuth2 consent as a library object (what the CLI and, later, the workbench drive): the
consent URL first, a redirect pasted from any thread or caught on the loopback, a state that
says where it is, a bounded browser attempt, and an event loop that is never blocked."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hdkit import samples
from hdkit.engine import Engine, TokenStore
from hdkit.engine.oauth2 import Consent, ConsentState, browser_unavailable
from hdkit.errors import AuthError, EngineError
from hdkit.sandbox import DEMO, Sandbox

PHONE = "+14155550123"


def engine(hd: Sandbox, sample: str = "zendesk") -> Engine:
    return Engine(samples.load(sample), samples.demo_inputs(sample, hd.url), tokens=TokenStore())


def approved(url: str) -> str:
    """Where the browser lands after approving (not followed)."""
    return httpx.get(url + "&approve=1").headers["location"]


def drive(e: Engine, body: Callable[[Consent], Awaitable[Any]], **options: Any) -> Any:
    async def go() -> Any:
        async with await e.aconsent(**options) as consent:
            return await body(consent)

    return asyncio.run(go())


def in_thread(work: Callable[[], Any]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("sample", ["zendesk", "zoho"])
def test_url_first_then_a_redirect_pasted_from_another_thread(fresh_sandbox: Sandbox, sample: str) -> None:
    e = engine(fresh_sandbox, sample)

    async def body(consent: Consent) -> tuple[list[str], Any]:
        states = [consent.state.value]
        url = await consent.start()
        states.append(consent.state.value)
        assert url.startswith(f"{fresh_sandbox.url}/{sample}/") and consent.listening
        assert consent.redirect_uri.startswith("http://127.0.0.1:") and consent.redirect_uri.endswith("/callback")
        pasted = in_thread(lambda: consent.feed(approved(url)))  # e.g. a widget callback or a stdin reader
        tokens = await consent.result(30)
        pasted.join(10)
        states.append(consent.state.value)
        return states, tokens

    states, tokens = drive(e, body)
    assert states == ["new", "waiting", "authorized"]
    assert tokens.access_token.reveal()
    found = e.search(PHONE)  # the engine keeps and uses the tokens
    assert len(found) == 1 and not found.failures()


def test_the_loopback_redirect_finishes_it_without_a_paste(fresh_sandbox: Sandbox) -> None:
    async def body(consent: Consent) -> str:
        url = await consent.start()
        browser = in_thread(lambda: httpx.get(url + "&approve=1", follow_redirects=True))
        await consent.result(30)
        browser.join(10)
        return consent.state.value

    assert drive(engine(fresh_sandbox), body) == "authorized"


def test_text_that_is_not_a_redirect_is_refused_and_the_consent_keeps_waiting(fresh_sandbox: Sandbox) -> None:
    async def body(consent: Consent) -> str:
        url = await consent.start()
        with pytest.raises(AuthError) as refused:
            consent.feed("I clicked approve")
        assert refused.value.message == "that is not the redirect URL: it has no 'code' parameter"
        assert consent.redirect_uri in (refused.value.hint or "") and consent.state is ConsentState.WAITING
        consent.feed(approved(url))
        await consent.result(30)
        return consent.state.value

    assert drive(engine(fresh_sandbox), body) == "authorized"


def test_a_fixed_redirect_uri_takes_a_paste_only(fresh_sandbox: Sandbox) -> None:
    registered = DEMO["zendesk"]["redirect_uri"]

    async def body(consent: Consent) -> bool:
        url = await consent.start()
        assert parse_qs(urlsplit(url).query)["redirect_uri"] == [registered]
        consent.feed(approved(url))
        await consent.result(30)
        return consent.listening

    assert drive(engine(fresh_sandbox), body, redirect_uri=registered) is False


@pytest.mark.parametrize(
    ("act", "state", "message"),
    [
        pytest.param(lambda c, url: None, "failed", "no OAuth2 redirect arrived within 0.2 s", id="timeout"),
        pytest.param(lambda c, url: c.abandon("no redirect URL was pasted (stdin closed)"), "failed",
                     "no redirect URL was pasted (stdin closed)", id="abandoned"),
        pytest.param(lambda c, url: c.feed(approved(url).replace("state=", "state=forged")), "failed",
                     "the redirect's state does not match this authorization (possible CSRF)", id="forged-state"),
        pytest.param(lambda c, url: c.feed(httpx.get(url.replace("approve=1", "") + "&approve=0")
                                           .headers["location"]), "failed",
                     "the helpdesk refused the authorization: The user denied access", id="refused"),
    ],
)
def test_every_way_it_can_fail_is_a_state_and_a_message(fresh_sandbox: Sandbox, act, state, message) -> None:
    async def body(consent: Consent) -> tuple[str, str, str]:
        url = await consent.start()
        act(consent, url)
        with pytest.raises(AuthError) as failed:
            await consent.result(0.2 if "timeout" in message or "arrived" in message else 30)
        return consent.state.value, consent.message, failed.value.message

    got_state, got_message, raised = drive(engine(fresh_sandbox), body)
    assert (got_state, raised) == (state, message) and message in got_message


def test_closing_before_the_redirect_stops_listening(fresh_sandbox: Sandbox) -> None:
    async def body() -> tuple[str, int]:
        consent = await engine(fresh_sandbox).aconsent()
        await consent.start()
        port = int(consent.redirect_uri.split(":")[2].split("/")[0])
        await consent.aclose()
        return consent.state.value, port

    state, port = asyncio.run(body())
    assert state == "closed"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/callback?code=x&state=y")


def test_starting_twice_is_refused(fresh_sandbox: Sandbox) -> None:
    async def body(consent: Consent) -> str:
        await consent.start()
        with pytest.raises(AuthError) as again:
            await consent.start()
        return again.value.message

    assert drive(engine(fresh_sandbox), body) == "this consent was already started (it is waiting)"


def test_waiting_never_blocks_the_event_loop(fresh_sandbox: Sandbox) -> None:
    """A kernel keeps running while the consent waits: other tasks tick, then the paste comes."""
    async def body(consent: Consent) -> int:
        url = await consent.start()
        ticks = 0

        async def kernel() -> None:
            nonlocal ticks
            for _ in range(20):
                ticks += 1
                await asyncio.sleep(0)
            await asyncio.to_thread(lambda: consent.feed(approved(url)))

        await asyncio.gather(consent.result(30), kernel())
        return ticks

    assert drive(engine(fresh_sandbox), body) == 20


def test_a_browser_opener_that_never_returns_does_not_hold_the_consent(fresh_sandbox: Sandbox) -> None:
    """Issue 12 item 12, in the library: the opener blocks (a BROWSER command that waits)."""
    release = threading.Event()
    asked: list[str] = []

    def opener(url: str) -> bool:
        asked.append(url)
        release.wait(30)
        return True

    async def body(consent: Consent) -> tuple[bool | None, str]:
        url = await consent.start()
        opened = await consent.open_browser(opener, wait=0.2)
        consent.feed(approved(url))
        await consent.result(30)
        return opened, consent.state.value

    try:
        opened, state = drive(engine(fresh_sandbox), body)
    finally:
        release.set()
    assert (opened, state) == (None, "authorized") and len(asked) == 1


@pytest.mark.parametrize(("answer", "opened"), [(True, True), (None, True), (False, False), (RuntimeError, False)])
def test_what_a_browser_opener_answers(fresh_sandbox: Sandbox, answer, opened) -> None:
    def opener(url: str) -> bool | None:
        if answer is RuntimeError:
            raise RuntimeError("no browser")
        return answer

    async def body(consent: Consent) -> bool | None:
        await consent.start()
        return await consent.open_browser(opener, wait=30)

    assert drive(engine(fresh_sandbox), body) is opened


def test_a_template_without_oauth2_has_no_consent(fresh_sandbox: Sandbox) -> None:
    e = Engine(samples.load("freshdesk"), samples.demo_inputs("freshdesk", fresh_sandbox.url))
    with pytest.raises(EngineError) as refused:
        asyncio.run(e.aconsent())
    assert refused.value.message == ("this template fetches no token (neither OAuth2 nor a bearer token with a "
                                     "Token Endpoint); nothing to authorize")


@pytest.mark.parametrize(
    ("environ", "platform", "why"),
    [
        pytest.param({}, "linux", "no DISPLAY, WAYLAND_DISPLAY or BROWSER is set", id="headless-linux"),
        pytest.param({"DISPLAY": ":0"}, "linux", "", id="x11"),
        pytest.param({"WAYLAND_DISPLAY": "wayland-0"}, "linux", "", id="wayland"),
        pytest.param({"BROWSER": "lynx"}, "linux", "", id="browser-variable"),
        pytest.param({}, "darwin", "", id="macos"),
        pytest.param({}, "win32", "", id="windows"),
    ],
)
def test_when_a_browser_cannot_be_opened(environ, platform, why) -> None:
    assert browser_unavailable(environ, platform) == why
