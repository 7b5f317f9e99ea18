"""Auth flows end to end against a fake helpdesk: Basic, Bearer, OAuth2 code flow with PKCE,
refresh on interval / 401 / token-invalid text, rotation, the token file, and redaction."""

from __future__ import annotations

import asyncio
import threading
import base64
import hashlib
import json
import os
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest

from hdkit.engine import OAuth2Session, Tokens, TokenStore
from hdkit.engine.auth import BasicCredential, BearerToken, auth_for
from hdkit.engine.client import Client, Outcome, Response
from hdkit.errors import AuthError, EngineError, Location
from hdkit.model import Auth, AuthMethod, BasicAuth, ContentType, CustomField, OAuth2, Unrecognized
from hdkit.secrets import Redactor, Secret
from hdkit.cli.exits import Exit, for_error

CLIENT_SECRET = "cl1ent-SECRET-sentinel-77"
PASSWORD = "pa55-word-sentinel-42"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Provider:
    """A fake helpdesk with an OAuth2 server and a users API that checks the bearer token."""

    def __init__(self, *, rotate: bool = True, invalid_text: bool = False) -> None:
        self.rotate = rotate
        self.invalid_text = invalid_text
        self.codes: dict[str, str | None] = {}  # code -> PKCE challenge
        self.valid_access: set[str] = set()
        self.valid_refresh: set[str] = set()
        self.issued = 0
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []

    def issue_code(self, challenge: str | None) -> str:
        code = f"code-{len(self.codes) + 1}-xyz"
        self.codes[code] = challenge
        return code

    def _tokens(self, *, refresh: bool) -> dict[str, Any]:
        self.issued += 1
        access = f"access-{self.issued}-tok"
        self.valid_access = {access}
        out: dict[str, Any] = {"access_token": access, "token_type": "bearer", "expires_in": 3600}
        if refresh:
            rt = f"refresh-{self.issued}-tok"
            self.valid_refresh = {rt}
            out["refresh_token"] = rt
        return out

    def revoke_access(self) -> None:
        self.valid_access = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            self.token_requests.append(request)
            ctype = request.headers.get("content-type", "")
            form = (json.loads(request.content) if "json" in ctype
                    else dict(parse_qsl(request.content.decode())))
            form.update(dict(request.url.params))
            if form.get("client_secret") not in (None, CLIENT_SECRET):
                return httpx.Response(401, json={"error": "invalid_client"})
            if form.get("grant_type") == "authorization_code":
                if form.get("code") not in self.codes:
                    return httpx.Response(400, json={"error": "invalid_grant"})
                challenge = self.codes.pop(form["code"])
                if challenge is not None:
                    verifier = form.get("code_verifier", "")
                    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    if digest.rstrip(b"=").decode() != challenge:
                        return httpx.Response(400, json={"error": "invalid_grant", "error_description": "PKCE"})
                return httpx.Response(200, json=self._tokens(refresh=True))
            refresh = form.get("refresh_token") or form.get("rt")
            if refresh not in self.valid_refresh:
                return httpx.Response(400, json={"error": "invalid_grant"})
            return httpx.Response(200, json=self._tokens(refresh=self.rotate))
        self.api_requests.append(request)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if token not in self.valid_access:
            if self.invalid_text:
                return httpx.Response(400, json={"error": {"code": "invalid_token"}})  # a failed answer
            return httpx.Response(401, json={"error": "unauthorized"})
        return httpx.Response(200, json={"users": [{"id": 1}], "scheme": scheme})


def oauth_config(**kw: Any) -> OAuth2:
    base = dict(
        authorization_endpoint="https://{{.domain}}/oauth/authorize?response_type=code&client_id={{.client_id}}",
        token_endpoint="https://{{.domain}}/oauth/token",
        scope="users.read,contacts.read",
        additional_query="audience={{.domain}}&prompt=consent",
    )
    base.update(kw)
    return OAuth2(**base)


INPUTS = {"domain": "desk.test", "client_id": "hdkit-app", "client_secret": Secret(CLIENT_SECRET)}


def run(provider: Provider, body: Callable[[Client], Awaitable[Any]], **client_kw: Any) -> tuple[Any, Client]:
    async def sleep(_s: float) -> None:
        return None

    async def go() -> tuple[Any, Client]:
        async with Client(transport=httpx.MockTransport(provider), sleep=sleep, **client_kw) as client:
            return await body(client), client

    return asyncio.run(go())


