"""Yeastar XML import/export: reference examples, round trips, escaping, extras, bad input."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from hdkit.errors import LimitError, ModelError, ValidationFailed, XMLFormatError
from hdkit.model import (
    Auth,
    Unrecognized,
    BasicAuth,
    CallJournal,
    CallOption,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactType,
    CreationType,
    CustomField,
    CustomVariable,
    FieldMapping,
    FollowUpRequest,
    General,
    Header,
    Logo,
    NewTicket,
    OAuth2,
    Output,
    Pagination,
    Popup,
    Template,
    UserAssociation,
    UserFields,
)
from hdkit.validate import validate
from hdkit.yeastar_xml import from_xml, load, save, to_xml
from support.images import png
import support

DATA = support.DATA / "templates"
EXAMPLES = sorted(DATA.glob("*.xml"))


def maximal_template(text: str = "v") -> Template:
    """A template touching every field of every section with a non-default value."""
    return Template(
        general=General(name=f"Desk {text}", max_concurrent_requests=7, remark=f"remark {text}",
                        logo=Logo("desk.jpeg"), key="desk_max", version="2.1.0", provider="crm"),
        auth=Auth(
            method="oauth2",
            custom_fields=(
                CustomField("domain", f"Domain {text}"),
                CustomField("client_secret", "Client secret", "password"),
                CustomField("region", "Region", "dropdown", ("eu", "us", text)),
            ),
            basic=BasicAuth("api_key", "{{.domain}}:{{.client_secret}}"),
            oauth2=OAuth2(
                authorization_endpoint="https://{{.domain}}/authorize",
                token_endpoint="https://{{.domain}}/token",
                content_type="application/json",
                scope="contacts.read,contacts.write",
                additional_query="client_id={{.domain}}&redirect_uri={{.redirect_uri}}",
                refresh_method="PUT",
                refresh_endpoint="https://{{.domain}}/refresh",
                refresh_content_type="application/json",
                refresh_minutes=55,
                refresh_body=f'{{"grant_type":"refresh_token","note":"{text}"}}',
                token_type="Token",
                token_invalid=("invalid_token", "expired"),
            ),
        ),
        headers=(Header("Accept", "application/json", f"desc {text}"), Header("X-Req", text)),
        user_association=UserAssociation(
            enabled=True, url="https://{{.domain}}/users", method="POST",
            pagination=Pagination("page", "page", 1, "per_page", 50, "offset", 0, "limit", 25, "links.next"),
            fields=UserFields("users.#.id", "users.#.first", "users.#.last", "users.#.mail"),
        ),
        follow_ups=(
            FollowUpRequest("GetIdentities", None, "GET", "https://{{.domain}}/u/{{.ContactsId}}",
                            "", "", "identities.#|1.value,identities.#|2.value",
                            "BusinessNumber2,MobileNumber"),
            FollowUpRequest("Notify", "call_ended", "POST", "https://{{.domain}}/notify",
                            f'{{"X-Note":"{text}"}}', f'{{"text":"{text}"}}', "data.id", "NoteId",
                            "GetIdentities"),
        ),
        contact_search=ContactSearch(
            contact_types=(
                ContactType("Contacts", "https://{{.domain}}/c?phone={{UrlEncode .Phone}}", "GET", "GetIdentities"),
                ContactType("Leads", "https://{{.domain}}/l?phone={{UrlEncode .Phone}}", "POST"),
            ),
            popup=Popup("contact_field", "https://{{.domain}}/c/{{.ContactId}}", "data.#.url"),
            fields=ContactFields(**{
                name: FieldMapping(i % 2 == 0, f"data.#.{name}")
                for i, name in enumerate(f.name for f in dataclasses.fields(ContactFields))
            }),
        ),
        contact_creation=ContactCreation(True, (
            CreationType("Contacts", "https://{{.domain}}/c", f'{{"n":"{text}"}}', "POST",
                         (Output("ContactId", "data.id"),)),
            CreationType("Leads", "https://{{.domain}}/l", "{}", "PUT"),
        )),
        call_journal=CallJournal(
            True, "https://{{.domain}}/calls", f'{{"s":"{{{{.Subject}}}}","t":"{text}"}}', "PATCH",
            CallOption(True, "{{.Call_Status}}"), CallOption(True, f"desc {text}"),
            CallOption(True, "1"), CallOption(True, "0"), False, (Output("CallId", "id"),),
        ),
        new_ticket=NewTicket(
            True, "https://{{.domain}}/tickets", '{"s":"{{.Subject}}"}', "PUT",
            CallOption(True, "subject"), CallOption(False, f"desc {text}"), False,
            (Output("TicketId", "ticket.id"),),
        ),
    )


HOSTILE = 'q"uote & amp <lt> ]]> \'apos\' line1\nline2\r\ttab\u00e9\u4e2d\U0001f600 &#10; {{"x"}}'


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_reference_examples_import_and_round_trip(path: Path) -> None:
    template = load(path)
    assert template.general.name and template.contact_search.contact_types
    again = from_xml(to_xml(template))
    assert again == template
    assert to_xml(again) == to_xml(template)


def test_example_4_1_reads_every_section() -> None:
    t = load(DATA / "example_desk_4_1.xml")
    assert (t.general.key, t.auth.method.value, t.auth.refresh_interval_minutes) == ("example_desk", "oauth2", 0)
    assert [f.name for f in t.auth.custom_fields] == ["subdomain", "client_id", "client_secret"]
    assert [h.name for h in t.headers] == ["Content-Type", "Accept"]
    assert t.auth.oauth2.token_invalid == ("invalid_token",)
    assert t.contact_search.contact_types[0].next == "GetIdentities"
    assert t.contact_search.fields.business_number == FieldMapping(True, "users.#.phone")
    follow = t.follow_up("GetIdentities")
    assert follow is not None and follow.pairs()[0] == (
        "BusinessNumber2", 'identities.#(type=="phone_number")#|1.value')
    assert t.user_association.fields.user_id == "users.#.id"
    assert t.contact_creation.contact_types[0].outputs == (Output("ContactId", "user.id"),)
    assert t.new_ticket.subject.enabled and t.new_ticket.outputs == (Output("TicketId", "ticket.id"),)
    assert t.call_journal.url.startswith("{{if .RecordPath}}")
    assert [ct.name for ct in t.keyword_search.contact_types] == ["SearchContact_contacts"]
    assert t.keyword_search.contact_types[0].next == "GetIdentities"
    assert t.new_ticket.variables == (CustomVariable("DepartmentId", ""),)  # CustomScenarioParameter
    assert [(e.where, e.xml) for e in t.extras] == [  # a journal parameter hdkit does not know
        ("Scenario[CallJournal]/Parameters", '<Parameter Name="TicketId" Value="" />')]


def test_example_4_2_popup_from_contact_field() -> None:
    t = load(DATA / "acme_crm_4_2.xml")
    assert t.contact_search.popup.mode.value == "contact_field"
    assert t.contact_search.popup.contact_field_path == "data.#.contact_url"
    assert t.contact_search.contact_types[0].mapping()["ContactUrl"] == "data.#.url"  # an output like any
    assert t.auth.method.value == "bearer_token" and t.general.max_concurrent_requests == 5


@pytest.mark.parametrize("text", ["plain", HOSTILE], ids=["plain", "hostile"])
def test_maximal_template_round_trips(text: str) -> None:
    template = maximal_template(text)
    xml = to_xml(template)
    assert from_xml(xml) == template
    assert from_xml(xml.encode("utf-8")) == template


def test_attribute_escaping_is_well_formed_and_uses_hex_newlines() -> None:
    xml = to_xml(maximal_template(HOSTILE))
    assert "&#xA;" in xml and "&#xD;" in xml and "&#x9;" in xml
    assert "&quot;" in xml and "&amp;" in xml and "&lt;" in xml
    assert "]]>" not in xml.replace("]]&gt;", "")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_empty_template_round_trips() -> None:
    assert from_xml(to_xml(Template())) == Template()


MINIMAL = """<?xml version="{version}" encoding="UTF-8"?>
<Information Provider="crm" Name="Mini" Key="mini" AuthType="none" Future="yes">
  <Parameters>{params}</Parameters>
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Presets></Presets>
      <Parameters>
        <Parameter Name="AuthMethod" Value="basic"/>
        <Parameter Name="AuthMethod" Value="none"/>
        <Parameter Father="CustomFieldList" Name="pw" Editor="password" Title="PW" Key="pw" Value="SENTINEL-SECRET"/>
        <Parameter Name="Unknown" Value="kept"/>
        <Parameter Name="client_secret" Value="SENTINEL-SECRET"/>
        <Parameter Name="AccessToken" Value="{{{{.token_template}}}}"/>
        <Parameter Father="CustomFieldList" Name="api_key" Editor="string" Title="K" Value="SENTINEL-SECRET"/>
      </Parameters>
      <Requests/>
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Presets />
      <Parameters><Parameter Name="MobileNumberEnable" Value="1"></Parameter></Parameters>
      <Requests>
        <Request Name="match" Method="get" URLFormat="https://h/c?p={{{{UrlEncode .Phone}}}}" Extra="x">
          <Parameters/>
          <Outputs><Output Name="ContactId" Path="data.#.id"></Output><Output Name="MobileNumber" Path="data.#.m"/></Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="CallJournal" Type="REST">
      <Requests>
        <Request Name="CallJournal" Method="POST" ResponseType="text/plain" URLFormat="https://h/j">
          <Outputs Next="Later"><Output Name="CallId" Path="id"/></Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="Future" Type="REST"><Presets/><Thing a="1">text</Thing></Scenario>
  </Scenarios>
  <Later><Deep/></Later>
