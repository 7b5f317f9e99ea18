"""The hardening suites print their figures at the end of every run that collected them.

``planted secrets`` counts the places scanned (outputs, logs, files, reprs, errors) and the hits
of a planted secret in any spelling (must be 0); ``faults`` counts the fault cases run and the
records lost, duplicated and POSTs sent twice across them (each must be 0). Each test asserts
its own share, so a wrong figure is also a failed test.
"""

from __future__ import annotations

import pytest

from support.figures import FAULTS
from support.leaks import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.places:
        terminalreporter.write_sep("-", "hardening suites")
        terminalreporter.write_line(f"planted secrets: {TALLY.places} places scanned, {len(TALLY.hits)} hits")
        for hit in TALLY.hits[:20]:
            terminalreporter.write_line(f"  hit: {hit}")
    if FAULTS.cases:
        if not TALLY.places:
            terminalreporter.write_sep("-", "hardening suites")
        terminalreporter.write_line(f"faults: {FAULTS.cases} cases, {FAULTS.lost} lost, "
                                    f"{FAULTS.duplicated} duplicated, {FAULTS.resent} resent")
        if terminalreporter.config.option.verbose > 0:
            for row in FAULTS.rows:
                terminalreporter.write_line(f"  {row}")
