"""OAuth2 without a local browser, and a sync you can watch: Connect shows the consent link at once
and never blocks the kernel, the loopback redirect or a pasted one finishes it, the token's state
shows without the token; a user sync moves a progress bar, then says what it did and plots it."""

from __future__ import annotations

import httpx
import ipywidgets as widgets
from support.widgets import button, shown, walk

from hdkit import samples
from hdkit.sandbox.accounts import AGENT_COUNT, DEMO
from hdkit.ui import Workbench

ZENDESK = samples.demo_phone("zendesk")


def zendesk(url: str, **options: object) -> Workbench:
    return Workbench("zendesk", inputs=samples.demo_inputs("zendesk", url), phone=ZENDESK, **options)


def consent_url(wb: Workbench) -> str:
    """Click Connect and wait (deterministically) until the consent link is shown."""
    connect = wb.try_panel.connect
    button(wb.box, "Connect (OAuth2)").click()
    url = connect.ready.result(timeout=30)
    assert url in connect.link.value.replace("&amp;", "&")
    return url


def approve(url: str) -> str:
    """Play the person at the helpdesk's consent page: approve; the redirect address."""
    response = httpx.get(url + "&approve=1", follow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def test_connect_only_shows_for_templates_that_need_a_consent(fresh_sandbox) -> None:
    assert shown(zendesk(fresh_sandbox.url).try_panel.connect.box)
    assert not shown(Workbench("freshdesk").try_panel.connect.box)


def test_a_try_before_connecting_says_connect_first(fresh_sandbox) -> None:
    wb = zendesk(fresh_sandbox.url)
    button(wb.box, "Search contact").click()
    lines = [w.description for w in walk(wb.try_panel.refusal) if isinstance(w, widgets.Button)]
    assert lines == ["Try it > Connect (OAuth2): connect first: the helpdesk has not given this workbench a token yet"]


def test_the_loopback_redirect_finishes_the_consent(fresh_sandbox) -> None:
    wb = zendesk(fresh_sandbox.url)
    connect = wb.try_panel.connect
    url = consent_url(wb)
    assert connect.button.disabled and "waiting for the redirect" in connect.status.value  # the kernel is free
    redirect = approve(url)
    assert redirect.startswith("http://127.0.0.1:")
    httpx.get(redirect, timeout=10)  # the browser reaching the loopback catcher
    wb.wait()
    assert "authorized" in connect.status.value and not connect.button.disabled
    assert connect.state.value.startswith("<b>Token:</b> connected: obtained at ")
    assert "refresh token kept" in connect.state.value
    token = wb.try_panel.tokens.get(wb.template.key)
    assert token is not None and token.access_token.reveal() not in connect.box.children[0].children[1].value
    button(wb.box, "Search contact").click()
    wb.wait()
    assert "Lovelace" in wb.try_panel.records.to_string()


def test_a_pasted_redirect_finishes_the_consent_when_no_loopback_can_be_reached(fresh_sandbox) -> None:
    registered = DEMO["zendesk"]["redirect_uri"]  # the PBX's address: no browser will ever reach it here
    wb = zendesk(fresh_sandbox.url, consent_options={"redirect_uri": registered})
    connect = wb.try_panel.connect
    url = consent_url(wb)
    assert "Paste the address" in connect.link.value and shown(connect.paste_box)
    connect.paste.value = "https://pbx.example.com/oauth/callback?nothing=here"
    button(wb.box, "Use this URL").click()
    assert "not the redirect URL" in connect.message.value and connect.consent is not None
    connect.paste.value = approve(url)
    button(wb.box, "Use this URL").click()
    wb.wait()
    assert "authorized" in connect.status.value and not shown(connect.paste_box)
    states = " ".join(str(w.get_state()) for w in walk(wb.box))
    assert wb.try_panel.tokens.get(wb.template.key).access_token.reveal() not in states


def test_cancel_ends_the_wait_with_a_message(fresh_sandbox) -> None:
    wb = zendesk(fresh_sandbox.url)
    consent_url(wb)
    button(wb.box, "Cancel").click()
    wb.wait()
    assert "cancelled" in wb.try_panel.connect.status.value and not wb.try_panel.connect.button.disabled


def test_a_sync_moves_the_bar_then_says_what_it_did_and_plots_it(fresh_sandbox) -> None:
    wb = Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", fresh_sandbox.url))
    sync = wb.try_panel.sync
    seen: list[int] = []
    sync.bar.observe(lambda change: seen.append(change["new"]), "value")
    assert not shown(sync.box)
    button(wb.box, "Sync users").click()
    wb.wait()
    assert shown(sync.box) and len(set(seen)) > 3 and seen == sorted(seen)  # it moved while pages arrived
    assert sync.bar.bar_style == "success" and sync.bar.value == sync.bar.max
    assert f"{AGENT_COUNT} users from " in sync.summary.value and "stopped: " in sync.summary.value
    assert sync.summary.value.count("no duplicates") == 1
    assert shown(sync.plot) and bytes(sync.plot.value).startswith(b"\x89PNG")
    assert f"{AGENT_COUNT} record(s)" in sync.counts.value


def test_an_incomplete_sync_is_flagged(fresh_sandbox) -> None:
    fresh_sandbox.faults.update(loop_pagination=True)  # every page is the first page again
    wb = Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", fresh_sandbox.url))
    button(wb.box, "Sync users").click()
    wb.wait()
    assert wb.try_panel.sync.bar.bar_style == "warning" and "incomplete sync" in wb.try_panel.sync.summary.value



def test_the_sync_view_goes_when_another_result_is_shown(fresh_sandbox) -> None:
    wb = Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", fresh_sandbox.url),
                   phone=samples.demo_phone("freshdesk"))
    sync = wb.try_panel.sync
    button(wb.box, "Sync users").click()
    wb.wait()
    assert shown(sync.box) and "users from" in sync.summary.value
    button(wb.box, "Search contact").click()  # "Last result" is the search now, not the sync
    wb.wait()
    assert "contact(s) found" in wb.try_panel.status.value
    assert not shown(sync.box) and sync.summary.value == "" and not bytes(sync.plot.value)
    button(wb.box, "Sync users").click()
    wb.wait()
    assert shown(sync.box) and shown(sync.plot)
