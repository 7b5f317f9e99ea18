"""The request and response views' data: parts with their problems beside them, status lines,
pretty and tree bodies (bounded), and the path box's answers and located errors."""

from __future__ import annotations

import json

import pytest

import hdkit
from hdkit import samples
from hdkit.responses import (
    LARGE_BODY_CHARS,
    ResponseView,
    evaluate_path,
    gjson_key,
    json_tree,
    request_parts,
    request_text,
)
from hdkit.sandbox.accounts import DEMO

PHONE = samples.demo_phone("freshdesk")


@pytest.fixture
def engine(sandbox) -> hdkit.Engine:
    template = samples.load("freshdesk")
    return hdkit.Engine(template, samples.demo_inputs("freshdesk", sandbox.url))


def test_a_real_search_reads_as_status_timing_and_pretty_json(engine: hdkit.Engine) -> None:
    exchange = engine.search(PHONE).log[0]
    view = ResponseView.of(exchange)
    assert view.status == 200 and view.reason == "OK" and view.is_json
    assert view.status_line.startswith("200 OK · ") and " ms · " in view.status_line and "JSON" in view.status_line
    assert view.pretty.startswith("[\n  {\n    \"id\": ") and "Ada Lovelace" in view.pretty
    assert not view.large
    tree = view.tree()
    assert tree is not None and tree.kind == "array" and tree.children[0].path == "0"
    name = next(c for c in tree.children[0].children if c.key == "name")
    assert (name.path, name.kind, name.preview) == ("0.name", "string", '"Ada Lovelace"')


def test_the_request_shows_what_was_sent_with_secrets_masked(engine: hdkit.Engine) -> None:
    exchange = engine.search(PHONE).log[0]
    text = request_text(exchange)
    assert text.startswith(f"GET {exchange.url}") and "Authorization: " in text
    assert DEMO["freshdesk"]["api_key"] not in text
    labels = [p.label for p in request_parts(exchange)]
    assert labels[0] == "URL" and "Header Authorization" in labels and "Body" not in labels


def test_an_injection_warning_sits_beside_the_body_it_broke(sandbox) -> None:
    template = samples.load("freshdesk")
    engine = hdkit.Engine(template, samples.demo_inputs("freshdesk", sandbox.url), dry_run=True)
    trace = engine.followup("ticket_created", {"TicketId": "7", "Call_Status": 'NO "ANSWER'})
    (step,) = trace.steps
    parts = {p.label: p for p in request_parts(step.exchange, step.problems)}
    assert parts["Body"].text == '{"tags": ["hdkit", "NO "ANSWER"]}'
    (problem,) = parts["Body"].problems
    assert "Call_Status" in problem.message and problem.location.column is not None
    assert not parts["URL"].problems and parts["URL"].text.endswith("/api/v2/tickets/7")


def test_a_failed_exchange_says_what_went_wrong_instead_of_a_status(sandbox) -> None:
    template = samples.load("freshdesk")
    inputs = {**samples.demo_inputs("freshdesk", sandbox.url), "api_key": "wrong"}
    exchange = hdkit.Engine(template, inputs).search(PHONE).log[0]
    view = ResponseView.of(exchange)
    assert view.status == 401 and view.status_line.startswith("401 Unauthorized · ")


def test_a_large_body_becomes_a_bounded_tree() -> None:
    body = json.dumps({"data": [{"id": i, "name": f"user {i}", "tags": list(range(5))} for i in range(2000)]})
    assert len(body) > LARGE_BODY_CHARS
    view = ResponseView(step="Get Users", status=200, reason="OK", outcome="ok", elapsed_ms=5, attempts=1,
                        error="", content_type="application/json", body=body, parsed=json.loads(body), is_json=True)
    assert view.large
    tree = view.tree(max_children=10, max_nodes=100)
    assert tree is not None
    data = tree.children[0]
    assert (data.key, data.preview, len(data.children), data.more) == ("data", "[2000 items]", 10, 1990)
    count = 0
    todo = [tree]
    while todo:
        node = todo.pop()
        count += 1
        todo.extend(node.children)
    assert count <= 100


def test_a_deep_body_does_not_exhaust_the_stack() -> None:
    deep: object = 1
    for _ in range(5000):
        deep = {"a": deep}
    tree = json_tree(deep, max_nodes=3000)
    node, depth = tree, 0
    while node.children:
        node, depth = node.children[0], depth + 1
    assert depth == 2999 and node.path.count(".") == 2998


@pytest.mark.parametrize(("key", "escaped"), [
    ("plain", "plain"), ("a.b", r"a\.b"), ("who?", r"who\?"), ("x*y", r"x\*y"), ("#", r"\#"), (3, "3"),
])
def test_keys_are_escaped_so_the_tree_path_reaches_them(key: object, escaped: str) -> None:
    assert gjson_key(key) == escaped  # type: ignore[arg-type]
    if isinstance(key, str):
        body = json.dumps({key: "found"})
        assert evaluate_path(escaped, body).text == "found"


BODY = json.dumps({"data": [{"id": 1, "name": "Ada", "phone": None}, {"id": 2, "name": "Bob"}]})


@pytest.mark.parametrize(("path", "exists", "text"), [
    pytest.param("data.#.id", True, "[1,2]", id="projection"),
    pytest.param("data.0.name", True, "Ada", id="string"),
    pytest.param("data.0.phone", True, "", id="null-is-not-missing"),
    pytest.param("data.1.phone", False, "", id="missing"),
    pytest.param('data.#(name=="Bob").id', True, "2", id="query"),
    pytest.param("$.data[0].name", True, "Ada", id="jsonpath"),
])
def test_the_path_box_answers_like_the_pbx(path: str, exists: bool, text: str) -> None:
    answer = evaluate_path(path, BODY)
    assert answer.ok and answer.exists is exists and answer.text == text
    if not exists:
        assert str(answer) == "(no value: the path finds nothing)"


def test_the_path_box_pretty_prints_objects() -> None:
    answer = evaluate_path("data.0", BODY)
    assert answer.kind == "object" and answer.pretty.startswith("{\n  \"id\": 1")


@pytest.mark.parametrize(("path", "body", "message"), [
    pytest.param("", BODY, "empty path", id="empty"),
    pytest.param("$.data[", BODY, "invalid JSONPath", id="bad-jsonpath"),
    pytest.param("data.id", "", "no response to read yet", id="no-response"),
])
def test_the_path_box_says_what_is_wrong_and_where(path: str, body: str, message: str) -> None:
    answer = evaluate_path(path, body)
    assert not answer.ok and message in answer.error
    if body:
        assert answer.column is not None and str(answer).endswith(f"(column {answer.column})")
