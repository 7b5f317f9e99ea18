"""Templated paths: actions rendered first, each printed value escaped for a GJSON query."""

from __future__ import annotations

import json

import pytest

from hdkit.errors import TemplateError
from hdkit.extract import extract_records
from hdkit.paths import gjson_get, render_path

PATH = 'data.#(phone=="{{.Phone}}")#.id'


@pytest.mark.parametrize(
    ("phone", "rendered"),
    [
        pytest.param("5551234", 'data.#(phone=="5551234")#.id', id="plain"),
        pytest.param('55"12', 'data.#(phone=="55\\"12")#.id', id="quote"),
        pytest.param("55\\12", 'data.#(phone=="55\\\\12")#.id', id="backslash"),
        pytest.param("+1 (555) 1.2", 'data.#(phone=="+1 (555) 1.2")#.id', id="punctuation"),
    ],
)
def test_render_path_escapes_and_finds(phone: str, rendered: str) -> None:
    assert render_path(PATH, {"Phone": phone}) == rendered
    doc = json.dumps({"data": [{"phone": "other", "id": 1}, {"phone": phone, "id": 2}]})
    assert gjson_get(doc, rendered).value() == [2]


def test_path_without_actions_is_unchanged() -> None:
    assert render_path("data.#.id", {}) == "data.#.id"


def test_template_errors_surface_as_hdkit_errors() -> None:
    with pytest.raises(TemplateError):
        render_path('data.#(phone=="{{.Phone")#.id', {"Phone": "1"})


def test_extract_records_renders_alternatives_with_data() -> None:
    doc = json.dumps(
        {
            "data": [
                {"phone": "100", "mobile": "900", "street": "A st"},
                {"phone": "200", "mobile": '9"1', "street": "B st"},
            ]
        }
    )
    mapping = {
        "Street": 'data.#(phone=="{{.Phone}}")#.street,data.#(mobile=="{{.Phone}}")#.street'
    }
    assert extract_records(doc, mapping, {"Phone": '9"1'}) == [{"Street": "B st"}]
    assert extract_records(doc, mapping, {"Phone": "100"}) == [{"Street": "A st"}]
    assert extract_records(doc, mapping, {"Phone": "nobody"}) == []
