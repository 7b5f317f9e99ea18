"""The OAuth2 authorization-code flow, and an httpx auth flow that keeps its token fresh.

OAuth2 uses authlib's httpx integration for what it covers (the authorization URL with state
and PKCE, the code exchange); the refresh request is the template's own (method, endpoint,
content type, body), so it goes through the run's client like any other request. Tokens live
in a :class:`~hdkit.engine.tokens.TokenStore` and are registered with the run's redactor the
moment they are known; they never enter the template.

The consent itself is a :class:`Consent`: start it to get the consent URL (shown first, always),
then the redirect arrives by itself on a one-shot server on 127.0.0.1 or is pasted
(:meth:`Consent.feed`, from any thread), whichever comes first; its ``state`` says where it is.
Nothing in it blocks the event loop, so the CLI and a notebook kernel drive the same object:
opening a browser runs ``webbrowser`` in a child process from a worker thread and is waited for
a bounded time, because a ``BROWSER`` command may never return (issue 12).
"""

from __future__ import annotations

import asyncio
import enum
import json
import os
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning  # installs authlib's "always" filter

with warnings.catch_warnings():
    # authlib >= 1.7 nudges towards the "httpx2" package; hdkit is built on httpx itself.
    warnings.filterwarnings("ignore", "The httpx module is deprecated", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client

from hdkit.engine.client import Client, resend_after_refresh, token_rejected
from hdkit.engine.paging import add_query
from hdkit.engine.prepare import Renderer, Spec
from hdkit.engine.tokens import Tokens, TokenStore
from hdkit.engine.transport import ACCEPT_ENCODING
from hdkit.errors import AuthError, Location
from hdkit.secrets import Redactor, Secret, is_secret_name, reveal
from hdkit.vocabulary import AUTHENTICATION

__all__ = ["Consent", "ConsentState", "OAuth2Session", "browser_unavailable", "open_in_browser"]

Clock = Callable[[], float]
_CALLBACK_PATH = "/callback"
REFRESH_STEP = "Authentication: refresh token"


@dataclass(frozen=True)
class _Pending:
    """An authorization in progress: what the redirect must match, and the PKCE verifier."""

    url: str
    state: str
    redirect_uri: str
    code_verifier: str | None


class OAuth2Session(httpx.Auth):
    """The authorization-code flow of a template, and an auth flow that keeps its token fresh.

    ``config`` is the template's ``OAuth2`` section. ``client_id``/``client_secret`` default to
    the inputs of those names; when absent, the template is expected to carry them in its
    endpoints (as many do) and hdkit adds nothing.
    """

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        config: Any,
        inputs: Mapping[str, Any],
        *,
        client: Client,
        store: TokenStore | None = None,
        key: str = "default",
        client_id: str | Secret | None = None,
        client_secret: str | Secret | None = None,
        pkce: bool = False,
        clock: Clock = time.time,
        renderer: Renderer | None = None,
    ) -> None:
        self.config = config
        self.inputs = dict(inputs)
        self.client = client
        self.redactor = client.redactor
        self.store = store if store is not None else TokenStore(redactor=self.redactor)
        if self.store.redactor is None:
            self.store.redactor = self.redactor
        self.key = key
        self.client_id = reveal(client_id if client_id is not None else inputs.get("client_id"))
        self.client_secret = client_secret if client_secret is not None else inputs.get("client_secret")
        self.pkce = pkce
        self.clock = clock
        self.renderer = renderer or Renderer()
        self.redirect_uri: str = ""
        self._pending: _Pending | None = None
        self._lock = asyncio.Lock()
        for value in inputs.values():
            if isinstance(value, Secret):
                self.redactor.add(value)
        self.redactor.add(self.client_secret)  # may be a plain text input
        if self.tokens is not None:  # tokens from a token file or an earlier run
            self.redactor.add(self.tokens.access_token)
            self.redactor.add(self.tokens.refresh_token)

    # -- what templates see --------------------------------------------------------------------

    @property
    def tokens(self) -> Tokens | None:
        return self.store.get(self.key)

    def variables(self) -> dict[str, Any]:
        tokens = self.tokens
        return {"AccessToken": tokens.access_token if tokens else Secret(""),
                "redirect_uri": self.redirect_uri}

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.inputs)  # Secrets stay Secrets: revealed in the output only
        data["redirect_uri"] = self.redirect_uri
        tokens = self.tokens
        if tokens is not None:
            data["AccessToken"] = tokens.access_token  # Secrets: revealed in the output only
            data["RefreshToken"] = tokens.refresh_token or ""
        return data

    def _render(self, source: str, field: str) -> str:
        return self.renderer.render_field(AUTHENTICATION, field, source, self._data()).strip()

    # -- authorization -------------------------------------------------------------------------

    def authorization_url(self, redirect_uri: str) -> str:
        """The consent URL: rendered endpoint + scope + additional query + state (+ PKCE S256)."""
        self.redirect_uri = redirect_uri
        endpoint = self._render(self.config.authorization_endpoint, "Authorization Endpoint")
        if not endpoint:
            raise AuthError("OAuth2 needs an Authorization Endpoint", Location(AUTHENTICATION, "Authorization Endpoint"))
        present = {k for k, _ in parse_qsl(urlsplit(endpoint).query, keep_blank_values=True)}
        verifier = generate_token(48) if self.pkce else None
        oauth = self._oauth_client(redirect_uri if "redirect_uri" not in present else None)
        extra: dict[str, Any] = {}
        if self.config.scope and "scope" not in present:
            extra["scope"] = self.config.scope
        url, state = oauth.create_authorization_url(endpoint, code_verifier=verifier, **extra)
        url = _dedupe_query(url)
        additional = self._render(self.config.additional_query, "Additional Query String")
        if additional:
            url = add_query(url, dict(parse_qsl(additional.lstrip("?&"), keep_blank_values=True)))
        self.redactor.add(verifier)
        self._pending = _Pending(url, state, redirect_uri, verifier)
        return url

    async def complete(self, redirected_to: str) -> Tokens:
        """Finish the flow from the URL the browser was redirected to (pasted or caught)."""
        pending = self._pending
        if pending is None:
            raise AuthError("no authorization in progress: build the authorization URL first")
        params = dict(parse_qsl(urlsplit(redirected_to.strip()).query, keep_blank_values=True))
        if "error" in params:
            described = params.get("error_description") or params["error"]
            raise AuthError(f"the helpdesk refused the authorization: {described}",
                            Location(AUTHENTICATION, "Authorization Endpoint"))
        code = params.get("code")
        if not code:
            raise AuthError("the redirect URL has no 'code' parameter",
                            hint="paste the full URL the browser was sent to after consent")
        if params.get("state") != pending.state:
            raise AuthError("the redirect's state does not match this authorization (possible CSRF)",
                            hint="start the authorization again")
        self.redactor.add(code)
        return await self._exchange(code, pending)

    async def authorize(self, *, port: int = 0, timeout: float = 300.0,
                        open_browser: Callable[[str], Any] | None = None) -> Tokens:
        """Run the whole flow: open the consent URL, catch the redirect on 127.0.0.1, exchange
        the code (a :class:`Consent` driven to its end)."""
        async with Consent(self, port=port) as consent:
            await consent.start()
            await consent.open_browser(open_browser)
            return await consent.result(timeout)

    async def _exchange(self, code: str, pending: _Pending) -> Tokens:
        token_url = self._render(self.config.token_endpoint, "Token Endpoint")
        oauth = self._oauth_client(pending.redirect_uri)
        kwargs: dict[str, Any] = {"code": code, "grant_type": "authorization_code"}
        if pending.code_verifier:
            kwargs["code_verifier"] = pending.code_verifier
        auth = oauth.client_auth(oauth.token_endpoint_auth_method)
        if _is_json(self.config.content_type):
            auth = _JsonBody(auth)
        # ``from None``: the foreign exception's text can hold the token URL with its secrets;
        # the recorded exchange already says what the helpdesk answered.
        try:
            async with oauth:
                token = await oauth.fetch_token(token_url, auth=auth, **kwargs)
        except AuthlibBaseError as exc:
            raise AuthError(f"the token request failed: {self.redactor.text(str(exc))}",
                            Location(AUTHENTICATION, "Token Endpoint")) from None
        except httpx.HTTPError as exc:
            raise AuthError(f"the token request failed: {type(exc).__name__}: "
                            f"{self.client.scrub(str(exc))}", Location(AUTHENTICATION, "Token Endpoint")) from None
        except ValueError:
            raise AuthError("the token endpoint's answer is not JSON (see the recorded exchange)",
                            Location(AUTHENTICATION, "Token Endpoint")) from None
        except RecursionError:
            raise AuthError("the token endpoint's answer is JSON nested too deeply to decode",
                            Location(AUTHENTICATION, "Token Endpoint")) from None
        tokens = Tokens.from_response(token, self.clock())
        self.store.put(self.key, tokens)
        self._pending = None
        return tokens

    def _oauth_client(self, redirect_uri: str | None) -> AsyncOAuth2Client:
        secret = reveal(self.client_secret) or None
        method = "client_secret_post" if self.client_id and secret else "none"
        hooks = _Recorder(self.client, "Authentication: token request")
        return AsyncOAuth2Client(
            client_id=self.client_id or None,
            client_secret=secret,
            token_endpoint_auth_method=method,
            redirect_uri=redirect_uri,
            code_challenge_method="S256" if self.pkce else None,
            transport=self.client.borrowed_transport(),
            timeout=self.client.timeout, headers={"Accept-Encoding": ACCEPT_ENCODING},
            event_hooks={"request": [hooks.on_request], "response": [hooks.on_response]},
        )

    # -- refresh ------------------------------------------------------------------------------

    def _due(self, tokens: Tokens) -> bool:
        minutes = self.config.refresh_interval_minutes
        return minutes > 0 and self.clock() - tokens.obtained_at >= minutes * 60

    def _require_tokens(self) -> Tokens:
        tokens = self.tokens
        if tokens is None:
            raise AuthError("not authorized yet: run the OAuth2 authorization first (hdkit auth)")
        return tokens

    async def refresh(self) -> Tokens:
        """Refresh the access token with the template's refresh request; rotation kept."""
        tokens = self._require_tokens()
        method = (self.config.refresh_method or "POST").upper()
        json_body = _is_json(self.config.refresh_content_type)
        content_type = "application/json" if json_body else "application/x-www-form-urlencoded"
        # The template's refresh request, rendered like every request (strictly: see prepare).
        spec = Spec(REFRESH_STEP, AUTHENTICATION, method,
                    self.config.refresh_endpoint or self.config.token_endpoint, self.config.refresh_body,
                    template_headers=False, headers=(("Content-Type", content_type), ("Accept", "application/json")),
                    strict=True)
        prepared = self.renderer.render(spec, self._data())
        url, body = prepared.url, prepared.body
        if not self.config.refresh_body.strip():  # the standard body, built (never rendered) from the tokens
            if tokens.refresh_token is None:
                raise AuthError("the access token expired and there is no refresh token",
                                Location(AUTHENTICATION, "Token Refresh Endpoint"), hint="authorize again")
            fields = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token.reveal()}
            if self.client_id:
                fields["client_id"] = self.client_id
            if reveal(self.client_secret):
                fields["client_secret"] = reveal(self.client_secret)
            body = json.dumps(fields) if json_body else urlencode(fields)
            if method in ("GET", "HEAD"):
                url, body = add_query(url, fields), None
        response = await self.client.send(prepared.step, prepared.method, url, headers=prepared.headers, body=body)
        data = response.json() if response.ok else None
        if not isinstance(data, dict) or not data.get("access_token"):
            said = data.get("error") if isinstance(data, dict) else None
            cause = response.exchange.error or (f"the helpdesk answered {said!r}" if said
                                                else "the answer has no access_token")
            raise AuthError(f"refreshing the access token failed: {cause}",
                            Location(AUTHENTICATION, "Token Refresh Endpoint"), hint="authorize again")
        _register_json_secrets(self.redactor, data)
        fresh = Tokens.from_response(data, self.clock(), previous=tokens)
        self.store.put(self.key, fresh)
        return fresh

    async def _current(self) -> Tokens:
        tokens = self._require_tokens()
        if self._due(tokens):
            async with self._lock:
                tokens = self._require_tokens()
                if self._due(tokens):
                    tokens = await self.refresh()
        return tokens

    async def _refresh_once(self, used: Tokens) -> Tokens:
        async with self._lock:
            tokens = self.tokens
            if tokens is not None and tokens.access_token != used.access_token:
                return tokens  # another request refreshed it meanwhile
            return await self.refresh()

    def _can_refresh(self, tokens: Tokens) -> bool:
        """A refresh has something to send (a refresh token, or the template's own body); when it
        has not, the helpdesk's refusal stands as it was answered (a pasted token, say)."""
        return tokens.refresh_token is not None or bool(self.config.refresh_body.strip())

    def _token_invalid(self, response: httpx.Response) -> bool:
        return token_rejected(response, self.config.token_invalid or ())

    def _sign(self, request: httpx.Request, tokens: Tokens) -> None:
        token_type = self.config.token_type or "Bearer"
        request.headers["Authorization"] = f"{token_type} {tokens.access_token.reveal()}"

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        tokens = await self._current()
        self._sign(request, tokens)
        response = yield request
        await response.aread()
        if self._token_invalid(response) and self._can_refresh(tokens):
            fresh = await self._refresh_once(tokens)
            if resend_after_refresh(request, response):  # never a POST the helpdesk may have processed
                retry = httpx.Request(request.method, request.url, headers=request.headers,
                                      content=request.content, extensions=request.extensions)
                self._sign(retry, fresh)
                yield retry

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign with the current token, without refreshing (dry runs use this)."""
        self._sign(request, self._require_tokens())
        yield request


# -- helpers -------------------------------------------------------------------------------------


class _JsonBody(httpx.Auth):
    """Runs authlib's client auth, then sends the form fields as a JSON object instead."""

    requires_request_body = True

    def __init__(self, inner: httpx.Auth) -> None:
        self.inner = inner

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self.inner.sync_auth_flow(request)
        signed = next(flow)
        flow.close()
        fields = dict(parse_qsl(signed.content.decode(), keep_blank_values=True))
        headers = httpx.Headers(signed.headers)
        headers.pop("Content-Length", None)
        headers["Content-Type"] = "application/json"
        yield httpx.Request(signed.method, signed.url, headers=headers, json=fields,
                            extensions=signed.extensions)


