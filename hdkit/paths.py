"""Response field paths: GJSON (what the PBX uses) and JSONPath (``$``-rooted), one API.

The PBX picks response fields with tidwall's GJSON (Go, v1.14.4). hdkit answers GJSON with
pygjson (tidwall's gjson.rs): one native call per lookup, but not identical to Go everywhere.
Diffing against the Go oracle (the recorded cases, then ~50,000 fuzzed paths) sorted every
difference into one of two bins:

* **patched**, because the difference is presentation or search order: Go's number formatting
  (``1e3`` -> ``1000``), Go's fall-through to the next matching key when the rest of the path
  misses (``f*.0.first``, duplicate keys), multipaths under a missing parent, empty query
  projections followed by a pipe;
* **refused** at compile time with :class:`~hdkit.errors.UnsupportedPathError` naming the part
  and its column, because gjson.rs would answer differently from the PBX: ``!`` literals, the
  legacy ``#[...]`` query, empty queries, queries against ``""``, quoted multipath keys, the
  ``@reverse``/``@keys``/``@values``/``@tostr``/``@fromstr``/``@group`` modifiers, and a few
  compositions (wildcards or multipaths after projections, pipes inside projections).

Never a wrong answer, as far as the oracle can tell. Paths may hold template actions
(``data.#(phone=="{{.Phone}}")#.id``): :func:`render_path` renders them first, escaping each
printed value for a GJSON query string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import pygjson
from jsonpath_ng import JSONPath
from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext import parse as parse_jsonpath

from hdkit.errors import Location, PathError, UnsupportedPathError, caret_snippet
from hdkit.gotemplate import compile as compile_template

__all__ = [
    "MISSING",
    "CompiledPath",
    "GJSONResult",
    "compile_path",
    "escape_query_value",
    "format_go_float",
    "gjson_get",
    "go_string",
    "oracle_gjson",
    "render_path",
]

ResultType = Literal["Null", "False", "True", "Number", "String", "JSON"]


class _Missing:
    """The sentinel for "no value here", distinct from JSON ``null`` (``None``)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


# --------------------------------------------------------------------------- Go formatting


def format_go_float(value: float) -> str:
    """Go's ``strconv.FormatFloat(value, 'f', -1, 64)``: shortest digits, never an exponent."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _number_string(raw: str) -> str:
    """Go gjson's ``Result.String()`` of a number: integers as written, others reformatted."""
    if re.fullmatch(r"-?[0-9]+", raw):
        return raw
    try:
        return format_go_float(float(raw))
    except ValueError:  # gjson's lenient scanner can hand back odd text; Go parses it as 0
        return "0"


