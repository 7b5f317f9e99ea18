"""Suite 3 of issue 12: a bad input corpus (figure: cases, uncaught exceptions, errors without a
location, runs over 10 s).

Hostile XML files, template strings, GJSON/JSONPath paths, JSON bodies, numbers, file kinds and
Python API arguments go through what a user calls: ``hdkit validate`` and ``hdkit export``
(:func:`hdkit.cli.main`), :func:`hdkit.load` / :func:`hdkit.from_xml`, :func:`hdkit.validate`,
export and re-import, and the Engine's dry run. Most families are generated with hypothesis
(derandomized, so every CI run tries the same cases); file kinds and API arguments are tables.
Each case may succeed or raise an :class:`~hdkit.errors.HdkitError` that says where; anything
else, an error or problem that says nowhere, or a traceback on the terminal is counted, and
every count must be 0 (:class:`support.figures.BadInputFigure`). Time is measured per case
and reported; only a deadline far above CI noise fails a test.
"""

from __future__ import annotations

import io
import os
import re
import socket
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hdkit
from hdkit import samples
from hdkit.cli import main
from hdkit.engine import Engine
from hdkit.validate import validate
from hdkit.yeastar_xml import from_xml, load, to_xml
from support.figures import BAD_INPUT

SAMPLES = ("keydesk", "freshdesk", "zendesk", "zoho")
TEXTS = {name: samples.text(name) for name in SAMPLES}
SETTINGS = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def family_count(family: str) -> int:
    return BAD_INPUT.by_family.get(family, 0)


@contextmanager
def counted(family: str, at_least: int) -> Iterator[None]:
    """The figure's invariants for one family: its share of cases, and nothing uncaught,
    unlocated or slow among them (so a wrong figure is also a failed test)."""
    before = (family_count(family), BAD_INPUT.uncaught, BAD_INPUT.unlocated, BAD_INPUT.slow)
    yield
    after = (family_count(family), BAD_INPUT.uncaught, BAD_INPUT.unlocated, BAD_INPUT.slow)
    assert after[0] - before[0] >= at_least
    flagged = [r for r in BAD_INPUT.rows if r.split(" ", 1)[0] in ("UNCAUGHT", "UNLOCATED", "SLOW")]
    assert after[1:] == before[1:], flagged[-5:]


def read_and_use(family: str, case: str, data: str | bytes) -> None:
    """What a user does with a file: import it, validate it, export it and import the export."""

    def steps() -> None:
        template = from_xml(data, source="hostile.xml")
        problems = validate(template)
        BAD_INPUT.check_problems(family, case, problems)
        again = from_xml(to_xml(template), source="exported.xml")
        BAD_INPUT.check_problems(family, case, validate(again))

    BAD_INPUT.run(family, case, steps)


def cli(family: str, case: str, argv: list[str], *places: str) -> int | None:
    """``hdkit ARGV`` in process, its terminal output checked (no traceback; errors say where)."""
    out, err = io.StringIO(), io.StringIO()

    def call() -> int:
        with redirect_stdout(out), redirect_stderr(err):
            return main(argv)

    code = BAD_INPUT.run(family, case, call)
    BAD_INPUT.check_lines(family, case, err.getvalue() + out.getvalue(), places)
    return code


def dry_run(family: str, case: str, template: Any, sample: str, phone: str = "+14155550123",
            name: str = "Ann") -> None:
    """The Engine's dry run of a call and a search: every request rendered, none sent."""

    def call() -> None:
        engine = Engine(template, samples.demo_inputs(sample, "http://127.0.0.1:9"), dry_run=True)
        engine.call(engine.event("inbound-answered", phone, contact_name=name))
        engine.search(phone)
        engine.create_contact(phone, first_name=name)

    BAD_INPUT.run(family, case, call)


# --------------------------------------------------------------------------- hostile XML