</Information>
"""


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_import_tolerates_declarations_empty_forms_duplicates_and_unknowns(version: str) -> None:
    t = from_xml(MINIMAL.format(version=version, params='<Parameter Name="Top" Value="1"/>'))
    assert t.auth.method.value == "none"  # duplicate: last wins
    assert t.contact_search.fields.contact_id.path == "data.#.id"  # ContactId alias
    assert t.contact_search.fields.mobile_number == FieldMapping(True, "data.#.m")
    assert t.contact_search.contact_types[0].method == "GET"
    xml = to_xml(t)
    for kept in ('Future="yes"', 'Name="Unknown" Value="kept"', 'Extra="x"', '<Thing a="1">text</Thing>',
                 "<Deep />", 'Name="Top"', 'ResponseType="text/plain"', 'Next="Later"', 'Name="client_secret" />', 'Value="{{.token_template}}"'):
        assert kept in xml
    assert "SENTINEL-SECRET" not in xml and "SENTINEL-SECRET" not in repr(t)
    assert from_xml(xml) == t


def test_secrets_never_reach_the_export() -> None:
    xml = to_xml(load(DATA / "example_desk_4_1.xml"))
    assert 'Name="client_secret" Editor="password"' in xml
    for line in xml.splitlines():
        if 'Editor="password"' in line:
            assert "Value=" not in line


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Information Name="&lol2;"/>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<Information Name="&ext;"/>"""


