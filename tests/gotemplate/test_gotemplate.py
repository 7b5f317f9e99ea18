"""hdkit.gotemplate's public API beyond Go conformance: spans, quote fixing, the print hook,
field references, options, Python data, secrets, custom functions, errors and limits."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from types import MappingProxyType

import pytest

from hdkit.errors import TemplateError, TemplateExecError, TemplateSyntaxError
from hdkit import gotemplate
from hdkit.gotemplate import ActionSpan, CompiledTemplate, FieldRef, action_spans, fix_quotes, render
from hdkit.gotemplate.lexer import T, lex
from hdkit.secrets import Secret

import support

# ----------------------------------------------------------------------------- action_spans


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("plain text", [], id="no-action"),
        pytest.param("a{{.X}}b", [(1, 7, ".X")], id="simple"),
        pytest.param("a {{- .X -}} b", [(2, 12, ".X")], id="trim-markers-included"),
        pytest.param('{{ "}}" }}', [(0, 10, '"}}"')], id="delim-in-string"),
        pytest.param("{{ `}}` }}", [(0, 10, "`}}`")], id="delim-in-raw-string"),
        pytest.param("{{ '}' }}", [(0, 9, "'}'")], id="brace-in-char"),
        pytest.param('{{ "a\\"}}" }}', [(0, 13, '"a\\"}}"')], id="escaped-quote"),
        pytest.param("{{/* }} */}}x{{.Y}}", [(0, 12, "/* }} */"), (13, 19, ".Y")], id="comment"),
        pytest.param("{{.A}}{{.B", [(0, 6, ".A")], id="unterminated-stops"),
        pytest.param('{{.A}}{{ "open }}', [(0, 6, ".A")], id="unterminated-string-stops"),
        pytest.param("{{-3}}", [(0, 6, "-3")], id="minus-without-space-is-not-trim"),
        pytest.param("{{.a-b}}{{ if }}", [(0, 8, ".a-b"), (8, 16, "if")], id="broken-template-still-scanned"),
        pytest.param("{{ .X\n  | len }}", [(0, 16, ".X\n  | len")], id="multiline-action"),
    ],
)
def test_action_spans(source: str, expected: list) -> None:
    spans = action_spans(source)
    assert [(s.start, s.end, s.text) for s in spans] == expected
    for s in spans:
        assert source[s.start : s.start + 2] == "{{" and source[s.end - 2 : s.end] == "}}"


def test_action_spans_line_and_column() -> None:
    source = "line one\n  x {{ .A }}\n{{.B}}"
    assert action_spans(source) == [ActionSpan(13, 21, 2, 5, ".A"), ActionSpan(22, 28, 3, 1, ".B")]


def test_action_spans_huge_broken_input_is_linear() -> None:
    source = "{{ .X }}" * 20_000 + "{{ 'unterminated"
    assert len(action_spans(source)) == 20_000


# ----------------------------------------------------------------------------- fix_quotes


@pytest.mark.parametrize(
    ("source", "fixed"),
    [
        pytest.param("{{TimeFormat .T 'yyyy-MM-dd' \"1\"}}", '{{TimeFormat .T "yyyy-MM-dd" "1"}}', id="timeformat"),
        pytest.param("{{ printf 'say \"hi\"' }}", '{{ printf "say \\"hi\\"" }}', id="inner-double-quote-escaped"),
        pytest.param("{{ print 'it\\'s' }}", '{{ print "it\'s" }}', id="escaped-apostrophe"),
        pytest.param("{{ 'ab' }}{{ 'cd' }}", '{{ "ab" }}{{ "cd" }}', id="several"),
        pytest.param("{{TimeFormat .T 'yyyy-MM-ddTHH:mm:ss-z' '1'}}", '{{TimeFormat .T "yyyy-MM-ddTHH:mm:ss-z" "1"}}',
                     id="product-description-rune-flag-too"),
        pytest.param("{{ 'ab' }}{{ printf \"%c\" 'a' }}", '{{ "ab" }}{{ printf "%c" \'a\' }}',
                     id="char-constant-in-another-action-kept"),
        pytest.param("it's {{ 'ab' }} text's", "it's {{ \"ab\" }} text's", id="text-outside-actions-untouched"),
        pytest.param("{{ 'a' }} {{ '\\n' }} {{ '\\x41' }}", None, id="real-char-constants"),
        pytest.param("{{ \"'ab'\" }}", None, id="inside-double-quoted"),
        pytest.param("no actions 'ab'", None, id="no-actions"),
    ],
)
def test_fix_quotes(source: str, fixed: str | None) -> None:
    assert fix_quotes(source) == fixed
    if fixed is not None:
        gotemplate.compile(fixed)  # the fix is a valid template


def test_single_quoted_string_is_refused_with_a_fix_hint() -> None:
    """Issue item 5: the product description's single quotes are refused like Go, saying to use double quotes."""
    with pytest.raises(TemplateSyntaxError) as info:
        gotemplate.compile("body:\n{{ TimeFormat .StartTimeUnix 'yyyy-MM-dd' \"1\" }}", "Body")
    err = info.value
    assert "malformed character constant: 'yyyy-MM-dd'" in err.message
    assert (err.location.source, err.location.line, err.location.column) == ("Body", 2, 30)
    assert '{{ TimeFormat .StartTimeUnix "yyyy-MM-dd" "1" }}' in err.hint
    assert "double quotes" in err.hint
    assert err.snippet.splitlines()[1].index("^") == err.snippet.splitlines()[0].index("'yyyy")


