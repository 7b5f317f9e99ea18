"""Template errors applying functions to secrets never print the secret (issue 12, item 4).

Auth fields render from the inputs at send time; a function that fails on a secret argument
(``{{ToMillis .api_key}}``) used to quote the revealed value in its error.
"""

from __future__ import annotations

import traceback

import pytest

from hdkit.cli import main
from hdkit.engine import Engine, TokenStore
from hdkit.errors import HdkitError
from hdkit.yeastar_xml import from_xml
from support.hostile import HostileDesk, variant
from support.leaks import Tally

API_KEY = 'Ts1 "key\\%+&v'
CLIENT_SECRET = 'Cs2 "sec\\%+&w'
BASIC = ('Value="{{.api_key}}:X"', 'Value="{{ToMillis .api_key}}:X"')
TOKEN_URL = ('Name="TokenEndPoint" Value="{{.base_url}}/oauth/v2/token"',
             'Name="TokenEndPoint" Value="{{.base_url}}/oauth/v2/token?ts={{ToMillis .client_secret}}"')


@pytest.fixture(scope="module")
def desk():
    with HostileDesk() as d:
        yield d


def shown(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc)


def test_a_function_failing_on_the_basic_credential_names_the_field_not_the_secret(desk: HostileDesk) -> None:
    engine = Engine(from_xml(variant("freshdesk", BASIC)), {"base_url": desk.base("freshdesk"), "api_key": API_KEY})
    with pytest.raises(HdkitError) as caught:
        engine.search("+14155550123")
    assert "ToMillis: invalid timestamp" in str(caught.value) and "Base64 Encoded Credential" in str(caught.value)
    assert Tally().scan("error", shown(caught.value), {"api key": API_KEY}) == []


def test_a_function_failing_on_the_client_secret_in_the_token_url(desk: HostileDesk) -> None:
    inputs = {"base_url": desk.base("zoho"), "client_id": "cid", "client_secret": CLIENT_SECRET,
              "org_id": "1", "department_id": "2"}
    engine = Engine(from_xml(variant("zoho", TOKEN_URL)), inputs, tokens=TokenStore())

    def paste(url: str) -> str:
        state = url.split("state=", 1)[1].split("&", 1)[0]
        return f"https://pbx.test/callback?code=c0de&state={state}"

    with pytest.raises(HdkitError) as caught:
        engine.authorize(redirect_uri="https://pbx.test/callback", paste=paste)
    assert "ToMillis: invalid timestamp" in str(caught.value)
    assert Tally().scan("error", shown(caught.value), {"client secret": CLIENT_SECRET}) == []


def test_the_cli_prints_the_error_without_the_secret(desk: HostileDesk, tmp_path, capsys) -> None:
    path = tmp_path / "fd.xml"
    path.write_text(variant("freshdesk", BASIC), encoding="utf-8")
    code = main(["run", str(path), "search", "--phone", "+14155550123",
                 "--input", f"base_url={desk.base('freshdesk')}", "--input", f"api_key={API_KEY}"])
    captured = capsys.readouterr()
    assert code != 0 and "ToMillis" in captured.err
    assert Tally().scan("cli", captured.out + captured.err, {"api key": API_KEY}) == []
