"""``hdkit run`` / ``hdkit demo`` from the command line, against the sandbox."""

from __future__ import annotations

import json

import pytest

from hdkit import samples
from hdkit.cli import main as hdkit
from hdkit.sandbox.accounts import AGENT_COUNT, DEMO


def inputs(hd, name: str = "freshdesk") -> list[str]:
    return [a for k, v in samples.demo_inputs(name, hd.url).items() for a in ("--input", f"{k}={v}")]


def test_search_prints_a_table(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "freshdesk", "search", "--phone", "+14155550123", *inputs(fresh_sandbox)]) == 0
    out = capsys.readouterr().out
    assert "Ada Lovelace" in out and "ContactType" in out


def test_users_as_csv_with_stop_reason(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "keydesk", "users", "--format", "csv", *inputs(fresh_sandbox, "keydesk")]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "UserUniqueId,FirstName,LastName,Email"
    assert len(captured.out.splitlines()) == AGENT_COUNT + 1
    (summary,) = captured.err.splitlines()
    assert summary.startswith(f"{AGENT_COUNT} users from 25 pages of data in ")
    assert "; no duplicates; stopped: page 26 was empty; " in summary


def test_matrix_as_json(fresh_sandbox, capsys) -> None:
    code = hdkit(["run", "freshdesk", "search", "--phone", "+14155550123", "--matrix", "--format", "json",
                  *inputs(fresh_sandbox)])
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert code == 0
    by_format = {r["format"]: (r["hit"], r["found"], r["records"]) for r in rows}
    ada = by_format["e164"][1]
    assert by_format["e164"] == (True, ada, 1) and by_format["national"] == (False, "", 0)  # exact strings
    assert captured.err.splitlines() == [f"Contacts: a hit must find contact {ada}"]


def test_call_event_from_the_cli(fresh_sandbox, capsys) -> None:
    code = hdkit(["run", "freshdesk", "call", "--event", "inbound-missed", "--phone", "+14155550123",
                  "--start", "1700000000", "--format", "json", *inputs(fresh_sandbox)])
    steps = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(s["step"], s["method"], s["status"], s["outcome"]) for s in steps] == [
        ("Search Contacts", "GET", 200, "ok"), ("CreateNewTicket", "POST", 201, "ok"),
        ("TagTicket", "PUT", 200, "ok"), ("CallJournal", "POST", 201, "ok")]
    (ticket,) = fresh_sandbox.state["freshdesk"]["tickets"]
    assert steps[1]["outputs"] == f"TicketId={ticket['id']}"
    assert ticket["subject"].startswith("Inbound NO ANSWER - from Jane Doe<+14155550123>")


def test_inputs_from_file_and_environment(fresh_sandbox, tmp_path, monkeypatch, capsys) -> None:
    values = samples.demo_inputs("freshdesk", fresh_sandbox.url)
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps({"base_url": values["base_url"]}))
    monkeypatch.setenv("HDKIT_INPUT_API_KEY", values["api_key"])
    assert hdkit(["run", "freshdesk", "search", "--phone", "+14155550123", "--inputs", str(path)]) == 0
    assert "Ada Lovelace" in capsys.readouterr().out


@pytest.mark.parametrize(
    "env, file, given, code",
    [
        pytest.param("wrong-env-key", None, None, 3, id="environment-alone"),
        pytest.param("wrong-env-key", "right", None, 0, id="file-over-environment"),
        pytest.param(None, "wrong-file-key", "right", 0, id="input-over-file"),
        pytest.param("right", None, "wrong-option-key", 3, id="input-over-environment"),
    ],
)
def test_inputs_later_sources_win(fresh_sandbox, tmp_path, monkeypatch, capsys, env, file, given, code) -> None:
    """HDKIT_INPUT_<NAME>, then --inputs FILE.json, then --input NAME=VALUE: the later wins."""
    values = samples.demo_inputs("freshdesk", fresh_sandbox.url)
    key = lambda v: values["api_key"] if v == "right" else v  # noqa: E731
    argv = ["run", "freshdesk", "search", "--phone", "+14155550123", "--input", f"base_url={values['base_url']}"]
    if env:
        monkeypatch.setenv("HDKIT_INPUT_API_KEY", key(env))
    if file:
        path = tmp_path / "inputs.json"
        path.write_text(json.dumps({"api_key": key(file)}))
        argv += ["--inputs", str(path)]
    if given:
        argv += ["--input", f"api_key={key(given)}"]
    assert hdkit(argv) == code
    assert ("HTTP 401" in capsys.readouterr().err) == (code == 3)


