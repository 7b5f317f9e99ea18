"""What the PBX does after a call: contact match, creation, ticket, journal, follow-ups.

The order is the one a real call takes (format reference 3.6-3.8, section 5):

1. follow-ups on ``call_ringing``;
2. the contact match, when the journal or ticket asks for it (``need_contact_match``) or
   contact creation is enabled; then ``contact_matched`` / ``contact_not_found`` follow-ups;
3. contact creation when nothing matched; ``contact_created`` follow-ups;
4. ``call_answered`` (answered calls) and ``call_ended`` follow-ups;
5. the new ticket (its ``TicketId`` is visible to the journal); ``ticket_created`` follow-ups;
6. the call journal, once per call leg, skipping the legs of agents who missed a queue call
   when the template's "hide missed calls for unanswered agents" option is on;
   ``call_journal_created`` follow-ups.

A ticket or journal scenario runs every request the file gives it, in file order, each as
written (method, body, header parameters, outputs) and each seeing the outputs of the earlier
ones (the sample's ``CreateNewTicket`` then ``UpdateTicket``).

Outputs of each step (``ContactId``, ``TicketId``, follow-up target variables) are visible to
every later step. Subject and Description are rendered from the section's defaults (empty when
the option is off: inferred) and sit between event data and outputs in the scope. When the
"play call recording" option is offered and off, ``RecordPath`` is sent empty (inferred).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hdkit.engine.events import CallEvent
from hdkit.engine.prepare import Spec, defaults, scope
from hdkit.engine.scenarios import create_contact, follow_chain, search
from hdkit.engine.session import Session
from hdkit.model import CallJournal, CallOption, FollowUpEvent, NewTicket
from hdkit.problems import Problem
from hdkit.results import CallTrace, Step

__all__ = ["PARTS", "authenticated", "call", "fire", "is_on", "part"]

_TRUE = {"1", "true", "yes", "on", "enabled"}


def is_on(option: CallOption, override: bool | None = None) -> bool:
    """Whether an integration option is on: its user override, else its default value."""
    if not option.enabled:
        return False
    if override is not None:
        return override
    return option.default.strip().lower() in _TRUE


async def fire(session: Session, event: FollowUpEvent, variables: Mapping[str, object],
               outputs: dict[str, object], steps: list[Step]) -> None:
    """Run every follow-up configured for ``event``; their outputs join ``outputs`` in order."""
    for request in session.template.follow_ups:
        if request.event is not event:
            continue
        scoped = scope(variables, outputs)
        sent = await session.send(Spec.follow_up(request), scoped)
        values = session.values(sent, request.pairs(), scoped)
        outputs.update(values)
        steps.append(sent.step(values, session.redactor, note=f"on {event.value}"))


async def authenticated(session: Session) -> list[Step]:
    """The ``authenticated`` follow-ups, once per run right after authentication: their outputs
    (a login's token) join the base variables every later request of the run sees."""
    steps: list[Step] = []
    outputs: dict[str, object] = {}
    await fire(session, FollowUpEvent.AUTHENTICATED, session.base, outputs, steps)
    session.base.update(outputs)
    return steps


def _texts(session: Session, section: CallJournal | NewTicket, name: str,
           variables: Mapping[str, object], problems: list[Problem]) -> dict[str, object]:
    spec = Spec(name, section.SECTION, section.method, section.url)
    out: dict[str, object] = {}
    for key, option in (("Subject", section.subject), ("Description", section.description)):
        source = option.default if option.enabled else ""
        out[key] = session.renderer.render_text(spec, key, source, variables, problems) if source else ""
    return out


async def call(session: Session, legs: Sequence[CallEvent], *, hide_missed: bool | None = None,
               play_recording: bool | None = None) -> CallTrace:
    """Run the template's call scenarios for one call (one event, or every leg of a queue call)."""
    t = session.template
    main = next((leg for leg in legs if leg.answered), legs[0])
    event_vars = main.variables()
    steps: list[Step] = []
    outputs: dict[str, object] = {}
    base = scope(session.base, event_vars)

    await fire(session, FollowUpEvent.CALL_RINGING, base, outputs, steps)
    needs_match = (
        (t.call_journal.enabled and t.call_journal.need_contact_match)
        or (t.new_ticket.enabled and t.new_ticket.need_contact_match)
        or t.contact_creation.enabled
    )
    if needs_match and t.contact_search.contact_types:
        _, record = await search(session, main.phone, variables=scope(event_vars, outputs), steps=steps)
        outputs.update(record)
        matched = bool(record)
        await fire(session, FollowUpEvent.CONTACT_MATCHED if matched else FollowUpEvent.CONTACT_NOT_FOUND,
                   base, outputs, steps)
        if not matched and t.contact_creation.enabled and t.contact_creation.contact_types:
            first, _, last = main.contact_name.partition(" ")
            _, created = await create_contact(session, main.phone, first_name=first, last_name=last,
                                              variables=scope(event_vars, outputs), steps=steps)
            outputs.update(created)
            await fire(session, FollowUpEvent.CONTACT_CREATED, base, outputs, steps)
    if main.answered:
        await fire(session, FollowUpEvent.CALL_ANSWERED, base, outputs, steps)
    await fire(session, FollowUpEvent.CALL_ENDED, base, outputs, steps)

    if t.new_ticket.enabled:
        await _send_section(session, t.new_ticket, "CreateNewTicket", event_vars, outputs, steps,
                            FollowUpEvent.TICKET_CREATED)
    if t.call_journal.enabled:
        hide = is_on(t.call_journal.hide_missed_for_unanswered, hide_missed)
        for leg in legs:
            if leg.missed_leg and hide:
                steps.append(Step(f"CallJournal [{leg.extension}]", None,
                                  note="skipped: missed queue leg (hide missed calls for unanswered agents)"))
                continue
            await _journal(session, leg, len(legs) > 1, outputs, steps, play_recording)
    final = scope(base, outputs)
    label = main.kind.value + (f" ({len(legs)} legs)" if len(legs) > 1 else "")
    return CallTrace(label, tuple(steps), session.shown(final))


async def _send_section(session: Session, section: CallJournal | NewTicket, name: str,
                        event_vars: Mapping[str, object], outputs: dict[str, object], steps: list[Step],
                        done: FollowUpEvent) -> None:
    """A ticket or journal: render its subject/description, then send each of its requests in
    order, each seeing the outputs of the earlier ones; the event fires when the first succeeded."""
    base = scope(defaults(section), session.base, event_vars)
    problems: list[Problem] = []
    texts = _texts(session, section, name, scope(base, outputs), problems)
    first_ok = False
    for i, request in enumerate(section.requests):
        step = name if i == 0 else f"{name} > {request.name or request.label(i + 1)}"
        variables = scope(base, texts, outputs)
        sent = await session.send(Spec.of(request, section.SECTION, step), variables)
        if i == 0:
            sent.problems[:0] = problems
            first_ok = sent.response.ok
        values = session.values(sent, request.pairs(), variables)
        outputs.update(values)
        steps.append(sent.step(values, session.redactor))
        if request.next and sent.ok:  # its Next, as after a contact search, seeing its outputs
            outputs.update(await follow_chain(session, request.next, scope(variables, values), steps))
    if first_ok:
        await fire(session, done, base, outputs, steps)


async def _journal(session: Session, leg: CallEvent, multi: bool, outputs: dict[str, object],
                   steps: list[Step], play_recording: bool | None) -> None:
    journal = session.template.call_journal
    leg_vars = leg.variables()
    if journal.play_recording.enabled and not is_on(journal.play_recording, play_recording):
        leg_vars["RecordPath"] = ""
    name = f"CallJournal [{leg.extension}]" if multi else "CallJournal"
    await _send_section(session, journal, name, leg_vars, outputs, steps, FollowUpEvent.CALL_JOURNAL_CREATED)


# The parts of a call that can run alone (the workbench's Try beside each of them).
PARTS = ("ticket", "journal", "followup")


async def part(session: Session, event: CallEvent, which: str, name: str = "") -> CallTrace:
    """One part of a call alone, sent as the PBX sends it during a call with ``event``'s variables:
    the ticket or the journal (each request of the section in order, then its event's
    follow-ups), or the follow-up request ``name`` and its ``Next`` chain. Outputs of parts that
    did not run (a search's ContactId) are not set: the steps warn where they render empty."""
    t = session.template
    steps: list[Step] = []
    outputs: dict[str, object] = {}
    if which == "ticket":
        await _send_section(session, t.new_ticket, "CreateNewTicket", event.variables(), outputs, steps,
                            FollowUpEvent.TICKET_CREATED)
    elif which == "journal":
        await _journal(session, event, False, outputs, steps, None)
    elif which == "followup":
        outputs.update(await follow_chain(session, name, scope(session.base, event.variables()), steps))
    else:
        raise ValueError(f"unknown part of a call {which!r}; choose one of {', '.join(PARTS)}")
    return CallTrace(f"{which} {name}".strip(), tuple(steps), session.shown(scope(event.variables(), outputs)))
