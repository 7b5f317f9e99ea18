"""hdkit's own GJSON evaluator: every path answered the way Go gjson 1.14.4 answers it.

pygjson (gjson.rs) answers ordinary paths fast; this module answers the rest: modifiers pygjson
lacks, ``!`` literals, quoted multipath keys, legacy ``#[...]`` queries, queries with
wildcards or nothing in them, and malformed paths, which Go still answers in its own way.
It was written from gjson's documented syntax and pinned against the oracle's recorded
answers (``tests/data/gjson``), not translated from gjson's source.

How gjson reads a path, and so how this module does:

* A path is read one component at a time while the document is scanned, never parsed
  up front. Inside an object a component is a key (``*``/``?`` wildcards, ``\\`` escapes);
  inside an array it is an index, ``#`` (count), ``#.rest`` (project ``rest`` over the
  elements) or a query ``#(...)``/``#(...)#``. ``|`` pipes the value found so far into the
  rest of the path, and so does a ``.`` followed by a modifier, ``[`` or ``{``.
* When a key matches but the rest of the path misses inside it, the scan goes on with the
  next matching key (wildcards, duplicate keys).
* ``@name[:arg]``, ``!literal`` and ``[...]``/``{...}`` multipaths are recognised only at the
  start of a (piped) path; elsewhere they are plain keys.
* What cannot be read is skipped, not refused: an unclosed query matches every element, text
  after a closing bracket is ignored, an unclosed multipath leaves an empty key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from .lenient import (
    FALSE, JSON, NUMBER, STRING, TRUE, Value, go_float, is_valid, json_string, literal_value,
    number, parse_value, read_any, read_literal, read_number, read_squash, read_string, squash,
    starts_number, string_value, unescape,
)
from .modifiers import literal, modifier_names, run_modifier
from .wildcard import wildcard_match

__all__ = ["evaluate"]

_KEY_OR_CLOSE = re.compile(r'["}]')
_DEEP_PATH = 200  # longer paths may nest deeper than Python's default recursion limit
_RECURSION_FLOOR = 30_000


def evaluate(json_text: str, path: str) -> Value:
    """The value at ``path`` in ``json_text``, as Go's ``gjson.Get`` finds it."""
    if len(path) > _DEEP_PATH and sys.getrecursionlimit() < _RECURSION_FLOOR:
        # One frame per path component; Python >= 3.11 keeps these off the C stack.
        sys.setrecursionlimit(_RECURSION_FLOOR)
    return _get(json_text, path)


def _get(json_text: str, path: str) -> Value:
    while True:
        if len(path) > 1:
            lead = path[0]
            if lead in "@!":
                done = run_modifier(json_text, path) if lead == "@" else literal(path)
                if done is not None:
                    rest, json_text = done
                    if rest[:1] in ("|", "."):
                        path = rest[1:]
                        continue
                    return parse_value(json_text)
            if lead in "[{":
                selectors, rest, closed = _selectors(path)
                if closed and rest[:1] in ("", "|", "."):
                    built = _multipath(json_text, lead, selectors)
                    if not rest:
                        return built
                    json_text, path = built.raw, rest[1:]
                    continue
                path = rest  # gjson reads on with what follows the bracket ("" when unclosed)
        scan = _Scan(json_text)
        if path.startswith(".."):
            scan.array(0, path[2:])  # JSON lines: the whole text is one array
        else:
            for i, c in enumerate(json_text):
                if c == "{":
                    scan.object(i + 1, path)
                    break
                if c == "[":
                    scan.array(i + 1, path)
                    break
        if not scan.piped:
            return scan.value
        json_text, path = scan.value.raw, scan.pipe


# ---------------------------------------------------------------- path components


def _dot_pipes(rest: str) -> bool:
    """After a ``.``: does the rest start a new path (modifier, multipath) rather than a key?"""
    lead = rest[0]
    if lead == "@":
        end = 1
        while end < len(rest) and rest[end] not in ".|:":
            end += 1
        return rest[1:end] in modifier_names()
    return lead in "[{"


