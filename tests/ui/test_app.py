"""``hdkit app`` without a browser: the command it runs, the notebook it serves, the page it
builds, and the refusals (the page in a real browser is tests/browser/test_app.py)."""

from __future__ import annotations

import shlex
import socket
from pathlib import Path

import nbformat
import pytest

import support
from hdkit import samples
from hdkit.cli import main
from hdkit.ui.app import APP_CLASS, AppOptions, app_notebook, page


def _command(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["app", "--print-command", *args]) == 0
    return shlex.split(capsys.readouterr().out.strip().splitlines()[-1])


def test_serves_voila_on_loopback_without_code(capsys: pytest.CaptureFixture[str]) -> None:
    command = _command(capsys, "--port", "8899", "--no-browser")
    assert command[1:3] == ["-m", "voila"] and command[3].endswith("hdkit-app.ipynb")
    assert {"--Voila.ip=127.0.0.1", "--port=8899", "--Voila.port_retries=0", "--strip_sources=True",
            "--show_tracebacks=False", "--no-browser"} <= set(command)


def test_picks_a_free_port_and_opens_a_browser_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    command = _command(capsys)
    port = int(next(a for a in command if a.startswith("--port=")).split("=")[1])
    assert port > 0 and "--no-browser" not in command


@pytest.mark.parametrize(("content", "message"), [
    pytest.param(None, "--template {path}: no such file (or sample: " + ", ".join(samples.names()) + ")", id="missing"),
    pytest.param("<Information Name='x'>", "line 1", id="malformed"),
])
def test_refuses_a_template_it_cannot_open(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           content: str | None, message: str) -> None:
    path = tmp_path / "mine.xml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["app", "--print-command", "--template", str(path)]) == 1
    captured = capsys.readouterr()
    assert message.format(path=path) in captured.err and "voila" not in captured.out


@pytest.mark.parametrize("port", ["busy", "70000"])
def test_refuses_a_port_it_cannot_have_before_printing_a_url(capsys: pytest.CaptureFixture[str], port: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        number = str(taken.getsockname()[1]) if port == "busy" else port
        assert main(["app", "--print-command", "--port", number]) == 1
    captured = capsys.readouterr()
    reason = "the port is in use on 127.0.0.1" if port == "busy" else "a port is a number from 1 to 65535"
    assert f"--port {number}: {reason}" in captured.err and "http://" not in captured.out


def test_the_served_notebook_opens_the_template_in_the_users_folder(tmp_path: Path) -> None:
    mine = tmp_path / "mine.xml"
    mine.write_text(samples.text("keydesk"), encoding="utf-8")
    path = app_notebook(AppOptions(template="mine.xml", sandbox=False), tmp_path, tmp_path)
    (cell,) = nbformat.read(path, as_version=4).cells
    assert cell.source == (f"from hdkit.ui.app import page\npage({str(mine.resolve())!r}, sandbox=False, "
                           f"cwd={str(tmp_path)!r})")


def test_page_runs_the_sandbox_and_hands_the_demo_inputs_in_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(support.ROOT)  # page() moves to cwd; monkeypatch moves back
    root = page("zendesk", cwd=str(tmp_path))
    try:
        assert APP_CLASS in root._dom_classes
        bench = root.workbench
        assert bench.template.general.key == samples.load("zendesk").general.key
        given = samples.demo_inputs("zendesk", root.sandbox.url)
        assert bench.inputs.values() == given  # the secret stays in code, never in a widget
        assert not [w for w in bench.inputs.widgets.values() if w.value == given["client_secret"]]
        assert "Sandbox helpdesk" in root.children[2].value and root.sandbox.url in root.children[2].value
        assert Path.cwd() == tmp_path and bench.export_path.value == "zendesk-edited.xml"
        assert bench.sample_pick.value == "zendesk"  # the picker shows what is open
        bench.open_sample("keydesk")  # a sample opened later gets its own demo inputs too
        assert bench.inputs.values() == samples.demo_inputs("keydesk", root.sandbox.url)
    finally:
        root.sandbox.stop()


def test_page_opens_a_file_and_without_sandbox_asks_for_the_helpdesk(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(support.ROOT)
    mine = tmp_path / "mine.xml"
    mine.write_text(samples.text("freshdesk"), encoding="utf-8")
    root = page(str(mine), sandbox=False, cwd=str(tmp_path))
    assert root.sandbox is None and "No sandbox" in root.children[2].value
    assert root.workbench.inputs.values() == {} and root.workbench.export_path.value == "mine-edited.xml"
    assert "<style>" in root.children[0].value and "monospace" in root.children[0].value
