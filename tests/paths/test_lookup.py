"""hdkit.paths: GJSON results as Go prints them, JSONPath, and errors that say where."""

from __future__ import annotations

import json

import pytest

from hdkit.errors import Location, PathError
from hdkit.paths import (
    MISSING,
    check_json,
    compile_path,
    escape_query_value,
    format_go_float,
    gjson_get,
    go_string,
    load_json,
)

DOC = '{"data":{"access_token":"tok","users":[{"id":1,"email":null,"score":2.50},{"id":2}]},' \
      '"tokens":[{"value":"v0"},{"value":"v1"}]}'


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(1000.0, "1000", id="integral"),
        pytest.param(10.5, "10.5", id="fraction"),
        pytest.param(1e21, "1000000000000000000000", id="no-exponent"),
        pytest.param(2.5e-3, "0.0025", id="small"),
        pytest.param(-0.0, "-0", id="negative-zero"),
        pytest.param(float("inf"), "+Inf", id="inf"),
        pytest.param(0.30000000000000004, "0.30000000000000004", id="shortest-round-trip"),
    ],
)
def test_format_go_float(value: float, text: str) -> None:
    assert format_go_float(value) == text


@pytest.mark.parametrize(
    ("path", "exists", "string", "kind", "value"),
    [
        pytest.param("data.access_token", True, "tok", "String", "tok", id="string"),
        pytest.param("data.users.0.email", True, "", "Null", None, id="null-is-not-missing"),
        pytest.param("data.users.1.email", False, "", "Null", MISSING, id="missing"),
        pytest.param("data.users.0.score", True, "2.5", "Number", 2.5, id="float-go-format"),
        pytest.param("data.users.#.id", True, "[1,2]", "JSON", [1, 2], id="projection"),
        pytest.param("data.users.#", True, "2", "Number", 2, id="count"),
    ],
)
def test_gjson_get(path: str, exists: bool, string: str, kind: str, value: object) -> None:
    got = gjson_get(DOC, path)
    assert (got.exists, got.string, got.type) == (exists, string, kind)
    assert got.value() is MISSING if value is MISSING else got.value() == value


def test_raw_keeps_source_text_of_numbers() -> None:
    assert gjson_get(DOC, "data.users.0.score").raw == "2.50"


@pytest.mark.parametrize(
    ("expr", "kind", "string"),
    [
        pytest.param("$.data.access_token", "jsonpath", "tok", id="jsonpath-field"),
        pytest.param("$.tokens[0].value", "jsonpath", "v0", id="jsonpath-index"),
        pytest.param("$.tokens[*].value", "jsonpath", '["v0","v1"]', id="jsonpath-wildcard-list"),
        pytest.param("data.access_token", "gjson", "tok", id="gjson"),
        pytest.param("tokens.#.value", "gjson", '["v0","v1"]', id="gjson-projection"),
    ],
)
def test_compile_path_chooses_syntax(expr: str, kind: str, string: str) -> None:
    compiled = compile_path(expr)
    assert compiled.kind == kind
    assert compiled.get(DOC).string == string


def test_jsonpath_missing_is_missing() -> None:
    got = compile_path("$.data.nothing").get(DOC)
    assert not got.exists and got.value() is MISSING


@pytest.mark.parametrize(
    ("expr", "error", "column", "says"),
    [
        pytest.param("$.a b", PathError, 5, "'b'", id="jsonpath-token"),
        pytest.param("$.a[", PathError, 5, "end of path", id="jsonpath-eof"),
        pytest.param("", PathError, 1, "empty", id="empty"),
    ],
)
def test_compile_path_errors_say_where(expr: str, error: type, column: int, says: str) -> None:
    with pytest.raises(error) as info:
        compile_path(expr, Location("ContactSearch", "ResponseField"))
    err = info.value
    assert type(err) is error
    assert err.location.column == column
    assert err.location.section == "ContactSearch"
    assert says in str(err)


def test_invalid_json_body_for_jsonpath_says_line_and_column() -> None:
    with pytest.raises(PathError) as info:
        compile_path("$.a").get('{"a":\n  1,,}')
    assert (info.value.location.line, info.value.location.column) == (2, 5)
    assert "not valid JSON" in str(info.value)


