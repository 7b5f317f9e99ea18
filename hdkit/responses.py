"""One exchange as a person reads it: the request as the PBX rendered it, then the response.

The workbench's debug views, the CLI and notebooks show the same thing, so it is built here,
below the UI: :func:`request_parts` splits a (redacted) request into URL, headers and body, each
with the problems rendering found in it (a caller name that broke the JSON body sits beside
the body, not in a list elsewhere); :class:`ResponseView` holds status, timing, size and the
body pretty-printed, plus a bounded :class:`TreeNode` tree for bodies too large to read flat,
each node carrying the GJSON path that reaches it; :func:`evaluate_path` answers a path typed
against the last response with the value GJSON yields there, or the located error.

Everything here works on already-redacted exchanges (the engine's client redacts them): no
secret can reach a view through this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Protocol

from hdkit.errors import HdkitError, Location
from hdkit.paths import compile_path, load_json
from hdkit.problems import Problem

__all__ = [
    "LARGE_BODY_CHARS",
    "PathAnswer",
    "RequestPart",
    "ResponseView",
    "TreeNode",
    "evaluate_path",
    "gjson_key",
    "json_tree",
    "request_parts",
    "request_text",
]

LARGE_BODY_CHARS = 20_000  # above this a body is shown as a collapsible tree, not flat
MAX_TREE_CHILDREN = 50  # per node; the rest is counted in ``TreeNode.more``
MAX_TREE_NODES = 2_000  # per tree, so a 10 MB body never becomes 10 MB of widgets
_PREVIEW = 60


class ExchangeLike(Protocol):
    step: str
    method: str
    url: str
    request_headers: Mapping[str, str]
    request_body: str | None
    status: int | None
    response_headers: Mapping[str, str]
    response_body: str | None
    elapsed_ms: float
    attempts: int
    outcome: Any
    error: str | None


# --------------------------------------------------------------------------- the request


@dataclass(frozen=True)
class RequestPart:
    """One part of a rendered request (``URL``, ``Header Name``, ``Body``) and its problems."""

    label: str
    text: str
    problems: tuple[Problem, ...] = ()


def _part_of(problem: Problem, headers: Iterable[str]) -> str:
    """Which part of the request a rendering problem is located in (its field's last words)."""
    where = problem.location.field or ""
    for name in headers:
        if where.endswith(f" Header {name}"):
            return f"Header {name}"
    for label, endings in (("URL", (" URL", "URL")), ("Body", (" Body", " Request Body")),
                           ("Headers", (" Headers",))):
        if where.endswith(endings):
            return label
    return ""


def request_parts(exchange: ExchangeLike, problems: Sequence[Problem] = ()) -> list[RequestPart]:
    """The request as sent (or, in a dry run, as it would be sent), part by part.

    Each rendering problem goes beside the part it is located in; the ones that name no part
    (a warning about the step as a whole) come as a last part labelled ``Step``.
    """
    headers = dict(exchange.request_headers)
    placed: dict[str, list[Problem]] = {}
    for p in problems:
        placed.setdefault(_part_of(p, headers), []).append(p)
    parts = [RequestPart("URL", f"{exchange.method} {exchange.url}", tuple(placed.pop("URL", ())))]
    json_headers = tuple(placed.pop("Headers", ()))
    for i, (name, value) in enumerate(headers.items()):
        own = tuple(placed.pop(f"Header {name}", ()))
        parts.append(RequestPart(f"Header {name}", f"{name}: {value}", own + (json_headers if i == 0 else ())))
    if not headers and json_headers:
        parts.append(RequestPart("Headers", "", json_headers))
    if exchange.request_body is not None:
        parts.append(RequestPart("Body", exchange.request_body, tuple(placed.pop("Body", ()))))
    rest = tuple(p for ps in placed.values() for p in ps)
    if rest:
        parts.append(RequestPart("Step", "", rest))
    return parts


def request_text(exchange: ExchangeLike) -> str:
    """The request as one text: request line, headers, a blank line, the body (redacted)."""
    lines = [f"{exchange.method} {exchange.url}"]
    lines += [f"{k}: {v}" for k, v in dict(exchange.request_headers).items()]
    if exchange.request_body is not None:
        lines += ["", exchange.request_body]
    return "\n".join(lines)


# --------------------------------------------------------------------------- the response


_SPECIAL = re.compile(r"([.*?|#@\\!=<>%\"()\[\]{},:])")


def gjson_key(key: str | int) -> str:
    """One path component for ``key``, its GJSON metacharacters escaped with ``\\``."""
    if isinstance(key, int):
        return str(key)
    return _SPECIAL.sub(r"\\\1", key)


def _join(parent: str, key: str | int) -> str:
    return f"{parent}.{gjson_key(key)}" if parent else gjson_key(key)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    return "number" if isinstance(value, (int, float)) else "string"


def _preview(value: Any) -> str:
    if isinstance(value, dict):
        return f"{{{len(value)} key{'s' * (len(value) != 1)}}}"
    if isinstance(value, list):
        return f"[{len(value)} item{'s' * (len(value) != 1)}]"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 3] + "..."


@dataclass(frozen=True)
class TreeNode:
    """A JSON value as a collapsible node: ``path`` is the GJSON path that reaches it.

    ``more`` counts children left out (per node and per tree limits), so a view can say so.
    """

    key: str
    path: str
    kind: str
    preview: str
    children: tuple[TreeNode, ...] = ()
    more: int = 0