@dataclass
class _Key:
    """One object component: the key (escapes removed), and what follows it."""

    part: str
    rest: str = ""
    pipe: str = ""
    piped: bool = False
    more: bool = False
    wild: bool = False


def _after_separator(key: _Key, path: str, at: int, check_pipe: bool = True) -> _Key:
    """Fill in what follows the separator at ``path[at]``."""
    if path[at] == "|":
        key.pipe, key.piped = path[at + 1 :], True
    elif check_pipe and at < len(path) - 1 and _dot_pipes(path[at + 1 :]):
        key.pipe, key.piped = path[at + 1 :], True
    else:
        key.rest, key.more = path[at + 1 :], True
    return key


def _object_key(path: str) -> _Key:
    wild = False
    for i, c in enumerate(path):
        if c in ".|":
            return _after_separator(_Key(path[:i], wild=wild), path, i)
        if c in "*?":
            wild = True
        elif c == "\\":
            return _escaped_key(path, i, wild)
    return _Key(path, wild=wild)


def _escaped_key(path: str, i: int, wild: bool) -> _Key:
    """A key with backslash escapes: the escaped characters are kept literally (an escaped
    ``*`` does not make the key a wildcard), the backslashes dropped."""
    out = [path[:i]]
    i += 1
    if i < len(path):
        out.append(path[i])
        i += 1
    n = len(path)
    while i < n:
        c = path[i]
        if c == "\\":
            i += 1
            if i < n:
                out.append(path[i])
            i += 1
            continue
        if c in ".|":
            return _after_separator(_Key("".join(out), wild=wild), path, i)
        if c in "*?":
            wild = True
        out.append(c)
        i += 1
    return _Key("".join(out), wild=wild)


@dataclass
class _Query:
    path: str = ""
    op: str = ""
    value: str = ""
    all: bool = False


@dataclass
class _Index:
    """One array component: an index, ``#``, ``#.rest`` or a query, and what follows it."""

    part: str
    rest: str = ""
    pipe: str = ""
    piped: bool = False
    more: bool = False
    hashed: bool = False  # the component starts with '#'
    project: str | None = None  # the rest of '#.rest'
    query: _Query | None = None


def _array_index(path: str) -> _Index:
    i, n = 0, len(path)
    found = _Index(path)
    while i < n:
        c = path[i]
        if c == "|" or c == ".":
            found.part = path[:i]
            if c == "." and found.hashed:
                found.rest, found.more = path[i + 1 :], True
                return found
            result = _after_separator(_Key(""), path, i)
            found.rest, found.pipe, found.piped, found.more = result.rest, result.pipe, result.piped, result.more
            return found
        if c == "#":
            found.hashed = True
            if i == 0 and n > 1:
                if path[1] == ".":
                    found.project = path[2:]
                elif path[1] in "[(":
                    parsed = _parse_query(path)
                    if parsed is None:
                        found.query = _Query()
                        break
                    found.query, end = parsed
                    i = end - 1
                    if i + 1 < n and path[i + 1] == "#":
                        found.query.all = True
        i += 1
    found.part, found.rest = path, ""
    return found


_OPERATORS = ("!=", "!%", "<=", ">=")
_SINGLE_OPERATORS = "<>=%"  # a lone '!' is no operator: '#(a!1)' tests that 'a' exists


def _parse_query(path: str) -> tuple[_Query, int] | None:
    """``#(lhs op value)`` or ``#[...]``: the query and the index after its closing bracket;
    ``None`` when the bracket never closes. Brackets of both kinds nest together."""
    i, op_at, depth, escaped, n = 2, 0, 1, False, len(path)
    while i < n:
        c = path[i]
        if depth == 1 and not op_at and c in "!=<>%":
            op_at = i
        elif c == "\\":
            i += 1
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
            if depth == 0:
                break
        elif c == '"':
            i += 1
            while i < n:
                if path[i] == "\\":
                    escaped = True
                    i += 1
                elif path[i] == '"':
                    break
                i += 1
        i += 1
    if depth > 0:
        return None
    if not op_at:
        return _Query(path=_trim(path[2:i])), i + 1
    value = _trim(path[op_at:i])
    size = 1
    if len(value) > 1:
        if value[:2] in _OPERATORS:
            size = 2
        elif value[:2] == "==":
            value = value[1:]
        elif value[0] not in _SINGLE_OPERATORS:
            size = 0
    op, value = value[:size], _trim(value[size:])
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
        if escaped:
            value = unescape(value)
    return _Query(_trim(path[2:op_at]), op, value), i + 1


