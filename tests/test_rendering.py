"""hdkit.rendering: JSON/URL well-formedness, contexts, lint, checked and safe rendering."""

from __future__ import annotations

import json

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import support
from hdkit.errors import Location, TemplateExecError
from hdkit.gotemplate import action_spans
from hdkit.gotemplate.execute import MAX_TEMPLATE_DEPTH
from hdkit.rendering import (
    JSON_ESCAPER,
    Context,
    action_contexts,
    check_json_template,
    lint,
    render_checked,
    render_safe,
)
from hdkit.secrets import MASK, Secret

BODY = (
    '{\n  "name": "{{.Name}}",\n  "n": {{.N}},\n  "{{.Key}}": 1,\n'
    '  "t": "{{ TimeFormat .T "yyyy" "1" }}",\n  "q": {{printf "%q" .Name}}\n}'
)


def _contexts_by_text(source: str, kind: str) -> dict[str, Context]:
    texts = {s.start: s.text for s in action_spans(source)}
    return {texts[start]: ctx for start, ctx in action_contexts(source, kind).items()}


# --------------------------------------------------------------------------- check_json_template


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(BODY, id="strings-keys-bare-values-and-quoted-args"),
        pytest.param('{"a": 1,{{if .X}}"b": "{{.B}}",{{end}} "c": [1, {{.C}}]}', id="control-actions"),
        pytest.param('[{{.A}}, {{.B}}]', id="bare-array"),
        pytest.param('{{/* comment */}}{"a": {{$x := .A}}{{$x}}}', id="comment-and-variable"),
        pytest.param('{"a": "x \\" {{.A}} \\\\"}', id="escapes"),
    ],
)
def test_well_formed_bodies(source: str) -> None:
    """Issue item 5: each {{...}} is one opaque token to the JSON check, in keys as well as values."""
    assert check_json_template(source) == []


@pytest.mark.parametrize(
    ("source", "line", "column", "says"),
    [
        pytest.param('{"a": 1,, "b": 2}', 1, 9, "expected a key", id="double-comma"),
        pytest.param('{\n  "a": [1, 2,]\n}', 2, 13, "trailing ','", id="trailing-comma"),
        pytest.param('{"a" {{.A}}}', 1, 6, "':'", id="missing-colon"),
        pytest.param('{"a": "{{.A}}"\n', 2, 1, "end of body", id="unclosed"),
        pytest.param('{"a": "{{.A}}}', 1, 7, "unterminated string", id="unterminated-string"),
        pytest.param('{"a": {{.A}} {{.B}}}', 1, 14, "',' or '}'", id="two-values"),
        pytest.param('{"a": 1} x', 1, 10, "after the JSON value", id="trailing-text"),
        pytest.param("", 1, 1, "empty body", id="empty"),
    ],
)
def test_malformed_bodies_say_where(source: str, line: int, column: int, says: str) -> None:
    problems = check_json_template(source, Location("ContactCreate", "Body"))
    assert len(problems) == 1
    problem = problems[0]
    assert problem.severity == "error"
    assert (problem.location.section, problem.location.field) == ("ContactCreate", "Body")
    assert (problem.location.line, problem.location.column) == (line, column)
    assert says in problem.message


# --------------------------------------------------------------------------- action_contexts


def test_json_contexts() -> None:
    assert _contexts_by_text(BODY, "json") == {
        ".Name": Context.JSON_STRING,
        ".N": Context.JSON_VALUE,
        ".Key": Context.JSON_KEY,
        'TimeFormat .T "yyyy" "1"': Context.JSON_STRING,
        'printf "%q" .Name': Context.JSON_VALUE,
    }


URL = "https://h.test/api/{{.Id}}/c?phone={{.Phone}}&q={{UrlEncode .Q}}&{{.K}}=1#{{.F}}"


