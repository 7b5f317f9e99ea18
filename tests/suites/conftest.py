"""The hardening suites print their figures at the end of every run that collected them.

``planted secrets`` counts the places scanned (outputs, logs, files, reprs, errors) and the hits
of a planted secret in any spelling (must be 0); ``faults`` counts the fault cases run and the
records lost, duplicated and POSTs sent twice across them (each must be 0); ``bad input``
counts hostile-input cases and the uncaught exceptions, errors without a location and runs
over 10 s among them (each must be 0). Each test asserts
its own share, so a wrong figure is also a failed test.
"""

from __future__ import annotations

import pytest

from support.figures import BAD_INPUT, FAULTS, SLOW_SECONDS
from support.leaks import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.places:
        terminalreporter.write_sep("-", "hardening suites")
        terminalreporter.write_line(f"planted secrets: {TALLY.places} places scanned, {len(TALLY.hits)} hits")
        for hit in TALLY.hits[:20]:
            terminalreporter.write_line(f"  hit: {hit}")
    if FAULTS.cases or BAD_INPUT.cases:
        if not TALLY.places:
            terminalreporter.write_sep("-", "hardening suites")
    if FAULTS.cases:
        terminalreporter.write_line(f"faults: {FAULTS.cases} cases, {FAULTS.lost} lost, "
                                    f"{FAULTS.duplicated} duplicated, {FAULTS.resent} resent")
        if terminalreporter.config.option.verbose > 0:
            for row in FAULTS.rows:
                terminalreporter.write_line(f"  {row}")
    if BAD_INPUT.cases:
        terminalreporter.write_line(
            f"bad input: {BAD_INPUT.cases} cases, {BAD_INPUT.uncaught} uncaught exceptions, "
            f"{BAD_INPUT.unlocated} errors without a location, {BAD_INPUT.slow} runs over {SLOW_SECONDS:.0f} s")
        flagged = [r for r in BAD_INPUT.rows if r.split(" ", 1)[0].isupper()]
        for row in (BAD_INPUT.rows if terminalreporter.config.option.verbose > 1 else flagged)[:40]:
            terminalreporter.write_line(f"  {row}")