def go_string(value: Any) -> str:
    """The Go gjson ``String()`` of a Python JSON value (used for JSONPath answers)."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_go_float(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class GJSONResult:
    """One looked-up value, mirroring Go gjson's ``Result``.

    ``string`` equals Go's ``String()``; ``raw`` is the JSON text of the value (for strings,
    re-encoded: gjson.rs does not expose the source bytes); ``type`` is Go's type name.
    """

    exists: bool
    string: str
    raw: str
    type: ResultType
    _value: Any = field(default=MISSING, repr=False)

    def value(self) -> Any:
        """The Python value: ``MISSING`` when absent, ``None`` for JSON null."""
        return self._value

    @classmethod
    def missing(cls) -> GJSONResult:
        return cls(False, "", "", "Null", MISSING)

    @classmethod
    def of_value(cls, value: Any) -> GJSONResult:
        """A result for a Python value (JSONPath answers)."""
        if value is MISSING:
            return cls.missing()
        if value is None:
            return cls(True, "", "null", "Null", None)
        if isinstance(value, bool):
            text = "true" if value else "false"
            return cls(True, text, text, "True" if value else "False", value)
        if isinstance(value, (int, float)):
            return cls(True, go_string(value), json.dumps(value), "Number", value)
        raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        kind: ResultType = "String" if isinstance(value, str) else "JSON"
        return cls(True, go_string(value), raw, kind, value)


def _from_pygjson(res: pygjson.Result) -> GJSONResult:
    if not res.exists():
        return GJSONResult.missing()
    kind = res.type_
    text = res.to_str()
    if kind is None:
        return GJSONResult(True, "", "null", "Null", None)
    if kind is bool:
        flag = res.to_bool()
        return GJSONResult(True, text, text, "True" if flag else "False", flag)
    if kind in (int, float):
        return GJSONResult(True, _number_string(text), text, "Number", res.value)
    if kind is str:
        return GJSONResult(True, text, json.dumps(text, ensure_ascii=False), "String", text)
    return GJSONResult(True, text, text, "JSON", _json_value(res, text))


def _json_value(res: pygjson.Result, raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:  # lenient gjson text: walk pygjson's own tree instead
        return _tree_value(res)


def _tree_value(res: pygjson.Result) -> Any:
    value = res.value
    if isinstance(value, list):
        return [_tree_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _tree_value(v) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------- path syntax


@dataclass(frozen=True)
class _Part:
    """One component of a GJSON path, with its offset in the whole path."""

    text: str
    start: int
    sep: str  # "", "." or "|": what preceded it


_OPEN, _CLOSE = "([{", ")]}"


def _split(path: str, base: int, seps: str = ".|") -> list[_Part]:
    """Split at unescaped separators outside brackets (and strings inside brackets)."""
    parts: list[_Part] = []
    depth, quoted, start, sep, i = 0, False, 0, "", 0
    while i < len(path):
        c = path[i]
        if c == "\\":
            i += 2
            continue
        if quoted:
            quoted = c != '"'
        elif depth and c == '"':
            quoted = True
        elif c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif not depth and c in seps:
            parts.append(_Part(path[start:i], base + start, sep))
            sep, start = c, i + 1
        i += 1
    parts.append(_Part(path[start:], base + start, sep))
    return parts


_SUPPORTED_MODIFIERS = {"this", "valid", "pretty", "ugly", "flatten", "join"}
_UNSUPPORTED_MODIFIERS = {"reverse", "keys", "values", "tostr", "fromstr", "group", "dig"}
_EMPTY_STRING_QUERY = re.compile(r'(==|!=|<=|>=|!%|%|=|<|>)\s*""\s*$')


class _Checker:
    """Walks a GJSON path and refuses what pygjson would answer differently from Go."""

    def __init__(self, path: str, location: Location) -> None:
        self.path = path
        self.location = location

    def refuse(self, offset: int, what: str, why: str, hint: str) -> UnsupportedPathError:
        line, col = _line_col(self.path, offset)
        return UnsupportedPathError(
            f"unsupported GJSON {what}: {why}",
            self.location.at(line, col),
            hint=hint,
            snippet=caret_snippet(self.path, line, col),
        )

    def unclosed(self, part: _Part, bracket: str) -> UnsupportedPathError:
        return self.refuse(
            part.start, f"{bracket!r} in {part.text!r}", "it is never closed (Go's answer is arbitrary)",
            f"close the {bracket!r} or escape it with a backslash if it is part of a key",
        )

    def check(self, path: str, base: int, top: bool = False) -> None:
        if re.search(r"(?<!\\)(\\\\)*\\$", path):
            raise self.refuse(
                base + len(path) - 1, "escape '\\'", "a backslash ends the path",
                "remove the trailing backslash",
            )
        parts = _split(path, base)
        for i, part in enumerate(parts):
            self.check_part(part)
            self.check_placement(parts[:i], part, parts[i + 1 :], top)

    def check_placement(self, before: list[_Part], part: _Part, after: list[_Part], top: bool) -> None:
        """Refuse the compositions where gjson.rs and Go part ways (found by fuzzing the oracle)."""
        if before and part.text[:1] in ("{", "["):
            self.check_mid_multipath(before, part, top, more=bool(after))
        elif _is_wild_key(part.text) and after and (before or not top):
            self.check_wildcard(before, part, top)
        elif part.sep == "|" and len(before) > 1 and _pipe_stays_inside(before):
            raise self.refuse(
                part.start, f"pipe '|{part.text}' after {before[-1].text!r}",
                "inside a projection Go applies it to each element, gjson.rs to the array",
                "write '.' instead of '|', or split the path in two",
            )
        elif (
            _is_projection_query(part.text)
            and any(p.text.startswith("#") for p in before)
            and any(p.sep == "|" for p in after)
        ):
            raise self.refuse(
                part.start, f"query {part.text!r} inside another projection",
                "with a later '|', gjson.rs and Go disagree on empty matches",
                "split the path: extract the outer projection first",
            )

    def check_wildcard(self, before: list[_Part], part: _Part, top: bool) -> None:
        """Wildcard keys are walked in Go's order only along the leading ``a.b*.c`` chain."""
        chain = before + [part]
        if not top or not all(_plain_key(p.text) for p in chain) or not all(
            _chained(p) for p in chain[1:]
        ):
            where = f" after {before[-1].text!r}" if before else " inside a multipath or query"
            raise self.refuse(
                part.start, f"wildcard key {part.text!r}{where}",
                "gjson.rs matches it differently from Go there",
                "spell the key out, or move the wildcard before any '#', query, modifier or '|'",
            )

    def check_mid_multipath(self, before: list[_Part], part: _Part, top: bool, more: bool) -> None:
        """``a.b.{x}`` / ``a.#.{x}``: Go answers missing when ``a`` is not an object or array,
        gjson.rs answers ``{}``. hdkit checks ``a`` at lookup time, so ``a`` must be plain keys."""
        *prefix, last = before
        plain = all(_plain_key(p.text) and not _is_wild(p.text) for p in prefix)
        projected = last.text == "#" or _is_projection_query(last.text)
        last_ok = (_plain_key(last.text) and "\\" not in last.text) or last.text.startswith("#")
        last_ok = last_ok and not (projected and more)
        if not (top and plain and last_ok):
            raise self.refuse(
                part.start, f"multipath {part.text!r} after {last.text!r}",
                "gjson.rs keeps empty results there where Go answers missing",
                "put the multipath after plain keys ('data.#.{id,name}', 'data.0.{id,name}')",
            )

    def check_part(self, part: _Part) -> None:
        text = part.text
        if text.startswith("!"):
            raise self.refuse(
                part.start, f"literal {text!r}", "JSON literals ('!true') are not honoured",
                "put the constant in the template instead of the path",
            )
        if text.startswith("@"):
            self.check_modifier(part)
        elif text.startswith("#["):
            raise self.refuse(
                part.start, f"query {text!r}", "the legacy '#[...]' query form is not honoured",
                "write the query with parentheses: '#(...)'",
            )
        elif text.startswith("#("):
            self.check_query(part)
        elif text[:1] in ("{", "["):
            self.check_multipath(part)

    def check_modifier(self, part: _Part) -> None:
        name, _, arg = part.text[1:].partition(":")
        if name in _SUPPORTED_MODIFIERS:
            if name == "pretty" and arg:
                self.check_pretty_options(part, arg)
            return
        if name in _UNSUPPORTED_MODIFIERS:
            raise self.refuse(
                part.start, f"modifier '@{name}'", "it answers differently from the PBX",
                "extract the value without the modifier and post-process it in Python",
            )
        raise self.refuse(
            part.start, f"modifier '@{name}'",
            "there is no such modifier (Go would read it as a key, pygjson does not)",
            f"to read a key named '@{name}', escape it: '\\@{name}'",
        )

    def check_pretty_options(self, part: _Part, arg: str) -> None:
        try:
            options = json.loads(arg)
        except ValueError:
            return
        if not isinstance(options, dict):
            return
        for key in ("prefix", "indent"):
            value = options.get(key)
            if isinstance(value, str) and value.strip():
                raise self.refuse(
                    part.start, f"@pretty option {key!r}",
                    "a non-blank prefix or indent is not honoured", "use blanks only",
                )

    def check_query(self, part: _Part) -> None:
        close = _matching(part.text, 1)
        if close < 0:
            raise self.unclosed(part, "(")
        inner = part.text[2:close]
        if not inner.strip():
            raise self.refuse(
                part.start, "query '#()'", "an empty query matches nothing in Go",
                "write a condition, e.g. '#(id==1)', or remove the query",
            )
        if _EMPTY_STRING_QUERY.search(inner):
            raise self.refuse(
                part.start, f"query {part.text!r}", 'comparing against "" is not honoured',
                'match on another field, or extract the array and filter it in Python',
            )
        lhs = _query_lhs(inner)
        if _is_wild(lhs):
            raise self.refuse(
                part.start, f"query {part.text!r}", "a wildcard in the queried path is not honoured",
                "spell out the key the query compares",
            )
        if lhs.strip():
            self.check(lhs.strip(), part.start + 2 + (len(lhs) - len(lhs.lstrip())))

    def check_multipath(self, part: _Part) -> None:
        text = part.text
        close = _matching(text, 0)
        if close < 0:
            raise self.unclosed(part, text[0])
        body = text[1:close]
        for elem in _split(body, part.start + 1, seps=","):
            item = elem.text.lstrip()
            offset = elem.start + len(elem.text) - len(item)
            if not item:
                continue
            if text[0] == "{" and item.startswith('"'):
                raise self.refuse(
                    offset, f"multipath key {item.split(':')[0]!r}",
                    "quoted keys in '{...}' keep their quotes",
                    "write the key without quotes: '{name:path}'",
                )
            pieces = _split(item, offset, seps=":")
            if text[0] == "{" and len(pieces) > 1 and not item.startswith("@"):
                value_start = pieces[1].start
                item, offset = item[value_start - offset :], value_start
            self.check(item, offset)


