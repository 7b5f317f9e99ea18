"""Go's ``fmt`` for template values: ``%v`` printing, ``Sprint``/``Sprintln``/``Sprintf``.

A template prints values through ``fmt.Fprint``, and ``print``/``printf``/``println`` are
``fmt.Sprint*``, so the output depends on Go's formatting rules, not Python's: floats print in
shortest form with ``e+06``-style exponents from 1e6 on, maps print as ``map[a:1 b:2]`` with
sorted keys, and a verb that does not fit its argument prints ``%!d(string=abc)``.

Python values stand for Go values: ``str`` string, ``bool`` bool, ``int`` int64 (:class:`GoInt`
is Go's ``int`` from literals, ``len`` and ``range`` indexes; :class:`GoByte` is a ``uint8``
from indexing a string), ``float`` float64, ``None`` nil, ``Mapping`` map[string]interface{},
``list``/``tuple`` []interface{}. A :class:`~hdkit.secrets.Secret` prints its revealed value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from hdkit.secrets import MASK, Secret

from .gostr import to_bytes

__all__ = ["GoByte", "GoInt", "format_float", "shown", "sprint", "sprint_value", "sprintf", "sprintln", "type_name"]


class GoInt(int):
    """A Go ``int`` (not ``int64``): only ``%T`` tells them apart."""

    __slots__ = ()


class GoByte(int):
    """A Go ``uint8``: what indexing a string yields."""

    __slots__ = ()


def type_name(v: Any) -> str:
    """Go's ``reflect.TypeOf(v).String()`` for the value a Python object stands for."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, GoInt):
        return "int"
    if isinstance(v, GoByte):
        return "uint8"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, complex):
        return "complex128"
    if isinstance(v, (str, Secret)):
        return "string"
    if isinstance(v, Mapping):
        return "map[string]interface {}"
    if isinstance(v, (list, tuple)):
        return "[]interface {}"
    if callable(v):
        return "func(...interface {}) interface {}"
    return type(v).__name__


def _shortest(f: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of ``abs(f)`` and the decimal point position."""
    r = repr(abs(f))
    mant, _, exp = r.partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    dp = len(whole) + (int(exp) if exp else 0) - (len(whole + frac) - len((whole + frac).lstrip("0")))
    digits = digits.rstrip("0")
    if not digits:
        return "0", 1
    return digits, dp


def format_float(f: float, verb: str = "g", prec: int = -1) -> str:
    """Go's ``strconv.FormatFloat(f, verb, prec, 64)`` for verbs e, E, f, F, g, G (``%v`` is
    ``'g', -1``), with Go's ``+Inf``/``-Inf``/``NaN``."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if prec >= 0 or verb not in "gG":
        return f"%.{6 if prec < 0 else prec}{'f' if verb == 'F' else verb}" % f
    digits, dp = _shortest(f)
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    exp = dp - 1
    if f != 0 and (exp < -4 or exp >= 6):
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        e = "e" if verb == "g" else "E"
        return f"{sign}{mant}{e}{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if f == 0:
        return sign + "0"
    if dp <= 0:
        return sign + "0." + "0" * -dp + digits
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return sign + digits[:dp] + "." + digits[dp:]


def _hex_float(f: float, upper: bool, prec: int = -1) -> str:
    """Go's ``%x`` of a float64: ``-0x1.8p+01``, mantissa rounded to ``prec`` hex digits."""
    if math.isnan(f) or math.isinf(f):
        return format_float(f)
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    mant, exp = 0, 0
    if f != 0:
        m, e = math.frexp(abs(f))  # abs(f) = m * 2**e, 0.5 <= m < 1
        mant, exp = int(m * 2**53), e - 1  # 1.xxx * 2**exp with 52 fraction bits
    digits = f"{mant & ((1 << 52) - 1):013x}" if f != 0 else "0" * 13
    lead = 1 if f != 0 else 0
    if prec >= 0 and prec < 13:
        shift = 52 - 4 * prec
        full = mant if f != 0 else 0
        q, r = divmod(full, 1 << shift)
        half = 1 << (shift - 1)
        if r > half or (r == half and q & 1):
            q += 1
        if q >> (4 * prec) >= 2:
            q >>= 1
            exp += 1
        lead = q >> (4 * prec) if f != 0 else 0
        digits = f"{q & ((1 << (4 * prec)) - 1):0{prec}x}" if prec else ""
    else:
        digits = digits.rstrip("0")
        if prec > 13:
            digits = digits.ljust(prec, "0")
    text = f"{sign}0x{lead}" + ("." + digits if digits else "") + f"p{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return text.upper() if upper else text