async def authorized(client: Client, provider: Provider, *, pkce: bool = True, clock: Clock | None = None,
                     store: TokenStore | None = None, **config: Any) -> OAuth2Session:
    session = OAuth2Session(oauth_config(**config), INPUTS, client=client, pkce=pkce,
                            clock=clock or Clock(), store=store)
    url = session.authorization_url("http://127.0.0.1:8765/callback")
    query = parse_qs(urlsplit(url).query)
    code = provider.issue_code(query.get("code_challenge", [None])[0])
    await session.complete(f"http://127.0.0.1:8765/callback?code={code}&state={query['state'][0]}")
    return session


def assert_no_secrets(client: Client, *values: str) -> None:
    for exchange in client.exchanges:
        shown = repr(exchange) + exchange.to_curl()
        for value in values:
            assert value not in shown, (value, exchange.step)


# -- Basic and Bearer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "inputs", "plain"),
    [
        pytest.param("{{.username}}:{{.password}}", {"username": "ann", "password": Secret(PASSWORD)},
                     f"ann:{PASSWORD}", id="user-password"),
        pytest.param("{{.api_key}}", {"api_key": Secret(PASSWORD)}, PASSWORD, id="api-key"),
        pytest.param("{{.api_key}}:X", {"api_key": Secret(PASSWORD)}, f"{PASSWORD}:X", id="freshdesk-style"),
    ],
)
def test_basic_sends_the_rendered_base64_credential(fmt, inputs, plain):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    async def body(client: Client) -> BasicCredential:
        auth = BasicCredential(fmt, inputs, redactor=client.redactor)
        await client.send("Get users", "GET", "https://desk.test/u", auth=auth,
                          headers={"Authorization": "Token from-template-header"})
        return auth

    async def go() -> tuple[BasicCredential, Client]:
        async with Client(transport=httpx.MockTransport(handler)) as client:
            return await body(client), client

    auth, client = asyncio.run(go())
    expected = base64.b64encode(plain.encode()).decode()
    assert seen[0].headers["authorization"] == f"Basic {expected}"  # auth wins over the header
    assert auth.variables()["basic_string"].reveal() == expected
    assert_no_secrets(client, PASSWORD, expected)


def test_basic_without_a_format_is_a_located_error():
    with pytest.raises(AuthError) as err:
        BasicCredential("  ", {})
    assert "Base64 Encoded Credential" in str(err.value)


def test_basic_with_a_missing_input_names_the_variable():
    with pytest.raises(EngineError) as err:
        BasicCredential("{{.username}}:{{.password}}", {"username": "ann"})
    assert "variable 'password' has no value" in str(err.value)
    assert err.value.location == Location("Authentication", "Base64 Encoded Credential", 1, 17)


@pytest.mark.parametrize("source", ["input", "store"])
def test_bearer_token_from_an_input_or_the_store(source):
    seen: list[httpx.Request] = []
    token = "bearer-sentinel-token-1"

    async def go() -> Client:
        store = TokenStore()
        store.put("acme", Tokens(Secret(token)))
        auth = BearerToken(token if source == "input" else None, store=store, key="acme")
        async with Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, json={})),
                          redactor=Redactor([token])) as client:
            await client.send("Search", "GET", "https://desk.test/s", auth=auth)
            return client

    client = asyncio.run(go())
    assert seen[0].headers["authorization"] == f"Bearer {token}"
    assert client.exchanges[0].request_headers["Authorization"] == "Bearer ********"


def test_bearer_without_a_token_is_a_recorded_auth_error():
    async def go() -> Response:
        async with Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))) as client:
            return await client.send("Search", "GET", "https://desk.test/s", auth=BearerToken(store=TokenStore()))

    response = asyncio.run(go())
    assert response.outcome is Outcome.AUTH_ERROR
    assert response.exchange.error.startswith("Search: authentication failed: ")
    assert "no bearer token" in response.exchange.error


TOKEN_INPUTS = (CustomField("api_key", "Key", "password"), CustomField("api_token", "Token", "password"))


