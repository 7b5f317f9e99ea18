"""The functions a template can call: Go's built-ins and Yeastar's four.

Each is a plain Python function over template values (see :mod:`.gofmt` for how Python values
stand for Go ones) that raises :class:`FuncError` where Go's returns an error; the evaluator
turns that into ``error calling NAME: ...``. :class:`Signature` records what Go's reflection
would check before the call: the number of fixed parameters, whether the function is
variadic, and which parameters must be strings.

Yeastar's functions follow ``/work/shared/oracle/oracle.go`` exactly: ``TimeFormat`` with its
Java/.NET token grammar and ``TZ``-driven local zone, ``ToMillis`` with int64 wrap-around,
``Capitalize`` with Go's single-rune ``unicode.ToUpper``, ``UrlEncode`` as ``QueryEscape``
with ``%20``.
"""

from __future__ import annotations

import inspect
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from hdkit.secrets import Secret

from .gofmt import quote as go_quote
from .gostr import from_bytes, to_bytes
from .gofmt import GoByte, GoInt, shown, sprint, sprint_value, sprintf, sprintln, type_name

__all__ = ["BUILTINS", "FuncError", "MapElement", "Signature", "is_true", "signature_of"]


class FuncError(Exception):
    """A function's error result (Go's second return value)."""


@dataclass(frozen=True, slots=True)
class Signature:
    """What Go checks before calling: ``fixed`` parameters, ``variadic`` rest, and the
    indexes of parameters typed ``string`` (everything else is ``interface{}``)."""

    fn: Callable[..., Any]
    fixed: int
    variadic: bool = False
    strings: frozenset[int] = frozenset()


def signature_of(fn: Callable[..., Any]) -> Signature:
    """A signature for a user function: its required positional parameters are fixed; optional
    ones or ``*args`` make it variadic. Functions Python cannot inspect take anything."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return Signature(fn, 0, True)
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    fixed = sum(1 for p in positional if p.default is p.empty)
    variadic = fixed < len(positional) or any(p.kind == p.VAR_POSITIONAL for p in params)
    return Signature(fn, fixed, variadic)


# ----------------------------------------------------------------------------- truth, kinds


def is_true(v: Any) -> bool:
    """Go's ``isTrue``: empty, zero, false and nil are false."""
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, complex)):
        return v != 0
    if isinstance(v, (str, Secret, Mapping, list, tuple)):
        return len(v) > 0
    return True


def _kind(v: Any) -> str:
    """Go's ``basicKind``: bool, int, float, complex, string, or invalid (nil, maps, slices)."""
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, complex):
        return "complex"
    if isinstance(v, (str, Secret)):
        return "string"
    return "invalid"


def _plain(v: Any) -> Any:
    return v.reveal() if isinstance(v, Secret) else v


def eq(arg1: Any, *arg2: Any) -> bool:
    if not arg2:
        raise FuncError("missing argument for comparison")
    k1 = _kind(arg1)
    a1 = _plain(arg1)
    for arg in arg2:
        k2 = _kind(arg)
        if k1 != k2:
            if arg1 is not None and arg is not None:
                raise FuncError("incompatible types for comparison")
            truth = False
        elif k1 != "invalid":
            truth = a1 == _plain(arg)
        elif arg1 is None or arg is None:
            truth = arg1 is None and arg is None
        else:
            raise FuncError(f"non-comparable type {shown(arg)}: {type_name(arg)}")
        if truth:
            return True
    return False


def ne(arg1: Any, arg2: Any) -> bool:
    return not eq(arg1, arg2)


def lt(arg1: Any, arg2: Any) -> bool:
    k1, k2 = _kind(arg1), _kind(arg2)
    if k1 == "invalid" or k2 == "invalid":
        raise FuncError("invalid type for comparison")
    if k1 != k2:
        raise FuncError("incompatible types for comparison")
    if k1 in ("bool", "complex"):
        raise FuncError("invalid type for comparison")
    a, b = _plain(arg1), _plain(arg2)
    if isinstance(a, str):  # Go compares strings byte by byte
        return to_bytes(a) < to_bytes(b)
    return a < b


def le(arg1: Any, arg2: Any) -> bool:
    return lt(arg1, arg2) or eq(arg1, arg2)


def gt(arg1: Any, arg2: Any) -> bool:
    return not le(arg1, arg2)


def ge(arg1: Any, arg2: Any) -> bool:
    return not lt(arg1, arg2)


def not_(arg: Any) -> bool:
    return not is_true(arg)


# ----------------------------------------------------------------------------- collections


