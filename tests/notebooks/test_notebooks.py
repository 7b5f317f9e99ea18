"""Every notebook, executed headlessly with pytest-notebook's runner, each against its own sandbox.

Three kinds of checks:

- **Regression**: the outputs must equal the stored ones, volatile parts (ports, OAuth state,
  how many pages were fetched ahead) masked with pytest-notebook's ``diff_replace`` and
  ``diff_ignore`` (``support.notebooks.MASKS``/``IGNORE``). A change in what a notebook shows
  fails until the outputs are regenerated on purpose:
  ``.venv/bin/python -m pytest tests/notebooks --nb-force-regen``.
- **What each step teaches**: named cells' outputs hold the values that matter (DataFrame
  shapes and rows, stop reasons, located errors, the exported XML), asserted on the new run.
- **Hygiene**: no demo secret or sandbox token in any output (new or stored), no stored widget
  state, every notebook has its marked "your helpdesk" cell and uses only hdkit's public API.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from support import notebooks as nbrun

import support
from hdkit.sandbox.accounts import AGENT_COUNT, DEMO, secret_values
from support.leaks import TALLY

NOTEBOOKS = support.NOTEBOOKS
NAMES = (NB01, NB02, NB03, NB04, NB05, NB06, NB07, NB08, NB09, NB10) = (
    "01-workbench", "02-quick-start", "03-template-from-scratch", "04-oauth2-helpdesk",
    "05-user-sync-and-extensions", "06-contact-search-and-popup", "07-call-simulation",
    "08-import-lint-fix-export", "09-run-and-debug", "10-faithful-rendering",
)
CELL_TIMEOUT_S = 60
PUBLIC = {"hdkit", "hdkit.engine", "hdkit.samples", "hdkit.ui", "hdkit.sandbox", "hdkit.errors",
          "hdkit.gotemplate", "hdkit.paths"}
TOKEN = re.compile(r"\b(zd|zoho)_(access|refresh|code)_[\w-]{12,}")  # the sandbox's OAuth2 tokens


def test_every_notebook_is_tested() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Callable[[str], nbrun.Run]]:
    """``run(name)``: the notebook executed once per module, in a fresh directory.

    With ``--nb-force-regen`` a notebook whose outputs changed is stored again (and its
    regression test fails, saying so, as pytest-notebook does).
    """
    done: dict[str, nbrun.Run] = {}

    def execute(name: str) -> nbrun.Run:
        if name not in done:
            done[name] = nbrun.run(NOTEBOOKS / f"{name}.ipynb", tmp_path_factory.mktemp(name), timeout=CELL_TIMEOUT_S)
        return done[name]

    yield execute


def _executed(run: Callable[[str], nbrun.Run], name: str) -> nbrun.Run:
    result = run(name)
    if result.error is not None:
        pytest.fail(f"{name} failed to run:\n{result.error}")
    return result


@pytest.mark.parametrize("name", NAMES)
def test_outputs_match_the_stored_ones(run: Callable[[str], nbrun.Run], name: str, pytestconfig: pytest.Config) -> None:
    result = _executed(run, name)
    diff = result.diff()
    if diff and pytestconfig.getoption("nb_force_regen", False):
        nbrun.regenerate(result, NOTEBOOKS / f"{name}.ipynb")
        pytest.fail(f"{name}: outputs changed and --nb-force-regen is set: stored again\n{diff}")
    assert not diff, (f"{name} shows something else than its stored outputs (regenerate on purpose with "
                      f"`.venv/bin/python -m pytest tests/notebooks --nb-force-regen`):\n{diff}")


# notebook, cell id, what its output must show (a substring, or a regex on the plain text)
SHOWN = [
    # 03: built section by section, one located mistake and its fix, exported and read back
    pytest.param(NB03, "auth", "('api_token', 'password')", id="03-password-input"),
    pytest.param(NB03, "validate",
                 "error: New Ticket > New Ticket Creation Request Body: line 1, column 49: body is not "
                 "valid JSON: expected ',' or '}', found '\"comment\"'", id="03-located-error"),
    pytest.param(NB03, "validate", "(fix: check the commas", id="03-error-fix"),
    pytest.param(NB03, "validate", re.compile(r"\n {52}\^\n"), id="03-caret-at-column-49"),
    pytest.param(NB03, "validate", "save refused: 1 error(s); not exported", id="03-save-refused"),
    pytest.param(NB03, "fix", "problems after the fix: []", id="03-fixed"),
    pytest.param(NB03, "export",
                 'Name="api_token" Editor="password" Title="API token"', id="03-exported-password-field"),
    pytest.param(NB03, "roundtrip", "round trip equal: True", id="03-round-trip"),
    pytest.param(NB03, "roundtrip", "same XML again: True", id="03-same-xml"),
    pytest.param(NB03, "sandbox", "'api_token': Secret('********')", id="03-secret-input"),
    pytest.param(NB03, "users", f"{AGENT_COUNT} users | page {AGENT_COUNT // 100} has no next link", id="03-users-next-link"),
    pytest.param(NB03, "call", re.compile(r"CreateNewTicket\s+POST\s+\S+\s+201\s+TicketId=\d+"),
                 id="03-ticket-created"),
    # 09: the sample against the sandbox, step by step
    pytest.param(NB09, "users", f"{AGENT_COUNT} users", id="09-users"),
    pytest.param(NB09, "users", re.compile(rf"GetUsers\s+empty_page\s.*\s{AGENT_COUNT}\s+page \d+ was empty"),
                 id="09-stop-reason"),
    pytest.param(NB09, "users-pages", re.compile(r"agents\?page=\d+&per_page=100"), id="09-pages"),
    pytest.param(NB09, "search", "Ada Lovelace", id="09-contact-found"),
    pytest.param(NB09, "search", "/freshdesk/a/contacts/", id="09-popup-url"),
    pytest.param(NB09, "matrix", re.compile(r"e164\s+\+14155550123\s+1\n"), id="09-matrix-hit"),
    pytest.param(NB09, "matrix", re.compile(r"national\s+\(415\) 555-0123\s+0\n"), id="09-matrix-miss"),
    pytest.param(NB09, "missed", "<CallTrace inbound-missed 5 steps, ok=True>", id="09-missed-call"),
    pytest.param(NB09, "missed", re.compile(r"Create Contacts\s+POST\s+201\s+ok\s+ContactId=\d+"),
                 id="09-contact-created"),
    pytest.param(NB09, "queue", "<CallTrace queue (3 legs) 6 steps, ok=True>", id="09-queue-call"),
    pytest.param(NB09, "queue", re.compile(r"(?s)\[1001\].*skipped: missed queue leg.*skipped: missed queue leg"),
                 id="09-missed-legs-skipped"),
    pytest.param(NB09, "dry", "requests sent during the dry run: 0", id="09-dry-run-sends-nothing"),
    pytest.param(NB09, "curl", "curl -X POST http://127.0.0.1:", id="09-curl"),
    pytest.param(NB09, "curl", "-H 'Authorization: Basic ********'", id="09-curl-redacted"),
    pytest.param(NB09, "burst", "[(429, {'status': 429}), (429, {'status': 429}), (200, None)]",
                 id="09-sandbox-sent-429s"),
    pytest.param(NB09, "burst", re.compile(r"Search Contacts\s+200\s+ok\s+3\s+None"), id="09-retried"),
    pytest.param(NB09, "exhausted", re.compile(r"Search Contacts\s+429\s+http_error\s+2"),
                 id="09-retries-exhausted"),
    pytest.param(NB09, "exhausted", "HTTP 429 Too Many Requests", id="09-recorded-reason"),
    # 10: faithful vs safe rendering, TimeFormat quotes, GJSON paths
    pytest.param(NB10, "broken", '{"name": "Dwayne "The Rock" Johnson", "phone"', id="10-faithful"),
    pytest.param(NB10, "broken", "valid JSON: False", id="10-not-json"),
    pytest.param(NB10, "checked",
                 "line 1, column 11: rendered body is not valid JSON (Expecting ',' delimiter): "
                 "{{.DisplayName}} printed 'Dwayne \"The Rock\" Johnson'", id="10-names-the-variable"),
    pytest.param(NB10, "checked", 'fix: write {{template "json" .DisplayName}} in place of '
                 '{{.DisplayName}}; define the escaper once', id="10-fix"),
    pytest.param(NB10, "lint", "warning: Contact Creation > Request Body: line 1, column 11: "
                 ".DisplayName is printed inside a JSON string without escaping", id="10-lint-json"),
    pytest.param(NB10, "lint", "fix: write {{UrlEncode .DisplayName}}", id="10-lint-url"),
    pytest.param(NB10, "safe", '{"name": "Dwayne \\"The Rock\\" Johnson", "phone"', id="10-safe"),
    pytest.param(NB10, "safe", "lint after the fix: []", id="10-lint-quiet"),
    pytest.param(NB10, "tf-error", "line 1, column 50: malformed character constant: "
                 "'yyyy-MM-ddTHH:mm:ss-z'", id="10-timeformat-error"),
    pytest.param(NB10, "tf-error", 'write strings in double quotes: {{TimeFormat '
                 '.StartTimeUnix "yyyy-MM-ddTHH:mm:ss-z"', id="10-timeformat-hint"),
    pytest.param(NB10, "tf-fix", '\'1\': {"Call_Start_Time": "2025-11-25T00:00:00',
                 id="10-rune-is-local-time"),
    pytest.param(NB10, "tf-fix", '"1": {"Call_Start_Time": "2025-11-24T16:00:00',
                 id="10-string-is-utc"),
    pytest.param(NB10, "gjson", "['Ada', 'Charles']", id="10-gjson"),
    pytest.param(NB10, "multi", "accounts: [{'ContactId': '21', 'FirstName': "
                 "'Analytical Engines Ltd'}]", id="10-multi-path"),
    pytest.param(NB10, "phone", "+14155550199 -> [{'ContactId': '11'}]", id="10-phone-path"),
    pytest.param(NB10, "phone", "+15550000000 -> []", id="10-phone-path-miss"),
    pytest.param(NB10, "phone", 'data.#(phone=="+1 \\"415\\"")#.id', id="10-path-escaped"),
    # 01: the workbench, driven cell by cell
    pytest.param(NB01, "required-field", "General (1) | error: freshdesk.xml: General > Helpdesk Name: line 2, column 1: "
                 "Helpdesk Name is required",
                 id="01-located-error"),
    pytest.param(NB01, "limits", "at most 5 custom fields are allowed", id="01-limit-refused"),
    pytest.param(NB01, "limits", "2 custom fields; Add disabled: False", id="01-limit-back"),
    pytest.param(NB01, "users", f"<UsersResult {AGENT_COUNT} users", id="01-users"),
    pytest.param(NB01, "users", f"records: ({AGENT_COUNT}, 4)", id="01-users-shape"),
    pytest.param(NB01, "search", re.compile(r"Contacts\s+Ada Lovelace\s+ada.lovelace@example.com\s+http://127"),
                 id="01-contact-found"),
    pytest.param(NB01, "exchange", re.compile(r"Search Contacts\s+GET\s+\S+\s+200\s+ok"), id="01-exchange"),
    pytest.param(NB01, "matrix", re.compile(r"e164\s+\+14155550123\s+1\n"), id="01-matrix"),
    pytest.param(NB01, "call", re.compile(r"Create Contacts\s+POST\s+201\s+ok\s+ContactId=\d+"), id="01-call"),
    pytest.param(NB01, "export", "exported to freshdesk-edited.xml\nTrue", id="01-exported"),
    # 02: quick start
    pytest.param(NB02, "open", "Freshdesk (sample) | basic | problems: []", id="02-opened-clean"),
    pytest.param(NB02, "users", "why it stopped: page 26 was empty", id="02-stop-reason"),
    pytest.param(NB02, "users", f"records: ({AGENT_COUNT}, 4)", id="02-users-shape"),
    pytest.param(NB02, "search", "<SearchResult phone='+14155550123' 1 matches", id="02-found"),
    pytest.param(NB02, "matrix", re.compile(r"national\s+\(415\) 555-0123\s+0\n"), id="02-matrix-miss"),
    pytest.param(NB02, "call", "<CallTrace inbound-missed 5 steps, ok=True>", id="02-call"),
    pytest.param(NB02, "export", "API key in the file: False", id="02-no-key-exported"),
    # 04: OAuth2 without a local browser
    pytest.param(NB04, "connect", "1. Open this URL in any browser and approve:", id="04-consent-url-shown"),
    pytest.param(NB04, "connect", re.compile(r"/zendesk/oauth/authorizations/new\?response_type=code&client_id=hdkit_demo"
                                             r"&redirect_uri=https%3A%2F%2Fpbx\.example\.com%2Foauth%2Fcallback"),
                 id="04-consent-url"),
    pytest.param(NB04, "connect", "3. Connected: access token ******** | refresh token ******** "
                 "| expires in 3600.0 s", id="04-connected-masked"),
    pytest.param(NB04, "sync", f"<UsersResult {AGENT_COUNT} users", id="04-synced"),
    pytest.param(NB04, "sync", "stop='no_next_link'", id="04-next-link"),
    pytest.param(NB04, "refresh", re.compile(r"Authentication: refresh token\s+POST\s+200\s+ok"), id="04-refreshed"),
    # 05: paged sync and extensions
    pytest.param(NB05, "setup", "paging: page | page parameter: page | size: per_page = 100", id="05-paging"),
    pytest.param(NB05, "sync", re.compile(r"GetUsers\s+empty_page\s+26\s+2500\s+page 26 was empty"), id="05-stops"),
    pytest.param(NB05, "shape", f"records: ({AGENT_COUNT}, 4) | unique ids: {AGENT_COUNT}", id="05-shape"),
    pytest.param(NB05, "one-at-a-time", "same users: True | requests: 26 | no more than fetching ahead: True",
                 id="05-one-at-a-time"),
    pytest.param(NB05, "associate", "bound: 2 of 3 extensions\nunbound extensions: ['1003']", id="05-bound"),
    pytest.param(NB05, "associate", re.compile(r"barbara.hopper.2@agents.example.com\s+1002"), id="05-case-ignored"),
    # 06: contact search, pop-up, matrix
    pytest.param(NB06, "search", re.compile(r"/freshdesk/a/contacts/44000000000\s+44000000000\s+Ada Lovelace"),
                 id="06-popup-url"),
    pytest.param(NB06, "unknown", re.compile(r"'\+15550000000' 0 matches, \d+ exchanges> \| records: \(0, 2\)"),
                 id="06-unknown"),
    pytest.param(NB06, "matrix", "formats that find the caller: {'Contacts': ['e164']}", id="06-hits"),
    # 07: call simulation
    pytest.param(NB07, "missed-check", "steps: 5 | all ok: True", id="07-missed-steps"),
    pytest.param(NB07, "missed", re.compile(r"CreateNewTicket\s+POST\s+201\s+ok\s+TicketId=\d+"), id="07-ticket"),
    pytest.param(NB07, "answered", "<CallTrace inbound-answered 4 steps, ok=True>", id="07-answered"),
    pytest.param(NB07, "body", '{"body": "Call: 2025-11-24 16:00:00 Inbound ANSWERED - from Ada Lovelace<+14155550123>',
                 id="07-journal-body"),
    pytest.param(NB07, "outbound", "<CallTrace outbound-unanswered", id="07-outbound"),
    pytest.param(NB07, "outbound", re.compile(r"CallJournal \[1002\]\s+201\s+ok"), id="07-queue-answered-leg"),
    # 08: import, lint, fix, export
    pytest.param(NB08, "lint", "1 error(s), 2 warning(s)", id="08-counts"),
    pytest.param(NB08, "lint", "error: Call Journal > Description: line 1, column 35: malformed character constant",
                 id="08-located-error"),
    pytest.param(NB08, "lint", "fix: write {{UrlEncode .Phone}} in place of {{.Phone}}", id="08-url-fix"),
    pytest.param(NB08, "refused", "export refused: 1 error(s); not exported\nfile written: False", id="08-refused"),
    pytest.param(NB08, "fix", "problems after the fix: []", id="08-fixed"),
    pytest.param(NB08, "try", '"body": "Call: 2025-11-24 16:00 Inbound NO ANSWER - from Dwayne \\"The Rock\\" Johnson',
                 id="08-fixed-body-escapes"),
    pytest.param(NB08, "export", "3 lines changed:", id="08-only-the-fixes"),
]


@pytest.mark.parametrize(("name", "cell_id", "expected"), SHOWN)
def test_cell_shows(run: Callable[[str], nbrun.Run], name: str, cell_id: str, expected: str | re.Pattern[str]) -> None:
    text = _executed(run, name).text(cell_id)
    if isinstance(expected, re.Pattern):
        assert expected.search(text), f"{name} [{cell_id}] output:\n{text}"
    else:
        assert expected in text, f"{name} [{cell_id}] output:\n{text}"


def _rows(html: str) -> int:
    """Body rows of the first HTML table in ``html``."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