# ----------------------------------------------------------------------------- hook


def test_hook_sees_every_printed_value_with_span_start_and_output_position() -> None:
    source = 'x{{.A}}y{{$v := .B}}{{range .L}}[{{.}}]{{end}}{{template "t2" .}}{{define "t2"}}<{{.A}}>{{end}}'
    calls: list[tuple[int, str, int]] = []

    def hook(start: int, text: str, pos: int) -> str:
        calls.append((start, text, pos))
        return text.upper()

    out = gotemplate.compile(source).render({"A": "a", "B": "b", "L": ["p", "q"]}, hook=hook)
    assert out == "xAy[P][Q]<A>"
    starts = {s.start: s.text for s in action_spans(source)}
    assert [(starts[c[0]], c[1], c[2]) for c in calls] == [(".A", "a", 1), (".", "p", 4), (".", "q", 7), (".A", "a", 10)]


def test_hook_output_is_never_parsed_again() -> None:
    """Issue item 2: a rendered value is never re-parsed as a template."""
    out = gotemplate.compile("{{.A}}").render({"A": "x", "B": "secret"}, hook=lambda s, t, p: "{{.B}}")
    assert out == "{{.B}}"


def test_hook_gets_go_text_for_missing_and_non_strings() -> None:
    seen: list[str] = []
    gotemplate.compile("{{.Missing}}{{.N}}{{.F}}{{.L}}").render(
        {"N": 3, "F": 2.0, "L": [1, None]}, hook=lambda s, t, p: seen.append(t) or t
    )
    assert seen == ["<no value>", "3", "2", "[1 <nil>]"]


# ----------------------------------------------------------------------------- fields


def test_fields_lists_top_level_chains_only() -> None:
    source = (
        "{{.Phone}} {{.User.Name}}\n"
        "{{range .Users}}{{.Name}}{{$.Company.Id}}{{else}}{{.Fallback}}{{end}}"
        "{{with .Contact}}{{.Email}}{{else}}{{.NoContact}}{{end}}"
        "{{if .Flag}}{{.InIf}}{{end}}{{(index .Map 0).X}}{{len .Arr}}"
        '{{define "d"}}{{.InDefine}}{{$.AlsoDefine}}{{end}}{{template "d" .Arg}}'
        '{{define "top"}}{{.InTop}}{{template "top" .}}{{end}}{{template "top" $}}{{block "b" .}}{{.InBlock}}{{end}}'
    )
    paths = [f.path for f in gotemplate.compile(source).fields()]
    assert paths == [
        ("Phone",), ("User", "Name"), ("Users",), ("Company", "Id"), ("Fallback",), ("Contact",),
        ("NoContact",), ("Flag",), ("InIf",), ("Map",), ("Arr",), ("Arg",), ("InTop",), ("InBlock",),
    ]