@pytest.mark.parametrize(
    ("method", "oauth2", "expected"),
    [
        pytest.param(AuthMethod.NONE, oauth_config(), type(None), id="none"),
        pytest.param(AuthMethod.BASIC, oauth_config(), BasicCredential, id="basic"),
        pytest.param(AuthMethod.BEARER, OAuth2(), BearerToken, id="bearer-pasted"),
        pytest.param(AuthMethod.BEARER, oauth_config(), OAuth2Session, id="bearer-fetched"),
        pytest.param(AuthMethod.OAUTH2, oauth_config(), OAuth2Session, id="oauth2"),
    ],
)
def test_auth_for_picks_the_flow_of_the_template(method, oauth2, expected):
    auth = Auth(method=method, custom_fields=TOKEN_INPUTS, basic=BasicAuth(credential_format="{{.api_key}}"),
                oauth2=oauth2)

    async def go() -> Any:
        async with Client() as client:
            return auth_for(auth, {"api_key": Secret(PASSWORD), "api_token": Secret("tok-123456")}, client=client)

    flow = asyncio.run(go())
    assert isinstance(flow, expected)
    if isinstance(flow, BearerToken):  # the Password input whose name says token
        assert flow.access_token().reveal() == "tok-123456"


# -- OAuth2: authorization --------------------------------------------------------------------------


def test_authorization_url_has_scope_additional_query_state_and_pkce_once_each():
    async def body(client: Client) -> tuple[str, OAuth2Session]:
        session = OAuth2Session(oauth_config(), INPUTS, client=client, pkce=True)
        return session.authorization_url("http://127.0.0.1:9/callback"), session

    (url, session), _ = run(Provider(), body)
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query)
    names = [k for k, _ in pairs]
    query = dict(pairs)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://desk.test/oauth/authorize"
    assert len(names) == len(set(names))  # nothing doubled by authlib
    assert query["client_id"] == "hdkit-app" and query["response_type"] == "code"
    assert query["scope"] == "users.read,contacts.read"
    assert query["audience"] == "desk.test" and query["prompt"] == "consent"
    assert query["redirect_uri"] == "http://127.0.0.1:9/callback"
    assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 20
    assert session.variables()["redirect_uri"] == "http://127.0.0.1:9/callback"
    assert CLIENT_SECRET not in url


@pytest.mark.parametrize("content_type", [ContentType.FORM, ContentType.JSON])
def test_code_flow_with_pkce_exchanges_the_code_and_signs_requests(content_type):
    provider = Provider()

    async def body(client: Client) -> Response:
        session = await authorized(client, provider, content_type=content_type)
        assert session.variables()["AccessToken"].reveal() == "access-1-tok"
        return await client.send("Get users", "GET", "https://desk.test/api/users", auth=session)

    response, client = run(provider, body)
    token_request = provider.token_requests[0]
    ctypes = token_request.headers.get_list("content-type")
    assert len(ctypes) == 1 and ctypes[0].startswith(content_type.value)
    assert response.ok and provider.api_requests[0].headers["authorization"] == "Bearer access-1-tok"
    steps = [e.step for e in client.exchanges]
    assert steps == ["Authentication: token request", "Get users"]
    assert_no_secrets(client, CLIENT_SECRET, "access-1-tok", "refresh-1-tok", "code-1-xyz")


@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        pytest.param("?code=code-1-xyz&state=forged", "state does not match", id="state-mismatch"),
        pytest.param("?error=access_denied&error_description=User+said+no", "User said no", id="denied"),
        pytest.param("?state=whatever", "no 'code' parameter", id="no-code"),
    ],
)
def test_bad_redirects_are_refused(redirect, message):
    async def body(client: Client) -> None:
        session = OAuth2Session(oauth_config(), INPUTS, client=client)
        session.authorization_url("http://127.0.0.1:9/callback")
        with pytest.raises(AuthError) as err:
            await session.complete("http://127.0.0.1:9/callback" + redirect)
        assert message in str(err.value)

    run(Provider(), body)


def test_wrong_pkce_verifier_is_an_auth_error_naming_the_token_endpoint():
    provider = Provider()

    async def body(client: Client) -> None:
        session = OAuth2Session(oauth_config(), INPUTS, client=client, pkce=True)
        url = session.authorization_url("http://127.0.0.1:9/callback")
        code = provider.issue_code("not-the-challenge")
        with pytest.raises(AuthError) as err:
            await session.complete(f"http://127.0.0.1:9/callback?code={code}&state={parse_qs(urlsplit(url).query)['state'][0]}")
        assert "Token Endpoint" in str(err.value) and "invalid_grant" in str(err.value)

    _, client = run(provider, body)
    assert client.exchanges[0].status == 400


