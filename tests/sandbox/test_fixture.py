"""The pytest fixture: one server per session that no test can leave dirty for the next one.

Each case runs a small test session of its own (pytester) with no conftest at all: the plugin
comes from hdkit's ``pytest11`` entry point, the way a user of hdkit gets it, and the case
checks what its later tests see.
"""

from __future__ import annotations

import pytest

HELPERS = '''
import httpx
from hdkit.sandbox import DEMO, Faults

KEY = {"X-API-Key": DEMO["keydesk"]["api_key"]}
URLS = []


def users(hd):
    return httpx.get(hd.url + "/keydesk/api/users?page_size=1", headers=KEY, timeout=5)


def assert_clean(hd):
    assert hd.faults.snapshot() == Faults().snapshot()
    assert hd.requests == [] and hd.state == {} and hd.peak_in_flight == 0
    assert users(hd).status_code == 200
'''


def _run(pytester: pytest.Pytester, body: str) -> pytest.RunResult:
    pytester.makepyfile(test_inner=HELPERS + body)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q")


def test_a_failing_test_leaves_no_faults_records_log_or_tokens(pytester: pytest.Pytester) -> None:
    result = _run(pytester, '''
def test_dirty_then_fail(sandbox):
    URLS.append(sandbox.url)
    created = httpx.post(sandbox.url + "/keydesk/api/contacts", json={"name": "N", "phone": "1"},
                         headers=KEY, timeout=5)
    assert created.status_code == 201 and sandbox.state and sandbox.requests
    sandbox.faults.update(latency_ms=5, loop_pagination=True, token_ttl_s=1, rate_limit=3,
                          server_error=2, malformed=1, timeout=4, hang_s=0.01, bad_state=True)
    assert users(sandbox).status_code == 504  # the switches are live
    raise AssertionError("this test fails half-way, its switches still set")


def test_next_test_sees_a_clean_server(sandbox):
    assert sandbox.url == URLS[0]
    assert_clean(sandbox)


def test_fresh_sandbox_is_the_same_clean_server(fresh_sandbox):
    assert fresh_sandbox.url == URLS[0]
    assert_clean(fresh_sandbox)
''')
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: this test fails half-way*"])


def test_switches_set_over_http_do_not_leak_either(pytester: pytest.Pytester) -> None:
    result = _run(pytester, '''
def test_set_over_http(sandbox):
    answer = httpx.post(sandbox.url + "/_sandbox/faults", json={"rate_limit": 50}, timeout=5)
    assert answer.json()["rate_limit"] == 50


def test_then_clean(sandbox):
    assert_clean(sandbox)
''')
    result.assert_outcomes(passed=2)


def test_a_test_that_stops_the_server_does_not_break_the_next(pytester: pytest.Pytester) -> None:
    result = _run(pytester, '''
def test_stop_it(sandbox_server):
    URLS.append(sandbox_server.url)
    sandbox_server.stop()
    assert not sandbox_server.running


def test_it_is_back_on_the_same_url(sandbox):
    assert sandbox.running and sandbox.url == URLS[0]
    assert_clean(sandbox)
''')
    result.assert_outcomes(passed=2)
