"""Go strings are bytes: len/index/slice count bytes, and halves of a character printed side by
side give the character back (the JSON escaper lint suggests walks a value byte by byte)."""

from __future__ import annotations

import json

import pytest

from hdkit import gotemplate
from hdkit.errors import TemplateExecError
from hdkit.gotemplate.execute import MAX_TEMPLATE_DEPTH
from hdkit.rendering import JSON_ESCAPER

ESCAPED_BODY = gotemplate.compile(JSON_ESCAPER + '{"name":"{{template "json" .Name}}"}', "body")


@pytest.mark.parametrize("name", [
    pytest.param("José Núñez", id="latin"),
    pytest.param("王小明 \"VIP\"", id="cjk-and-quotes"),
    pytest.param("Zoë 😀 O'Brien\\", id="emoji-apostrophe-backslash"),
    pytest.param("tab\there\x01\x7f", id="control"),
    pytest.param("x" * 2500, id="long"),
])
def test_the_json_escaper_renders_any_value_into_valid_json_that_reads_back(name: str) -> None:
    assert json.loads(ESCAPED_BODY.render({"Name": name}))["name"] == name


def test_byte_functions_count_bytes_and_split_characters_rejoin() -> None:
    t = gotemplate.compile("{{len .S}}|{{slice .S 0 1}}{{slice .S 1}}|{{index .S 1}}", "t")
    assert t.render({"S": "é!"}) == "3|é!|169"


def test_a_half_character_printed_alone_shows_as_the_replacement_character() -> None:
    assert gotemplate.compile("{{slice .S 0 1}}", "t").render({"S": "é"}) == "\ufffd"


def test_strings_compare_byte_by_byte_as_in_go() -> None:
    # a lone 0xC3 byte sorts before U+4E2D (E4 B8 AD) in Go; as code points it would not
    t = gotemplate.compile('{{lt (slice .A 0 1) .B}}', "t")
    assert t.render({"A": "é", "B": "中"}) == "true"


def test_recursion_past_the_depth_cap_is_a_located_error() -> None:
    with pytest.raises(TemplateExecError, match=f"maximum template depth \\({MAX_TEMPLATE_DEPTH}; Go allows 100000\\)"):
        gotemplate.compile('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}', "t").render({})
