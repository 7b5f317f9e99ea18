"""Go strings are byte sequences; hdkit keeps them as Python ``str`` that can carry any bytes.

Go's ``len``, ``index`` and ``slice`` count bytes, so ``slice .Name 0 1`` on ``"José"`` can cut
a character in two, and printing the two halves one after the other gives the character back.
A ``str`` holds such a half as a surrogate escape (U+DC80..U+DCFF, one per byte, as Python's
``surrogateescape`` does); :func:`rejoin` turns halves printed next to each other back into
the character, so a rendered text equals Go's bytes whenever Go's bytes are valid UTF-8.
A byte left alone (a template that prints half a character) shows as U+FFFD, as Go's bytes
read as text (or written as JSON) show it; other lone surrogates (only possible from decoded
JSON) become U+FFFD too, as Go's JSON decoder makes them.
"""

from __future__ import annotations

import codecs

_HANDLER = "hdkit.gostr"


def _errors(exc: UnicodeError) -> tuple[str | bytes, int]:
    if isinstance(exc, UnicodeEncodeError):
        out = bytearray()
        for ch in exc.object[exc.start:exc.end]:
            code = ord(ch)
            out += bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else "\ufffd".encode()
        return bytes(out), exc.end
    if isinstance(exc, UnicodeDecodeError):
        return "".join(chr(0xDC00 + b) for b in exc.object[exc.start:exc.end]), exc.end
    raise exc


codecs.register_error(_HANDLER, _errors)


def to_bytes(text: str) -> bytes:
    """The bytes Go holds for ``text``."""
    return text.encode("utf-8", _HANDLER)


def from_bytes(data: bytes) -> str:
    """``data`` as a ``str``; bytes that are not UTF-8 are kept as surrogate escapes."""
    return data.decode("utf-8", _HANDLER)


def rejoin(text: str) -> str:
    """``text`` with adjacent byte escapes that form a UTF-8 character joined back into it,
    and any byte left alone shown as U+FFFD."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return text
    return to_bytes(text).decode("utf-8", "replace")