def test_loopback_catches_the_redirect_from_the_browser():
    """The browser runs beside the event loop (as a real one does): the catcher gets its redirect."""
    provider = Provider()
    landed: list[str] = []
    closed = threading.Event()

    def browser(url: str) -> bool:
        query = parse_qs(urlsplit(url).query)
        code = provider.issue_code(query["code_challenge"][0])
        miss = httpx.get(query["redirect_uri"][0].replace("/callback", "/favicon.ico"))
        hit = httpx.get(query["redirect_uri"][0], params={"code": code, "state": query["state"][0]})
        landed.extend([str(miss.status_code), hit.text])
        closed.set()
        return True

    async def body(client: Client) -> Tokens:
        session = OAuth2Session(oauth_config(), INPUTS, client=client, pkce=True)
        tokens = await session.authorize(timeout=30, open_browser=browser)
        assert session.redirect_uri.startswith("http://127.0.0.1:")
        return tokens

    tokens, _ = run(provider, body)
    assert tokens.access_token.reveal() == "access-1-tok"
    assert closed.wait(10) and landed[0] == "404" and "close this tab" in landed[1]


def test_loopback_wait_is_bounded():
    async def body(client: Client) -> None:
        session = OAuth2Session(oauth_config(), INPUTS, client=client)
        with pytest.raises(AuthError) as err:
            await session.authorize(timeout=0.05, open_browser=lambda url: None)
        assert "no OAuth2 redirect arrived" in str(err.value)

    run(Provider(), body)


# -- OAuth2: refresh ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("refresh_minutes", "elapsed_min", "refreshed"),
    [
        pytest.param(None, 24, False, id="blank-before-25"),
        pytest.param(None, 25, True, id="blank-at-25"),
        pytest.param(5, 6, True, id="custom-interval"),
        pytest.param(0, 100_000, False, id="zero-never"),
    ],
)
def test_refresh_on_the_configured_interval(refresh_minutes, elapsed_min, refreshed):
    provider = Provider()
    clock = Clock()

    async def body(client: Client) -> Response:
        session = await authorized(client, provider, clock=clock, refresh_minutes=refresh_minutes)
        clock.now += elapsed_min * 60
        if refreshed:
            provider.revoke_access()  # the old token must not be used any more
        return await client.send("Get users", "GET", "https://desk.test/api/users", auth=session)

    response, client = run(provider, body)
    assert response.ok
    assert len(provider.token_requests) == (2 if refreshed else 1)
    assert ("Authentication: refresh token" in [e.step for e in client.exchanges]) is refreshed


@pytest.mark.parametrize("invalid_text", [False, True], ids=["http-401", "token-invalid-text"])
def test_refresh_once_on_rejection_then_retry(invalid_text):
    provider = Provider(invalid_text=invalid_text)

    async def body(client: Client) -> Response:
        session = await authorized(client, provider, refresh_minutes=0, token_invalid=("invalid_token",))
        provider.revoke_access()
        return await client.send("Create contact", "POST", "https://desk.test/api/users", body="{}", auth=session)

    response, client = run(provider, body)
    assert response.ok and response.json()["users"] == [{"id": 1}]
    assert [r.headers["authorization"] for r in provider.api_requests] == ["Bearer access-1-tok", "Bearer access-2-tok"]
    assert len(provider.token_requests) == 2
    assert_no_secrets(client, "access-2-tok", "refresh-2-tok", "refresh-1-tok", CLIENT_SECRET)


def test_concurrent_rejections_refresh_only_once():
    provider = Provider()

    async def body(client: Client) -> list[Response]:
        session = await authorized(client, provider, refresh_minutes=0)
        provider.revoke_access()
        return await asyncio.gather(*(client.send(f"u{i}", "GET", "https://desk.test/api/users", auth=session)
                                      for i in range(8)))

    responses, _ = run(provider, body)
    assert all(r.ok for r in responses)
    assert len(provider.token_requests) == 2  # the code exchange and one refresh


@pytest.mark.parametrize("rotate", [True, False])
def test_rotated_refresh_token_replaces_the_old_one(rotate):
    provider = Provider(rotate=rotate)

    async def body(client: Client) -> list[str]:
        session = await authorized(client, provider, refresh_minutes=0)
        kept = []
        for _ in range(3):
            tokens = await session.refresh()
            kept.append(tokens.refresh_token.reveal())
        return kept

    kept, _ = run(provider, body)
    assert kept == (["refresh-2-tok", "refresh-3-tok", "refresh-4-tok"] if rotate else ["refresh-1-tok"] * 3)


