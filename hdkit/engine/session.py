"""One run of a template: the client, the auth, the base variables, and the send-and-extract step.

Every scenario (users, search, calls, follow-ups) sends through :meth:`Session.send`, which
renders with the shared :class:`~hdkit.engine.prepare.Renderer` and hands the request to the
run's :class:`~hdkit.engine.client.Client`. Dry run or real run, the same code renders; only
the client decides whether the request leaves the machine.

Extraction reads the raw (unredacted) body; everything that leaves the session for display
(step outputs, trace variables) goes through the run's Redactor first. A value extracted into
a variable whose name, or whose path's last key, says it is secret (``AccessToken`` from
``$.data.access_token`` after a login follow-up) becomes a :class:`~hdkit.secrets.Secret` the
moment it is extracted: it is registered with the run's redactor (the exchanges already
recorded are redacted again) and later requests still receive its value, revealed only when
rendered into them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from hdkit.engine.client import Client, Exchange, Response, redact_exchange
from hdkit.engine.prepare import Prepared, Renderer, Spec
from hdkit.errors import HdkitError, Location
from hdkit.extract import extract_records, extract_values
from hdkit.model import Template
from hdkit.paths import MISSING
from hdkit.problems import Problem
from hdkit.results import Step
from hdkit.secrets import Redactor, Secret, is_secret_name

__all__ = ["LEARNT_MIN_CHARS", "Sent", "Session", "matched_nothing"]

LEARNT_MIN_CHARS = 8  # a value learnt from an answer is redacted elsewhere from this length on


@dataclass(frozen=True)
class Sent:
    """A rendered request and what came of it."""

    prepared: Prepared
    response: Response
    problems: list[Problem] = field(default_factory=list)

    @property
    def exchange(self) -> Exchange:
        return self.response.exchange

    @property
    def ok(self) -> bool:
        """The helpdesk answered 2xx with a usable body, or the request was rendered in a dry run."""
        return self.response.ok

    def step(self, outputs: Mapping[str, object], redactor: Redactor, note: str = "") -> Step:
        shown = {k: _shown(v, redactor) for k, v in outputs.items()}
        exchange = redact_exchange(self.exchange, redactor)  # secrets learnt since
        exchange = replace(exchange, extracted=shown) if shown else exchange
        return Step(self.prepared.step, exchange, shown, tuple(self.problems), note or (self.exchange.error or ""))


def _shown(value: object, redactor: Redactor) -> object:
    if isinstance(value, Secret):
        return str(value)
    if isinstance(value, str):
        return redactor.text(value)
    if isinstance(value, list):
        return [_shown(v, redactor) for v in value]
    return value


@dataclass
class Session:
    """What every scenario of one run shares."""

    template: Template
    client: Client
    renderer: Renderer
    base: dict[str, object]
    auth: httpx.Auth | None = None

    @property
    def redactor(self) -> Redactor:
        return self.client.redactor

    def shown(self, variables: Mapping[str, object]) -> dict[str, object]:
        """Variables fit for display: secrets masked, known secret values redacted."""
        out: dict[str, object] = {}
        for name, value in variables.items():
            value = _shown(value, self.redactor)
            out[name] = value if isinstance(value, (str, int, float, bool, list)) or value is None else str(value)
        return out

    async def send(self, spec: Spec, variables: Mapping[str, object], *, expect_json: bool = True) -> Sent:
        prepared = self.renderer.render(spec, variables)
        response = await self.client.send(
            prepared.step, prepared.method, prepared.url, headers=prepared.headers,
            body=prepared.body, auth=self.auth, expect_json=expect_json,
        )
        return Sent(prepared, response, list(prepared.problems))

    def records(self, sent: Sent, mapping: Mapping[str, str], variables: Mapping[str, object],
                section: str = "Contact Search") -> list[dict[str, Any]]:
        """Records mapped from a response (``[]`` when it failed, was skipped or was a dry run).

        A path that cannot be applied, or that matches nothing in any record, becomes a
        problem on the step, not an exception.
        """
        if not sent.ok or not mapping or not sent.response.text:
            return []
        try:
            rows = extract_records(sent.response.text, mapping, variables)
        except HdkitError as exc:
            sent.problems.append(_problem(sent, exc))
            return []
        # A path that matches nothing gives an empty value, not an error (format reference 1.4),
        # but one that matches nothing in any record is most likely a typo: say so.
        sent.problems.extend(
            matched_nothing(sent.prepared.step, section, name, path, len(rows))
            for name, path in mapping.items() if rows and all(r[name] is MISSING for r in rows)
        )
        return [{k: "" if v is MISSING else v for k, v in row.items()} for row in rows]

    def values(self, sent: Sent, outputs: Sequence[tuple[str, str]],
               variables: Mapping[str, object]) -> dict[str, object]:
        """Outputs (variable, path) read from a response, in order; missing paths set nothing."""
        if not sent.ok or not outputs or not sent.response.text:
            return {}
        names = [name for name, _ in outputs]
        try:
            found = extract_values(sent.response.text, [path for _, path in outputs])
        except HdkitError as exc:
            sent.problems.append(_problem(sent, exc))
            return {}
        values = {name: value for name, value in zip(names, found, strict=False) if value is not MISSING}
        return self._guard_secrets(values, dict(outputs))

    def _guard_secrets(self, values: dict[str, object], paths: Mapping[str, str]) -> dict[str, object]:
        """Secret-looking outputs become Secrets, known to the redactor from now on.

        When only the path says so (``Status`` from ``$.session.state``), the value is searched
        for in other text only from :data:`LEARNT_MIN_CHARS` characters on: a short ``"open"``
        would mask every ``open`` of the run, and a real token is never that short.
        """
        for name, value in values.items():
            path = paths.get(name, "")
            if isinstance(value, str) and value and _names_a_secret(name, path):
                if is_secret_name(name) or len(value) >= LEARNT_MIN_CHARS:
                    self.client.add_secret(value)
                values[name] = Secret(value)
        return values


def matched_nothing(step: str, section: str, name: str, path: str, records: int) -> Problem:
    """The warning for a mapped path that matched nothing in any record: most likely a typo."""
    return Problem("warning", f"{step}: the path {path!r} matched nothing in any of {records} record(s)",
                   Location(section, name.strip("\x00")), fix="check the path against the response body",
                   code="path-matched-nothing")


def _names_a_secret(variable: str, path: str) -> bool:
    """A variable (``AccessToken``) or the last key of its path (``data.access_token``) that
    says its value is a credential."""
    last = path.replace("[", ".").replace("]", "").rstrip(".").rsplit(".", 1)[-1]
    return is_secret_name(variable) or is_secret_name(last)


def _problem(sent: Sent, exc: HdkitError) -> Problem:
    loc = exc.location or Location()
    return Problem("error", f"{sent.prepared.step}: {exc.message}", loc, code="extract-failed")
