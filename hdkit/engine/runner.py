"""The :class:`Engine`: run a template's scenarios against a helpdesk, exactly as the PBX would.

``Engine(template, inputs)`` is cheap; each scenario call opens one run (one
:class:`~hdkit.engine.client.Client`, so *Max Concurrent Request* holds across every request
of the run, auth included), authenticates, and returns a result object from
:mod:`hdkit.results`. Every method is async (``await engine.asearch(...)``) with a sync twin
(``engine.search(...)``) that also works inside a running event loop (Jupyter), through
:func:`hdkit.engine._sync.run_sync`.

With ``dry_run=True`` every request is rendered by the same code and recorded, not sent.

Every scenario takes ``variables={NAME: value}``: variables set by hand, overriding the inputs
and what the call simulator supplies (see :mod:`hdkit.engine.variables`); ``engine.event(...,
variables=...)`` sets them on one simulated call. ``users(sequential=True)`` is the
PBX-faithful sync (one page request at a time, none past the end) and ``users(progress=fn)``
calls ``fn`` with a :class:`~hdkit.engine.paging.SyncProgress` after every page.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx

from hdkit.engine import calls, matrix, scenarios
from hdkit.engine._sync import run_sync
from hdkit.engine.auth import auth_for
from hdkit.engine.client import MAX_RESPONSE_BYTES, Client
from hdkit.engine.events import QUEUE_AGENTS, CallEvent, CallKind, queue_call, simulate
from hdkit.engine.oauth2 import Consent, OAuth2Session
from hdkit.engine.paging import SyncOptions, SyncProgress
from hdkit.engine.prepare import Renderer, scope
from hdkit.engine.session import Session
from hdkit import arguments
from hdkit.engine.tokens import Tokens, TokenStore
from hdkit.engine.variables import check_names, unused
from hdkit.errors import ArgumentError, EngineError, Location
from hdkit.model import FollowUpEvent, Inputs, Template
from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult
from hdkit.secrets import Redactor
from hdkit.validate import require_valid
from hdkit.vocabulary import AUTHENTICATION

__all__ = ["Engine", "token_key"]

T = TypeVar("T")
Variables = Mapping[str, object] | None


class Engine:
    """Runs one template with one user's inputs.

    ``transport`` is an httpx transport (``httpx.MockTransport`` in tests); ``tokens`` an auth
    token store (OAuth2/Bearer); ``sleep`` and ``clock`` are the seams for waiting and time.
    ``timeout`` bounds every attempt of every request, connect to last byte, and
    ``max_response_bytes`` the size of every (decoded) response body.

    A template with validation errors is refused here, as export refuses it
    (:func:`~hdkit.validate.require_valid`: :class:`~hdkit.errors.ValidationFailed`, "N error(s);
    not run"); :attr:`problems` keeps the warnings of one that runs. ``check=False`` is for a
    caller that asked a narrower gate of its own, as ``save(check=False)``: the workbench's Try
    asks :func:`hdkit.readiness.blocking` what stops the one request it sends.
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
        check: bool = True,
    ) -> None:
        self.template = arguments.instance(template, Template, "Engine", "template", arguments.TEMPLATE_FROM)
        self.problems = require_valid(self.template, "run") if check else []
        self.inputs = inputs if isinstance(inputs, Inputs) else Inputs.for_template(template, inputs or {})
        self.dry_run = dry_run
        self.tokens = tokens
        self.transport = transport
        self.timeout = arguments.positive(timeout, "Engine", "timeout")
        self.retries = retries
        self.backoff = backoff
        self.max_concurrent = max_concurrent or template.general.max_concurrent_requests
        self.verify = verify
        self.sleep = sleep
        self.clock = clock
        self.max_response_bytes = arguments.positive(max_response_bytes, "Engine", "max_response_bytes", whole=True)
        self.renderer = Renderer(template)

    def __repr__(self) -> str:
        mode = " dry-run" if self.dry_run else ""
        return f"<Engine {self.template.general.name!r}{mode} inputs={sorted(self.inputs)}>"

    # -- one run ---------------------------------------------------------------------------

    def _client(self, inputs: Inputs | None = None) -> Client:
        inputs = self.inputs if inputs is None else inputs
        return Client(
            max_concurrent=self.max_concurrent, timeout=self.timeout, retries=self.retries,
            backoff=self.backoff, transport=self.transport, redactor=Redactor(inputs.secrets()),
            sleep=self.sleep, dry_run=self.dry_run, verify=self.verify,
            max_response_bytes=self.max_response_bytes,
        )

    def _split(self, variables: Variables) -> tuple[Inputs, dict[str, object]]:
        """Variables set by hand: custom fields become inputs (a password stays a secret)."""
        if not variables:
            return self.inputs, {}
        check_names(variables)
        for name, value in variables.items():  # text a request can carry (the value itself is never quoted)
            if isinstance(value, str):
                arguments.text(value, "Engine", f"variables[{name!r}]")
        fields = {f.name for f in self.template.auth.custom_fields}
        given = {k: v for k, v in variables.items() if k in fields}
        inputs = Inputs.for_template(self.template, {**dict(self.inputs), **given}) if given else self.inputs
        return inputs, {k: v for k, v in variables.items() if k not in fields}

    def unused_variables(self, names: Iterable[str]) -> list[str]:
        """The ``names`` this template never refers to: setting them changes nothing."""
        return unused(self.template, names)

    @asynccontextmanager
    async def session(self, variables: Variables = None) -> AsyncIterator[Session]:
        """One run: a client, authenticated, with the base variables (inputs, auth values,
        then ``variables`` set by hand)."""
        inputs, overrides = self._split(variables)
        async with self._client(inputs) as client, _redacted_errors(client):
            auth, auth_vars = await _authenticate(self, client, inputs)
            base = scope(dict(inputs), auth_vars, overrides)
            session = Session(self.template, client, self.renderer, base, auth)
            await calls.authenticated(session)
            yield session

    async def _run(self, scenario: Callable[[Session], Awaitable[T]], variables: Variables = None) -> T:
        async with self.session(variables) as session:
            return await scenario(session)

    # -- scenarios (async) -----------------------------------------------------------------

    async def ausers(self, extensions: Mapping[str, str] | None = None, *, sequential: bool = False,
                     progress: Callable[[SyncProgress], None] | None = None,
                     variables: Variables = None) -> UsersResult:
        """Sync helpdesk users (all pages); bind them to ``extensions`` (ext -> email) if given.

        ``sequential=True`` sends exactly the requests the PBX would, one at a time;
        ``progress`` is called after every page (:class:`~hdkit.engine.paging.SyncProgress`).
        """
        options = SyncOptions(sequential=sequential, progress=progress, sleep=self.sleep)
        result = await self._run(lambda s: scenarios.users(s, options), variables)
        return result.associate(extensions) if extensions else result

    async def asearch(self, phone: str, contact_type: str | None = None, *,
                      variables: Variables = None) -> SearchResult:
        """Look ``phone`` up in every contact type (or one), with follow-ups and pop-up URLs."""
        _texts("Engine.search", phone=phone, contact_type=contact_type)
        async def run(s: Session) -> SearchResult:
            return (await scenarios.search(s, phone, contact_type))[0]
        return await self._run(run, variables)

    async def akeyword_search(self, text: str, *, variables: Variables = None) -> SearchResult:
        """The keyword search from Linkus (the file's SearchContact scenario) for ``text``."""
        _texts("Engine.keyword_search", text=text)
        return await self._run(lambda s: scenarios.keyword_search(s, text), variables)

    async def amatch_matrix(self, phone: str, contact_type: str | None = None, *, last_digits: int = 7,
                            default_country: str = "1", expect: str | None = None,
                            variables: Variables = None) -> MatrixResult:
        """Search ``phone`` in several formats; a format is a hit when it finds the expected
        contact: ``expect`` (a contact id), else the one the E.164 number finds."""
        _texts("Engine.match_matrix", phone=phone, contact_type=contact_type, default_country=default_country,
               expect=expect)
        return await self._run(lambda s: matrix.match_matrix(
            s, phone, contact_type, last_digits=last_digits, default_country=default_country, expect=expect),
            variables)

    async def acreate_contact(self, phone: str, *, first_name: str = "", last_name: str = "",
                              contact_type: str | None = None, variables: Variables = None) -> CallTrace:
        """Create a contact as the PBX does for an unknown number."""
        _texts("Engine.create_contact", phone=phone, first_name=first_name, last_name=last_name,
               contact_type=contact_type)
        _, overrides = self._split(variables)  # over the simulated name and number, as on a call

        async def run(s: Session) -> CallTrace:
            return (await scenarios.create_contact(
                s, phone, first_name=first_name, last_name=last_name, contact_type=contact_type,
                variables=overrides))[0]
        return await self._run(run, variables)

    async def acall(self, event: CallEvent | Sequence[CallEvent], *, hide_missed: bool | None = None,
                    play_recording: bool | None = None, variables: Variables = None) -> CallTrace:
        """Run the call scenarios (match, create, ticket, journal, follow-ups) for a call.

        ``event`` is one :class:`CallEvent` or every leg of a queue call (:func:`queue_call`).
        ``hide_missed`` / ``play_recording`` override the template's option defaults;
        ``variables`` override what the simulator supplied for every leg.
        """
        legs = arguments.events(event, "Engine.call", CallEvent)
        _, overrides = self._split(variables)
        legs = [leg.with_variables(overrides) for leg in legs]
        return await self._run(lambda s: calls.call(s, legs, hide_missed=hide_missed, play_recording=play_recording),
                               variables)

    async def afollowup(self, event: FollowUpEvent | str, variables: Variables = None) -> CallTrace:
        """Fire the follow-up requests configured for ``event`` with ``variables`` in scope."""
        try:
            kind = FollowUpEvent(event)
        except ValueError:
            known = ", ".join(repr(e.value) for e in FollowUpEvent)
            raise ArgumentError(f"event must be one of {known}, got {event!r}",
                                Location("Engine.followup", "event")) from None

        async def run(s: Session) -> CallTrace:
            steps: list = []
            outputs: dict[str, object] = {}
            await calls.fire(s, kind, s.base, outputs, steps)
            return CallTrace(kind.value, tuple(steps), s.shown(scope(self._split(variables)[1], outputs)))
        return await self._run(run, variables)

    async def apart(self, event: CallEvent, part: str, name: str = "", *, variables: Variables = None) -> CallTrace:
        """One part of a call alone (``"ticket"``, ``"journal"``, or ``"followup"`` named
        ``name``), with ``event``'s variables, as the PBX sends it during that call."""
        _, overrides = self._split(variables)
        return await self._run(lambda s: calls.part(s, event.with_variables(overrides), part, name), variables)

    async def aconsent(self, *, redirect_uri: str | None = None, port: int = 0, pkce: bool = False) -> Consent:
        """An OAuth2 consent for this template, ready to :meth:`~Consent.start` (see :class:`Consent`).

        The redirect is caught on a loopback port (``port`` 0: any free one) unless a fixed
        ``redirect_uri`` is given (the one registered with the helpdesk), in which case the user
        pastes the URL the browser lands on (:meth:`Consent.feed`). Tokens go to ``tokens``.
        The consent owns a client of this engine until it is closed.
        """
        if self.tokens is None:
            self.tokens = TokenStore()
        client = self._client()
        await client.__aenter__()
        try:
            flow = auth_for(self.template.auth, self.inputs, client=client, store=self.tokens,
                            key=token_key(self.template), clock=self.clock, pkce=pkce, renderer=self.renderer)
            if not isinstance(flow, OAuth2Session):
                raise EngineError("this template fetches no token (neither OAuth2 nor a bearer token with a "
                                  "Token Endpoint); nothing to authorize",
                                  Location(AUTHENTICATION, "Authentication Method"),
                                  hint="hdkit auth is for OAuth2 and fetched bearer tokens; others run with "
                                       "their inputs")
        except BaseException as exc:
            client.redactor.exception(exc)
            await client.aclose()
            raise
        return Consent(flow, port=port, redirect_uri=redirect_uri, on_close=client.aclose)

    async def aauthorize(self, *, redirect_uri: str | None = None, paste: Callable[[str], str] | None = None,
                         open_browser: Callable[[str], Any] | None = None, port: int = 0,
                         timeout: float = 300.0, pkce: bool = False) -> Tokens:
        """Run the OAuth2 authorization-code flow to its end and keep the tokens in ``tokens``.

        By default the consent URL is opened with ``open_browser`` (default: the system's
        browser, bounded) and the redirect caught on a loopback port; with ``paste`` the redirect
        URI is ``redirect_uri`` and ``paste(url)`` returns the URL the browser was sent to.
        A kernel that must not block drives :meth:`aconsent` itself.
        """
        fixed = (redirect_uri or "http://127.0.0.1/callback") if paste is not None else None
        async with await self.aconsent(redirect_uri=fixed, port=port, pkce=pkce) as consent:
            url = await consent.start()
            if paste is not None:
                consent.feed(paste(url))
            else:
                await consent.open_browser(open_browser)
            return await consent.result(timeout)

    # -- sync twins ------------------------------------------------------------------------

    def users(self, extensions: Mapping[str, str] | None = None, *, sequential: bool = False,
              progress: Callable[[SyncProgress], None] | None = None, variables: Variables = None) -> UsersResult:
        return run_sync(self.ausers(extensions, sequential=sequential, progress=progress, variables=variables))

    def search(self, phone: str, contact_type: str | None = None, *, variables: Variables = None) -> SearchResult:
        return run_sync(self.asearch(phone, contact_type, variables=variables))

    def keyword_search(self, text: str, *, variables: Variables = None) -> SearchResult:
        return run_sync(self.akeyword_search(text, variables=variables))

    def match_matrix(self, phone: str, contact_type: str | None = None, *, last_digits: int = 7,
                     default_country: str = "1", expect: str | None = None,
                     variables: Variables = None) -> MatrixResult:
        return run_sync(self.amatch_matrix(phone, contact_type, last_digits=last_digits,
                                           default_country=default_country, expect=expect, variables=variables))

    def create_contact(self, phone: str, *, first_name: str = "", last_name: str = "",
                       contact_type: str | None = None, variables: Variables = None) -> CallTrace:
        return run_sync(self.acreate_contact(phone, first_name=first_name, last_name=last_name,
                                             contact_type=contact_type, variables=variables))

    def call(self, event: CallEvent | Sequence[CallEvent], *, hide_missed: bool | None = None,
             play_recording: bool | None = None, variables: Variables = None) -> CallTrace:
        return run_sync(self.acall(event, hide_missed=hide_missed, play_recording=play_recording,
                                   variables=variables))

    def followup(self, event: FollowUpEvent | str, variables: Variables = None) -> CallTrace:
        return run_sync(self.afollowup(event, variables))

    def part(self, event: CallEvent, part: str, name: str = "", *, variables: Variables = None) -> CallTrace:
        return run_sync(self.apart(event, part, name, variables=variables))

    def authorize(self, **options: Any) -> Tokens:
        return run_sync(self.aauthorize(**options))

    def event(self, kind: CallKind | str, phone: str, **options: Any) -> CallEvent | tuple[CallEvent, ...]:
        """A simulated call for this engine's clock (every leg for ``"queue"``, where
        ``extension`` is the agent who answers: the first queue agent, when not one of them).
        ``variables={...}`` sets variables by hand, overriding what the simulator supplies."""
        _texts("Engine.event", phone=phone, **{k: v for k, v in options.items() if k in _EVENT_TEXTS})
        options.setdefault("clock", self.clock)
        if options.get("variables"):
            check_names(options["variables"])
        try:
            if CallKind.parse(kind) is not CallKind.QUEUE:
                return simulate(kind, phone, **options)
            answering = options.pop("extension", None)
            name = options.pop("extension_name", None)
            options.setdefault("answered_by", answering)
            known = {ext for ext, _ in QUEUE_AGENTS}
            if answering and answering not in known and "agents" not in options:
                options["agents"] = ((answering, QUEUE_AGENTS[0][1]), *QUEUE_AGENTS[1:])
            if name:  # the answering agent's name
                winner = answering or options.get("agents", QUEUE_AGENTS)[0][0]
                options["agents"] = tuple((e, name if e == winner else n)
                                          for e, n in options.get("agents", QUEUE_AGENTS))
            return queue_call(phone, **options)
        except ValueError as exc:
            raise EngineError(str(exc), Location("Call event", "event")) from exc


async def _authenticate(engine: Engine, client: Client,
                        inputs: Inputs | None = None) -> tuple[httpx.Auth | None, dict[str, object]]:
    """The run's httpx auth flow and the auth variables (``basic_string``, ``AccessToken``...)."""
    inputs = engine.inputs if inputs is None else inputs
    flow = auth_for(engine.template.auth, inputs, client=client, store=engine.tokens,
                    key=token_key(engine.template), clock=engine.clock, renderer=engine.renderer)
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


_EVENT_TEXTS = ("extension", "extension_name", "contact_name", "owner", "who_module")  # a call's text options


def _texts(call: str, **values: Any) -> None:
    """The text arguments of a scenario call: text UTF-8 can carry (a contact type may be None)."""
    for name, value in values.items():
        arguments.text(value, call, name, optional=name in ("contact_type", "expect"))


def token_key(template: Template) -> str:
    """Where a template's tokens are kept in a :class:`TokenStore` (its key, else its name)."""
    return template.general.key or template.general.name or "default"