def test_custom_refresh_request_body_and_content_type():
    provider = Provider()

    async def body(client: Client) -> None:
        session = await authorized(client, provider, refresh_minutes=0,
                                   refresh_endpoint="https://{{.domain}}/oauth/token?grant_type=refresh_token",
                                   refresh_content_type=ContentType.JSON,
                                   refresh_body='{"rt": "{{.RefreshToken}}", "client_id": "{{.client_id}}"}')
        await session.refresh()

    _, client = run(provider, body)
    refresh = provider.token_requests[1]
    assert json.loads(refresh.content) == {"rt": "refresh-1-tok", "client_id": "hdkit-app"}
    assert refresh.headers["content-type"] == "application/json"
    assert "refresh-1-tok" not in client.exchanges[-1].request_body


def test_refresh_request_is_rendered_like_every_request_and_strictly():
    """The refresh request goes through the run's Renderer: the same Spec, the same step name
    in the exchange log, and a variable with no value named before anything is sent."""
    provider = Provider()

    async def body(client: Client) -> str:
        session = await authorized(client, provider, refresh_minutes=0,
                                   refresh_body="grant_type=refresh_token&rt={{.RefreshToken}}&tenant={{.tenant}}")
        with pytest.raises(EngineError) as err:
            await session.refresh()
        return str(err.value)

    message, client = run(provider, body)
    assert "Authentication: refresh token: variable 'tenant' has no value" in message
    assert "Authentication > Authentication: refresh token Body" in message
    assert len(provider.token_requests) == 1  # only the code exchange: nothing half-rendered was sent


def test_auth_for_refuses_a_method_it_does_not_know():
    auth = Auth(method=Unrecognized("digest"))

    async def go() -> Any:
        async with Client() as client:
            return auth_for(auth, {}, client=client)

    with pytest.raises(EngineError) as err:
        asyncio.run(go())
    assert not isinstance(err.value, AuthError)  # the file's value, not the helpdesk's answer: exit 1, not 3
    assert err.value.location == Location("Authentication", "Authentication Method")
    assert "'digest'" in str(err.value)
    assert for_error(err.value) == Exit.TEMPLATE


def test_the_old_auth_module_names_warn_and_point_home():
    import hdkit.engine.auth as auth_module

    with pytest.warns(DeprecationWarning, match="import it from hdkit.engine"):
        assert auth_module.TokenStore is TokenStore  # type: ignore[attr-defined]


def test_importing_the_token_store_does_not_load_authlib():
    import subprocess
    import sys

    code = "import sys; from hdkit.engine import TokenStore, Tokens; print('authlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_failed_refresh_is_a_recorded_auth_error_naming_the_cause():
    provider = Provider()

    async def body(client: Client) -> Response:
        session = await authorized(client, provider, refresh_minutes=0)
        provider.revoke_access()
        provider.valid_refresh = set()
        return await client.send("Get users", "GET", "https://desk.test/api/users", auth=session)

    response, _ = run(provider, body)
    assert response.outcome is Outcome.AUTH_ERROR
    assert "refreshing the access token failed" in response.exchange.error
    assert "HTTP 400" in response.exchange.error


def test_not_authorized_yet_is_an_auth_error():
    async def body(client: Client) -> Response:
        session = OAuth2Session(oauth_config(), INPUTS, client=client)
        return await client.send("Get users", "GET", "https://desk.test/api/users", auth=session)

    response, _ = run(Provider(), body)
    assert response.outcome is Outcome.AUTH_ERROR and "not authorized yet" in response.exchange.error


# -- token store ------------------------------------------------------------------------------------


def test_token_file_is_owner_only_atomic_and_reloads(tmp_path: Path):
    path = tmp_path / "tokens" / "hdkit-tokens.json"
    redactor = Redactor()
    store = TokenStore(path, redactor=redactor)
    store.put("acme", Tokens(Secret("file-access-tok"), Secret("file-refresh-tok"), 12.0, 3600))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["hdkit-tokens.json"]  # no temp files left
    assert redactor.text("file-access-tok file-refresh-tok") == "******** ********"
    again = TokenStore(path)
    assert again.get("acme") == store.get("acme")
    assert again.get("acme").refresh_token.reveal() == "file-refresh-tok"
    store.clear("acme")
    assert TokenStore(path).get("acme") is None


def test_memory_store_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    TokenStore().put("acme", Tokens(Secret("mem-access-tok")))
    assert list(tmp_path.iterdir()) == []


def test_token_file_open_to_others_warns(tmp_path: Path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"version": 1, "tokens": {}}))
    path.chmod(0o644)
    with pytest.warns(UserWarning, match="readable by others"):
        TokenStore(path)


