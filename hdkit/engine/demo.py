"""``hdkit demo``: the README's first command, a short story of what hdkit does.

It starts the sandbox helpdesk, runs one API-key sample template against it (users synced
page by page, summed up in the same words as ``hdkit run ... users``; a contact search hit
with its pop-up URL; a missed call traced request by request) and ends with the command to
try next. It must read well and finish in a few seconds, so it prints sentences and small
tables, not whole results.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from hdkit.engine.commands import report_code, write_table

__all__ = ["demo"]

_SANDBOX_URL = "http://127.0.0.1:8700"  # where 'hdkit sandbox' listens by default



def demo(sample: str = "freshdesk", out: TextIO | None = None) -> int:
    """Start the sandbox, then tell the story of ``sample``: users, a search, a missed call.

    Returns the exit code (0, or 3 when a request failed).
    """
    from hdkit import samples
    from hdkit.engine.runner import Engine
    from hdkit.sandbox import Sandbox

    out = out or sys.stdout
    say = lambda text="": print(text, file=out)  # noqa: E731
    with Sandbox() as hd:
        inputs = samples.demo_inputs(sample, hd.url)
        engine = Engine(samples.load(sample), inputs)
        say(f"1. Sandbox helpdesk started at {hd.url} (local demo data; nothing leaves this machine).")
        say(f"   Running the {sample!r} sample template against it.\n")

        started = time.perf_counter()
        users = engine.users()
        took = time.perf_counter() - started
        say(f"2. Users synced in {took:.2f} s, up to {engine.max_concurrent} requests at once: {users.summary()}.")
        write_table(users.records().head(3), "table", _Indented(out))

        phone = samples.demo_phone(sample)
        found = engine.search(phone)
        say(f"\n3. Search {phone}: " + (", ".join(
            f"{m.fields.get('FirstName', '')} {m.fields.get('LastName', '')}".strip()
            + f" in {m.contact_type}, pop-up {m.popup_url}" for m in found.matches) or "no match") + ".")

        trace = engine.call(engine.event("inbound-missed", phone))
        say(f"\n4. A missed inbound call from {phone}: {len(trace.steps)} requests, as the PBX would send them.")
        write_table(trace.trace()[["step", "method", "status", "outcome", "outputs"]], "table", _Indented(out))

        given = " ".join(f"--input {k}={v}" for k, v in samples.demo_inputs(sample, _SANDBOX_URL).items())
        say(f"\nNext: start 'hdkit sandbox' in another shell, then try\n"
            f"   hdkit run {sample} users {given}\n"
            f"   and the same with your own template file and your helpdesk's inputs.")
        failures = [e for r in (users, found, trace) for e in r.failures()]
        for e in failures:
            say(f"helpdesk error: {e.error}")
    return max(report_code(r) for r in (users, found, trace))


class _Indented:
    """A text stream that indents every line written to it (tables inside the demo story)."""

    def __init__(self, out: TextIO, prefix: str = "   ") -> None:
        self.out, self.prefix = out, prefix

    def write(self, text: str) -> int:
        lines = text.splitlines(keepends=True)
        return self.out.write("".join(self.prefix + line if line.strip() else line for line in lines))
