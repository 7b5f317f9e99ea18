"""The sandbox as pytest fixtures: for hdkit's own tests and for anyone testing a template.

One server runs per test session (a server per test would cost a thread and a port each
time), and every test that asks for it gets it reset before and after: no test sees another
test's fault switches, request log, created records or issued tokens, not even when that
test failed half-way or stopped the server. Enable it in a root ``conftest.py``::

    pytest_plugins = ["hdkit.sandbox.pytest_plugin"]

    def test_users(sandbox):
        sandbox.faults.update(rate_limit=2)     # this test only
        ...
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hdkit.sandbox.server import Sandbox


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    """The session's one server, as it is: ask for ``sandbox`` unless a test must see it raw."""
    with Sandbox() as hd:
        yield hd


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Iterator[Sandbox]:
    """The session's server, running and reset (faults, log, records, tokens) around the test."""
    _clean(sandbox_server)
    yield sandbox_server
    _clean(sandbox_server)


@pytest.fixture
def fresh_sandbox(sandbox: Sandbox) -> Sandbox:
    """``sandbox`` under the name tests use when the reset is the point."""
    return sandbox


def _clean(hd: Sandbox) -> None:
    if not hd.running:
        hd.start()  # a test stopped it; it comes back on the same port, so the same URL
    hd.settle()  # requests a client gave up on still arriving would land in the next test's log
    hd.reset()