def json_tree(value: Any, *, max_children: int = MAX_TREE_CHILDREN, max_nodes: int = MAX_TREE_NODES) -> TreeNode:
    """The tree of a decoded JSON value, at most ``max_children`` per node and ``max_nodes`` in all.

    Walked breadth-first, so a huge body keeps its top levels and loses its deepest leaves; built
    without recursion, so a deeply nested body cannot exhaust the stack.
    """
    # node id -> (value, key, path, child ids, children left out); a child's id > its parent's
    nodes: list[tuple[Any, str, str, list[int], int]] = [(value, "", "", [], 0)]
    todo = 0
    while todo < len(nodes):
        item, key, path, kids, _ = nodes[todo]
        entries = list(item.items()) if isinstance(item, dict) else list(enumerate(item)) if isinstance(item, list) else []
        shown = entries[: max(0, min(max_children, max_nodes - len(nodes)))]
        for k, v in shown:
            kids.append(len(nodes))
            nodes.append((v, str(k), _join(path, k), [], 0))
        nodes[todo] = (item, key, path, kids, len(entries) - len(shown))
        todo += 1
    built: dict[int, TreeNode] = {}
    for i in range(len(nodes) - 1, -1, -1):
        item, key, path, kids, more = nodes[i]
        built[i] = TreeNode(key, path, _kind(item), _preview(item), tuple(built.pop(k) for k in kids), more)
    return built[0]


def _reason(status: int | None) -> str:
    if status is None:
        return ""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} kB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class ResponseView:
    """What came back for one request, ready to show (the body is already redacted)."""

    step: str
    status: int | None
    reason: str
    outcome: str
    elapsed_ms: float
    attempts: int
    error: str
    content_type: str
    body: str
    parsed: Any = field(default=None, repr=False)
    is_json: bool = False

    @classmethod
    def of(cls, exchange: ExchangeLike) -> ResponseView:
        body = exchange.response_body or ""
        headers = {k.lower(): v for k, v in dict(exchange.response_headers or {}).items()}
        parsed, is_json = None, False
        if body.strip():
            try:
                parsed, is_json = load_json(body), True
            except HdkitError:
                pass
        return cls(exchange.step, exchange.status, _reason(exchange.status), str(exchange.outcome),
                   float(exchange.elapsed_ms or 0.0), int(exchange.attempts or 0), exchange.error or "",
                   headers.get("content-type", ""), body, parsed, is_json)

    @property
    def large(self) -> bool:
        """Too large to read flat: shown as a tree whose top levels are open."""
        return len(self.body) > LARGE_BODY_CHARS

    @property
    def status_line(self) -> str:
        """``200 OK · 12 ms · 1.2 kB JSON`` (or what went wrong instead of a status)."""
        head = f"{self.status} {self.reason}".strip() if self.status is not None else self.outcome.replace("_", " ")
        parts = [head, f"{self.elapsed_ms:.0f} ms"]
        if self.attempts > 1:
            parts.append(f"{self.attempts} attempts")
        if self.body:
            parts.append(f"{_size(len(self.body.encode('utf-8')))} {'JSON' if self.is_json else 'text'}")
        if self.error:
            parts.append(self.error)
        return " · ".join(parts)

    @property
    def pretty(self) -> str:
        """The body indented (JSON) or as it came (anything else)."""
        if not self.is_json:
            return self.body
        return json.dumps(self.parsed, indent=2, ensure_ascii=False)

    def tree(self, **limits: int) -> TreeNode | None:
        """The body as a collapsible tree (None when it is not JSON)."""
        return json_tree(self.parsed, **limits) if self.is_json else None


# --------------------------------------------------------------------------- the path box


@dataclass(frozen=True)
class PathAnswer:
    """What a GJSON path yields on a body: the value, or why it cannot be answered and where.

    ``exists`` is False for a path that finds nothing (missing is not null); ``text`` is the
    value as Go's ``String()`` prints it (what a template variable receives) and ``pretty`` the
    JSON value indented; ``error`` (with ``column`` and ``snippet``) is set instead when the
    path or the body cannot be read.
    """

    path: str
    exists: bool = False
    text: str = ""
    pretty: str = ""
    kind: str = ""
    error: str = ""
    column: int | None = None
    snippet: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def __str__(self) -> str:
        if self.error:
            where = f" (column {self.column})" if self.column else ""
            return f"{self.error}{where}"
        return self.pretty if self.exists else "(no value: the path finds nothing)"


def evaluate_path(path: str, body: str, location: Location | None = None) -> PathAnswer:
    """Answer ``path`` (GJSON, or JSONPath when it starts with ``$``) on ``body`` as the PBX would."""
    where = location or Location("Path box", "Path")
    if not body.strip():
        return PathAnswer(path, error="no response to read yet: try a request first")
    try:
        result = compile_path(path, where).get(body)
    except HdkitError as err:
        loc = err.location
        return PathAnswer(path, error=err.message, column=loc.column if loc else None, snippet=err.snippet or "")
    if not result.exists:
        return PathAnswer(path)
    value = result.value()
    pretty = json.dumps(value, indent=2, ensure_ascii=False) if isinstance(value, (dict, list)) else result.string
    return PathAnswer(path, True, result.string, pretty, _kind(value))