def _query_lhs(inner: str) -> str:
    """The path left of a query's operator: ``nets.#(=="fb")`` in ``nets.#(=="fb")==1``."""
    depth, quoted, i = 0, False, 0
    while i < len(inner):
        c = inner[i]
        if c == "\\":
            i += 2
            continue
        if quoted:
            quoted = c != '"'
        elif c == '"':
            quoted = True
        elif c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
        elif not depth and c in "=!<>%~":
            return inner[:i]
        i += 1
    return inner


def _is_query(text: str) -> bool:
    """A first-match query ``#(...)`` (not the ``#(...)#`` projection)."""
    return text.startswith("#(") and not text.endswith(")#")


def _pipe_stays_inside(before: list[_Part]) -> bool:
    """Go's pipe splitter skips a '|' right after '.#' or '.#(...)' (gjson 1.14.4), so inside
    an earlier projection such a pipe is applied to each element instead of the array."""
    last = before[-1]
    if not (last.text == "#" or (last.text.startswith("#") and last.text.endswith(")"))):
        return False
    return any(p.text == "#" or _is_projection_query(p.text) for p in before[:-1])


def _is_projection_query(text: str) -> bool:
    return text.startswith("#(") and text.endswith(")#")


def _is_wild_key(text: str) -> bool:
    return _plain_key(text) and _is_wild(text)


