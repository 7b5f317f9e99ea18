"""The workbench headless: build it, set widget values, click buttons, assert on the model,
the messages and the DataFrames. Widgets are found by their description or by the
(section, field) key a row carries, never by position."""

from __future__ import annotations

import ast
import base64
import datetime
import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

import hdkit.ui
from hdkit import samples
from hdkit.model import AuthMethod, BasicAuth, FollowUpEvent, OAuth2, PaginationMode, Template
from hdkit.sandbox.accounts import AGENT_COUNT, DEMO
from hdkit.ui import Workbench
from hdkit.ui.fields import FieldRow
from hdkit.ui.forms import ListForm

PHONE = samples.demo_phone("freshdesk")


# --------------------------------------------------------------------------- thin views


UI = Path(hdkit.ui.__file__).parent
NOT_IN_UI = {"httpx", "xml", "defusedxml", "json", "re", "hdkit.gotemplate", "hdkit.paths", "hdkit.extract"}


@pytest.mark.parametrize("path", sorted(UI.glob("*.py")), ids=lambda p: p.name)
def test_ui_holds_no_http_xml_or_parsing_code(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in imported for banned in NOT_IN_UI if m == banned or m.startswith(banned + ".")}


# --------------------------------------------------------------------------- finding widgets


def walk(w: widgets.Widget) -> Iterator[widgets.Widget]:
    yield w
    for child in getattr(w, "children", ()):
        yield from walk(child)


def button(root: widgets.Widget, description: str) -> widgets.Button:
    (found,) = [w for w in walk(root) if isinstance(w, widgets.Button) and w.description == description]
    return found


def row(wb: Workbench, tab: str, field: str) -> FieldRow:
    """The row of ``field`` (as validate names it) in section tab ``tab``."""
    return wb.field(wb.sections[tab].section, field)


def list_form(wb: Workbench, tab: str, title: str) -> ListForm:
    section = wb.sections[tab]
    (found,) = [v for v in section.root.views() if isinstance(v, ListForm) and v.key[1] == title]
    return found


def set_row(wb: Workbench, tab: str, field: str, *values: Any) -> FieldRow:
    r = row(wb, tab, field)
    for w, value in zip(r.widgets, values, strict=True):
        w.value = value
    return r


@pytest.fixture
def wb() -> Workbench:
    return Workbench("freshdesk")


# --------------------------------------------------------------------------- forms edit the model


EDITS = [
    pytest.param("general", "Helpdesk Name", ("My Desk",), lambda t: t.general.name == "My Desk", id="text"),
    pytest.param("general", "Max Concurrent Request", ("3",), lambda t: t.general.max_concurrent_requests == 3,
                 id="number"),
    pytest.param("auth", "Authentication Method", (AuthMethod.BEARER,), lambda t: t.auth.method is AuthMethod.BEARER,
                 id="enum"),
    pytest.param("auth", "Token Invalid Errors", ("expired, invalid_token",),
                 lambda t: t.auth.oauth2.token_invalid == ("expired", "invalid_token"), id="list-of-text"),
    pytest.param("user_association", "Page Start Value", ("",),
                 lambda t: t.user_association.pagination.page_start is None, id="blank-optional-number"),
    pytest.param("user_association", "Page Size Value", ("50",),
                 lambda t: t.user_association.pagination.size == 50, id="nested"),
    pytest.param("user_association", "Request Method", ("post",), lambda t: t.user_association.method == "POST",
                 id="method-upper"),
    pytest.param("contact_search", "Company", (True, "results.#.company"),
                 lambda t: t.contact_search.fields.company.enabled
                 and t.contact_search.fields.company.path == "results.#.company", id="mapping-pair"),
    pytest.param("call_journal", "Subject", (True, "Call {{.Phone}}"),
                 lambda t: t.call_journal.subject.default == "Call {{.Phone}}", id="option-pair"),
    pytest.param("auth", "Custom Field 1 > Name", ("helpdesk_url",),
                 lambda t: t.auth.custom_fields[0].name == "helpdesk_url", id="list-item"),
]


@pytest.mark.parametrize(("tab", "field", "values", "check"), EDITS)
def test_a_widget_edit_is_a_model_edit(wb: Workbench, tab: str, field: str, values: tuple, check: Any) -> None:
    before = wb.template
    set_row(wb, tab, field, *values)
    assert check(wb.template)
    assert wb.template is not before and isinstance(wb.template, Template)


def test_a_follow_up_event_can_be_cleared(wb: Workbench) -> None:
    set_row(wb, "follow_ups", "Request 1 > Triggered Event", FollowUpEvent.CALL_ENDED)
    assert wb.template.follow_ups[0].event is FollowUpEvent.CALL_ENDED
    set_row(wb, "follow_ups", "Request 1 > Triggered Event", None)
    assert wb.template.follow_ups[0].event is None