def test_fields_follow_long_template_chains_without_recursion() -> None:
    source = "".join(f'{{{{define "t{i}"}}}}{{{{.F{i}}}}}{{{{template "t{i + 1}" .}}}}{{{{end}}}}' for i in range(3000))
    source += '{{define "t3000"}}{{end}}{{template "t0" .}}'
    assert len(gotemplate.compile(source).fields()) == 3000


def test_fields_positions() -> None:
    t = gotemplate.compile("a\n  {{ .X.Y }}")
    assert t.fields() == [FieldRef(("X", "Y"), 2, 6)]


# ----------------------------------------------------------------------------- options and data


@pytest.mark.parametrize(
    ("missingkey", "expected"),
    [
        pytest.param("default", "[<no value>][<no value>][<no value>]", id="default"),
        pytest.param("invalid", "[<no value>][<no value>][<no value>]", id="invalid-is-default"),
        pytest.param("zero", "[][][<no value>]", id="zero"),
    ],
)
def test_missingkey_modes(missingkey: str, expected: str) -> None:
    assert gotemplate.compile("[{{.M}}][{{.M.Deeper}}][{{.Null}}]").render({"Null": None}, missingkey=missingkey) == expected


def test_missingkey_error_names_the_key_and_position() -> None:
    with pytest.raises(TemplateExecError) as info:
        gotemplate.compile("ok\n{{.User.Email}}", "Body").render({"User": {}}, missingkey="error")
    assert 'map has no entry for key "Email"' in str(info.value)
    assert (info.value.location.line, info.value.location.column) == (2, 3)


def test_missingkey_rejects_unknown_option() -> None:
    with pytest.raises(ValueError, match="missingkey"):
        gotemplate.compile("x").render({}, missingkey="ignore")


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        pytest.param("{{.T}} {{len .T}} {{index .T 1}}", {"T": ("a", "b")}, "[a b] 2 b", id="tuple-is-slice"),
        pytest.param("{{.P.X}}", {"P": MappingProxyType({"X": "y"})}, "y", id="any-mapping"),
        pytest.param("{{.A}} {{.B}} {{.C}} {{.D}}", {"A": 2.0, "B": 1e21, "C": 1e6, "D": 0.1}, "2 1e+21 1e+06 0.1", id="floats-like-go"),
        pytest.param("{{.B}} {{eq .B true}} {{.I}}", {"B": True, "I": 1}, "true true 1", id="bool-is-not-int"),
        pytest.param("{{eq .N 125}}", {"N": 125}, "true", id="int-compares-with-literal"),
        pytest.param("{{slice .Phone 1}}", {"Phone": "+4930123"}, "4930123", id="strip-plus"),
        pytest.param("{{.}}", {"k": {"b": None, "a": [1.5]}}, "map[k:map[a:[1.5] b:<nil>]]", id="nested-go-print"),
    ],
)
def test_python_data(template: str, data: dict, expected: str) -> None:
    assert render(template, data) == expected


def test_secret_renders_revealed_on_the_send_path() -> None:
    data = {"Token": Secret("s3cr et"), "Nested": {"K": Secret("k")}}
    source = "{{.Token}}|{{UrlEncode .Token}}|{{printf \"%s\" .Token}}|{{eq .Token \"s3cr et\"}}|{{len .Token}}|{{.Nested}}"
    assert render(source, data) == "s3cr et|s3cr%20et|s3cr et|true|7|map[K:k]"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{{range .Token}}{{end}}", id="range"),
        pytest.param("{{ToMillis .Token}}", id="tomillis"),
        pytest.param("{{TimeFormat .Token \"yyyy\" \"1\"}}", id="timeformat"),
        pytest.param("{{eq .M .M}}", id="non-comparable"),
    ],
)
def test_secrets_never_reach_error_text(source: str) -> None:
    with pytest.raises(TemplateExecError) as info:
        render(source, {"Token": Secret("hunter2"), "M": {"k": Secret("hunter2")}})
    assert "hunter2" not in str(info.value) and "********" in str(info.value)


def test_time_format_uses_the_local_zone_unless_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        # answers recorded from the Go oracle under TZ=America/New_York
        source = '{{TimeFormat 1700000000 "yyyy-MM-dd HH:mm K Z zzz zz z"}}|{{TimeFormat 1700000000 "HH K" "0"}}|{{TimeFormat 1688000000 "HH zzz"}}|{{TimeFormat 1700000000 "HH K" "1"}}'
        assert render(source, {}) == "2023-11-14 17:13 -05:00 -0500 -05:00 -05 -5|17 -05:00|20 -04:00|22 Z"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# ----------------------------------------------------------------------------- custom functions


