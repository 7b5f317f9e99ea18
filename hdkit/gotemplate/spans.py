"""Where the actions are: a tolerant scanner over ``{{...}}`` actions.

Safe-mode escaping and "which variable broke this JSON body" tracing need the position of every
action even in a template that does not parse, so this scanner is independent of the lexer: it
follows Go's rules for delimiters, trim markers, comments and quoted text, and stops quietly at
the first action it cannot close. The offsets it reports are the ones the renderer passes to its
print hook, so the two always agree.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

__all__ = ["ActionSpan", "LineIndex", "action_spans", "fix_quotes", "line_col"]

LEFT, RIGHT = "{{", "}}"
_SPACE = " \t\r\n"


class ActionSpan(NamedTuple):
    """One ``{{...}}`` action: ``source[start:end]`` is the whole action, delimiters and trim
    markers included; ``line``/``column`` (1-based) locate ``start``; ``text`` is the inside
    without delimiters, trim markers and surrounding whitespace."""

    start: int
    end: int
    line: int
    column: int
    text: str


def line_col(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``source``."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


class LineIndex:
    """Line/column lookups for many offsets of one source, in O(log n) each."""

    __slots__ = ("_starts",)

    def __init__(self, source: str) -> None:
        starts = [0]
        find = source.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _right_delim(source: str, p: int) -> int:
    """Length of the closing delimiter at ``p`` (``}}`` or `` -}}``), or 0."""
    if source.startswith(RIGHT, p):
        return len(RIGHT)
    if p + 1 < len(source) and source[p] in _SPACE and source[p + 1] == "-" and source.startswith(RIGHT, p + 2):
        return 2 + len(RIGHT)
    return 0


def _skip_quoted(source: str, p: int) -> int:
    """Offset just past the quoted text starting at ``p``, or -1 when it is unterminated."""
    quote = source[p]
    p += 1
    n = len(source)
    if quote == "`":
        end = source.find("`", p)
        return -1 if end < 0 else end + 1
    while p < n:
        c = source[p]
        if c == "\\":
            if p + 1 >= n or source[p + 1] == "\n":
                return -1
            p += 2
            continue
        if c == "\n":
            return -1
        if c == quote:
            return p + 1
        p += 1
    return -1


def _scan(source: str):
    """Yield ``(start, inner_start, inner_end, end, quotes)`` for each action; ``quotes`` lists
    the ``(start, end)`` of every ``'...'`` literal inside it. Stops at an unterminated action."""
    n = len(source)
    pos = 0
    while True:
        start = source.find(LEFT, pos)
        if start < 0:
            return
        p = start + len(LEFT)
        if p + 1 < n and source[p] == "-" and source[p + 1] in _SPACE:
            p += 2
        inner_start = p
        quotes: list[tuple[int, int]] = []
        if source.startswith("/*", p):
            close = source.find("*/", p + 2)
            if close < 0:
                return
            p = close + 2
            width = _right_delim(source, p)
            if not width:  # Go: "comment ends before closing delimiter"; resync on the next }}
                p = source.find(RIGHT, p)
                if p < 0:
                    return
                width = len(RIGHT)
        else:
            while True:
                if p >= n:
                    return
                width = _right_delim(source, p)
                if width:
                    break
                c = source[p]
                if c in "\"`'":
                    q = _skip_quoted(source, p)
                    if q < 0:
                        return
                    if c == "'":
                        quotes.append((p, q))
                    p = q
                else:
                    p += 1
        yield start, inner_start, p, p + width, quotes
        pos = p + width


def action_spans(source: str) -> list[ActionSpan]:
    """Every ``{{...}}`` action of ``source`` in order; never raises on a broken template."""
    spans = []
    where = LineIndex(source)
    for start, inner_start, inner_end, end, _ in _scan(source):
        line, column = where(start)
        spans.append(ActionSpan(start, end, line, column, source[inner_start:inner_end].strip(_SPACE)))
    return spans


def _is_char_constant(body: str) -> bool:
    """True when ``body`` (between single quotes) is one Go character constant."""
    if not body:
        return False
    if body[0] != "\\":
        return len(body) == 1
    if len(body) < 2:
        return False
    kind = body[1]
    sizes = {"x": 4, "u": 6, "U": 10}
    if kind in sizes:
        return len(body) == sizes[kind]
    if kind in "01234567":
        return len(body) == 4
    return len(body) == 2 and kind in "abfnrtv\\'\""


def _as_double_quoted(body: str) -> str:
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append("'" if nxt == "'" else c + nxt)
            i += 2
            continue
        out.append('\\"' if c == '"' else c)
        i += 1
    return '"' + "".join(out) + '"'


def fix_quotes(source: str) -> str | None:
    """``source`` with the single-quoted literals of every action that holds a multi-character
    one rewritten as double-quoted strings (``'yyyy-MM-dd' '1'`` -> ``"yyyy-MM-dd" "1"``), or
    ``None`` when there is nothing to fix.

    Go rejects ``'yyyy-MM-dd'``; people write it by habit. The action's one-character literals
    are rewritten too: ``'1'`` alone is legal Go, but it is the rune 49, not the string ``"1"``,
    so ``TimeFormat`` would silently ignore its UTC flag. Actions holding only real character
    constants are left alone."""
    pieces: list[str] = []
    last = 0
    for *_, quotes in _scan(source):
        bodies = [(q_start, q_end, source[q_start + 1 : q_end - 1]) for q_start, q_end in quotes]
        if all(_is_char_constant(body) for *_, body in bodies):
            continue
        for q_start, q_end, body in bodies:
            pieces.append(source[last:q_start])
            pieces.append(_as_double_quoted(body))
            last = q_end
    if not pieces:
        return None
    pieces.append(source[last:])
    return "".join(pieces)