@pytest.mark.parametrize(("name", "cell_id", "rows", "columns"), [
    pytest.param(NB01, "users", 5, ["UserUniqueId", "FirstName", "LastName", "Email"], id="01-users"),
    pytest.param(NB02, "call", 5, ["step", "method", "status", "outcome", "outputs"], id="02-call"),
    pytest.param(NB03, "users", 3, ["UserUniqueId", "FirstName", "LastName", "Email"], id="03-users"),
    pytest.param(NB05, "associate", 2, ["UserUniqueId", "Email", "Extension"], id="05-bound"),
    pytest.param(NB06, "search", 1, ["ContactType", "PopupUrl", "FirstName", "Email", "ContactId"], id="06-contact"),
    pytest.param(NB07, "answered", 4, ["step", "method", "status", "outcome", "outputs"], id="07-steps"),
    pytest.param(NB09, "users-records", 5, ["UserUniqueId", "Email"], id="09-users"),
])
def test_dataframes_render_as_tables(run: Callable[[str], nbrun.Run], name: str, cell_id: str, rows: int,
                                     columns: list[str]) -> None:
    html = _executed(run, name).html(cell_id)
    assert "<table" in html and _rows(html) == rows, html[:2000]
    assert all(f"<th>{c}</th>" in html for c in columns), html[:2000]


