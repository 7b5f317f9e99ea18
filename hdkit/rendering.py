"""Rendering a request's template strings as the PBX does, knowing where each ``{{...}}`` lands.

Every request hdkit sends or previews is rendered here (through
:class:`hdkit.engine.prepare.Renderer`), and validation checks templates with the same code.
The PBX renders request templates with Go's text/template, which escapes nothing: a contact
name holding a quote breaks a JSON body, a ``&`` in a query value splits the parameter. hdkit
renders exactly what Go renders (injection is reported, never fixed silently), and on top of that:

* :func:`check_json_template` checks a body template is well-formed JSON with each action
  treated as an opaque token, so typos show up before any request;
* :func:`action_contexts` says where each action lands (JSON string, key, bare value, URL path,
  URL query value...), and :func:`lint` warns about unescaped variables with the fix to apply:
  ``UrlEncode`` in a URL query or path segment, and in JSON :data:`JSON_ESCAPER`, a JSON string
  escaper written in Go's template language (Go has none: ``printf "%q"`` writes ``\\x01`` and
  ``js`` writes ``\\'``, both of which JSON refuses, so ``{{js .Name}}`` is flagged too);
* :func:`render_checked` renders faithfully and, when the result is not JSON, names the
  variable whose value broke it (secrets redacted);
* :func:`render_safe` is an opt-in mode that escapes each printed value for its context.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal
from urllib.parse import quote

from hdkit import arguments, gotemplate
from hdkit.errors import ArgumentError, Location
from hdkit.gotemplate import ActionSpan, CompiledTemplate, action_spans
from hdkit.problems import Problem
from hdkit.secrets import MASK, Secret

__all__ = [
    "JSON_ESCAPER",
    "Context",
    "Kind",
    "Rendered",
    "action_contexts",
    "body_kind",
    "check_json_template",
    "lint",
    "render_checked",
    "render_safe",
]

Kind = Literal["json", "url", "text"]
_KINDS = ("json", "url", "text")
MAX_BODY_NESTING = 200  # a request body is a few levels deep; bounds the recursive checker


def body_kind(headers: Iterable[tuple[str, str]]) -> Kind:
    """How a request body is checked, from the headers it goes out with (the last Content-Type
    wins): JSON unless a Content-Type says otherwise. A form body (``a=1&b={{.x}}``) sent as
    ``application/x-www-form-urlencoded`` is no broken JSON; the PBX sends what the file says.
    Validation and the engine both ask this, so a body is never judged two ways."""
    ctype = ""
    for name, value in headers:
        if name.strip().lower() == "content-type":
            ctype = value
    return "text" if ctype.strip() and "json" not in ctype.lower() else "json"


class Context(str, Enum):
    """Where a printed value lands in the rendered text."""

    JSON_STRING = "json-string"
    JSON_KEY = "json-key"
    JSON_VALUE = "json-value"
    URL_PATH = "url-path"
    URL_QUERY = "url-query"
    URL_OTHER = "url-other"
    TEXT = "text"


# --------------------------------------------------------------------------- actions

# Actions that print nothing: comments, control words, variable declarations/assignments.
_CONTROL = re.compile(
    r"^(/\*|(if|else|end|range|with|define|block|template|break|continue)\b|\$\w*\s*:?=)"
)
_FIELD = re.compile(r"(\$\w*)?(\.[A-Za-z_]\w*)+|\$\w+|(?<![\w.])\.(?![\w.])")
# Pipelines whose output is escaped, or made of digits and the template author's own text.
_ESCAPED = re.compile(
    r"\b(UrlEncode|urlquery|js|ToMillis|TimeFormat)\b|\bprintf\s+(\"%q\"|`%q`)"
)


def _prints(span: ActionSpan) -> bool:
    """True when the action writes output (not a control word, comment or assignment)."""
    return not _CONTROL.match(span.text)


def _variable(span: ActionSpan) -> str | None:
    """The first variable the action prints (``.Phone``, ``$x.Name``), if any."""
    found = _FIELD.search(re.sub(r'"(\\.|[^"\\])*"|`[^`]*`', '""', span.text))
    return found.group(0) if found else None


def _escaped(span: ActionSpan) -> bool:
    return bool(_ESCAPED.search(span.text))


# --------------------------------------------------------------------------- JSON structure


_LITERAL = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null")


@dataclass
class _Tok:
    kind: str  # "{", "}", "[", "]", ":", ",", "string", "literal", "action", "bad"
    start: int
    end: int
    actions: list[int] = field(default_factory=list)  # action starts inside a string


def _definitions(spans: list[ActionSpan]) -> dict[int, int]:
    """``{{define}}`` blocks (start -> end of their ``{{end}}``): a template defined in a body is
    printed where ``{{template}}`` calls it, not where it is written."""
    starts = {s.start for s in spans if re.match(r"define\b", s.text)}
    return {start: end for start, end in _blocks(spans) if start in starts}


def _json_tokens(source: str, spans: list[ActionSpan]) -> Iterator[_Tok]:
    """JSON tokens of a body template; printing actions outside strings are one token each,
    control actions are transparent, actions inside strings are part of the string, and
    ``{{define}}`` blocks are skipped whole."""
    by_start = {s.start: s for s in spans}
    defined = _definitions(spans)
    i, n = 0, len(source)
    while i < n:
        span = by_start.get(i)
        c = source[i]
        if i in defined:
            i = defined[i]
        elif span is not None:
            if _prints(span):
                yield _Tok("action", span.start, span.end, [span.start])
            i = span.end
        elif c in " \t\r\n":
            i += 1
        elif c in "{}[]:,":
            yield _Tok(c, i, i + 1)
            i += 1
        elif c == '"':
            tok = _Tok("string", i, n)
            i += 1
            while i < n:
                inner = by_start.get(i)
                if inner is not None:
                    if _prints(inner):
                        tok.actions.append(inner.start)
                    i = inner.end
                elif source[i] == "\\":
                    i += 2
                elif source[i] == '"':
                    tok.end = i + 1
                    break
                elif source[i] == "\n":
                    tok.kind = "bad"
                    break
                else:
                    i += 1
            else:
                tok.kind = "bad"
            if tok.kind == "bad":
                tok.end = tok.start + 1
            yield tok
            i = max(i + 1, tok.end) if tok.kind == "string" else n
        else:
            match = _LITERAL.match(source, i)
            if match and match.end() > i:
                yield _Tok("literal", i, match.end())
                i = match.end()
            else:
                yield _Tok("bad", i, i + 1)
                return


class _JSONError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _Parser:
    """Recursive descent over :func:`_json_tokens`, labelling where each action lands."""

    def __init__(self, source: str, spans: list[ActionSpan]) -> None:
        self.source = source
        self.tokens = list(_json_tokens(source, spans))
        self.pos = 0
        self.depth = 0
        self.contexts: dict[int, Context] = {}
        for tok in self.tokens:  # defaults, refined while parsing
            label = Context.JSON_VALUE if tok.kind == "action" else Context.JSON_STRING
            for start in tok.actions:
                self.contexts[start] = label

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, *kinds: str, what: str) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise _JSONError(len(self.source), f"unexpected end of body, expected {what}")
        if tok.kind not in kinds:
            raise _JSONError(tok.start, f"expected {what}, found {self._show(tok)}")
        self.pos += 1
        return tok

    def _show(self, tok: _Tok) -> str:
        if tok.kind == "bad" and self.source[tok.start] == '"':
            return "an unterminated string"
        return repr(self.source[tok.start : tok.end])

    def parse(self) -> None:
        if self.peek() is None:
            raise _JSONError(0, "empty body, expected a JSON value")
        self.value()
        tok = self.peek()
        if tok is not None:
            raise _JSONError(tok.start, f"unexpected {self._show(tok)} after the JSON value")

    def value(self) -> None:
        tok = self.take("{", "[", "string", "literal", "action", what="a value")
        if tok.kind not in ("{", "["):
            return
        if self.depth == MAX_BODY_NESTING:
            raise _JSONError(tok.start, f"nested more than {MAX_BODY_NESTING} levels deep")
        self.depth += 1
        if tok.kind == "{":
            self.members("}", self.member)
        else:
            self.members("]", self.value)
        self.depth -= 1

    def member(self) -> None:
        key = self.take("string", "action", what="a key (a string)")
        for start in key.actions:
            self.contexts[start] = Context.JSON_KEY
        self.take(":", what="':' after the key")
        self.value()

    def members(self, close: str, item: Any) -> None:
        if (tok := self.peek()) is not None and tok.kind == close:
            self.pos += 1
            return
        while True:
            item()
            sep = self.take(",", close, what=f"',' or '{close}'")
            if sep.kind == close:
                return
            if (tok := self.peek()) is not None and tok.kind == close:
                raise _JSONError(sep.start, f"trailing ',' before '{close}'")


def _line_col(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _blocks(spans: list[ActionSpan]) -> list[tuple[int, int]]:
    """Source ranges of ``{{if}}``/``{{range}}``/``{{with}}``... blocks, up to their ``{{end}}``."""
    stack: list[int] = []
    ranges: list[tuple[int, int]] = []
    for span in spans:
        if re.match(r"(if|range|with|block|define)\b", span.text):
            stack.append(span.start)
        elif re.match(r"end\b", span.text) and stack:
            ranges.append((stack.pop(), span.end))
    return ranges


_NOT_JSON_FIX = ("a body that is not JSON (a form, plain text) needs a Content-Type header saying so, "
                 "e.g. Content-Type: application/x-www-form-urlencoded; hdkit then checks it as text")


def check_json_template(source: str, location: Location | None = None) -> list[Problem]:
    """Problems that make a body template invalid JSON whatever the values (empty when fine).

    Inside ``{{if}}``/``{{range}}`` blocks the JSON shape depends on the data (a comma printed
    only for some items), so an error there is reported as a warning.
    """
    where = location or Location()
    spans = action_spans(_checked("check_json_template", source))
    try:
        _Parser(source, spans).parse()
    except _JSONError as err:
        line, col = _line_col(source, err.offset)
        in_block = any(start <= err.offset < end for start, end in _blocks(spans))
        message = f"body is not valid JSON: {err.message}"
        if in_block:
            message += " (inside a conditional or loop block: check the rendered body)"
        return [
            Problem(
                "warning" if in_block else "error",
                message,
                where.at(line, col),
                fix=_NOT_JSON_FIX if source.lstrip()[:1] not in ("{", "[") else
                "check the commas, colons, brackets and quotes here; each {{...}} counts as one value",
                code="json-syntax",
            )
        ]
    return []


# --------------------------------------------------------------------------- contexts


def action_contexts(source: str, kind: Kind) -> dict[int, Context]:
    """Where each printing action of ``source`` lands, keyed by ``ActionSpan.start``."""
    spans = action_spans(_checked("action_contexts", source, kind))
    inside = [(start, end) for start, end in _definitions(spans).items()]
    printing = [s for s in spans if _prints(s) and not any(a <= s.start < b for a, b in inside)]
    if kind == "json":
        parser = _Parser(source, spans)
        try:
            parser.parse()
        except _JSONError:
            pass  # label what was reached; the rest keeps the tokenizer's defaults
        return {s.start: parser.contexts.get(s.start, Context.JSON_VALUE) for s in printing}
    if kind == "url":
        where = _UrlShape(_blank_actions(source, spans))
        return {s.start: where.context(s.start) for s in printing}
    return {s.start: Context.TEXT for s in printing}


def _blank_actions(source: str, spans: list[ActionSpan]) -> str:
    """``source`` with every action replaced by NULs, so only literal text is searched."""
    chars = list(source)
    for span in spans:
        chars[span.start : span.end] = "\0" * (span.end - span.start)
    return "".join(chars)


class _UrlShape:
    """Where the query, fragment and path of a URL template's literal text start, found once, so
    placing each of its actions costs a lookup, not a scan (200,000 actions stay linear)."""

    def __init__(self, literal: str) -> None:
        self.query = literal.find("?")
        self.fragment = literal.find("#")
        scheme = literal.find("://")
        self.path = literal.find("/", scheme + 3) if scheme != -1 else literal.find("/")
        self.params = [i for i, c in enumerate(literal) if c in "&="]  # in order, for bisect
        self.chars = [literal[i] for i in self.params]

    def context(self, at: int) -> Context:
        if self.fragment != -1 and at > self.fragment:
            return Context.URL_OTHER
        if self.query != -1 and at > self.query:
            # a query value: an '=' after the last '&' (or the '?') before the action
            last = bisect.bisect_left(self.params, at) - 1
            if last >= 0 and self.params[last] > self.query and self.chars[last] == "=":
                return Context.URL_QUERY
            return Context.URL_OTHER
        return Context.URL_PATH if self.path != -1 and at > self.path else Context.URL_OTHER


# --------------------------------------------------------------------------- lint


# A JSON string escaper written in Go's text/template itself, byte by byte: '"', '\' and control
# characters go through js (which writes \", \\ and \u00XX, all valid JSON), every other byte is
# printed as it is. Go's own escapers fall short: printf "%q" writes \x01, \a, \v and \U0001xxxx,
# js writes \' for an apostrophe; JSON refuses each. This gives valid JSON whose string reads back
# as the value, for every value (checked against Go 1.19 in tests/data/oracle/json_escape.jsonl).
JSON_ESCAPER = (
    '{{define "json"}}{{if .}}{{$c := slice . 0 1}}'
    r'{{if or (eq $c "\"") (eq $c "\\") (lt $c " ")}}{{js $c}}{{else}}{{$c}}{{end}}'
    '{{template "json" slice . 1}}{{end}}{{end}}'
)
_DEFINES_JSON = re.compile(r'\{\{-?\s*define\s+"json"\s*-?\}\}')


def json_escaped(pipeline: str) -> str:
    """The action printing ``pipeline`` through :data:`JSON_ESCAPER` (string content, no quotes)."""
    simple = re.fullmatch(r"[.$][\w.]*", pipeline)
    return f'{{{{template "json" {pipeline if simple else f"({pipeline})"}}}}}'


def _json_fix(source: str, span: ActionSpan, context: Context) -> str:
    """How to print ``span``'s value so any text stays valid JSON (and reads back as itself)."""
    escaped = json_escaped(_without_js(span.text))
    define = "" if _DEFINES_JSON.search(source) else f"; define the escaper once, at the start of the body: {JSON_ESCAPER}"
    if context == Context.JSON_VALUE:
        return f'print it as a JSON string, "{escaped}", unless the value is always a number, true, false or null{define}'
    return f"write {escaped} in place of {{{{{span.text}}}}}{define}"