def test_url_contexts() -> None:
    assert _contexts_by_text(URL, "url") == {
        ".Id": Context.URL_PATH,
        ".Phone": Context.URL_QUERY,
        "UrlEncode .Q": Context.URL_QUERY,
        ".K": Context.URL_OTHER,
        ".F": Context.URL_OTHER,
    }
    assert _contexts_by_text("{{.Base}}/x?a={{.A}}", "url") == {
        ".Base": Context.URL_OTHER,
        ".A": Context.URL_QUERY,
    }


def test_text_contexts_skip_control_actions() -> None:
    assert _contexts_by_text("Hi {{if .A}}{{.A}}{{end}}", "text") == {".A": Context.TEXT}


# --------------------------------------------------------------------------- lint


def test_lint_json_names_variable_position_and_fix() -> None:
    """Issue item 2(b): a variable in a JSON string without escaping warns, with the fix."""
    problems = lint(BODY, "json", Location("ContactCreate", "Body"))
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("json-unescaped", 2, 12),
        ("json-bare", 3, 8),
        ("json-unescaped", 4, 4),
    ]
    first = problems[0]
    assert first.severity == "warning" and ".Name" in first.message and "raw" in first.message
    assert first.fix == f'write {{{{template "json" .Name}}}} in place of {{{{.Name}}}}; define the escaper once, ' \
                        f"at the start of the body: {JSON_ESCAPER}"


@pytest.mark.parametrize(
    "body, fix",
    [
        pytest.param('{"name": {{.DisplayName}}}', 'print it as a JSON string, "{{template "json" .DisplayName}}"',
                     id="free-text"),
        pytest.param('{"dept": {{.department_id}}}', 'print it as a JSON string, "{{template "json" .department_id}}"',
                     id="custom-variable"),
        pytest.param('{"phones": [{{.Phone}}]}', 'print it as a JSON string, "{{.Phone}}"', id="fixed-shape-text"),
    ],
)
def test_lint_json_bare_value_warns_unless_always_a_json_literal(body: str, fix: str) -> None:
    """A variable printed as a bare JSON value (no quotes around it) is valid JSON only while its
    value is a number, true, false or null: "John" renders as {"name": John}."""
    (problem,) = lint(body, "json")
    assert problem.code == "json-bare" and "bare JSON value" in problem.message
    assert problem.fix.startswith(fix)


@pytest.mark.parametrize("body", ['{"id": {{.ContactId}}, "s": {{.Talk_Duration_Sec}}, "p": {{.Page}}}',
                                  '{"n": {{printf "%q" .DisplayName}}, "t": {{ToMillis .StartTimeUnix}}}'])
def test_lint_json_bare_numbers_ids_and_quoted_values_pass(body: str) -> None:
    assert lint(body, "json") == []


def test_lint_json_partial_string_suggests_building_the_string() -> None:
    (problem,) = lint('{"s": "Call from {{.CallerDisplayName}}"}', "json")
    assert problem.fix.startswith('write {{template "json" .CallerDisplayName}} in place of {{.CallerDisplayName}}')


@pytest.mark.parametrize("name", ["Phone", "StartTimeUnix", "Call_Status", "TicketId", "ContactId"])
def test_lint_json_trusts_values_the_pbx_generates_in_a_fixed_shape(name: str) -> None:
    assert lint('{"s": "{{.%s}}", "t": "{{.Subject}}"}' % name, "json")[0].message.startswith(".Subject")
    assert len(lint('{"s": "{{.%s}}"}' % name, "json")) == 0


def test_lint_url_still_warns_about_phone_numbers() -> None:
    """A '+' in an E.164 number decodes as a space in a query: the one that bites most."""
    assert [p.code for p in lint("https://h/c?phone={{.Phone}}", "url")] == ["url-unescaped"]


