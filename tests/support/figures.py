"""The figures the hardening suites print on every run (see tests/suites/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FaultFigure:
    """Fault cases run and what they cost: each count must stay 0."""

    cases: int = 0
    lost: int = 0
    duplicated: int = 0
    resent: int = 0
    rows: list[str] = field(default_factory=list)

    def add(self, case: str, *, lost: int = 0, duplicated: int = 0, resent: int = 0, detail: str = "") -> None:
        self.cases += 1
        self.lost += lost
        self.duplicated += duplicated
        self.resent += resent
        self.rows.append(f"{case}: lost {lost}, duplicated {duplicated}, resent {resent}; {detail}".rstrip("; "))


FAULTS = FaultFigure()


SLOW_SECONDS = 10.0  # a case slower than this is counted (and shown); the figure's promise is 0
DEADLINE_SECONDS = 120.0  # a case slower than this fails its test: far above CI noise


@dataclass
class BadInputFigure:
    """Bad input cases run and how hdkit answered: uncaught, unlocated and slow must stay 0.

    A case is one call of hdkit's public surface (the CLI's ``main``, ``load``, ``from_xml``,
    ``validate``, an Engine dry run) with hostile input. It may succeed or raise an
    :class:`~hdkit.errors.HdkitError`; anything else escaping is *uncaught*. An error, a
    validation problem or a CLI error line that says nowhere (no file, section, field or line)
    is *unlocated*.
    """

    cases: int = 0
    uncaught: int = 0
    unlocated: int = 0
    slow: int = 0
    by_family: dict[str, int] = field(default_factory=dict)
    rows: list[str] = field(default_factory=list)

    def run(self, family: str, case: str, call: Callable[[], Any]) -> Any:
        """Run one case and count it; returns what ``call`` returned (None when it raised)."""
        from hdkit.errors import HdkitError

        self.cases += 1
        self.by_family[family] = self.by_family.get(family, 0) + 1
        started = time.perf_counter()
        result, verdict = None, "ok"
        try:
            result = call()
        except HdkitError as err:
            verdict = "error"
            if not located(err):
                self._note("unlocated", family, case, str(err).splitlines()[0])
        except Exception as err:  # noqa: BLE001 - what the suite exists to count
            self._note("uncaught", family, case, f"{type(err).__name__}: {err}"[:200])
            verdict = "uncaught"
        wall = time.perf_counter() - started
        if wall > SLOW_SECONDS:
            self._note("slow", family, case, f"{wall:.1f} s")
        assert wall < DEADLINE_SECONDS, f"{family} {case}: {wall:.0f} s"
        self.rows.append(f"{family} {case}: {verdict} in {wall * 1000:.0f} ms")
        return result

    def check_problems(self, family: str, case: str, problems: Iterable[Any]) -> None:
        """Validation problems must each say where they are."""
        for problem in problems:
            where = problem.location
            if not (where.line or where.source or where.section or where.field):
                self._note("unlocated", family, case, str(problem))

    def check_lines(self, family: str, case: str, text: str, places: Iterable[str]) -> None:
        """CLI output: no traceback, and every ``error:`` line names a place."""
        if "Traceback (most recent call last)" in text:
            self._note("uncaught", family, case, "a traceback was printed")
        marks = [p for p in places if p] + [" > ", "line "]
        for line in text.splitlines():
            if line.startswith("error:") and not any(m in line for m in marks):
                self._note("unlocated", family, case, line[:200])

    def _note(self, kind: str, family: str, case: str, detail: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.rows.append(f"{kind.upper()} {family} {case}: {detail}")


def located(err: Any) -> bool:
    """Whether an HdkitError says where (ValidationFailed: each of its problems does)."""
    problems = getattr(err, "problems", None)
    if problems:
        return all(p.location.line or p.location.source or p.location.section or p.location.field for p in problems)
    where = err.location
    return where is not None and bool(where.line or where.source or where.section or where.field)


BAD_INPUT = BadInputFigure()
