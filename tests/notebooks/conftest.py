"""The notebook suite's total time, printed at the end of every run that executed notebooks."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from support import notebooks

    if notebooks.TIMES:
        each = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in notebooks.TIMES.items())
        terminalreporter.write_line(f"notebook suite: {len(notebooks.TIMES)} notebooks executed in "
                                    f"{sum(notebooks.TIMES.values()):.1f} s (goal: < 60 s on 2 cores): {each}")
