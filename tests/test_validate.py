"""validate(): every problem at once, with section, field and position; errors vs warnings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hdkit.model import (
    Auth,
    Extra,
    Output,
    Param,
    Request,
    Unrecognized,
    BasicAuth,
    CallJournal,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactType,
    CustomField,
    FieldMapping,
    FollowUpRequest,
    General,
    Header,
    Logo,
    NewTicket,
    OAuth2,
    Pagination,
    Popup,
    Template,
    UserAssociation,
    UserFields,
)
from hdkit.errors import ValidationFailed
from hdkit.validate import errors, require_valid, validate
from support.images import png
from hdkit.yeastar_xml import from_xml, load, save, to_xml
import support

DATA = support.DATA / "templates"


def good() -> Template:
    return Template(
        general=General(name="Desk", key="desk"),
        auth=Auth(custom_fields=(CustomField("host", "Host"), CustomField("api_key", "Key", "password"))),
        headers=(Header("X-Api-Key", "{{.api_key}}"),),
        contact_search=ContactSearch(
            contact_types=(ContactType("Contacts", "https://{{.host}}/c?phone={{UrlEncode .Phone}}"),),
            popup=Popup(url_format="https://{{.host}}/c/{{.ContactId}}"),
            fields=ContactFields(
                contact_id=FieldMapping(True, "data.#.id"),
                first_name=FieldMapping(True, "data.#.first_name"),
                business_number=FieldMapping(True, "data.#.phone"),
            ),
        ),
    )


def edit(**sections) -> Template:
    return replace(good(), **sections)


def with_general(**kw) -> Template:
    return edit(general=replace(good().general, **kw))


def with_search(**kw) -> Template:
    return edit(contact_search=replace(good().contact_search, **kw))


def with_fields(**kw) -> Template:
    return with_search(fields=replace(good().contact_search.fields, **kw))


def with_types(*types: ContactType) -> Template:
    """good() with other contact types, each given the good Contact Field Mapping."""
    search = good().contact_search
    return edit(contact_search=ContactSearch(types, search.popup, search.fields))


def with_url(url: str) -> Template:
    return with_types(ContactType("Contacts", url))


def users(**pagination) -> Template:
    return edit(user_association=UserAssociation(
        True, "https://{{.host}}/users", pagination=Pagination(**pagination), fields=UserFields("users.#.id")))


def follow(*requests: FollowUpRequest, next_: str = "") -> Template:
    types = (ContactType("Contacts", "https://{{.host}}/c?phone={{UrlEncode .Phone}}", next=next_),)
    return replace(with_types(*types), follow_ups=requests)


def test_a_good_template_has_no_problems() -> None:
    assert validate(good()) == []


def test_reference_example_4_1_validates_without_errors() -> None:
    problems = validate(load(DATA / "example_desk_4_1.xml"))
    assert errors(problems) == [] and {p.code for p in problems} == {"json-unescaped", "url-unescaped", "kept-unread"}
    kept = [p for p in problems if p.code == "kept-unread"]  # the journal's TicketId: kept, named with its line
    assert [(p.location.source, p.location.line) for p in kept] == [(str(DATA / "example_desk_4_1.xml"), 150)]


def test_reconstructed_example_4_2_gaps_are_reported() -> None:
    found = {(p.location.section, p.location.field) for p in errors(validate(load(DATA / "acme_crm_4_2.xml")))}
    assert found == {
        ("User Association", "Offset Parameter Name"),
        ("User Association", "Offset Value"),
        ("User Association", "Limit Parameter Name"),
        ("User Association", "Limit Value"),
        ("Contact Creation", "Contact Types"),  # CreateNewContact="1" without its scenario
    }


# (template, severity, section, field fragment, code, line, column)
ROWS = [
    pytest.param(with_general(name=""), "error", "General", "Helpdesk Name", "required", None, None, id="name"),
    pytest.param(with_general(key=""), "error", "General", "Key", "required", None, None, id="key"),
    pytest.param(with_general(max_concurrent_requests=0), "error", "General", "Max Concurrent", "range",
                 None, None, id="max-concurrent-0"),
    pytest.param(with_general(logo=Logo("l.png", png(300, 120))), "warning", "General", "Logo", "logo-size",
                 None, None, id="logo-not-150"),
    pytest.param(edit(auth=Auth(method="basic")), "error", "Authentication", "Base64", "required",
                 None, None, id="basic-format"),
    pytest.param(edit(auth=Auth(method="oauth2", oauth2=OAuth2(token_endpoint="https://t"))), "error",
                 "Authentication", "Authorization Endpoint", "required", None, None, id="oauth2-authorize"),
    pytest.param(edit(auth=Auth(method="bearer_token")), "error", "Authentication", "Custom Fields",
                 "bearer-token-input", None, None, id="bearer-without-token-input"),
    pytest.param(edit(auth=Auth(method="bearer_token", custom_fields=(
        CustomField("api_key", "Key", "password"), CustomField("api_token", "Token", "password")))),
                 "warning", "Authentication", "Custom Fields", "bearer-token-input", None, None,
                 id="bearer-two-token-inputs"),
    pytest.param(edit(auth=Auth(method="oauth2", oauth2=OAuth2("https://a", "https://t", refresh_minutes=-1))),
                 "error", "Authentication", "Token Refresh Time", "range", None, None, id="refresh-negative"),
    pytest.param(edit(auth=Auth(custom_fields=(CustomField("my-host", "H"),))), "error", "Authentication",
                 "Custom Field 1 > Name", "identifier", None, None, id="field-identifier"),
    pytest.param(edit(auth=Auth(custom_fields=(CustomField("a", "A"), CustomField("a", "B")))), "error",
                 "Authentication", "Custom Field 2 > Name", "duplicate", None, None, id="field-duplicate"),
    pytest.param(edit(auth=Auth(custom_fields=(CustomField("r", "R", "dropdown"),))), "error", "Authentication",
                 "Dropdown Options", "required", None, None, id="dropdown-options"),
    pytest.param(edit(auth=Auth(custom_fields=(CustomField("password", "P"),))), "warning", "Authentication",
                 "Custom Field 1 > Type", "literal-secret", None, None, id="secret-as-text-input"),
    pytest.param(edit(auth=Auth(method="basic", basic=BasicAuth(credential_format="{{.u}}:{{.p}}")),
                      headers=(Header("Authorization", "Basic x"),)),
                 "warning", "Headers", "Header 1 > Name", "authorization-header", None, None, id="authorization"),
    pytest.param(edit(headers=(Header("X-Api-Key", "sk_live_123"),)), "warning", "Headers", "Header 1 > Value",
                 "literal-secret", None, None, id="header-literal-secret"),
    pytest.param(edit(auth=Auth(method="oauth2", oauth2=OAuth2("https://a", "https://t",
                                                     additional_query="client_id=x&client_secret=s3cr3t"))),
                 "warning", "Authentication", "Additional Query String", "literal-secret", None, None,
                 id="query-string-literal-secret"),
    pytest.param(edit(auth=Auth(method="oauth2", oauth2=OAuth2("https://a", "https://t",
                                                     refresh_body="grant_type=refresh_token&client_secret=x"))),
                 "warning", "Authentication", "Token Refresh Request Body", "literal-secret", None, None,
                 id="form-refresh-body-literal-secret"),
    pytest.param(follow(FollowUpRequest("F", "call_ended", url="https://h", body='{"a": {"api_key": "sk_1"}}')),
                 "warning", "Follow-up Requests", "Request Body", "literal-secret", None, None,
                 id="json-body-literal-secret"),
    pytest.param(edit(headers=(Header("Bad Name", "v"),)), "error", "Headers", "Header 1 > Name", "header-name",
                 None, None, id="header-name"),
    pytest.param(with_url("https://h/c?phone={{UrlEncode .Phone}}&api_key=abc123"), "warning", "Contact Search",
                 "Contact Match Query URL", "literal-secret", None, None, id="url-literal-secret"),
    pytest.param(with_url("https://h/c?phone={{UrlEncode .Phone}"), "error", "Contact Search",
                 "Contact Match Query URL", "template-syntax", 1, None, id="template-syntax"),
    pytest.param(with_url("https://h/c?phone={{.Phone}}"), "warning", "Contact Search", "Contact Match Query URL",
                 "url-unescaped", 1, 19, id="url-unescaped"),
    pytest.param(with_url("https://h/c?phone={{UrlEncode .Phone}}&x={{UrlEncode .Nope}}"), "warning",
                 "Contact Search", "Contact Match Query URL", "unknown-variable", 1, 54, id="unknown-variable"),
    pytest.param(with_search(contact_types=()), "error", "Contact Search", "Contact Types", "required",
                 None, None, id="no-contact-type"),
    pytest.param(with_search(popup=Popup()), "error", "Contact Search", "URL Format", "required",
                 None, None, id="popup-url"),
    pytest.param(with_search(popup=Popup("contact_field")), "error", "Contact Search", "Contact Field for URL",
                 "required", None, None, id="popup-field"),
    pytest.param(with_fields(contact_id=FieldMapping(True, "")), "error", "Contact Search", "Contact ID",
                 "required", None, None, id="contact-id"),
    pytest.param(with_fields(first_name=FieldMapping(True, " ")), "error", "Contact Search", "First Name",
                 "required", None, None, id="first-name"),
    pytest.param(with_fields(business_number=FieldMapping(False, "data.#.phone")), "error", "Contact Search",
                 "Contact Field Mapping", "phone-required", None, None, id="no-phone-enabled"),
    pytest.param(with_fields(business_number=FieldMapping(True, "")), "error", "Contact Search",
                 "Contact Field Mapping", "phone-required", None, None, id="no-phone-mapped"),
    pytest.param(with_fields(email=FieldMapping(True, "")), "warning", "Contact Search", "Email", "unmapped",
                 None, None, id="enabled-unmapped"),
    pytest.param(with_fields(email=FieldMapping(True, "$.data[")), "error", "Contact Search", "Email",
                 "path-syntax", 1, 8, id="bad-path"),
    pytest.param(users(mode="page"), "error", "User Association", "Page Parameter Name", "required",
                 None, None, id="page-params"),
    pytest.param(users(mode="page", page_param="p", page_start=1, size_param="s", size=0), "error",
                 "User Association", "Page Size Value", "range", None, None, id="page-size-0"),
    pytest.param(users(mode="offset", offset_param="o", offset_start=-1, limit_param="l", limit=10), "error",
                 "User Association", "Offset Value", "range", None, None, id="offset-negative"),
    pytest.param(users(mode="offset"), "error", "User Association", "Limit Value", "required",
                 None, None, id="offset-params"),
    pytest.param(users(mode="next_link"), "error", "User Association", "Next Page Link Path", "required",
                 None, None, id="next-link-path"),
    pytest.param(edit(user_association=UserAssociation(True, "https://h/u")), "error", "User Association",
                 "User Unique ID", "required", None, None, id="user-id"),
    pytest.param(edit(user_association=UserAssociation(True, "", fields=UserFields("id"))), "error",
                 "User Association", "Get User", "required", None, None, id="user-url"),
    pytest.param(follow(FollowUpRequest("F", "call_ended", url="https://h", response_paths="a,b",
                                        target_variables="A")),
                 "error", "Follow-up Requests", "Target Variable Name", "output-count", None, None, id="pair-count"),
    pytest.param(follow(FollowUpRequest("F", "call_ended", url="https://h"), next_="G"), "error", "Contact Search",
                 "Next Request", "unknown-next", None, None, id="unknown-next"),
    pytest.param(follow(FollowUpRequest("F", None, url="https://h")), "warning", "Follow-up Requests",
                 "Triggered Event", "unreachable", None, None, id="unreachable"),
    pytest.param(follow(FollowUpRequest("F", "call_ended", url="https://h", headers="[1]")), "error",
                 "Follow-up Requests", "Headers", "json-object", None, None, id="headers-object"),
    pytest.param(follow(FollowUpRequest("F", "call_ended", url="https://h", body='{"a": {{.Phone}} "b"}')),
                 "error", "Follow-up Requests", "Request Body", "json-syntax", 1, None, id="body-json"),
    pytest.param(follow(FollowUpRequest("F", "call_ended", method="FETCH", url="https://h")), "error",
                 "Follow-up Requests", "Request Method", "method", None, None, id="method"),
    pytest.param(edit(contact_creation=ContactCreation(True)), "error", "Contact Creation", "Contact Types",
                 "required", None, None, id="creation-types"),
    pytest.param(edit(call_journal=CallJournal(True, "https://h/calls", '{\n  "s": "{{.Subject}}",\n  "d": }')),
                 "error", "Call Journal", "Request Data", "json-syntax", 3, None, id="journal-json-line"),
    pytest.param(edit(call_journal=CallJournal(True, "https://h/calls", '{"s": "{{.Subject}}"}')),
                 "warning", "Call Journal", "Request Data", "json-unescaped", 1, 8, id="journal-unescaped"),
    pytest.param(edit(new_ticket=NewTicket(True, "")), "error", "New Ticket", "Create New Ticket URL",
                 "required", None, None, id="ticket-url"),
    pytest.param(replace(with_general(provider="crm"), new_ticket=NewTicket(True, "https://h/t")), "warning",
                 "New Ticket", "Create New Ticket Automatically", "provider", None, None, id="ticket-on-crm"),
    # what a file holds beyond the form: kept and run, with a warning
    pytest.param(with_types(ContactType("C", "https://{{.host}}/search", "POST", body='{"phone": "{{.Phone}}"}')),
                 "warning", "Contact Search", "Contact Type 1 > Request Body", "undocumented", None, None,
                 id="search-with-body"),
    pytest.param(edit(new_ticket=NewTicket(True, requests=(Request("A", "https://h/t", "POST"),
                                                           Request("B", "https://h/t/{{.TicketId}}", "PATCH")))),
                 "warning", "New Ticket", "Request 2 > URL", "undocumented", None, None, id="second-ticket-request"),
    pytest.param(edit(user_association=UserAssociation(True, fields=UserFields("id"), requests=(
        Request("U", "https://h/u", outputs=(Output("UserUniqueId", "id"),)), Request("V", "https://h/v")))),
                 "warning", "User Association", "Request 2 > URL", "not-run", None, None, id="second-user-request"),
    pytest.param(with_types(ContactType("C", "https://{{.host}}/c?p={{UrlEncode .Phone}}",
                                        params=(Param("limit", "5", "Query"),))),
                 "warning", "Contact Search", "Contact Type 1 > Parameter 1", "parameter-not-sent", None, None,
                 id="parameter-not-sent"),
    pytest.param(with_types(ContactType("C", "https://{{.host}}/c?p={{UrlEncode .Phone}}",
                                        params=(Param("X-Api-Key", "sk_live_1", "Header"),))),
                 "warning", "Contact Search", "Contact Type 1 > Parameter 1", "literal-secret", None, None,
                 id="request-header-literal-secret"),
    pytest.param(with_types(ContactType("C", "https://{{.host}}/c?p={{UrlEncode .Phone}}",
                                        params=(Param("X-Api-Version", "{{.Nope}}", "Header"),))),
                 "warning", "Contact Search", "Contact Type 1 > Parameter 1", "unknown-variable", 1, 3,
                 id="request-header-template"),
    pytest.param(with_types(ContactType("C", "https://{{.host}}/c?p={{UrlEncode .Phone}}",
                                        outputs=(Output("ContactUrl", "$.data["),))),
                 "error", "Contact Search", "Contact Type 1 > Output 1 (ContactUrl)", "path-syntax", None, None,
                 id="other-output-path"),
    pytest.param(with_search(popup=Popup("contact_field", contact_field_path="ContactsId")), "warning",
                 "Contact Search", "Contact Field for URL", "popup-output-name", None, None, id="popup-output-name"),
    pytest.param(with_search(popup=Popup(Unrecognized("iframe"))), "warning", "Contact Search", "Contact Popup URL",
                 "unknown-value", None, None, id="unknown-popup-mode"),
    pytest.param(edit(auth=Auth(custom_fields=(CustomField("host", "Host", Unrecognized("checkbox")),))), "warning",
                 "Authentication", "Custom Field 1 > Type", "unknown-value", None, None, id="unknown-field-editor"),
    pytest.param(edit(contact_search=ContactSearch((
        ContactType("A", "https://{{.host}}/a?p={{UrlEncode .Phone}}", outputs=(Output("ContactsId", "a.#.id"),)),
        ContactType("B", "https://{{.host}}/b?p={{UrlEncode .Phone}}", outputs=(Output("ContactsId", "b.#.id"),))))),
                 "warning", "Contact Search", "Contact Type 2 > Outputs", "contact-mapping-differs", None, None,
                 id="contact-mapping-differs"),
    pytest.param(edit(extras=(Extra("Scenario[CallJournal]/Parameters", '<Parameter Name="TicketId" />'),)),
                 "warning", "Extras", "Scenario[CallJournal]/Parameters", "kept-unread", None, None, id="extra"),
]


@pytest.mark.parametrize("template, severity, section, field, code, line, column", ROWS)
def test_each_problem_is_found_with_its_location(template, severity, section, field, code, line, column) -> None:
    problems = validate(template)
    found = [p for p in problems if p.code == code and p.location.section == section
             and field in (p.location.field or "")]
    assert found, f"no {code} problem at {section} > {field}; got: {[str(p) for p in problems]}"
    problem = found[0]
    assert problem.severity == severity and problem.message
    if line is not None:
        assert problem.location.line == line
    if column is not None:
        assert problem.location.column == column


def test_single_quoted_literal_offers_the_double_quote_fix() -> None:
    body = "{\"t\": \"{{TimeFormat .StartTimeUnix 'yyyy-MM-dd' '1'}}\"}"
    template = edit(call_journal=CallJournal(True, "https://h/calls", body))
    (problem,) = [p for p in validate(template) if p.code == "template-syntax"]
    assert problem.is_error and problem.location.line == 1 and problem.location.column
    assert problem.fix and '"yyyy-MM-dd"' in problem.fix


def test_all_problems_are_returned_at_once() -> None:
    template = replace(with_general(name="", max_concurrent_requests=0), contact_search=ContactSearch())
    codes = {p.code for p in validate(template)}
    assert {"required", "range", "phone-required"} <= codes
    assert len(errors(validate(template))) >= 4


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(with_general(logo=Logo("l.png", png(150, 150))), id="logo-150"),
        pytest.param(with_general(max_concurrent_requests=1), id="max-concurrent-1"),
        pytest.param(follow(FollowUpRequest("F", "call_ended", url="https://h",
                                            body='{"token_type": "Bearer", "api_key": "{{.api_key}}"}')),
                     id="secret-names-without-literal-secrets"),
        pytest.param(edit(headers=(Header("Authorization", "Token {{.api_key}}"),)), id="authorization-with-none"),
        pytest.param(users(mode="page", page_param="p", page_start=0, size_param="s", size=1), id="page-at-limits"),
        pytest.param(users(mode="offset", offset_param="o", offset_start=0, limit_param="l", limit=1),
                     id="offset-at-limits"),
        pytest.param(users(mode="next_link", next_link_path="links.next"), id="next-link"),
        pytest.param(replace(with_fields(business_number=FieldMapping(True, "")),
                             follow_ups=(FollowUpRequest("Ids", None, url="https://{{.host}}/i/{{.ContactsId}}",
                                                         response_paths="ids.0", target_variables="BusinessNumber"),),
                             contact_search=ContactSearch(
                                 (ContactType("C", "https://{{.host}}/c?p={{UrlEncode .Phone}}", next="Ids"),),
                                 good().contact_search.popup,
                                 replace(good().contact_search.fields, business_number=FieldMapping(True, "")))),
                     id="phone-from-follow-up"),
        pytest.param(with_fields(mobile_number=FieldMapping(True, 'data.#(m=="{{.Phone}}")#.m,data.#.m2')),
                     id="path-with-template-and-alternatives"),
        pytest.param(edit(auth=Auth(method="oauth2", oauth2=OAuth2("https://a", "https://t", refresh_minutes=0))),
                     id="refresh-never"),
    ],
)
def test_no_errors_at_the_limits(template: Template) -> None:
    problems = validate(template)
    assert errors(problems) == [] and "literal-secret" not in {p.code for p in problems}


def test_the_double_quote_fix_is_offered_only_when_quotes_are_the_problem() -> None:
    """An unknown function in a template that also holds a single-quoted literal keeps the
    function hint: rewriting the quotes would not make it compile."""
    from hdkit.validate import _quote_fix

    assert _quote_fix("{{TimeFormat .T 'yyyy' '1'}}") == 'use double quotes: {{TimeFormat .T "yyyy" "1"}}'
    assert _quote_fix("{{Nope .T 'yyyy'}}") is None
    assert _quote_fix("{{.T}}") is None


def test_a_half_built_inputs_still_has_a_repr() -> None:
    from hdkit.model import CustomField, Inputs

    inputs = Inputs.__new__(Inputs)
    try:
        inputs.__init__((CustomField("a", "A"),), {"b": "x"})
    except Exception as err:
        assert "unknown custom field 'b'" in str(err)
    assert repr(inputs) == "Inputs({})"


# -- the one validity gate --------------------------------------------------------------------------


def test_the_gate_returns_the_warnings_of_a_template_without_errors() -> None:
    template = with_url("https://hd.test/c?q={{.Phone}}")  # an unescaped query value: a warning only
    problems = require_valid(template, "run")
    assert problems == validate(template) and problems and not errors(problems)


def test_the_gate_refuses_with_one_message_shape_listing_each_error() -> None:
    template = edit(general=General())  # no name, no key
    with pytest.raises(ValidationFailed) as info:
        require_valid(template, "exported")
    refused = info.value
    assert refused.message == "2 error(s); not exported"
    assert str(refused).splitlines() == [
        "2 error(s); not exported",
        "  error: General > Helpdesk Name: Helpdesk Name is required",
        "  error: General > Key: Key is required",
    ]
    assert refused.problems == validate(template) and refused.errors == errors(validate(template))


def test_a_refusal_names_the_file_at_each_error_and_pickles(tmp_path: Path) -> None:
    import pickle

    path = tmp_path / "broken.xml"
    path.write_text(to_xml(edit(general=General(name="Desk"))), encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        require_valid(load(path), "run")
    assert info.value.message == "1 error(s); not run"
    assert str(info.value).splitlines()[1] == f"  error: {path}: General > Key: line 2, column 1: Key is required"
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value) and again.problems == info.value.problems


def test_save_asks_the_gate(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match=r"^2 error\(s\); not exported\n"):
        save(edit(general=General()), tmp_path / "t.xml")
    assert not (tmp_path / "t.xml").exists()


def test_a_value_with_more_actions_than_hdkit_checks_is_one_error_naming_it() -> None:
    """200,000 actions in one body took 4 minutes to validate; past the cap it is one located error."""
    from hdkit import limits
    from hdkit.yeastar_xml import from_xml
    from support.hostile import variant

    body = "{&quot;n&quot;: &quot;" + "{{.FirstName}}" * 200_000 + "&quot;}"
    text = variant("keydesk", ('Value="{&quot;name&quot;: {{printf &quot;%q&quot; .DisplayName}}, &quot;phone&quot;: '
                               '&quot;{{.BusinessNumber}}&quot;}"', f'Value="{body}"'))
    (problem,) = [p for p in validate(from_xml(text)) if p.code == "too-many-actions"]
    assert problem.is_error and problem.location.section == "Contact Creation" and problem.location.line == 97
    assert f"200,000 template actions in one value; hdkit checks at most {limits.MAX_ACTIONS_PER_VALUE:,}" \
        in problem.message


def test_a_field_only_a_later_contact_type_maps_is_mapped() -> None:
    """Zoho's Accounts type maps Company and its Contacts type does not: Company is mapped (when an
    account matches, that type sets it), so no 'enabled but not mapped' warning."""
    template = load(DATA / "corpus" / "zoho_desk_oauth2_refresh_plain.xml")
    accounts = template.contact_search.contact_types[1]
    assert "Company" not in template.contact_search.contact_types[0].mapping() and accounts.mapping()["Company"]
    assert template.contact_search.fields.company.enabled
    assert [str(p) for p in validate(template) if p.code == "unmapped"] == []


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(("params", "global_type", "json_error"), [
    pytest.param((Param("Content-Type", FORM, "Header"),), "application/json", False, id="request-header-form"),
    pytest.param((), FORM, False, id="template-header-form"),
    pytest.param((Param("Content-Type", "application/json", "Header"),), FORM, True, id="request-header-json-wins"),
    pytest.param((), "application/json", True, id="json"),
])
def test_a_form_body_is_no_json_error(params, global_type, json_error) -> None:
    """The body goes out with the Content-Type the file gives it (the request's own header after
    the template's): a form body is what the file says, not an error; under JSON it still is."""
    search = ContactType("C", "https://{{.host}}/search", "POST", body="phone={{UrlEncode .Phone}}", params=params)
    template = replace(with_types(search), headers=(Header("Content-Type", global_type),))
    found = [p for p in validate(template) if "body is not valid JSON" in p.message]
    assert [p.is_error for p in found] == ([True] if json_error else [])


def test_a_follow_up_form_body_under_its_own_content_type_is_no_json_error() -> None:
    text = (DATA / "corpus" / "keydesk_login_followup.xml").read_text(encoding="utf-8")
    text = text.replace('{&quot;Content-Type&quot;:&quot;application/json&quot;}', '{&quot;Content-Type&quot;:&quot;'
                        f'{FORM}&quot;}}').replace(
        "{&quot;username&quot;:&quot;{{.username}}&quot;,&quot;password&quot;:&quot;{{.password}}&quot;}",
        "username={{UrlEncode .username}}&amp;password={{UrlEncode .password}}")
    template = from_xml(text)
    assert template.follow_ups[0].body.startswith("username=")
    assert errors(validate(template)) == []


def test_a_next_on_the_users_request_is_kept_and_said_not_to_run() -> None:
    template = users(mode="disabled")
    ua = template.user_association
    template = replace(template, user_association=replace(ua, requests=(replace(ua.requests[0], next="Detail"),)),
                       follow_ups=(FollowUpRequest("Detail", url="https://{{.host}}/u/{{.UserUniqueId}}"),))
    (said,) = [p for p in validate(template) if p.location.field == "Request 1 > Next Request"]
    assert (said.code, said.severity, said.location.section) == ("not-run", "warning", "User Association")
    assert "'Detail' is not run" in said.message
    assert from_xml(to_xml(template)).user_association.requests[0].next == "Detail"


@pytest.mark.parametrize("type_", ["body", "Body"])
def test_a_body_parameter_that_is_not_the_body_says_why_it_is_not_sent(type_: str) -> None:
    """A lower-case ``Type="body"``, or a second ``Body``, is kept but not sent; the warning says
    which parameter the body is instead of 'hdkit sends only Body parameters'."""
    search = ContactType("C", "https://{{.host}}/search", "POST", body='{"p": "{{.Phone}}"}',
                         params=(Param("Data", '{"q": 1}', type_),))
    (said,) = [p for p in validate(with_types(search)) if p.code == "parameter-not-sent"]
    assert said.message == (f"parameter 'Data' of type {type_!r} is kept as written but not sent: the request body "
                            'is the first parameter of Type "Body" (spelt so), and whether the PBX reads it '
                            "otherwise is undocumented")


@pytest.mark.parametrize(("body", "params", "global_type"), [
    pytest.param("phone={{UrlEncode .Phone}}", (), "", id="form-body-no-content-type"),
    pytest.param("phone={{UrlEncode .Phone}}", (Param("Content-Type", FORM, "Header"),), "", id="form-body-form"),
    pytest.param('{"p": "{{.Phone}}"}', (), FORM, id="json-text-under-form"),
    pytest.param('{"p": {{.Phone}}}', (), "", id="json-body"),
    pytest.param("[{{.Phone}}]", (), "text/plain", id="array-under-text"),
])
def test_validation_and_the_engine_judge_a_body_the_same_way(body, params, global_type) -> None:
    """One rule (hdkit.rendering.body_kind, from the Content-Type the request goes out with) for
    both: a body validation calls broken JSON is broken JSON when the engine renders it, and a
    body it lets through as a form is not checked as JSON at run time either."""
    from hdkit.engine.prepare import Renderer, Spec

    search = ContactType("C", "https://{{.host}}/search", "POST", body=body, params=params)
    template = with_types(search)
    if global_type:
        template = replace(template, headers=(Header("Content-Type", global_type),))
    said = [p for p in validate(template) if p.code == "json-syntax"]
    spec = Spec.of(template.contact_search.contact_types[0], "Contact Search")
    prepared = Renderer(template).render(spec, {"host": "h", "Phone": "1", "api_key": "k"})
    ran = [p for p in prepared.problems if p.code == "json-syntax"]
    assert bool(said) == bool(ran), (said, ran)
    if said and not body.lstrip().startswith(("{", "[")):
        assert "needs a Content-Type header saying so" in said[0].fix


def test_a_follow_up_is_not_judged_by_the_template_headers_it_does_not_send() -> None:
    """A follow-up never sends the template's custom headers (engine.prepare.Spec.follow_up), so
    a template-wide form Content-Type does not make its JSON body text: its JSON is checked."""
    template = replace(with_types(ContactType("C", "https://{{.host}}/search")),
                       headers=(Header("Content-Type", FORM),),
                       follow_ups=(FollowUpRequest("Note", url="https://{{.host}}/n", method="POST",
                                                   body='{"note": "x",}'),))
    (said,) = [p for p in validate(template) if p.code == "json-syntax"]
    assert said.location.section == "Follow-up Requests"
