"""The walkthrough notebooks (02-04), executed headlessly with nbclient, each against its own
sandbox: they must run top to bottom, show what each step teaches (asserted on the outputs of
named cells, not only that they ran), leak no demo secret into any output or exported file,
and be committed without outputs.

The kernel is this interpreter (the venv's ``python``), see ``nbrun``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from support import notebooks as nbrun

from hdkit.sandbox.accounts import AGENT_COUNT, DEMO, secret_values
import support

NOTEBOOKS = support.NOTEBOOKS
NAMES = NB02, NB03, NB04 = ("02-template-from-scratch", "03-run-and-debug", "04-faithful-rendering")
CELL_TIMEOUT_S = 60


@dataclass(frozen=True)
class Run:
    """One executed notebook and the directory it ran in (where it saves files)."""

    nb: nbformat.NotebookNode
    cwd: Path

    def cell(self, cell_id: str) -> nbformat.NotebookNode:
        return next(c for c in self.nb.cells if c.get("id") == cell_id)

    def text(self, cell_id: str) -> str:
        """The cell's streams and plain-text results, as a reader sees them."""
        parts = []
        for out in self.cell(cell_id).outputs:
            parts += [out.get("text", ""), out.get("data", {}).get("text/plain", "")]
        return "\n".join(parts)

    def html(self, cell_id: str) -> str:
        return "\n".join(o.get("data", {}).get("text/html", "") for o in self.cell(cell_id).outputs)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Run]]:
    """``run(name)``: the notebook executed once per module, in a fresh directory."""
    done: dict[str, Run] = {}

    def execute(name: str) -> Run:
        if name not in done:
            cwd = tmp_path_factory.mktemp(name)
            nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
            nbrun.execute(nb, cwd, timeout=CELL_TIMEOUT_S)
            done[name] = Run(nb, cwd)
        return done[name]

    yield execute


# notebook, cell id, what its output must show (a substring, or a regex on the plain text)
SHOWN = [
    # 02: built section by section, one located mistake and its fix, exported and read back
    pytest.param(NB02, "auth", "('api_token', 'password')", id="02-password-input"),
    pytest.param(NB02, "validate",
                 "error: New Ticket > New Ticket Creation Request Body: line 1, column 49: body is not "
                 "valid JSON: expected ',' or '}', found '\"comment\"'", id="02-located-error"),
    pytest.param(NB02, "validate", "(fix: check the commas", id="02-error-fix"),
    pytest.param(NB02, "validate", re.compile(r"\n {52}\^\n"), id="02-caret-at-column-49"),
    pytest.param(NB02, "validate", "save refused: 1 error(s); not exported", id="02-save-refused"),
    pytest.param(NB02, "fix", "problems after the fix: []", id="02-fixed"),
    pytest.param(NB02, "export",
                 'Name="api_token" Editor="password" Title="API token"', id="02-exported-password-field"),
    pytest.param(NB02, "roundtrip", "round trip equal: True", id="02-round-trip"),
    pytest.param(NB02, "roundtrip", "same XML again: True", id="02-same-xml"),
    pytest.param(NB02, "sandbox", "'api_token': Secret('********')", id="02-secret-input"),
    pytest.param(NB02, "users", f"<UsersResult {AGENT_COUNT} users, {AGENT_COUNT // 100} exchanges, "
                 f"stop='no_next_link'> | page {AGENT_COUNT // 100} has no next link", id="02-users-next-link"),
    pytest.param(NB02, "call", re.compile(r"CreateNewTicket\s+POST\s+\S+\s+201\s+TicketId=\d+"),
                 id="02-ticket-created"),
    # 03: the sample against the sandbox, step by step
    pytest.param(NB03, "users", f"<UsersResult {AGENT_COUNT} users", id="03-users"),
    pytest.param(NB03, "users", re.compile(rf"GetUsers\s+empty_page\s.*\s{AGENT_COUNT}\s+page \d+ was empty"),
                 id="03-stop-reason"),
    pytest.param(NB03, "users-pages", re.compile(r"agents\?page=\d+&per_page=100"), id="03-pages"),
    pytest.param(NB03, "search", "Ada Lovelace", id="03-contact-found"),
    pytest.param(NB03, "search", "/freshdesk/a/contacts/", id="03-popup-url"),
    pytest.param(NB03, "matrix", re.compile(r"e164\s+\+14155550123\s+1\n"), id="03-matrix-hit"),
    pytest.param(NB03, "matrix", re.compile(r"national\s+\(415\) 555-0123\s+0\n"), id="03-matrix-miss"),
    pytest.param(NB03, "missed", "<CallTrace inbound-missed 5 steps, ok=True>", id="03-missed-call"),
    pytest.param(NB03, "missed", re.compile(r"Create Contacts\s+POST\s+201\s+ok\s+ContactId=\d+"),
                 id="03-contact-created"),
    pytest.param(NB03, "queue", "<CallTrace queue (3 legs) 6 steps, ok=True>", id="03-queue-call"),
    pytest.param(NB03, "queue", re.compile(r"(?s)\[1001\].*skipped: missed queue leg.*skipped: missed queue leg"),
                 id="03-missed-legs-skipped"),
    pytest.param(NB03, "dry", "requests sent during the dry run: 0", id="03-dry-run-sends-nothing"),
    pytest.param(NB03, "curl", "curl -X POST http://127.0.0.1:", id="03-curl"),
    pytest.param(NB03, "curl", "-H 'Authorization: Basic ********'", id="03-curl-redacted"),
    pytest.param(NB03, "burst", "[(429, {'status': 429}), (429, {'status': 429}), (200, None)]",
                 id="03-sandbox-sent-429s"),
    pytest.param(NB03, "burst", re.compile(r"Search Contacts\s+200\s+ok\s+3\s+None"), id="03-retried"),
    pytest.param(NB03, "exhausted", re.compile(r"Search Contacts\s+429\s+http_error\s+2"),
                 id="03-retries-exhausted"),
    pytest.param(NB03, "exhausted", "HTTP 429 Too Many Requests", id="03-recorded-reason"),
    # 04: faithful vs safe rendering, TimeFormat quotes, GJSON paths
    pytest.param(NB04, "broken", '{"name": "Dwayne "The Rock" Johnson", "phone"', id="04-faithful"),
    pytest.param(NB04, "broken", "valid JSON: False", id="04-not-json"),
    pytest.param(NB04, "checked",
                 "line 1, column 11: rendered body is not valid JSON (Expecting ',' delimiter): "
                 "{{.DisplayName}} printed 'Dwayne \"The Rock\" Johnson'", id="04-names-the-variable"),
    pytest.param(NB04, "checked", 'fix: write {{template "json" .DisplayName}} in place of '
                 '{{.DisplayName}}; define the escaper once', id="04-fix"),
    pytest.param(NB04, "lint", "warning: Contact Creation > Request Body: line 1, column 11: "
                 ".DisplayName is printed inside a JSON string without escaping", id="04-lint-json"),
    pytest.param(NB04, "lint", "fix: write {{UrlEncode .DisplayName}}", id="04-lint-url"),
    pytest.param(NB04, "safe", '{"name": "Dwayne \\"The Rock\\" Johnson", "phone"', id="04-safe"),
    pytest.param(NB04, "safe", "lint after the fix: []", id="04-lint-quiet"),
    pytest.param(NB04, "tf-error", "line 1, column 50: malformed character constant: "
                 "'yyyy-MM-ddTHH:mm:ss-z'", id="04-timeformat-error"),
    pytest.param(NB04, "tf-error", 'write strings in double quotes: {{TimeFormat '
                 '.StartTimeUnix "yyyy-MM-ddTHH:mm:ss-z"', id="04-timeformat-hint"),
    pytest.param(NB04, "tf-fix", '\'1\': {"Call_Start_Time": "2025-11-25T00:00:00',
                 id="04-rune-is-local-time"),
    pytest.param(NB04, "tf-fix", '"1": {"Call_Start_Time": "2025-11-24T16:00:00',
                 id="04-string-is-utc"),
    pytest.param(NB04, "gjson", "['Ada', 'Charles']", id="04-gjson"),
    pytest.param(NB04, "multi", "accounts: [{'ContactId': '21', 'FirstName': "
                 "'Analytical Engines Ltd'}]", id="04-multi-path"),
    pytest.param(NB04, "phone", "+14155550199 -> [{'ContactId': '11'}]", id="04-phone-path"),
    pytest.param(NB04, "phone", "+15550000000 -> []", id="04-phone-path-miss"),
    pytest.param(NB04, "phone", 'data.#(phone=="+1 \\"415\\"")#.id', id="04-path-escaped"),
]


