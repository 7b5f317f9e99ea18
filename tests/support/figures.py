"""The figures the hardening suites print on every run (see tests/suites/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