SNIPPETS = [
    "&", "<", ">", '"', "'", "\x00", "\x1b[2J", "]]>", "<!--", "-->", "<![CDATA[x]]>", "&#0;", "&#x110000;",
    "&lol;", "&amp;amp;", '<!DOCTYPE x [<!ENTITY a "b">]>', '<!DOCTYPE Information [<!ATTLIST Request Method CDATA "DELETE">]>',
    "<?xml version='1.0'?>", "<?pi data?>", "\u2028", "\ufeff", "\ud7ff", "A" * 20_000, "<Scenario Id='AuthMethod'/>",
    "<Request/>", "<Output Name='' Path='#..#'/>", "<Parameter Father='CustomFieldList' Name='x' Editor='password' Value='pw'/>",
    "<Foo>" * 300, "</Information>", "<Information>", " xmlns:a='urn:x' a:b='c'", " MaxConcurrentRequest='1e9'",
    "{{", "}}", "{{.Phone", "{{define \"x\"}}", "\U0001F600",
]
BAD_BYTES = [b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\x00\x00", b"\xef\xbb\xbf", b"\x80\x80\x80"]


@st.composite
def hostile_xml(draw: st.DrawFn) -> tuple[str, bytes]:
    sample = draw(st.sampled_from(SAMPLES))
    data = TEXTS[sample].encode("utf-8")
    op = draw(st.sampled_from(["truncate", "insert", "bytes", "replace", "repeat", "attribute"]))
    at = draw(st.integers(0, len(data)))
    if op == "truncate":
        data = data[:at]
    elif op == "insert":
        data = data[:at] + draw(st.sampled_from(SNIPPETS)).encode("utf-8", "surrogatepass") + data[at:]
    elif op == "bytes":
        data = data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]
    elif op == "replace":
        end = min(len(data), at + draw(st.integers(1, 200)))
        data = data[:at] + draw(st.binary(max_size=40)) + data[end:]
    elif op == "repeat":
        end = min(len(data), at + draw(st.integers(1, 2000)))
        data = data[:end] + data[at:end] * draw(st.integers(2, 50)) + data[end:]
    else:  # an attribute value swapped for hostile text
        values = [m.span(1) for m in re.finditer(rb'="([^"]*)"', data)]
        start, end = draw(st.sampled_from(values))
        data = data[:start] + draw(st.text(max_size=60)).encode("utf-8", "surrogatepass") + data[end:]
    return f"{sample}-{op}@{at}", data


@settings(SETTINGS, max_examples=120)
@given(hostile_xml())
def test_hostile_xml_files(case: tuple[str, bytes]) -> None:
    name, data = case
    with counted("xml", 1):
        read_and_use("xml", name, data)


@settings(SETTINGS, max_examples=40)
@given(hostile_xml())
def test_hostile_xml_files_through_the_cli(tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]) -> None:
    name, data = case
    folder = tmp_path_factory.mktemp("cli")
    path, out = folder / "desk.xml", folder / "out.xml"
    path.write_bytes(data)
    with counted("xml-cli", 2):
        cli("xml-cli", f"validate {name}", ["validate", str(path)], str(path))
        cli("xml-cli", f"export {name}", ["export", str(path), "-o", str(out)], str(path), str(out))


# --------------------------------------------------------------------------- template strings

FRAGMENTS = [
    "{{", "}}", "{{-", "-}}", ".", ".Phone", ".FirstName", ".api_key", "$", "$x", ":=", "=", "|", "(", ")", '"', "'",
    "`", "\\", "printf", '"%q"', "js", "html", "urlquery", "UrlEncode", "TimeFormat", "ToMillis", "Capitalize", "len",
    "index", "slice", "if", "else", "end", "range", "with", "define", '"json"', "template", "block", "break", "nil",
    "true", "1", "-1", "0x1F", "1e308", "'a'", " ", "\n", "\t", "/*", "*/", "{", "}", "[", "]", ":", ",", "?", "&",
    "#", "/", "%", "é", "😀", "\x01", "\u2028",
]
PLACES = {
    "url": re.compile(r'(URLFormat=")([^"]*)(")'),
    "body": re.compile(r'(Type="Body" Value=")([^"]*)(")'),
    "header": re.compile(r'(Type="Header" Value=")([^"]*)(")'),
}


def attribute(text: str) -> str:
    return escape(text, {'"': "&quot;", "\n": "&#10;", "\t": "&#9;", "\r": "&#13;"})