def _trim(text: str) -> str:
    start, end = 0, len(text)
    while start < end and text[start] <= " ":
        start += 1
    while end > start and text[end - 1] <= " ":
        end -= 1
    return text[start:end]


def _index_number(part: str) -> int:
    """gjson's array index: ASCII digits only, wrapping like a uint64 cast to int; -1 else."""
    if not part or not part.isascii() or not part.isdigit():
        return -1
    value = int(part) % (1 << 64)
    return value - (1 << 64) if value >= 1 << 63 else value


# ---------------------------------------------------------------- scanning


class _Scan:
    """One ``gjson.Get`` over a text: the value found, and the pipe still to apply to it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.value = Value()
        self.pipe = ""
        self.piped = False

    def set_pipe(self, pipe: str) -> None:
        self.pipe, self.piped = pipe, True

    def object(self, i: int, path: str) -> tuple[int, bool]:
        """Scan the object whose body starts at ``i`` for ``path``: ``(end, found)``."""
        key = _object_key(path)
        if not key.more and key.piped:
            self.set_pipe(key.pipe)
        text, n = self.text, len(self.text)
        while i < n:
            found = _KEY_OR_CLOSE.search(text, i)
            if found is None:
                return n, False
            i = found.start()
            if text[i] == "}":
                return i + 1, False
            i, raw, escaped, closed = read_string(text, i + 1)
            if not closed:
                return i, False
            name = unescape(raw[1:-1]) if escaped else raw[1:-1]
            matched = wildcard_match(name, key.part) if key.wild else name == key.part
            hit = matched and not key.more
            while i < n:
                c = text[i]
                if c == '"':
                    i, raw, escaped, closed = read_string(text, i + 1)
                    if not closed:
                        return i, False
                    if hit:
                        self.value = string_value(raw, escaped)
                        return i, True
                elif c in "{[":
                    if matched and not hit:
                        i, hit = (self.object if c == "{" else self.array)(i + 1, key.rest)
                        if hit:
                            return i, True
                    else:
                        i, raw = read_squash(text, i)
                        if hit:
                            self.value = Value(JSON, raw)
                            return i, True
                elif starts_number(text, i):
                    i, raw = read_number(text, i)
                    if hit:
                        self.value = number(raw)
                        return i, True
                elif c in "ntf":
                    i, raw = read_literal(text, i)
                    if hit:
                        self.value = literal_value(c, raw)
                        return i, True
                else:
                    i += 1
                    continue
                break
        return i, False

    def array(self, i: int, path: str) -> tuple[int, bool]:
        """Scan the array whose body starts at ``i`` for ``path``: ``(end, found)``.
        The end of the text closes an unclosed array."""
        index = _array_index(path)
        wanted = -1 if index.hashed else _index_number(index.part)
        if not index.more and index.piped:
            self.set_pipe(index.pipe)
        query, project = index.query, index.project
        text, n = self.text, len(self.text)
        h, starts = 0, []
        matches: list[str] | None = None
        pmatch = hit = False
        while i < n + 1:
            if not index.hashed:
                pmatch = wanted == h
                hit = pmatch and not index.more
            h += 1
            if project is not None:
                starts.append(i)
            while True:
                if i > n:
                    break
                c = "]" if i == n else text[i]
                item: Value | None = None
                if c == '"':
                    i, raw, escaped, closed = read_string(text, i + 1)
                    if not closed:
                        return i, False
                    item = string_value(raw, escaped)
                elif c in "{[":
                    if pmatch and not hit:
                        i, hit = (self.object if c == "{" else self.array)(i + 1, index.rest)
                        if hit:
                            return i, True
                        break
                    i, raw = read_squash(text, i)
                    item = Value(JSON, raw)
                elif c == "]":
                    return self.closed(i, index, h, starts, matches)
                elif starts_number(text, i):
                    i, raw = read_number(text, i)
                    item = number(raw)
                elif c in "ntf":
                    i, raw = read_literal(text, i)
                    item = literal_value(c, raw)
                else:
                    i += 1
                    continue
                if query is not None:
                    if query.all and matches is None:
                        matches = []
                    if self.query(index, item, matches):
                        return i, True
                elif hit and project is None:
                    self.value = item
                    return i, True
                break
        return i, False

    def closed(self, i: int, index: _Index, h: int, starts: list[int], matches: list[str] | None) -> tuple[int, bool]:
        """At the array's ``]``: the count, the projection, or the query's matches."""
        if index.hashed and index.part == "#":
            if index.project is not None:
                self.value = self.projection(index, starts)
                return i + 1, True
            self.value = Value(NUMBER, str(h - 1), num=float(h - 1))
            return i + 1, True
        if not self.value.exists:
            if matches:
                self.value = Value(JSON, "[" + ",".join(matches) + "]")
            elif matches is not None or (index.query is not None and index.query.all):
                self.value = Value(JSON, "[]")
        return i + 1, False

    def projection(self, index: _Index, starts: list[int]) -> Value:
        """``#.rest``: ``rest`` of every element, those where it exists."""
        rest = index.project or ""
        split = _split_pipe(rest)
        if split is not None:
            rest, pipe = split
            self.set_pipe(pipe)
        text, n = self.text, len(self.text)
        out: list[str] = []
        for at in starts:
            while at < n and text[at] in " \t\r\n":
                at += 1
            if at < n and text[at] != "]":
                _, element = read_any(text, at)
                if element is not None:
                    found = _get(element.raw, rest)
                    if found.exists:
                        out.append(found.raw or found.string())
        return Value(JSON, "[" + ",".join(out) + "]")

    def query(self, index: _Index, item: Value, matches: list[str] | None) -> bool:
        """One element against the query; ``True`` when the scan is done (first match)."""
        query = index.query
        assert query is not None
        if item.kind == JSON:
            subject = _get(item.raw, query.path)
        elif query.path:
            return False
        else:
            subject = item
        if not _query_matches(query, subject):
            return False
        if index.more:
            split = _split_pipe(index.rest)
            if split is not None:
                index.rest, pipe = split
                self.set_pipe(pipe)
            found = _get(item.raw, index.rest)
        else:
            found = item
        if matches is None:
            self.value = found
            return True
        raw = found.raw or found.string()
        if raw:
            matches.append(raw)
        return False