@pytest.mark.parametrize("name", ["Page", "Offset", "PageSize", "StartTimeUnix", "Talk_Duration_Sec"])
def test_lint_url_trusts_whole_numbers_the_pbx_generates(name: str) -> None:
    """The spec's own pagination URL (limit={{.PageSize}}&offset={{.Offset}}) is not noise."""
    assert lint("https://h/u?n={{.%s}}&q={{.Name}}" % name, "url")[0].message.startswith(".Name")
    assert lint("https://h/u?n={{.%s}}" % name, "url") == []


def test_lint_url_query() -> None:
    """Issue item 2(b): a variable in a URL query without UrlEncode warns, with the fix."""
    path, query = lint(URL, "url", Location("ContactSearch", "URL"))
    assert path.code == "url-path-unescaped" and ".Id" in path.message
    assert query.code == "url-unescaped" and ".Phone" in query.message
    assert query.fix == "write {{UrlEncode .Phone}} in place of {{.Phone}}"
    assert (query.location.line, query.location.column) == (1, 36)


@pytest.mark.parametrize(
    "action",
    [
        pytest.param("{{UrlEncode .P}}", id="UrlEncode"),
        pytest.param("{{.P | urlquery}}", id="urlquery"),
        pytest.param("{{ToMillis .T}}", id="numbers-only"),
        pytest.param('{{"constant"}}', id="no-variable"),
    ],
)
def test_lint_accepts_escaped_or_safe_query_values(action: str) -> None:
    assert lint(f"https://h.test/s?p={action}", "url") == []


@pytest.mark.parametrize(
    "action",
    [
        pytest.param('{{ TimeFormat .T "yyyy" "1" }}', id="TimeFormat"),
        pytest.param('{{ToMillis .T}}', id="ToMillis"),
    ],
)
def test_lint_accepts_escaped_json_strings(action: str) -> None:
    assert lint(f'{{"p": "{action}"}}', "json") == []


# --------------------------------------------------------------------------- render_checked


def test_render_checked_is_faithful_and_quiet_when_valid() -> None:
    """Issue item 2: by default exactly what Go renders, no escaping."""
    rendered = render_checked('{"name": "{{.Name}}"}', {"Name": "Ann"}, "json")
    assert rendered.text == '{"name": "Ann"}' and rendered.problems == [] and rendered.ok


def test_render_checked_names_the_value_that_broke_the_body() -> None:
    """Issue item 2(a): the rendered body is checked to parse; the error names the variable and where."""
    source = '{\n  "id": {{.Id}},\n  "name": "{{.Name}}"\n}'
    rendered = render_checked(source, {"Id": 7, "Name": 'Ann "The Boss"'}, "json", Location("X", "Body"))
    assert rendered.text == '{\n  "id": 7,\n  "name": "Ann "The Boss""\n}'  # Go renders raw
    (problem,) = rendered.problems
    assert problem.severity == "error" and not rendered.ok
    assert (problem.location.line, problem.location.column) == (3, 12)
    assert "{{.Name}}" in problem.message and "The Boss" in problem.message
    assert problem.fix.startswith('write {{template "json" .Name}} in place of {{.Name}}')


def test_render_checked_redacts_secret_values() -> None:
    source = '{"token": "{{.Token}}"}'
    rendered = render_checked(source, {"Token": Secret('s3"cret')}, "json")
    (problem,) = rendered.problems
    assert 's3"cret' not in str(problem) and MASK in problem.message


def test_render_checked_text_kind_reports_nothing() -> None:
    assert render_checked("a {{.A}}", {"A": '"'}, "text").problems == []


# --------------------------------------------------------------------------- render_safe


