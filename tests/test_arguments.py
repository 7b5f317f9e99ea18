"""The Python API refuses what it cannot take in hdkit's words (issue 12, Low): each call below
raised an exception from outside hdkit's tree (AttributeError, TypeError, UnicodeEncodeError,
ValueError) or went on with ``None`` as text; now each is an HdkitError naming the argument."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hdkit
from hdkit import samples
from hdkit.engine import Engine
from hdkit.errors import ArgumentError, FileError, HdkitError, ModelError, XMLFormatError

TEMPLATE = samples.load("keydesk")
INPUTS = {"base_url": "http://127.0.0.1:9/kd", "api_key": "kd-key-123456"}


def engine(**inputs: Any) -> Engine:
    return Engine(TEMPLATE, {**INPUTS, **inputs}, dry_run=True)


CASES = [
    pytest.param(lambda: engine().call([]), ArgumentError, "Engine.call > event: event is empty", id="call-no-events"),
    pytest.param(lambda: engine().call([None]), ArgumentError, "event item 1 must be a CallEvent", id="call-none-leg"),
    pytest.param(lambda: engine().search(None), ArgumentError, "Engine.search > phone: phone must be text, got None",
                 id="search-none"),
    pytest.param(lambda: engine().search("+1\ud800"), ArgumentError, "lone surrogate (U+D800) at character 3",
                 id="search-surrogate"),
    pytest.param(lambda: engine().search(4155550123), ArgumentError, "phone must be text, got int", id="search-int"),
    pytest.param(lambda: engine().keyword_search(None), ArgumentError, "Engine.keyword_search > text", id="kw-none"),
    pytest.param(lambda: engine().create_contact("+1", first_name=None), ArgumentError,
                 "Engine.create_contact > first_name", id="create-none-name"),
    pytest.param(lambda: engine().followup("nope"), ArgumentError, "Engine.followup > event: event must be one of",
                 id="followup-unknown"),
    pytest.param(lambda: engine().search("+1", variables={"Note": "a\udc80"}), ArgumentError,
                 "Engine > variables['Note']", id="variable-surrogate"),
    pytest.param(lambda: engine(api_key=None), ModelError, "Authentication > api_key: expected text, got None",
                 id="password-none"),
    pytest.param(lambda: engine(api_key="key\udcff"), ModelError, "api_key: character 4 is a lone surrogate",
                 id="password-surrogate"),
    pytest.param(lambda: Engine(None), ArgumentError, "Engine > template: template must be a Template", id="no-template"),
    pytest.param(lambda: hdkit.from_xml(None), ArgumentError, "from_xml > data", id="from-xml-none"),
    pytest.param(lambda: hdkit.from_xml("<Information Name='\ud800'/>"), XMLFormatError,
                 "line 1, column 20: a lone surrogate", id="from-xml-surrogate"),
    pytest.param(lambda: hdkit.load(None), ArgumentError, "load > path", id="load-none"),
    pytest.param(lambda: hdkit.load("a\0b.xml"), ArgumentError, "holds a NUL character", id="load-nul"),
    pytest.param(lambda: hdkit.save(None, "x.xml"), ArgumentError, "save > template", id="save-none"),
    pytest.param(lambda: hdkit.to_xml(None), ArgumentError, "to_xml > template", id="to-xml-none"),
    pytest.param(lambda: hdkit.validate("desk.xml"), ArgumentError, "validate > template: template must be a "
                 "Template (hdkit.load, from_xml or samples.load), got str", id="validate-a-path"),
    pytest.param(lambda: hdkit.lint(None, "json"), ArgumentError, "lint > source", id="lint-none"),
    pytest.param(lambda: hdkit.lint("{{.A}}", "xml"), ArgumentError, "kind must be one of", id="lint-kind"),
    pytest.param(lambda: hdkit.render_checked(None, {}, "json"), ArgumentError, "render_checked", id="render-none"),
    pytest.param(lambda: hdkit.render_safe("{{.A}}\ud800", {}, "json"), ArgumentError, "lone surrogate",
                 id="render-safe-surrogate"),
    pytest.param(lambda: hdkit.extract_records(None, {"a": "b"}), ArgumentError, "extract_records > json_text",
                 id="extract-none"),
    pytest.param(lambda: hdkit.extract_values("{}", "a"), ArgumentError, "paths must be a list", id="values-str"),
    pytest.param(lambda: hdkit.compile_path(None), ArgumentError, "compile_path > expr", id="path-none"),
    pytest.param(lambda: hdkit.gjson_get(None, "a"), ArgumentError, "gjson_get > json_text", id="gjson-none"),
    pytest.param(lambda: hdkit.TemplateLibrary().add(None), ArgumentError, "TemplateLibrary.add > template",
                 id="library-add-none"),
    pytest.param(lambda: hdkit.General(max_concurrent_requests=10**23), ModelError, "64-bit", id="model-int64"),
    pytest.param(lambda: Engine(TEMPLATE, INPUTS, timeout=float("nan")), ArgumentError,
                 "Engine > timeout: timeout must be more than 0, got nan", id="timeout-nan"),
    pytest.param(lambda: Engine(TEMPLATE, INPUTS, timeout=-1), ArgumentError, "timeout must be more than 0, got -1",
                 id="timeout-negative"),
    pytest.param(lambda: Engine(TEMPLATE, INPUTS, timeout="5"), ArgumentError, "timeout must be a number, got str",
                 id="timeout-text"),
    pytest.param(lambda: Engine(TEMPLATE, INPUTS, max_response_bytes=0), ArgumentError,
                 "Engine > max_response_bytes: max_response_bytes must be more than 0, got 0", id="cap-zero"),
    pytest.param(lambda: Engine(TEMPLATE, INPUTS, max_response_bytes=1.5), ArgumentError,
                 "max_response_bytes must be a whole number, got float", id="cap-float"),
]


@pytest.mark.parametrize(("call", "error", "words"), CASES)
def test_bad_arguments_are_hdkit_errors_naming_the_argument(call: Callable[[], Any], error: type, words: str) -> None:
    with pytest.raises(error) as caught:
        call()
    assert isinstance(caught.value, HdkitError) and words in str(caught.value)


def test_argument_errors_are_also_the_builtins_code_already_catches() -> None:
    with pytest.raises(ValueError):
        engine().call([])
    with pytest.raises(TypeError):
        engine().search(None)


def test_secrets_are_not_quoted_in_argument_errors() -> None:
    with pytest.raises(ModelError) as caught:
        engine(api_key="hunter2-secret\udcff")
    assert "hunter2" not in str(caught.value)


def test_save_into_a_missing_folder_names_the_file_not_a_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "desk.xml"
    with pytest.raises(FileError) as caught:
        hdkit.save(TEMPLATE, target)
    text = str(caught.value)
    assert text.startswith(f"{target}: cannot write the file: ") and f"the folder {target.parent} does not exist" in text
    assert ".tmp" not in text and caught.value.filename == str(target) and isinstance(caught.value, OSError)