@st.composite
def hostile_templates(draw: st.DrawFn) -> tuple[str, str, str]:
    sample = draw(st.sampled_from(SAMPLES))
    place = draw(st.sampled_from([p for p, rx in PLACES.items() if rx.search(TEXTS[sample])]))
    source = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=30)))
    if draw(st.booleans()):  # or a near miss of a real value
        original = PLACES[place].search(TEXTS[sample]).group(2)
        at = draw(st.integers(0, len(original)))
        source = original[:at] + source + original[at:]
    text = PLACES[place].sub(lambda m: m.group(1) + attribute(source) + m.group(3), TEXTS[sample], count=1)
    return sample, f"{sample}-{place}", text


@settings(SETTINGS, max_examples=70)
@given(hostile_templates())
def test_hostile_template_strings(case: tuple[str, str, str]) -> None:
    sample, name, text = case
    with counted("templates", 2):
        read_and_use("templates", name, text)
        template = BAD_INPUT.run("templates", f"{name} load", lambda: from_xml(text))
        if template is not None:
            dry_run("templates", f"{name} dry-run", template, sample)
        else:
            BAD_INPUT.run("templates", f"{name} refused", lambda: None)


# --------------------------------------------------------------------------- paths and bodies

PATH_PIECES = ["data", "#", ".", "*", "?", "@this", "@reverse", "|", "..", "[", "]", "(", ")", "==", "!=", "%", "!%",
               '"', "\\", "{", "}", ",", ":", "$", "$.", "$..", "[?(@.a)]", "0", "-1", "99999999999", "id", "é", " "]
DOCUMENTS = [
    '{"data": [{"id": 1, "name": "Ann"}]}', "[" * 5000 + "]" * 5000, '{"a": ' * 3000 + "1" + "}" * 3000,
    '{"data": [1, 2, 3]', "not json", "", '{"a": NaN}', '{"a": 1e999}', '{"a": "\\ud800"}', '{"a": 1, "a": 2}',
    '"' + "x" * 100_000 + '"', '{"data": [' + ",".join(['{"id": %d}' % i for i in range(2000)]) + "]}",
]


@settings(SETTINGS, max_examples=60)
@given(st.sampled_from(SAMPLES), st.lists(st.sampled_from(PATH_PIECES), min_size=1, max_size=12).map("".join),
       st.sampled_from(DOCUMENTS))
def test_hostile_paths_and_bodies(sample: str, path: str, document: str) -> None:
    text = re.sub(r'(<Output Name="[^"]*" Path=")([^"]*)(")', lambda m: m.group(1) + attribute(path) + m.group(3),
                  TEXTS[sample], count=1)
    with counted("paths", 2):
        read_and_use("paths", f"{sample} {path!r}", text)
        BAD_INPUT.run("paths", f"extract {path!r}", lambda: hdkit.extract_values(document, [path]))
        BAD_INPUT.run("bodies", f"records {path!r}", lambda: hdkit.extract_records(document, {"x": path, "y": "data"}))


@settings(SETTINGS, max_examples=30)
@given(st.sampled_from(SAMPLES), st.one_of(
    st.sampled_from(['{"a": ' * 400 + "1" + "}" * 400, "[" * 250 + "]" * 250, '{"a": {{.Phone}},}', "{,}", '{"a":}',
                     '{"' + "k" * 5000 + '": 1}', "{{if .A}}{{end}}" * 3000, '{"a": "' + "{{.FirstName}}" * 12_000 + '"}']),
    st.text(alphabet='{}[]":,{{.}}\\ \n1anulltrue', max_size=80)))
def test_hostile_request_bodies(sample: str, body: str) -> None:
    text = PLACES["body"].sub(lambda m: m.group(1) + attribute(body) + m.group(3), TEXTS[sample], count=1)
    with counted("bodies", 1):
        read_and_use("bodies", f"{sample} body", text)


# --------------------------------------------------------------------------- numbers

NUMBER_ALPHABET = string.digits + "+-_ .eExX,\t\u0660\u0665\u06f5\u0966\uff15\u00b2\u2155\u3007\u00a0\u2028"


@settings(SETTINGS, max_examples=60)
@given(st.sampled_from(SAMPLES), st.sampled_from(["MaxConcurrentRequest", "RefreshTokenInterval", "switch"]),
       st.one_of(st.text(alphabet=NUMBER_ALPHABET, max_size=30),
                 st.integers(-(2**70), 2**70).map(str), st.sampled_from(["5_0", "1" + "0" * 23, "true", "yes"])))