@pytest.mark.parametrize(
    "value",
    [
        pytest.param('Ann "The Boss"', id="quotes"),
        pytest.param("back\\slash", id="backslash"),
        pytest.param("two\nlines\ttab", id="control"),
        pytest.param("café 😀", id="unicode"),
    ],
)
def test_render_safe_json_always_parses(value: str) -> None:
    """Issue item 2(c): opt-in safe mode escapes each value for the JSON string it lands in."""
    source = '{"name": "{{.V}}", "note": "from {{.V}}", "q": {{printf "%q" .V}}}'
    text = render_safe(source, {"V": value}, "json")
    assert json.loads(text) == {"name": value, "note": f"from {value}", "q": value}


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        pytest.param("hello world!", "hello%20world%21", id="doc-example"),
        pytest.param("a+b&c=d#e", "a%2Bb%26c%3Dd%23e", id="reserved"),
        pytest.param("A-z_0.9~", "A-z_0.9~", id="unreserved-kept"),
        pytest.param("é", "%C3%A9", id="utf8"),
    ],
)
def test_render_safe_url_query(value: str, encoded: str) -> None:
    """Issue item 2(c): opt-in safe mode escapes each value for the URL query it lands in."""
    source = "https://h.test/p/{{.V}}?q={{.V}}&r={{UrlEncode .V}}"
    text = render_safe(source, {"V": value}, "url")
    assert text == f"https://h.test/p/{value}?q={encoded}&r={encoded}"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("[{{range $i, $e := .L}}{{if $i}},{{end}}{{$e}}{{end}}]", id="separator-in-if"),
        pytest.param("[{{range .L}}{{.}},{{end}}]", id="comma-in-range"),
    ],
)
def test_data_dependent_shape_is_only_a_warning(source: str) -> None:
    (problem,) = check_json_template(source)
    assert problem.severity == "warning" and "loop block" in problem.message


def test_render_checked_reports_a_broken_template_not_a_value() -> None:
    rendered = render_checked('{"a": {{.A}},}', {"A": 1}, "json", Location("X", "Body"))
    (problem,) = rendered.problems
    assert problem.code == "json-syntax" and (problem.location.line, problem.location.column) == (1, 13)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        pytest.param("", "''", id="empty"),
        pytest.param("abc", "'abc'", id="text"),
    ],
)
def test_render_checked_bare_value(value: str, says: str) -> None:
    (problem,) = render_checked('{"n": {{.N}}}', {"N": value}, "json").problems
    assert f"{{{{.N}}}} printed {says}" in problem.message
    assert problem.fix.startswith('print it as a JSON string, "{{template "json" .N}}", unless the value is always')


def test_rendered_repr_masks_secrets() -> None:
    rendered = render_checked('{"token": "{{.T}}"}', {"T": Secret("hunter2")}, "json")
    assert rendered.text == '{"token": "hunter2"}'  # what is sent
    assert "hunter2" not in repr(rendered) and MASK in repr(rendered)


def test_render_safe_prints_secrets_escaped() -> None:
    text = render_safe('{"k": "{{.Key}}"}', {"Key": Secret('a"b')}, "json")
    assert json.loads(text) == {"k": 'a"b'}


def test_contexts_survive_a_broken_body() -> None:
    source = '{"a": "{{.A}}", "b": {{.B}},, "c": "{{.C}}"}'
    assert _contexts_by_text(source, "json") == {
        ".A": Context.JSON_STRING,
        ".B": Context.JSON_VALUE,
        ".C": Context.JSON_STRING,
    }


def test_lint_json_fix_passes_a_whole_pipeline_to_the_escaper() -> None:
    (problem,) = lint('{"n": "{{or .LastName "Unknown"}}"}', "json")
    assert problem.fix.startswith('write {{template "json" (or .LastName "Unknown")}} in place of '
                                  '{{or .LastName "Unknown"}}; define the escaper once')
    fixed = JSON_ESCAPER + '{"n": "{{template "json" (or .LastName "Unknown")}}"}'
    assert lint(fixed, "json") == [] and check_json_template(fixed) == []
    assert json.loads(render_checked(fixed, {"LastName": 'O"Brien\n\x01'}, "json").text) == {"n": 'O"Brien\n\x01'}
    assert json.loads(render_checked(fixed, {}, "json").text) == {"n": "Unknown"}


