"""``@pretty`` and ``@ugly`` as gjson prints them (tidwall/pretty's layout).

The layout, pinned against the oracle: objects one member per line; an array that fits in
``width`` bytes of the current line (and holds no object) stays on one line as ``[1, 2]``,
otherwise one element per line; a trailing newline; ``sortKeys`` orders members by key, as
written. Like gjson, it reads leniently: text that is not JSON is copied through as it is read.
Options come from ``@pretty:{"sortKeys":true,"indent":"\\t","prefix":"","width":80}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lenient import STRING, Value, for_each, parse_value

__all__ = ["PrettyOptions", "pretty", "ugly"]


@dataclass
class PrettyOptions:
    width: int = 80
    prefix: str = ""
    indent: str = "  "
    sort_keys: bool = False

    @classmethod
    def parse(cls, arg: str) -> PrettyOptions:
        options = cls()
        for key, value in for_each(parse_value(arg)):
            name = key.string()
            if name == "sortKeys":
                options.sort_keys = value.truth()
            elif name == "indent":
                options.indent = _blanks_only(value.string())
            elif name == "prefix":
                options.prefix = _blanks_only(value.string())
            elif name == "width":
                options.width = _as_int(value)
        return options


def _blanks_only(text: str) -> str:
    """gjson keeps only the blanks of a prefix or indent, so the output stays JSON."""
    return "".join(c for c in text if c in " \t\n\r")


def _as_int(value: Value) -> int:
    """Go's ``Result.Int()``, as far as a width needs it."""
    text = value.str if value.kind == STRING else value.raw
    try:
        return int(text)
    except ValueError:
        num = value.num if value.kind != STRING else 0.0
        return int(num) if num == num and abs(num) < 2**63 else 0


def ugly(text: str) -> str:
    """Everything outside strings that is whitespace (or a control character) goes."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c > " ":
            out.append(c)
            if c == '"':
                i += 1
                while i < n:
                    out.append(text[i])
                    if text[i] == '"':
                        j = i - 1
                        while text[j] == "\\":
                            j -= 1
                        if (i - j) % 2 == 1:
                            break
                    i += 1
        i += 1
    return "".join(out)


def pretty(text: str, options: PrettyOptions | None = None) -> str:
    opts = options or PrettyOptions()
    printer = _Printer(text.encode("utf-8", "surrogatepass"), opts)
    buf = bytearray()  # the prefix starts every line but the first
    printer.any(buf, 0, True, 0, 0, -1)
    if buf:
        buf += b"\n"
    return buf.decode("utf-8", "replace")


@dataclass
class _Pair:
    key_start: int
    key_end: int = 0
    value_start: int = 0
    value_end: int = 0




class _Printer:
    """Works on UTF-8 bytes, because the width is counted in bytes."""

    def __init__(self, data: bytes, opts: PrettyOptions) -> None:
        self.data, self.opts = data, opts
        self.prefix, self.indent = opts.prefix.encode(), opts.indent.encode()

    def any(self, buf: bytearray, i: int, pretty: bool, tabs: int, nl: int, limit: int,
            indent: bytes | None = None) -> tuple[int, int, bool]:
        data = self.data
        while i < len(data):
            c = data[i]
            if c <= 32:
                i += 1
                continue
            if c == 34:  # "
                return self.string(buf, i), nl, True
            if 48 <= c <= 57 or c == 45:
                return self.number(buf, i), nl, True
            if c in (123, 91):
                return self.container(buf, i, c, pretty, tabs, nl, limit, indent)
            word = {116: b"true", 102: b"false", 110: b"null"}.get(c)
            if word is not None:
                buf += word
                return i + len(word), nl, True
            i += 1
        return i, nl, True

    def string(self, buf: bytearray, i: int) -> int:
        data, start = self.data, i
        i += 1
        while i < len(data):
            if data[i] == 34:
                run, j = 0, i - 1
                while j > start and data[j] == 92:
                    run += 1
                    j -= 1
                if run % 2 == 0:
                    i += 1
                    break
            i += 1
        buf += data[start:i]
        return i

    def number(self, buf: bytearray, i: int) -> int:
        data, start = self.data, i
        i += 1
        while i < len(data) and not (data[i] <= 32 or data[i] in b",:]}"):
            i += 1
        buf += data[start:i]
        return i

    def tabs(self, buf: bytearray, tabs: int, indent: bytes) -> None:
        buf += self.prefix
        buf += indent * tabs

    def container(self, buf: bytearray, i: int, open_: int, pretty: bool, tabs: int, nl: int,
                  limit: int, indent: bytes | None = None) -> tuple[int, int, bool]:
        width, data = self.opts.width, self.data
        indent = self.indent if indent is None else indent
        if width > 0:
            if pretty and open_ == 91 and limit == -1:
                room = width - (len(buf) - nl)
                if room > 3:
                    mark, at = len(buf), i
                    end, _, ok = self.container(buf, i, 91, False, 0, 0, room, b"")
                    if ok and len(buf) - mark <= room:
                        return end, nl, True
                    del buf[mark:]
                    i = at
            elif limit != -1 and open_ == 123:
                return i, nl, False
        close = 93 if open_ == 91 else 125
        buf.append(open_)
        i += 1
        sort = open_ == 123 and self.opts.sort_keys
        pairs: list[_Pair] = []
        n = 0
        while i < len(data):
            c = data[i]
            if c <= 32:
                i += 1
                continue
            if c == close:
                if pretty:
                    if sort:
                        self.sort(buf, pairs)
                    if n > 0:
                        nl = len(buf)
                        if buf[nl - 1] == 32:
                            buf[nl - 1] = 10
                        else:
                            buf.append(10)
                    if buf[-1] != open_:
                        self.tabs(buf, tabs, indent)
                buf.append(close)
                return i + 1, nl, open_ != 123
            if open_ == 91 or c == 34:
                if n > 0:
                    buf.append(44)
                    if width != -1 and open_ == 91:
                        buf.append(32)
                pair = _Pair(i)
                if pretty:
                    nl = len(buf)
                    if buf[nl - 1] == 32:
                        buf[nl - 1] = 10
                    else:
                        buf.append(10)
                    pair.value_start = len(buf)
                    self.tabs(buf, tabs + 1, indent)
                if open_ == 123:
                    i = self.string(buf, i)
                    pair.key_end = i
                    buf.append(58)
                    if pretty:
                        buf.append(32)
                i, nl, ok = self.any(buf, i, pretty, tabs + 1, nl, limit, indent)
                if limit != -1 and not ok:
                    return i, nl, False
                if pretty and sort:
                    pair.value_end = len(buf)
                    if pair.key_start > pair.key_end or pair.value_start > pair.value_end:
                        sort = False
                    else:
                        pairs.append(pair)
                n += 1
                continue
            i += 1
        return i, nl, open_ != 123

    def sort(self, buf: bytearray, pairs: list[_Pair]) -> None:
        """Order the members already printed in ``buf`` by key, compared as the bytes written
        between the quotes (escapes not decoded: ``"\\u0041"`` sorts after ``"B"``), members with
        equal keys kept in their order. That is tidwall/pretty 1.0.5, the oracle's (and
        gjson.rs's, so both of hdkit's engines agree); pretty 1.2 decodes keys and then
        compares values."""
        if not pairs:
            return
        start, end = pairs[0].value_start, pairs[-1].value_end
        ordered = sorted(pairs, key=lambda p: self.data[p.key_start + 1 : p.key_end - 1])
        if ordered == pairs:
            return
        segments = [bytes(buf[p.value_start : p.value_end]) for p in ordered]
        buf[start:end] = b",\n".join(segments)
