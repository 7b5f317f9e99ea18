"""Simulated PBX call events: the variables a real call would hand to a template.

Journals, tickets and contact creation only run after a call, so testing them used to mean
placing real calls. A :class:`CallEvent` stands in for one: it supplies every predefined
variable of the format reference (section 3.9) with realistic, deterministic values (the
same ``start`` and ``seed`` always give the same event).

Which values are documented and which are inferred (see the format reference, 3.7-3.9):

* ``StartTimeUnix`` (int seconds), ``Talk_Duration_Sec`` (int), ``CallerNumber``,
  ``CalleeNumber``, ``RecordPath``, ``Phone``: documented names; ``Phone`` is always the
  external party.
* ``Communication_Type`` (``Inbound``/``Outbound``) and ``Call_Status`` (``ANSWERED``,
  ``NO ANSWER``): the Yeastar CDR vocabulary, inferred to be what templates receive.
* ``Time`` (``yyyy-MM-dd HH:mm:ss`` in the PBX zone), ``Talk_Duration`` (``HH:MM:SS``),
  ``Call_From``/``Call_To`` (``Name<number>`` when a name is known, else the number),
  ``Call_Log_Status`` (``Answered``/``Missed``/``No Answer``), ``RecordPath`` (a download URL,
  empty when nothing was recorded), ``DisplayName`` (the caller ID name, else the number),
  ``Owner`` (the associated helpdesk user id, empty when none), ``WhoModule``: inferred.

A queue call rings several agents: :func:`queue_call` returns one event per agent leg, the
answering agent's leg ``ANSWERED`` and the others ``NO ANSWER`` with ``missed_leg=True``, so the
runner can honour the template's "hide missed calls for unanswered agents" option.

``simulate(..., variables={...})`` (or :meth:`CallEvent.with_variables`) sets any variable by
hand, overriding what the simulator supplies: ``Call_To``, ``CallerDisplayName``, ``Owner``,
``TicketId``, a custom variable. That is how a given call is reproduced.
"""

from __future__ import annotations

import random
import time as _time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone, tzinfo
from enum import Enum

__all__ = ["CallEvent", "CallKind", "queue_call", "simulate"]

RECORDING_BASE = "https://pbx.example.invalid/api/recording/download"
QUEUE_AGENTS = (("1001", "Alice Agent"), ("1002", "Bob Agent"), ("1003", "Carol Agent"))


class CallKind(str, Enum):
    """The call scenarios a template can be exercised with (CLI spelling as value)."""

    INBOUND_ANSWERED = "inbound-answered"
    INBOUND_MISSED = "inbound-missed"
    OUTBOUND_ANSWERED = "outbound-answered"
    OUTBOUND_UNANSWERED = "outbound-unanswered"
    QUEUE = "queue"

    @property
    def inbound(self) -> bool:
        return self in (CallKind.INBOUND_ANSWERED, CallKind.INBOUND_MISSED, CallKind.QUEUE)

    @classmethod
    def parse(cls, kind: CallKind | str) -> CallKind:
        """The kind named ``kind``; a clear ValueError listing the choices otherwise."""
        try:
            return cls(kind)
        except ValueError:
            choices = ", ".join(k.value for k in cls)
            raise ValueError(f"unknown call event {kind!r}; choose one of {choices}") from None


@dataclass(frozen=True)
class CallEvent:
    """One call as seen by one extension. :meth:`variables` is what the template sees."""

    kind: CallKind
    phone: str
    extension: str
    extension_name: str
    contact_name: str
    start: int
    talk_seconds: int
    answered: bool
    record_path: str = ""
    owner: str = ""
    who_module: str = ""
    missed_leg: bool = False
    tz: tzinfo = timezone.utc
    overrides: tuple[tuple[str, object], ...] = ()  # variables set by hand; they win

    @property
    def inbound(self) -> bool:
        return self.kind.inbound

    def with_variables(self, variables: Mapping[str, object] | None) -> CallEvent:
        """The same call with ``variables`` set by hand (added to, and winning over, earlier ones)."""
        if not variables:
            return self
        return replace(self, overrides=tuple({**dict(self.overrides), **variables}.items()))

    def variables(self) -> dict[str, object]:
        """Every predefined call variable (section 3.9), typed as the PBX would pass them, with
        the variables set by hand on top."""
        external = _party(self.contact_name, self.phone)
        internal = _party(self.extension_name, self.extension)
        caller, callee = (self.phone, self.extension) if self.inbound else (self.extension, self.phone)
        call_from, call_to = (external, internal) if self.inbound else (internal, external)
        first, _, last = self.contact_name.partition(" ")
        simulated: dict[str, object] = {
            "Phone": self.phone,
            "CallerNumber": caller,
            "CallerDisplayName": self.contact_name if self.inbound else self.extension_name,
            "CalleeNumber": callee,
            "StartTimeUnix": self.start,
            "Time": datetime.fromtimestamp(self.start, self.tz).strftime("%Y-%m-%d %H:%M:%S"),
            "Communication_Type": "Inbound" if self.inbound else "Outbound",
            "Call_Status": "ANSWERED" if self.answered else "NO ANSWER",
            "Call_From": call_from,
            "Call_To": call_to,
            "Talk_Duration": _hms(self.talk_seconds),
            "Talk_Duration_Sec": self.talk_seconds,
            "RecordPath": self.record_path,
            "Call_Log_Status": self.log_status,
            "DisplayName": self.contact_name or self.phone,
            "FirstName": first or self.phone,
            "LastName": last,
            "BusinessNumber": self.phone,
            "ContactNumber": self.phone,
            "Owner": self.owner,
            "WhoModule": self.who_module,
        }
        return simulated | dict(self.overrides)

    @property
    def log_status(self) -> str:
        if self.answered:
            return "Answered"
        return "Missed" if self.inbound else "No Answer"

    def with_owner(self, owner: str) -> CallEvent:
        """The same call, attributed to the helpdesk user ``owner`` (from user association)."""
        return replace(self, owner=owner)