def test_hostile_numbers(sample: str, where: str, value: str) -> None:
    text = TEXTS[sample]
    if where == "MaxConcurrentRequest":
        text = re.sub(r'MaxConcurrentRequest="[^"]*"', f'MaxConcurrentRequest="{attribute(value)}"', text)
    elif where == "switch":
        text = re.sub(r'UserAssociation="[^"]*"', f'UserAssociation="{attribute(value)}"', text)
    else:
        text = re.sub(r'(Name="RefreshTokenInterval" Value=")[^"]*', lambda m: m.group(1) + attribute(value), text)
    with counted("numbers", 1):
        read_and_use("numbers", f"{sample} {where}={value!r}", text)


# --------------------------------------------------------------------------- file kinds


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.xml")
    return folder / "pipe.xml"


def _socket(folder: Path) -> Path:
    path = folder / "sock.xml"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()
    return path


def _sparse(folder: Path) -> Path:
    with open(folder / "huge.xml", "wb") as fh:
        fh.truncate(1 << 30)
    return folder / "huge.xml"


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name
    return make


def _link(target: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "link.xml").symlink_to(target)
        return folder / "link.xml"
    return make


def _logo(name: str, data: bytes | None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "desk.xml").write_text(TEXTS["keydesk"].replace('Logo=""', f'Logo="{attribute(name)}"'), "utf-8")
        if data is not None:
            (folder / "logo.png").write_bytes(data)
        return folder / "desk.xml"
    return make