@pytest.mark.parametrize(("name", "cell_id", "expected"), SHOWN)
def test_cell_shows(run: Callable[[str], Run], name: str, cell_id: str, expected: str | re.Pattern[str]) -> None:
    text = run(name).text(cell_id)
    if isinstance(expected, re.Pattern):
        assert expected.search(text), f"{name} [{cell_id}] output:\n{text}"
    else:
        assert expected in text, f"{name} [{cell_id}] output:\n{text}"


def test_dataframes_render_as_tables(run: Callable[[str], Run]) -> None:
    assert "<table" in run(NB02).html("users")
    users = run(NB03).html("users-records")
    assert "<table" in users and "UserUniqueId" in users and "@agents.example.com" in users


def test_exported_file_holds_the_template_not_the_secret(run: Callable[[str], Run]) -> None:
    xml = (run(NB02).cwd / "zendesk-api-token.xml").read_text(encoding="utf-8")
    assert 'Base64EncodedCredential" Value="{{.email}}/token:{{.api_token}}"' in xml
    assert not [s for s in _secret_forms() if s in xml]


def _secret_forms() -> set[str]:
    """Every demo secret, raw and as the Basic credentials built from it."""
    values = secret_values()
    zendesk, freshdesk = DEMO["zendesk"], DEMO["freshdesk"]
    basics = [f"{v}:X" for v in values] + [f"{zendesk['email']}/token:{zendesk['api_token']}",
                                           f"{freshdesk['username']}:{freshdesk['password']}"]
    return values | {base64.b64encode(b.encode()).decode() for b in basics}


@pytest.mark.parametrize("name", NAMES)
def test_runs_clean_and_leaks_no_secret(run: Callable[[str], Run], name: str) -> None:
    nb = run(name).nb
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    saved = json.dumps(nb)  # every output, plain text and HTML
    assert not [s for s in _secret_forms() if s in saved]


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and not [c.id for c in code if c.outputs or c.execution_count is not None]
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))
