"""Secrets are a type, not a convention.

Passwords, API keys, client secrets and tokens travel as :class:`Secret`. Its ``repr``,
``str`` and ``format`` are masked, so a secret printed by accident in a notebook, a log line,
a DataFrame cell or an exception message shows ``********``. Only the code that must send the
value (the auth layer, the renderer at send time) calls :meth:`Secret.reveal`.

:class:`Redactor` is the second line of defence for text hdkit did not build itself: response
bodies, URLs in httpx error messages, curl commands, log records, exception chains. It knows
every secret value in play and masks each occurrence in any spelling (percent-encoded,
JSON- or HTML-escaped, Base64), plus the values of query parameters and headers whose *names*
say they are secret.
"""

from __future__ import annotations

import base64
import hmac
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

__all__ = ["MASK", "Redactor", "Secret", "is_secret_name", "reveal"]

MASK = "********"

# Header, query and field names whose values are secret whatever hdkit knows about them.
_SECRET_NAME = re.compile(
    r"(pass(word|wd)?|secret|token|api[-_]?key|apikey|auth(orization)?|credential|"
    r"signature|sig|session|cookie|private|refresh|code_verifier|client_assertion|jwt)"
)


_URL_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")
_HEADER_PAIR = re.compile(r"""\((b?)(['"])(.*?)\2, (b?)(['"])(.*?)\5\)""")


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

    Build one per run from every secret in play; add tokens as they are issued. A secret is
    found in every spelling it travels in: raw; percent-encoded by any encoder, fully or
    partially (httpx leaves ``&``, ``+`` and ``\\`` alone in a URL it is given; a form encoder
    writes a space as ``+``), upper- or lower-case hex; JSON-escaped (``\\"``, ``\\u0026`` as Go
    writes ``&``, ``\\/``); HTML-escaped; and Base64 (alone or inside a longer Base64 text, such
    as a Basic credential, at any of the three byte alignments). Each character that some
    encoder rewrites becomes an alternation in one compiled pattern, so mixed spellings match
    too.
    """

    _MIN_LEN = 4  # shorter values would mask ordinary text ("1", "abc")
    _MIN_BASE64 = 6  # shorter Base64 fragments of a secret could occur in any Base64 text

    def __init__(self, secrets: Iterable[Secret | str] = ()) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._needles: frozenset[str] | None = frozenset()
        for s in secrets:
            self.add(s)

    def add(self, secret: Secret | str | None) -> None:
        value = reveal(secret) if secret is not None else ""
        if not value or len(value) < self._MIN_LEN or value in self._values:
            return
        self._values.add(value)
        self._pattern = None

    def __contains__(self, text: str) -> bool:
        """Whether ``text`` is one of the secrets, or holds one in any spelling."""
        return self.text(text) != text

    def __len__(self) -> int:
        return len(self._values)

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._values:
            alternatives: set[str] = set()
            needles: set[str] | None = set()
            for value in self._values:
                alternatives.add(_spellings(value))
                cores = _base64_cores(value, self._MIN_BASE64)
                alternatives.update(re.escape(c) for c in cores)
                run = max(re.findall(r"[A-Za-z0-9]+", value), key=len, default="")
                if needles is not None and run:
                    needles.update((run, *cores))
                else:  # nothing every spelling shares: always run the pattern
                    needles = None
            self._needles = frozenset(needles) if needles is not None else None
            self._pattern = re.compile("|".join(sorted(alternatives, key=len, reverse=True)))
        return self._pattern

    def text(self, text: str) -> str:
        """Mask every known secret value, in any of its spellings, in ``text``."""
        if not text:
            return text
        pattern = self._compiled()
        if pattern is None:
            return text
        if self._needles is not None and not any(n in text for n in self._needles):
            return text  # the common case: a plain substring scan, no regex
        return pattern.sub(MASK, text)

    def scrub(self, text: str) -> str:
        """Free text (an exception message, a log line) made safe to show.

        Known secrets are masked, URLs lose their secret-named query values and credentials,
        and ``(b'name', b'value')`` header pairs (httpcore's debug log) with a secret-looking
        name lose their value.
        """
        if not text:
            return text
        text = _URL_IN_TEXT.sub(lambda m: self.url(m.group(0)), text)
        text = _HEADER_PAIR.sub(_mask_header_pair, text)
        return self.text(text)

    def exception(self, exc: BaseException) -> BaseException:
        """``exc`` with its text scrubbed in place (message, hint, snippet, args); returns it.

        The last line of defence for an error raised during a run: whatever built its text
        (a template function quoting its argument, a library quoting a URL), it leaves the run
        without a secret in it.
        """
        seen: set[int] = set()
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:  # its causes show in tracebacks
            seen.add(id(current))
            self._scrub_one(current)
            current = current.__cause__ or current.__context__
        return exc

    def _scrub_one(self, exc: BaseException) -> None:
        for name in ("message", "hint", "snippet"):
            value = getattr(exc, name, None)
            if isinstance(value, str):
                try:
                    setattr(exc, name, self.scrub(value))
                except AttributeError:  # a read-only attribute of a foreign exception
                    pass
        render = getattr(exc, "_render", None)
        if callable(render) and isinstance(getattr(exc, "message", None), str):
            exc.args = (render(),)
        else:
            exc.args = tuple(self.scrub(a) if isinstance(a, str) else a for a in exc.args)

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


def _mask_header_pair(m: re.Match[str]) -> str:
    name = m.group(3)
    if not is_secret_name(name) or name.lower() in ("content-type", "accept"):
        return m.group(0)
    return f"({m.group(1)}{m.group(2)}{name}{m.group(2)}, {m.group(4)}{m.group(5)}{MASK}{m.group(5)})"


# -- spellings of a secret ------------------------------------------------------------------------

_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n",
               "\r": "\\r", "\t": "\\t"}
_HTML = {"&": ("&amp;", "&#38;", "&#x26;"), '"': ("&quot;", "&#34;", "&#x22;"),
         "'": ("&#39;", "&#x27;", "&apos;"), "<": ("&lt;", "&#60;", "&#x3c;", "&#x3C;"),
         ">": ("&gt;", "&#62;", "&#x3e;", "&#x3E;")}


def _percent(text: str) -> set[str]:
    """``text`` percent-encoded (UTF-8, letters and digits kept), in upper- and lower-case hex."""
    upper = quote(text.encode("utf-8", "surrogatepass"), safe="")
    return {upper, re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), upper)}


def _json_escapes(char: str) -> set[str]:
    """How JSON encoders may write ``char`` inside a string."""
    units = char.encode("utf-16-be", "surrogatepass")
    u = "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
    forms = {u, u.upper().replace("\\U", "\\u")}
    if char in _JSON_SHORT:
        forms.add(_JSON_SHORT[char])
    return forms


def _char_spellings(char: str) -> set[str]:
    """Every way ``char`` of a secret may be written by a URL, form, JSON or HTML encoder."""
    forms = {char, *_percent(char), *_json_escapes(char), *_HTML.get(char, ())}
    if char == " ":
        forms.add("+")
    for escaped in _json_escapes(char) - {char}:  # a JSON text that was then percent-encoded
        forms.update(_percent(escaped))
    forms.update(p.replace("%", "%25") for p in _percent(char))  # percent-encoded twice
    return forms


def _spellings(value: str) -> str:
    """A pattern matching ``value`` with each character in any of its spellings."""
    parts = []
    for char in value:
        if char.isascii() and char.isalnum():
            parts.append(char)
        else:
            alts = sorted(_char_spellings(char), key=len, reverse=True)
            parts.append("(?:" + "|".join(re.escape(a) for a in alts) + ")")
    return "".join(parts)


def _base64_cores(value: str, min_len: int) -> set[str]:
    """The Base64 characters fixed by ``value`` alone, at each of the three byte alignments.

    A secret inside a longer Base64 text (``user:secret`` in a Basic credential, a JSON blob)
    shows these characters whatever surrounds it; the padded encoding of the value alone is
    included too.
    """
    data = value.encode("utf-8", "surrogatepass")
    cores = {base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode()}
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data + b"\0\0").decode()
        first = -(-shift * 8 // 6)  # characters that hold no bit of the value are dropped
        last = ((shift + len(data)) * 8) // 6  # nor those that hold bits of what follows
        for core in (encoded[first:last], encoded[first:last].replace("+", "-").replace("/", "_")):
            if len(core) >= min_len:
                cores.add(core)
    return cores