class _Recorder:
    """httpx event hooks that log authlib's token requests in the run's exchanges."""

    def __init__(self, client: Client, step: str) -> None:
        self.client = client
        self.step = step
        self._started: dict[int, float] = {}

    async def on_request(self, request: httpx.Request) -> None:
        self._started[id(request)] = time.perf_counter()

    async def on_response(self, response: httpx.Response) -> None:
        await response.aread()
        try:
            data = response.json()
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            _register_json_secrets(self.client.redactor, data)
        started = self._started.pop(id(response.request), time.perf_counter())
        self.client.record(self.step, response, elapsed_ms=(time.perf_counter() - started) * 1000)


def _register_json_secrets(redactor: Redactor, data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, str) and is_secret_name(str(key)):
            redactor.add(value)


def _is_json(content_type: Any) -> bool:
    return "json" in str(getattr(content_type, "value", content_type)).lower()


def _dedupe_query(url: str) -> str:
    """Drop repeated query parameters authlib added to a template URL that already had them."""
    parts = urlsplit(url)
    seen: set[str] = set()
    kept = []
    for seg in parts.query.split("&"):
        name = seg.partition("=")[0]
        if seg and name not in seen:
            seen.add(name)
            kept.append(seg)
    return parts._replace(query="&".join(kept)).geturl()


