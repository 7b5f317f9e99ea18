"""GJSON path syntax: split a path, bound its size, and choose who answers it.

The PBX reads paths with Go gjson 1.14.4. Two engines answer them in hdkit: pygjson (gjson.rs,
one native call, fast) and hdkit's own evaluator (:mod:`.evaluate`, every path, in Python).
Diffing gjson.rs against the Go oracle (the recorded cases, then ~100,000 fuzzed paths) showed
which syntax it answers differently; :func:`fast_path` sends exactly that to the evaluator:
``!`` literals, the legacy ``#[...]`` query, empty queries, queries against ``""``, quoted
multipath keys, the ``@reverse``/``@keys``/``@values``/``@tostr``/``@fromstr``/``@group``
modifiers, compositions (wildcards or multipaths after projections, pipes inside
projections), ``..`` JSON lines, and malformed paths (an unclosed bracket, a dangling
backslash), which Go still answers in its own way.

Only a path that could exhaust the process is refused (:func:`check_size`): longer than
:data:`MAX_PATH_LENGTH` or nesting brackets deeper than :data:`MAX_PATH_NESTING`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from hdkit.errors import Location, PathError, caret_snippet

__all__ = [
    "MAX_PATH_LENGTH",
    "MAX_PATH_NESTING",
    "Part",
    "chained",
    "check_size",
    "fast_path",
    "is_projection_query",
    "is_query",
    "is_wild",
    "line_col",
    "plain_key",
    "scan",
    "split_path",
]

MAX_PATH_LENGTH = 4096
MAX_PATH_NESTING = 64


@dataclass(frozen=True)
class Part:
    """One component of a GJSON path, with its offset in the whole path."""

    text: str
    start: int
    sep: str  # "", "." or "|": what preceded it


_OPEN, _CLOSE = "([{", ")]}"


def scan(text: str, start: int = 0, *, quotes_at_top: bool = True) -> Iterator[tuple[int, str, int]]:
    """``(index, char, depth)`` for each character outside backslash escapes and strings.

    ``depth`` counts the brackets open before the character (a stray closer never takes it
    below 0). GJSON reads ``"`` as a string only inside brackets: ``quotes_at_top=False``.
    """
    depth, quoted, i = 0, False, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if quoted:
            quoted = c != '"'
        elif c == '"' and (depth or quotes_at_top):
            quoted = True
        else:
            yield i, c, depth
            if c in _OPEN:
                depth += 1
            elif c in _CLOSE:
                depth = max(0, depth - 1)
        i += 1


def split_path(path: str, base: int, seps: str = ".|") -> list[Part]:
    """Split at unescaped separators outside brackets (and strings inside brackets)."""
    parts: list[Part] = []
    start, sep = 0, ""
    for i, c, depth in scan(path, quotes_at_top=False):
        if not depth and c in seps:
            parts.append(Part(path[start:i], base + start, sep))
            sep, start = c, i + 1
    parts.append(Part(path[start:], base + start, sep))
    return parts


_STAR = re.compile(r"(?<!\\)(?:\\\\)*\*")
_HASH_INSIDE = re.compile(r"(?<!\\)(?:\\\\)*#")
# Not "flatten": gjson.rs keeps the whitespace around an inner array's elements, Go trims it.
_FAST_MODIFIERS = {"this", "valid", "pretty", "ugly", "join"}
_ESCAPED_QUESTION = re.compile(r"(?<!\\)(\\\\)*\\\?")
# gjson.rs matches "?" to one byte, Go to one character: "?" never matches "é" there.
_ONE_CHARACTER = re.compile(r"(?<!\\)(\\\\)*\?")
_ESCAPED_PIPE = re.compile(r"(?<!\\)(\\\\)*\\[.|][@\[{!]")
_QUERY_OPERATOR = re.compile(r"==|!=|<=|>=|!%|%|=|<|>|~")
_EMPTY_STRING_QUERY = re.compile(r'(==|!=|<=|>=|!%|%|=|<|>)\s*""\s*$')


class _Slow(Exception):
    """The path needs hdkit's own evaluator: gjson.rs would answer it differently from Go."""