def _is_wild(text: str) -> bool:
    return bool(re.search(r"(?<!\\)(\\\\)*[*?]", text))


def _matching(text: str, open_at: int) -> int:
    """Index of the bracket closing ``text[open_at]``, skipping strings; -1 when unclosed."""
    depth, quoted, i = 0, False, open_at
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if quoted:
            quoted = c != '"'
        elif c == '"':
            quoted = True
        elif c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


# --------------------------------------------------------------------------- GJSON lookup


def _plain_key(text: str) -> bool:
    return bool(text) and text[0] not in "@#!{[" and not text.startswith("..")


def _chained(part: _Part) -> bool:
    """Go searches on through ``a.b``; ``a|b``, ``a.@mod`` and ``a.{...}`` are pipes."""
    return part.sep == "." and part.text[:1] not in ("@", "{", "[")


def _key_matcher(text: str) -> re.Pattern[str]:
    """Go gjson's key match: escapes stripped, unescaped ``*``/``?`` are wildcards."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(re.escape(text[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _wild_chain(parts: list[_Part]) -> bool:
    """True when a wildcard key has more path after it in the leading ``a.b*.c`` chain.

    gjson.rs answers those differently from Go (``*.*`` over an array), so hdkit walks them.
    """
    for part, nxt in zip(parts, parts[1:]):
        if not _plain_key(part.text) or not _chained(nxt):
            return False
        if _is_wild(part.text):
            return True
    return False


def _fall_through(node: pygjson.Result, path: str, parts: list[_Part]) -> pygjson.Result | None:
    """Go's search order: when the rest of a path misses under the first matching key, Go
    tries the next matching key (wildcards, duplicate keys). gjson.rs stops at the first."""
    head, rest = parts[0], parts[1:]
    if not rest or not _chained(rest[0]) or not _plain_key(head.text):
        return None
    sub_path = path[rest[0].start - head.start :]
    kind = node.type_
    if kind is dict:
        matcher = _key_matcher(head.text)
        children = [v for k, v in node.items() if matcher.fullmatch(k)]
    elif kind is list and head.text.isdigit() and int(head.text) < len(node):
        children = [node[int(head.text)]]
    else:
        return None
    for child in children:
        if child.type_ in (dict, list) and (found := _lookup_node(child, sub_path)) is not None:
            return found
    return None


def _lookup_node(node: pygjson.Result, path: str) -> pygjson.Result | None:
    """``path`` under a parsed node, in Go's search order; ``None`` when missing."""
    parts = _split(path, 0)
    if not _wild_chain(parts):
        found = node.get(path)
        if found.exists():
            return found
    return _fall_through(node, path, parts)


_MISSING_RESULT = pygjson.get("{}", "missing")


