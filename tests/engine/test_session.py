"""A token a follow-up obtains is a secret from the moment it is extracted (issue 12, item 5)."""

from __future__ import annotations

import pytest

from hdkit.engine import Engine
from hdkit.secrets import MASK
from hdkit.yeastar_xml import from_xml
from support.hostile import FOLLOWUP_LOGIN, FOLLOWUP_TOKEN, HostileDesk, variant
from support.leaks import Tally

API_KEY = 'Se5 "api\\%+&k'


@pytest.fixture(scope="module")
def desk():
    with HostileDesk() as d:
        yield d


@pytest.mark.parametrize("path", ["$.data.access_token", "$.data.jwt"])
def test_a_login_token_is_masked_everywhere_yet_sent_where_the_template_uses_it(desk: HostileDesk, path: str) -> None:
    desk.reset()
    xml = variant("keydesk", FOLLOWUP_LOGIN, ('Path="$.data.access_token"', f'Path="{path}"'))
    engine = Engine(from_xml(xml), {"base_url": desk.base("keydesk"), "api_key": API_KEY})
    trace = engine.call(engine.event("inbound-answered", "+14155550123"))
    assert [s.name for s in trace.steps][:2] == ["Login", "WhoAmI"] and trace.ok
    whoami = next(r for r in desk.requests if r["path"].endswith("/whoami"))
    assert whoami["headers"]["authorization"] == f"Bearer {FOLLOWUP_TOKEN}"  # the real value went out
    assert trace.variables["Jwt"] == MASK and trace.steps[0].outputs["Jwt"] == MASK

    shown = {"trace": trace.trace().to_string(), "exchanges": trace.exchanges().to_csv(),
             "repr": repr(trace) + repr(trace.steps) + repr(trace.variables),
             "curl": "\n".join(e.to_curl() for e in trace.log)}
    tally = Tally()
    hits = [h for where, text in shown.items()
            for h in tally.scan(where, text, {"follow-up token": FOLLOWUP_TOKEN, "api key": API_KEY})]
    assert hits == [] and tally.places == 4
    login = trace.steps[0].exchange
    assert MASK in login.response_body  # the answer that carried the token shows it masked