class _Checker:
    """Walks a GJSON path and raises :class:`_Slow` where pygjson would differ from Go."""

    def check(self, path: str, base: int, top: bool = False) -> None:
        self.check_empty_keys(path, base, top)
        if re.search(r"(?<!\\)(\\\\)*\\$", path):
            raise _Slow
        parts = split_path(path, base)
        for i, part in enumerate(parts):
            self.check_part(part)
            self.check_placement(parts[:i], part, parts[i + 1 :], top)

    def check_empty_keys(self, path: str, base: int, top: bool) -> None:
        """An empty key (``a..b``) is answered like Go only alone in a chain of plain keys, not
        doubled (``a...b``) nor after a leading ``..`` (JSON lines, itself not an empty key)."""
        lines = top and path.startswith("..")
        parts = split_path(path[2:] if lines else path, base + (2 if lines else 0))
        texts = [p.text for p in parts]
        doubled = any(texts) and any(not a and not b for a, b in zip(texts, texts[1:]))
        if not lines and not doubled and all(plain_key(t) or not t for t in texts):
            return
        for part in parts:
            if not part.text and (part.sep or len(parts) > 1):
                raise _Slow

    def check_placement(self, before: list[Part], part: Part, after: list[Part], top: bool) -> None:
        """The compositions where gjson.rs and Go part ways (found by fuzzing the oracle)."""
        if before and part.text[:1] in ("{", "["):
            self.check_mid_multipath(before, part, top, more=bool(after))
        elif _is_wild_key(part.text) and after and (before or not top or _has_modifier(after)):
            self.check_wildcard(before, part, after, top)
        elif part.sep == "|" and len(before) > 1 and _pipe_stays_inside(before):
            raise _Slow
        elif (
            is_projection_query(part.text)
            and any(p.text.startswith("#") for p in before)
            and any(p.sep == "|" for p in after)
        ):
            raise _Slow

    def check_wildcard(self, before: list[Part], part: Part, after: list[Part], top: bool) -> None:
        """Wildcard keys are walked in Go's order only along the leading ``a.b*.c`` chain, and
        not when a modifier follows (Go tries the next matching key there, gjson.rs does not)."""
        chain = before + [part]
        plain = all(plain_key(p.text) for p in chain) and all(chained(p) for p in chain[1:])
        if not (top and plain) or _has_modifier(after):
            raise _Slow

    def check_mid_multipath(self, before: list[Part], part: Part, top: bool, more: bool) -> None:
        """``a.b.{x}`` / ``a.#.{x}``: Go answers missing when ``a`` is not an object or array,
        gjson.rs answers ``{}``. hdkit checks ``a`` at lookup time, so ``a`` must be plain keys."""
        *prefix, last = before
        plain = all(plain_key(p.text) and not is_wild(p.text) for p in prefix)
        projected = last.text == "#" or is_projection_query(last.text)
        last_ok = (plain_key(last.text) and "\\" not in last.text) or last.text.startswith("#")
        last_ok = last_ok and not (projected and more)
        if not (top and plain and last_ok):
            raise _Slow

    def check_part(self, part: Part) -> None:
        text = part.text
        if text.startswith("!"):
            raise _Slow
        if text.startswith("@"):
            self.check_modifier(part)
        elif text.startswith("#["):
            raise _Slow
        elif text.startswith("#("):
            self.check_query(part)
        elif text.startswith("#") and text != "#":
            raise _Slow
        elif text[:1] in ("{", "["):
            self.check_multipath(part)
        elif _swallowing_bracket(text) is not None or (text != "#" and _HASH_INSIDE.search(text)):
            raise _Slow  # and a '#' inside a key: in an array Go reads it as a count
        elif _ONE_CHARACTER.search(text) and plain_key(text):
            raise _Slow  # a '?' wildcard: a non-ASCII key has more bytes than characters
        elif _ESCAPED_QUESTION.search(text):
            raise _Slow  # gjson.rs reads an escaped '?' as a wildcard still
        elif "\\" in text and is_wild(text):
            raise _Slow  # Go matches the unescaped key as a pattern: `*\*` is `**`, `\\*` is `\*`
        elif _ESCAPED_PIPE.search(text):
            raise _Slow  # in an array Go ignores the escape: `\.@values` pipes @values on

    def check_modifier(self, part: Part) -> None:
        name, colon, arg = part.text[1:].partition(":")
        if name not in _FAST_MODIFIERS:
            raise _Slow  # modifiers gjson.rs answers differently, and '@name' keys
        if colon:
            self.check_options(arg)

    def check_options(self, arg: str) -> None:
        """Options gjson.rs reads like Go: a JSON object, blank prefix and indent."""
        try:
            options = json.loads(arg)
        except ValueError:
            options = None
        if not isinstance(options, dict):
            raise _Slow
        for key in ("prefix", "indent"):
            value = options.get(key)
            if isinstance(value, str) and value.strip():
                raise _Slow

    def closing(self, part: Part, open_at: int, after: str = "") -> int:
        """Where the bracket at ``open_at`` closes; slow when unclosed, closed by the wrong
        kind of bracket, holding brackets that do not nest (``#(a={=1)#...)``: Go ends the
        query at the first ')'), or followed by anything but ``after`` before the next '.' or '|'."""
        text = part.text
        close = _matching(text, open_at)
        if close < 0 or not _nested(text, open_at, close):
            raise _Slow
        if text[close + 1 :] not in ("", after):
            raise _Slow
        return close

    def check_query(self, part: Part) -> None:
        close = self.closing(part, 1, after="#")
        inner = part.text[2:close]
        if not inner.strip():
            raise _Slow
        if _EMPTY_STRING_QUERY.search(inner):
            raise _Slow
        lhs = _query_lhs(inner)
        if is_wild(lhs):
            raise _Slow
        op = inner[len(lhs) :]
        if op and not _QUERY_OPERATOR.match(op):
            raise _Slow
        if op.startswith(("%", "!%")) and _ONE_CHARACTER.search(op):
            raise _Slow  # a '?' in a like-pattern, one character in Go
        if op.startswith("~") and op[1:].strip() not in ("true", "false", "null", "*"):
            raise _Slow  # '~' with no value (or another) reads differently in gjson.rs
        if lhs.strip():
            self.check(lhs.strip(), part.start + 2 + (len(lhs) - len(lhs.lstrip())))

    def check_multipath(self, part: Part) -> None:
        text = part.text
        close = self.closing(part, 0)
        body = text[1:close]
        for elem in split_path(body, part.start + 1, seps=","):
            item = elem.text.lstrip()
            offset = elem.start + len(elem.text) - len(item)
            if not item:
                continue
            pieces = split_path(item, offset, seps=":")
            if item.startswith('"') or (text[0] == "[" and len(pieces) > 1):
                raise _Slow  # quoted names, and names in '[...]' (Go drops them)
            if text[0] == "{" and len(pieces) > 1 and not item.startswith("@"):
                value_start = pieces[1].start
                item, offset = item[value_start - offset :], value_start
            self.check(item, offset)


