"""Demo credentials and base paths of the sandbox, in one place.

Sample templates, notebooks and tests are written against these values, so they are
constants: the same on every run and every machine. They are fake; they open nothing but
the sandbox on 127.0.0.1. A *readonly* credential exists for each vendor so a template
author can see the vendor's 403 (reads work, writes are refused).
"""

from __future__ import annotations

from typing import Any, Final

#: Number of agents every vendor lists (thousands, so paging takes many requests).
AGENT_COUNT: Final = 2500
#: Seed of the generated agents and filler contacts.
SEED: Final = 4
#: Lifetime of an OAuth2 access token, seconds (change per server with ``faults.token_ttl_s``).
TOKEN_TTL_S: Final = 3600

DEMO: Final[dict[str, dict[str, Any]]] = {
    "zendesk": {
        "base": "/zendesk",
        "api": "/zendesk/api/v2",
        "authorize": "/zendesk/oauth/authorizations/new",
        "token": "/zendesk/oauth/tokens",
        "contact_page": "/zendesk/agent/users/{id}",
        "client_id": "hdkit_demo",
        "client_secret": "zd-demo-client-secret",
        "redirect_uri": "https://pbx.example.com/oauth/callback",
        "scope": "read write",
        "readonly_scope": "read",
        "email": "admin@example.com",
        "api_token": "zd-demo-api-token",
        "bearer_token": "zd-demo-bearer-token",
        "readonly_bearer_token": "zd-demo-readonly-token",
    },
    "freshdesk": {
        "base": "/freshdesk",
        "api": "/freshdesk/api/v2",
        "contact_page": "/freshdesk/a/contacts/{id}",
        "api_key": "fd-demo-api-key",
        "readonly_api_key": "fd-demo-readonly-key",
        "username": "admin@example.com",
        "password": "fd-demo-password",
    },
    "zoho": {
        "base": "/zoho",
        "api": "/zoho/api/v1",
        "authorize": "/zoho/oauth/v2/auth",
        "token": "/zoho/oauth/v2/token",
        "contact_page": "/zoho/support/contacts/{id}",
        "client_id": "1000.HDKITDEMO",
        "client_secret": "zoho-demo-client-secret",
        "redirect_uri": "https://pbx.example.com/oauth/callback",
        "scope": "Desk.basic.READ,Desk.contacts.ALL,Desk.tickets.ALL,Desk.activities.ALL",
        "readonly_scope": "Desk.basic.READ,Desk.contacts.READ",
        "org_id": "60001234567",
        "department_id": "1892000000006907",
    },
    "keydesk": {
        "base": "/keydesk",
        "api": "/keydesk/api",
        "contact_page": "/keydesk/contacts/{id}",
        "api_key": "kd-demo-api-key",
        "readonly_api_key": "kd-demo-readonly-key",
        "header": "X-API-Key",
        "query_param": "api_key",
        "login": "/keydesk/api/auth/login",
        "username": "agent@example.com",
        "password": "kd-demo-password",
    },
    "hubspot": {
        "base": "/hubspot",
        "api": "/hubspot/crm/v3",
        "authorize": "/hubspot/oauth/authorize",
        "token": "/hubspot/oauth/v1/token",
        "contact_page": "/hubspot/contacts/4000123/record/0-1/{id}",
        "portal_id": "4000123",
        "client_id": "hdkit-demo-hubspot-app",
        "client_secret": "hs-demo-client-secret",
        "redirect_uri": "https://pbx.example.com/oauth/callback",
        "scope": "crm.objects.contacts.read crm.objects.contacts.write crm.objects.owners.read tickets",
        "readonly_scope": "crm.objects.contacts.read crm.objects.owners.read",
        "private_app_token": "pat-na1-hdkit-demo-private-app-token",
        "readonly_private_app_token": "pat-na1-hdkit-demo-readonly-token",
    },
    "zammad": {
        "base": "/zammad",
        "api": "/zammad/api/v1",
        "contact_page": "/zammad/#user/profile/{id}",
        "api_token": "zm-demo-api-token",
        "readonly_api_token": "zm-demo-readonly-token",
        "group": "Users",
    },
}

#: Where the sandbox plays the PBX: the OAuth2 redirect target that checks ``state``.
PBX_CALLBACK: Final = "/pbx/oauth/callback"


def secret_values() -> set[str]:
    """Every demo secret, for masking the request log whatever field it travels in."""
    names = ("client_secret", "api_token", "bearer_token", "readonly_bearer_token",
             "api_key", "readonly_api_key", "password", "private_app_token",
             "readonly_private_app_token", "readonly_api_token")
    return {v for vendor in DEMO.values() for k, v in vendor.items() if k in names}
