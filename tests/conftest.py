"""Shared fixtures: one sandbox helpdesk per test session, reset before each test that asks.

``sandbox`` is session-scoped (starting a server per test would be slow); tests that change
faults or create records use ``fresh_sandbox``, the same server reset before the test, so no
test sees another's faults, log or records.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hdkit.sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The session's running sandbox (``.url``, ``.urls``, ``.faults``, ``.requests``...)."""
    with Sandbox() as hd:
        yield hd


@pytest.fixture
def fresh_sandbox(sandbox: Sandbox) -> Iterator[Sandbox]:
    """The session's sandbox, reset before and after the test (faults, log, records, tokens)."""
    sandbox.reset()
    yield sandbox
    sandbox.reset()
