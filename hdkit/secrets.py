"""Secrets are a type, not a convention.

Passwords, API keys, client secrets and tokens travel as :class:`Secret`. Its ``repr``,
``str`` and ``format`` are masked, so a secret printed by accident in a notebook, a log line,
a DataFrame cell or an exception message shows ``********``. Only the code that must send the
value (the auth layer, the renderer at send time) calls :meth:`Secret.reveal`.

:class:`Redactor` is the second line of defence for text hdkit did not build itself: response
bodies, URLs in httpx error messages, curl commands. It knows every secret value in play (and
its URL-encoded and Base64 forms) and masks each occurrence, plus the values of query
parameters and headers whose *names* say they are secret.
"""

from __future__ import annotations

import base64
import hmac
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

__all__ = ["MASK", "Redactor", "Secret", "is_secret_name", "reveal"]

MASK = "********"

# Header, query and field names whose values are secret whatever hdkit knows about them.
_SECRET_NAME = re.compile(
    r"(pass(word|wd)?|secret|token|api[-_]?key|apikey|auth(orization)?|credential|"
    r"signature|sig|session|cookie|private|refresh|code_verifier|client_assertion)"
)


def is_secret_name(name: str) -> bool:
    """True when a header, query parameter or field name says its value is a secret."""
    # Lower-casing first is ~15x faster than re.IGNORECASE on long text (whole bodies).
    return bool(_SECRET_NAME.search(name.lower()))


class Secret:
    """A string that refuses to show itself.

    Equality compares the hidden values in constant time, so models holding secrets still
    compare equal after a round trip.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        self._value = value.reveal() if isinstance(value, Secret) else str(value)

    def reveal(self) -> str:
        """The real value. Call it only where the value leaves hdkit (a request being sent)."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK!r})" if self._value else "Secret('')"

    def __str__(self) -> str:
        return MASK if self._value else ""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return hmac.compare_digest(self._value.encode(), other._value.encode())
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Secret, len(self._value)))

    def __reduce__(self):
        # Pickling would write the value to disk or another process: refuse loudly.
        raise TypeError("hdkit.Secret cannot be pickled; store the value yourself if you must")


def reveal(value: Any) -> Any:
    """``value.reveal()`` for a Secret, the value itself otherwise."""
    return value.reveal() if isinstance(value, Secret) else value


class Redactor:
    """Masks known secret values, and values under secret-looking names, in any text.

    Build one per run from every secret in play; add tokens as they are issued.
    """

    _MIN_LEN = 4  # shorter values would mask ordinary text ("1", "abc")

    def __init__(self, secrets: Iterable[Secret | str] = ()) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for s in secrets:
            self.add(s)

    def add(self, secret: Secret | str | None) -> None:
        value = reveal(secret) if secret is not None else ""
        if not value or len(value) < self._MIN_LEN:
            return
        forms = {value, quote(value, safe=""), quote_plus(value), base64.b64encode(value.encode()).decode()}
        self._values.update(f for f in forms if len(f) >= self._MIN_LEN)
        self._pattern = None

    def __contains__(self, text: str) -> bool:
        return text in self._values

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._values:
            alts = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in alts))
        return self._pattern

    def text(self, text: str) -> str:
        """Mask every known secret value in ``text``."""
        if not text:
            return text
        pattern = self._compiled()
        return pattern.sub(MASK, text) if pattern else text

    def url(self, url: str) -> str:
        """Mask known secrets and the values of secret-named query parameters in a URL."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.text(url)
        netloc = parts.netloc
        if "@" in netloc:  # user:password@host
            netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(is_secret_name(k) for k, _ in pairs):
                query = urlencode([(k, MASK if is_secret_name(k) else v) for k, v in pairs], safe="*")
        return self.text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))

    def headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
        """A copy of ``headers`` with secret-named and secret-valued entries masked.

        ``Authorization: Bearer abc`` keeps its scheme (``Bearer ********``) so a reader can
        still see which auth method was used.
        """
        items = headers.items() if isinstance(headers, Mapping) else headers
        out: dict[str, str] = {}
        for name, value in items:
            value = str(value)
            if name.lower() in ("authorization", "proxy-authorization"):
                scheme, _, cred = value.partition(" ")
                out[name] = f"{scheme} {MASK}" if cred else MASK
            elif is_secret_name(name) and name.lower() not in ("content-type", "accept"):
                out[name] = MASK if value else value
            else:
                out[name] = self.text(value)
        return out