def test_custom_functions_extend_and_override() -> None:
    t = gotemplate.compile("{{Upper .A}} {{.A | Join \"-\"}} {{len .A}}", funcs={"Upper": str.upper, "Join": lambda sep, s: sep.join(s), "len": lambda s: "L"})
    assert t.render({"A": "ab"}) == "AB a-b L"


def test_custom_function_failure_is_an_exec_error_with_cause() -> None:
    def boom(x: object) -> str:
        raise RuntimeError("kaput")

    with pytest.raises(TemplateExecError) as info:
        gotemplate.compile("{{Boom .A}}", funcs={"Boom": boom}).render({"A": 1})
    assert "error calling Boom: kaput" in str(info.value)
    assert isinstance(info.value.__cause__, RuntimeError)


@pytest.mark.parametrize(
    "funcs", [pytest.param({"not valid": len}, id="bad-name"), pytest.param({"F": 3}, id="not-callable")]
)
def test_custom_function_table_is_checked(funcs: dict) -> None:
    with pytest.raises(TemplateError):
        gotemplate.compile("x", funcs=funcs)


# ----------------------------------------------------------------------------- errors and limits


@pytest.mark.parametrize(
    ("source", "message", "line", "column"),
    [
        pytest.param("ab\n{{ .X", "unclosed action", 2, 1, id="unterminated-action"),
        pytest.param("{{end}}", "unexpected {{end}}", 1, 3, id="stray-end"),
        pytest.param("{{if .A}}x", "unexpected EOF", 1, 11, id="missing-end"),
        pytest.param("{{ Nope 1 }}", 'function "Nope" not defined', 1, 4, id="unknown-function"),
        pytest.param("{{ $u }}", 'undefined variable "$u"', 1, 4, id="undefined-variable"),
        pytest.param("{{ .a-b }}", "bad character U+002D '-'", 1, 4, id="bad-character"),
        pytest.param("{{ 'ab' }}", "malformed character constant", 1, 4, id="char-constant"),
    ],
)
def test_syntax_errors_have_positions(source: str, message: str, line: int, column: int) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        gotemplate.compile(source, "URL")
    err = info.value
    assert message in err.message
    assert (err.location.source, err.location.line, err.location.column) == ("URL", line, column)
    assert "^" in err.snippet


@pytest.mark.parametrize(
    ("source", "suggestion"),
    [
        pytest.param("{{ timeformat .T \"yyyy\" }}", "did you mean TimeFormat?", id="case"),
        pytest.param("{{ UrlEncod .T }}", "did you mean UrlEncode?", id="typo"),
        pytest.param("{{ frobnicate .T }}", "Yeastar adds TimeFormat", id="no-match"),
    ],
)
def test_unknown_function_hint(source: str, suggestion: str) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        gotemplate.compile(source)
    assert suggestion in info.value.hint


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param("{{ TimeFormat .T }}", "wrong number of args for TimeFormat: want at least 2 got 1", id="arity"),
        pytest.param("{{ ToMillis .Name }}", 'error calling ToMillis: ToMillis: invalid timestamp "bob"', id="func-error"),
        pytest.param("{{ index .L 3 }}", "index out of range: 3", id="index"),
        pytest.param("{{ .Name.First }}", "can't evaluate field First in type string", id="field-of-string"),
    ],
)
def test_exec_errors_name_the_node(source: str, message: str) -> None:
    with pytest.raises(TemplateExecError) as info:
        gotemplate.compile("\n" + source, "Body").render({"Name": "bob", "L": [1]})
    assert message in str(info.value)
    assert info.value.location.line == 2 and info.value.location.source == "Body"


def test_nesting_is_capped_with_a_clear_error() -> None:
    ok = "{{if 1}}" * 100 + "x" + "{{end}}" * 100
    assert render(ok, {}) == "x"
    with pytest.raises(TemplateSyntaxError, match="nested too deeply"):
        gotemplate.compile("{{if 1}}" * 101 + "{{end}}" * 101)
    with pytest.raises(TemplateSyntaxError, match="nested too deeply"):
        gotemplate.compile("{{" + "(" * 150 + "1" + ")" * 150 + "}}")


