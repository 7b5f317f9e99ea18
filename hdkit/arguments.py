"""Checks at the Python API's edge: what a public call was given, refused in hdkit's words.

Called with ``None`` where text belongs, a lone surrogate (text no UTF-8 file, URL or header can
carry), or no call events at all, hdkit's public functions would fail deep inside Python
(``'NoneType' object has no attribute 'strip'``, ``UnicodeEncodeError``) or, worse, carry on
(a phone number of ``None`` searched as the text "None"). Each entry point checks its arguments
here first and raises :class:`~hdkit.errors.ArgumentError` naming the call and the argument.
A value's text is never quoted: it may be a secret.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hdkit.errors import ArgumentError, Location

__all__ = ["TEMPLATE_FROM", "events", "instance", "path", "path_text", "positive", "surrogate", "text"]

TEMPLATE_FROM = "hdkit.load, from_xml or samples.load"  # where a Template comes from


def surrogate(value: str) -> int | None:
    """The 0-based index of the first lone surrogate in ``value``, if any.

    Asked of every response body a path reads, so it must cost next to nothing: ASCII text
    (known in O(1)) has none, and UTF-8 encoding fails exactly at the first one, in C.
    """
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # only a surrogate cannot be encoded
        return exc.start
    return None


def _kind(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def text(value: Any, call: str, name: str, *, optional: bool = False) -> Any:
    """``value`` when it is text UTF-8 can carry (or None, when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ArgumentError(f"{name} must be text, got {_kind(value)}", Location(call, name))
    at = surrogate(value)
    if at is not None:
        raise ArgumentError(f"{name} holds a lone surrogate (U+{ord(value[at]):04X}) at character {at + 1}: "
                            "text no file, URL or header can carry", Location(call, name),
                            hint="decode the bytes it came from with the right encoding")
    return value


def positive(value: Any, call: str, name: str, *, whole: bool = False) -> Any:
    """``value`` when it is a number above 0 (a whole one when ``whole``); NaN is none, and
    infinity is no limit (not a whole number)."""
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise ArgumentError(f"{name} must be a {'whole ' if whole else ''}number, got {_kind(value)}",
                            Location(call, name))
    if not value > 0:  # NaN compares false too
        raise ArgumentError(f"{name} must be more than 0, got {value}", Location(call, name))
    return value


def instance(value: Any, kind: type, call: str, name: str, made_by: str = "") -> Any:
    """``value`` when it is a ``kind`` (``made_by`` says where one comes from)."""
    if not isinstance(value, kind):
        how = f" ({made_by})" if made_by else ""
        raise ArgumentError(f"{name} must be a {kind.__name__}{how}, got {_kind(value)}", Location(call, name))
    return value


def events(value: Any, call: str, kind: type, name: str = "event") -> list[Any]:
    """One event or a non-empty sequence of them, as a list."""
    if isinstance(value, kind):
        return [value]
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ArgumentError(f"{name} must be a {kind.__name__} or a list of them, got {_kind(value)}",
                            Location(call, name))
    if not value:
        raise ArgumentError(f"{name} is empty: a call needs at least one {kind.__name__}", Location(call, name),
                            hint="engine.event('inbound', phone) builds one")
    for i, item in enumerate(value, 1):
        if not isinstance(item, kind):
            raise ArgumentError(f"{name} item {i} must be a {kind.__name__}, got {_kind(item)}",
                                Location(call, name))
    return list(value)


def path(value: Any, call: str, name: str = "path") -> Path:
    """A file path argument: text or os.PathLike, without NUL (which no file name holds)."""
    if not isinstance(value, (str, os.PathLike)):
        raise ArgumentError(f"{name} must be a file path (str or pathlib.Path), got {_kind(value)}",
                            Location(call, name))
    found = Path(value)
    if "\0" in str(found):
        raise ArgumentError(f"{name} holds a NUL character, which no file name can", Location(call, name))
    try:
        os.fsencode(found)
    except UnicodeError:  # a lone surrogate that is no escaped byte of a file name
        raise ArgumentError(f"{name} holds characters no file name can be encoded with", Location(call, name),
                            hint="a name read from the filesystem (os.listdir) can be passed as it came") from None
    return found


def path_text(value: str | os.PathLike[str]) -> str:
    """A path as error text: a name that is not UTF-8 (surrogate-escaped bytes) shown as escapes,
    so printing the error cannot fail in its turn."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")