def _without_js(pipeline: str) -> str:
    """A pipeline without its ``js`` stage (``.Name | js`` or ``js .Name`` -> ``.Name``)."""
    bare = re.sub(r"\s*\|\s*js\s*$", "", pipeline.strip())
    found = re.fullmatch(r"js\s+(\S.*)", bare)
    return found.group(1) if found else bare


# Values the PBX generates in a fixed shape (digits and '+', enums, timestamps, durations,
# recording paths, helpdesk ids): they cannot hold a quote, backslash or newline, so a warning
# about them inside a JSON string would be noise that hides the real ones. Free text (names,
# Subject, Description, Call_From/Call_To, which carry display names, and user inputs) still
# warns. In a URL query they still warn: a '+' in a phone number decodes as a space.
JSON_SAFE_VARIABLES = frozenset(
    {
        "Phone", "CallerNumber", "CalleeNumber", "StartTimeUnix", "Time", "Communication_Type",
        "Call_Status", "Call_Log_Status", "Talk_Duration", "Talk_Duration_Sec", "RecordPath",
        "ContactId", "ContactsId", "TicketId", "UserUniqueId", "Owner", "WhoModule",
        "BusinessNumber", "BusinessNumber2", "MobileNumber", "MobileNumber2", "HomeNumber",
        "HomeNumber2", "BusinessFaxNumber", "HomeFaxNumber", "OtherNumber", "ContactNumber",
    }
)

