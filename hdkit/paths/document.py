"""Response bodies: is it JSON, and is it safe to hand to gjson.rs?

pygjson answers lookups on any text (gjson is lenient), but hdkit also validates bodies and
decodes values into Python, and two things there can take the process down rather than fail:
``pygjson.validate`` recurses once per nesting level and overflows the native stack on a
body of a few hundred thousand ``[``, and ``json.loads`` gives up at Python's recursion limit.
Both become a :class:`~hdkit.errors.PathError` that says where the body is too deep.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import pygjson

from hdkit.errors import Location, PathError, caret_snippet

__all__ = ["MAX_JSON_DEPTH", "check_json", "check_nesting", "is_container_json", "load_json", "too_deep"]

MAX_JSON_DEPTH = 10_000
_CHEAP_OPENERS = 100_000  # fewer openers than this cannot nest deep enough to hurt validate()
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _body(location: Location | None, line: int | None = None, column: int | None = None) -> Location:
    where = location or Location()
    return Location(where.section, "response body", line, column, where.source)


def too_deep(location: Location | None = None) -> PathError:
    """The error for a value nested deeper than Python can decode."""
    return PathError(
        "JSON value nests too deeply to decode (hundreds of levels of arrays or objects)",
        _body(location),
        hint="the helpdesk response is not a realistic record list; check the endpoint",
    )


def check_nesting(json_text: str, location: Location | None = None) -> None:
    """Refuse a body nested deeper than :data:`MAX_JSON_DEPTH`, at the first bracket too deep.

    Cheap for realistic bodies: only text with very many brackets is scanned.
    """
    at = _too_deep_at(json_text)
    if at is not None:
        before = json_text[:at]
        line = before.count("\n") + 1
        column = at - before.rfind("\n")
        raise PathError(
            f"response body nests deeper than {MAX_JSON_DEPTH} levels",
            _body(location, line, column),
            hint="the helpdesk response is not a realistic record list; check the endpoint",
        )


def _too_deep_at(json_text: str) -> int | None:
    """Offset of the first bracket nested deeper than :data:`MAX_JSON_DEPTH`, if any."""
    if json_text.count("[") + json_text.count("{") < _CHEAP_OPENERS:
        return None
    depth = 0
    for token in _TOKEN.finditer(json_text):
        c = token.group()
        if c in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return token.start()
        elif c in "]}":
            depth -= 1
    return None


def load_json(json_text: str, location: Location | None = None) -> Any:
    """``json.loads`` with a :class:`PathError` naming line and column of the body."""
    check_nesting(json_text, location)
    try:
        return json.loads(json_text)
    except json.JSONDecodeError as exc:
        raise PathError(
            f"response body is not valid JSON: {exc.msg}",
            _body(location, exc.lineno, exc.colno),
            hint="check the helpdesk's Content-Type and the request; the body is not JSON",
            snippet=caret_snippet(json_text, exc.lineno, exc.colno),
        ) from exc
    except RecursionError as exc:
        raise too_deep(location) from exc


def check_json(json_text: str, location: Location | None = None) -> None:
    """Raise :class:`PathError` saying where (line/column of the body) when it is not JSON."""
    check_nesting(json_text, location)
    if not _valid(json_text):
        load_json(json_text, location)


def is_container_json(json_text: str) -> bool:
    """Valid JSON with an object or array at the top, nested within :data:`MAX_JSON_DEPTH`:
    the documents pygjson reads like Go.

    gjson reads any other text leniently (and finds ``[1]`` inside ``"a [1]"``); hdkit's own
    evaluator answers those. Remembered for the last few bodies, so reading many fields from
    one response costs one validation.
    """
    return _container(json_text)


@lru_cache(maxsize=8)
def _container(json_text: str) -> bool:
    if _too_deep_at(json_text) is not None:
        return False
    return _valid(json_text) and json_text.lstrip(" \t\r\n")[:1] in ("{", "[")


@lru_cache(maxsize=8)
def _valid(json_text: str) -> bool:
    return bool(pygjson.validate(json_text))