def _has_modifier(parts: list[Part]) -> bool:
    return any(p.text.startswith("@") for p in parts)


def _swallowing_bracket(key: str) -> int | None:
    """The first bracket of a key whose brackets do not balance or hide a separator
    (``brack[0]`` is a fine key, ``(.[a,b]`` is not)."""
    first, balance = None, 0
    for i, c, depth in scan(key, quotes_at_top=False):
        if c in _CLOSE and not depth:
            return i  # a closer with nothing open: Go and gjson.rs part ways on what follows
        if c in _OPEN or c in _CLOSE:
            first = i if first is None else first
            balance += 1 if c in _OPEN else -1
        elif depth and c in ".|,":
            return first
    return first if balance else None


def _query_lhs(inner: str) -> str:
    """The path left of a query's operator: ``nets.#(=="fb")`` in ``nets.#(=="fb")==1``."""
    for i, c, depth in scan(inner):
        if not depth and c in "=!<>%~":
            return inner[:i]
    return inner


def is_query(text: str) -> bool:
    """A first-match query ``#(...)`` (not the ``#(...)#`` projection)."""
    return text.startswith("#(") and not text.endswith(")#")


def _pipe_stays_inside(before: list[Part]) -> bool:
    """Go's pipe splitter skips a '|' right after '.#' or '.#(...)' (gjson 1.14.4), so inside
    an earlier projection such a pipe is applied to each element instead of the array."""
    last = before[-1]
    if not (last.text == "#" or (last.text.startswith("#") and last.text.endswith(")"))):
        return False
    return any(p.text == "#" or is_projection_query(p.text) for p in before[:-1])