# Whole numbers the PBX itself generates (pagination counters, timestamps, durations) cannot
# hold '&', '#', '+' or spaces, so a URL query needs no UrlEncode for them.
URL_SAFE_VARIABLES = frozenset({"Page", "Offset", "PageSize", "StartTimeUnix", "Talk_Duration_Sec"})


# A URL path segment of these is the helpdesk's own id or a number: it cannot hold '/', '?' or '#'.
URL_PATH_SAFE_VARIABLES = URL_SAFE_VARIABLES | frozenset(
    {"ContactId", "ContactsId", "TicketId", "UserUniqueId", "Owner", "DepartmentId"}
)

# What a pipeline's last word makes of a value: URL-encoded, a number or date of the author's
# format, Go-quoted, or JavaScript-escaped (which is not JSON escaping: \' and \x3C).
_URL_ESCAPED = re.compile(r"\b(UrlEncode|urlquery|ToMillis|TimeFormat)\b")
_GO_QUOTED = re.compile(r"\bprintf\s+(\"%q\"|`%q`)")
_JS = re.compile(r"(^|\|)\s*js\b")


def _finding(span: ActionSpan, context: Context, variable: str, source: str) -> tuple[str, str, str] | None:
    """(code, message, fix) for one printed value in its context, or None when it is safe there."""
    text, name = span.text, variable[1:] if variable.startswith(".") else ""
    if _URL_ESCAPED.search(text):
        return None
    if context in (Context.JSON_STRING, Context.JSON_KEY):
        if _GO_QUOTED.search(text) or name in JSON_SAFE_VARIABLES:
            return None
        if _JS.search(text):
            return ("json-js", f"{{{{{text}}}}} escapes for JavaScript, not JSON: an apostrophe becomes \\' (and "
                    "older Go writes < as \\x3C), which a JSON parser refuses", _json_fix(source, span, context))
        return ("json-unescaped", f"{variable} is printed inside a JSON string without escaping; the PBX renders "
                "raw, so a value holding a quote, backslash or newline breaks the body", _json_fix(source, span, context))
    if context is Context.JSON_VALUE:
        if _GO_QUOTED.search(text) or name in URL_PATH_SAFE_VARIABLES:
            return None
        return ("json-bare", f"{variable} is printed as a bare JSON value; the PBX renders raw, so the body is "
                "valid only while the value is a number, true, false or null",
                f'print it as a JSON string, "{{{{{text}}}}}"' if name in JSON_SAFE_VARIABLES
                else _json_fix(source, span, context))
    if context in (Context.URL_QUERY, Context.URL_PATH):
        safe = URL_SAFE_VARIABLES if context is Context.URL_QUERY else URL_PATH_SAFE_VARIABLES
        if _GO_QUOTED.search(text) or name in safe:
            return None
        fix = f"write {{{{UrlEncode {_without_js(text)}}}}} in place of {{{{{text}}}}}"
        if context is Context.URL_QUERY:
            return ("url-unescaped", f"{variable} is printed in a URL query without UrlEncode; the PBX renders raw, "
                    "so '&', '#', '+' or spaces in the value break the query", fix)
        return ("url-path-unescaped", f"{variable} is printed in the URL path without UrlEncode; the PBX renders raw, "
                "so a '/' in the value adds a path segment, a '?' starts the query and a '#' cuts the URL", fix)
    return None