@pytest.mark.parametrize("source", ['{{printf "%v" .L}}', "{{eq .L .L}}", "{{print .L}}"])
def test_functions_over_deeply_nested_data_fail_with_position(source: str) -> None:
    deep: list = []
    cur = deep
    for _ in range(5000):
        cur.append([])
        cur = cur[0]
    with pytest.raises(TemplateExecError, match="value nested too deeply") as info:
        render(source, {"L": deep})
    assert info.value.location.column == 3


def test_recursive_template_stops_at_the_depth_limit() -> None:
    with pytest.raises(TemplateExecError, match="exceeded maximum template depth"):
        render('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}', {})


def test_huge_template_compiles_and_renders() -> None:
    source = "{{.A}}," * 10_000
    assert gotemplate.compile(source).render({"A": 1}) == "1," * 10_000


# ----------------------------------------------------------------------------- CompiledTemplate object


def test_template_is_immutable_and_keeps_source_and_name() -> None:
    t = gotemplate.compile("{{.A}}", "Subject")
    assert (t.source, t.name) == ("{{.A}}", "Subject")
    with pytest.raises(AttributeError):
        t.source = "x"  # type: ignore[misc]
    assert isinstance(t, CompiledTemplate)


def test_the_old_name_of_a_compiled_template_warns() -> None:
    with pytest.warns(DeprecationWarning, match="CompiledTemplate"):
        assert gotemplate.Template is CompiledTemplate  # type: ignore[attr-defined]


def test_one_template_renders_concurrently() -> None:
    t = gotemplate.compile('{{range $i, $v := .L}}{{$x := $v}}{{$i}}={{$x}};{{end}}{{template "d" .N}}{{define "d"}}<{{.}}>{{end}}')
    results: dict[int, str] = {}

    def work(n: int) -> None:
        for _ in range(200):
            results[n] = t.render({"L": list(range(n)), "N": n})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 9)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == {n: "".join(f"{i}={i};" for i in range(n)) + f"<{n}>" for n in range(1, 9)}


def test_render_entry_point_uses_go_name() -> None:
    with pytest.raises(TemplateExecError, match='executing "t"'):
        render("{{ index 1 1 }}", {})


# ----------------------------------------------------------------------------- spans vs. lexer


def _oracle_templates() -> list[str]:
    data = support.DATA / "oracle"
    rows = []
    for name in ("tmpl_cases.jsonl", "hdkit_tmpl_cases.jsonl"):
        rows += [json.loads(x)["template"] for x in (data / name).read_text("utf-8").split("\n") if x]
    return rows


def test_action_spans_agree_with_the_lexer_and_the_hook() -> None:
    checked = 0
    for source in _oracle_templates():
        try:
            template = gotemplate.compile(source)
        except TemplateSyntaxError:
            continue
        spans = action_spans(source)
        delims = [i for i in lex(source) if i.typ in (T.LEFT_DELIM, T.COMMENT)]
        assert len(spans) == len(delims), source
        starts = {s.start for s in spans}
        seen: list[int] = []
        try:
            template.render({"A": 1}, hook=lambda start, text, pos: seen.append(start) or text)
        except TemplateExecError:
            pass
        assert set(seen) <= starts, source
        checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param("%999999999d", "%!(NOVERB)%!(EXTRA int=7)", id="width-past-1e6"),
        pytest.param("%.9999999999f", "%!(NOVERB)%!(EXTRA int=7)", id="precision-past-1e6"),
        pytest.param("%\u00b2d", "%!\u00b2(int=7)d", id="non-ascii-digit-is-the-verb"),
        pytest.param("%[99999999999]d", "%!d(BADINDEX)", id="index-past-1e6"),
    ],
)
def test_printf_numbers_past_go_limits_are_refused_like_go_not_allocated(fmt: str, expected: str) -> None:
    """Go's parsenum gives up past 1e6, so a hostile width never builds a 1 GB string
    (answers from the Go oracle, also recorded as hd_printf_limits cases)."""
    assert render("{{printf .F 7}}", {"F": fmt}) == expected
