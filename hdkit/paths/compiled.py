"""Compiled paths: GJSON (what the PBX uses) and JSONPath (``$``-rooted), one API.

Templates map response fields with GJSON; follow-up requests may use JSONPath
(``$.data.access_token``), answered by jsonpath-ng. :func:`compile_path` checks either once
and returns a :class:`CompiledPath` to apply to many documents. Paths may hold template actions
(``data.#(phone=="{{.Phone}}")#.id``): :func:`render_path` renders them first, escaping each
printed value for a GJSON query string, and a rendered value is never read as path syntax.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pygjson
from jsonpath_ng import JSONPath
from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext import parse as parse_jsonpath

from hdkit.errors import Location, PathError, caret_snippet
from hdkit.gotemplate import compile as compile_template

from .document import load_json
from .gjson import answer
from .results import GJSONResult
from .syntax import check_size, fast_path

__all__ = ["CompiledPath", "PathKind", "compile_path", "escape_query_value", "render_path"]

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
            return answer(json_text, self.expr, self._gjson, self.location)
        return self.find(load_json(json_text, self.location))

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

    Raises :class:`PathError` naming the bad part and its column: an empty path, a JSONPath
    that does not parse, a path too long or nesting too deep. Any other GJSON path is
    answered the way the PBX answers it, malformed or not.
    """
    where = location or Location(field="path")
    if not expr.strip():
        raise PathError("empty path", where.at(1, 1), hint="write a GJSON path such as 'data.#.id'")
    if expr.lstrip().startswith("$"):
        check_size(expr, where)
        return CompiledPath(expr, "jsonpath", where, _jsonpath=_parse_jsonpath(expr, where))
    check_size(expr, where)
    return CompiledPath(expr, "gjson", where, _gjson=pygjson.compile(expr) if fast_path(expr) else None)


def _parse_jsonpath(expr: str, where: Location) -> JSONPath:
    try:
        return parse_jsonpath(expr)
    except RecursionError as exc:
        raise PathError("JSONPath nests too deeply", where.at(1, 1)) from exc
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