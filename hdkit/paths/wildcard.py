"""Wildcard matching as gjson does it for ``*``/``?`` keys and the ``%`` query operator.

``*`` matches any run of characters, ``?`` one character, ``\\`` makes the next one literal.
gjson (tidwall/match) gives up after 10,000 steps and answers "no match", so a hostile pattern
costs bounded time, and so does this one: the same step budget, the same answer when it runs out.
"""

from __future__ import annotations

__all__ = ["wildcard_match"]

_LIMIT = 10_000
_NO, _YES, _STOP = 0, 1, 2


def wildcard_match(text: str, pattern: str) -> bool:
    if pattern == "*":
        return True
    return _match(text, pattern, [0]) == _YES


def _match(text: str, pat: str, steps: list[int]) -> int:
    if steps[0] > _LIMIT:
        return _STOP
    steps[0] += 1
    while pat:
        wild = False
        pc = pat[0]
        if pc == "?":
            if not text:
                return _NO
        elif pc == "*":
            pat = "*" + pat.lstrip("*")
            if len(pat) == 1:
                return _YES
            text, pat, ok = _trim_suffix(text, pat)
            if not ok:
                return _NO
            if len(pat) == 1:
                return _YES
            found = _match(text, pat[1:], steps)
            if found != _NO:
                return found
            if not text:
                return _NO
            wild = True
        else:
            if not text:
                return _NO
            size = 1
            if pc == "\\":
                if len(pat) < 2:
                    return _NO
                pc, size = pat[1], 2
            if text[0] != pc:
                return _NO
            text = text[1:]
            pat = pat[size:]
            continue
        text = text[1:]
        if not wild:
            pat = pat[1:]
    return _YES if not text else _NO


def _trim_suffix(text: str, pat: str) -> tuple[str, str, bool]:
    """Match the literal tail of a pattern that starts with ``*`` against the end of ``text``."""
    while text and len(pat) > 1:
        pc, size = pat[-1], 1
        run = len(pat) - 1 - len(pat[:-1].rstrip("\\"))
        escaped = run % 2 == 1
        if escaped:
            size = 2
        if pc == "*" and not escaped:
            return text, pat, True
        if not ((pc == "?" and not escaped) or pc == text[-1]):
            return text, pat, False
        text = text[:-1]
        pat = pat[:-size]
    return text, pat, True