def test_wildcard_falls_through_like_go() -> None:
    doc = '{"v":{"a1":{"x":1},"a2":{"y":3}},"d":{"k":{"x":1},"k":{"y":4}}}'
    assert gjson_get(doc, "v.a*.y").string == "3"
    assert gjson_get(doc, "d.k.y").string == "4"
    assert not gjson_get(doc, "d.k|y").exists


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        pytest.param("5551234", "5551234", id="plain"),
        pytest.param('5"1', '5\\"1', id="quote"),
        pytest.param("a\\b", "a\\\\b", id="backslash"),
    ],
)
def test_escape_query_value(raw: str, escaped: str) -> None:
    assert escape_query_value(raw) == escaped
    doc = '{"d":[{"p":%s,"id":9}]}' % __import__("json").dumps(raw)
    assert gjson_get(doc, f'd.#(p=="{escaped}")#.id').string == "[9]"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (True, "true"), (3, "3"), (2.0, "2"), ("x", "x"), ({"a": [1]}, '{"a":[1]}')],
)
def test_go_string(value: object, text: str) -> None:
    assert go_string(value) == text


@pytest.mark.parametrize(
    ("doc", "path", "exists", "string"),
    [
        pytest.param('{"v":[{"a":1},{"b":2}]}', "v.#.{a}", True, '[{"a":1},{}]', id="projected"),
        pytest.param('{"v":"s"}', "v.#.{a}", False, "", id="projected-over-string"),
        pytest.param('{"v":[]}', "w.#.[a]", False, "", id="projected-over-missing"),
        pytest.param('{"v":[{"c":1}]}', "w.#(c==2)#.{c}", False, "", id="query-over-missing"),
        pytest.param('{"v":[{"a1":{"x":1},"a2":{"y":3}}]}', "*.*", False, "", id="wildcard-not-on-arrays"),
        pytest.param('{"a":1}\n{"a":2}', "..#.a", True, "[1,2]", id="json-lines"),
        pytest.param('{"o":{"a":1}}', "x.y.{a}", False, "", id="multipath-under-missing"),
        pytest.param('{"o":{"a":1}}', "x.{a}", True, "{}", id="multipath-under-missing-key"),
        pytest.param('{"l":[{"a":1}]}', "l.#(a==2).{a}", False, "", id="multipath-after-no-match"),
        pytest.param('{"d":[{"p":"1"}]}', 'd.#(p=="x")#.id|0', True, "[]", id="empty-projection-pipe"),
        pytest.param('{"d":[{"p":"1"}]}', 'd.#(p=="1")#.p|0', True, "1", id="projection-pipe"),
    ],
)
def test_go_answers_where_gjson_rs_differs(doc: str, path: str, exists: bool, string: str) -> None:
    got = gjson_get(doc, path)
    assert (got.exists, got.string) == (exists, string)


F = (
    '{"friends":[{"first":"Dale","last":"Murphy","age":44,"nets":["ig","fb"]},'
    '{"first":"Roger","last":"Craig","age":68,"nets":["fb","tw"]}],"age":37}'
)
V = (
    '{"v":[{"a":1,"b":[{"c":2}]},{"b":[]}],"w":[{"c":1}],"a":[{"b":[{"c":3}]},{"b":{"c":4}}],"x":{"y":[1]},'
    '"items":[{"id":1},{"id":2}],"s":[{"n":""},{"n":"x"}],"users":{"b":2,"a":1},"data":[{"a":"x)","id":7}]}'
)