def lint(source: str, kind: Kind, location: Location | None = None) -> list[Problem]:
    """Warnings about values that could break the request once rendered raw by the PBX."""
    where = location or Location()
    contexts = action_contexts(_checked("lint", source, kind), kind)
    problems: list[Problem] = []
    for span in action_spans(source):
        context = contexts.get(span.start)
        variable = _variable(span)
        if context is None or variable is None:
            continue
        found = _finding(span, context, variable, source)
        if found is not None:
            code, message, fix = found
            problems.append(Problem("warning", message, where.at(span.line, span.column), fix=fix, code=code))
    return problems


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Rendered:
    """A faithful rendering and the problems found in it.

    ``text`` is what would be sent, secrets included; the ``repr`` masks them.
    """

    text: str
    problems: list[Problem]
    _secrets: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def __repr__(self) -> str:
        return f"Rendered(text={_redact(self.text, self._secrets)!r}, problems={self.problems!r})"


def _template(template_or_source: CompiledTemplate | str, call: str) -> tuple[CompiledTemplate, str]:
    if isinstance(template_or_source, CompiledTemplate):
        return template_or_source, template_or_source.source
    source = arguments.text(template_or_source, call, "template_or_source")
    return gotemplate.compile(source), source


def _checked(call: str, source: Any, kind: Any = "json") -> str:
    """The template text and kind a public function was given, refused in hdkit's words."""
    if kind not in _KINDS:
        raise ArgumentError(f"kind must be one of {', '.join(map(repr, _KINDS))}, got {kind!r}", Location(call, "kind"))
    return arguments.text(source, call, "source")


