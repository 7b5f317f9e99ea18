"""The top-level ``hdkit`` command: every subcommand is wired and reachable."""

import pytest

from hdkit.cli import EXIT_USAGE, build_parser, main

import support


def test_every_subcommand_is_listed():
    text = build_parser().format_help()
    for command in ("validate", "export", "sandbox", "run", "auth", "demo"):
        assert command in text


def test_no_command_prints_help_and_exits_usage(capsys):
    assert main([]) == EXIT_USAGE
    assert "COMMAND" in capsys.readouterr().out


def test_sandbox_subcommand_parses_its_own_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["sandbox", "--help"])
    assert exit_info.value.code == 0
    assert "--port" in capsys.readouterr().out


def test_workbench_opens_the_walkthrough_in_jupyterlab_on_loopback(capsys, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(support.ROOT)
    assert main(["workbench", "--print-command", "--no-browser"]) == 0
    command = capsys.readouterr().out
    assert "-m jupyterlab --ServerApp.ip=127.0.0.1" in command
    assert "notebooks/01-workbench.ipynb --no-browser" in command


def test_workbench_outside_a_checkout_writes_a_notebook_that_runs(tmp_path, monkeypatch):
    """The fresh notebook is executed for real: it must show the workbench on the sandbox."""
    import nbformat
    from support import notebooks as nbrun

    from hdkit.cli import workbench_notebook

    path = workbench_notebook(tmp_path)
    assert path == tmp_path / "hdkit-workbench.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbrun.execute(nb, tmp_path, timeout=45)
    (output,) = nb.cells[-1].outputs
    assert "application/vnd.jupyter.widget-view+json" in output["data"]
    assert "description='Sample'" in output["data"]["text/plain"]  # the workbench's sample picker
    assert workbench_notebook(tmp_path) == path  # kept, not overwritten: nothing of the user's is lost