@pytest.mark.parametrize(
    ("doc", "path", "exists", "string"),
    [
        pytest.param(F, 'friends.#[last=="Murphy"].first', True, 'Dale', id='legacy-query'),
        pytest.param(F, 'friends.0.!true', False, '', id='literal-as-key'),
        pytest.param(F, '!true', True, 'true', id='literal'),
        pytest.param(V, 'users.@keys', True, '["b","a"]', id='keys'),
        pytest.param(V, 'users.@values', True, '[2,1]', id='values'),
        pytest.param(V, 'users.@reverse', True, '{"a":1,"b":2}', id='reverse-object'),
        pytest.param(F, 'friends.#.first|@reverse', True, '["Roger","Dale"]', id='reverse-array'),
        pytest.param(V, '@at', False, '', id='unknown-modifier-is-a-key'),
        pytest.param(V, 'items.#()', False, '', id='empty-query'),
        pytest.param(V, 's.#(n=="")#', True, '[{"n":""}]', id='empty-string-query'),
        pytest.param(F, '{"k":friends.0.first}', True, '{"k":"Dale"}', id='quoted-multipath-key'),
        pytest.param(F, '[age,!1]', True, '[37,1]', id='literal-in-multipath'),
        pytest.param(V, 'users|@tostr', True, '{"b":2,"a":1}', id='tostr'),
        pytest.param(V, 'users|@tostr|@fromstr', True, '{"b":2,"a":1}', id='fromstr'),
        pytest.param('{"id":[1,2],"name":["a","b"]}', '@group', True, '[{"id":1,"name":"a"},{"id":2,"name":"b"}]', id='group'),
        pytest.param(F, 'friends.#(age>1', False, '', id='unclosed-query'),
        pytest.param(F, '[age', False, '', id='unclosed-multipath'),
        pytest.param(V, 'a.#.b*.c', True, '[4]', id='wildcard-after-projection'),
        pytest.param(F, 'friends.#(fir*=="Dale").last', True, 'Murphy', id='wildcard-in-query'),
        pytest.param(V, 'v.#.b.#|c', True, '[]', id='pipe-after-inner-count'),
        pytest.param(F, '{first,age}a', False, '', id='text-after-multipath'),
        pytest.param(F, 'friends.#(age==44)x', True, '{"first":"Dale","last":"Murphy","age":44,"nets":["ig","fb"]}', id='text-after-query'),
        pytest.param(F, 'friends.#(age!1=44)#.first', True, '["Dale","Roger"]', id='lone-bang-tests-existence'),
        pytest.param(V, 'a...b', False, '', id='doubled-empty-key'),
        pytest.param('{"a":1}\n{"a":[1,2}', '..#', True, '2', id='json-lines-broken-line'),
        pytest.param('{"a":1}\n{"a":[1,2}', '..1.a', True, '[1,2}', id='json-lines-broken-value'),
        pytest.param(V, 'data.#(', False, '', id='unbalanced-query'),
        pytest.param(V, 'data.#(a=="x)', False, '', id='unclosed-query-string'),
        pytest.param(V, 'data.{a', False, '', id='unclosed-multipath-object'),
        pytest.param(V, 'a\\', True, '[{"b":[{"c":3}]},{"b":{"c":4}}]', id='dangling-escape'),
        pytest.param(F, 'friends.0.@pretty:{"indent":"--","prefix":"> "}', True, '{\n "first": "Dale",\n "last": "Murphy",\n "age": 44,\n "nets": ["ig", "fb"]\n }\n', id='pretty-options-kept-blanks-only'),
        pytest.param(F, 'friends.#(first=="{{.Phone}}")#.age', True, '[]', id='template-action-text'),
    ],
)
def test_paths_hdkit_used_to_refuse_answer_like_go(doc: str, path: str, exists: bool, string: str) -> None:
    """Answers recorded from the Go oracle (gjson 1.14.4): modifiers, literals, legacy and
    malformed queries, unclosed brackets. hdkit's own evaluator answers them; compile_path
    and gjson_get agree."""
    got = gjson_get(doc, path)
    assert (got.exists, got.string) == (exists, string)
    assert tuple(compile_path(path).get(doc)) == (exists, string)


@pytest.mark.parametrize(
    ("doc", "path", "string"),
    [
        pytest.param('{"brack[0]":1}', "brack[0]", "1", id="balanced-brackets-in-key"),
        pytest.param('{"a":{"":{"b":2}}}', "a..b", "2", id="single-empty-key"),
        pytest.param('{"fr":[1,2]}', "fr*.#", "2", id="wildcard-then-count"),
    ],
)
def test_odd_but_answerable_paths_still_answer_like_go(doc: str, path: str, string: str) -> None:
    """Answers recorded from the Go oracle: the refusals above stay narrow."""
    assert gjson_get(doc, path).string == string