def _party(name: str, number: str) -> str:
    return f"{name}<{number}>" if name else number


def _hms(seconds: int) -> str:
    return str(timedelta(seconds=seconds)).rjust(8, "0")


def _recording(start: int, caller: str, callee: str) -> str:
    stamp = datetime.fromtimestamp(start, timezone.utc).strftime("%Y%m%d%H%M%S")
    digits = lambda n: "".join(c for c in n if c.isdigit())  # noqa: E731
    return f"{RECORDING_BASE}?file={stamp}-{digits(caller)}-{digits(callee)}.wav"


def simulate(
    kind: CallKind | str,
    phone: str = "+15550100",
    *,
    extension: str = "1001",
    extension_name: str = "Alice Agent",
    contact_name: str = "Jane Doe",
    start: int | None = None,
    seed: int = 0,
    recorded: bool = True,
    owner: str = "",
    who_module: str = "",
    tz: tzinfo = timezone.utc,
    clock: Callable[[], float] = _time.time,
    variables: Mapping[str, object] | None = None,
) -> CallEvent:
    """A realistic call of ``kind`` with external party ``phone``.

    ``start`` defaults to ``clock()`` rounded to the second; ``seed`` picks the talk time
    (30 s to 15 min), so a fixed ``start`` and ``seed`` give the same event every time.
    ``kind="queue"`` gives the answering agent's leg; use :func:`queue_call` for every leg.
    """
    kind = CallKind.parse(kind)
    begin = int(clock()) if start is None else int(start)
    answered = kind in (CallKind.INBOUND_ANSWERED, CallKind.OUTBOUND_ANSWERED, CallKind.QUEUE)
    talk = random.Random(seed).randint(30, 900) if answered else 0
    caller, callee = (phone, extension) if kind.inbound else (extension, phone)
    record = _recording(begin, caller, callee) if answered and recorded else ""
    return CallEvent(
        kind=kind,
        phone=phone,
        extension=extension,
        extension_name=extension_name,
        contact_name=contact_name,
        start=begin,
        talk_seconds=talk,
        answered=answered,
        record_path=record,
        owner=owner,
        who_module=who_module,
        tz=tz,
    ).with_variables(variables)


def queue_call(
    phone: str = "+15550100",
    *,
    agents: Sequence[tuple[str, str]] = QUEUE_AGENTS,
    answered_by: str | None = None,
    **options: object,
) -> tuple[CallEvent, ...]:
    """One event per agent leg of a queue call answered by ``answered_by`` (default: the first).

    The other agents' legs are unanswered (``NO ANSWER``, ``missed_leg=True``).
    """
    if not agents:
        raise ValueError("a queue call needs at least one agent")
    winner = answered_by or agents[0][0]
    if winner not in {ext for ext, _ in agents}:
        raise ValueError(f"answered_by={winner!r} is not one of the agents {[e for e, _ in agents]}")
    answering = simulate(CallKind.QUEUE, phone, extension=winner, **options)  # type: ignore[arg-type]
    legs = []
    for ext, name in agents:
        if ext == winner:
            legs.append(replace(answering, extension_name=name))
        else:
            legs.append(
                replace(answering, extension=ext, extension_name=name, answered=False,
                        talk_seconds=0, record_path="", missed_leg=True)
            )
    return tuple(legs)