def test_a_value_the_model_refuses_is_a_message_and_the_template_stays(wb: Workbench) -> None:
    before = wb.template
    r = set_row(wb, "general", "Max Concurrent Request", "ten")
    assert wb.template is before
    assert "expected a whole number, got &#x27;ten&#x27;" in r.message.value


def test_problems_show_beside_their_field_and_in_the_list(wb: Workbench) -> None:
    r = set_row(wb, "general", "Helpdesk Name", "")
    assert "Helpdesk Name is required" in r.message.value
    assert wb.tabs.titles[0] == "General (1)"
    assert "1 error(s)" in wb.problems_view.value
    set_row(wb, "general", "Helpdesk Name", "Back")
    assert r.message.value == "" and wb.tabs.titles[0] == "General"


def test_a_problem_inside_a_value_names_line_and_column(wb: Workbench) -> None:
    r = set_row(wb, "call_journal", "Call Journal Creation Request Data", '{"a": "{{.Phone}"}')
    assert "error:" in r.message.value and "(line 1, column " in r.message.value


def test_problems_no_row_claims_show_at_the_top_of_their_tab(wb: Workbench) -> None:
    for field in ("Business Number", "Mobile"):
        set_row(wb, "contact_search", field, False, "")
    tab = wb.sections["contact_search"]
    form = [v for v in tab.root.views() if getattr(v, "key", None) == ("Contact Search", "Contact Field Mapping")]
    assert "enable and map at least one phone number field" in form[0].message.value


def form_of(wb: Workbench, tab: str, cls: type) -> Any:
    (found,) = [v for v in wb.sections[tab].root.views() if getattr(v, "cls", None) is cls]
    return found


def shown(view: Any) -> bool:
    return view.box.layout.display != "none"


def test_only_the_chosen_method_or_mode_is_shown(wb: Workbench) -> None:
    basic, oauth2 = form_of(wb, "auth", BasicAuth), form_of(wb, "auth", OAuth2)
    assert wb.template.auth.method is AuthMethod.BASIC and shown(basic) and not shown(oauth2)
    set_row(wb, "auth", "Authentication Method", AuthMethod.OAUTH2)
    assert not shown(basic) and shown(oauth2)
    set_row(wb, "user_association", "Pagination Type", PaginationMode.OFFSET)
    assert shown(row(wb, "user_association", "Limit Value"))
    assert not shown(row(wb, "user_association", "Page Size Value"))


def png(width: int, height: int, padding: int = 0) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + struct.pack(">II", width, height) + b"\0" * (5 + padding)


def upload(name: str, data: bytes) -> tuple[dict[str, Any], ...]:
    return ({"name": name, "type": "image/png", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)},)


@pytest.mark.parametrize(("name", "data", "refusal"), [
    pytest.param("logo.png", png(150, 150), "", id="ok"),
    pytest.param("logo.png", png(150, 150, padding=500 * 1024), "it must be less than 500 KB", id="too-big"),
    pytest.param("logo.gif", png(150, 150), "must be a PNG, JPG, JPEG file", id="format"),
    pytest.param("logo.jpg", png(150, 150), "content is not a JPG image", id="content"),
])
def test_logo_upload_is_checked_by_the_model(wb: Workbench, name: str, data: bytes, refusal: str) -> None:
    r = row(wb, "general", "Logo")
    r.widgets[0].value = upload(name, data)
    logo = wb.template.general.logo
    if refusal:
        assert refusal in r.message.value and logo is None
    else:
        assert r.message.value == "" and logo is not None and logo.size == (150, 150)


# --------------------------------------------------------------------------- limits from the model


@pytest.mark.parametrize(("tab", "title", "limit", "message"), [
    pytest.param("auth", "Custom Fields", 5, "at most 5 custom fields are allowed", id="custom-fields"),
    pytest.param("headers", "Headers", 20, "at most 20 headers are allowed", id="headers"),
])
def test_adding_past_a_limit_is_refused_inline(wb: Workbench, tab: str, title: str, limit: int, message: str) -> None:
    lf = list_form(wb, tab, title)
    while not lf.add.disabled:
        lf.add.click()
    assert len(wb.store.get(lf.path)) == limit
    assert message in lf.message.value
    assert len(lf.items) == limit
    button(lf.items[0].box, f"Remove {lf.label} 1").click()
    assert len(wb.store.get(lf.path)) == limit - 1
    assert not lf.add.disabled and message not in lf.message.value