def test_nested_queries_are_accepted() -> None:
    doc = '{"f":[{"n":"a","nets":["fb"]},{"n":"b","nets":["ig"]}]}'
    assert compile_path('f.#(nets.#(=="fb"))#.n').get(doc).string == '["a"]'


# --------------------------------------------------------------------------- issue "Bad input": bad, huge, deep


@pytest.mark.parametrize(
    ("expr", "error", "column", "says"),
    [
        pytest.param("a." * 3000, PathError, 4097, "6000 characters long", id="too-long"),
        pytest.param("$" + ".a" * 3000, PathError, 4097, "characters long", id="jsonpath-too-long"),
        pytest.param("[" * 70 + "]" * 70, PathError, 65, "more than 64 deep", id="nested-too-deep"),
    ],
)
def test_bad_and_hostile_paths_are_refused_with_a_column(expr: str, error: type, column: int, says: str) -> None:
    """The only paths refused: they could exhaust the process (gjson.rs crashes it on ~20,000
    path components). The limits are far above any real response path."""
    with pytest.raises(error) as info:
        compile_path(expr)
    assert says in info.value.message and info.value.location.column == column
    with pytest.raises(error):
        gjson_get("{}", expr)


def test_paths_at_the_limits_still_work() -> None:
    doc = '{"a":' * 60 + "1" + "}" * 60
    assert gjson_get(doc, ".".join(["a"] * 60)).string == "1"
    assert compile_path("[" * 64 + "a" + "]" * 64).get('{"a":1}').exists


@pytest.mark.parametrize("path", ["0", "0|@reverse", "@this"])
def test_value_nested_deeper_than_python_decodes_is_answered_and_only_its_python_value_refused(path: str) -> None:
    """Go answers a path into a body nested thousands deep (the oracle: exists, the raw text);
    so does hdkit. Only the Python value, which Python's recursion limit cannot build, is a
    located error, raised when it is asked for."""
    doc = "[" * 5000 + "]" * 5000
    assert gjson_get(doc, "0.0.0.0.#").string == "1"
    got = gjson_get(doc, path)
    inner = doc[1:-1] if path.startswith("0") else doc
    assert (got.exists, got.string) == (True, inner)
    with pytest.raises(PathError, match="nests too deeply") as info:
        got.value()
    assert info.value.location.field == "response body"


def test_body_nested_past_the_limit_is_refused_at_the_first_bracket_too_deep() -> None:
    """pygjson.validate overflows the native stack on ~500,000 nested '[': refuse first."""
    body = "[" * 1_000_000 + "]" * 1_000_000
    for call in (lambda: check_json(body), lambda: load_json(body), lambda: gjson_get(body, "..0")):
        with pytest.raises(PathError, match="deeper than 10000 levels") as info:
            call()
        assert (info.value.location.line, info.value.location.column) == (1, 10_001)


@pytest.mark.parametrize(
    ("doc", "path", "exists", "string"),
    [
        pytest.param({"k": ["a" * 3000]}, 'k.#(%"*a*a*a*a*b")', False, "", id="no-match"),
        pytest.param({"k": ["ab" * 1500 + "c"]}, 'k.#(%"*a*b*a*b*c")#', True, '["' + "ab" * 1500 + 'c"]', id="match"),
        pytest.param({"a" * 3000: 1}, "*a*a*a*a*b", False, "", id="wildcard-key"),
    ],
)
def test_backtracking_wildcards_answer_like_go(doc: dict, path: str, exists: bool, string: str) -> None:
    """Several '*' against a long value: gjson.rs backtracked without end here; hdkit's
    evaluator keeps gjson's step budget. Answers recorded from the Go oracle."""
    got = gjson_get(json.dumps(doc), path)
    assert (got.exists, got.string) == (exists, string)
