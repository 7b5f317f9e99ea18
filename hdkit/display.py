"""Helpdesk text made safe to print: control characters shown, never executed by a terminal.

A helpdesk's answer reaches the terminal in tables, CSV and error lines. Raw, a NUL, an ESC
sequence (``\\x1b]0;...`` retitles the window, ``\\x1b[2J`` clears it, OSC 8 hides a link) or a
bidirectional override (U+202E reorders what follows) would be *interpreted* rather than
shown. :func:`printable` writes each such character as a visible escape (``\\x1b``,
``\\u202e``). It is for display only: data, extraction and exports keep the bytes as they came.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PrintableStream", "TextSink", "printable", "printable_frame"]

# C0 controls, DEL, C1 controls, and the Unicode formatting characters that reorder or hide text.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def printable(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every control and reordering character written as an escape.

    ``keep_lines`` keeps tab and line feed (CSV quotes a field holding one). A carriage return
    is still escaped: CSV leaves it unquoted, and a terminal would go back to the line's start
    and print the rest over what came before.
    """
    return (_UNSAFE_KEEP_LINES if keep_lines else _UNSAFE).sub(_escape, text)


def printable_frame(frame: pd.DataFrame, *, keep_lines: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, and column names, are :func:`printable`
    (containers are shown as their ``str``, which escapes what they hold)."""
    def cell(v: object) -> object:
        if isinstance(v, (dict, list, tuple)):  # pandas prints their items unescaped
            v = str(v)
        return printable(v, keep_lines=keep_lines) if isinstance(v, str) else v

    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            out[name] = pd.Series([cell(v) for v in column], index=column.index, dtype=column.dtype)
    out.columns = [cell(c) for c in out.columns]
    return out


class TextSink(Protocol):
    """Where text is written: a file, ``sys.stdout``, a :class:`PrintableStream`, a wrapper."""

    def write(self, text: str, /) -> int: ...


class PrintableStream:
    """A text stream whose writes go through :func:`printable` (lines kept): for messages that
    quote a helpdesk (an error answer's excerpt, a body snippet in a path error)."""

    def __init__(self, stream: TextSink) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(printable(text, keep_lines=True))

    def flush(self) -> None:
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            flush()
