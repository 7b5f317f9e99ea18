"""A bearer token both ways (issue 8 item 3): pasted into a Password input (no Token Endpoint, as
Django REST framework, GitLab or Zammad issue API tokens) or fetched from the Token Endpoint.
Model, validation, engine, CLI and XML agree; the templates are written by hand (example 4.1).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from hdkit.cli import main as hdkit
from hdkit.engine import Engine, TokenStore
from hdkit.model import AuthMethod
from hdkit.sandbox import DEMO, Sandbox
from hdkit.validate import errors, validate
from hdkit.yeastar_xml import load

ZM, HS = DEMO["zammad"], DEMO["hubspot"]
TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="helpdesk" Name="Zammad token" Key="zammad_token" Logo="" Remark="" Version="1.0.0"
             AuthType="bearer_token" MaxConcurrentRequest="4" UserAssociation="0" CallJournal="0"
             CreateNewContact="0" CreateNewTicket="0">
  <Parameters />
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Presets />
      <Parameters>
        <Parameter Name="AuthMethod" Value="bearer_token" />
        <Parameter Name="TokenType" Value="Bearer" />
        <Parameter Name="AuthEndPoint" Value="{authorize}" />
        <Parameter Name="TokenEndPoint" Value="{token}" />
        <Parameter Father="CustomFieldList" Name="base_url" Editor="string" Title="Helpdesk URL" Key="base_url" />
{fields}
      </Parameters>
      <Requests />
      <Responses />
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Presets />
      <Parameters>
        <Parameter Name="ContactUrlType" Value="specify_url_format" />
        <Parameter Name="URLFormat" Value="{{{{.base_url}}}}/#user/profile/{{{{.ContactId}}}}" />
        <Parameter Name="ContactFieldForUri" />
        <Parameter Name="BusinessNumberEnable" Value="1" />
      </Parameters>
      <Requests>
        <Request Name="Users" Method="GET" ResponseType="application/json"
                 URLFormat="{search}">
          <Parameters />
          <Outputs>
            <Output Name="ContactsId" Path="{prefix}#.id" />
            <Output Name="FirstName" Path="{prefix}#.{first}" />
            <Output Name="BusinessNumber" Path="{prefix}#.{phone}" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""
TOKEN = '        <Parameter Father="CustomFieldList" Name="api_token" Editor="password" Title="API token" Key="api_token" />'
KEY = '        <Parameter Father="CustomFieldList" Name="api_key" Editor="password" Title="API key" Key="api_key" />'
ZAMMAD = dict(authorize="", token="", prefix="", first="firstname", phone="phone",
              search="{{.base_url}}/api/v1/users/search?query=phone:{{UrlEncode .Phone}}")
HUBSPOT = dict(authorize="{{.base_url}}/oauth/authorize?client_id={{.client_id}}",
               token="{{.base_url}}/oauth/v1/token", prefix="results.", first="properties.firstname",
               phone="properties.phone", search="{{.base_url}}/crm/v3/objects/contacts?limit=5")


def _write(tmp_path: Path, fields: str, **urls: str) -> Path:
    path = tmp_path / "bearer.xml"
    path.write_text(TEMPLATE.format(fields=fields, **urls), encoding="utf-8")
    return path


def test_a_pasted_bearer_token_validates_runs_and_exports(tmp_path: Path, fresh_sandbox: Sandbox,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, TOKEN, **ZAMMAD)
    assert hdkit(["validate", str(path)]) == 0
    assert "Token Endpoint is required" not in capsys.readouterr().err
    assert hdkit(["run", str(path), "search", "--phone", "+14155550123", "--format", "json",
                  "--input", f"base_url={fresh_sandbox.url}/zammad", "--input", f"api_token={ZM['api_token']}"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["ContactsId"], record["FirstName"]) == (5001, "Ada")  # Zammad answered: the token was sent
    assert [r["status"] for r in fresh_sandbox.requests] == [200]
    assert fresh_sandbox.requests[0]["headers"]["authorization"].startswith("Bearer ")
    out = tmp_path / "out.xml"
    assert hdkit(["export", str(path), "-o", str(out)]) == 0
    assert load(out) == load(path) and ZM["api_token"] not in out.read_text(encoding="utf-8")


def test_several_password_inputs_the_warning_names_the_one_used(tmp_path: Path, fresh_sandbox: Sandbox) -> None:
    template = load(_write(tmp_path, f"{KEY}\n{TOKEN}", **ZAMMAD))
    (warning,) = [p for p in validate(template) if p.code == "bearer-token-input"]
    assert warning.severity == "warning" and "'api_token' (of 'api_key', 'api_token')" in warning.message
    assert template.auth.bearer_input().name == "api_token"
    engine = Engine(template, {"base_url": f"{fresh_sandbox.url}/zammad", "api_key": "not-the-token",
                               "api_token": ZM["api_token"]})
    found = engine.search("+14155550123")
    assert [m.fields["ContactsId"] for m in found.matches] == [5001]


def test_a_bearer_token_without_any_password_input_is_an_error(tmp_path: Path) -> None:
    template = load(_write(tmp_path, "", **ZAMMAD))
    (error,) = errors(validate(template))
    assert (error.code, error.location.section, error.location.field) == (
        "bearer-token-input", "Authentication", "Custom Fields")


def _approve(consent_url: str) -> str:
    response = httpx.get(consent_url + "&approve=1", follow_redirects=False, timeout=10)
    return response.headers["location"]


def test_a_bearer_token_from_a_token_endpoint_is_fetched_then_sent(tmp_path: Path, fresh_sandbox: Sandbox) -> None:
    fields = ('        <Parameter Father="CustomFieldList" Name="client_id" Editor="string" Title="Client ID" />\n'
              '        <Parameter Father="CustomFieldList" Name="client_secret" Editor="password" Title="Secret" />')
    template = load(_write(tmp_path, fields, **HUBSPOT))
    assert template.auth.method is AuthMethod.BEARER and template.auth.bearer_fetched
    assert errors(validate(template)) == []
    inputs = {"base_url": f"{fresh_sandbox.url}/hubspot", "client_id": HS["client_id"],
              "client_secret": HS["client_secret"]}
    before = Engine(template, inputs, tokens=TokenStore()).search("+14155550123")  # not authorized yet
    assert before.matches == () and "not authorized yet" in before.log[0].error
    assert fresh_sandbox.requests == []  # nothing sent without a token
    engine = Engine(template, inputs, tokens=TokenStore())
    tokens = engine.authorize(paste=_approve, redirect_uri=fresh_sandbox.url + "/pbx/oauth/callback")
    found = engine.search("+14155550123")
    assert found.matches and found.matches[0].fields["ContactsId"] == "1001"
    token_requests = [r for r in fresh_sandbox.requests if r["path"] == "/hubspot/oauth/v1/token"]
    assert [r["method"] for r in token_requests] == ["POST"] and tokens.access_token
