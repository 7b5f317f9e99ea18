"""Records out of a helpdesk response, the way the PBX maps response fields.

A template maps each output (``ContactID``, ``Email``...) to a path, sometimes several
comma-separated alternatives (``data.#(phone=="{{.Phone}}")#.id,data.#(mobile=="{{.Phone}}")#.id``).
Outputs whose paths yield arrays are zipped by index into records; scalars give one record or
are broadcast onto the array records. A value that is absent stays :data:`~hdkit.paths.MISSING`,
never confused with JSON ``null``.

Speed comes from pygjson: one native call per output answers a whole ``data.#.id`` column, so
there is no per-element Python work beyond decoding that column's JSON text once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from hdkit import arguments
from hdkit.errors import ArgumentError, Location
from hdkit.paths import MISSING, CompiledPath, GJSONResult, check_json, compile_path, load_json, render_path
from hdkit.paths.syntax import scan

__all__ = ["check_json_body", "extract_records", "extract_values", "split_paths"]

def split_paths(field: str) -> list[str]:
    """Split a field on the commas that separate alternative paths.

    Commas inside brackets, parentheses, braces (template actions, multipaths) and quoted
    strings belong to the path. Empty alternatives are dropped; each path is stripped.
    """
    paths: list[str] = []
    start = 0
    for i, c, depth in scan(field):
        if c == "," and not depth:
            paths.append(field[start:i])
            start = i + 1
    paths.append(field[start:])
    return [p.strip() for p in paths if p.strip()]


def check_json_body(json_text: str, location: Location | None = None) -> None:
    """Raise :class:`PathError` saying where (line/column of the body) when it is not JSON."""
    check_json(json_text, location)


@lru_cache(maxsize=2048)
def _compiled(expr: str, location: Location) -> CompiledPath:
    return compile_path(expr, location)


class _Document:
    """One response body, decoded at most once (for JSONPath) however many paths read it."""

    def __init__(self, json_text: str) -> None:
        self.text = json_text
        self._decoded: Any = MISSING

    def get(self, path: CompiledPath) -> GJSONResult:
        if path.kind == "gjson":
            return path.get(self.text)
        if self._decoded is MISSING:
            self._decoded = load_json(self.text)
        return path.find(self._decoded)


def _first_value(doc: _Document, field: str, data: Mapping[str, Any], where: Location) -> Any:
    """The value of the first alternative path that yields one.

    An empty array does not count, nor does an array whose every element lacks the field
    (``data.#.firstName`` over records that only have ``accountName``): the next alternative
    is tried, which is what a field mapped as ``data.#.firstName,data.#.accountName`` means.
    """
    fallback: Any = MISSING
    for expr in split_paths(field):
        rendered = render_path(expr, data, where) if "{{" in expr else expr
        result = doc.get(_compiled(rendered, where))
        if not result.exists:
            continue
        value = result.value()
        if isinstance(value, list):
            value = _aligned(doc, rendered, value, where)
        if value != [] and not (isinstance(value, list) and all(v is MISSING for v in value)):
            return value
        if fallback is MISSING:
            fallback = value
    return fallback


_PROJECTION = re.compile(r"^(?P<array>[^#|@{}\[\]()!*?\\]+)\.#\.(?P<rest>[^#|@{}\[\]()!\\]+)$")


def _aligned(doc: _Document, path: str, values: list[Any], where: Location) -> list[Any]:
    """Keep ``array.#.field`` aligned with the array: gjson drops the elements that lack the
    field, which would shift every later value onto the wrong record. When some are missing,
    ask again as ``array.#.[field]`` (one native call) and mark the gaps ``MISSING``."""
    found = _PROJECTION.match(path)
    if found is None:
        return values
    count = doc.get(_compiled(found["array"] + ".#", where)).value()
    if count == len(values):
        return values
    wrapped = doc.get(_compiled(f"{found['array']}.#.[{found['rest']}]", where)).value()
    return [w[0] if w else MISSING for w in wrapped]


def extract_records(
    json_text: str,
    mapping: Mapping[str, str],
    data: Mapping[str, Any] | None = None,
    location: Location | None = None,
) -> list[dict[str, Any]]:
    """Map a JSON response into records: output name -> path expression(s).

    An empty or blank path gives no column. Missing values are :data:`MISSING`.
    """
    where = location or Location()
    arguments.text(json_text, "extract_records", "json_text")
    if not isinstance(mapping, Mapping) or not all(isinstance(v, str) for v in mapping.values()):
        raise ArgumentError("mapping must map output names to path texts", Location("extract_records", "mapping"))
    check_json_body(json_text, where)
    doc = _Document(json_text)
    columns: dict[str, Any] = {}
    for name, field in mapping.items():
        if field.strip():
            output = Location(where.section, name, source=where.source)
            columns[name] = _first_value(doc, field, data or {}, output)
    return _zip(columns)


def _zip(columns: dict[str, Any]) -> list[dict[str, Any]]:
    arrays = {n: v for n, v in columns.items() if isinstance(v, list)}
    if not arrays:
        if all(v is MISSING for v in columns.values()):
            return []
        return [dict(columns)]
    size = max(len(v) for v in arrays.values())
    return [
        {n: (v[i] if i < len(v) else MISSING) if n in arrays else v for n, v in columns.items()}
        for i in range(size)
    ]


def extract_values(
    json_text: str, paths: list[str], location: Location | None = None
) -> list[Any]:
    """One value per path (GJSON or JSONPath), :data:`MISSING` when absent.

    Used for follow-up requests that carry values from one response into the next request.
    """
    where = location or Location()
    arguments.text(json_text, "extract_values", "json_text")
    if not isinstance(paths, (list, tuple)) or not all(isinstance(p, str) for p in paths):
        raise ArgumentError("paths must be a list of path texts", Location("extract_values", "paths"))
    check_json_body(json_text, where)
    doc = _Document(json_text)
    return [doc.get(_compiled(path, where)).value() for path in paths]