def test_workbench_notebook_shows_the_widget_and_keeps_its_sandbox(run: Callable[[str], nbrun.Run]) -> None:
    result = _executed(run, NB01)
    views = [o for o in result.cell("workbench").outputs if nbrun.WIDGET_VIEW in o.get("data", {})]
    assert views, "the workbench widget was displayed"
    code = [c.source for c in result.nb.cells if c.cell_type == "code"]
    assert not [s for s in code if "hd.stop()" in s], "01 must leave its sandbox running for the widget's buttons"
    assert "Freshdesk (edited in the workbench)" in (result.cwd / "freshdesk-edited.xml").read_text(encoding="utf-8")
    first = result.nb.cells[0].source
    assert "What to do" in first and "Run All" in first and "Try it" in first


def test_exported_files_hold_the_template_not_the_secret(run: Callable[[str], nbrun.Run]) -> None:
    xml = (_executed(run, NB03).cwd / "zendesk-api-token.xml").read_text(encoding="utf-8")
    assert 'Base64EncodedCredential" Value="{{.email}}/token:{{.api_token}}"' in xml
    quick = (_executed(run, NB02).cwd / "my-template.xml").read_text(encoding="utf-8")
    assert quick.startswith("<?xml") and 'Base64EncodedCredential" Value="{{.api_key}}:X"' in quick
    fixed = (_executed(run, NB08).cwd / "exported.xml").read_text(encoding="utf-8")
    assert "phone={{UrlEncode .Phone}}" in fixed and "'yyyy-MM-dd HH:mm'" not in fixed
    assert not (_executed(run, NB08).cwd / "refused.xml").exists()
    for where, text in (("03 export", xml), ("02 export", quick), ("08 export", fixed)):
        assert _leaks(f"notebook {where}", text) == []