def _check_gjson(path: str, location: Location) -> None:
    if "{{" in path:
        col = path.index("{{") + 1
        raise PathError(
            "path holds a template action; render it first",
            location.at(1, col),
            hint="use hdkit.paths.render_path(path, data) before looking it up",
            snippet=caret_snippet(path, 1, col),
        )
    _Checker(path, location).check(path, 0, top=True)


def _gjson_raw(json_text: str, path: str, compiled: pygjson.Path | None = None) -> pygjson.Result:
    """pygjson's answer, corrected where Go differs (see the guards)."""
    found = _gjson_walk(json_text, path, compiled)
    if "#(" in path and "|" in path:
        return _empty_projection_guard(json_text, path, found)
    return found


def _gjson_walk(json_text: str, path: str, compiled: pygjson.Path | None) -> pygjson.Result:
    """pygjson's answer (one native call on the fast path), in Go's search order."""
    if path.startswith(".."):
        _check_json_lines(json_text)
    wild = ("*" in path or "?" in path) and _wild_chain(_split(path, 0))
    if not wild:
        found = pygjson.get(json_text, compiled if compiled is not None else path)
        if found.exists() or "." not in path:
            return _multipath_guard(json_text, path, found)
        if not _plain_key(_split(path, 0)[0].text):
            return found
    try:
        root = pygjson.parse(json_text)
    except Exception:  # noqa: BLE001 - invalid JSON: keep gjson's lenient "missing"
        return _MISSING_RESULT
    walked = _lookup_node(root, path)
    return _MISSING_RESULT if walked is None else _multipath_guard(json_text, path, walked)


_EMPTY_ARRAY_RESULT = pygjson.get("[]", "@this")


def _empty_projection_guard(json_text: str, path: str, found: pygjson.Result) -> pygjson.Result:
    """Go answers ``a.#(q)#.b|c`` with ``[]`` when the query matches nothing (the pipe is
    never applied); gjson.rs applies the pipe to ``[]``."""
    parts = _split(path, 0)
    for i, part in enumerate(parts[:-1]):
        if _is_projection_query(part.text):
            rest = parts[i + 1 :]
            if rest[0].sep != "." or all(p.sep != "|" for p in rest[1:]):
                return found
            array = pygjson.get(json_text, path[: part.start - 1]) if i else pygjson.parse(json_text)
            matches = pygjson.get(json_text, path[: rest[0].start - 1])
            if array.type_ is list and matches.type_ is list and len(matches) == 0:
                return _EMPTY_ARRAY_RESULT
            return found
    return found


def _check_json_lines(json_text: str) -> None:
    """``..`` paths read JSON lines; on a broken line Go's answer is arbitrary, so refuse it."""
    for number, line in enumerate(json_text.splitlines(), 1):
        if line.strip() and not pygjson.validate(line):
            raise PathError(
                "a '..' path reads JSON lines, and this line is not valid JSON",
                Location(field="response body", line=number, column=1),
                snippet=caret_snippet(json_text, number, 1),
            )


def _multipath_guard(json_text: str, path: str, found: pygjson.Result) -> pygjson.Result:
    """Go answers ``a.b.{x}`` as missing when ``a`` is not an object or array (and
    ``a.#(q).{x}`` when no element of the array ``a`` matches); gjson.rs answers ``{}``/``[]``."""
    if not found.exists() or ("{" not in path and "[" not in path):
        return found
    parts = _split(path, 0)
    at = next((i for i, p in enumerate(parts) if i and p.text[:1] in ("{", "[")), None)
    if at is None:
        return found
    last = parts[at - 1]
    if at > 1:
        base = _gjson_raw(json_text, path[: last.start - 1])
    else:
        try:
            base = pygjson.parse(json_text)
        except Exception:  # noqa: BLE001 - not JSON at all: no container to select from
            return _MISSING_RESULT
    if base.type_ not in (dict, list):
        return _MISSING_RESULT
    if last.text.startswith("#(") and base.type_ is dict and re.search(r"(?<!\\)[.|]", last.text):
        return _MISSING_RESULT  # Go reads a query over an object as a key, cut at its first '.'
    if _is_query(last.text) and base.type_ is list and parts[at].sep == ".":
        if not pygjson.get(json_text, path[: parts[at].start - 1]).exists():
            return _MISSING_RESULT
    return found


def gjson_get(json_text: str, path: str, location: Location | None = None) -> GJSONResult:
    """Look up ``path`` in ``json_text`` the way Go gjson 1.14.4 does.

    Raises :class:`UnsupportedPathError` for syntax hdkit cannot answer like Go.
    """
    _check_gjson(path, location or Location(field="path"))
    return _from_pygjson(_gjson_raw(json_text, path))