@pytest.mark.parametrize(
    "text, error, words, line",
    [
        pytest.param('<Information Name="a"b"/>', XMLFormatError, ["malformed XML"], 1, id="raw-quote"),
        pytest.param('<Information>\n  <Scenarios>\n</Information>', XMLFormatError,
                     ["malformed XML", "mismatched tag"], 3, id="mismatched-tag"),
        pytest.param("", XMLFormatError, ["malformed XML"], 1, id="empty"),
        pytest.param('<?xml version="1.1"?>\n<Information Name="a&#x1b;b"/>', XMLFormatError,
                     ["invalid character number", "no control character", "Go parser refuses it too"], 2,
                     id="control-character-reference"),
        pytest.param(BILLION_LAUGHS, XMLFormatError, ["unsafe XML", "lol"], None, id="billion-laughs"),
        pytest.param(EXTERNAL, XMLFormatError, ["unsafe XML", "ext"], None, id="external-entity"),
        pytest.param("<Crm/>", XMLFormatError, ["<Crm>", "<Information>"], 1, id="wrong-root"),
        pytest.param('<Information\n MaxConcurrentRequest="ten"/>', XMLFormatError,
                     ["Max Concurrent Request", "'ten'", "whole number"], 1, id="non-numeric-limit"),
        pytest.param('<Information Logo="logo.gif"/>', LimitError, ["logo.gif", "PNG"], 1, id="logo-format"),
        pytest.param('<Information\n Logo="../../etc/x.png"/>', ModelError, ["not a path"], 1, id="logo-path"),
        pytest.param('<Information><Scenarios><Scenario Id="AuthMethod">\n<Parameters>\n'
                     '<Parameter Name="RefreshTokenInterval" Value="soon"/></Parameters></Scenario></Scenarios>'
                     '</Information>', XMLFormatError, ["Token Refresh Time", "'soon'"], 3, id="refresh-minutes"),
        pytest.param('<Information><Scenarios><Scenario Id="UserAssociation"><Parameters>\n\n'
                     '<Parameter Father="Pagination" Name="PageSize" Value="1e3"/></Parameters></Scenario>'
                     '</Scenarios></Information>', XMLFormatError, ["PageSize", "'1e3'"], 3, id="page-size"),
    ],
)
def test_bad_input_gives_one_clear_error_with_position(text, error, words, line) -> None:
    with pytest.raises(error) as info:
        from_xml(text, source="bad.xml")
    message = str(info.value)
    for word in words:
        assert word in message
    assert info.value.location.source == "bad.xml"
    if line is not None:
        assert info.value.location.line == line and info.value.location.column
    assert "Traceback" not in message


