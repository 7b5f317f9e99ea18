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
from typing import Any

import pygjson

from hdkit.errors import Location, PathError, caret_snippet

__all__ = ["MAX_JSON_DEPTH", "check_json", "check_nesting", "load_json", "too_deep"]

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
    if json_text.count("[") + json_text.count("{") < _CHEAP_OPENERS:
        return
    depth = 0
    for token in _TOKEN.finditer(json_text):
        c = token.group()
        if c in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                before = json_text[: token.start()]
                line = before.count("\n") + 1
                column = token.start() - before.rfind("\n")
                raise PathError(
                    f"response body nests deeper than {MAX_JSON_DEPTH} levels",
                    _body(location, line, column),
                    hint="the helpdesk response is not a realistic record list; check the endpoint",
                )
        elif c in "]}":
            depth -= 1


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
    if not pygjson.validate(json_text):
        load_json(json_text, location)
