"""``hdkit run`` prints the warnings a run must not hide: injection (issue 12, Low) and what it runs
but the PBX may not (issue 8: a request the form does not offer, a value hdkit does not know).

A caller name that injects a field (``x", "admin": "1``) leaves the body valid JSON, so no
request fails and checked rendering finds nothing; the template's lint warning is then the
only sign, and ``run`` prints it.
"""

from __future__ import annotations

from pathlib import Path

from hdkit.cli import Exit, main
from support.hostile import variant

RAW_NAME = ('&quot;name&quot;: {{printf &quot;%q&quot; .DisplayName}}', '&quot;name&quot;: &quot;{{.DisplayName}}&quot;')


def test_run_prints_the_lint_warning_for_a_value_that_stays_valid_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "keydesk.xml"
    path.write_text(variant("keydesk", RAW_NAME), encoding="utf-8")
    code = main(["run", str(path), "create-contact", "--phone", "+14155550777", "--first-name", 'x", "admin": "1',
                 "--dry-run", "--input", "base_url=http://127.0.0.1:9/kd", "--input", "api_key=abcd"])
    err = capsys.readouterr().err
    assert code == Exit.OK
    (line,) = err.splitlines()
    assert line.startswith("warning: Contact Creation") and "line 1, column 11: " in line
    assert ".DisplayName is printed inside a JSON string without escaping" in line
    assert 'fix: write {{template "json" .DisplayName}} in place of {{.DisplayName}}' in err


def test_run_says_where_it_runs_what_the_pbx_may_not(tmp_path: Path, capsys) -> None:
    """Issue 8 item 3: a POST search with a body runs, and the run says the PBX's support for it is
    undocumented; a value hdkit does not know is named at its line (item 4)."""
    import support

    text = (support.DATA / "templates" / "corpus" / "hubspot_private_app_search.xml").read_text(encoding="utf-8")
    path = tmp_path / "hubspot.xml"
    path.write_text(text.replace('Value="retrieve_from_contact"', 'Value="iframe"'), encoding="utf-8")
    code = main(["run", str(path), "search", "--phone", "+14155550123", "--dry-run",
                 "--input", "base_url=http://127.0.0.1:9/hs", "--input", "api_token=abcd"])
    err = capsys.readouterr().err
    assert code == Exit.OK
    assert (f"warning: {path}: Contact Search > Contact Type 1 > Request Body: line 45, column 9: a POST contact "
            "search with a request body: the product form does not offer this; hdkit runs it as written, but whether "
            "the PBX does is undocumented") in err.splitlines()
    assert (f"warning: {path}: Contact Search > Contact Popup URL: line 33, column 9: 'iframe' is not a value hdkit "
            "knows for Contact Popup URL") in err
