"""Reading a template's values and files as the PBX would (issue 12, Low): numbers and switches
as Go reads them, files read within their limits, secrets in what hdkit keeps unread."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from hdkit import limits
from hdkit.errors import LimitError, XMLFormatError
from hdkit.validate import validate
from hdkit.yeastar_xml import from_xml, load, to_xml
from hdkit.yeastar_xml.spelling import go_flag, go_int
from support.hostile import variant
from support.images import png

ROOT = ' MaxConcurrentRequest="10"'


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("10", 10, id="plain"),
        pytest.param(" 7\t", 7, id="trimmed-as-go-trims"),
        pytest.param("+5", 5, id="plus-sign"),
        pytest.param("-3", -3, id="minus-sign"),
        pytest.param("007", 7, id="leading-zeros"),
        pytest.param(str(2**63 - 1), 2**63 - 1, id="int64-max"),
        pytest.param(str(-(2**63)), -(2**63), id="int64-min"),
    ],
)
def test_numbers_go_reads(text: str, value: int) -> None:
    assert go_int(text) == value


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("5_0", "digits 0-9", id="underscore"),
        pytest.param("\u0665\u0660", "digits 0-9", id="arabic-indic"),
        pytest.param("\uff15", "digits 0-9", id="fullwidth"),
        pytest.param("1" + "0" * 23, "64-bit", id="ten-to-the-23"),
        pytest.param(str(2**63), "64-bit", id="int64-max-plus-one"),
        pytest.param("5.0", "digits 0-9", id="decimal"),
        pytest.param("0x10", "digits 0-9", id="hex"),
        pytest.param("1e3", "digits 0-9", id="exponent"),
        pytest.param("- 5", "digits 0-9", id="split-sign"),
    ],
)
def test_numbers_go_refuses_are_refused_with_the_line(text: str, says: str) -> None:
    """Python's int() took "5_0" as 50, Arabic-Indic digits and 10^23; Go's strconv.ParseInt does not."""
    with pytest.raises(ValueError, match=says):
        go_int(text)
    xml = variant("keydesk", (ROOT, f' MaxConcurrentRequest="{text}"'))
    with pytest.raises(XMLFormatError) as caught:
        from_xml(xml, source="n.xml")
    assert str(caught.value).startswith("n.xml: General > Max Concurrent Request: line 2, column 1: ")
    assert says in caught.value.message


def test_a_setting_number_is_read_like_go_too() -> None:
    text = variant("keydesk", ('<Parameter Name="RefreshTokenInterval" Value=""',
                               '<Parameter Name="RefreshTokenInterval" Value="2_5"'))
    with pytest.raises(XMLFormatError, match="RefreshTokenInterval must be a whole number, got '2_5'"):
        from_xml(text)


@pytest.mark.parametrize(
    ("value", "on", "warned"),
    [
        pytest.param("1", True, False, id="1"),
        pytest.param("0", False, False, id="0"),
        pytest.param("", False, False, id="blank"),
        pytest.param("true", True, True, id="true"),
        pytest.param("TRUE", True, True, id="TRUE"),
        pytest.param("t", True, True, id="t"),
        pytest.param("False", False, True, id="False"),
        pytest.param("yes", False, True, id="yes"),
        pytest.param("2", False, True, id="2"),
    ],
)
def test_a_switch_is_read_as_go_reads_it_and_warned_when_not_0_or_1(value: str, on: bool, warned: bool) -> None:
    """UserAssociation="true" silently meant off; now it is on (Go's ParseBool), said with the line,
    and written back as the file spelled it."""
    text = variant("keydesk", ('UserAssociation="1"', f'UserAssociation="{value}"'))
    template = from_xml(text, source="s.xml")
    assert template.user_association.enabled is on
    notes = [p for p in validate(template) if p.code == "switch-value"]
    assert [(p.location.section, p.location.line) for p in notes] == ([("User Association", 2)] if warned else [])
    if warned:
        assert f"UserAssociation={value!r}" in notes[0].message
    assert f'UserAssociation="{value}"' in to_xml(template) or (value == "" and not on)
    assert go_flag(value) is (None if value in ("yes", "2") else on)


# --------------------------------------------------------------------------- files


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.xml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(lambda p: Path("/dev/zero"), "a character device", id="dev-zero"),
        pytest.param(_fifo, "a named pipe", id="fifo-nobody-writes"),
        pytest.param(lambda p: p, "a directory", id="directory"),
    ],
)
def test_load_refuses_what_is_not_a_file_without_reading_it(tmp_path: Path, make, what: str) -> None:
    """load("/dev/zero") ate 7.5 GB and load(FIFO) blocked; both are refused at once, named."""
    path = make(tmp_path)
    done: list[BaseException] = []
    worker = threading.Thread(target=lambda: _catch(done, path), daemon=True)
    worker.start()
    worker.join(20)  # generous: the refusal takes milliseconds; a blocked open never returns
    assert done, f"load({path}) did not return"
    (err,) = done
    assert isinstance(err, XMLFormatError) and err.message == f"cannot read template file: it is {what}, not a file"
    assert err.location.source == str(path)


def _catch(done: list[BaseException], path: Path) -> None:
    try:
        load(path)
    except BaseException as err:  # noqa: BLE001 - handed to the test thread
        done.append(err)


def test_load_reads_at_most_one_byte_past_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    with open(path, "wb") as fh:
        fh.truncate(limits.MAX_TEMPLATE_BYTES * 20)  # sparse: 100 MB that costs no disk
    with pytest.raises(XMLFormatError, match=r"over 5 MB; a template is a few KB \(hdkit.limits.MAX_TEMPLATE_BYTES\)"):
        load(path)


def _with_logo(tmp_path: Path, name: str, data: bytes | None) -> Path:
    path = tmp_path / "desk.xml"
    path.write_text(variant("keydesk", ('Logo=""', f'Logo="{name}"')), encoding="utf-8")
    if data is not None:
        (tmp_path / name).write_bytes(data)
    return path


def test_an_empty_logo_file_is_refused(tmp_path: Path) -> None:
    """A 0-byte PNG passed as a logo."""
    with pytest.raises(LimitError) as caught:
        load(_with_logo(tmp_path, "logo.png", b""))
    assert "empty file" in caught.value.message and caught.value.location.source == str(tmp_path / "logo.png")


def test_a_huge_logo_is_refused_after_reading_the_limit(tmp_path: Path) -> None:
    path = _with_logo(tmp_path, "logo.png", None)
    with open(tmp_path / "logo.png", "wb") as fh:
        fh.write(png())
        fh.truncate(1 << 30)  # 1 GB, sparse
    with pytest.raises(LimitError, match="over 500 KB"):
        load(path)


def test_a_logo_name_longer_than_a_file_name_is_one_located_error(tmp_path: Path) -> None:
    """A 5,000-character logo name gave an OSError traceback (File name too long)."""
    name = "a" * 5000 + ".png"
    with pytest.raises(LimitError) as caught:
        load(_with_logo(tmp_path, name, None))
    assert caught.value.location.line == 2 and "at most 255" in caught.value.message


# --------------------------------------------------------------------------- secrets kept unread

SECRETS = ('<Parameters />\n  <Scenarios>', '<Parameters />\n  <Vault ApiKey="sk-live-1" X-Auth-Token="tok-2" '
           'Note="hello"><AuthToken>tok-3</AuthToken><Parameter Name="client_secret" Value="cs-4"/></Vault>\n'
           '  <Scenarios>')
REQUEST = ('<Request Name="Contacts"', '<Request Name="Contacts" ApiKey="sk-5" SessionId="ses-6"')


def test_secrets_in_unknown_attributes_and_elements_are_dropped_or_warned_with_their_line() -> None:
    """A credential name (ApiKey, AuthToken, client_secret) is dropped like a pasted password; a name
    that only looks secret (X-Auth-Token, SessionId) is exported as written, with a warning."""
    template = from_xml(variant("keydesk", SECRETS, REQUEST), source="v.xml")
    found = {(p.code, p.location.field, p.location.line) for p in validate(template)
             if p.code in ("secret-dropped", "secret-kept")}
    assert found == {("secret-dropped", "ApiKey", 4), ("secret-kept", "X-Auth-Token", 4),
                     ("secret-dropped", "AuthToken", 4), ("secret-dropped", "client_secret", 4),
                     *{("secret-dropped", "ApiKey", line) for line in (61, 98)},  # search and creation
                     *{("secret-kept", "SessionId", line) for line in (61, 98)}}
    exported = to_xml(template)
    assert [s for s in ("sk-live-1", "tok-3", "cs-4", "sk-5") if s in exported] == []
    assert all(s in exported for s in ("tok-2", "ses-6", "hello"))
