"""gjson's ``@`` modifiers and ``!`` literals: the steps that make a new value, not find one.

A modifier applies to the value found so far (the whole document when the path starts with
it): ``@reverse``, ``@this``, ``@valid``, ``@pretty[:options]``, ``@ugly``, ``@flatten[:{"deep":
true}]``, ``@join[:{"preserve":true}]``, ``@keys``, ``@values``, ``@tostr``, ``@fromstr`` and
``@group`` (gjson 1.14.4 has no ``@dig``). A literal (``!true``, ``!"text"``, ``!{"a":1}``,
``!-1.5``) is a value written into the path. Each reads its input leniently, as gjson does, and
returns JSON text.
"""

from __future__ import annotations

from collections.abc import Callable

from .lenient import Value, for_each, is_valid, json_string, parse_value, read_squash, squash
from .pretty import PrettyOptions, pretty, ugly

__all__ = ["literal", "modifier_names", "run_modifier"]

Modifier = Callable[[str, str], str]


def _options(arg: str, name: str) -> bool:
    """A boolean option of ``@flatten``/``@join`` (``{"deep":true}``)."""
    flag = False
    if arg:
        for key, value in for_each(parse_value(arg)):
            if key.string() == name:
                flag = value.truth()
    return flag


def _reverse(json_text: str, _arg: str) -> str:
    value = parse_value(json_text)
    if value.is_array():
        return "[" + ",".join(v.raw for _, v in reversed(list(for_each(value)))) + "]"
    if value.is_object():
        members = [k.raw + ":" + v.raw for k, v in for_each(value)]
        return "{" + ",".join(reversed(members)) + "}"
    return json_text


def _unwrap(text: str) -> str:
    text = text.strip(_BLANKS)
    if len(text) >= 2 and text[0] in "[{":
        text = text[1:-1]
    return text


_BLANKS = "".join(chr(c) for c in range(33))
_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _flatten(json_text: str, arg: str) -> str:
    value = parse_value(json_text)
    if not value.is_array():
        return json_text
    deep = _options(arg, "deep")
    out: list[str] = []
    for _, item in for_each(value):
        if item.is_array():
            raw = _unwrap(_flatten(item.raw, arg) if deep else item.raw)
        else:
            raw = item.raw
        raw = raw.strip(_GO_SPACE)
        if raw:
            out.append(raw)
    return "[" + ",".join(out) + "]"


def _join(json_text: str, arg: str) -> str:
    value = parse_value(json_text)
    if not value.is_array():
        return json_text
    objects = [item for _, item in for_each(value) if item.is_object()]
    if _options(arg, "preserve"):
        return "{" + ",".join(_unwrap(item.raw) for item in objects) + "}"
    keys: dict[str, tuple[Value, Value]] = {}
    for item in objects:
        for key, member in for_each(item):
            name = key.string()
            first = keys[name][0] if name in keys else key
            keys[name] = (first, member)
    return "{" + ",".join(k.raw + ":" + v.raw for k, v in keys.values()) + "}"


def _keys(json_text: str, _arg: str) -> str:
    value = parse_value(json_text)
    if not value.exists:
        return "[]"
    obj = value.is_object()
    return "[" + ",".join(k.raw if obj else "null" for k, _ in for_each(value)) + "]"


def _values(json_text: str, _arg: str) -> str:
    value = parse_value(json_text)
    if not value.exists:
        return "[]"
    if value.is_array():
        return json_text
    return "[" + ",".join(v.raw for _, v in for_each(value)) + "]"


def _group(json_text: str, _arg: str) -> str:
    value = parse_value(json_text)
    if not value.is_object():
        return ""
    rows: list[list[str]] = []
    for key, column in for_each(value):
        if not column.is_array():
            continue
        for index, (_, item) in enumerate(for_each(column)):
            if index == len(rows):
                rows.append([])
            rows[index].append(key.raw + ":" + item.raw)
    return "[" + ",".join("{" + ",".join(row) + "}" for row in rows) + "]"


def _pretty(json_text: str, arg: str) -> str:
    return pretty(json_text, PrettyOptions.parse(arg) if arg else None)


_MODIFIERS: dict[str, Modifier] = {
    "pretty": _pretty,
    "ugly": lambda text, _arg: ugly(text),
    "reverse": _reverse,
    "this": lambda text, _arg: text,
    "flatten": _flatten,
    "join": _join,
    "valid": lambda text, _arg: text if is_valid(text) else "",
    "keys": _keys,
    "values": _values,
    "tostr": lambda text, _arg: json_string(text),
    "fromstr": lambda text, _arg: parse_value(text).string() if is_valid(text) else "",
    "group": _group,
}


def modifier_names() -> frozenset[str]:
    return _NAMES


_NAMES = frozenset(_MODIFIERS)


def run_modifier(json_text: str, path: str) -> tuple[str, str] | None:
    """``path`` starts with ``@``: ``(rest of the path, output)``, or ``None`` when the name is
    no modifier (gjson then reads ``@name`` as a key)."""
    name, rest, has_arg = path[1:], "", False
    for i in range(1, len(path)):
        c = path[i]
        if c in ":|.":
            name = path[1:i]
            rest = path[i + 1 :] if c == ":" else path[i:]
            has_arg = c == ":" and bool(rest)
            break
    modifier = _MODIFIERS.get(name)
    if modifier is None:
        return None
    arg = ""
    if has_arg:
        if rest[0] in '{["' and parse_value(rest).exists:
            arg = squash(rest)
            rest = rest[len(arg) :]
        else:
            cut = rest.find("|")
            arg, rest = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
    return rest, modifier(json_text, arg)


def literal(path: str) -> tuple[str, str] | None:
    """``path`` starts with ``!``: ``(rest of the path, the literal's JSON)``, or ``None``."""
    body = path[1:]
    if body and body[0] in '{["+-0123456789':
        # Cut like a bracketed value even when it is not one: ``!"s".a`` is all literal.
        _, value = read_squash(body, 0)
        return body[len(value) :], value
    name, rest = body, ""
    for i in range(1, len(path)):
        if path[i] in "|.":
            name, rest = path[1:i], path[i:]
            break
    if name.lower() in ("true", "false", "null", "nan", "inf"):
        return rest, name
    return None