KEYDESK = TEXTS["keydesk"]
FILES: list[tuple[str, Callable[[Path], Path]]] = [
    ("dev-zero", lambda f: Path("/dev/zero")), ("dev-null", lambda f: Path("/dev/null")),
    ("dev-urandom", lambda f: Path("/dev/urandom")), ("fifo", _fifo), ("socket", _socket),
    ("directory", lambda f: f), ("missing", lambda f: f / "missing.xml"), ("missing-folder", lambda f: f / "no/x.xml"),
    ("sparse-1gb", _sparse), ("empty", _write("e.xml", b"")), ("nul-bytes", _write("z.xml", b"\0" * 4096)),
    ("random-binary", _write("r.xml", bytes(range(256)) * 64)), ("gzip", _write("g.xml", b"\x1f\x8b\x08\x00" + b"\0" * 64)),
    ("utf16", _write("u16.xml", KEYDESK.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))),
    ("utf16-no-declaration", _write("u16n.xml", KEYDESK.encode("utf-16"))), ("latin1", _write("l1.xml", KEYDESK.replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("KeyDesk", "KéyDesk").encode("latin-1"))),
    ("bom-utf8", _write("bom.xml", b"\xef\xbb\xbf" + KEYDESK.encode())), ("json", _write("j.xml", b'{"a": 1}')),
    ("html", _write("h.xml", b"<html><body>hi</body></html>")), ("dangling-link", _link("/nonexistent/target.xml")),
    ("link-to-dir", _link("/")), ("link-loop", lambda f: (f / "loop.xml").symlink_to(f / "loop.xml") or f / "loop.xml"),
    ("name-too-long", lambda f: f / ("n" * 300 + ".xml")), ("non-utf8-name", lambda f: _write(os.fsdecode(b"\xff\xfe.xml"),
                                                                                            KEYDESK.encode())(f)),
    ("logo-empty", _logo("logo.png", b"")), ("logo-huge", _logo("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 600_000)),
    ("logo-not-png", _logo("logo.png", b"GIF89a" + b"\0" * 64)), ("logo-name-5000", _logo("a" * 5000 + ".png", None)),
    ("logo-path", _logo("../../etc/passwd.png", None)), ("logo-dir", lambda f: (f / "logo.png").mkdir() or _logo(
        "logo.png", None)(f)),
]


@pytest.mark.parametrize(("kind", "make"), FILES, ids=[k for k, _ in FILES])
def test_file_kinds(tmp_path: Path, kind: str, make: Callable[[Path], Path]) -> None:
    """Devices, pipes, sockets, directories, sparse giants, wrong encodings, links and logos: read
    through load() and hdkit validate/export, each refused at once with its name, or read."""
    path = make(tmp_path)
    shown = str(path).encode("utf-8", "backslashreplace").decode()
    with counted("files", 3):  # an error names the file, or the logo file beside it
        BAD_INPUT.run("files", f"load {kind}", lambda: load(path))
        cli("files", f"validate {kind}", ["validate", str(path)], shown, str(tmp_path))
        cli("files", f"export {kind}", ["export", str(path), "-o", str(tmp_path / "out" / "x.xml")], shown,
            str(tmp_path))


OUTPUTS: list[tuple[str, Callable[[Path], Path]]] = [
    ("to-dev-null", lambda f: Path("/dev/null")), ("to-directory", lambda f: f), ("to-fifo", _fifo),
    ("to-missing-folder", lambda f: f / "no" / "x.xml"), ("to-dangling-link", _link("/nonexistent/x.xml")),
    ("to-name-too-long", lambda f: f / ("n" * 300 + ".xml")), ("to-root-file", lambda f: Path("/proc/version")),
]


@pytest.mark.parametrize(("kind", "make"), OUTPUTS, ids=[k for k, _ in OUTPUTS])
def test_export_destinations(tmp_path: Path, kind: str, make: Callable[[Path], Path]) -> None:
    source = tmp_path / "desk.xml"
    source.write_text(KEYDESK, "utf-8")
    out = make(tmp_path)
    with counted("files", 2):
        cli("files", f"export {kind}", ["export", str(source), "-o", str(out)], str(out))
        BAD_INPUT.run("files", f"save {kind}", lambda: hdkit.save(from_xml(KEYDESK), out))


# --------------------------------------------------------------------------- Python API arguments

HOSTILE_VALUES = [None, 5, 3.5, b"bytes", "\ud800", "", [], {}, object()]
TEMPLATE = samples.load("keydesk")


def _engine() -> Engine:
    return Engine(TEMPLATE, samples.demo_inputs("keydesk", "http://127.0.0.1:9"), dry_run=True)


ENTRY_POINTS: dict[str, Callable[[Any], Any]] = {
    "from_xml": hdkit.from_xml, "load": hdkit.load, "validate": hdkit.validate, "to_xml": hdkit.to_xml,
    "save": lambda v: hdkit.save(TEMPLATE, v), "lint": lambda v: hdkit.lint(v, "json"),
    "render_checked": lambda v: hdkit.render_checked(v, {}, "json"), "compile_path": hdkit.compile_path,
    "gjson_get": lambda v: hdkit.gjson_get(v, "a"), "extract_values": lambda v: hdkit.extract_values("{}", v),
    "Engine": lambda v: Engine(v), "Engine.inputs": lambda v: Engine(TEMPLATE, {"api_key": v}),
    "search": lambda v: _engine().search(v), "keyword_search": lambda v: _engine().keyword_search(v),
    "create_contact": lambda v: _engine().create_contact("+1", first_name=v), "call": lambda v: _engine().call(v),
    "followup": lambda v: _engine().followup(v), "library.add": lambda v: hdkit.TemplateLibrary().add(v),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_python_api_arguments(entry: str) -> None:
    """None, numbers, bytes, a lone surrogate, empty and odd objects where each call takes text,
    a path, a template or events: a located hdkit error (or a result), never a builtin's."""
    call = ENTRY_POINTS[entry]
    with counted("api", len(HOSTILE_VALUES)):
        for value in HOSTILE_VALUES:
            BAD_INPUT.run("api", f"{entry}({value!r})", lambda: call(value))


# --------------------------------------------------------------------------- dry runs with hostile values

HOSTILE_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ["", "\ud800", "\x00", "+" * 5000, '"}, "admin": true, "x": "', "{{.api_key}}", "\x1b]0;pwned\x07", "\u202e"])


@settings(SETTINGS, max_examples=50)
@given(st.sampled_from(SAMPLES), HOSTILE_TEXT, HOSTILE_TEXT)
def test_dry_runs_with_hostile_phones_and_names(sample: str, phone: str, name: str) -> None:
    with counted("dry-run", 1):
        dry_run("dry-run", f"{sample} phone={phone[:20]!r} name={name[:20]!r}", samples.load(sample), sample,
                phone, name)