def test_a_failed_sync_reports_the_failed_page_once_with_the_helpdesk_answer(fresh_sandbox, capsys) -> None:
    """Pages fetched ahead fail too, but only the page that ended the sync is the failure."""
    argv = ["run", "freshdesk", "users", "--input", f"base_url={fresh_sandbox.url}/freshdesk",
            "--input", "api_key=wrong-key"]
    assert hdkit(argv) == 3
    (err,) = capsys.readouterr().err.splitlines()
    assert err.startswith("error: incomplete sync: 0 users from 0 pages of data in ")
    assert ("; stopped: GetUsers (page 1): the helpdesk answered HTTP 401 Unauthorized: "
            '{"code":"invalid_credentials","message":"You have to be logged in to perform this action."}; ') in err
    assert err.endswith(" sent after that page and discarded (" + err.split("(")[-1])  # the ones fetched ahead


@pytest.mark.parametrize(
    "action, code, said",
    [
        pytest.param(["search", "--phone", "+493012345"], 0, "no contact matched +493012345", id="no-match"),
        pytest.param(["followup", "call_ended"], 0, "no request of the template runs on call_ended",
                     id="no-follow-up-for-event"),
        pytest.param(["users", "--extension", "1001"], 1, "error: --extension: '1001' is not NAME=VALUE",
                     id="bad-extension"),
    ],
)
def test_what_a_reader_is_told_on_stderr(fresh_sandbox, capsys, action, code, said) -> None:
    assert hdkit(["run", "freshdesk", *action, *inputs(fresh_sandbox)]) == code
    captured = capsys.readouterr()
    assert said in captured.err.splitlines()


def test_a_url_that_renders_into_no_url_is_an_input_error(capsys) -> None:
    argv = ["run", "freshdesk", "search", "--phone", "+14155550123", "--input", "base_url=helpdesk.example.com",
            "--input", "api_key=k"]
    assert hdkit(argv) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: Search Contacts: invalid URL 'helpdesk.example.com/api/v2/contacts?phone=%2B14155550123': "
        "it must start with http:// or https:// and name a host"]


def test_dry_run_sends_nothing(fresh_sandbox, capsys) -> None:
    before = len(fresh_sandbox.requests)
    assert hdkit(["run", "freshdesk", "create-contact", "--phone", "+15550100", "--dry-run",
                  *inputs(fresh_sandbox)]) == 0
    assert len(fresh_sandbox.requests) == before
    out = capsys.readouterr().out
    assert out.startswith("--- 1. Create Contacts\nPOST " + fresh_sandbox.url + "/freshdesk/api/v2/contacts\n")
    assert '"phone": "+15550100"' in out


@pytest.mark.parametrize(
    "argv, code, message",
    [
        pytest.param(["run", "no-such.xml", "users"], 1, "no template file or sample", id="bad-template"),
        pytest.param(["run", "freshdesk", "users", "--input", "oops"], 1, "NAME=VALUE", id="bad-input"),
        pytest.param(["run", "freshdesk", "users", "--input", "base_url=http://x"], 1, "'api_key'", id="missing-input"),
        pytest.param(["run", "freshdesk", "users", "--inputs", "/nonexistent.json"], 1, "cannot read", id="no-file"),
        pytest.param(["run", "freshdesk", "users", "--inputs", "/dev/zero"], 1,
                     "/dev/zero: --inputs: the inputs file is over 1 MB", id="inputs-dev-zero"),
        pytest.param(["run", "freshdesk", "search", "--phone", "+1555", "--contact-type", "Leads", "--input",
                      "base_url=http://127.0.0.1:9", "--input", "api_key=k"], 1, "no contact type 'Leads'",
                     id="unknown-contact-type"),
    ],
)
def test_template_and_input_problems_exit_1(argv, code, message, capsys) -> None:
    assert hdkit(argv) == code
    assert message in capsys.readouterr().err


