"""The model checks its data at the edge: types, enums, hard limits, logo; Inputs wraps secrets."""

from __future__ import annotations

import dataclasses

import pytest

from hdkit import limits
from hdkit.errors import LimitError, ModelError
from hdkit.model import (
    Auth,
    AuthMethod,
    CallJournal,
    CallOption,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactType,
    CustomField,
    CustomVariable,
    FieldMapping,
    FieldType,
    FollowUpEvent,
    FollowUpRequest,
    General,
    Header,
    Inputs,
    Logo,
    NewTicket,
    OAuth2,
    Output,
    Pagination,
    PaginationMode,
    Param,
    Provider,
    Request,
    Template,
    Unrecognized,
    UserAssociation,
    UserFields,
    field_info,
    replace,
)
from hdkit.secrets import Secret
from support.images import jpeg, png


def fields(n: int) -> list[CustomField]:
    return [CustomField(f"field{i}") for i in range(n)]


def headers(n: int) -> list[Header]:
    return [Header(f"X-H{i}", "v") for i in range(n)]


@pytest.mark.parametrize(
    "build, error, words",
    [
        pytest.param(lambda: General(max_concurrent_requests="ten"), ModelError,
                     ["General", "Max Concurrent Request", "'ten'"], id="non-numeric-limit"),
        pytest.param(lambda: General(max_concurrent_requests=True), ModelError,
                     ["whole number"], id="bool-is-not-a-number"),
        pytest.param(lambda: Auth(method="digest"), ModelError,
                     ["Authentication Method", "'digest'", "'oauth2'"], id="unknown-auth-method"),
        pytest.param(lambda: Auth(custom_fields=fields(6)), LimitError,
                     ["Authentication", "Custom Field 6", "field5", "at most 5"], id="6th-custom-field"),
        pytest.param(lambda: Template(headers=headers(21)), LimitError,
                     ["Headers", "Header 21", "X-H20", "at most 20"], id="21st-header"),
        pytest.param(lambda: Logo("logo.gif", b"GIF89a"), LimitError,
                     ["Logo", "logo.gif", "PNG, JPG, JPEG"], id="logo-wrong-extension"),
        pytest.param(lambda: Logo("logo.png", jpeg()), LimitError,
                     ["not a PNG image"], id="logo-jpeg-named-png"),
        pytest.param(lambda: Logo("logo.jpg", b"plain text"), LimitError,
                     ["not a JPG image"], id="logo-not-an-image"),
        pytest.param(lambda: Logo("logo.png", png() + b"\0" * limits.LOGO_MAX_BYTES), LimitError,
                     ["less than 500 KB"], id="logo-over-500kb"),
        pytest.param(lambda: Logo("../../home/me/.face.png"), ModelError, ["plain file name, not a path"],
                     id="logo-path-traversal"),
        pytest.param(lambda: Logo("C:\\logos\\desk.png"), ModelError, ["not a path"], id="logo-windows-path"),
        pytest.param(lambda: Pagination(size="100"), ModelError,
                     ["Page Size Value", "'100'"], id="pagination-number-as-text"),
        pytest.param(lambda: OAuth2(refresh_minutes=2.5), ModelError,
                     ["Token Refresh Time (min)"], id="refresh-float"),
        pytest.param(lambda: CustomField("x", type="checkbox"), ModelError,
                     ["Type", "'dropdown'"], id="unknown-field-type"),
        pytest.param(lambda: Template(headers="X-A: b"), ModelError,
                     ["Headers", "a list of"], id="headers-not-a-list"),
        pytest.param(lambda: UserAssociation(enabled="yes"), ModelError,
                     ["User Association", "true or false"], id="switch-not-bool"),
    ],
)
def test_construction_rejects_bad_values_naming_section_and_field(build, error, words) -> None:
    with pytest.raises(error) as info:
        build()
    text = str(info.value)
    for word in words:
        assert word in text
    assert info.value.location is not None and info.value.location.section