def test_corrupt_token_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "t.json"
    path.write_text("{not json")
    with pytest.raises(AuthError) as err:
        TokenStore(path)
    assert "not an hdkit token file" in str(err.value)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(lambda f: Path("/dev/zero"), "it is a character device", id="dev-zero"),
        pytest.param(lambda f: os.mkfifo(f / "pipe") or f / "pipe", "it is a named pipe", id="fifo"),
        pytest.param(lambda f: f, "it is a directory", id="directory"),
        pytest.param(lambda f: (f / "big.json").write_bytes(b" " * (2 << 20)) and f / "big.json", "over",
                     id="over-the-limit"),
    ],
)
def test_a_token_file_that_is_no_small_regular_file_is_refused_unread(tmp_path: Path, make, words: str):
    """/dev/zero would fill memory and a pipe nobody writes would block: both refused at once."""
    with pytest.raises(AuthError) as err:
        TokenStore(make(tmp_path))
    assert words in str(err.value) and "token file" in str(err.value)


def test_a_token_file_is_never_written_over_a_link(tmp_path: Path):
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    (tmp_path / "link.json").symlink_to(target)
    store = TokenStore()
    store.path = tmp_path / "link.json"  # named before the link appeared
    with pytest.raises(AuthError, match="it is a symbolic link; hdkit only replaces regular files"):
        store.put("k", Tokens(Secret("acc-token-1234")))
    assert target.read_text() == "keep me" and (tmp_path / "link.json").is_symlink()


def test_tokens_never_show_in_reprs():
    tokens = Tokens(Secret("repr-access-tok"), Secret("repr-refresh-tok"))
    assert "repr-access-tok" not in repr(tokens) and "repr-refresh-tok" not in str(tokens)


def test_get_refresh_sends_the_fields_in_the_query():
    provider = Provider()

    async def body(client: Client) -> Tokens:
        session = await authorized(client, provider, refresh_minutes=0, refresh_method="GET")
        return await session.refresh()

    tokens, client = run(provider, body)
    refresh = provider.token_requests[1]
    assert refresh.method == "GET" and refresh.url.params["grant_type"] == "refresh_token"
    assert tokens.access_token.reveal() == "access-2-tok"
    assert "refresh-1-tok" not in client.exchanges[-1].url


def test_refusal_inside_a_200_names_the_error():
    def refusing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token" and b"refresh_token" in request.content:
            return httpx.Response(200, json={"error": "invalid_code"})
        return provider(request)

    provider = Provider()

    async def body(client: Client) -> None:
        session = await authorized(client, provider, refresh_minutes=0)
        with pytest.raises(AuthError, match="the helpdesk answered 'invalid_code'"):
            await session.refresh()

    run(refusing, body)


def test_dry_run_signs_with_the_current_token_without_sending():
    provider = Provider()

    async def body(client: Client) -> Response:
        store = TokenStore()
        store.put("default", Tokens(Secret("dry-access-tok"), obtained_at=0.0))
        session = OAuth2Session(oauth_config(), INPUTS, client=client, store=store, clock=Clock())
        return await client.send("Get users", "GET", "https://desk.test/api/users", auth=session)

    response, client = run(provider, body, dry_run=True)
    assert response.outcome is Outcome.DRY_RUN
    assert response.exchange.request_headers["Authorization"] == "Bearer ********"
    assert provider.api_requests == [] and provider.token_requests == []


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param(httpx.ConnectError("refused https://desk.test/oauth/token?client_secret=" + CLIENT_SECRET),
                     "ConnectError: refused", id="unreachable"),
        pytest.param(httpx.Response(200, text="<html>login</html>"), "not JSON", id="html"),
    ],
)
def test_token_endpoint_failures_are_auth_errors_without_secrets(answer, message):
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def body(client: Client) -> None:
        session = OAuth2Session(oauth_config(), INPUTS, client=client)
        url = session.authorization_url("http://127.0.0.1:9/callback")
        state = parse_qs(urlsplit(url).query)["state"][0]
        with pytest.raises(AuthError) as err:
            await session.complete(f"http://127.0.0.1:9/callback?code=c0de-1234&state={state}")
        assert message in str(err.value) and "Token Endpoint" in str(err.value)
        assert CLIENT_SECRET not in str(err.value)

    _, client = run(handler, body)
    assert_no_secrets(client, CLIENT_SECRET, "c0de-1234")