UNKNOWN = """<Information AuthType="digest" Provider="pbx">
<Scenarios>
<Scenario Id="AuthMethod" Type="AUTH"><Parameters>
<Parameter Father="CustomFieldList" Name="x" Editor="checkbox" Title="X"/>
<Parameter Name="CredentialType" Value="cert"/>
<Parameter Name="TokenContentType" Value="text/plain"/>
</Parameters></Scenario>
<Scenario Id="SyncContactAuto"><Parameters>
<Parameter Name="ContactUrlType" Value="weird"/>
</Parameters></Scenario>
<Scenario Id="UserAssociation"><Parameters>
<Parameter Father="Pagination" Name="Mode" Value="cursor"/>
</Parameters></Scenario>
<Scenario Id="Common"><Requests><Request Name="F" URLFormat="https://h">
<Parameters><Parameter Name="TriggerEvent" Value="on_hold"/></Parameters>
</Request></Requests></Scenario>
</Scenarios></Information>"""


@pytest.mark.parametrize(
    "section, field, value, line",
    [
        pytest.param("Authentication", "Authentication Method", "digest", 1, id="auth-method"),
        pytest.param("General", "Provider", "pbx", 1, id="provider"),
        pytest.param("Authentication", "Custom Field 1 > Type", "checkbox", 4, id="field-editor"),
        pytest.param("Authentication", "Credential Type", "cert", 5, id="credential-type"),
        pytest.param("Authentication", "Content Type", "text/plain", 6, id="content-type"),
        pytest.param("Contact Search", "Contact Popup URL", "weird", 9, id="popup-mode"),
        pytest.param("User Association", "Pagination Type", "cursor", 12, id="pagination-mode"),
        pytest.param("Follow-up Requests", "Request 1 > Triggered Event", "on_hold", 14, id="follow-up-event"),
    ],
)
def test_unknown_values_load_with_a_warning_naming_the_line_and_are_written_back(section, field, value, line):
    template = from_xml(UNKNOWN, source="odd.xml")
    (warning,) = [p for p in validate(template) if p.code == "unknown-value" and p.location.field == field]
    assert warning.severity == "warning" and repr(value) in warning.message
    assert (warning.location.section, warning.location.source, warning.location.line) == (section, "odd.xml", line)
    xml = to_xml(template)
    assert f'"{value}"' in xml and from_xml(xml) == template and to_xml(from_xml(xml)) == xml


