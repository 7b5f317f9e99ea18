"""Problems: findings that do not stop hdkit on their own.

Validation, linting and checked rendering all *collect* what is wrong instead of raising at
the first issue, so a user sees every problem in one pass. A :class:`Problem` carries the same
:class:`~hdkit.errors.Location` as an error, a severity, and (when hdkit knows one) the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hdkit.errors import Location

__all__ = ["Problem", "Severity"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding: ``error`` blocks an action (export, run), ``warning`` does not.

    ``code`` is a short stable identifier (``"json-unescaped-string"``) for filtering.
    """

    severity: Severity
    message: str
    location: Location
    fix: str | None = None
    code: str = ""

    def __str__(self) -> str:
        text = f"{self.severity}: {self.location}: {self.message}"
        if self.fix:
            text += f" (fix: {self.fix})"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
