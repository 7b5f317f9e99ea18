"""HTML for the workbench's views: tables, JSON trees, requests. Presentation only.

Everything shown is escaped here (helpdesk data is untrusted: a contact named
``<img onerror=...>`` must show as text). Tables never show ``None``, ``NaN`` or ``<NA>``
(an empty cell is empty) and scroll sideways inside their box instead of widening the page,
so the workbench stays usable at 1024 px. JSON bodies are native ``<details>`` elements:
collapsible in JupyterLab, Voila and a saved notebook alike, with no JavaScript.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

from hdkit.problems import Problem
from hdkit.responses import RequestPart, TreeNode

__all__ = ["MONO", "clean", "frame_html", "lines_html", "pre", "problem_line", "request_html", "timeline_html", "tree_html"]

MAX_ROWS = 20
MONO = "font-family:var(--jp-code-font-family,monospace);font-size:12px"
_SCROLL = "max-width:100%;overflow-x:auto"
_PRE = f"{MONO};max-height:24em;overflow:auto;white-space:pre-wrap;word-break:break-all;margin:2px 0"
_ERROR, _WARNING = "#b00020", "#8a6d00"


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every missing cell (None, NaN, NA, NaT) as an empty string."""
    shown = frame.astype(object)
    return shown.where(frame.notna(), "")


def frame_html(frame: pd.DataFrame, max_rows: int = MAX_ROWS) -> str:
    """A DataFrame as an escaped HTML table (a screenful of rows), scrolling sideways in its box."""
    if frame.empty and not len(frame.columns):
        return "<i>no rows</i>"
    # headers left-aligned like the cells under them (pandas right-aligns headers by default)
    table = clean(frame).to_html(max_rows=max_rows, escape=True, border=0, justify="left")
    return f"<div style='{_SCROLL}'>{table}</div>"


def pre(text: str) -> str:
    return f"<pre style='{_PRE}'>{html.escape(text)}</pre>"


def problem_line(p: Problem) -> str:
    """One problem as one short line: severity colour, where, message, fix."""
    color = _ERROR if p.is_error else _WARNING
    where = html.escape(" > ".join(x for x in (p.location.section, p.location.field) if x))
    pos = f" (line {p.location.line}, column {p.location.column})" if p.location.line else ""
    fix = f" <i>fix: {html.escape(p.fix)}</i>" if p.fix else ""
    return (f"<span style='color:{color}'>{p.severity}</span> <b>{where}</b>{pos}: "
            f"{html.escape(p.message)}{fix}")


def request_html(parts: Sequence[RequestPart]) -> str:
    """The rendered request part by part, each part's problems right beside it."""
    rows = []
    for part in parts:
        text = pre(part.text) if part.text else ""
        notes = "".join(f"<div>&#9888; {problem_line(p)}</div>" for p in part.problems)
        rows.append(f"<tr><th style='text-align:left;vertical-align:top;white-space:nowrap;padding-right:8px'>"
                    f"{html.escape(part.label)}</th><td style='width:100%'>{text}{notes}</td></tr>")
    return f"<div style='{_SCROLL}'><table style='width:100%'>{''.join(rows)}</table></div>"


def tree_html(node: TreeNode, open_depth: int = 1) -> str:
    """A JSON tree as nested ``<details>``, open down to ``open_depth``; each node names its path."""
    out: list[str] = []
    # a stack of nodes and closing tags: iterative, so a deep body cannot exhaust Python's stack
    todo: list[tuple[TreeNode | str, int]] = [(node, 0)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        label = (f"<b>{html.escape(item.key)}</b>: " if item.key else "")
        path = f" <small style='color:#777' title='GJSON path'>{html.escape(item.path)}</small>" if item.path else ""
        if not item.children and not item.more:
            out.append(f"<div style='{MONO};margin-left:14px'>{label}{html.escape(item.preview)}{path}</div>")
            continue
        opened = " open" if depth < open_depth else ""
        out.append(f"<details{opened} style='{MONO};margin-left:{0 if depth == 0 else 4}px'>"
                   f"<summary>{label}{html.escape(item.preview)}{path}</summary><div style='margin-left:10px'>")
        more = f"<div style='{MONO};margin-left:14px;color:#777'>... {item.more} more</div>" if item.more else ""
        todo.append((more + "</div></details>", depth))
        todo.extend((child, depth + 1) for child in reversed(item.children))
    return f"<div style='{_SCROLL};max-height:30em;overflow-y:auto'>{''.join(out)}</div>"


def lines_html(lines: Iterable[str]) -> str:
    return "<br>".join(lines)


_PHASE_COLORS = {"match": "#4c78a8", "create contact": "#72b7b2", "ticket": "#f58518",
                 "journal": "#54a24b", "follow-up": "#b279a2"}


def timeline_html(steps: pd.DataFrame) -> str:
    """A call's steps on one time axis: a bar per step from its start, as long as it took."""
    if steps.empty:
        return "<i>no steps</i>"
    total = max(float((steps["start_ms"] + steps["elapsed_ms"]).max()), 1.0)
    rows = []
    for row in steps.itertuples(index=False):
        left = 100 * float(row.start_ms) / total
        width = max(100 * float(row.elapsed_ms) / total, 0.5)
        color = _PHASE_COLORS.get(str(row.phase), "#999")
        tip = html.escape(f"{row.step}: {row.phase}, {row.elapsed_ms} ms from {row.start_ms} ms"
                          + (f"; sets {row.outputs}" if row.outputs else ""), quote=True)
        rows.append(
            f"<tr title='{tip}'><td style='white-space:nowrap;padding-right:8px;{MONO}'>{html.escape(str(row.step))}</td>"
            f"<td style='width:100%'><div style='position:relative;height:14px;background:#f3f3f3'>"
            f"<div style='position:absolute;left:{left:.2f}%;width:{width:.2f}%;height:14px;background:{color}'>"
            f"</div></div></td><td style='white-space:nowrap;padding-left:6px;{MONO}'>"
            f"{html.escape(str(row.status) or str(row.outcome))} · {float(row.elapsed_ms):.0f} ms</td></tr>")
    legend = " ".join(f"<span style='color:{c}'>&#9632;</span> {p}" for p, c in _PHASE_COLORS.items())
    return (f"<div style='max-width:100%;overflow-x:auto'><table style='width:100%'>{''.join(rows)}</table>"
            f"<small>{legend} · {total:.0f} ms in all</small></div>")
