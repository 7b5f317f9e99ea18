"""GJSON lookups answered the way Go gjson 1.14.4 answers them, every path.

Two engines, one answer. pygjson (gjson.rs) answers ordinary paths in one native call; where
the oracle showed it answering differently from Go in search order or presentation, the answer
is patched here: Go's fall-through to the next matching key when the rest of the path misses
(``f*.0.first``, duplicate keys), multipaths under a missing parent, empty query projections
followed by a pipe. Every other path (modifiers gjson.rs lacks, literals, legacy queries,
malformed paths...) goes to hdkit's own evaluator, :mod:`.evaluate`; :func:`.syntax.fast_path`
decides, once per path. Only a path too long or too deeply nested is refused.
"""

from __future__ import annotations

import re

import pygjson

from hdkit.errors import Location

from .document import check_nesting, is_container_json, too_deep
from .evaluate import evaluate
from .results import GJSONResult, from_pygjson, from_value
from .syntax import (
    Part, chained, check_size, fast_path, is_projection_query, is_query, is_wild, plain_key, split_path,
)

__all__ = ["answer", "gjson_get", "lookup", "oracle_gjson"]


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


def _wild_chain(parts: list[Part]) -> bool:
    """True when a wildcard key has more path after it in the leading ``a.b*.c`` chain.

    gjson.rs answers those differently from Go (``*.*`` over an array), so hdkit walks them.
    """
    for part, nxt in zip(parts, parts[1:]):
        if not plain_key(part.text) or not chained(nxt):
            return False
        if is_wild(part.text):
            return True
    return False


def _fall_through(node: pygjson.Result, path: str, parts: list[Part]) -> pygjson.Result | None:
    """Go's search order: when the rest of a path misses under the first matching key, Go
    tries the next matching key (wildcards, duplicate keys). gjson.rs stops at the first."""
    head, rest = parts[0], parts[1:]
    if not rest or not chained(rest[0]) or not plain_key(head.text):
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
    parts = split_path(path, 0)
    if not _wild_chain(parts):
        found = node.get(path)
        if found.exists():
            return found
    return _fall_through(node, path, parts)


_MISSING_RESULT = pygjson.get("{}", "missing")



def lookup(json_text: str, path: str, compiled: pygjson.Path | None = None) -> pygjson.Result:
    """pygjson's answer, corrected where Go differs (see the guards). Only for paths
    :func:`.syntax.fast_path` accepts."""
    found = _gjson_walk(json_text, path, compiled)
    if "#(" in path and "|" in path:
        return _empty_projection_guard(json_text, path, found)
    return found


def answer(json_text: str, path: str, compiled: pygjson.Path | None = None,
           location: Location | None = None) -> GJSONResult:
    """The result of a size-checked path: pygjson where it answers like Go (a path
    :func:`.syntax.fast_path` accepts, over valid JSON), else hdkit's evaluator."""
    if fast_path(path) and is_container_json(json_text):
        return from_pygjson(lookup(json_text, path, compiled))
    check_nesting(json_text, location)
    try:
        return from_value(evaluate(json_text, path))
    except RecursionError as exc:  # a modifier walking a value nested hundreds deep
        raise too_deep(location) from exc


def _gjson_walk(json_text: str, path: str, compiled: pygjson.Path | None) -> pygjson.Result:
    """pygjson's answer (one native call on the fast path), in Go's search order."""
    wild = ("*" in path or "?" in path) and _wild_chain(split_path(path, 0))
    if not wild:
        found = pygjson.get(json_text, compiled if compiled is not None else path)
        if found.exists() or "." not in path:
            return _multipath_guard(json_text, path, found)
        if not plain_key(split_path(path, 0)[0].text):
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
    parts = split_path(path, 0)
    for i, part in enumerate(parts[:-1]):
        if is_projection_query(part.text):
            rest = parts[i + 1 :]
            if rest[0].sep != "." or all(p.sep != "|" for p in rest[1:]):
                return found
            array = pygjson.get(json_text, path[: part.start - 1]) if i else pygjson.parse(json_text)
            matches = pygjson.get(json_text, path[: rest[0].start - 1])
            if array.type_ is list and matches.type_ is list and len(matches) == 0:
                return _EMPTY_ARRAY_RESULT
            return found
    return found


def _multipath_guard(json_text: str, path: str, found: pygjson.Result) -> pygjson.Result:
    """Go answers ``a.b.{x}`` as missing when ``a`` is not an object or array (and
    ``a.#(q).{x}`` when no element of the array ``a`` matches); gjson.rs answers ``{}``/``[]``."""
    if not found.exists() or ("{" not in path and "[" not in path):
        return found
    parts = split_path(path, 0)
    at = next((i for i, p in enumerate(parts) if i and p.text[:1] in ("{", "[")), None)
    if at is None:
        return found
    last = parts[at - 1]
    if at > 1:
        base = lookup(json_text, path[: last.start - 1])
    else:
        try:
            base = pygjson.parse(json_text)
        except Exception:  # noqa: BLE001 - not JSON at all: no container to select from
            return _MISSING_RESULT
    if base.type_ not in (dict, list):
        return _MISSING_RESULT
    if last.text.startswith("#(") and base.type_ is dict and re.search(r"(?<!\\)[.|]", last.text):
        return _MISSING_RESULT  # Go reads a query over an object as a key, cut at its first '.'
    if is_query(last.text) and base.type_ is list and parts[at].sep == ".":
        if not pygjson.get(json_text, path[: parts[at].start - 1]).exists():
            return _MISSING_RESULT
    return found


def gjson_get(json_text: str, path: str, location: Location | None = None) -> GJSONResult:
    """Look up ``path`` in ``json_text`` the way Go gjson 1.14.4 does: ``(exists, String())``
    plus ``raw``, ``type`` and ``value()``.

    Raises :class:`PathError` only for a path longer than
    :data:`~hdkit.paths.syntax.MAX_PATH_LENGTH` or nesting brackets deeper than
    :data:`~hdkit.paths.syntax.MAX_PATH_NESTING`, and for a body nested too deeply to read.
    """
    check_size(path, location or Location(field="path"))
    return answer(json_text, path, location=location)


def oracle_gjson(json_text: str, path: str) -> tuple[bool, str]:
    """Adapter for the oracle harness: ``(exists, String())``."""
    result = gjson_get(json_text, path)
    return result.exists, result.string