def _query_matches(query: _Query, value: Value) -> bool:
    expected = query.value
    if expected[:1] == "~":
        expected = expected[1:]
        value = Value(TRUE if value.truth() else FALSE)
    if not value.exists:
        return False
    op = query.op
    if not op:
        return True
    kind = value.kind
    if kind == STRING:
        return _compare(op, value.str, expected)
    if kind == NUMBER:
        return _compare(op, value.num, go_float(expected))
    if kind == TRUE:
        return {"=": expected == "true", "!=": expected != "true", ">": expected == "false", ">=": True}.get(op, False)
    if kind == FALSE:
        return {"=": expected == "false", "!=": expected != "false", "<": expected == "true", "<=": True}.get(op, False)
    return False


_ORDER = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _compare(op: str, left: str | float, right: str | float) -> bool:
    """Strings compare by code point (UTF-8 byte order, as Go) and match ``%`` patterns;
    numbers only compare."""
    if op in ("%", "!%") and isinstance(left, str):
        return wildcard_match(left, str(right)) == (op == "%")
    compare = _ORDER.get(op)
    return bool(compare(left, right)) if compare else False


def _split_pipe(path: str) -> tuple[str, str] | None:
    """Where a projection's rest holds a ``|``: the part applied per element, and the pipe
    applied to the projected array. ``None`` when there is no such pipe."""
    if "|" not in path:
        return None
    if path[0] == "{":
        body = squash(path[1:])
        if len(body) < len(path) - 1:
            head = path[: len(body) + 1]
            if path[len(head)] == "|":
                return head, path[len(head) + 1 :]
        return None
    i, n = 0, len(path)
    while i < n:
        c = path[i]
        if c == "\\":
            i += 1
        elif c == ".":
            if i == n - 1:
                return None
            if path[i + 1] == "#":
                i += 2
                if i == n:
                    return None
                if path[i] in "[(":
                    i = _skip_bracket(path, i)
        elif c == "|":
            return path[:i], path[i + 1 :]
        i += 1
    return None