@pytest.mark.parametrize(
    "build, measure, expected",
    [
        pytest.param(lambda: Auth(custom_fields=fields(limits.MAX_CUSTOM_FIELDS)), lambda a: len(a.custom_fields),
                     5, id="5-custom-fields"),
        pytest.param(lambda: Template(headers=headers(limits.MAX_HEADERS)), lambda t: len(t.headers), 20,
                     id="20-headers"),
        pytest.param(lambda: Logo("logo.png", png() + b"\0" * (limits.LOGO_MAX_BYTES - len(png()) - 1)),
                     lambda logo: (len(logo.data), logo.size), (500 * 1024 - 1, (150, 150)), id="logo-just-under-500kb"),
        pytest.param(lambda: Logo("LOGO.JPEG", jpeg()), lambda logo: logo.size, (150, 150),
                     id="jpeg-upper-case-extension"),
        pytest.param(lambda: Logo("logo.png"), lambda logo: (logo.data, logo.size), (b"", None), id="logo-name-only"),
    ],
)
def test_at_the_limit_is_accepted(build, measure, expected) -> None:
    assert measure(build()) == expected


def test_enum_values_are_accepted_as_strings_and_lists_become_tuples() -> None:
    auth = Auth(method="bearer_token", custom_fields=[CustomField("k", type="password")])
    assert auth.method is AuthMethod.BEARER
    assert auth.custom_fields == (CustomField("k", type=FieldType.PASSWORD),)
    assert General(provider="crm").provider is Provider.CRM
    assert Pagination(mode="next_link").mode is PaginationMode.NEXT_LINK
    assert FollowUpEvent("call_ended") is FollowUpEvent.CALL_ENDED


