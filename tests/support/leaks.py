"""Looking for planted secrets: every spelling a secret may take, and a tally of places scanned.

The spellings are enumerated here literally, independently of how :class:`hdkit.secrets.Redactor`
finds them, so a scan is a real check of the redactor and not a replay of it: raw, percent-
encoded in each style (full, path, URI, form, httpx's partial encoding of a URL it is given,
lower-case hex), JSON-escaped (Python's, Go's ``\\u0026``, Go's ``%q``), HTML-escaped, Base64
alone and inside Basic credentials.

:data:`TALLY` counts places scanned and hits across a test session; the suites' conftest prints
it as the planted-secrets figure.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote, quote_plus, urlencode

import httpx


def _go_json(text: str) -> str:
    """Go's json.Marshal escaping (``<``, ``>``, ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026``)."""
    return json.dumps(text)[1:-1].replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _go_quoted(text: str) -> str:
    from hdkit import gotemplate

    return gotemplate.compile('{{printf "%q" .s}}', "q").render({"s": text})[1:-1]


@cache
def spellings(secret: str, *, basic_users: tuple[str, ...] = ("user",), basic_passwords: tuple[str, ...] = ("X",)
              ) -> dict[str, str]:
    """``style -> how secret looks in that style``; Basic credentials as ``user:secret`` and
    ``secret:password``."""
    pct = quote(secret, safe="")
    forms = {
        "raw": secret,
        "percent": pct,
        "percent-lower-hex": re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), pct),
        "percent-path-style": quote(secret, safe="/"),
        "percent-uri-style": quote(secret, safe=";,/?:@&=+$-_.!~*'()#"),
        "form": quote_plus(secret),
        "urlencode": urlencode({"k": secret})[2:],
        "httpx-url": str(httpx.URL("https://h/x?k=" + secret)).split("k=", 1)[1],
        "httpx-params": str(httpx.URL("https://h/x", params={"k": secret})).split("k=", 1)[1],
        "json": json.dumps(secret)[1:-1],
        "json-unicode": json.dumps(secret, ensure_ascii=False)[1:-1],
        "json-go": _go_json(secret),
        "go-%q": _go_quoted(secret),
        "json-then-percent": quote(json.dumps(secret)[1:-1], safe=""),
        "html": html.escape(secret),
        "base64": base64.b64encode(secret.encode()).decode(),
        "base64-url": base64.urlsafe_b64encode(secret.encode()).decode(),
    }
    for user in basic_users:
        forms[f"basic {user}:secret"] = base64.b64encode(f"{user}:{secret}".encode()).decode()
    for password in basic_passwords:
        forms[f"basic secret:{password}"] = base64.b64encode(f"{secret}:{password}".encode()).decode()
    return forms


@dataclass
class Tally:
    """Places scanned and the hits found, over a session (the suite's figure)."""

    places: int = 0
    hits: list[str] = field(default_factory=list)

    def scan(self, where: str, text: str, secrets: dict[str, str]) -> list[str]:
        """Hits of every secret (``name -> value``) in every spelling in ``text``; counted."""
        self.places += 1
        found = [f"{where}: {name} ({style})"
                 for name, value in secrets.items()
                 for style, spelled in spellings(value).items() if spelled and spelled in text]
        self.hits.extend(found)
        return found


TALLY = Tally()