def length(item: Any) -> int:
    item = _plain(item)
    if item is None:
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return GoInt(len(to_bytes(item)))
    if isinstance(item, (Mapping, list, tuple)):
        return GoInt(len(item))
    raise FuncError(f"len of type {type_name(item)}")


def _index_arg(index: Any, cap: int) -> int:
    if index is None:
        raise FuncError("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise FuncError(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index > cap:
        raise FuncError(f"index out of range: {index}")
    return index


def index(item: Any, *indexes: Any) -> Any:
    item = _plain(item)
    if item is None:
        raise FuncError("index of untyped nil")
    for ix in indexes:
        ix = _plain(ix)
        if item is None:
            raise FuncError("index of nil pointer")
        if isinstance(item, str):
            data = to_bytes(item)
            x = _index_arg(ix, len(data))
            if x >= len(data):
                raise FuncError(f"reflect: string index out of range")
            item = GoByte(data[x])
        elif isinstance(item, (list, tuple)):
            x = _index_arg(ix, len(item))
            if x >= len(item):
                raise FuncError(f"reflect: slice index out of range")
            item = _plain(item[x])
        elif isinstance(item, Mapping):
            if ix is None:
                raise FuncError("value is nil; should be of type string")
            if not isinstance(ix, str):
                raise FuncError(f"value has type {type_name(ix)}; should be string")
            item = _plain(item.get(ix))
        else:
            raise FuncError(f"can't index item of type {type_name(item)}")
    return item


class MapElement:
    """A slice index read straight from a map (``slice .S .From``). Go 1.19's ``slice``, unlike
    ``index``, does not unwrap such ``interface{}`` values, so it rejects them."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _slice_index(ix: Any, cap: int) -> int:
    if isinstance(ix, MapElement):
        if ix.value is None:
            raise FuncError("cannot index slice/array with nil")
        raise FuncError("cannot index slice/array with type interface {}")
    return _index_arg(_plain(ix), cap)


def slice_(item: Any, *indexes: Any) -> Any:
    item = _plain(item)
    if item is None:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    is_str = isinstance(item, str)
    if is_str:
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data: Any = to_bytes(item)
    elif isinstance(item, (list, tuple)):
        data = item
    else:
        raise FuncError(f"can't slice item of type {type_name(item)}")
    idx = [0, len(data), len(data)]
    for i, ix in enumerate(indexes):
        idx[i] = _slice_index(ix, len(data))
    if idx[0] > idx[1]:
        raise FuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise FuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    part = data[idx[0] : idx[1]]
    return from_bytes(part) if is_str else list(part)


def call(fn: Any, *args: Any) -> Any:
    if fn is None:
        raise FuncError("call of nil")
    if not callable(fn):
        raise FuncError(f"non-function of type {type_name(fn)}")
    try:
        return fn(*args)
    except FuncError:
        raise
    except Exception as exc:  # a user function failing is the template's error
        raise FuncError(str(exc)) from exc


# ----------------------------------------------------------------------------- escapers


def _eval_args(args: tuple[Any, ...]) -> str:
    """Go's ``evalArgs``: a lone string as is, otherwise ``fmt.Sprint`` with nil as <no value>."""
    if len(args) == 1 and isinstance(args[0], (str, Secret)):
        return _plain(args[0])
    return sprint(["<no value>" if a is None else a for a in args])


_HTML = str.maketrans({'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"})


def html_escaper(*args: Any) -> str:
    return _eval_args(args).translate(_HTML)


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}


def js_escaper(*args: Any) -> str:
    out = []
    for c in _eval_args(args):
        if c in _JS:
            out.append(_JS[c])
        elif c < " ":
            out.append(f"\\u00{ord(c):02X}")
        elif ord(c) >= 0x80 and not c.isprintable():
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


def urlquery_escaper(*args: Any) -> str:
    return quote_plus(to_bytes(_eval_args(args)), safe="")


def printf(fmt: str, *args: Any) -> str:
    return sprintf(fmt, args)


# ----------------------------------------------------------------------------- Yeastar

_INT = re.compile(r"[+-]?\d+")
_GO_FLOAT = re.compile(
    r"[+-]?(?:(?:\d+(?:_\d+)*)?\.?(?:\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?"
    r"|0[xX][\da-fA-F_]*\.?[\da-fA-F_]*[pP][+-]?\d+|inf|infinity|nan)",
    re.IGNORECASE,
)
_INT64 = 2**63


def _wrap64(n: int) -> int:
    """Go's int64 arithmetic wrap-around."""
    return (n + _INT64) % (2 * _INT64) - _INT64


def _float_to_int64(x: float) -> int:
    """Go's ``int64(x)`` on amd64: truncation, and math.MinInt64 when out of range."""
    return int(x) if -_INT64 <= x < _INT64 else -_INT64


def _go_space_trim(s: str) -> str:
    return s.strip(" \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _parse_float(s: str) -> float | None:
    """Go's ``strconv.ParseFloat(s, 64)``; None where it errors (including out of range)."""
    if not s or not _GO_FLOAT.fullmatch(s) or not any(c.isdigit() for c in s) and s.lower().lstrip("+-") not in ("inf", "infinity", "nan"):
        return None
    try:
        body = s.replace("_", "")
        f = float.fromhex(body) if "x" in body.lower() else float(body)
    except (ValueError, OverflowError):
        return None
    if math.isinf(f) and s.lower().lstrip("+-") not in ("inf", "infinity"):
        return None
    return f


def _to_int64(name: str, v: Any) -> int:
    secret = isinstance(v, Secret)
    v = _plain(v)
    if isinstance(v, bool):
        raise FuncError(f"{name}: invalid timestamp of type bool")
    if isinstance(v, int):
        return _wrap64(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise FuncError(f"{name}: invalid timestamp {sprint_value(v)}")
        return _float_to_int64(v)
    if isinstance(v, str):
        s = _go_space_trim(v)
        if _INT.fullmatch(s) and -_INT64 <= int(s) < _INT64:
            return int(s)
        f = _parse_float(s)
        if f is not None and not math.isnan(f) and not math.isinf(f):
            return _float_to_int64(f)
        raise FuncError(f"{name}: invalid timestamp {go_quote(shown(Secret(v)) if secret else v)}")
    if v is None:
        raise FuncError(f"{name}: missing timestamp")
    raise FuncError(f"{name}: invalid timestamp of type {type_name(v)}")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@lru_cache(maxsize=256)
def _time_tokens(fmt: str) -> tuple[tuple[str, int] | str, ...]:
    """Split a TimeFormat pattern into literal strings and (letter, run length) tokens."""
    out: list[tuple[str, int] | str] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "'":
            if i + 1 < n and fmt[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            j = fmt.find("'", i + 1)
            if j < 0:
                out.append(fmt[i + 1 :])
                break
            out.append(fmt[i + 1 : j])
            i = j + 1
            continue
        run = 1
        while i + run < n and fmt[i + run] == c:
            run += 1
        if c in "yMdEHhmsSftaKz":
            out.append((c, run))
            i += run
        elif c == "Z":
            if run == 1 and i + 1 < n and fmt[i + 1] == "z":
                out.append(("K", 1))
                i += 2
            else:
                out.append(("Z", 1))
                i += 1
        else:
            out.append(c)
            i += 1
    return tuple(out)


def _offset(off: int, colon: bool, minutes: bool = True) -> str:
    sign = "-" if off < 0 else "+"
    off = abs(off)
    hh, mm = off // 3600, (off % 3600) // 60
    if not minutes:
        return f"{sign}{hh:02d}"
    return f"{sign}{hh:02d}:{mm:02d}" if colon else f"{sign}{hh:02d}{mm:02d}"


def _format_time(tm: time.struct_time, off: int, fmt: str) -> str:
    out: list[str] = []
    for tok in _time_tokens(fmt):
        if isinstance(tok, str):
            out.append(tok)
            continue
        c, n = tok
        if c == "y":
            y = tm.tm_year
            out.append(f"{y:04d}" if n >= 3 else f"{y % 100:02d}" if n == 2 else str(y))
        elif c == "M":
            m = tm.tm_mon
            out.append(_MONTHS[m - 1] if n >= 4 else _MONTHS[m - 1][:3] if n == 3 else f"{m:02d}" if n == 2 else str(m))
        elif c == "d":
            d = tm.tm_mday
            day = _DAYS[tm.tm_wday]
            out.append(day if n >= 4 else day[:3] if n == 3 else f"{d:02d}" if n == 2 else str(d))
        elif c == "E":
            day = _DAYS[tm.tm_wday]
            out.append(day if n >= 4 else day[:3])
        elif c == "H":
            out.append(f"{tm.tm_hour:02d}" if n >= 2 else str(tm.tm_hour))
        elif c == "h":
            h = tm.tm_hour % 12 or 12
            out.append(f"{h:02d}" if n >= 2 else str(h))
        elif c == "m":
            out.append(f"{tm.tm_min:02d}" if n >= 2 else str(tm.tm_min))
        elif c == "s":
            out.append(f"{tm.tm_sec:02d}" if n >= 2 else str(tm.tm_sec))
        elif c in "Sf":
            out.append("0" * n)
        elif c == "t":
            ap = "PM" if tm.tm_hour >= 12 else "AM"
            out.append(ap if n >= 2 else ap[0])
        elif c == "a":
            out.append("PM" if tm.tm_hour >= 12 else "AM")
        elif c == "K":
            out.append("Z" if off == 0 else _offset(off, True))
        elif c == "Z":
            out.append(_offset(off, False))
        else:  # z
            if n >= 3:
                out.append(_offset(off, True))
            elif n == 2:
                out.append(_offset(off, False, minutes=False))
            else:
                out.append(("-" if off < 0 else "+") + str(abs(off) // 3600))
    return "".join(out)


def time_format(tsv: Any, fmt: Any, *utc: Any) -> str:
    """``TimeFormat ts format [utc]``: unix seconds in a Java/.NET-style pattern."""
    ts = _to_int64("TimeFormat", tsv)
    flag = _go_space_trim(sprint([utc[0]])) if utc else ""
    if len(utc) > 1:
        raise FuncError("TimeFormat: too many arguments")
    try:
        if flag == "1" or flag.lower() == "true":
            tm, off = time.gmtime(ts), 0
        else:
            tm = time.localtime(ts)
            off = tm.tm_gmtoff or 0
    except (OverflowError, OSError, ValueError) as exc:
        raise FuncError(f"TimeFormat: timestamp {ts} is out of range") from exc
    return _format_time(tm, off, sprint([fmt]))


def to_millis(v: Any) -> int:
    """``ToMillis ts``: seconds to milliseconds as an int64 (floats keep their fraction)."""
    original, v = v, _plain(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise FuncError(f"ToMillis: invalid timestamp {sprint_value(v)}")
        x = v * 1000
        if math.isinf(x):
            return -_INT64
        whole = math.trunc(x)  # Go's math.Round: half away from zero, exact
        if abs(x - whole) >= 0.5:
            whole += 1 if x > 0 else -1
        return _float_to_int64(whole)
    if isinstance(v, str):
        s = _go_space_trim(v)
        if not (_INT.fullmatch(s) and -_INT64 <= int(s) < _INT64):
            f = _parse_float(s)
            if f is not None:
                return to_millis(f)
    return _wrap64(_to_int64("ToMillis", original) * 1000)


def _go_upper(c: str) -> str:
    """Go's ``unicode.ToUpper`` for one rune: the simple (single-rune) mapping only."""
    up = c.upper()
    if len(up) == 1:
        return up
    title = c.title()
    return title if len(title) == 1 else c


def capitalize(v: Any) -> str:
    """``Capitalize s``: the first rune upper-cased, the rest untouched; nil gives ""."""
    if v is None:
        return ""
    s = sprint([v])
    return _go_upper(s[0]) + s[1:] if s else s


def url_encode(v: Any) -> str:
    """``UrlEncode s``: ``url.QueryEscape`` with ``%20`` for spaces; nil gives ""."""
    if v is None:
        return ""
    return quote(to_bytes(sprint([v])), safe="")


BUILTINS: Mapping[str, Signature] = {
    "and": Signature(lambda *a: a[-1], 1, True),  # short-circuit: evaluated in execute
    "or": Signature(lambda *a: a[-1], 1, True),
    "not": Signature(not_, 1),
    "len": Signature(length, 1),
    "index": Signature(index, 1, True),
    "slice": Signature(slice_, 1, True),
    "call": Signature(call, 1, True),
    "print": Signature(lambda *a: sprint(a), 0, True),
    "printf": Signature(printf, 1, True, frozenset({0})),
    "println": Signature(lambda *a: sprintln(a), 0, True),
    "html": Signature(html_escaper, 0, True),
    "js": Signature(js_escaper, 0, True),
    "urlquery": Signature(urlquery_escaper, 0, True),
    "eq": Signature(eq, 1, True),
    "ne": Signature(ne, 2),
    "lt": Signature(lt, 2),
    "le": Signature(le, 2),
    "gt": Signature(gt, 2),
    "ge": Signature(ge, 2),
    "TimeFormat": Signature(time_format, 2, True),
    "ToMillis": Signature(to_millis, 1),
    "Capitalize": Signature(capitalize, 1),
    "UrlEncode": Signature(url_encode, 1),
}
