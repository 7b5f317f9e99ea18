"""Helpdesk text reaches the terminal with its control characters shown, not obeyed (issue 12, Low)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from hdkit.display import PrintableStream, printable, printable_frame
from hdkit.cli.output import write_table

HOSTILE = "Ada\x1b]0;pwned\x07 \x1b[2J\x00Love\u202elace\x9b31m"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("plain text", "plain text", id="plain"),
        pytest.param("\x1b[2J", "\\x1b[2J", id="esc"),
        pytest.param("a\x00b", "a\\x00b", id="nul"),
        pytest.param("\x9b31m", "\\x9b31m", id="c1-csi"),
        pytest.param("pay\u202eusd", "pay\\u202eusd", id="bidi-override"),
        pytest.param("a\tb\nc", "a\\x09b\\x0ac", id="lines-escaped"),
        pytest.param("José Müller", "José Müller", id="accents-kept"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_keeps_lines_when_asked() -> None:
    assert printable("a\tb\nc\x1b", keep_lines=True) == "a\tb\nc\\x1b"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_tables_never_carry_control_characters_to_the_terminal(fmt: str) -> None:
    frame = pd.DataFrame({"FirstName": [HOSTILE, "Bob"], "n": [1, 2], "extracted": [{"k": HOSTILE}, {}]})
    out = io.StringIO()
    write_table(frame, fmt, out)
    text = out.getvalue()
    assert not any(c in text for c in "\x1b\x00\x07\u202e\x9b")
    assert "Ada" in text and "Bob" in text
    assert frame.loc[0, "FirstName"] == HOSTILE  # display only: the data keeps its bytes


def test_printable_frame_escapes_cells_and_column_names() -> None:
    frame = pd.DataFrame({"a\x1b": ["x\x1by"]})
    shown = printable_frame(frame)
    assert list(shown.columns) == ["a\\x1b"] and shown.iloc[0, 0] == "x\\x1by"


def test_printable_stream() -> None:
    out = io.StringIO()
    print(f"error: {HOSTILE}", file=PrintableStream(out))
    assert out.getvalue() == "error: " + printable(HOSTILE) + "\n"


def test_a_carriage_return_is_escaped_even_where_lines_are_kept() -> None:
    """CSV leaves a lone CR unquoted; on a terminal it would print the rest over the line's start."""
    assert printable("Ada\rEVIL\tx\ny", keep_lines=True) == "Ada\\x0dEVIL\tx\ny"
    out = io.StringIO()
    write_table(pd.DataFrame({"FirstName": ["Ada\rEVIL"]}), "csv", out)
    assert out.getvalue() == "FirstName\nAda\\x0dEVIL\n"
