"""The :class:`Engine`: run a template's scenarios against a helpdesk, exactly as the PBX would.

``Engine(template, inputs)`` is cheap; each scenario call opens one run (one
:class:`~hdkit.engine.client.Client`, so *Max Concurrent Request* holds across every request
of the run, auth included), authenticates, and returns a result object from
:mod:`hdkit.results`. Every method is async (``await engine.asearch(...)``) with a sync twin
(``engine.search(...)``) that also works inside a running event loop (Jupyter), through
:func:`hdkit.engine._sync.run_sync`.

With ``dry_run=True`` every request is rendered by the same code and recorded, not sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx

from hdkit.engine import calls, scenarios
from hdkit.engine._sync import run_sync
from hdkit.engine.auth import OAuth2Session, Tokens, TokenStore, auth_for
from hdkit.engine.client import MAX_RESPONSE_BYTES, Client
from hdkit.engine.events import QUEUE_AGENTS, CallEvent, CallKind, queue_call, simulate
from hdkit.engine.prepare import Renderer, scope
from hdkit.engine.session import Session
from hdkit.errors import EngineError, Location
from hdkit.model import AuthMethod, FollowUpEvent, Inputs, Template
from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult
from hdkit.secrets import Redactor

__all__ = ["Engine"]

T = TypeVar("T")


class Engine:
    """Runs one template with one user's inputs.

    ``transport`` is an httpx transport (``httpx.MockTransport`` in tests); ``tokens`` an auth
    token store (OAuth2/Bearer); ``sleep`` and ``clock`` are the seams for waiting and time.
    ``timeout`` bounds every attempt of every request, connect to last byte, and
    ``max_response_bytes`` the size of every (decoded) response body.
    """

    def __init__(
        self,
        template: Template,
        inputs: Inputs | Mapping[str, Any] | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        dry_run: bool = False,
        tokens: TokenStore | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_concurrent: int | None = None,
        verify: bool = True,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.template = template
        self.inputs = inputs if isinstance(inputs, Inputs) else Inputs.for_template(template, inputs or {})
        self.dry_run = dry_run
        self.tokens = tokens
        self.transport = transport
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_concurrent = max_concurrent or template.general.max_concurrent_requests
        self.verify = verify
        self.sleep = sleep
        self.clock = clock
        self.max_response_bytes = max_response_bytes
        self.renderer = Renderer(template)

    def __repr__(self) -> str:
        mode = " dry-run" if self.dry_run else ""
        return f"<Engine {self.template.general.name!r}{mode} inputs={sorted(self.inputs)}>"

    # -- one run ---------------------------------------------------------------------------

    def _client(self) -> Client:
        return Client(
            max_concurrent=self.max_concurrent, timeout=self.timeout, retries=self.retries,
            backoff=self.backoff, transport=self.transport, redactor=Redactor(self.inputs.secrets()),
            sleep=self.sleep, dry_run=self.dry_run, verify=self.verify,
            max_response_bytes=self.max_response_bytes,
        )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Session]:
        """One run: a client, authenticated, with the base variables (inputs, auth values)."""
        async with self._client() as client, _redacted_errors(client):
            auth, auth_vars = await _authenticate(self, client)
            base = scope(dict(self.inputs), auth_vars)
            session = Session(self.template, client, self.renderer, base, auth)
            await calls.authenticated(session)
            yield session

    async def _run(self, scenario: Callable[[Session], Awaitable[T]]) -> T:
        async with self.session() as session:
            return await scenario(session)

    # -- scenarios (async) -----------------------------------------------------------------

    async def ausers(self, extensions: Mapping[str, str] | None = None) -> UsersResult:
        """Sync helpdesk users (all pages); bind them to ``extensions`` (ext -> email) if given."""
        result = await self._run(scenarios.users)
        return result.associate(extensions) if extensions else result

    async def asearch(self, phone: str, contact_type: str | None = None) -> SearchResult:
        """Look ``phone`` up in every contact type (or one), with follow-ups and pop-up URLs."""
        async def run(s: Session) -> SearchResult:
            return (await scenarios.search(s, phone, contact_type))[0]
        return await self._run(run)

    async def akeyword_search(self, text: str) -> SearchResult:
        """The keyword search from Linkus (the file's SearchContact scenario) for ``text``."""
        return await self._run(lambda s: scenarios.keyword_search(s, text))

    async def amatch_matrix(self, phone: str, contact_type: str | None = None, *,
                            last_digits: int = 7, default_country: str = "1") -> MatrixResult:
        """Search ``phone`` in several formats and show which ones hit, per contact type."""
        return await self._run(lambda s: scenarios.match_matrix(
            s, phone, contact_type, last_digits=last_digits, default_country=default_country))

    async def acreate_contact(self, phone: str, *, first_name: str = "", last_name: str = "",
                              contact_type: str | None = None) -> CallTrace:
        """Create a contact as the PBX does for an unknown number."""
        async def run(s: Session) -> CallTrace:
            return (await scenarios.create_contact(
                s, phone, first_name=first_name, last_name=last_name, contact_type=contact_type))[0]
        return await self._run(run)

    async def acall(self, event: CallEvent | Sequence[CallEvent], *, hide_missed: bool | None = None,
                    play_recording: bool | None = None) -> CallTrace:
        """Run the call scenarios (match, create, ticket, journal, follow-ups) for a call.

        ``event`` is one :class:`CallEvent` or every leg of a queue call (:func:`queue_call`).
        ``hide_missed`` / ``play_recording`` override the template's option defaults.
        """
        legs = [event] if isinstance(event, CallEvent) else list(event)
        if not legs:
            raise ValueError("a call needs at least one event")
        return await self._run(lambda s: calls.call(s, legs, hide_missed=hide_missed, play_recording=play_recording))

    async def afollowup(self, event: FollowUpEvent | str, variables: Mapping[str, object] | None = None) -> CallTrace:
        """Fire the follow-up requests configured for ``event`` with ``variables`` in scope."""
        kind = FollowUpEvent(event)

        async def run(s: Session) -> CallTrace:
            steps: list = []
            outputs: dict[str, object] = {}
            await calls.fire(s, kind, scope(s.base, variables), outputs, steps)
            return CallTrace(kind.value, tuple(steps), s.shown(scope(variables, outputs)))
        return await self._run(run)

    async def aauthorize(self, *, redirect_uri: str | None = None, paste: Callable[[str], str] | None = None,
                         open_browser: Callable[[str], Any] | None = None, port: int = 0,
                         timeout: float = 300.0, pkce: bool = False) -> Tokens:
        """Run the OAuth2 authorization-code flow and keep the tokens in ``tokens``.

        By default the redirect is caught on a loopback port; with ``paste`` the user is shown
        the authorization URL (for ``redirect_uri``) and ``paste(url)`` returns the URL the
        browser was redirected to.
        """
        if self.tokens is None:
            self.tokens = TokenStore()
        async with self._client() as client, _redacted_errors(client):
            flow = auth_for(self.template.auth, self.inputs, client=client, store=self.tokens,
                            key=_token_key(self.template), clock=self.clock, pkce=pkce)
            if not isinstance(flow, OAuth2Session):
                raise EngineError("this template fetches no token (neither OAuth2 nor a bearer token with a "
                                  "Token Endpoint); nothing to authorize",
                                  Location("Authentication", "Authentication Method"),
                                  hint="hdkit auth is for OAuth2 and fetched bearer tokens; others run with "
                                       "their inputs")
            if paste is not None:
                url = flow.authorization_url(redirect_uri or "http://127.0.0.1/callback")
                return await flow.complete(paste(url))
            kwargs = {"open_browser": open_browser} if open_browser else {}
            return await flow.authorize(port=port, timeout=timeout, **kwargs)

    # -- sync twins ------------------------------------------------------------------------

    def users(self, extensions: Mapping[str, str] | None = None) -> UsersResult:
        return run_sync(self.ausers(extensions))

    def search(self, phone: str, contact_type: str | None = None) -> SearchResult:
        return run_sync(self.asearch(phone, contact_type))

    def keyword_search(self, text: str) -> SearchResult:
        return run_sync(self.akeyword_search(text))

    def match_matrix(self, phone: str, contact_type: str | None = None, *,
                     last_digits: int = 7, default_country: str = "1") -> MatrixResult:
        return run_sync(self.amatch_matrix(phone, contact_type, last_digits=last_digits,
                                           default_country=default_country))

    def create_contact(self, phone: str, *, first_name: str = "", last_name: str = "",
                       contact_type: str | None = None) -> CallTrace:
        return run_sync(self.acreate_contact(phone, first_name=first_name, last_name=last_name,
                                             contact_type=contact_type))

    def call(self, event: CallEvent | Sequence[CallEvent], *, hide_missed: bool | None = None,
             play_recording: bool | None = None) -> CallTrace:
        return run_sync(self.acall(event, hide_missed=hide_missed, play_recording=play_recording))

    def followup(self, event: FollowUpEvent | str, variables: Mapping[str, object] | None = None) -> CallTrace:
        return run_sync(self.afollowup(event, variables))

    def authorize(self, **options: Any) -> Tokens:
        return run_sync(self.aauthorize(**options))

    def event(self, kind: CallKind | str, phone: str, **options: Any) -> CallEvent | tuple[CallEvent, ...]:
        """A simulated call for this engine's clock (every leg for ``"queue"``, where
        ``extension`` is the agent who answers: the first queue agent, when not one of them)."""
        options.setdefault("clock", self.clock)
        try:
            if CallKind.parse(kind) is not CallKind.QUEUE:
                return simulate(kind, phone, **options)
            answering = options.pop("extension", None)
            options.setdefault("answered_by", answering)
            known = {ext for ext, _ in QUEUE_AGENTS}
            if answering and answering not in known and "agents" not in options:
                options["agents"] = ((answering, QUEUE_AGENTS[0][1]), *QUEUE_AGENTS[1:])
            return queue_call(phone, **options)
        except ValueError as exc:
            raise EngineError(str(exc), Location("Call event", "event")) from exc


async def _authenticate(engine: Engine, client: Client) -> tuple[httpx.Auth | None, dict[str, object]]:
    """The run's httpx auth flow and the auth variables (``basic_string``, ``AccessToken``...)."""
    auth = engine.template.auth
    if auth.method is AuthMethod.BASIC and "{{" in auth.basic.credential_format:
        engine.renderer.require("Authentication", Location("Authentication", "Base64 Encoded Credential"),
                                auth.basic.credential_format, engine.inputs)
    flow = auth_for(engine.template.auth, engine.inputs, client=client, store=engine.tokens,
                    key=_token_key(engine.template), clock=engine.clock)
    variables = getattr(flow, "variables", None)
    return flow, (dict(variables()) if variables else {})


@asynccontextmanager
async def _redacted_errors(client: Client) -> AsyncIterator[None]:
    """No error leaves a run with a secret in its text (see :meth:`Redactor.exception`)."""
    try:
        yield
    except Exception as exc:
        client.redactor.exception(exc)
        raise


def _token_key(template: Template) -> str:
    return template.general.key or template.general.name or "default"