def _can_backquote(s: str) -> bool:
    """Go's ``strconv.CanBackquote``: no backquote, BOM or control character but tab."""
    return not any(c in "`\ufeff\x7f" or (c < " " and c != "\t") for c in s)


def _keep_zeros(text: str, digits: int) -> str:
    """Go's ``#`` flag on ``%g``: a decimal point always, and trailing zeros up to ``digits``
    significant digits (never fewer digits than the shortest form has)."""
    sign = text[0] if text[0] in "+-" else ""
    body = text[len(sign) :]
    mant, e, exp = body.partition("e") if "e" in body else body.partition("E")
    seen_nonzero = False
    for c in mant:
        if c == ".":
            continue
        seen_nonzero = seen_nonzero or c != "0"
        if seen_nonzero:
            digits -= 1
    if "." not in mant:
        if mant == "0":
            digits -= 1
        mant += "."
    return sign + mant + "0" * max(digits, 0) + e + exp


def quote(s: str, ascii_only: bool = False) -> str:
    """Go's ``strconv.Quote`` (``QuoteToASCII`` when ``ascii_only``)."""
    out = ['"']
    for c in s:
        o = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif 0xDC80 <= o <= 0xDCFF:  # a byte that is not UTF-8 (see gostr)
            out.append(f"\\x{o - 0xDC00:02x}")
        elif c.isprintable() and (not ascii_only or o < 128):
            out.append(c)
        elif c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _quote_rune(r: int, ascii_only: bool = False) -> str:
    if r > 0x10FFFF or 0xD800 <= r <= 0xDFFF or r < 0:
        r = 0xFFFD
    c = chr(r)
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    return "'" + quote(c, ascii_only)[1:-1] + "'"


# ----------------------------------------------------------------------------- %v printing


def sprint_value(v: Any) -> str:
    """``fmt.Sprint(v)`` for one value (what an action prints for a non-nil value)."""
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return format_float(v)
    return _Printer().value(v, "v", 0)


def shown(v: Any) -> str:
    """``%v`` of a value for an error message: like :func:`sprint_value`, secrets masked."""
    return "<nil>" if v is None else _Printer(mask=True).value(v, "v", 0)


def sprint(args: Sequence[Any]) -> str:
    """``fmt.Sprint``: spaces only between operands when neither is a string."""
    out = []
    prev_string = False
    for i, a in enumerate(args):
        is_string = isinstance(a, (str, Secret))
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append("<nil>" if a is None else sprint_value(a))
        prev_string = is_string
    return "".join(out)


def sprintln(args: Sequence[Any]) -> str:
    """``fmt.Sprintln``: operands joined by spaces, plus a newline."""
    return " ".join("<nil>" if a is None else sprint_value(a) for a in args) + "\n"


class _Flags:
    __slots__ = ("plus", "minus", "sharp", "space", "zero", "width", "prec", "plus_v", "sharp_v")

    def __init__(self) -> None:
        self.plus = self.minus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False
        self.width: int | None = None
        self.prec: int | None = None