def is_projection_query(text: str) -> bool:
    return text.startswith("#(") and text.endswith(")#")


def _is_wild_key(text: str) -> bool:
    return plain_key(text) and is_wild(text)


def is_wild(text: str) -> bool:
    return bool(re.search(r"(?<!\\)(\\\\)*[*?]", text))


def _nested(text: str, open_at: int, close: int) -> bool:
    """True when every bracket from ``open_at`` to ``close`` is closed by its own kind."""
    stack: list[str] = []
    for i, c, _ in scan(text, open_at, quotes_at_top=False):
        if c in _OPEN:
            stack.append(_CLOSE[_OPEN.index(c)])
        elif c in _CLOSE and (not stack or stack.pop() != c):
            return False
        if i == close:
            return not stack
    return False


def _matching(text: str, open_at: int) -> int:
    """Index of the bracket closing ``text[open_at]``, skipping strings; -1 when unclosed."""
    for i, c, depth in scan(text, open_at):
        if c in _CLOSE and depth == 1:
            return i
    return -1


def line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def plain_key(text: str) -> bool:
    return bool(text) and text[0] not in "@#!{[" and not text.startswith("..")


def chained(part: Part) -> bool:
    """Go searches on through ``a.b``; ``a|b``, ``a.@mod`` and ``a.{...}`` are pipes."""
    return part.sep == "." and part.text[:1] not in ("@", "{", "[")


@lru_cache(maxsize=4096)
def fast_path(path: str) -> bool:
    """True when pygjson answers ``path`` exactly like Go (checked once per path)."""
    if path.startswith("..") or len(path) > MAX_PATH_LENGTH or len(_STAR.findall(path)) > 1:
        return False  # several stars: gjson.rs backtracks without gjson's step limit
    try:
        _Checker().check(path, 0, top=True)
    except _Slow:
        return False
    return True


def check_size(path: str, location: Location) -> None:
    """Bound what a hostile path can cost: gjson.rs recurses per component and crashes the
    process on ~20,000 of them; the checker above and hdkit's evaluator recurse per bracket."""
    if len(path) > MAX_PATH_LENGTH:
        raise PathError(
            f"path is {len(path)} characters long, more than hdkit accepts ({MAX_PATH_LENGTH})",
            location.at(*line_col(path, MAX_PATH_LENGTH)),
            hint="a response field path is a few dozen characters; check what was pasted here",
        )
    for i, c, depth in scan(path, quotes_at_top=False):
        if c in _OPEN and depth == MAX_PATH_NESTING:
            line, col = line_col(path, i)
            raise PathError(
                f"path nests brackets more than {MAX_PATH_NESTING} deep",
                location.at(line, col),
                snippet=caret_snippet(path, line, col),
            )