def _skip_bracket(path: str, i: int) -> int:
    """From an opening ``[``/``(`` to its own kind of closing bracket, skipping strings."""
    opener = path[i]
    closer = "]" if opener == "[" else ")"
    depth, n = 1, len(path)
    i += 1
    while i < n:
        c = path[i]
        if c == "\\":
            i += 1
        elif c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return i
        elif c == '"':
            i += 1
            while i < n:
                if path[i] == "\\":
                    i += 1
                elif path[i] == '"':
                    break
                i += 1
        i += 1
    return i


# ---------------------------------------------------------------- multipaths


@dataclass
class _Selector:
    name: str
    path: str


def _selectors(path: str) -> tuple[list[_Selector], str, bool]:
    """``[a,b]`` / ``{name:a,b}``: the selectors, what follows the closing bracket, and
    whether it closed. A ``:`` names a selector unless a modifier came first."""
    selectors: list[_Selector] = []
    depth, colon, modifier, start, i, n = 1, 0, 0, 1, 1, len(path)

    def push() -> None:
        nonlocal colon, modifier, start
        if colon:
            selectors.append(_Selector(path[start:colon], path[colon + 1 : i]))
        else:
            selectors.append(_Selector("", path[start:i]))
        colon = modifier = 0
        start = i + 1

    while i < n:
        c = path[i]
        if c == "\\":
            i += 1
        elif c == "@":
            if not modifier and i > 0 and path[i - 1] in ".|":
                modifier = i
        elif c == ":":
            if not modifier and not colon and depth == 1:
                colon = i
        elif c == ",":
            if depth == 1:
                push()
        elif c == '"':
            i += 1
            while i < n:
                if path[i] == "\\":
                    i += 1
                elif path[i] == '"':
                    break
                i += 1
        elif c in "[({":
            depth += 1
        elif c in "])}":
            depth -= 1
            if depth == 0:
                push()
                return selectors, path[i + 1 :], True
        i += 1
    return selectors, "", False


def _multipath(json_text: str, lead: str, selectors: list[_Selector]) -> Value:
    """The array or object a multipath builds from the selectors that exist."""
    items: list[str] = []
    for selector in selectors:
        found = _get(json_text, selector.path)
        if not found.exists:
            continue
        raw = found.raw or found.string() or "null"
        if lead == "{":
            items.append(_selector_name(selector) + ":" + raw)
        else:
            items.append(raw)
    close = "}" if lead == "{" else "]"
    return Value(JSON, lead + ",".join(items) + close)


def _selector_name(selector: _Selector) -> str:
    name = selector.name
    if name:
        return name if name[0] == '"' and is_valid(name) else json_string(name)
    last = _last_component(selector.path)
    simple = all(c >= " " and c not in "[]{}()#|!" for c in last)
    return json_string(last if simple else "_")


def _last_component(path: str) -> str:
    for i in range(len(path) - 1, -1, -1):
        if path[i] in "|." and not (i > 0 and path[i - 1] == "\\"):
            return path[i + 1 :]
    return path