def test_model_is_frozen_and_edited_with_replace() -> None:
    template = Template(general=General(name="Desk", key="desk"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        template.general.name = "Other"  # type: ignore[misc]
    edited = dataclasses.replace(template, general=dataclasses.replace(template.general, name="Other"))
    assert (template.general.name, edited.general.name) == ("Desk", "Other")
    with pytest.raises(LimitError):
        dataclasses.replace(template, headers=tuple(headers(21)))


@pytest.mark.parametrize(
    "image, size",
    [
        pytest.param(png(150, 150), (150, 150), id="png-150"),
        pytest.param(png(300, 120), (300, 120), id="png-300x120"),
        pytest.param(jpeg(64, 48), (64, 48), id="jpeg-64x48"),
    ],
)
def test_logo_reads_its_size(image: bytes, size: tuple[int, int]) -> None:
    name = "logo.png" if image.startswith(b"\x89") else "logo.jpg"
    logo = Logo(name, image)
    assert (logo.width, logo.height) == size
    assert "bytes" in repr(logo) and "\\x" not in repr(logo)


@pytest.mark.parametrize(
    "minutes, effective",
    [pytest.param(None, 25, id="blank-is-25"), pytest.param(0, 0, id="zero-never"),
     pytest.param(55, 55, id="explicit")],
)
def test_refresh_interval(minutes: int | None, effective: int) -> None:
    assert Auth(oauth2=OAuth2(refresh_minutes=minutes)).refresh_interval_minutes == effective


def test_field_metadata_lives_on_the_model() -> None:
    info = field_info(General, "max_concurrent_requests")
    assert info.title == "Max Concurrent Request" and "positive integer" in info.help
    assert field_info(ContactFields, "business_number").limit == limits.NUMBER_MAX_CHARS
    assert field_info(CallJournal, "hide_missed_for_unanswered").title.startswith("Disable Display")
    assert field_info(Template, "headers").limit == limits.MAX_HEADERS


CUSTOM = (
    CustomField("domain", "Domain"),
    CustomField("api_key", "API key", FieldType.PASSWORD),
    CustomField("region", "Region", FieldType.DROPDOWN, ("eu", "us")),
)


def test_inputs_wrap_password_values_in_secret() -> None:
    inputs = Inputs(CUSTOM, {"domain": "acme", "api_key": "sk-SENTINEL", "region": "eu"})
    assert inputs["domain"] == "acme" and inputs["region"] == "eu"
    assert isinstance(inputs["api_key"], Secret) and inputs["api_key"].reveal() == "sk-SENTINEL"
    assert "sk-SENTINEL" not in repr(inputs) and inputs.secrets() == [Secret("sk-SENTINEL")]
    template = Template(auth=Auth(custom_fields=CUSTOM))
    assert dict(Inputs.for_template(template, {"domain": "x"})) == {"domain": "x"}


@pytest.mark.parametrize(
    "values, words",
    [
        pytest.param({"nope": "1"}, ["unknown custom field 'nope'", "domain"], id="unknown-name"),
        pytest.param({"region": "asia"}, ["'asia'", "eu, us"], id="dropdown-not-an-option"),
        pytest.param({"domain": 5}, ["expected text"], id="not-text"),
    ],
)
def test_inputs_reject_bad_values(values: dict, words: list[str]) -> None:
    with pytest.raises(ModelError) as info:
        Inputs(CUSTOM, values)
    for word in words:
        assert word in str(info.value)


# (build, section, field): a nested part names the section and the place it belongs to
NESTED = [
    pytest.param(lambda: CallJournal(subject={"enabled": "yes"}), "Call Journal", "Subject > Enabled",
                 id="call-option-in-journal"),
    pytest.param(lambda: NewTicket(description={"default": 5}), "New Ticket", "Description > Default",
                 id="call-option-in-ticket"),
    pytest.param(lambda: NewTicket(outputs=[{"name": "TicketId", "path": 3}]), "New Ticket", "Output 1 > Path",
                 id="output-in-ticket"),
    pytest.param(lambda: ContactCreation(contact_types=[{"name": "A"}, {"name": "B", "outputs": [{"name": 1}]}]),
                 "Contact Creation", "Contact Type 2 > Output 1 > Variable", id="output-in-second-type"),
    pytest.param(lambda: Template(headers=[{"name": "X-A"}, {"name": "X-B", "value": 5}]), "Headers",
                 "Header 2 > Value", id="header-from-template"),
    pytest.param(lambda: Template(call_journal={"play_recording": {"enabled": "on"}}), "Call Journal",
                 "Play Call Recording > Enabled", id="two-levels"),
    pytest.param(lambda: Template(general={"logo": {"filename": "logo.gif"}}), "General", "Logo",
                 id="logo-not-repeated"),
    pytest.param(lambda: CallJournal(subject={"enable": True}), "Call Journal", "Subject", id="unknown-setting"),
    pytest.param(lambda: CallJournal(subject=["yes"]), "Call Journal", "Subject", id="not-a-mapping"),
    pytest.param(lambda: CallOption(enabled="yes"), None, "Call Option > Enabled", id="call-option-alone"),
    pytest.param(lambda: Output(name=5), None, "Output > Variable", id="output-alone"),
]


@pytest.mark.parametrize("build, section, field", NESTED)
def test_errors_in_nested_parts_name_their_section_and_place(build, section, field) -> None:
    with pytest.raises(ModelError) as info:
        build()
    assert (info.value.location.section, info.value.location.field) == (section, field)
    assert str(info.value).startswith(" > ".join(p for p in (section, field) if p) + ":")


def test_nested_parts_built_from_mappings_equal_parts_built_directly() -> None:
    built = Template(call_journal={"enabled": True, "subject": {"enabled": True, "default": "s"},
                                   "outputs": [{"name": "CallId", "path": "id"}]})
    assert built.call_journal == CallJournal(True, subject=CallOption(True, "s"), outputs=(Output("CallId", "id"),))


@pytest.mark.parametrize(
    "build, field, line, column, code_point",
    [
        pytest.param(lambda: General(name="a\x01b"), "Helpdesk Name", 1, 2, "U+0001", id="c0-control"),
        pytest.param(lambda: Header("X", "line1\nab\x00"), "Value", 2, 3, "U+0000", id="nul-on-line-2"),
        pytest.param(lambda: CallJournal(body="\ud800"), "Call Journal Creation Request Data", 1, 1, "U+D800",
                     id="lone-surrogate"),
        pytest.param(lambda: CustomField("x", options=("a", "\ufffe")), "Dropdown Option 2", 1, 1, "U+FFFE",
                     id="non-character-in-list"),
    ],
)
def test_characters_xml_cannot_hold_are_refused_where_typed(build, field, line, column, code_point) -> None:
    with pytest.raises(ModelError) as info:
        build()
    location = info.value.location
    assert (location.field, location.line, location.column) == (field, line, column)
    assert code_point in str(info.value)


def test_tab_newline_and_carriage_return_are_kept() -> None:
    assert General(remark="a\tb\r\nc").remark == "a\tb\r\nc"


@pytest.mark.parametrize(
    "options, result",
    [
        pytest.param((" eu ", "us"), ("eu", "us"), id="stripped"),
        pytest.param(("eu", "us,ca"), "Dropdown Option 2", id="comma"),
        pytest.param(("eu", " "), "Dropdown Option 2", id="blank"),
    ],
)
def test_dropdown_options_are_what_a_template_file_can_list(options, result) -> None:
    if isinstance(result, tuple):
        assert CustomField("region", options=options).options == result
        return
    with pytest.raises(ModelError) as info:
        CustomField("region", options=options)
    assert info.value.location.field == result and "','" in str(info.value)


def test_follow_up_lists_are_kept_as_the_file_holds_them() -> None:
    request = FollowUpRequest("F", response_paths=' data.#(a=="1,2").b , c,', target_variables="X , Y,")
    assert (request.response_paths, request.target_variables) == ('data.#(a=="1,2").b,c', "X,Y")
    assert request.pairs() == [("X", 'data.#(a=="1,2").b'), ("Y", "c")]
    assert request.outputs == (Output("X", 'data.#(a=="1,2").b'), Output("Y", "c"))


def test_http_methods_are_kept_upper_case() -> None:
    assert FollowUpRequest("F", method=" post ").method == "POST"
    assert OAuth2(refresh_method="put").refresh_method == "PUT"
    assert CallJournal(method="patch") == CallJournal(method="PATCH")
    assert Auth(method="basic").method is AuthMethod.BASIC  # the auth method is no HTTP method


# --------------------------------------------------------------------------- requests and views


def test_a_section_field_a_request_holds_is_a_view_of_its_first_request() -> None:
    journal = CallJournal(True, "https://h/calls", '{"a": 1}', "put", outputs=(Output("CallId", "id"),))
    (request,) = journal.requests
    assert (request.name, request.method, request.url, request.body) == ("CallJournal", "PUT", "https://h/calls",
                                                                          '{"a": 1}')
    assert (journal.url, journal.method, journal.outputs) == (request.url, "PUT", request.outputs)
    second = Request("UpdateTicket", "https://h/t/{{.CallId}}", "PATCH")
    longer = replace(journal, requests=(*journal.requests, second))
    edited = replace(longer, url="https://h/v2/calls")  # the view writes the first request, keeps the rest
    assert edited.requests[0].url == "https://h/v2/calls" and edited.requests[1] == second
    assert CallJournal().url == "" and CallJournal().requests == ()  # no request until one is written


def test_dataclasses_replace_of_the_requests_never_reapplies_a_stale_view() -> None:
    search = ContactSearch((ContactType("A", "https://h/a"), ContactType("B", "https://h/b")),
                           fields=ContactFields(contact_id=FieldMapping(True, "data.#.id")))
    other = ContactType("C", "https://h/c", outputs=(Output("ContactsId", "c.#.id"),))
    for edit in (dataclasses.replace, replace):
        moved = edit(search, contact_types=(other, *search.contact_types))
        assert moved.contact_types == (other, *search.contact_types)  # C keeps its own outputs
        assert moved.fields.contact_id == FieldMapping(True, "c.#.id")
        assert edit(search, contact_types=()).contact_types == ()


def test_the_contact_field_mapping_writes_what_changed_to_every_contact_type() -> None:
    a = ContactType("A", "https://h/a", outputs=(Output("ContactId", "a.id", (("Type", "string"),)),))
    b = ContactType("B", "https://h/b", outputs=(Output("ContactsId", "b.id"), Output("Extra", "x")))
    search = ContactSearch((a, b))
    assert search.fields.contact_id.path == "a.id"  # ContactId and ContactsId are one field
    fields = dataclasses.replace(search.fields, first_name=FieldMapping(True, "n"),
                                 contact_id=FieldMapping(True, "a.id"))
    edited = replace(search, fields=fields)
    assert edited.switches.first_name and edited.switches.contact_id and not edited.switches.email
    assert edited.contact_types[0].outputs == (Output("ContactId", "a.id", (("Type", "string"),)), Output("FirstName", "n"))
    assert edited.contact_types[1].outputs == (Output("ContactsId", "b.id"), Output("Extra", "x"), Output("FirstName", "n"))
    assert [(t.name, name) for t, name in edited.mapped_differently()] == [("B", "ContactId"), ("B", "ContactsId"),
                                                                             ("B", "Extra")]


def test_users_field_mapping_is_a_view_of_the_get_user_outputs() -> None:
    users = UserAssociation(True, "https://h/users", fields=UserFields("data.#.id", email="data.#.mail"))
    assert users.requests[0].outputs == (Output("UserUniqueId", "data.#.id"), Output("Email", "data.#.mail"))
    assert users.fields == UserFields("data.#.id", "", "", "data.#.mail")


def test_unknown_values_from_a_file_are_kept_and_a_typo_in_code_is_refused() -> None:
    assert Auth(method=Unrecognized("digest")).method == "digest"
    assert Auth(method=Unrecognized("digest")).method.value == "digest"
    assert Pagination(mode=Unrecognized("cursor")) != Pagination()
    with pytest.raises(ModelError) as info:
        Pagination(mode="cursor")
    assert "'cursor'" in str(info.value) and "Unrecognized" in info.value.hint


@pytest.mark.parametrize(
    "attrs, words",
    [
        pytest.param((("Weight", "0"), ("Weight", "1")), ["'Weight'", "twice"], id="twice"),
        pytest.param((("URLFormat", "x"),), ["'URLFormat'"], id="a-field"),
        pytest.param((("bad name", "x"),), ["'bad name'", "not an XML attribute name"], id="not-a-name"),
    ],
)
def test_other_attributes_are_xml_names_given_once(attrs, words) -> None:
    with pytest.raises(ModelError) as info:
        Request("R", "https://h", attrs=attrs)
    for word in words:
        assert word in str(info.value)


def test_a_request_sorts_its_parameters_for_the_engine() -> None:
    request = Request("R", "https://h", params=(Param("X-Api-Version", "2", "Header"), Param("Note", "n", "Query")),
                      outputs=(Output("A", "a"), Output("", "b"), Output("C", "")))
    assert request.header_params() == [("X-Api-Version", "2")]
    assert request.other_params() == [Param("Note", "n", "Query")]
    assert request.pairs() == [("A", "a")] and request.mapping() == {"A": "a", "C": ""}


def test_a_bearer_token_input_is_chosen_the_same_way_everywhere() -> None:
    fields = (CustomField("host"), CustomField("secret_key", type="password"),
              CustomField("personal_token", type="password"))
    assert Auth(method="bearer_token", custom_fields=fields).bearer_input().name == "personal_token"
    assert Auth(method="bearer_token", custom_fields=fields[:2]).bearer_input().name == "secret_key"
    assert Auth(method="bearer_token", custom_fields=fields[:1]).bearer_input() is None
    assert not Auth(method="bearer_token").bearer_fetched
    assert Auth(method="bearer_token", oauth2=OAuth2(token_endpoint="https://t")).bearer_fetched


def test_tokens_never_expire_whatever_the_refresh_time() -> None:
    assert OAuth2(no_refresh=True, refresh_minutes=25).refresh_interval_minutes == 0
    assert OAuth2(refresh_minutes=0).refresh_interval_minutes == 0


def test_a_scenario_variable_is_part_of_its_section() -> None:
    ticket = NewTicket(variables=(CustomVariable("DepartmentId", "42"),))
    assert ticket.variables[0] == CustomVariable("DepartmentId", "42") and ticket != NewTicket()
