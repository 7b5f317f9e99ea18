"""OAuth2/Bearer tokens and the store they live in.

Tokens live in a :class:`TokenStore`: in memory unless the user names a token file, which is
written atomically with owner-only permissions. Only a regular file is read (at most
:data:`MAX_TOKEN_FILE_BYTES`) or replaced: ``--token-file /dev/zero`` or a named pipe would
otherwise fill memory or block, and a rename over a link or device node would replace it. Tokens are :class:`~hdkit.secrets.Secret` and
are registered with the run's redactor the moment they are known; they never enter the template.
"""

from __future__ import annotations

import json
import os
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from hdkit import fileio
from hdkit.errors import AuthError, Location
from hdkit.secrets import Redactor, Secret
from hdkit.vocabulary import AUTHENTICATION

__all__ = ["MAX_TOKEN_FILE_BYTES", "TokenStore", "Tokens"]

MAX_TOKEN_FILE_BYTES = 1024 * 1024  # a token file holds a few KB per template
_HINT = "name a file written by hdkit auth, or a new path and authorize again"


@dataclass(frozen=True)
class Tokens:
    """An access token, the refresh token that came with it, and when it was obtained."""

    access_token: Secret
    refresh_token: Secret | None = None
    obtained_at: float = 0.0
    expires_in: float | None = None

    @classmethod
    def from_response(cls, data: Mapping[str, Any], obtained_at: float,
                      previous: Tokens | None = None) -> Tokens:
        """Tokens from a token-endpoint JSON answer; a missing refresh token keeps the old one."""
        access = data.get("access_token")
        if not access:
            raise AuthError("the token response has no access_token",
                            Location(AUTHENTICATION, "Token Endpoint"),
                            hint="check the endpoint and the content type of the token request")
        refresh = data.get("refresh_token")
        try:
            expires_in: float | None = float(data["expires_in"])
        except (KeyError, TypeError, ValueError):
            expires_in = None
        return cls(
            access_token=Secret(str(access)),
            refresh_token=Secret(str(refresh)) if refresh else (previous.refresh_token if previous else None),
            obtained_at=obtained_at,
            expires_in=expires_in,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token.reveal(),
            "refresh_token": self.refresh_token.reveal() if self.refresh_token else None,
            "obtained_at": self.obtained_at,
            "expires_in": self.expires_in,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Tokens:
        refresh = data.get("refresh_token")
        return cls(Secret(data["access_token"]), Secret(refresh) if refresh else None,
                   float(data.get("obtained_at") or 0.0), data.get("expires_in"))


class TokenStore:
    """Where OAuth2/Bearer tokens live: in memory, or in a JSON file the user asked for.

    The file is written atomically (a temporary file in the same folder, then a rename) and is
    readable by its owner only (0600).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None,
                 redactor: Redactor | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.redactor = redactor
        self._tokens: dict[str, Tokens] = {}
        if self.path is not None and self.path.exists():
            self._load(self.path)

    def get(self, key: str) -> Tokens | None:
        return self._tokens.get(key)

    def put(self, key: str, tokens: Tokens) -> None:
        self._register(tokens)
        self._tokens[key] = tokens
        if self.path is not None:
            self._save(self.path)

    def clear(self, key: str) -> None:
        if self._tokens.pop(key, None) is not None and self.path is not None:
            self._save(self.path)

    def _register(self, tokens: Tokens) -> None:
        if self.redactor is not None:
            self.redactor.add(tokens.access_token)
            self.redactor.add(tokens.refresh_token)

    def _load(self, path: Path) -> None:
        try:
            data = fileio.read_limited(path, MAX_TOKEN_FILE_BYTES, "token file", partial(AuthError, hint=_HINT),
                                      lambda: AuthError(f"the token file {path} is over {MAX_TOKEN_FILE_BYTES // 1024} "
                                                        "KB; hdkit writes a few KB", hint=_HINT))
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AuthError(f"cannot read the token file {path}: {exc.reason}", hint=_HINT) from None
        try:
            data = json.loads(text)
            tokens = {k: Tokens.from_json(v) for k, v in data.get("tokens", {}).items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise AuthError(f"the token file {path} is not an hdkit token file: {type(exc).__name__}",
                            hint=_HINT) from None
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            warnings.warn(f"token file {path} is readable by others (mode {mode:o}); "
                          "hdkit will rewrite it with mode 600", stacklevel=3)
        for t in tokens.values():
            self._register(t)
        self._tokens.update(tokens)

    def _save(self, path: Path) -> None:
        payload = json.dumps({"version": 1, "tokens": {k: t.to_json() for k, t in self._tokens.items()}},
                             indent=2)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fileio.write_atomic(path, payload.encode("utf-8"), mode=0o600)
        except OSError as exc:
            raise AuthError(f"cannot write the token file {path}: {exc.strerror}", hint=_HINT) from None
