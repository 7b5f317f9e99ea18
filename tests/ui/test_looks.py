"""Looks and words: the product's section order and labels, choices in its words, help and an
example under every field it explains, Dropdown Options only for a dropdown, sized editors, a
logo preview, and a refused value shown as refused until it is fixed."""

from __future__ import annotations

import dataclasses
import functools
import html
import re

import ipywidgets as widgets
import pytest
from support.images import png
from support.widgets import shown, walk

from hdkit import model, samples
from hdkit.model import AuthMethod, FieldType, field_info, form_fields
from hdkit.ui import Workbench
from hdkit.ui.fields import FieldRow

PRODUCT_ORDER = ["General", "User Association", "Authentication", "Headers", "Follow-up Requests",
                 "Contact Search", "Create New Contact", "Call Journal", "New Ticket"]


@pytest.fixture
def wb() -> Workbench:
    return Workbench("freshdesk")


def test_sections_come_in_the_products_order_with_its_labels(wb: Workbench) -> None:
    titles = [re.sub(r" \(\d+\)$", "", t) for t in wb.tabs.titles]
    assert titles[:9] == PRODUCT_ORDER and titles[9:] == ["Try it", "Library", "Export"]


# Every field the product description explains, as (model class, field): each must carry help and an example.
EXPLAINED = [
    (model.General, n) for n in ("name", "max_concurrent_requests", "remark", "logo")
] + [
    (model.UserAssociation, n) for n in ("enabled", "url", "fields")
] + [
    (model.Pagination, n) for n in ("mode", "page_param", "page_start", "size_param", "size", "offset_param",
                                    "offset_start", "limit_param", "limit", "next_link_path")
] + [
    (model.UserFields, n) for n in ("user_id", "first_name", "last_name", "email")
] + [
    (model.Auth, "method"), (model.CustomField, "type"), (model.CustomField, "name"), (model.CustomField, "title"),
    (model.CustomField, "options"), (model.BasicAuth, "credential_type"), (model.BasicAuth, "credential_format"),
] + [
    (model.OAuth2, n) for n in ("authorization_endpoint", "token_endpoint", "content_type", "scope",
                                "additional_query", "refresh_method", "refresh_endpoint", "refresh_content_type",
                                "refresh_minutes", "refresh_body")
] + [
    (model.Header, n) for n in ("name", "value", "description")
] + [
    (model.FollowUpRequest, n) for n in ("event", "method", "url", "headers", "body", "response_paths",
                                         "target_variables")
] + [
    (model.ContactType, "name"), (model.ContactType, "url"), (model.Popup, "mode"), (model.Popup, "url_format"),
    (model.Popup, "contact_field_path"), (model.ContactSearch, "fields"),
    *((model.ContactFields, f.name) for f in dataclasses.fields(model.ContactFields)),
    (model.ContactCreation, "enabled"), (model.CreationType, "name"), (model.CreationType, "url"),
    (model.CreationType, "body"),
    (model.UserAssociation, "method"), (model.ContactType, "method"), (model.CreationType, "method"),
    (model.CallJournal, "method"), (model.NewTicket, "method"),
    (model.CallJournal, "enabled"), (model.CallJournal, "url"), (model.CallJournal, "body"),
    (model.CallJournal, "subject"), (model.CallJournal, "description"), (model.CallJournal, "play_recording"),
    (model.CallJournal, "hide_missed_for_unanswered"),
    (model.NewTicket, "enabled"), (model.NewTicket, "url"), (model.NewTicket, "body"), (model.NewTicket, "subject"),
    (model.NewTicket, "description"),
]


@pytest.mark.parametrize(("cls", "name"), EXPLAINED, ids=[f"{c.__name__}.{n}" for c, n in EXPLAINED])
def test_the_model_holds_help_and_an_example_for_every_explained_field(cls: type, name: str) -> None:
    info = field_info(cls, name)
    switch = model.type_hints(cls)[name] is bool  # an on/off switch has nothing to exemplify
    assert info.help and (info.example or switch), (cls.__name__, name)


def rows(wb: Workbench) -> list[FieldRow]:
    return [v for tab in wb.sections.values() for v in tab.root.views() if isinstance(v, FieldRow)]


def test_help_and_example_are_printed_under_the_fields(wb: Workbench) -> None:
    url = wb.field("User Association", "Get User")
    assert "getting the list of Helpdesk users" in url.note.value
    assert "e.g. <code>https://www.api.example.com/v1/users?type=ActiveUsers</code>" in url.note.value
    mapped = wb.field("Contact Search", "Contact ID")
    assert "Required. The ID of the searched contact." in mapped.note.value and "data.#.id" in mapped.note.value
    assert all("e.g. " in (w.placeholder or "e.g. ") for r in rows(wb) for w in r.widgets
               if isinstance(w, widgets.Text) and w.placeholder and "comma" not in w.placeholder)


@pytest.mark.parametrize(("cls", "name"), EXPLAINED, ids=[f"{c.__name__}.{n}" for c, n in EXPLAINED])
def test_every_explained_field_shows_its_help_and_example_on_the_page(cls: type, name: str) -> None:
    info = field_info(cls, name)
    assert info.help, f"{cls.__name__}.{name} has no help"
    note = "<small style='color:#666'>" + html.escape(info.help)
    if info.example:
        note += f" e.g. <code>{html.escape(info.example)}</code>"
    printed = [r for sample in every_sample() for r in rows(sample)
               if r.note.value.startswith(note) and re.sub(r"<[^>]+>", "", r.label.value).rstrip(" *") == info.title]
    if not printed:  # a group of fields (the Contact Field Mapping) is explained above the group
        printed = [w for sample in every_sample() for w in walk(sample.box)
                   if isinstance(w, widgets.HTML) and note in w.value]
    assert printed, f"{cls.__name__}.{name}: its help and example are printed under no field of any sample"