def test_helpdesk_errors_exit_3(fresh_sandbox, capsys) -> None:
    argv = ["run", "freshdesk", "search", "--phone", "+14155550123",
            "--input", f"base_url={fresh_sandbox.url}/freshdesk", "--input", "api_key=wrong-key"]
    assert hdkit(argv) == 3
    assert "HTTP 401" in capsys.readouterr().err


def test_demo_tells_the_story_sandbox_users_search_call(capsys) -> None:
    assert hdkit(["demo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    story = [line for line in lines if line[:3] in {"1. ", "2. ", "3. ", "4. "}]
    assert [line[:2] for line in story] == ["1.", "2.", "3.", "4."]
    assert story[0].startswith("1. Sandbox helpdesk started at http://127.0.0.1:")
    assert story[1].startswith("2. Users synced in ")
    assert ": 2500 users from 25 pages of data in " in story[1] and "; stopped: page 26 was empty; " in story[1]
    assert "Ada Lovelace in Contacts, pop-up http://127.0.0.1:" in story[2]
    trace = lines[lines.index(story[3]) + 2:][:4]  # after the table's header line
    assert [row.split()[0] for row in trace] == ["Search", "CreateNewTicket", "TagTicket", "CallJournal"]
    assert all(" ok " in row for row in trace) and "TicketId=" in trace[1]
    assert any(line.strip().startswith("hdkit run freshdesk users --input base_url=") for line in lines)


def test_run_without_authorizing_an_oauth_template_is_a_helpdesk_error(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "zendesk", "search", "--phone", "+14155550123", *inputs(fresh_sandbox, "zendesk")]) == 3
    assert capsys.readouterr().err.splitlines() == [
        "helpdesk error: Search Users: authentication failed: not authorized yet: "
        "run the OAuth2 authorization first (hdkit auth)"]
    assert fresh_sandbox.requests == []  # nothing sent without a token


def test_followup_event_from_the_cli(fresh_sandbox, capsys) -> None:
    ticket = hdkit(["run", "freshdesk", "call", "--event", "inbound-answered", "--phone", "+14155550123",
                    "--format", "json", *inputs(fresh_sandbox)])
    ticket_id = next(r["outputs"] for r in json.loads(capsys.readouterr().out) if r["step"] == "CreateNewTicket")
    assert ticket == 0 and ticket_id.startswith("TicketId=")
    code = hdkit(["run", "freshdesk", "followup", "ticket_created", "--var", ticket_id, *inputs(fresh_sandbox)])
    out = capsys.readouterr().out
    assert code == 0 and "TagTicket" in out and "TicketStatus=" in out


def test_users_associated_with_extensions_by_email(fresh_sandbox, capsys) -> None:
    email = "john.thompson.1@agents.example.com"
    assert hdkit(["run", "freshdesk", "users", "--extension", f"1001={email}", "--format", "csv",
                  *inputs(fresh_sandbox)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(",Extension") and any(line.endswith(f"{email},1001") for line in lines)


def test_a_template_file_runs_and_an_invalid_one_is_refused(fresh_sandbox, tmp_path, capsys) -> None:
    good = tmp_path / "desk.xml"
    good.write_text(samples.text("freshdesk"), encoding="utf-8")
    assert hdkit(["run", str(good), "search", "--phone", "+14155550123", *inputs(fresh_sandbox)]) == 0
    assert "Ada Lovelace" in capsys.readouterr().out
    bad = tmp_path / "bad.xml"
    bad.write_text(samples.text("freshdesk").replace("{{UrlEncode .Phone}}", "{{UrlEncode .Phone"), encoding="utf-8")
    sent = len(fresh_sandbox.requests)
    assert hdkit(["run", str(bad), "search", "--phone", "+14155550123", *inputs(fresh_sandbox)]) == 1
    assert "error" in capsys.readouterr().err and len(fresh_sandbox.requests) == sent


@pytest.mark.parametrize(
    "option, said",
    [
        pytest.param(["--phone", "  "], "argument --phone: '  ' is not a phone number (no digits)", id="blank-phone"),
        pytest.param(["--phone", "+1415", "--timeout", "0"], "argument --timeout: must be more than 0, got 0",
                     id="zero-timeout"),
        pytest.param(["--phone", "+1415", "--matrix", "--last-digits", "-3"],
                     "argument --last-digits: must be more than 0, got -3", id="negative-last-digits"),
        pytest.param(["--phone", "+1415", "--timeout", "soon"], "argument --timeout: 'soon' is not a number",
                     id="timeout-not-a-number"),
        pytest.param(["--phone", "+1415", "--timeout", "nan"], "argument --timeout: must be more than 0, got nan",
                     id="timeout-nan"),
        pytest.param(["--phone", "+1415", "--max-response-mb", "nan"],
                     "argument --max-response-mb: must be more than 0, got nan", id="cap-nan"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_option(capsys, option, said) -> None:
    with pytest.raises(SystemExit) as stopped:
        hdkit(["run", "freshdesk", "search", *option, "--input", "base_url=http://127.0.0.1:9", "--input", "api_key=k"])
    assert stopped.value.code == 2 and said in capsys.readouterr().err


def test_a_queue_call_answered_by_any_extension(fresh_sandbox, capsys) -> None:
    code = hdkit(["run", "freshdesk", "call", "--event", "queue", "--phone", "+14155550123", "--extension", "2001",
                  "--format", "json", *inputs(fresh_sandbox)])
    steps = {r["step"]: r for r in json.loads(capsys.readouterr().out)}
    assert code == 0 and steps["CallJournal [2001]"]["outcome"] == "ok"
    assert steps["CallJournal [1002]"]["note"].startswith("skipped: missed queue leg")


def test_dry_run_claims_no_match_count(fresh_sandbox, capsys) -> None:
    """Nothing was sent, so nothing matched: the rows are requests, not outcomes."""
    assert hdkit(["run", "freshdesk", "call", "--event", "inbound-missed", "--phone", "+14155550123", "--dry-run",
                  "--format", "json", *inputs(fresh_sandbox)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert set(rows[0]) == {"step", "method", "url", "request_headers", "request_body", "note"}
    assert rows[0]["step"] == "Search Contacts" and rows[0]["request_body"] is None
    assert fresh_sandbox.requests == []


@pytest.mark.parametrize(
    "content, said",
    [
        pytest.param("not tokens", "the token file {path} is not an hdkit token file: JSONDecodeError", id="text"),
        pytest.param(b"\xff\xfe", "cannot read the token file {path}: invalid start byte", id="binary"),
        pytest.param(None, "cannot read token file: it is a directory, not a file", id="a-directory"),
    ],
)
def test_a_token_file_that_is_not_one_is_an_input_error(tmp_path, capsys, content, said) -> None:
    other = tmp_path / "notes"
    if content is None:
        other.mkdir()
    elif isinstance(content, bytes):
        other.write_bytes(content)
    else:
        other.write_text(content)
    argv = ["run", "freshdesk", "users", "--token-file", str(other), "--input", "base_url=http://127.0.0.1:9",
            "--input", "api_key=k"]
    assert hdkit(argv) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {other}: --token-file: " + said.format(path=other),
        "  hint: name a file written by hdkit auth, or a new path and authorize again"]
    if content is not None:
        assert other.read_bytes() == (content if isinstance(content, bytes) else content.encode())  # untouched


def test_a_token_file_open_to_others_is_one_warning_line(tmp_path, capsys) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text('{"version": 1, "tokens": {}}')
    tokens.chmod(0o644)
    argv = ["run", "freshdesk", "search", "--phone", "+1415", "--dry-run", "--token-file", str(tokens),
            "--input", "base_url=http://127.0.0.1:9", "--input", "api_key=k"]
    assert hdkit(argv) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "readable by others" in line]
    assert warned == [f"warning: token file {tokens} is readable by others (mode 644); "
                      "hdkit will rewrite it with mode 600"]


@pytest.mark.parametrize("action", [["users"], ["search", "--phone", "+14155550123"]])
def test_dry_run_prints_the_rendered_requests_redacted(fresh_sandbox, capsys, action) -> None:
    """Nothing is sent, so there are no records: the table is what would be sent."""
    key = DEMO["freshdesk"]["api_key"]
    argv = ["run", "freshdesk", *action, "--dry-run", "--format", "json",
            "--input", f"base_url={fresh_sandbox.url}/freshdesk", "--input", f"api_key={key}"]
    assert hdkit(argv) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"step", "method", "url", "request_headers"} <= set(rows[0])
    assert rows[0]["url"].startswith(fresh_sandbox.url + "/freshdesk/api/v2/")
    assert rows[0]["request_headers"]["Authorization"] == "Basic ********"
    assert key not in json.dumps(rows)
    assert fresh_sandbox.requests == []


@pytest.mark.parametrize("megabytes", ["1e-9", "inf"])
def test_a_size_cap_below_a_byte_or_without_end_still_runs(capsys, megabytes: str) -> None:
    """1e-9 MB is a cap of one byte, inf none to speak of: each a run, not a traceback."""
    code = hdkit(["run", "freshdesk", "search", "--phone", "+1415", "--max-response-mb", megabytes,
                  "--input", "base_url=http://127.0.0.1:9", "--input", "api_key=k"])
    err = capsys.readouterr().err
    assert code == 3 and "could not connect" in err and "Traceback" not in err


def _journal_broken(tmp_path) -> str:
    """The freshdesk sample with its call journal body left half written (no closing brace)."""
    text = samples.text("freshdesk")
    done = ', &quot;private&quot;: true}"'
    assert text.count(done) == 1
    path = tmp_path / "half-done.xml"
    path.write_text(text.replace(done, ', &quot;private&quot;: true"'), encoding="utf-8")
    return str(path)


def test_a_run_says_the_warnings_about_what_it_sends(fresh_sandbox, tmp_path, capsys) -> None:
    """A parameter of the journal that is kept but not sent is said by a call (which logs the
    journal), not by a user sync, which never sends it (hdkit.readiness.concerning)."""
    text = samples.text("freshdesk")
    journal = 'URLFormat="{{.base_url}}/api/v2/tickets/{{.TicketId}}/notes">\n          <Parameters>'
    assert text.count(journal) == 1
    path = tmp_path / "journal-extra.xml"
    path.write_text(text.replace(journal, journal + '\n            <Parameter Name="Note" Type="body" Value="x" />'),
                    encoding="utf-8")
    said = "parameter 'Note' of type 'body' is kept as written but not sent"
    assert hdkit(["run", str(path), "users", "--format", "csv", *inputs(fresh_sandbox)]) == 0
    assert said not in capsys.readouterr().err
    assert hdkit(["run", str(path), "call", "--event", "inbound-missed", "--phone", "+14155550123",
                  *inputs(fresh_sandbox)]) == 0
    assert said in capsys.readouterr().err


def test_a_run_is_refused_only_by_what_it_sends(fresh_sandbox, tmp_path, capsys) -> None:
    """As the workbench's Try: a half-written journal stops neither a user sync nor a search, and
    the run says errors remain elsewhere; a call (which logs the journal) and export are refused."""
    path = _journal_broken(tmp_path)
    assert hdkit(["run", path, "users", "--format", "csv", *inputs(fresh_sandbox)]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == AGENT_COUNT + 1
    assert captured.err.splitlines()[0] == ("note: 1 error(s) elsewhere in the template do not stop this run "
                                            "(hdkit validate lists them; export refuses until they are fixed)")
    assert hdkit(["run", path, "search", "--phone", "+14155550123", *inputs(fresh_sandbox)]) == 0
    assert "Ada Lovelace" in capsys.readouterr().out

    assert hdkit(["run", path, "call", "--event", "inbound-missed", "--phone", "+14155550123",
                  *inputs(fresh_sandbox)]) == 1
    err = capsys.readouterr().err
    assert "1 error(s); not run" in err and "Call Journal Creation Request Data" in err
    assert not fresh_sandbox.state.get("freshdesk", {}).get("tickets")  # nothing was sent
    assert hdkit(["export", path, "-o", str(tmp_path / "out.xml")]) == 1
    assert "not exported" in capsys.readouterr().err and not (tmp_path / "out.xml").exists()