class ConsentState(enum.StrEnum):
    """Where a :class:`Consent` is."""

    NEW = "new"
    WAITING = "waiting"  # the consent URL is out; waiting for the redirect (loopback or pasted)
    EXCHANGING = "exchanging"  # the redirect arrived; exchanging the code for tokens
    AUTHORIZED = "authorized"
    FAILED = "failed"
    CLOSED = "closed"


class Consent:
    """An OAuth2 consent given in a browser, driven without blocking the event loop.

    ``url = await consent.start()`` builds the consent URL and, unless a fixed ``redirect_uri``
    was given, starts catching the redirect on 127.0.0.1 (``port`` 0: any free port). Show the
    URL; then the redirect arrives by itself, or the user pastes it: :meth:`feed` (callable
    from any thread, e.g. a stdin reader or a widget callback) hands it over. ``await
    consent.result(timeout)`` waits for the first of the two and exchanges the code, once.
    ``state`` and ``message`` say where it is at any moment; :meth:`aclose` (or ``async with``)
    stops the catcher and runs ``on_close`` (the engine closes the run's client there).
    """

    def __init__(self, session: OAuth2Session, *, port: int = 0, redirect_uri: str | None = None,
                 on_close: Callable[[], Awaitable[Any]] | None = None) -> None:
        self.session = session
        self.port = port
        self.fixed_redirect_uri = redirect_uri
        self.on_close = on_close
        self.state = ConsentState.NEW
        self.message = ""
        self.url = ""
        self.redirect_uri = redirect_uri or ""
        self.tokens: Tokens | None = None
        self._catcher: _LoopbackCatcher | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._redirect: asyncio.Future[str] | None = None
        self._started = 0.0

    def __repr__(self) -> str:  # the URL carries no secret, but its state value is not for logs
        return f"<Consent {self.state.value} redirect_uri={self.redirect_uri!r}>"

    @property
    def listening(self) -> bool:
        """Whether a loopback catcher waits for the redirect (else only a pasted URL can come)."""
        return self._catcher is not None

    async def start(self) -> str:
        """Build the consent URL (and start the loopback catcher): show this URL first."""
        if self.state is not ConsentState.NEW:
            raise AuthError(f"this consent was already started (it is {self.state.value})",
                            hint="start a new consent to authorize again")
        self._loop = asyncio.get_running_loop()
        self._started = self._loop.time()
        self._redirect = self._loop.create_future()
        if self.fixed_redirect_uri is None:
            self._catcher = _LoopbackCatcher(self.port, self._deliver)
            await self._catcher.start()
            self.redirect_uri = self._catcher.redirect_uri
        try:
            self.url = self.session.authorization_url(self.redirect_uri)
        except BaseException as exc:
            self.session.redactor.exception(exc)  # a template function may quote a secret
            await self.aclose()
            raise
        self.state = ConsentState.WAITING
        self.message = "waiting for the redirect after consent"
        return self.url

    def feed(self, redirected_to: str) -> None:
        """Hand over the URL the browser was redirected to (pasted); safe from any thread.

        Text that is not a redirect at all (no ``code`` and no ``error`` parameter) is refused
        at once and the consent keeps waiting; a real redirect is checked (state) and exchanged
        by :meth:`result`.
        """
        text = redirected_to.strip()
        params = dict(parse_qsl(urlsplit(text).query, keep_blank_values=True))
        if "code" not in params and "error" not in params:
            raise AuthError("that is not the redirect URL: it has no 'code' parameter",
                            hint=f"paste the whole URL the browser was sent to after consent "
                                 f"(it starts with {self.redirect_uri or 'the redirect URI'})")
        if self._loop is None:
            raise AuthError("the consent has not started: start it first")
        try:
            self._loop.call_soon_threadsafe(self._deliver, text)
        except RuntimeError:  # the loop is gone: the consent is over
            raise AuthError("the consent is over; start a new one") from None

    def _deliver(self, redirected_to: str) -> None:
        if self._redirect is not None and not self._redirect.done():
            self._redirect.set_result(redirected_to)

    async def open_browser(self, opener: Callable[[str], Any] | None = None, *, wait: float = 5.0) -> bool | None:
        """Open the consent URL in a browser, waiting at most ``wait`` seconds for the attempt.

        ``True``: a browser took it (an opener returning ``None`` counts as yes); ``False``: none
        could; ``None``: the opener has not returned yet (a ``BROWSER`` command that waits) or
        the redirect arrived first. Either way nothing blocks: the redirect or a paste can
        still finish the consent.
        """
        if not self.url:
            raise AuthError("the consent has not started: start it first")
        loop = asyncio.get_running_loop()
        done: asyncio.Future[bool] = loop.create_future()
        use = opener or open_in_browser
        url = self.url

        def attempt() -> None:
            try:
                answer = use(url)
                opened = True if answer is None else bool(answer)
            except Exception:  # noqa: BLE001 - a broken opener means "no browser"
                opened = False
            def settle() -> None:
                if not done.done():
                    done.set_result(opened)

            try:
                loop.call_soon_threadsafe(settle)
            except RuntimeError:  # the consent (and its loop) ended first
                pass

        threading.Thread(target=attempt, name="hdkit-open-browser", daemon=True).start()
        waiting: set[asyncio.Future[Any]] = {done}
        if self._redirect is not None:
            waiting.add(asyncio.shield(self._redirect))
        finished, pending = await asyncio.wait(waiting, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
        for other in pending - {done}:
            other.cancel()
        return done.result() if done in finished else None

    def abandon(self, message: str) -> None:
        """End the wait with ``message`` (no redirect can come any more); safe from any thread."""
        if self._loop is None:
            return

        def end() -> None:
            if self._redirect is not None and not self._redirect.done():
                self._redirect.set_exception(AuthError(message))
        try:
            self._loop.call_soon_threadsafe(end)
        except RuntimeError:  # the loop is gone: nothing waits any more
            pass

    async def result(self, timeout: float = 300.0) -> Tokens:
        """Wait for the redirect until ``timeout`` seconds after :meth:`start`, then exchange the code."""
        if self._redirect is None or self._loop is None:
            raise AuthError("the consent has not started: start it first")
        if self.state is ConsentState.AUTHORIZED and self.tokens is not None:
            return self.tokens
        left = max(0.0, timeout - (self._loop.time() - self._started))
        try:
            redirected = await asyncio.wait_for(asyncio.shield(self._redirect), left)
        except asyncio.TimeoutError:
            self._fail(f"no OAuth2 redirect arrived within {timeout:g} s")
            raise AuthError(self.message, hint="finish the consent in the browser, or paste the redirect URL") from None
        except AuthError as exc:  # abandoned
            self._fail(exc.message)
            raise
        self.state, self.message = ConsentState.EXCHANGING, "exchanging the code for tokens"
        try:
            self.tokens = await self.session.complete(redirected)
        except AuthError as exc:
            self._fail(self.session.redactor.exception(exc).message)  # type: ignore[attr-defined]
            raise
        finally:
            await self._stop_catcher()
        self.state, self.message = ConsentState.AUTHORIZED, "authorized"
        return self.tokens

    def _fail(self, message: str) -> None:
        self.state, self.message = ConsentState.FAILED, message

    async def _stop_catcher(self) -> None:
        catcher, self._catcher = self._catcher, None
        if catcher is not None:
            await catcher.stop()

    async def aclose(self) -> None:
        await self._stop_catcher()
        if self._redirect is not None and not self._redirect.done():
            self._redirect.cancel()
        if self.state in (ConsentState.NEW, ConsentState.WAITING):
            self.state, self.message = ConsentState.CLOSED, "closed before the redirect arrived"
        on_close, self.on_close = self.on_close, None
        if on_close is not None:
            await on_close()

    async def __aenter__(self) -> Consent:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


# Runs webbrowser in a child process: a fresh look at DISPLAY/BROWSER, no text browser taking
# over this terminal (its stdin is a pipe), and nothing of it inside this process. The URL
# goes through stdin, not the command line.
_OPEN_SCRIPT = "import sys, webbrowser; sys.exit(0 if webbrowser.open(sys.stdin.read().strip()) else 1)"


def open_in_browser(url: str) -> bool:
    """Open ``url`` with Python's ``webbrowser`` in a child process; whether a browser took it.

    This blocks while a ``BROWSER`` command runs (some wait for the browser to close), which is
    why :meth:`Consent.open_browser` calls it from a worker thread and waits a bounded time.
    """
    try:
        done = subprocess.run([sys.executable, "-c", _OPEN_SCRIPT], input=url, text=True,
                              capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0


def browser_unavailable(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """Why no browser can be opened here ("" when one probably can): no display, no BROWSER."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if environ.get("BROWSER", "").strip():
        return ""
    unix = not platform.startswith(("win", "darwin", "cygwin"))
    if unix and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return "no DISPLAY, WAYLAND_DISPLAY or BROWSER is set"
    return ""


class _LoopbackCatcher:
    """A one-shot HTTP server on 127.0.0.1 that hands the OAuth2 redirect to ``deliver``."""

    def __init__(self, port: int, deliver: Callable[[str], None]) -> None:
        self.port = port
        self.deliver = deliver
        self.redirect_uri = ""
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        try:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        except OSError as exc:
            raise AuthError(f"cannot listen for the OAuth2 redirect on 127.0.0.1:{self.port}: {exc.strerror}",
                            hint="choose another --port, or 0 for any free port") from None
        port = self._server.sockets[0].getsockname()[1]
        self.redirect_uri = f"http://127.0.0.1:{port}{_CALLBACK_PATH}"

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = (await asyncio.wait_for(reader.readline(), 10)).decode("latin-1")
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                pass
        except (asyncio.TimeoutError, ConnectionError):
            writer.close()
            return
        target = line.split(" ")[1] if line.count(" ") >= 2 else "/"
        params = dict(parse_qsl(urlsplit(target).query))
        caught = urlsplit(target).path == _CALLBACK_PATH and ("code" in params or "error" in params)
        page = ("hdkit received the authorization. You can close this tab." if caught
                else "Waiting for the OAuth2 redirect.")
        status = "200 OK" if caught else "404 Not Found"
        body = f"<!doctype html><title>hdkit</title><p>{page}</p>".encode()
        writer.write(f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                     f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        try:
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
        if caught:
            self.deliver(self.redirect_uri + target[len(_CALLBACK_PATH):])
