"""Write back what was read: every spelling seen in the wild is read, and a file is written back in
the spelling it came in; only pasted secrets are dropped (issue 8 items 2, 4 and 8).

The templates are written as a user would write them by hand, in the dialect of example 4.1 of
the format reference.
"""

from __future__ import annotations

import re

import pytest

from hdkit.errors import XMLFormatError
from hdkit.model import ContentType, PopupMode, Template
from hdkit.validate import validate
from hdkit.yeastar_xml import from_xml, load, save, to_xml

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="helpdesk" Name="Desk" Key="desk" Logo="" Remark="" Version="1.0.0" AuthType="oauth2"
             MaxConcurrentRequest="10" UserAssociation="0" CallJournal="0" CreateNewContact="0" CreateNewTicket="0">
  <Parameters />
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Presets />
      <Parameters>
        <Parameter Name="AuthMethod" Value="oauth2" />
        <Parameter Name="TokenType" Value="Bearer" />
        <Parameter Name="AuthEndPoint" Value="https://{{{{.subdomain}}}}.example.com/oauth/authorize" />
        <Parameter Name="TokenEndPoint" Value="https://{{{{.subdomain}}}}.example.com/oauth/tokens" />
{auth}
        <Parameter Father="CustomFieldList" Name="subdomain" Editor="string" Title="Subdomain" Key="subdomain" />
        <Parameter Father="CustomFieldList" Name="client_id" Editor="string" Title="Client ID" Key="client_id" />
        <Parameter Father="CustomFieldList" Name="client_secret" Editor="password" Title="Client Secret" Key="client_secret" />
      </Parameters>
      <Requests />
      <Responses />
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Presets />
      <Parameters>
{popup}
        <Parameter Name="BusinessNumberEnable" Value="1" />
      </Parameters>
      <Requests>
        <Request Name="contacts" Method="GET" ResponseType="application/json"
                 URLFormat="https://{{{{.subdomain}}}}.example.com/api/v2/users/search.json?query={{{{UrlEncode .Phone}}}}">
          <Parameters />
          <Outputs>
            <Output Name="ContactsId" Path="users.#.id" />
            <Output Name="FirstName" Path="users.#.name" />
            <Output Name="BusinessNumber" Path="users.#.phone" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""
URL_FORMAT = """        <Parameter Name="ContactUrlType" Value="specify_url_format" />
        <Parameter Name="URLFormat" Value="https://{{.subdomain}}.example.com/agent/users/{{.ContactId}}" />
        <Parameter Name="ContactFieldForUri" />"""
REFRESH = """        <Parameter{father} Name="RefreshTokenEndPoint" Value="https://{{{{.subdomain}}}}.example.com/oauth/tokens" />
        <Parameter{father} Name="RefreshTokenMethod" Value="POST" />
        <Parameter{father} Name="RefreshTokenContentType" Value="application/json" />
        <Parameter{father} Name="RefreshTokenBody" Value="{{&quot;grant_type&quot;:&quot;refresh_token&quot;,&quot;refresh_token&quot;:&quot;{{{{.RefreshToken}}}}&quot;}}" />
        <Parameter{father} Name="{time}" Value="25" />"""


def _file(auth: str = "", popup: str = URL_FORMAT) -> str:
    return HEAD.format(auth=auth, popup=popup)


def _parameters(xml: str) -> list[str]:
    """Every <Parameter .../> start tag, whitespace normalised: what a user would diff."""
    return [" ".join(tag.split()) for tag in re.findall(r"<Parameter\b[^>]*>", xml)]


@pytest.mark.parametrize("father", ["", ' Father="AuthOption"'], ids=["plain", "authoption"])
@pytest.mark.parametrize("time", ["RefreshTokenTime", "RefreshTokenInterval"])
def test_refresh_settings_are_read_in_every_spelling_and_written_back_as_they_came(father: str, time: str) -> None:
    text = _file(REFRESH.format(father=father, time=time))
    template = from_xml(text)
    o = template.auth.oauth2
    assert (o.refresh_method, o.refresh_minutes, o.refresh_content_type) == ("POST", 25, ContentType.JSON)
    assert o.refresh_endpoint == "https://{{.subdomain}}.example.com/oauth/tokens"
    assert o.refresh_body == '{"grant_type":"refresh_token","refresh_token":"{{.RefreshToken}}"}'
    assert template.auth.refresh_interval_minutes == 25
    xml = to_xml(template)
    assert _parameters(xml) == _parameters(text)  # names, Father, values, order: all as read
    again = from_xml(xml)
    assert again == template and to_xml(again) == xml