def test_lint_json_fix_is_not_repeated_once_the_body_defines_the_escaper() -> None:
    (problem,) = lint(JSON_ESCAPER + '{"a": "{{template "json" .A}}", "b": "{{.B}}"}', "json")
    assert problem.fix == 'write {{template "json" .B}} in place of {{.B}}'


def _oracle(name: str) -> dict[str, dict]:
    lines = (support.DATA / "oracle" / name).read_text("utf-8").split("\n")
    return {row["id"]: row for row in map(json.loads, filter(None, lines))}


JSON_CASES = _oracle("json_escape_cases.jsonl")
JSON_ANSWERS = _oracle("json_escape_expected.jsonl")


def _reads_back(text: str, value: str) -> bool:
    try:
        return json.loads(text)["v"] == value
    except ValueError:
        return False


@pytest.mark.parametrize("case", [c for c in JSON_CASES.values() if c["way"] == "escaper"], ids=lambda c: c["id"])
def test_the_suggested_json_fix_is_valid_json_for_every_value_in_go(case: dict) -> None:
    """Recorded from Go 1.19 (make_json_escape_cases.py): control characters, DEL, astral and
    unprintable runes, 7,500-byte values; each body parses and reads back as the value."""
    assert case["template"].startswith(JSON_ESCAPER)
    assert _reads_back(JSON_ANSWERS[case["id"]]["result"], case["data"]["V"])


@pytest.mark.parametrize(("way", "wrong"), [
    pytest.param("printf-q", {"bell-vtab-soh", "nul-esc", "del", "astral-unprintable", "private-use", "long-ascii",
                              "long-mixed"}, id="printf-q"),
    pytest.param("js", {"apostrophe", "astral-unprintable", "private-use", "long-ascii", "long-mixed"}, id="js"),
])
def test_gos_own_escapers_are_not_json_escapers(way: str, wrong: set[str]) -> None:
    """Why the fix is neither printf "%q" (it writes \\x01, \\a, \\v, \\U000e0001) nor js (\\'): for
    these values Go's answer does not parse as JSON, or reads back as another text."""
    assert {c["value"] for c in JSON_CASES.values()
            if c["way"] == way and not _reads_back(JSON_ANSWERS[c["id"]]["result"], c["data"]["V"])} == wrong


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=MAX_TEMPLATE_DEPTH - 5))
def test_the_suggested_json_fix_renders_valid_json_in_hdkit(value: str) -> None:
    """Any ASCII value (hdkit's renderer follows Go byte for byte there; its template depth stops
    at 100 levels, Go's at 100,000) goes through the escaper to valid JSON that reads back."""
    body = JSON_ESCAPER + '{"v": "{{template "json" .V}}"}'
    assert json.loads(render_checked(body, {"V": value}, "json").text) == {"v": value}


@pytest.mark.parametrize("action", ['{{js .Name}}', '{{.Name | js}}'])
def test_lint_flags_js_in_json_strings(action: str) -> None:
    """{{js .Name}} is JavaScript escaping: an apostrophe becomes \\', which JSON refuses."""
    (problem,) = lint(f'{{"n": "{action}"}}', "json")
    assert problem.code == "json-js" and "\\'" in problem.message
    assert problem.fix.startswith('write {{template "json" .Name}} in place of ')


# --------------------------------------------------------------------------- issue "Bad input": deep bodies and data


@pytest.mark.parametrize(
    ("source", "column"),
    [
        pytest.param("[" * 100_000 + "]" * 100_000, 201, id="arrays"),
        pytest.param('{"a":' * 50_000 + "1" + "}" * 50_000, 1001, id="objects"),
    ],
)
def test_deeply_nested_body_template_is_a_problem_not_a_crash(source: str, column: int) -> None:
    """The 201st opening bracket is named; the checker never recurses past 200 levels."""
    (problem,) = check_json_template(source, Location("X", "Body"))
    assert problem.severity == "error" and "nested more than 200 levels deep" in problem.message
    assert (problem.location.line, problem.location.column) == (1, column)