def test_unknown_values_are_refused_from_python_code() -> None:
    with pytest.raises(ModelError) as info:
        Popup(mode="weird")
    assert "'weird'" in str(info.value) and "Unrecognized" in (info.value.hint or "")
    assert Popup(mode=Unrecognized("weird")).mode == "weird"


def _params(tag: str, n: int) -> str:
    if tag == "field":
        return "".join(f'<Parameter Father="CustomFieldList" Name="f{i}" Editor="string" Title="F"/>'
                       for i in range(n))
    return "".join(f'<Parameter Father="PopulateTemplateString" Type="Header" Name="X-{i}" Value="v"/>'
                   for i in range(n))


@pytest.mark.parametrize(
    "kind, count, ok",
    [("field", 5, True), ("field", 6, False), ("header", 20, True), ("header", 21, False)],
)
def test_count_limits_on_import(kind: str, count: int, ok: bool) -> None:
    text = ('<Information>\n<Scenarios>\n<Scenario Id="AuthMethod" Type="AUTH"><Parameters>'
            f"{_params(kind, count)}</Parameters></Scenario></Scenarios></Information>")
    if ok:
        t = from_xml(text)
        assert len(t.auth.custom_fields if kind == "field" else t.headers) == count
        return
    with pytest.raises(LimitError) as info:
        from_xml(text, source="t.xml")
    assert str(count) in str(info.value) and info.value.location.source == "t.xml"
    assert (info.value.location.line, info.value.location.column) == (3, 51 + len(_params(kind, count - 1)))


def test_text_input_ignores_its_encoding_declaration() -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?><Information Name="caf\u00e9 \u4e2d"/>'
    assert from_xml(text).general.name == "caf\u00e9 \u4e2d"
    assert from_xml(text.encode("utf-8").replace(b"ISO-8859-1", b"UTF-8")).general.name == "caf\u00e9 \u4e2d"


def test_load_reads_the_logo_beside_the_file_and_save_writes_it(tmp_path: Path) -> None:
    (tmp_path / "desk.png").write_bytes(png())
    (tmp_path / "t.xml").write_text('<Information Name="D" Key="d" Logo="desk.png"/>', encoding="utf-8")
    t = load(tmp_path / "t.xml")
    assert t.general.logo is not None and t.general.logo.size == (150, 150)
    out = tmp_path / "out"
    out.mkdir()
    save(t, out / "t.xml", check=False)
    assert (out / "desk.png").read_bytes() == png() and load(out / "t.xml") == t


def test_load_rejects_an_oversized_logo_beside_the_file(tmp_path: Path) -> None:
    (tmp_path / "desk.png").write_bytes(png() + b"\0" * 600_000)
    (tmp_path / "t.xml").write_text('<Information Logo="desk.png"/>', encoding="utf-8")
    with pytest.raises(LimitError) as info:
        load(tmp_path / "t.xml")
    assert "desk.png" in str(info.value) and "500 KB" in str(info.value)


def test_load_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(XMLFormatError) as info:
        load(tmp_path / "nope.xml")
    assert "nope.xml" in str(info.value)


def test_save_refuses_while_errors_remain_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "t.xml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        save(Template(), target)
    assert info.value.problems and target.read_text(encoding="utf-8") == "old"


