"""Property tests: fuzzed paths and documents against the Go oracle's recorded answers.

Hypothesis composes GJSON paths (keys, indices, ``#``, queries, modifiers, literals,
multipaths, wildcards, escapes, stray brackets) over the recorded documents and some odd ones.
A pair the oracle answered (tests/data/gjson) must get that answer. Any other pair must keep the
invariants: an answer, never an exception (nothing is refused); the same answer twice; and,
where pygjson answers (the fast path), the same answer from hdkit's own evaluator.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdkit.errors import PathError
from hdkit.paths import compile_path, gjson_get
from hdkit.paths.bodies import is_container_json
from hdkit.paths.evaluate import evaluate
from hdkit.paths.gjson import lookup
from hdkit.paths.values import from_pygjson
from hdkit.paths.syntax import fast_path

import support

DATA = support.DATA / "gjson"
STEMS = ("gjson", "hdkit", "fuzz", "malformed", "evaluator")


def _recorded() -> dict[tuple[str, str], tuple[bool, str]]:
    answers: dict[tuple[str, str], tuple[bool, str]] = {}
    for stem in STEMS:
        read = lambda name: [json.loads(x) for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x]
        expected = {e["id"]: e for e in read(f"{stem}_expected.jsonl")}
        for case in read(f"{stem}_cases.jsonl"):
            e = expected[case["id"]]
            answers[(case["json"], case["path"])] = (e["exists"], e["result"])
    return answers


RECORDED = _recorded()
DOCS = sorted({doc for doc, _ in RECORDED})
PATHS = sorted({path for _, path in RECORDED})
ODD_DOCS = [
    '{"a":{"b":1},"a":{"c":2},"x":[{"k":"v1","n":1},{"k":"v2","n":2}],"s":"q\\"","u":"\\u00e9"}',
    '[1,"two",{"three":3},[4,[5]],true,false,null,-0.5e1]',
    '{"a" 1, "b": tru, "d": [1 2 3], "e": {"f" "g"}}',
    '{"a":[1,2,',
    '{"a":1}\n{"a":2}\n[3]\n',
    '{"n":[NaN,Infinity,-1e400],"h":0x10}',
    # whitespace inside nested arrays (@flatten keeps or trims it) and escaped keys (sortKeys)
    '[\n [\n  -1,\n  [\n   ["s", 0]\n  ]\n ] , [ ]\n]',
    '{"b":1,"k\\"q":{"\\u0041":2,"B":[1, [2]]},"\\u65e5":3,"b":0}',
]


def _keys(doc: str) -> list[str]:
    try:
        value = json.loads(doc)
    except ValueError:
        return []
    keys: set[str] = set()
    stack = [value]
    while stack and len(keys) < 40:
        item = stack.pop()
        if isinstance(item, dict):
            keys.update(item)
            stack += item.values()
        elif isinstance(item, list):
            stack += item[:3]
    return sorted(keys)


KEYS = sorted({k for doc in DOCS[:200] for k in _keys(doc) if len(k) < 12})[:150] or ["a"]
key = st.sampled_from(KEYS)
index = st.sampled_from(["#", "0", "1", "2", "-1", "01", "10"])
modifier = st.sampled_from([
    "@reverse", "@keys", "@values", "@tostr", "@fromstr", "@group", "@pretty", "@ugly", "@this", "@valid",
    "@flatten", "@join", '@flatten:{"deep":true}', '@join:{"preserve":true}', '@pretty:{"sortKeys":true}',
    '@pretty:{"width":8,"indent":"\\t"}', "@dig", "@nope",
])
literal = st.sampled_from(["!true", "!false", "!null", "!NaN", '!"s"', '!{"a":1}', "![1,2]", "!-1.5", "!x"])
operator = st.sampled_from(["==", "=", "!=", "<", "<=", ">", ">=", "%", "!%", "!", ""])
query_value = st.one_of(key.map(lambda k: f'"{k}"'), st.sampled_from(["1", "44", '""', '"*"', "~true", "~false", "true"]))
query = st.builds(
    lambda lhs, op, value, brackets, all_: f"#{brackets[0]}{lhs}{op}{value}{brackets[1]}{all_}",
    st.one_of(key, st.just(""), st.builds(lambda a, b: f"{a}.{b}", key, key), key.map(lambda k: k[:1] + "*")),
    operator, query_value, st.sampled_from(["()", "()", "[]"]), st.sampled_from(["", "#"]),
)
multipath = st.builds(
    lambda items, brackets: brackets[0] + ",".join(items) + brackets[1],
    st.lists(st.one_of(key, modifier, literal, st.builds(lambda n, k: f"{n}:{k}", st.sampled_from(['"q"', "n"]), key)),
             min_size=1, max_size=3),
    st.sampled_from(["{}", "[]"]),
)
wildcard = key.map(lambda k: k[: max(1, len(k) // 2)] + "*") | key.map(lambda k: "?" + k[1:])
escaped = key.map(lambda k: "\\" + k)
atom = st.one_of(key, key, index, query, modifier, literal, multipath, wildcard, escaped)
composed = st.builds(
    lambda first, rest, lines: ("..") * lines + first + "".join(sep + a for sep, a in rest),
    atom, st.lists(st.tuples(st.sampled_from([".", ".", "|"]), atom), max_size=3), st.booleans(),
)


@st.composite
def mutated(draw: st.DrawFn, paths: st.SearchStrategy[str]) -> str:
    """A path with stray characters inserted or one deleted: malformed on purpose."""
    path = draw(paths)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(path)))
        if draw(st.booleans()):
            path = path[:at] + draw(st.sampled_from(list('.|#@!{}[]()":,\\*?~= '))) + path[at:]
        else:
            path = path[:at] + path[at + 1 :]
    return path


documents = st.sampled_from(DOCS + ODD_DOCS)
paths = mutated(st.one_of(st.sampled_from(PATHS), composed))
SETTINGS = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _answer(doc: str, path: str) -> tuple[bool, str]:
    """hdkit's answer. Nothing is refused: only a path over the size limits may be, and no
    fuzzed path comes near them (tests/paths/test_lookup.py checks those refusals)."""
    got = gjson_get(doc, path)
    return got.exists, got.string


@SETTINGS
@given(st.sampled_from(sorted(RECORDED)))
def test_recorded_pairs_get_the_recorded_answer(pair: tuple[str, str]) -> None:
    assert _answer(*pair) == RECORDED[pair]


@SETTINGS
@given(documents, paths)
def test_fuzzed_pairs_match_the_oracle_or_keep_the_invariants(doc: str, path: str) -> None:
    first = _answer(doc, path)
    if (doc, path) in RECORDED:
        assert first == RECORDED[(doc, path)]
    assert _answer(doc, path) == first  # deterministic
    try:
        compiled = compile_path(path).get(doc)
    except PathError:
        assert not path.strip()
    else:
        assert tuple(compiled) == first
    if fast_path(path) and is_container_json(doc):  # both engines answer it: they must agree
        own = evaluate(doc, path)
        assert (own.exists, own.string()) == tuple(from_pygjson(lookup(doc, path)))