def _secret_values(data: Any) -> frozenset[str]:
    """Every revealed secret value held anywhere in ``data`` (a worklist: data may be deep)."""
    found: set[str] = set()
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, Secret):
            if item:
                found.add(item.reveal())
        elif isinstance(item, Mapping):
            todo.extend(item.values())
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
    return frozenset(found)


def _redact(text: str, secrets: frozenset[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def render_checked(
    template_or_source: CompiledTemplate | str,
    data: Mapping[str, Any],
    kind: Kind,
    location: Location | None = None,
) -> Rendered:
    """Render exactly as Go does; for JSON bodies that do not parse, say why and where.

    A body template that is not JSON by itself is reported as such; otherwise the problem
    names the action whose printed value broke the JSON, with the value (secrets masked).
    """
    where = location or Location()
    template, source = _template(template_or_source, "render_checked")
    _checked("render_checked", source, kind)
    printed: list[tuple[int, str, int]] = []

    def record(start: int, text: str, out_pos: int) -> str:
        printed.append((start, text, out_pos))
        return text

    secrets = _secret_values(data)
    text = template.render(data, hook=record)
    if kind != "json":
        return Rendered(text, [], secrets)
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        problems = check_json_template(source, where)
        problems = problems or [_blame(source, printed, err, secrets, where)]
        return Rendered(text, problems, secrets)
    except RecursionError:
        problem = Problem(
            "error", "rendered body nests too deeply to check as JSON", where.at(1, 1), code="json-render"
        )
        return Rendered(text, check_json_template(source, where) or [problem], secrets)
    return Rendered(text, [], secrets)


def _blame(
    source: str,
    printed: list[tuple[int, str, int]],
    err: json.JSONDecodeError,
    secrets: frozenset[str],
    where: Location,
) -> Problem:
    """The problem for the last value printed before the point where the JSON broke."""
    culprit = next((p for p in reversed(printed) if p[2] <= err.pos), None)
    if culprit is None:
        return Problem(
            "error",
            f"rendered body is not valid JSON: {err.msg} "
            f"(rendered line {err.lineno}, column {err.colno})",
            where.at(1, 1),
            code="json-render",
        )
    start, value, _ = culprit
    span = next(s for s in action_spans(source) if s.start == start)
    context = action_contexts(source, "json").get(start, Context.JSON_VALUE)
    shown = _redact(value, secrets)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return Problem(
        "error",
        f"rendered body is not valid JSON ({err.msg}): {{{{{span.text}}}}} printed {shown!r}; "
        "the PBX renders values raw",
        where.at(span.line, span.column),
        fix=_json_fix(source, span, context),
        code="json-broken-by-value",
    )


def _json_escape(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _url_escape(text: str) -> str:
    """Yeastar's UrlEncode: only ``A-Za-z0-9-_.~`` kept, space as ``%20``."""
    return quote(text, safe="")


_ESCAPERS = {
    Context.JSON_STRING: _json_escape,
    Context.JSON_KEY: _json_escape,
    Context.URL_QUERY: _url_escape,
}


def render_safe(template_or_source: CompiledTemplate | str, data: Mapping[str, Any], kind: Kind) -> str:
    """Opt-in safe mode: each printed value escaped for the context it lands in.

    Values already escaped by the template (``UrlEncode``, ``printf "%q"``...) are left alone.
    """
    template, source = _template(template_or_source, "render_safe")
    contexts = action_contexts(_checked("render_safe", source, kind), kind)
    spans = {s.start: s for s in action_spans(source)}

    def escape(start: int, text: str, _out_pos: int) -> str:
        escaper = _ESCAPERS.get(contexts.get(start, Context.TEXT))
        span = spans.get(start)
        if escaper is None or span is None or _escaped(span):
            return text
        return escaper(text)

    return template.render(data, hook=escape)
