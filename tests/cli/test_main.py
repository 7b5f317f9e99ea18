"""The top-level ``hdkit`` command: every subcommand is wired and reachable."""

import pytest

from hdkit.cli import Exit, build_parser, main

import support


def test_every_subcommand_is_listed():
    text = build_parser().format_help()
    for command in ("validate", "export", "sandbox", "run", "auth", "demo"):
        assert command in text
    assert "integration templates" in text and "``" not in text  # says what hdkit is, in plain words


def test_no_command_prints_help_and_exits_usage(capsys):
    assert main([]) == Exit.USAGE
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

    from hdkit.cli.launchers import workbench_notebook

    path = workbench_notebook(tmp_path)
    assert path == tmp_path / "hdkit-workbench.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbrun.execute(nb, tmp_path, timeout=45)
    (output,) = nb.cells[-1].outputs
    assert "application/vnd.jupyter.widget-view+json" in output["data"]
    assert "description='Sample'" in output["data"]["text/plain"]  # the workbench's sample picker
    assert workbench_notebook(tmp_path) == path  # kept, not overwritten: nothing of the user's is lost


def test_version_is_the_packages_one(capsys):
    import hdkit

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"hdkit {hdkit.__version__}"


def test_the_module_runs_as_the_command():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "hdkit.cli", "validate", str(support.DATA / "nope.xml")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == Exit.TEMPLATE
    assert done.stderr.startswith("error: ") and "nope.xml" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("argv", "code", "said"), [
    pytest.param(["run", "no-such-template", "users"], Exit.TEMPLATE, "no template file or sample named",
                 id="engine-error-is-the-input-side"),
    pytest.param(["run", "freshdesk", "users", "--input", "nope"], Exit.TEMPLATE, "'nope' is not NAME=VALUE",
                 id="malformed-input"),
])
def test_an_error_that_ends_a_command_gets_its_code_from_the_one_table(capsys, argv, code, said):
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and said in err


def test_the_exit_table_puts_auth_and_helpdesk_failures_on_the_helpdesks_side():
    from hdkit.cli.exits import for_error
    from hdkit.errors import AuthError, EngineError, HelpdeskError, ModelError, ValidationFailed

    assert [for_error(e) for e in (AuthError("x"), HelpdeskError("x"))] == [Exit.HELPDESK] * 2
    assert [for_error(e) for e in (EngineError("x"), ModelError("x"), ValidationFailed("x", []))] \
        == [Exit.TEMPLATE] * 3
    assert [int(e) for e in Exit] == [0, 1, 2, 3, 4]
