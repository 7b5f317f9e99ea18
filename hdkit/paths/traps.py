"""GJSON paths that work on the PBX but mean something other than they seem to.

hdkit answers every path the way Go gjson does, so validation cannot call these errors; it
warns, with the fix. Each trap was seen to give a quietly wrong mapping:

* ``first-match``: ``data.#(phone=="1")`` (no trailing ``#``) returns only the first matching
  record, where a mapping of several records wants ``data.#(phone=="1")#``;
* ``reshaped-list``: a modifier after a projection (``data.#.name|@reverse``, ``@tostr``,
  ``@join``...) reorders, merges or flattens one column; the PBX pairs columns by position,
  so the records come out misaligned or as one value;
* ``pretty``: ``@pretty`` puts newlines and indentation into the stored value;
* ``key-not-modifier`` / ``key-not-literal``: ``@revers`` (no such modifier) and ``a.!true``
  (a literal only starts a path or follows ``|``) are read as keys and find nothing;
* ``unclosed``: an unclosed ``(``, ``[`` or ``{`` (Go drops the query's condition, so a list
  of records matches nothing, or reads an empty key) and text after a closing bracket (Go
  ignores it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .modifiers import modifier_names
from .syntax import Part, is_projection_query, is_query, line_col, scan, split_path

__all__ = ["PathTrap", "path_traps"]

_Trap = Callable[[str, int, str, str], None]  # code, offset in the path, message, fix
_RESHAPING = {"reverse", "flatten", "join", "tostr", "keys", "values", "group", "fromstr"}


@dataclass(frozen=True)
class PathTrap:
    """One surprising meaning: what it does, where (1-based line and column), and the fix."""

    code: str
    message: str
    fix: str
    line: int
    column: int


def path_traps(path: str, records: bool = False) -> list[PathTrap]:
    """The traps in ``path``. ``records``: the field maps several records (contact search,
    user association), where the PBX pairs list values by position."""
    parts = split_path(path, 0)
    found: list[PathTrap] = []

    def trap(code: str, at: int, message: str, fix: str) -> None:
        found.append(PathTrap(code, message, fix, *line_col(path, at)))

    for i, part in enumerate(parts):
        before = parts[:i]
        _check_part(part, before, records, trap)
    return found


def _projected(parts: list[Part]) -> bool:
    return any(p.text == "#" or is_projection_query(p.text) for p in parts)


def _check_part(part: Part, before: list[Part], records: bool, trap: _Trap) -> None:
    text = part.text
    starts_path = not before or part.sep == "|"
    if text.startswith("@"):
        name = text[1:].partition(":")[0]
        if name not in modifier_names():
            trap("key-not-modifier", part.start, f"'@{name}' is no gjson modifier: the PBX reads it as a key",
                 f"check the name (modifiers: {', '.join('@' + n for n in sorted(modifier_names()))}), "
                 f"or write '\\@{name}' for a key")
        elif name == "pretty":
            trap("pretty", part.start, "@pretty stores the value with newlines and indentation",
                 "remove '@pretty' (or use '@ugly' for compact JSON)")
        elif records and name in _RESHAPING and _projected(before):
            trap("reshaped-list", part.start,
                 f"@{name} after a projection changes one column only; the PBX pairs columns by position, "
                 "so records come out misaligned or merged",
                 f"remove '@{name}', or map a field that needs no reshaping")
    elif text.startswith("!") and not starts_path:
        trap("key-not-literal", part.start, f"{text!r} is read as a key here: a literal only starts a path "
             "or follows '|'", f"write '|{text}' instead of '.{text}', or remove it")
    elif is_query(text) and records and _closes(text, 1):
        trap("first-match", part.start, f"{text!r} returns the first matching record only",
             f"write '{text}#' to map every matching record")
    _check_brackets(part, trap)


def _closes(text: str, open_at: int) -> bool:
    return _closing(text, open_at) >= 0


def _closing(text: str, open_at: int) -> int:
    for i, c, depth in scan(text, open_at, quotes_at_top=False):
        if c in ")]}" and depth == 1:
            return i
    return -1


def _check_brackets(part: Part, trap: _Trap) -> None:
    text = part.text
    open_at = 1 if text[:2] in ("#(", "#[") else 0 if text[:1] in ("{", "[") else -1
    if open_at < 0:
        return
    close = _closing(text, open_at)
    if close < 0:
        effect = "the condition is dropped and no record matches" if open_at else "it reads an empty key"
        trap("unclosed", part.start + open_at, f"{text[open_at]!r} is never closed: on the PBX {effect}",
             f"close the {text[open_at]!r}")
        return
    tail = text[close + 1 :]
    if tail not in ("", "#" if open_at else ""):
        trap("unclosed", part.start + close + 1, f"{tail!r} after {text[close]!r} is ignored by the PBX",
             f"insert a '.' before {tail!r}, or remove it")