def test_a_new_template_gets_the_default_spelling() -> None:
    template = from_xml(_file(REFRESH.format(father=' Father="AuthOption"', time="RefreshTokenTime")))
    built = Template(general=template.general, auth=template.auth, contact_search=template.contact_search)
    xml = to_xml(built)  # built in Python: no file to follow
    assert '<Parameter Name="RefreshTokenInterval" Value="25" />' in xml
    assert 'Father="AuthOption" Name="RefreshToken' not in xml
    assert from_xml(xml) == built


def test_names_that_mention_a_token_keep_their_values_and_only_pasted_secrets_are_dropped(tmp_path) -> None:
    path = tmp_path / "desk.xml"
    path.write_text(_file(REFRESH.format(father="", time="RefreshTokenTime")
                          + '\n        <Parameter Name="client_secret" Value="SENTINEL-CLIENT-SECRET" />'
                          + '\n        <Parameter Name="AccessToken" Value="SENTINEL-ISSUED-TOKEN" />')
                    .replace('Key="client_secret" />', 'Key="client_secret" Value="SENTINEL-PASSWORD" />'),
                    encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line_of = {s: next(i for i, text in enumerate(lines, 1) if s in text)
               for s in ("SENTINEL-CLIENT", "SENTINEL-ISSUED", "SENTINEL-PASSWORD")}
    template = load(path)
    xml = to_xml(template)
    for kept in ('Name="RefreshTokenMethod" Value="POST"', 'Name="RefreshTokenTime" Value="25"',
                 'Name="TokenType" Value="Bearer"', '<Parameter Name="client_secret" />',
                 '<Parameter Name="AccessToken" />'):
        assert kept in xml
    assert "SENTINEL" not in xml and "SENTINEL" not in repr(template)
    dropped = [p for p in validate(template) if p.code == "secret-dropped"]
    assert sorted((p.location.field, p.location.line) for p in dropped) == sorted([
        ("AccessToken", line_of["SENTINEL-ISSUED"]), ("client_secret", line_of["SENTINEL-CLIENT"]),
        ("client_secret", line_of["SENTINEL-PASSWORD"])])
    assert all(p.location.source == str(path) and "SENTINEL" not in p.message for p in dropped)


@pytest.mark.parametrize(
    "mode, path",
    [
        pytest.param("retrieve_from_contact", "users.#.profile_url", id="retrieve_from_contact"),
        pytest.param("contact_field", "users.#.profile_url", id="contact_field"),
        pytest.param("CONTACT_FIELD", "users.#(active==true)#.profile_url", id="upper-case"),
    ],
)
def test_the_popup_url_from_a_contact_field_is_a_gjson_path_in_every_spelling(mode: str, path: str) -> None:
    text = _file(popup=f"""        <Parameter Name="ContactUrlType" Value="{mode}" />
        <Parameter Name="URLFormat" />
        <Parameter Name="ContactFieldForUri" Value="{path.replace('"', '&quot;')}" />""")
    template = from_xml(text)
    popup = template.contact_search.popup
    assert (popup.mode, popup.contact_field_path) == (PopupMode.CONTACT_FIELD, path)
    assert not [p for p in validate(template) if p.is_error or p.code == "unknown-value"]
    xml = to_xml(template)
    assert _parameters(xml) == _parameters(text)
    assert from_xml(xml) == template


def test_a_new_popup_from_a_contact_field_is_written_as_a_path_not_an_output_name() -> None:
    template = from_xml(_file())
    contact_field = template.contact_search.replace(
        popup=template.contact_search.popup.replace(mode=PopupMode.CONTACT_FIELD, contact_field_path="users.#.url"))
    xml = to_xml(Template(general=template.general, auth=template.auth, contact_search=contact_field))
    assert '<Parameter Name="ContactUrlType" Value="retrieve_from_contact" />' in xml
    assert '<Parameter Name="ContactFieldForUri" Value="users.#.url" />' in xml
    assert "ContactUrl\"" not in xml and 'Name="ContactUrl"' not in xml


def test_optional_parts_stay_absent_or_present_as_the_file_had_them(tmp_path) -> None:
    """No top-level <Parameters/>, no <Responses/>, custom fields without Key, a header with a
    Description, Weight/RequestEncoding on a request, Type on an output: all written back."""
    text = (_file().replace("  <Parameters />\n  <Scenarios>", "  <Scenarios>")
            .replace("      <Responses />\n", "")
            .replace(' Key="subdomain"', "")
            .replace('        <Parameter Father="CustomFieldList" Name="client_id"',
                     '        <Parameter Father="PopulateTemplateString" Name="Accept" Type="Header" '
                     'Value="application/json" Description="JSON answers" />\n'
                     '        <Parameter Father="CustomFieldList" Name="client_id"')
            .replace('<Request Name="contacts" Method="GET"', '<Request Name="contacts" Method="GET" Weight="0" '
                     'RequestEncoding=""')
            .replace('<Output Name="FirstName" Path="users.#.name" />',
                     '<Output Name="FirstName" Path="users.#.name" Type="string" />'))
    template = from_xml(text)
    assert template.headers[0].description == "JSON answers"
    assert template.contact_search.contact_types[0].attrs == (("Weight", "0"), ("RequestEncoding", ""))
    assert template.contact_search.contact_types[0].outputs[1].attrs == (("Type", "string"),)
    xml = to_xml(template)
    assert "<Responses" not in xml and "<Information" in xml and not re.search(r"</?Information[^>]*>\s*<Parameters", xml)
    assert _parameters(xml) == _parameters(text)
    assert 'Weight="0" RequestEncoding=""' in xml and 'Path="users.#.name" Type="string"' in xml
    save(template, tmp_path / "t.xml", check=False)
    assert load(tmp_path / "t.xml") == template


@pytest.mark.parametrize(
    "text, in_attribute",
    [
        pytest.param(_file().replace("/oauth/authorize", "/oauth/authorize?response_type=code&client_id=x"),
                     True, id="query-string"),
        pytest.param('<Information Name="Tom & Jerry"/>', True, id="name"),
        pytest.param("<Information><Note>a & b</Note></Information>", False, id="text"),
    ],
)
def test_a_raw_ampersand_is_the_error_the_pbx_gives(text: str, in_attribute: bool) -> None:
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "&" in t.replace("&quot;", ""))
    column = text.splitlines()[line - 1].replace("&quot;", "______").index("&") + 1
    with pytest.raises(XMLFormatError) as info:
        from_xml(text, source="t.xml")
    message = str(info.value)
    assert "content of the uploaded template file is incorrect" in message
    assert ("in an attribute value" in message) is in_attribute
    assert (info.value.location.line, info.value.location.column) == (line, column)
    assert info.value.hint == "write & as &amp;"