def _search(*requests: str) -> str:
    body = "\n".join(
        f'<Request Name="{name}" Method="GET" URLFormat="https://h/{name}">\n<Outputs>{outputs}</Outputs></Request>'
        for name, outputs in (r.split("|", 1) for r in requests)
    )
    return ('<Information Name="n" Key="k"><Scenarios><Scenario Id="SyncContactAuto"><Parameters>'
            '<Parameter Name="ContactUrlType" Value="retrieve_from_contact"/>'
            '<Parameter Name="ContactFieldForUri" Value="data.#.url"/></Parameters><Requests>\n'
            f"{body}\n</Requests></Scenario></Scenarios></Information>")


ID = '<Output Name="ContactsId" Path="data.#.id"/>'
NAME = '<Output Name="FirstName" Path="data.#.fn"/>'


@pytest.mark.parametrize(
    "requests, words, line",
    [
        pytest.param((f"Contacts|{ID}{NAME}", f'Leads|{ID}<Output Name="FirstName" Path="leads.#.fn"/>'),
                     ["'Leads' maps FirstName to 'leads.#.fn'", "'Contacts' maps it to 'data.#.fn'"], 4,
                     id="different-path"),
        pytest.param((f"Contacts|{ID}{NAME}", f"Leads|{ID}"), ["'Leads' maps FirstName to nothing"], 4,
                     id="missing-output"),
        pytest.param((f"Contacts|{ID}", f"Leads|{ID}{NAME}"), ["'Leads' maps FirstName to 'data.#.fn'",
                                                            "maps it to nothing"], 4, id="extra-output"),
        pytest.param((f"Contacts|{ID}", f'Leads|<Output Name="ContactId" Path="other.id"/>'),
                     ["'Leads' maps ContactId to 'other.id'"], 4, id="contact-id-alias"),
    ],
)
def test_contact_types_that_map_differently_are_kept_each_with_its_outputs(requests, words, line) -> None:
    template = from_xml(_search(*requests), source="t.xml")
    warnings = [p for p in validate(template) if p.code == "contact-mapping-differs"]
    assert warnings and all(p.severity == "warning" for p in warnings)
    assert {(p.location.section, p.location.source, p.location.line) for p in warnings} == {
        ("Contact Search", "t.xml", line)}
    text = " ".join(p.message for p in warnings)
    for word in words:
        assert word in text
    leads = template.contact_search.contact_types[1]  # kept exactly as its request has them
    assert [(o.name, o.path) for o in leads.outputs] == re.findall(r'Name="(\w+)" Path="([^"]*)"', requests[1])
    assert from_xml(to_xml(template)) == template
    assert to_xml(from_xml(to_xml(template))) == to_xml(template)


def test_each_contact_type_keeps_its_own_outputs_and_the_mapping_view_sets_them_all() -> None:
    template = from_xml(_search(f"Contacts|{ID}{NAME}", f'Leads|<Output Name="ContactId" Path="l.#.id"/>'
                                                        '<Output Name="FirstName" Path="l.#.fn" Type="string"/>'))
    contacts, leads = template.contact_search.contact_types
    assert leads.outputs == (Output("ContactId", "l.#.id"), Output("FirstName", "l.#.fn", (("Type", "string"),)))
    fields = template.contact_search.fields  # the view reads the first contact type
    assert (fields.contact_id.path, fields.first_name.path) == ("data.#.id", "data.#.fn")
    assert template.contact_search.popup.contact_field_path == "data.#.url"
    edited = template.contact_search.replace(
        fields=dataclasses.replace(fields, first_name=FieldMapping(True, "x.#.name")))
    for ct in edited.contact_types:  # written to every contact request, in place, attributes kept
        assert ct.mapping()["FirstName"] == "x.#.name"
    assert edited.contact_types[1].outputs[1].attrs == (("Type", "string"),)
    assert edited.contact_types[1].mapping()["ContactId"] == "l.#.id"  # an unchanged field stays as it was


