"""State you can trust when a template is opened: the old inputs, results and tokens go (kept by
name only when asked), the controls say what is open, an uploaded file opens like a path, and
replaced widgets are closed (no widget leak across opens)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ipywidgets.widgets.widget import _instances  # what widgets.Widget.widgets (deprecated) returns
from support.widgets import button

from hdkit import samples
from hdkit.engine import Tokens
from hdkit.errors import HdkitError
from hdkit.secrets import Secret
from hdkit.ui import Workbench

PHONE = samples.demo_phone("freshdesk")


def demo(url: str) -> Any:
    return lambda name: samples.demo_inputs(name, url)


def upload(name: str, data: bytes) -> tuple[dict[str, Any], ...]:
    return ({"name": name, "type": "text/xml", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)},)


def test_opening_a_sample_drops_the_old_inputs_results_and_tokens(fresh_sandbox) -> None:
    wb = Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", fresh_sandbox.url), phone=PHONE)
    button(wb.box, "Search contact").click()
    wb.wait()
    assert wb.try_panel.result is not None and wb.inputs.values()["base_url"].endswith("/freshdesk")
    old_tokens = wb.try_panel.tokens
    wb.sample_pick.value = "keydesk"
    button(wb.box, "Open sample").click()
    assert wb.template == samples.load("keydesk")
    assert wb.inputs.values() == {}  # the freshdesk URL and key would send keydesk's requests astray
    assert wb.try_panel.result is None and wb.try_panel.records.empty and wb.try_panel.status.value == ""
    assert wb.try_panel.debug.exchanges.pick.options == () and wb.try_panel.debug.records_view.value == ""
    assert wb.try_panel.tokens is not old_tokens
    assert "Open:</b> KeyDesk" in wb.open_label.value and "sample keydesk" in wb.open_label.value


def test_a_sample_opens_with_its_own_inputs_when_the_workbench_knows_them(fresh_sandbox) -> None:
    wb = Workbench("freshdesk", sample_inputs=demo(fresh_sandbox.url), phone=PHONE)
    assert wb.inputs.values() == samples.demo_inputs("freshdesk", fresh_sandbox.url)
    wb.open_sample("keydesk")
    assert wb.inputs.values() == samples.demo_inputs("keydesk", fresh_sandbox.url)
    wb.try_panel.phone.value = samples.demo_phone("keydesk")
    button(wb.box, "Search contact").click()
    wb.wait()
    assert len(wb.try_panel.records) == 1 and "/keydesk/" in fresh_sandbox.requests[-1]["path"]


def test_same_named_inputs_are_kept_only_when_asked() -> None:
    wb = Workbench("freshdesk")
    wb.inputs.widgets["base_url"].value = "https://desk.example.com"
    wb.inputs.widgets["api_key"].value = "typed-key"
    wb.keep_inputs.value = True
    wb.open_sample("keydesk")  # keydesk has base_url and api_key too
    assert wb.inputs.widgets["base_url"].value == "https://desk.example.com"
    assert wb.inputs.values()["api_key"] == "typed-key"
    wb.keep_inputs.value = False
    wb.open_sample("freshdesk")
    assert wb.inputs.values() == {}


def test_the_sample_picker_follows_what_is_open(tmp_path) -> None:
    wb = Workbench("freshdesk")
    assert wb.sample_pick.value == "freshdesk"
    path = tmp_path / "mine.xml"
    path.write_text(samples.text("keydesk"), encoding="utf-8")
    wb.xml_path.value = str(path)
    button(wb.box, "Open XML").click()
    assert wb.sample_pick.value is None and f"file {path}" in wb.open_label.value
    wb.open_sample("zoho")
    assert wb.sample_pick.value == "zoho"


def test_an_uploaded_file_opens_like_a_path() -> None:
    wb = Workbench("freshdesk")
    wb.upload.value = upload("keydesk.xml", samples.text("keydesk").encode("utf-8"))
    assert wb.template == samples.load("keydesk")
    assert "uploaded file keydesk.xml" in wb.open_label.value


def test_an_uploaded_file_that_is_not_a_template_is_a_located_message() -> None:
    wb = Workbench("freshdesk")
    before = wb.template
    wb.upload.value = upload("broken.xml", b"<Information>\n  <Scenarios>\n</Information>")
    assert wb.template is before
    assert "broken.xml" in wb.load_message.value and "line 3" in wb.load_message.value


def test_five_opens_leak_no_widget(fresh_sandbox) -> None:
    wb = Workbench("freshdesk", sample_inputs=demo(fresh_sandbox.url), phone=PHONE)
    counts = []
    for _ in range(5):
        for name in ("Search contact", "Sync users", "Simulate call"):
            button(wb.box, name).click()
            wb.wait()
        wb.open_sample("freshdesk")
        counts.append(len(_instances))
    assert len(set(counts)) == 1, counts


@pytest.mark.parametrize("name", samples.names())
def test_every_sample_opens_and_says_so(name: str) -> None:
    wb = Workbench()
    wb.sample_pick.value = name
    button(wb.box, "Open sample").click()
    assert wb.template == samples.load(name) and wb.sample_pick.value == name
    assert samples.load(name).general.name in wb.open_label.value


def test_tokens_of_the_old_template_are_not_sent_to_the_new_one() -> None:
    wb = Workbench("zendesk")
    wb.try_panel.tokens.put("zendesk", Tokens(access_token=Secret("old-token")))  # as after an Authorize
    wb.open_sample("zoho")
    assert wb.try_panel.tokens.get("zendesk") is None


def test_the_workbench_opens_a_sample_or_a_file_as_the_notebooks_first_cell_says(tmp_path: Any) -> None:
    path = tmp_path / "mine.xml"
    path.write_text(samples.text("keydesk"), encoding="utf-8")
    for given in (str(path), path):
        wb = Workbench(given)
        assert wb.template == samples.load("keydesk") and wb.sample_pick.value is None
        assert f"(file {path})" in wb.open_label.value
    assert Workbench("keydesk").sample_pick.value == "keydesk"
    with pytest.raises(HdkitError, match=r"no sample template 'zendsk' \(samples: freshdesk, keydesk"):
        Workbench("zendsk")
    with pytest.raises(HdkitError, match=r"missing\.xml: cannot read template file"):
        Workbench(str(tmp_path / "missing.xml"))