class _Printer:
    """One ``Sprintf`` call's formatting state (Go's ``pp``). With ``mask``, secrets print
    masked: for error messages, which must never carry a secret."""

    def __init__(self, mask: bool = False) -> None:
        self.f = _Flags()
        self.mask = mask

    # -- padding -------------------------------------------------------------------------
    def pad(self, s: str, zero_ok: bool = True) -> str:
        f = self.f
        if f.width is None or len(s) >= f.width:
            return s
        fill = f.width - len(s)
        if f.minus:
            return s + " " * fill
        if f.zero and zero_ok:
            return "0" * fill + s
        return " " * fill + s

    # -- by kind ---------------------------------------------------------------------------
    def bad_verb(self, verb: str, v: Any, nested: bool = False) -> str:
        if v is None:
            return f"%!{verb}(<nil>)"
        return f"%!{verb}({type_name(v)}={self.value(v, 'v', 1 if nested else 0)})"

    def fmt_bool(self, v: bool, verb: str) -> str:
        if verb in "tv":
            return self.pad("true" if v else "false")
        return self.bad_verb(verb, v)

    def fmt_int(self, v: int, verb: str, unsigned: bool = False) -> str:
        f = self.f
        if verb == "c":
            return self.pad(chr(v) if 0 <= v <= 0x10FFFF and not 0xD800 <= v <= 0xDFFF else "\ufffd")
        if verb == "q":
            return self.pad(_quote_rune(v, f.plus))
        if verb == "U":
            at_least = max(4, f.prec or 0)
            text = f"U+{v if v >= 0 else v & 0xFFFFFFFFFFFFFFFF:0{at_least}X}"
            if f.sharp and 0 <= v <= 0x10FFFF and chr(v).isprintable():
                text += f" '{chr(v)}'"
            return self.pad(text, zero_ok=False)
        bases = {"v": 10, "d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}
        if verb not in bases:
            return self.bad_verb(verb, v)
        if verb == "v" and f.sharp_v and isinstance(v, GoByte):
            return self.pad(f"0x{v:x}")
        neg = v < 0
        digits = format(abs(v), {2: "b", 8: "o", 10: "d", 16: "x"}[bases[verb]])
        if verb == "X":
            digits = digits.upper()
        prec = f.prec
        if prec is not None:
            if prec == 0 and v == 0:
                return self.pad("", zero_ok=False)
            digits = digits.rjust(prec, "0")
        elif f.zero and f.width is not None and not f.minus:
            width = f.width - (1 if neg or f.plus or f.space else 0)
            prefix_len = 2 if f.sharp and verb in "xXb" else (1 if f.sharp and verb == "o" else 0)
            if verb == "O":
                prefix_len = 2
            digits = digits.rjust(width - prefix_len, "0")
        if f.sharp:
            if verb == "x":
                digits = "0x" + digits
            elif verb == "X":
                digits = "0X" + digits
            elif verb == "b":
                digits = "0b" + digits
            elif verb == "o" and not digits.startswith("0"):
                digits = "0" + digits
        if verb == "O":
            digits = "0o" + digits
        sign = "-" if neg else ("+" if f.plus else (" " if f.space else ""))
        return self.pad(sign + digits, zero_ok=False)

    def fmt_float(self, v: float, verb: str) -> str:
        f = self.f
        if verb == "v":
            verb = "g"
        if verb not in "eEfFgGxXb":
            return self.bad_verb(verb, v)
        prec = -1 if f.prec is None else f.prec
        if verb in "xX":
            text = _hex_float(v, verb == "X", prec)
        elif verb == "b":
            m, e = math.frexp(v)
            text = f"{int(m * 2**53)}p{e - 53:+d}"
        elif verb in "gG":
            text = format_float(v, verb, prec)
            if f.sharp and not (math.isinf(v) or math.isnan(v)):
                text = _keep_zeros(text, 6 if prec < 0 else prec)
        elif f.sharp and not (math.isinf(v) or math.isnan(v)):
            text = f"%#.{6 if prec < 0 else prec}{verb}" % v
        else:
            text = format_float(v, verb, 6 if prec < 0 else prec)
        if text[0] not in "+-":
            if f.plus:
                text = "+" + text
            elif f.space:
                text = " " + text
        elif text[0] == "+" and not f.plus and not math.isinf(v):
            text = text[1:]
        if math.isinf(v) or math.isnan(v):
            if math.isnan(v) and not (f.plus or f.space):
                text = "NaN"
            return self.pad(text, zero_ok=False)
        if f.zero and f.width is not None and not f.minus and len(text) < f.width:
            sign = text[0] if text[0] in "+- " else ""
            body = text[len(sign):]
            return sign + body.rjust(f.width - len(sign), "0")
        return self.pad(text)

    def fmt_string(self, s: str, verb: str) -> str:
        f = self.f
        if verb == "v" and f.sharp_v:
            return self.pad(quote(s if f.prec is None else s[: f.prec]))
        if f.prec is not None and verb in "vsq":
            s = s[: f.prec]
        if verb in "vs":
            return self.pad(s)
        if verb in "xX":
            data = to_bytes(s)
            if f.prec is not None:
                data = data[: f.prec]
            hexs = [format(b, "02x" if verb == "x" else "02X") for b in data]
            if f.space:
                pre = ("0x" if verb == "x" else "0X") if f.sharp else ""
                return self.pad(" ".join(pre + h for h in hexs))
            text = "".join(hexs)
            if f.sharp and text:
                text = ("0x" if verb == "x" else "0X") + text
            return self.pad(text)
        if verb == "q":
            if f.sharp and _can_backquote(s):
                return self.pad("`" + s + "`")
            return self.pad(quote(s, f.plus))
        return self.bad_verb(verb, s)

    def value(self, v: Any, verb: str, depth: int) -> str:
        """Go's ``printArg``/``printValue`` of ``v`` with ``verb``."""
        if isinstance(v, Secret):
            v = MASK if self.mask else v.reveal()
        if v is None:
            if depth == 0:
                return self.pad("<nil>") if verb in "vT" else self.bad_verb(verb, None)
            return "interface {}(nil)" if self.f.sharp_v else "<nil>"
        if verb == "T" and depth == 0:
            name = type_name(v)
            return self.pad(name if self.f.prec is None else name[: self.f.prec])
        if isinstance(v, bool):
            return self.fmt_bool(v, verb)
        if isinstance(v, int):
            return self.fmt_int(v, verb)
        if isinstance(v, float):
            return self.fmt_float(v, verb)
        if isinstance(v, str):
            return self.fmt_string(v, verb)
        if isinstance(v, complex):
            imag = format_float(v.imag)
            return self.pad(f"({format_float(v.real)}{imag if imag[0] in '+-' else '+' + imag}i)")
        if isinstance(v, Mapping):
            items = sorted(v.items(), key=_sort_key)
            if self.f.sharp_v:
                body = ", ".join(f"{self.value(k, verb, depth + 1)}:{self.value(x, verb, depth + 1)}" for k, x in items)
                return type_name(v) + "{" + body + "}"
            body = " ".join(f"{self.value(k, verb, depth + 1)}:{self.value(x, verb, depth + 1)}" for k, x in items)
            return "map[" + body + "]"
        if isinstance(v, (list, tuple)):
            if self.f.sharp_v:
                return type_name(v) + "{" + ", ".join(self.value(x, verb, depth + 1) for x in v) + "}"
            return "[" + " ".join(self.value(x, verb, depth + 1) for x in v) + "]"
        if verb == "p" or callable(v):
            return f"%!{verb}({type_name(v)}=0x0)" if verb != "p" else "0x0"
        return self.fmt_string(str(v), verb)

    # -- Sprintf -------------------------------------------------------------------------
    def sprintf(self, fmt: str, args: Sequence[Any]) -> str:
        out: list[str] = []
        n = len(fmt)
        i = 0
        arg_num = 0
        reordered = False
        while i < n:
            j = fmt.find("%", i)
            if j < 0:
                out.append(fmt[i:])
                break
            out.append(fmt[i:j])
            i = j + 1
            f = self.f = _Flags()
            while i < n and fmt[i] in "#0+- ":
                c = fmt[i]
                if c == "#":
                    f.sharp = True
                elif c == "0":
                    f.zero = not f.minus
                elif c == "+":
                    f.plus = True
                elif c == "-":
                    f.minus, f.zero = True, False
                else:
                    f.space = True
                i += 1
            good = True
            arg_num, i, idx_ok, after_index = _arg_number(fmt, i, arg_num, len(args))
            reordered = reordered or after_index
            good = good and idx_ok
            if i < n and fmt[i] == "*":
                i += 1
                width, ok = _int_arg(args, arg_num)
                arg_num += 1
                if not ok:
                    out.append("%!(BADWIDTH)")
                else:
                    if width < 0:
                        f.minus, f.zero, width = True, False, -width
                    f.width = width
                after_index = False
            else:
                width, present, i = _parse_num(fmt, i)
                if present:
                    f.width = width
                    if after_index:
                        good = False
            if i + 1 < n and fmt[i] == ".":
                i += 1
                if after_index:
                    good = False
                arg_num, i, idx_ok, after_index = _arg_number(fmt, i, arg_num, len(args))
                reordered = reordered or after_index
                good = good and idx_ok
                if i < n and fmt[i] == "*":
                    i += 1
                    prec, ok = _int_arg(args, arg_num)
                    arg_num += 1
                    if prec < 0:
                        ok = False
                    if not ok:
                        out.append("%!(BADPREC)")
                    else:
                        f.prec = prec
                    after_index = False
                else:
                    f.prec, _, i = _parse_num(fmt, i)
            if not after_index:
                arg_num, i, idx_ok, after_index = _arg_number(fmt, i, arg_num, len(args))
                reordered = reordered or after_index
                good = good and idx_ok
            if i >= n:
                out.append("%!(NOVERB)")
                break
            verb = fmt[i]
            i += 1
            if verb == "%":
                out.append("%")
            elif not good:
                out.append(f"%!{verb}(BADINDEX)")
            elif arg_num >= len(args):
                out.append(f"%!{verb}(MISSING)")
            else:
                if verb == "v":
                    f.sharp_v, f.sharp = f.sharp, False
                    f.plus_v, f.plus = f.plus, False
                out.append(self.value(args[arg_num], verb, 0))
                arg_num += 1
        if not reordered and arg_num < len(args):
            self.f = _Flags()
            extra = ", ".join(
                "<nil>" if a is None else f"{type_name(a)}={self.value(a, 'v', 0)}" for a in args[arg_num:]
            )
            out.append(f"%!(EXTRA {extra})")
        return "".join(out)


def _arg_number(fmt: str, i: int, arg_num: int, num_args: int) -> tuple[int, int, bool, bool]:
    """Parse an explicit ``[n]`` argument index at ``i``: (arg_num, i, ok, found)."""
    if i >= len(fmt) or fmt[i] != "[":
        return arg_num, i, True, False
    close = fmt.find("]", i + 1)
    if close < 0 or len(fmt) - i < 3:
        return arg_num, i + 1, False, True
    number, present, end = _parse_num(fmt[: close], i + 1)
    if not present or end != close:
        return arg_num, close + 1, False, True
    index = number - 1
    if 0 <= index < num_args:
        return index, close + 1, True, True
    return arg_num, close + 1, False, True


def _parse_num(fmt: str, i: int) -> tuple[int, bool, int]:
    """Go's ``parsenum``: ASCII digits at ``i`` as (number, present, next index). A number
    past 1e6 is refused the way Go refuses it, by jumping to the end of the format."""
    num, start = 0, i
    while i < len(fmt) and "0" <= fmt[i] <= "9":
        if num > 1_000_000:
            return 0, False, len(fmt)
        num = num * 10 + ord(fmt[i]) - 48
        i += 1
    return num, i > start, i


def _int_arg(args: Sequence[Any], n: int) -> tuple[int, bool]:
    if n < len(args) and isinstance(args[n], int) and not isinstance(args[n], bool):
        v = args[n]
        return (v, True) if -1_000_000 < v < 1_000_000 else (0, False)
    return 0, False


def _sort_key(item: tuple[Any, Any]) -> tuple[int, Any]:
    k = item[0]
    if isinstance(k, (int, float)) and not isinstance(k, bool):
        return (1, k)
    return (2, str(k))


def sprintf(fmt: str, args: Sequence[Any]) -> str:
    """``fmt.Sprintf(fmt, args...)`` with Go's verbs, flags and ``%!verb(...)`` errors."""
    return _Printer().sprintf(fmt, args)
