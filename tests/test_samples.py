"""Sample templates: current, loadable, valid, and they run against the sandbox."""

from __future__ import annotations

import pytest

from hdkit import samples
from hdkit.errors import ModelError
from hdkit.model import Template
from hdkit.samples.build import BUILDERS
from hdkit.yeastar_xml import to_xml

NAMES = samples.names()


def test_names_are_the_four_sandbox_vendors() -> None:
    assert NAMES == ["freshdesk", "keydesk", "zendesk", "zoho"]


@pytest.mark.parametrize("name", NAMES)
def test_sample_xml_is_what_the_writer_exports(name: str) -> None:
    assert samples.text(name) == to_xml(BUILDERS[name]()), "run: python -m hdkit.samples.build"


@pytest.mark.parametrize("name", NAMES)
def test_sample_loads_to_its_model(name: str) -> None:
    template = samples.load(name)
    assert isinstance(template, Template) and template == BUILDERS[name]()
    assert any(f.name == "base_url" for f in template.auth.custom_fields)


@pytest.mark.parametrize("name", NAMES)
def test_demo_inputs_point_at_the_sandbox(name: str) -> None:
    inputs = samples.demo_inputs(name, "http://127.0.0.1:8000/")
    assert inputs["base_url"] == f"http://127.0.0.1:8000/{name}"
    declared = {f.name for f in samples.load(name).auth.custom_fields}
    assert set(inputs) <= declared


def test_unknown_sample_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="no sample template 'nope'.*freshdesk"):
        samples.load("nope")