def test_duplicate_outputs_last_one_wins_and_round_trips() -> None:
    t = from_xml(_search(f'Contacts|{ID}<Output Name="FirstName" Path="old"/>{NAME}'))
    assert t.contact_search.fields.first_name.path == "data.#.fn"
    assert [o.path for o in t.contact_search.contact_types[0].outputs] == ["data.#.id", "old", "data.#.fn"]
    assert from_xml(to_xml(t)) == t


@pytest.mark.parametrize(
    "paths, variables, outputs",
    [
        pytest.param("a, b", "A", ['Name="A" Path="a"', 'Path="b"'], id="path-without-variable"),
        pytest.param("a", "A, B", ['Name="A" Path="a"', 'Name="B"'], id="variable-without-path"),
        pytest.param('data.#(k=="1,2").v , z', "P,Q", ['Name="P" Path="data.#(k==&quot;1,2&quot;).v"',
                                                     'Name="Q" Path="z"'], id="comma-inside-filter"),
    ],
)
def test_follow_up_outputs_keep_unpaired_items(paths: str, variables: str, outputs: list[str]) -> None:
    template = Template(follow_ups=(FollowUpRequest("F", "call_ended", url="https://h", response_paths=paths,
                                                    target_variables=variables),))
    xml = to_xml(template)
    assert [line.strip()[8:-3] for line in xml.splitlines() if "<Output " in line] == outputs
    assert from_xml(xml) == template


def test_a_mapping_set_before_any_contact_type_lives_in_a_blank_one() -> None:
    draft = Template(contact_search=ContactSearch(fields=ContactFields(
        contact_id=FieldMapping(True, "data.#.id"), mobile_number=FieldMapping(True, "data.#.m"))))
    (blank,) = draft.contact_search.contact_types
    assert (blank.name, blank.url) == ("", "") and blank.mapping() == {"ContactsId": "data.#.id", "MobileNumber": "data.#.m"}
    xml = to_xml(draft)
    assert 'Name="MobileNumber" Path="data.#.m"' in xml
    again = from_xml(xml)
    assert again == draft and again.contact_search.fields.mobile_number == FieldMapping(True, "data.#.m")


@pytest.mark.parametrize(
    "parameter, shown",
    [
        pytest.param('<Parameter Name="client_secret" Value="SENTINEL-SECRET" Bad="a"b"/>', "***************",
                     id="secret-name-malformed-tag"),
        pytest.param('<Parameter Father="CustomFieldList" Editor="password" Name="pw" Value="SENTINEL-SECRET"/>'
                     '<Parameter Name="RefreshTokenInterval" Value="soon"/>', 'got \'soon\'', id="password-field"),
    ],
)
def test_error_snippets_never_quote_a_secret(parameter: str, shown: str) -> None:
    text = ('<Information>\n<Scenarios><Scenario Id="AuthMethod"><Parameters>\n'
            f"{parameter}\n</Parameters></Scenario></Scenarios></Information>")
    with pytest.raises(XMLFormatError) as info:
        from_xml(text)
    assert "SENTINEL" not in str(info.value) and shown in str(info.value) and info.value.location.line == 3


def test_a_scenario_given_twice_is_refused_not_merged() -> None:
    text = ('<Information>\n<Scenarios>\n<Scenario Id="SyncContactAuto"><Requests><Request Name="A"/></Requests>'
            '</Scenario>\n  <Scenario Id="SyncContactAuto"><Requests><Request Name="B"/></Requests></Scenario>\n'
            "</Scenarios></Information>")
    with pytest.raises(XMLFormatError) as info:
        from_xml(text, source="t.xml")
    assert "'SyncContactAuto' appears twice (first on line 3)" in str(info.value)
    assert (info.value.location.line, info.value.location.column) == (4, 3)
