"""Looked-up values as Go's gjson ``Result`` prints them.

The PBX stores what ``Result.String()`` gives: integers as written, other numbers through
``strconv.FormatFloat(f, 'f', -1, 64)`` (``1e3`` -> ``1000``), ``null`` as ``""``, arrays and
objects as their JSON text. :class:`GJSONResult` carries that text next to the Python value, and
:data:`MISSING` keeps "no value here" apart from JSON ``null``.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from collections.abc import Callable
from typing import Any, Literal

import pygjson

from .bodies import too_deep
from .lenient import FALSE, JSON, NUMBER, STRING, TRUE, Value, for_each

__all__ = [
    "MISSING", "GJSONResult", "ResultType", "format_go_float", "from_pygjson", "from_value", "go_string",
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


class _Decode:
    """A JSON value's Python form, decoded when it is first asked for (see ``value()``)."""

    __slots__ = ("_decode",)

    def __init__(self, decode: Callable[[], Any]) -> None:
        self._decode = decode

    def __call__(self) -> Any:
        return self._decode()


class GJSONResult(tuple[bool, str]):
    """One looked-up value, mirroring Go gjson's ``Result``.

    It is the pair ``(exists, string)``, what the oracle harness compares, where ``string``
    equals Go's ``String()``. ``raw`` is the JSON text of the value (for strings found by
    pygjson re-encoded: gjson.rs does not expose the source bytes), ``type`` Go's type name,
    :meth:`value` the decoded Python value. Immutable; equal when all of these are.
    """

    raw: str
    type: ResultType
    _value: Any

    def __new__(cls, exists: bool, string: str, raw: str = "", type: ResultType = "Null",
                value: Any = MISSING) -> GJSONResult:
        self = super().__new__(cls, (exists, string))
        for name, item in (("raw", raw), ("type", type), ("_value", value)):
            object.__setattr__(self, name, item)
        return self

    @property
    def exists(self) -> bool:
        return self[0]

    @property
    def string(self) -> str:
        return self[1]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"GJSONResult is immutable (tried to set {name!r})")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GJSONResult):
            return tuple(self) == tuple(other) and (self.raw, self.type) == (other.raw, other.type)
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((tuple(self), self.raw, self.type))

    def __repr__(self) -> str:
        return f"GJSONResult(exists={self.exists!r}, string={self.string!r}, raw={self.raw!r}, type={self.type!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (GJSONResult, (self.exists, self.string, self.raw, self.type, self.value()))

    def value(self) -> Any:
        """The Python value: ``MISSING`` when absent, ``None`` for JSON null.

        An array or object is decoded here, on first use, not by the lookup: Go answers a path
        into a body nested a thousand levels deep, so ``exists`` and ``string`` must not wait on
        a decoding that Python's recursion limit stops (that raises here, as a located error).
        """
        if isinstance(self._value, _Decode):
            object.__setattr__(self, "_value", self._value())
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


_TYPE_NAMES: tuple[ResultType, ...] = ("Null", "False", "Number", "String", "True", "JSON")


def from_value(found: Value) -> GJSONResult:
    """hdkit's own evaluator's answer as a result (its ``raw`` is the source text)."""
    if not found.exists:
        return GJSONResult.missing()
    kind = found.kind
    value = _Decode(lambda: _python_value(found)) if kind == JSON else _python_value(found)
    return GJSONResult(True, found.string(), found.raw, _TYPE_NAMES[kind], value)


def _python_value(found: Value) -> Any:
    kind = found.kind
    if kind == STRING:
        return found.str
    if kind == NUMBER:
        return int(found.raw) if _INTEGER.fullmatch(found.raw) else found.num
    if kind in (TRUE, FALSE):
        return kind == TRUE
    if kind != JSON:
        return None
    try:
        return json.loads(found.raw)
    except ValueError:  # lenient gjson text: read it the way gjson does
        try:
            return _lenient_value(found)
        except RecursionError as exc:
            raise too_deep() from exc
    except RecursionError as exc:
        raise too_deep() from exc


_INTEGER = re.compile(r"-?[0-9]+")


def _lenient_value(found: Value) -> Any:
    if found.kind != JSON:
        return _python_value(found)
    if found.is_object():
        return {key.string(): _lenient_value(item) for key, item in for_each(found)}
    return [_lenient_value(item) for _, item in for_each(found)]


def from_pygjson(res: pygjson.Result) -> GJSONResult:
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
    return GJSONResult(True, text, text, "JSON", _Decode(lambda: _json_value(res, text)))


def _json_value(res: pygjson.Result, raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:  # lenient gjson text: walk pygjson's own tree instead
        try:
            return _tree_value(res)
        except RecursionError as exc:
            raise too_deep() from exc
    except RecursionError as exc:
        raise too_deep() from exc


def _tree_value(res: pygjson.Result) -> Any:
    value = res.value
    if isinstance(value, list):
        return [_tree_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _tree_value(v) for k, v in value.items()}
    return value
