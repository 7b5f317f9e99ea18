"""httpx's and httpcore's logging never shows a secret, at INFO or DEBUG (issue 12, item 7)."""

from __future__ import annotations

import logging

import pytest

from hdkit.engine import Engine
from hdkit.engine.logs import RedactingFilter, redact_logs
from hdkit.secrets import Redactor
from hdkit.yeastar_xml import from_xml
from support.hostile import KEY_IN_QUERY, HostileDesk, variant

KEY = 'Lg7 "key\\%2B+&=q'


@pytest.fixture(scope="module")
def desk():
    with HostileDesk() as d:
        yield d


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
def test_http_logs_are_redacted(desk: HostileDesk, caplog: pytest.LogCaptureFixture, level: int) -> None:
    caplog.set_level(level)
    inputs = {"base_url": desk.base("keydesk"), "api_key": KEY}
    desk.reset()
    template = from_xml(variant("keydesk", KEY_IN_QUERY))  # the key in the URL httpx logs, too
    result = Engine(template, inputs).search("+14155550123")
    assert not result.failures()
    http = [r for r in caplog.records if r.name.startswith(("httpx", "httpcore"))]
    assert any(r.name == "httpx" and "HTTP Request: GET" in r.getMessage() for r in http)
    if level == logging.DEBUG:
        assert any(r.name.startswith("httpcore") for r in http)
    assert KEY not in caplog.text and "%2B%2B" not in caplog.text
    assert "&key=********" in caplog.text


def test_the_filter_masks_secret_named_headers_and_tracebacks_without_a_run(caplog) -> None:
    logger = logging.getLogger("httpcore.http11")
    redact_logs(Redactor())  # (re)installs the filter on every HTTP logger
    caplog.set_level(logging.DEBUG)
    try:
        raise ValueError(f"cannot reach https://desk.test/x?token=tok-{KEY}")
    except ValueError:
        logger.debug("receive_response_headers.complete return_value=%r",
                     (b"HTTP/1.1", 200, b"OK", [(b"set-cookie", b"sid=s3ss10n")]), exc_info=True)
    assert "s3ss10n" not in caplog.text and "tok-" not in caplog.text
    assert any(isinstance(f, RedactingFilter) for f in logger.filters)
