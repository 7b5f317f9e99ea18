"""Authentication as httpx auth flows: Basic, Bearer and the OAuth2 authorization-code flow.

The PBX adds the ``Authorization`` header itself for every method but None, so each method
is an :class:`httpx.Auth` the run's :class:`~hdkit.engine.client.Client` passes with every
scenario request. Setting the header in the flow also means the auth method always wins over
a template header of the same name (the runner warns about such a header).

This module is the entry: :func:`auth_for` picks the flow for a template's ``Auth`` section,
and Basic and Bearer live here. The OAuth2 flow is :mod:`hdkit.engine.oauth2` (loaded only
for a template that uses it: it pulls in authlib), the tokens and their store are
:mod:`hdkit.engine.tokens`. Every auth field is rendered by the run's
:class:`~hdkit.engine.prepare.Renderer`, like any request.
"""

from __future__ import annotations

import base64
import time
import warnings
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from hdkit.engine.client import Client
from hdkit.engine.prepare import Renderer
from hdkit.errors import AuthError, EngineError, Location
from hdkit.model import Auth, AuthMethod
from hdkit.secrets import Redactor, Secret
from hdkit.vocabulary import AUTHENTICATION

if TYPE_CHECKING:
    from hdkit.engine.oauth2 import OAuth2Session
    from hdkit.engine.tokens import TokenStore

__all__ = ["BasicCredential", "BearerToken", "auth_for"]

# Names this module re-exported before each got one home (hdkit.engine has them all).
_MOVED = {"OAuth2Session": "hdkit.engine.oauth2", "TokenStore": "hdkit.engine.tokens", "Tokens": "hdkit.engine.tokens"}


def __getattr__(name: str) -> Any:
    home = _MOVED.get(name)
    if home is None:
        raise AttributeError(f"module 'hdkit.engine.auth' has no attribute {name!r}")
    warnings.warn(f"hdkit.engine.auth.{name} moved: import it from hdkit.engine (its home is {home})",
                  DeprecationWarning, stacklevel=2)
    import importlib

    return getattr(importlib.import_module(home), name)


# -- Basic and Bearer ----------------------------------------------------------------------------


class BasicCredential(httpx.Auth):
    """``Authorization: Basic base64(credential_format rendered from the inputs)``."""

    def __init__(self, credential_format: str, inputs: Mapping[str, Any], *,
                 redactor: Redactor | None = None, renderer: Renderer | None = None) -> None:
        title = "Base64 Encoded Credential"
        if not credential_format.strip():
            raise AuthError("Basic authentication needs a Base64 Encoded Credential format",
                            Location(AUTHENTICATION, title),
                            hint="for example {{.username}}:{{.password}} or {{.api_key}}")
        plain = (renderer or Renderer()).render_field(AUTHENTICATION, title, credential_format, inputs)
        self.basic_string = Secret(base64.b64encode(plain.encode()).decode())
        if redactor is not None:
            redactor.add(plain)
            redactor.add(self.basic_string)

    def variables(self) -> dict[str, Any]:
        return {"basic_string": self.basic_string}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Basic {self.basic_string.reveal()}"
        yield request


class BearerToken(httpx.Auth):
    """``Authorization: Bearer <token>``, the token from an input or the token store."""

    def __init__(self, token: Secret | str | None = None, *, store: TokenStore | None = None,
                 key: str = "default", token_type: str = "Bearer",
                 redactor: Redactor | None = None) -> None:
        self._token = Secret(token) if token else None
        self.store = store
        self.key = key
        self.token_type = token_type or "Bearer"
        self.redactor = redactor
        if redactor is not None:
            redactor.add(self._token)

    def access_token(self) -> Secret:
        if self._token:
            return self._token
        stored = self.store.get(self.key) if self.store else None
        if stored is None:
            raise AuthError("no bearer token: enter it as an input or authorize first",
                            Location(AUTHENTICATION, "Access Token"))
        if self.redactor is not None:
            self.redactor.add(stored.access_token)
        return stored.access_token

    def variables(self) -> dict[str, Any]:
        try:
            return {"AccessToken": self.access_token()}
        except AuthError:
            return {"AccessToken": Secret("")}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"{self.token_type} {self.access_token().reveal()}"
        yield request


def auth_for(
    auth: Auth,
    inputs: Mapping[str, Any],
    *,
    client: Client,
    store: TokenStore | None = None,
    key: str = "default",
    bearer_input: str | None = None,
    pkce: bool = False,
    clock: Callable[[], float] = time.time,
    renderer: Renderer | None = None,
) -> BasicCredential | BearerToken | OAuth2Session | None:
    """The auth flow for a template's ``Auth`` section (``None`` for method None).

    A bearer token comes one of two ways. With a Token Endpoint it is fetched like an OAuth2
    token (``hdkit auth``; kept in the token store and refreshed by the template's refresh
    settings). Without one it is pasted into a Password input: the one named ``bearer_input``,
    else the one the template's :meth:`~hdkit.model.Auth.bearer_input` picks (validation says
    which when several could be), else a token from the store.
    """
    method = auth.method
    if method is AuthMethod.NONE:
        return None
    if method is AuthMethod.BASIC:
        return BasicCredential(auth.basic.credential_format, inputs, redactor=client.redactor, renderer=renderer)
    if method is AuthMethod.BEARER and not auth.bearer_fetched:
        field = auth.bearer_input()
        name = bearer_input or (field.name if field is not None else None)
        token = inputs.get(name) if name else None
        return BearerToken(token, store=store, key=key, token_type=auth.oauth2.token_type or "Bearer",
                           redactor=client.redactor)
    if method in (AuthMethod.OAUTH2, AuthMethod.BEARER):
        from hdkit.engine.oauth2 import OAuth2Session

        return OAuth2Session(auth.oauth2, inputs, client=client, store=store, key=key, pkce=pkce,
                             clock=clock, renderer=renderer)
    # The file's own value, kept verbatim: the template's side (exit 1), not the helpdesk's.
    raise EngineError(f"unknown authentication method {str(method)!r}: hdkit cannot run it (the file keeps it)",
                      Location(AUTHENTICATION, "Authentication Method"),
                      hint="use one of " + ", ".join(repr(m.value) for m in AuthMethod))