def test_deeply_nested_data_fails_as_a_template_error() -> None:
    deep: list = []
    cur = deep
    for _ in range(5000):
        cur.append([])
        cur = cur[0]
    with pytest.raises(TemplateExecError, match="nesting too deep"):
        render_checked('{"a": {{.L}}}', {"L": deep}, "json")


@pytest.mark.parametrize("mode", ["checked", "safe"])
def test_a_rendered_value_is_never_parsed_as_a_template(mode: str) -> None:
    """Issue item 2: a value that looks like an action is printed as text, in every mode."""
    data = {"Name": "{{.Secret}}", "Secret": "s3cret"}
    source = '{"name": "{{.Name}}"}'
    text = render_checked(source, data, "json").text if mode == "checked" else render_safe(source, data, "json")
    assert json.loads(text) == {"name": "{{.Secret}}"}


def test_the_old_module_name_warns_and_gives_the_same_functions() -> None:
    import importlib
    import sys

    import hdkit.rendering

    sys.modules.pop("hdkit.injection", None)
    with pytest.warns(DeprecationWarning, match="hdkit.injection is now hdkit.rendering"):
        old = importlib.import_module("hdkit.injection")
    assert old.render_checked is hdkit.rendering.render_checked and old.__all__ == hdkit.rendering.__all__


# --------------------------------------------------------------------------- issue 12: URL path segments


@pytest.mark.parametrize(
    ("url", "variable"),
    [
        pytest.param("https://h.test/api/contacts/{{.FirstName}}", ".FirstName", id="name-segment"),
        pytest.param("{{.base_url}}/phone/{{.Phone}}/lookup", ".Phone", id="phone-may-hold-hash"),
        pytest.param("https://h.test/t/{{.Subject}}?x=1", ".Subject", id="before-the-query"),
    ],
)
def test_lint_url_path_segments(url: str, variable: str) -> None:
    """A '/' in the value adds a segment, '?' starts the query, '#' cuts the URL: the PBX renders raw."""
    (problem,) = lint(url, "url")
    assert problem.code == "url-path-unescaped" and problem.message.startswith(variable)
    assert all(c in problem.message for c in "/?#")
    assert problem.fix == f"write {{{{UrlEncode {variable}}}}} in place of {{{{{variable}}}}}"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("{{.base_url}}/contacts/{{.ContactId}}", id="helpdesk-id"),
        pytest.param("https://h.test/tickets/{{.TicketId}}/notes", id="ticket-id"),
        pytest.param("https://h.test/users?page={{.Page}}", id="number-in-query"),
        pytest.param("https://h.test/c/{{UrlEncode .FirstName}}", id="encoded"),
        pytest.param("https://{{.subdomain}}.h.test/api", id="host-is-no-path"),
        pytest.param("https://h.test/a#{{.FirstName}}", id="fragment"),
    ],
)
def test_lint_url_path_trusts_ids_numbers_and_encoded_values(url: str) -> None:
    assert lint(url, "url") == []


def test_url_contexts_of_many_actions_are_placed_like_few() -> None:
    """The URL's shape is found once (it was searched again for every action: 200,000 actions took
    minutes); each action still lands where it did."""
    url = "https://h.test/p/{{.A}}?q={{.B}}&{{.C}}=1&r=x{{.D}}#{{.E}}"
    expected = [Context.URL_PATH, Context.URL_QUERY, Context.URL_OTHER, Context.URL_QUERY, Context.URL_OTHER]
    assert list(action_contexts(url, "url").values()) == expected
    many = "https://h.test/p?" + "&".join(f"k{i}={{{{.V}}}}" for i in range(5000))
    assert set(action_contexts(many, "url").values()) == {Context.URL_QUERY}
    assert len(lint(many, "url")) == 5000
