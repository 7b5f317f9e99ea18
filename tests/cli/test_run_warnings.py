"""``hdkit run`` prints the injection warnings it knows (issue 12, Low).

A caller name that injects a field (``x", "admin": "1``) leaves the body valid JSON, so no
request fails and checked rendering finds nothing; the template's lint warning is then the
only sign, and ``run`` prints it.
"""

from __future__ import annotations

from pathlib import Path

from hdkit.cli import EXIT_OK, main
from support.hostile import variant

RAW_NAME = ('&quot;name&quot;: {{printf &quot;%q&quot; .DisplayName}}', '&quot;name&quot;: &quot;{{.DisplayName}}&quot;')


def test_run_prints_the_lint_warning_for_a_value_that_stays_valid_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "keydesk.xml"
    path.write_text(variant("keydesk", RAW_NAME), encoding="utf-8")
    code = main(["run", str(path), "create-contact", "--phone", "+14155550777", "--first-name", 'x", "admin": "1',
                 "--dry-run", "--input", "base_url=http://127.0.0.1:9/kd", "--input", "api_key=abcd"])
    err = capsys.readouterr().err
    assert code == EXIT_OK
    (line,) = err.splitlines()
    assert line.startswith("warning: Contact Creation") and "line 1, column 11: " in line
    assert ".DisplayName is printed inside a JSON string without escaping" in line
    assert 'fix: write {{printf "%q" .DisplayName}}' in err
