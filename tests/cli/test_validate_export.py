"""``hdkit validate`` and ``hdkit export``: problems with locations, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdkit.cli import Exit, main
from hdkit.yeastar_xml import load

import support

DATA = support.DATA / "templates"
GOOD = DATA / "example_desk_4_1.xml"

BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="helpdesk" Name="" Key="k" AuthType="none">
  <Scenarios>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Parameters><Parameter Name="URLFormat" Value="https://x/{{.ContactId}"/></Parameters>
    </Scenario>
  </Scenarios>
</Information>
"""


def test_validate_good_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOOD)]) == Exit.OK
    assert "0 error(s)" in capsys.readouterr().out


def test_validate_reports_every_error_with_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(BROKEN, encoding="utf-8")
    assert main(["validate", str(bad)]) == Exit.TEMPLATE
    err = capsys.readouterr().err
    assert "General > Helpdesk Name: line 2, column" in err and "Helpdesk Name is required" in err
    assert "Contact Search > Contact Types" in err
    assert "Contact Search > URL Format: line 1, column" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content, words",
    [
        pytest.param('<Information Name="a"b"/>', ["bad.xml: line 1, column", "malformed XML"], id="malformed"),
        pytest.param('<Information MaxConcurrentRequest="ten"/>', ["Max Concurrent Request", "'ten'"],
                     id="non-numeric"),
        pytest.param('<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "a"><!ENTITY b "&a;&a;">]>\n<Information Name="&b;"/>',
                     ["unsafe XML"], id="billion-laughs"),
        pytest.param('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                     '<Information Name="&e;"/>', ["unsafe XML"], id="external-entity"),
        pytest.param('<Information><Scenarios><Scenario Id="AuthMethod"><Parameters>\n' + "".join(
            f'<Parameter Father="CustomFieldList" Name="f{i}" Editor="string"/>' for i in range(6))
            + "</Parameters></Scenario></Scenarios></Information>", ["bad.xml", "line 2", "Custom Field 6"],
            id="6th-custom-field"),
        pytest.param('<Information><Scenarios><Scenario Id="AuthMethod"><Parameters>\n' + "".join(
            f'<Parameter Father="PopulateTemplateString" Type="Header" Name="X-{i}"/>' for i in range(21))
            + "</Parameters></Scenario></Scenarios></Information>", ["bad.xml", "line 2", "Header 21"],
            id="21st-header"),
        pytest.param('<Information\n Logo="logo.gif"/>', ["bad.xml", "line 1", "PNG, JPG, JPEG"], id="logo-format"),
    ],
)
def test_bad_input_file_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], content, words) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(content, encoding="utf-8")
    for command in (["validate", str(bad)], ["export", str(bad), "-o", str(tmp_path / "out.xml")]):
        assert main(command) == Exit.TEMPLATE
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "Traceback" not in err
        for word in words:
            assert word in err
    assert not (tmp_path / "out.xml").exists()


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "none.xml")]) == Exit.TEMPLATE
    assert "cannot read template file" in capsys.readouterr().err


def test_export_normalises_and_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.xml"
    assert main(["export", str(GOOD), "-o", str(out)]) == Exit.OK
    assert "exported" in capsys.readouterr().out
    assert load(out) == load(GOOD)


def test_export_refuses_while_errors_remain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out.xml"
    assert main(["export", str(bad), "-o", str(out)]) == Exit.TEMPLATE
    err = capsys.readouterr().err
    assert "not exported" in err and "Helpdesk Name is required" in err
    assert not out.exists()


def test_export_without_output_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", str(GOOD)])
    assert info.value.code == Exit.USAGE


@pytest.mark.parametrize(
    "output, words",
    [
        pytest.param("missing/dir/out.xml", ["missing/dir/out.xml", "No such file or directory"], id="no-folder"),
        pytest.param(".", ["cannot write .", "directory"], id="a-directory"),
    ],
)
def test_export_to_an_unwritable_place_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output: str, words: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(GOOD), "-o", output]) == Exit.TEMPLATE
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write") and "Traceback" not in err and ".tmp" not in err
    for word in words:
        assert word in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_validate_shows_a_hostile_files_control_characters_escaped(tmp_path: Path, capsys) -> None:
    """A template from elsewhere quoted in a problem: a C1 CSI or a bidi override is shown, not obeyed."""
    from hdkit import samples

    text = samples.text("keydesk").replace("phone={{UrlEncode .Phone}}", "phone={{UrlEncode .Phone}}{{.X\u009b31m\u202e}}", 1)
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(text, encoding="utf-8")
    assert main(["validate", str(hostile)]) == Exit.TEMPLATE
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert "bad character U+009B" in shown and "\\x9b31m\\u202e" in shown
    assert not any(c in shown for c in "\x9b\u202e")