def test_new_items_get_their_problems_and_removing_renumbers(wb: Workbench) -> None:
    lf = list_form(wb, "auth", "Custom Fields")
    names = [f.name for f in wb.template.auth.custom_fields]
    lf.add.click()
    assert "Custom Field 3 &gt; Name is required" in row(wb, "auth", "Custom Field 3 > Name").message.value
    button(lf.items[0].box, "Remove Custom Field 1").click()
    assert [f.name for f in wb.template.auth.custom_fields] == [names[1], ""]
    assert "Custom Field 2 &gt; Name is required" in row(wb, "auth", "Custom Field 2 > Name").message.value


def test_an_unknown_field_is_a_clear_key_error(wb: Workbench) -> None:
    with pytest.raises(KeyError, match="no field 'Nope' in section 'General'"):
        wb.field("General", "Nope")


def test_inputs_follow_the_custom_fields(wb: Workbench) -> None:
    set_row(wb, "auth", "Custom Field 1 > Name", "site")
    assert "site" in wb.inputs.widgets and "base_url" not in wb.inputs.widgets
    assert isinstance(wb.inputs.widgets["api_key"], widgets.Password)


# --------------------------------------------------------------------------- opening


def test_open_sample_rebuilds_the_forms(wb: Workbench) -> None:
    wb.sample_pick.value = "zoho"
    button(wb.box, "Open sample").click()
    assert wb.template == samples.load("zoho")
    assert row(wb, "general", "Helpdesk Name").widgets[0].value == samples.load("zoho").general.name
    assert set(wb.inputs.widgets) == {f.name for f in wb.template.auth.custom_fields}


def test_open_xml_that_is_not_there_is_a_message(wb: Workbench, tmp_path: Path) -> None:
    before = wb.template
    wb.xml_path.value = str(tmp_path / "missing.xml")
    button(wb.box, "Open XML").click()
    assert "cannot read template file" in wb.load_message.value and wb.template is before


def test_open_xml_reads_the_file(wb: Workbench, tmp_path: Path) -> None:
    path = tmp_path / "k.xml"
    path.write_text(samples.text("keydesk"), encoding="utf-8")
    wb.xml_path.value = str(path)
    button(wb.box, "Open XML").click()
    assert wb.template == samples.load("keydesk")


# --------------------------------------------------------------------------- export


def test_export_is_refused_while_errors_remain(wb: Workbench, tmp_path: Path) -> None:
    set_row(wb, "general", "Key", "")
    wb.export_path.value = str(tmp_path / "out.xml")
    button(wb.box, "Export XML").click()
    assert "not exported" in wb.export_message.value and "Key is required" in wb.export_message.value
    assert not (tmp_path / "out.xml").exists() and wb.xml_view.value == ""


def test_export_writes_and_shows_the_xml(wb: Workbench, tmp_path: Path) -> None:
    set_row(wb, "general", "Helpdesk Name", "Edited Desk")
    wb.export_path.value = str(tmp_path / "out.xml")
    button(wb.box, "Export XML").click()
    text = (tmp_path / "out.xml").read_text(encoding="utf-8")
    assert 'Name="Edited Desk"' in text
    assert "&lt;Information" in wb.xml_view.value and "Edited Desk" in wb.xml_view.value


# --------------------------------------------------------------------------- try it against the sandbox


def sandbox_bench(name: str, url: str, **options: Any) -> Workbench:
    return Workbench(name, inputs=samples.demo_inputs(name, url), phone=samples.demo_phone(name), **options)


def click(wb: Workbench, description: str, root: widgets.Widget | None = None) -> widgets.Button:
    """Click a button and wait (deterministically) until what it started shows its result."""
    b = button(root or wb.box, description)
    b.click()
    wb.wait()
    return b


def test_a_try_runs_off_the_kernel_loop_with_its_button_disabled(fresh_sandbox) -> None:
    wb = sandbox_bench("freshdesk", fresh_sandbox.url)
    seen: list[bool] = []
    b = button(wb.box, "Sync users")
    b.observe(lambda change: seen.append(change["new"]), "disabled")
    b.click()  # returns at once: the sync runs on the worker loop
    assert seen[0] is True
    wb.wait()
    assert seen == [True, False] and not b.disabled
    assert len(wb.try_panel.records) == AGENT_COUNT


def test_sync_users_shows_records_and_exchanges(fresh_sandbox) -> None:
    wb = sandbox_bench("freshdesk", fresh_sandbox.url)
    tp = wb.try_panel
    click(wb, "Sync users")
    assert len(tp.records) == AGENT_COUNT and tp.records["UserUniqueId"].is_unique
    assert list(tp.exchanges["status"].unique()) == [200]
    assert "UserUniqueId" in tp.records_view.value
    assert tp.status.value.startswith(f"{AGENT_COUNT} user(s) in ") and "stopped: " in tp.status.value
    assert "&lt;" not in tp.status.value  # words, not a Python repr


