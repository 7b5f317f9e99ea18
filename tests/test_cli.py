"""The top-level ``hdkit`` command: every subcommand is wired and reachable."""

import pytest

from hdkit.cli import EXIT_USAGE, build_parser, main


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
