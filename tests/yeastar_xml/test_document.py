"""Parsing a template file (issue 12, item 11 and Low): what the file shows is what counts, and
a hostile file is one located error, never a traceback or a silent change."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdkit import limits
from hdkit.cli import Exit, main
from hdkit.errors import XMLFormatError
from hdkit.validate import validate
from hdkit.yeastar_xml import from_xml, to_xml
from support.hostile import variant

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
ROOT = ' MaxConcurrentRequest="10"'


def with_dtd(dtd: str, *replacements: tuple[str, str]) -> str:
    return variant("keydesk", (DECLARATION, f"{DECLARATION}\n{dtd}"), *replacements)


def test_dtd_attribute_defaults_are_ignored_and_said_with_their_line() -> None:
    """Item 11: an ATTLIST default must not add MaxConcurrentRequest="999" (or a hidden URL) that the
    file does not show: Go's encoding/xml, which the PBX reads with, ignores DTD defaults."""
    text = with_dtd('<!DOCTYPE Information [\n  <!ATTLIST Information MaxConcurrentRequest CDATA "999">\n'
                    '  <!ATTLIST Request URLFormat CDATA "https://evil.test/x">\n]>', (ROOT, ""))
    template = from_xml(text, source="desk.xml")
    assert template.general.max_concurrent_requests == limits.DEFAULT_MAX_CONCURRENT_REQUESTS
    assert all("evil.test" not in r.url for _, _, r in template.requests())
    warnings = [p for p in validate(template) if p.code.startswith("dtd")]
    assert [(p.code, p.location.line, p.location.source) for p in warnings] == [
        ("dtd", 2, "desk.xml"), ("dtd-default", 3, "desk.xml"), ("dtd-default", 4, "desk.xml")]
    assert "MaxConcurrentRequest='999'" in warnings[1].message and "ignored" in warnings[1].message
    assert "999" not in to_xml(template) and "DOCTYPE" not in to_xml(template)


def test_an_attribute_the_file_shows_wins_over_nothing() -> None:
    """Only the DTD's *defaults* are ignored: a value written in the element is read as always."""
    text = with_dtd('<!DOCTYPE Information [<!ATTLIST Information MaxConcurrentRequest CDATA "999">]>',
                    (ROOT, ' MaxConcurrentRequest="7"'))
    assert from_xml(text).general.max_concurrent_requests == 7


def nested(depth: int) -> str:
    return variant("keydesk", ("<Parameters />", "<Foo>" * depth + "</Foo>" * depth))


def test_five_thousand_nested_unknown_elements_are_one_located_error(tmp_path: Path, capsys) -> None:
    """Low: `validate` printed a RecursionError traceback for 5,000 nested unknown elements."""
    path = tmp_path / "deep.xml"
    path.write_text(nested(5000), encoding="utf-8")
    assert main(["validate", str(path)]) == Exit.TEMPLATE
    (line,) = capsys.readouterr().err.splitlines()[:1]
    assert line.startswith(f"error: {path}: line 3, column ") and "nested more than 100 levels deep" in line


def test_unknown_elements_a_little_nested_are_kept() -> None:
    text = nested(limits.MAX_XML_DEPTH - 10)  # <Parameters /> sits 2 to 6 levels deep
    assert to_xml(from_xml(text)).count("<Foo") == text.count("<Foo") == 4 * (limits.MAX_XML_DEPTH - 10)


@pytest.mark.parametrize("encoding", ["x-bogus", "utf-99", "ebcdic-martian"])
def test_an_unknown_encoding_is_one_located_error(encoding: str) -> None:
    """Low: an unknown XML encoding printed a LookupError traceback."""
    text = variant("keydesk", ('encoding="UTF-8"', f'encoding="{encoding}"')).encode("utf-8")
    with pytest.raises(XMLFormatError) as caught:
        from_xml(text, source="enc.xml")
    assert str(caught.value).startswith("enc.xml: line 1, column 1: ")
    assert "encoding" in caught.value.message and caught.value.hint


def test_a_template_over_the_size_cap_is_refused_before_parsing() -> None:
    big = b" " * (limits.MAX_TEMPLATE_BYTES + 1)
    with pytest.raises(XMLFormatError, match="over 5 MB"):
        from_xml(big, source="big.xml")