def test_search_and_call_show_mapped_fields_and_the_raw_response(fresh_sandbox) -> None:
    wb = sandbox_bench("freshdesk", fresh_sandbox.url)
    tp = wb.try_panel
    click(wb, "Search contact")
    assert tp.records["FirstName"].tolist() == ["Ada Lovelace"]
    assert "Lovelace" in tp.records_view.value
    view = tp.debug.exchanges
    assert "GET " in view.request_view.value and view.status.value.startswith("<b>200 OK · ")
    assert "Ada Lovelace" in view.body_view.value and "<details" in view.body_view.value
    tp.call_kind.value = "inbound-missed"
    tp.phone.value = "+1 646 555 0177"
    click(wb, "Simulate call")
    steps = tp.records.set_index("step")
    assert steps.loc["Create Contacts", "status"] == "201"
    view.pick.value = len(view.pick.options) - 1
    assert "CallJournal" in view.pick.label and view.status.value.startswith("<b>201 Created")


def test_match_formats_shows_which_phone_formats_hit(fresh_sandbox) -> None:
    wb = sandbox_bench("freshdesk", fresh_sandbox.url)
    click(wb, "Match formats")
    hits = wb.try_panel.records.set_index("number")["Contacts"]
    assert hits[PHONE] == 1  # freshdesk matches the stored string exactly
    assert (hits == 0).any() and "tried in several formats" in wb.try_panel.status.value


def test_a_missing_input_is_refused_before_anything_is_sent(fresh_sandbox) -> None:
    wb = Workbench("freshdesk", inputs={"base_url": samples.demo_inputs("freshdesk", fresh_sandbox.url)["base_url"]},
                   phone=PHONE)
    b = click(wb, "Search contact")
    lines = [w.description for w in walk(wb.try_panel.refusal) if isinstance(w, widgets.Button)]
    assert lines == ["Try it > Inputs > api_key: needs a value for the input 'API key' ({{.api_key}})"]
    assert "not sent" in wb.try_panel.status.value and not b.disabled
    assert wb.try_panel.result is None and fresh_sandbox.requests == []


@pytest.mark.parametrize("name", ["Search contact", "Match formats", "Simulate call"])
def test_a_blank_phone_is_a_message(name: str) -> None:
    wb = Workbench("freshdesk", inputs={"base_url": "http://127.0.0.1:9", "api_key": "k"})
    click(wb, name)
    lines = [w.description for w in walk(wb.try_panel.refusal) if isinstance(w, widgets.Button)]
    assert lines == ["Try it > Phone: enter the caller's phone number first"]
    assert wb.try_panel.result is None


def test_typed_inputs_are_used(fresh_sandbox) -> None:
    demo = samples.demo_inputs("freshdesk", fresh_sandbox.url)
    wb = Workbench("freshdesk", phone=PHONE)
    wb.inputs.widgets["base_url"].value = demo["base_url"]
    wb.inputs.widgets["api_key"].value = demo["api_key"]
    click(wb, "Search contact")
    assert wb.try_panel.records["FirstName"].tolist() == ["Ada Lovelace"]


def test_a_typed_secret_stays_in_its_password_box(fresh_sandbox) -> None:
    demo = samples.demo_inputs("freshdesk", fresh_sandbox.url)
    wb = Workbench("freshdesk", inputs={"base_url": demo["base_url"]}, phone=PHONE)
    box = wb.inputs.widgets["api_key"]
    box.value = demo["api_key"]
    for name in ("Search contact", "Simulate call"):
        click(wb, name)
    assert wb.try_panel.records["status"].tolist()[0] == "200"
    holders = [w for w in walk(wb.box) if demo["api_key"] in json.dumps(w.get_state(), default=str)]
    assert holders == [box]


def test_secrets_reach_no_widget_but_the_password_box(fresh_sandbox, tmp_path: Path) -> None:
    key = DEMO["freshdesk"]["api_key"]
    forms = [key, base64.b64encode(f"{key}:X".encode()).decode()]
    wb = sandbox_bench("freshdesk", fresh_sandbox.url)
    view = wb.try_panel.debug.exchanges
    for name in ("Sync users", "Simulate call", "Search contact"):
        click(wb, name)
        for i in range(len(view.pick.options)):
            view.pick.value = i
            shown = view.request_view.value + view.body_view.value
            assert not [f for f in forms if f in shown]
    wb.export_path.value = str(tmp_path / "out.xml")
    button(wb.box, "Export XML").click()
    states = json.dumps([w.get_state() for w in walk(wb.box)], default=str)
    assert wb.try_panel.result is not None and "Ada" in states
    assert not [f for f in forms if f in states]
    assert not [f for f in forms if f in (tmp_path / "out.xml").read_text(encoding="utf-8")]