def oracle_gjson(json_text: str, path: str) -> tuple[bool, str]:
    """Adapter for the oracle harness: ``(exists, String())``."""
    result = gjson_get(json_text, path)
    return result.exists, result.string


# --------------------------------------------------------------------------- compiled paths

PathKind = Literal["gjson", "jsonpath"]
_INDEFINITE = re.compile(r"Wildcard|Filter|Slice|Descendants|Union|Where|indices=\([^)]*,\s*\d")


@dataclass(frozen=True)
class CompiledPath:
    """A checked path, ready to apply to many documents.

    ``kind`` is ``"jsonpath"`` for ``$``-rooted expressions, else ``"gjson"``. A JSONPath that
    can match several nodes (wildcards, filters, slices, ``..``) answers a list, like GJSON's
    ``#.x``; a definite one answers its single value.
    """

    expr: str
    kind: PathKind
    location: Location
    _gjson: pygjson.Path | None = field(default=None, repr=False, compare=False)
    _jsonpath: JSONPath | None = field(default=None, repr=False, compare=False)

    def get(self, json_text: str) -> GJSONResult:
        """Apply the path to a JSON document (text)."""
        if self._jsonpath is None:
            return _from_pygjson(_gjson_raw(json_text, self.expr, self._gjson))
        return self.find(_load_json(json_text, self.location))

    def find(self, document: Any) -> GJSONResult:
        """Apply a JSONPath to an already decoded document."""
        if self._jsonpath is None:
            return self.get(json.dumps(document, ensure_ascii=False))
        values = [m.value for m in self._jsonpath.find(document)]
        if _INDEFINITE.search(repr(self._jsonpath)):
            return GJSONResult.of_value(values)
        return GJSONResult.of_value(values[0]) if values else GJSONResult.missing()


def compile_path(expr: str, location: Location | None = None) -> CompiledPath:
    """Check and compile a GJSON path, or a JSONPath when ``expr`` starts with ``$``.

    Raises :class:`PathError` naming the bad part and its column, and
    :class:`UnsupportedPathError` for GJSON hdkit cannot answer the way the PBX does.
    """
    where = location or Location(field="path")
    if not expr.strip():
        raise PathError("empty path", where.at(1, 1), hint="write a GJSON path such as 'data.#.id'")
    if expr.lstrip().startswith("$"):
        return CompiledPath(expr, "jsonpath", where, _jsonpath=_parse_jsonpath(expr, where))
    _check_gjson(expr, where)
    return CompiledPath(expr, "gjson", where, _gjson=pygjson.compile(expr))


def _parse_jsonpath(expr: str, where: Location) -> JSONPath:
    try:
        return parse_jsonpath(expr)
    except (JSONPathError, ValueError, TypeError) as exc:
        found = re.search(r"at (\d+):(\d+)", str(exc))
        col = int(found.group(2)) + 1 if found else len(expr) + 1
        near = re.search(r"near token (\S+)", str(exc))
        what = f"unexpected {near.group(1)!r}" if near else "unexpected end of path"
        raise PathError(
            f"invalid JSONPath: {what}",
            where.at(1, col),
            hint="JSONPath looks like '$.data.items[0].id' or '$.items[*].id'",
            snippet=caret_snippet(expr, 1, col),
        ) from exc


def _load_json(json_text: str, location: Location) -> Any:
    try:
        return json.loads(json_text)
    except json.JSONDecodeError as exc:
        raise PathError(
            f"response body is not valid JSON: {exc.msg}",
            Location(location.section, "response body", exc.lineno, exc.colno, location.source),
            snippet=caret_snippet(json_text, exc.lineno, exc.colno),
        ) from exc


# --------------------------------------------------------------------------- templated paths


def escape_query_value(text: str) -> str:
    """Escape a value for a quoted GJSON query string: backslashes and double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_path(path: str, data: Mapping[str, Any], location: Location | None = None) -> str:
    """Render the template actions in a path, each printed value escaped for a GJSON query.

    ``data.#(phone=="{{.Phone}}")#.id`` with ``Phone='5"1'`` gives ``data.#(phone=="5\\"1")#.id``.
    """
    if "{{" not in path:
        return path
    template = compile_template(path, name=str(location) if location else "path")
    return template.render(dict(data), hook=lambda _start, text, _pos: escape_query_value(text))
