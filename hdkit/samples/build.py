"""The sample templates as Python, and the command that writes them as XML.

The ``*.xml`` files beside this module are generated from the builders below with hdkit's own
writer (``python -m hdkit.samples.build``), and a test asserts the files are current, so the
samples are always what ``hdkit.yeastar_xml.to_xml`` would export. Each sample's base URL is
the custom field ``base_url``: the sandbox's ``{hd.url}/<vendor>`` or a real helpdesk's address.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from hdkit.model import (
    Auth,
    AuthMethod,
    BasicAuth,
    CallJournal,
    CallOption,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactType,
    CreationType,
    CredentialType,
    CustomField,
    FieldMapping,
    FieldType,
    FollowUpEvent,
    FollowUpRequest,
    General,
    Header,
    NewTicket,
    OAuth2,
    Output,
    Pagination,
    PaginationMode,
    Popup,
    PopupMode,
    Template,
    UserAssociation,
    UserFields,
)
from hdkit.yeastar_xml import to_xml

__all__ = ["BUILDERS", "main"]

HERE = Path(__file__).parent
JSON_HEADERS = (Header("Content-Type", "application/json", "JSON bodies"), Header("Accept", "application/json", ""))
BASE_URL = CustomField("base_url", "Helpdesk base URL", FieldType.TEXT)
TICKET_SUBJECT = "{{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} to {{.Call_To}}"
DESCRIPTION = ("{{.Time}} {{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} "
               "to {{.Call_To}} {{.Talk_Duration}}")
DIRECTION = '{{if eq .Communication_Type "Inbound"}}inbound{{else}}outbound{{end}}'
ON = CallOption(True, "1")


def _fields(**paths: str) -> ContactFields:
    return ContactFields(**{name: FieldMapping(True, path) for name, path in paths.items()})


def zendesk() -> Template:
    """Zendesk-style: OAuth2 code flow, next-link users, identities follow-up, ticket + voice comment."""
    api = "{{.base_url}}/api/v2"
    return Template(
        general=General(name="Zendesk (sample)", key="hdkit_sample_zendesk", max_concurrent_requests=5,
                        remark="OAuth2 sample for Zendesk-style APIs; base_url is the helpdesk address"),
        auth=Auth(
            method=AuthMethod.OAUTH2,
            custom_fields=(BASE_URL, CustomField("client_id", "Client ID"),
                           CustomField("client_secret", "Client Secret", FieldType.PASSWORD)),
            oauth2=OAuth2(authorization_endpoint="{{.base_url}}/oauth/authorizations/new",
                          token_endpoint="{{.base_url}}/oauth/tokens", scope="read write",
                          no_refresh=True, token_type="Bearer", token_invalid=("invalid_token",)),
        ),
        headers=JSON_HEADERS,
        user_association=UserAssociation(
            enabled=True, url=f"{api}/users.json?role=agent",
            pagination=Pagination(mode=PaginationMode.NEXT_LINK, next_link_path="next_page"),
            fields=UserFields("users.#.id", "users.#.name", "", "users.#.email"),
        ),
        follow_ups=(FollowUpRequest(
            name="GetIdentities", method="GET", url=f"{api}/users/{{{{.ContactsId}}}}/identities.json",
            response_paths='identities.#(type=="phone_number")#|1.value,identities.#(type=="phone_number")#|2.value',
            target_variables="BusinessNumber2,MobileNumber"),),
        contact_search=ContactSearch(
            contact_types=(ContactType("Users", f"{api}/users/search.json?query=phone:{{{{UrlEncode .Phone}}}}",
                                       next="GetIdentities"),),
            popup=Popup(PopupMode.URL_FORMAT, "{{.base_url}}/agent/users/{{.ContactId}}"),
            fields=_fields(contact_id="users.#.id", first_name="users.#.name", email="users.#.email",
                           business_number="users.#.phone", remark="users.#.notes"),
        ),
        contact_creation=ContactCreation(True, (CreationType(
            "Users", f"{api}/users.json",
            '{"user": {"name": {{printf "%q" .DisplayName}}, "phone": "{{.BusinessNumber}}", "role": "end-user"}}',
            outputs=(Output("ContactId", "user.id"),)),)),
        new_ticket=NewTicket(
            enabled=True, url=f"{api}/tickets.json",
            body=('{"ticket": {"subject": {{printf "%q" .Subject}}, "comment": {"body": {{printf "%q" .Description}}}, '
                  '"requester_id": {{.ContactId}}, "tags": ["{{.Communication_Type}}", "hdkit"]}}'),
            subject=CallOption(True, TICKET_SUBJECT), description=CallOption(True, DESCRIPTION),
            outputs=(Output("TicketId", "ticket.id"),),
        ),
        call_journal=CallJournal(
            enabled=True, method="PUT",
            url=f"{{{{if .RecordPath}}}}{api}/tickets/{{{{.TicketId}}}}.json{{{{end}}}}",
            body=('{"ticket": {"voice_comment": {"from": "{{.CallerNumber}}", "to": "{{.CalleeNumber}}", '
                  '"recording_url": "{{.RecordPath}}", '
                  '"started_at": "{{TimeFormat .StartTimeUnix "yyyy-MM-dd HH:mm:ss +0000" "1"}}", '
                  '"call_duration": {{.Talk_Duration_Sec}}}}}'),
            play_recording=ON,
        ),
    )


def freshdesk() -> Template:
    """Freshdesk-style: Basic auth with an API key, page-number users, ticket + note journal."""
    api = "{{.base_url}}/api/v2"
    return Template(
        general=General(name="Freshdesk (sample)", key="hdkit_sample_freshdesk", max_concurrent_requests=8,
                        remark="Basic auth (API key) sample for Freshdesk-style APIs"),
        auth=Auth(
            method=AuthMethod.BASIC,
            custom_fields=(BASE_URL, CustomField("api_key", "API key", FieldType.PASSWORD)),
            basic=BasicAuth(CredentialType.API_KEY, "{{.api_key}}:X"),
        ),
        headers=JSON_HEADERS,
        user_association=UserAssociation(
            enabled=True, url=f"{api}/agents",
            pagination=Pagination(mode=PaginationMode.PAGE, page_param="page", page_start=1,
                                  size_param="per_page", size=100),
            fields=UserFields("#.id", "#.contact.name", "", "#.contact.email"),
        ),
        follow_ups=(FollowUpRequest(
            name="TagTicket", event=FollowUpEvent.TICKET_CREATED, method="PUT",
            url=f"{api}/tickets/{{{{.TicketId}}}}", headers='{"Content-Type": "application/json"}',
            body='{"tags": ["hdkit", "{{.Call_Status}}"]}',
            response_paths="$.status,$.tags[0]", target_variables="TicketStatus,FirstTag"),),
        contact_search=ContactSearch(
            contact_types=(ContactType("Contacts", f"{api}/contacts?phone={{{{UrlEncode .Phone}}}}"),),
            popup=Popup(PopupMode.URL_FORMAT, "{{.base_url}}/a/contacts/{{.ContactId}}"),
            fields=_fields(contact_id="#.id", first_name="#.name", email="#.email",
                           business_number="#.phone", mobile_number="#.mobile"),
        ),
        contact_creation=ContactCreation(True, (CreationType(
            "Contacts", f"{api}/contacts", '{"name": {{printf "%q" .DisplayName}}, "phone": "{{.BusinessNumber}}"}',
            outputs=(Output("ContactId", "id"),)),)),
        new_ticket=NewTicket(
            enabled=True, url=f"{api}/tickets",
            body=('{"subject": {{printf "%q" .Subject}}, "description": {{printf "%q" .Description}}, "phone": "{{.Phone}}", '
                  '"status": 2, "priority": 1}'),
            subject=CallOption(True, TICKET_SUBJECT), description=CallOption(True, DESCRIPTION),
            outputs=(Output("TicketId", "id"),),
        ),
        call_journal=CallJournal(
            enabled=True, url=f"{api}/tickets/{{{{.TicketId}}}}/notes",
            body='{"body": {{printf "%q" .Description}}, "private": true}',
            description=CallOption(True, "Call: " + DESCRIPTION),
            hide_missed_for_unanswered=ON,
        ),
    )


def zoho() -> Template:
    """Zoho-Desk-style: OAuth2 with a kept refresh token, offset users, two contact types."""
    api = "{{.base_url}}/api/v1"
    return Template(
        general=General(name="Zoho Desk (sample)", key="hdkit_sample_zoho", max_concurrent_requests=5,
                        remark="OAuth2 sample for Zoho-Desk-style APIs (orgId header, 204 on no hits)"),
        auth=Auth(
            method=AuthMethod.OAUTH2,
            custom_fields=(BASE_URL, CustomField("client_id", "Client ID"),
                           CustomField("client_secret", "Client Secret", FieldType.PASSWORD),
                           CustomField("org_id", "Organization ID"),
                           CustomField("department_id", "Department ID")),
            oauth2=OAuth2(authorization_endpoint="{{.base_url}}/oauth/v2/auth",
                          token_endpoint="{{.base_url}}/oauth/v2/token",
                          scope="Desk.basic.READ,Desk.contacts.ALL,Desk.tickets.ALL,Desk.activities.ALL",
                          additional_query="access_type=offline",
                          refresh_endpoint="{{.base_url}}/oauth/v2/token",
                          refresh_body=("grant_type=refresh_token&refresh_token={{.RefreshToken}}"
                                        "&client_id={{.client_id}}&client_secret={{.client_secret}}"),
                          token_type="Zoho-oauthtoken", token_invalid=("INVALID_OAUTH",)),
        ),
        headers=(*JSON_HEADERS, Header("orgId", "{{.org_id}}", "Zoho Desk organization")),
        user_association=UserAssociation(
            enabled=True, url=f"{api}/agents",
            pagination=Pagination(mode=PaginationMode.OFFSET, offset_param="from", offset_start=0,
                                  limit_param="limit", limit=100),
            fields=UserFields("data.#.id", "data.#.firstName", "data.#.lastName", "data.#.emailId"),
        ),
        contact_search=ContactSearch(
            contact_types=(ContactType("Contacts", f"{api}/contacts/search?phone={{{{UrlEncode .Phone}}}}"),
                           ContactType("Accounts", f"{api}/accounts/search?phone={{{{UrlEncode .Phone}}}}")),
            popup=Popup(PopupMode.URL_FORMAT, "{{.base_url}}/support/contacts/{{.ContactId}}"),
            fields=_fields(contact_id="data.#.id", first_name="data.#.firstName,data.#.accountName",
                           last_name="data.#.lastName", email="data.#.email",
                           business_number="data.#.phone", mobile_number="data.#.mobile"),
        ),
        contact_creation=ContactCreation(True, (CreationType(
            "Contacts", f"{api}/contacts",
            '{"firstName": {{printf "%q" .FirstName}}, "lastName": {{or .LastName "Unknown" | printf "%q"}}, "phone": "{{.BusinessNumber}}"}',
            outputs=(Output("ContactId", "id"),)),)),
        new_ticket=NewTicket(
            enabled=True, url=f"{api}/tickets",
            body=('{"subject": {{printf "%q" .Subject}}, "description": {{printf "%q" .Description}}, '
                  '"departmentId": {{printf "%q" .department_id}}, "contactId": "{{.ContactId}}", "channel": "Phone"}'),
            subject=CallOption(True, TICKET_SUBJECT), description=CallOption(True, DESCRIPTION),
            outputs=(Output("TicketId", "id"),),
        ),
        call_journal=CallJournal(
            enabled=True, url=f"{api}/calls",
            body=('{"subject": {{printf "%q" .Subject}}, "departmentId": {{printf "%q" .department_id}}, "contactId": "{{.ContactId}}", '
                  '"ticketId": "{{.TicketId}}", "direction": "' + DIRECTION + '", '
                  '"startTime": "{{TimeFormat .StartTimeUnix "yyyy-MM-ddTHH:mm:ss.000Zz" "1"}}", '
                  '"duration": "{{.Talk_Duration_Sec}}", "status": "{{.Call_Log_Status}}"}'),
            subject=CallOption(True, "{{.Call_Log_Status}} call with {{.Phone}}"),
            hide_missed_for_unanswered=ON,
        ),
    )


def keydesk() -> Template:
    """KeyDesk: no auth method, the API key in a template header; page users; call log."""
    api = "{{.base_url}}/api"
    return Template(
        general=General(name="KeyDesk (sample)", key="hdkit_sample_keydesk", max_concurrent_requests=10,
                        remark="None auth: the API key travels in the X-API-Key header"),
        auth=Auth(method=AuthMethod.NONE,
                  custom_fields=(BASE_URL, CustomField("api_key", "API key", FieldType.PASSWORD))),
        headers=(*JSON_HEADERS, Header("X-API-Key", "{{.api_key}}", "KeyDesk API key")),
        user_association=UserAssociation(
            enabled=True, url=f"{api}/users",
            pagination=Pagination(mode=PaginationMode.PAGE, page_param="page", page_start=1,
                                  size_param="page_size", size=100),
            fields=UserFields("data.#.id", "data.#.name", "", "data.#.email"),
        ),
        contact_search=ContactSearch(
            contact_types=(ContactType("Contacts", f"{api}/contacts?phone={{{{UrlEncode .Phone}}}}"),),
            popup=Popup(PopupMode.URL_FORMAT, "{{.base_url}}/contacts/{{.ContactId}}"),
            fields=_fields(contact_id="data.#.id", first_name="data.#.name", email="data.#.email",
                           business_number="data.#.phone", mobile_number="data.#.mobile",
                           company="data.#.company"),
        ),
        contact_creation=ContactCreation(True, (CreationType(
            "Contacts", f"{api}/contacts", '{"name": {{printf "%q" .DisplayName}}, "phone": "{{.BusinessNumber}}"}',
            outputs=(Output("ContactId", "data.id"),)),)),
        call_journal=CallJournal(
            enabled=True, url=f"{api}/calls",
            body=('{"contact_id": "{{.ContactId}}", "phone": "{{.Phone}}", "direction": "' + DIRECTION + '", '
                  '"started_at": "{{TimeFormat .StartTimeUnix "yyyy-MM-ddTHH:mm:ssZz" "1"}}", '
                  '"duration": {{.Talk_Duration_Sec}}, "status": "{{.Call_Log_Status}}", '
                  '"recording_url": "{{.RecordPath}}", "note": {{printf "%q" .Description}}}'),
            description=CallOption(True, DESCRIPTION),
            hide_missed_for_unanswered=ON,
        ),
    )


BUILDERS: dict[str, Callable[[], Template]] = {
    "freshdesk": freshdesk,
    "keydesk": keydesk,
    "zendesk": zendesk,
    "zoho": zoho,
}


def main(argv: list[str] | None = None) -> int:
    """Write every sample's XML beside this module."""
    for name, build in BUILDERS.items():
        (HERE / f"{name}.xml").write_text(to_xml(build()), encoding="utf-8")
        print(f"wrote {name}.xml")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
