"""Round trips: import -> export -> import gives an equal model, for every template the tests build.

The templates are not listed by hand: every test module is scanned for the templates it builds
(module constants, ``pytest.param`` rows, and helper functions that return a ``Template`` and
need no arguments), so a template added to any test is round-tripped too. A second test writes
hostile text into every text attribute of every section and reads it back.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import importlib.util
import inspect
import sys
import types
import typing
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hdkit.model as model
from hdkit.errors import HdkitError
from hdkit.model import Extra, Logo, Template
from hdkit.samples.build import BUILDERS
from hdkit.yeastar_xml import from_xml, load, save, to_xml

import support

TESTS = support.ROOT / "tests"


def _found_in(value: Any, seen: set[int]) -> Iterator[Template]:
    """Templates inside a value: a template, a pytest.param row, a list or tuple of them, or
    what a row's argument-less ``lambda`` builds (rows that expect an error build nothing)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Template):
        yield value
    elif inspect.isfunction(value) and value.__name__ == "<lambda>" and not inspect.signature(value).parameters:
        try:
            built = value()
        except HdkitError:
            return
        yield from _found_in(built, seen)
    elif hasattr(value, "values") and hasattr(value, "marks"):  # a pytest.param row
        yield from _found_in(value.values, seen)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _found_in(item, seen)


def _builds_a_template(obj: Any) -> bool:
    if not inspect.isfunction(obj) or obj.__name__.startswith("test_"):
        return False
    signature = inspect.signature(obj)
    needs_args = any(p.default is p.empty and p.kind is not p.VAR_KEYWORD and p.kind is not p.VAR_POSITIONAL
                     for p in signature.parameters.values())
    return not needs_args and signature.return_annotation in ("Template", Template)


def _templates_built_by_the_tests() -> list[Any]:
    rows: list[Any] = []
    for path in sorted(TESTS.rglob("test_*.py")):
        if path.resolve() == Path(__file__).resolve():
            continue
        name = "roundtrip_scan." + ".".join(path.relative_to(TESTS).with_suffix("").parts)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while building
        spec.loader.exec_module(module)
        seen: set[int] = set()
        found: list[Template] = []
        for name, obj in vars(module).items():
            if _builds_a_template(obj) and obj.__module__ == module.__name__:
                found.append(obj())
            found.extend(_found_in(obj, seen))
            for mark in getattr(obj, "pytestmark", []):
                if mark.name == "parametrize":
                    found.extend(_found_in(mark.args[1], seen))
        where = "/".join(path.relative_to(TESTS).with_suffix("").parts)
        rows += [pytest.param(t, id=f"{where}-{i}") for i, t in enumerate(dict.fromkeys(found), 1)]
    rows += [pytest.param(build(), id=f"sample-{name}") for name, build in BUILDERS.items()]
    return rows


BUILT = _templates_built_by_the_tests()


def test_the_scan_finds_the_templates_of_many_test_modules() -> None:
    modules = {p.id.rsplit("-", 1)[0] for p in BUILT}
    assert {"test_validate", "yeastar_xml/test_reader_writer", "model/test_model", "engine/test_runner", "sample"} <= modules
    assert len(BUILT) > 60


@pytest.mark.parametrize("template", BUILT)
def test_every_template_the_tests_build_round_trips(template: Template, tmp_path: Path) -> None:
    if template.general.logo and template.general.logo.data:  # the logo travels beside the file
        save(template, tmp_path / "t.xml", check=False)
        assert load(tmp_path / "t.xml") == template
        return
    xml = to_xml(template)
    again = from_xml(xml)
    assert again == template
    assert to_xml(again) == xml


# --------------------------------------------------------------------------- every template file

FILES = sorted([*(support.DATA / "templates").rglob("*.xml"), *(support.ROOT / "hdkit" / "samples").glob("*.xml")])


def _attributes(xml: bytes) -> dict[str, Counter[tuple[str, str]]]:
    """Element path ("Information/Scenarios/Scenario/Parameters/Parameter") -> the multiset of
    its elements' (attribute, value) pairs."""
    found: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)

    def walk(el: ET.Element, path: str) -> None:
        path = f"{path}/{el.tag}" if path else el.tag
        found[path].update(el.attrib.items())
        for child in el:
            walk(child, path)

    walk(ET.fromstring(xml), "")
    return dict(found)


