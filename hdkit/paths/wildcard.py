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
    return _Matcher(text, pattern).match(0, len(text), 0, len(pattern)) == _YES


class _Matcher:
    """Works on index windows ``text[ts:te]`` / ``pat[ps:pe]``: no copies, so a long value
    costs time linear in its length per step."""

    def __init__(self, text: str, pat: str) -> None:
        self.text, self.pat, self.steps = text, pat, 0

    def match(self, ts: int, te: int, ps: int, pe: int) -> int:
        if self.steps > _LIMIT:
            return _STOP
        self.steps += 1
        text, pat = self.text, self.pat
        while ps < pe:
            pc = pat[ps]
            if pc == "?":
                if ts >= te:
                    return _NO
                ts, ps = ts + 1, ps + 1
            elif pc == "*":
                while ps + 1 < pe and pat[ps + 1] == "*":
                    ps += 1
                if ps + 1 == pe:
                    return _YES
                te, pe, ok = self.trim_suffix(ts, te, ps, pe)
                if not ok:
                    return _NO
                if ps + 1 == pe:
                    return _YES
                found = self.match(ts, te, ps + 1, pe)
                if found != _NO:
                    return found
                if ts >= te:
                    return _NO
                ts += 1  # the star swallows one more character
            else:
                if ts >= te:
                    return _NO
                if pc == "\\":
                    if ps + 1 >= pe:
                        return _NO
                    ps += 1
                    pc = pat[ps]
                if text[ts] != pc:
                    return _NO
                ts, ps = ts + 1, ps + 1
        return _YES if ts >= te else _NO

    def trim_suffix(self, ts: int, te: int, ps: int, pe: int) -> tuple[int, int, bool]:
        """Match the literal tail of a pattern that starts with ``*`` against the end of the
        text: ``(text end, pattern end, matched)``."""
        text, pat = self.text, self.pat
        while ts < te and pe - ps > 1:
            pc, size = pat[pe - 1], 1
            run = 0
            while pat[pe - 2 - run] == "\\":
                run += 1
            escaped = run % 2 == 1
            if escaped:
                size = 2
            if pc == "*" and not escaped:
                return te, pe, True
            if not ((pc == "?" and not escaped) or pc == text[te - 1]):
                return te, pe, False
            te, pe = te - 1, pe - size
        return te, pe, True