@functools.cache
def every_sample() -> tuple[Workbench, ...]:
    """A workbench on each sample: together they show every kind of field (OAuth2, each paging)."""
    return tuple(Workbench(name) for name in samples.names())


def test_choices_are_shown_in_the_products_words(wb: Workbench) -> None:
    method = wb.field("Authentication", "Authentication Method").widgets[0]
    assert [label for label, _ in method.options] == ["None", "Basic", "OAuth2", "Bearer Token"]
    paging = wb.field("User Association", "Pagination Type").widgets[0]
    assert [label for label, _ in paging.options] == ["Disabled", "Page Number Pagination", "Offset Pagination",
                                                      "Link Pagination"]
    kind = wb.field("Authentication", "Custom Field 1 > Type").widgets[0]
    assert [label for label, _ in kind.options] == ["Text Input", "Password Input", "Dropdown List"]
    shown_labels = " ".join(" ".join(w._options_labels) for w in walk(wb.box) if isinstance(w, widgets.Dropdown))
    assert "bearer_token" not in shown_labels and "url_format" not in shown_labels and "_" not in shown_labels


def test_dropdown_options_only_show_for_a_dropdown(wb: Workbench) -> None:
    options = wb.field("Authentication", "Custom Field 1 > Dropdown Options")
    assert not shown(options.box)
    wb.field("Authentication", "Custom Field 1 > Type").widgets[0].value = FieldType.DROPDOWN
    assert shown(options.box)


def test_json_bodies_get_a_sized_monospace_editor(wb: Workbench) -> None:
    body = wb.field("New Ticket", "New Ticket Creation Request Body").widgets[0]
    assert isinstance(body, widgets.Textarea) and body.rows >= 4 and "hdkit-mono" in body._dom_classes
    assert "font-family" in wb.box.children[-1].value


def test_remove_buttons_are_as_wide_as_their_words(wb: Workbench) -> None:
    removes = [w for w in walk(wb.box) if isinstance(w, widgets.Button) and w.description.startswith("Remove ")]
    assert removes and all(b.layout.width == "auto" for b in removes)


def test_the_logo_is_previewed(wb: Workbench) -> None:
    import datetime

    row = wb.field("General", "Logo")
    image = next(w for w in row.box.children[0].children if isinstance(w, widgets.Image))
    assert not shown(image)
    data = png(150, 150)
    row.widgets[0].value = ({"name": "desk.png", "type": "image/png", "size": len(data), "content": memoryview(data),
                             "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)},)
    assert shown(image) and bytes(image.value) == data and image.format == "png"


def test_a_refused_value_is_shown_refused_in_the_box_and_the_problems_until_fixed(wb: Workbench) -> None:
    row = wb.field("General", "Max Concurrent Request")
    box = row.widgets[0]
    box.value = "abc"
    assert box.value == "abc" and wb.template.general.max_concurrent_requests == 8
    assert box.style.background == "#fdecea"
    assert "&#x27;abc&#x27; is not applied (expected a whole number" in row.message.value
    assert "the template still holds 8" in row.message.value
    assert "'abc' is not applied" in wb.problems_view.value.replace("&#x27;", "'")
    assert wb.tabs.titles[0] == "General (1)"
    wb.export_path.value = ""
    wb.export()
    assert "not exported" in wb.export_message.value  # the form shows a value the template does not hold
    wb.field("Headers", "Header 1 > Name").widgets[0].value = "X-Other"   # other edits leave it refused
    assert wb.tabs.titles[0] == "General (1)"
    box.value = "3"
    assert wb.template.general.max_concurrent_requests == 3 and box.style.background is None
    assert row.message.value == "" and wb.tabs.titles[0] == "General" and "abc" not in wb.problems_view.value


def test_a_refusal_ends_when_the_template_is_replaced(wb: Workbench) -> None:
    wb.field("General", "Max Concurrent Request").widgets[0].value = "many"
    assert wb.store.refusals
    wb.open_sample("keydesk")
    assert wb.store.refusals == {} and wb.tabs.titles[0] == "General"


def test_the_bearer_choice_shows_the_token_settings(wb: Workbench) -> None:
    wb.field("Authentication", "Authentication Method").widgets[0].value = AuthMethod.BEARER
    assert shown(wb.field("Authentication", "Token Endpoint").box)
    assert form_fields(model.OAuth2)


def test_section_titles_keep_their_error_counts_whole(wb: Workbench) -> None:
    wb.field("General", "Helpdesk Name").widgets[0].value = ""
    assert isinstance(wb.tabs, widgets.Tab) and wb.tabs.titles[0] == "General (1)"
    assert "hdkit-workbench" in wb.box._dom_classes
    style = wb.box.children[-1].value
    assert ".hdkit-workbench .widget-tab > .lm-TabBar .lm-TabBar-content" in style and "flex-wrap: wrap" in style
    assert "flex: 0 0 auto !important; max-width: none !important" in style