def test_comments_a_user_wrote_stay_where_they_were() -> None:
    text = _file().replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                           '<?xml version="1.0" encoding="UTF-8"?>\n<!-- Desk: written by hand -->\n')
    text = text.replace('        <Parameter Name="BusinessNumberEnable" Value="1" />',
                        '        <!-- only the business number is synced -->\n'
                        '        <Parameter Name="BusinessNumberEnable" Value="1" />')
    template = from_xml(text)
    xml = to_xml(template)
    assert xml.splitlines()[1] == "<!-- Desk: written by hand -->"
    lines = [line.strip() for line in xml.splitlines()]
    at = lines.index("<!-- only the business number is synced -->")
    assert lines[at + 1] == '<Parameter Name="BusinessNumberEnable" Value="1" />'
    assert not [p for p in validate(template) if p.code == "kept-unread"]  # a comment needs no warning
    assert from_xml(xml) == template and to_xml(from_xml(xml)) == xml


MISMATCH = """<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="helpdesk" Name="Desk" Key="desk" AuthType="oauth2">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>
        <Parameter Name="AuthMethod" Value="bearer_token" />
        <Parameter Father="CustomFieldList" Name="api_token" Editor="password" Title="Token" />
      </Parameters>
    </Scenario>
  </Scenarios>
</Information>
"""


def test_an_auth_type_that_disagrees_is_warned_about_and_written_back_as_read() -> None:
    """Nothing read is lost: hdkit follows the AuthMethod parameter and says so at the root's line,
    and the file comes back with both values as it had them until the method is changed."""
    from dataclasses import replace

    from hdkit.model import AuthMethod

    template = from_xml(MISMATCH, source="m.xml")
    assert template.auth.method is AuthMethod.BEARER
    (said,) = [p for p in validate(template) if p.code == "auth-type-mismatch"]
    assert (said.location.line, said.severity) == (2, "warning")
    assert "AuthType 'oauth2' and the AuthMethod parameter 'bearer_token' disagree" in said.message
    xml = to_xml(template)
    assert 'AuthType="oauth2"' in xml and '<Parameter Name="AuthMethod" Value="bearer_token" />' in xml
    assert from_xml(xml) == template
    changed = to_xml(replace(template, auth=replace(template.auth, method=AuthMethod.BASIC)))
    assert 'AuthType="basic"' in changed and '<Parameter Name="AuthMethod" Value="basic" />' in changed