def test_the_files_include_the_corpus_and_the_samples() -> None:
    names = {p.name for p in FILES}
    assert {"example_desk_4_1.xml", "zendesk.xml"} <= names and len(FILES) >= 16
    assert any(p.parent.name == "corpus" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_template_file_keeps_every_attribute_value_and_round_trips(path: Path) -> None:
    template = load(path)
    xml = to_xml(template)
    assert _attributes(xml.encode("utf-8")) == _attributes(path.read_bytes())
    again = from_xml(xml, source=str(path))
    assert again == template
    assert to_xml(again) == xml


# --------------------------------------------------------------------------- hostile text

HOSTILE = 'q"uote & amp <lt> ]]> \'apos\' line1\nline2\r\ttab \u00e9\u4e2d\U0001f600 &#10; &amp; {{"x"}} '


def _fill(cls: type, text: str) -> Any:
    """An instance of ``cls`` whose every text field holds ``text`` plus the field's own name
    (every stored field: a view writes the same stored fields; the file record is no content)."""
    if cls is Logo:  # the file names its logo; the bytes travel beside it
        return Logo(f"{text}.png")
    hints = model.type_hints(cls)
    return cls(**{f.name: _value(hints[f.name], f"{text}{cls.__name__}.{f.name}", f.name)
                  for f in dataclasses.fields(cls) if f.compare})


def _value(hint: Any, text: str, name: str) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (hint,) = [a for a in typing.get_args(hint) if a not in (type(None), model.Unrecognized)]
    if name == "attrs":  # other attributes: XML names, hostile values
        return (("Weight", text), ("Extra-Attr.1", text))
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return () if item is Extra else tuple(_value(item, f"{text}[{i}]", name) for i in range(2))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return list(hint)[-1]
    if hint is bool:
        return True
    if hint is int:
        return 7
    if hint is str:
        return "PATCH" if name.endswith("method") else text
    return _fill(hint, text)


def _texts(value: Any) -> Iterator[str]:
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name == "attrs":  # (name, value) pairs: the names are XML names
                yield from (v for _, v in getattr(value, f.name))
            elif f.compare:
                yield from _texts(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str) and not isinstance(value, enum.Enum):
        yield value


def test_hostile_text_in_every_attribute_round_trips() -> None:
    template = _fill(Template, HOSTILE)
    texts = list(_texts(template))
    assert len(texts) > 100 and all(HOSTILE in t for t in texts if t != "PATCH")
    xml = to_xml(template)
    start_tag = xml[xml.index("<Information"):xml.index(">", xml.index("<Information"))]
    assert "\n" not in start_tag and "&#xA;" in start_tag and "&quot;" in start_tag and "&lt;lt&gt;" in start_tag
    again = from_xml(xml.encode("utf-8"))
    assert again == template
    assert list(_texts(again)) == texts


HOSTILE_UNKNOWNS = """<Information Name="n" Future="a&quot;b&#xA;c&amp;&lt;&#x9;\u00e9">
<Scenarios><Scenario Id="CallJournal"><Parameters>
<Parameter Name="Odd" Value="x&#xD;&#xA;y" Extra="&apos;"/></Parameters>
<Requests><Request Name="CallJournal" URLFormat="u"><Note>t &amp; &lt;b&gt; ]]&gt;<![CDATA[<raw & x>]]></Note>
</Request></Requests></Scenario></Scenarios>
<Later a="&#x1F600;"/></Information>"""


def test_hostile_text_in_unknown_attributes_and_elements_round_trips() -> None:
    template = from_xml(HOSTILE_UNKNOWNS)
    kept = {e.where: e.xml for e in template.extras}
    assert kept["Information/@Future"] == 'a"b\nc&<\t\u00e9'
    assert "&lt;raw &amp; x&gt;" in kept["Scenario[CallJournal]/Request[1]"]
    assert from_xml(to_xml(template)) == template