def _leaks(where: str, text: str) -> list[str]:
    """Every demo secret, and the Basic credentials built from them, in every spelling
    (support.leaks): counted in the planted-secrets figure of tests/suites."""
    zendesk, freshdesk = DEMO["zendesk"], DEMO["freshdesk"]
    basics = [f"{zendesk['email']}/token:{zendesk['api_token']}", f"{freshdesk['username']}:{freshdesk['password']}"]
    return TALLY.scan(where, text, {v: v for v in [*secret_values(), *basics]})


def _outputs(nb: nbformat.NotebookNode) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells]) + json.dumps(nb.metadata.get("widgets", {}))


@pytest.mark.parametrize("name", NAMES)
def test_runs_clean_and_leaks_no_secret(run: Callable[[str], nbrun.Run], name: str) -> None:
    nb = _executed(run, name).nb
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error" or o.get("name") == "stderr"]
    shown = _outputs(nb)  # every output, plain text and HTML, and the widget state
    assert _leaks(f"notebook {name} outputs", shown) == []
    assert not TOKEN.search(shown)


@pytest.mark.parametrize("name", NAMES)
def test_stored_outputs_hold_no_secret_and_no_widget_state(name: str) -> None:
    path = NOTEBOOKS / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    stored = _outputs(nb)
    assert _leaks(f"notebook {name} stored outputs", stored) == [] and not TOKEN.search(stored)
    assert "widgets" not in nb.metadata and nbrun.WIDGET_VIEW not in stored
    assert path.stat().st_size < 100_000, "stored outputs stay small"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs or c.execution_count for c in code), "stored with its outputs"
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_has_a_marked_cell_for_your_helpdesk_and_uses_the_public_api(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    marked = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ✏️ Your")]
    assert marked, f"{name} has no cell marked '✏️ Your helpdesk'"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if name != NB10:  # rendering only: no helpdesk
        assert "USE_SANDBOX = True" in code
    imported = set(re.findall(r"^\s*(?:from|import) (hdkit[\w.]*)", code, re.M))
    assert imported <= PUBLIC, f"{name} imports {sorted(imported - PUBLIC)}"
