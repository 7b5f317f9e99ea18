"""GJSON conformance against the Go oracle's recorded answers (gjson 1.14.4).

Every recorded case (2,831: the public sample, hdkit's probes, fuzzed and malformed paths, the evaluator's)
matches Go's ``Exists()``/``String()`` exactly. Nothing is refused: refusal is left only for
paths too long or too deeply nested to evaluate safely (tests/paths/test_lookup.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hdkit.errors import PathError
from hdkit.paths import compile_path, gjson_get

import support

ROOT = support.ROOT
DATA = support.DATA / "gjson"
ORACLE = support.DATA / "oracle"
STEMS = ("gjson", "hdkit", "fuzz", "malformed", "evaluator")


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]


def _cases() -> list[tuple[dict, dict]]:
    cases: list[tuple[dict, dict]] = []
    for stem in STEMS:
        expected = {e["id"]: e for e in _load(f"{stem}_expected.jsonl")}
        cases += [(c, expected[c["id"]]) for c in _load(f"{stem}_cases.jsonl")]
    return cases


CASES = _cases()


def test_every_recorded_case_is_here() -> None:
    ids = [c["id"] for c, _ in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 2831


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c["id"] for c, _ in CASES])
def test_case_matches_go(case: dict, expected: dict) -> None:
    got = gjson_get(case["json"], case["path"])
    assert (got.exists, got.string) == (expected["exists"], expected["result"])
    if expected["exists"] and expected["type"] != "String":
        assert got.type == expected["type"]


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c["id"] for c, _ in CASES])
def test_compile_agrees_with_get(case: dict, expected: dict) -> None:
    """compile_path answers what gjson_get answers (it only adds the empty-path error)."""
    direct = gjson_get(case["json"], case["path"])
    try:
        compiled = compile_path(case["path"]).get(case["json"])
    except PathError:
        assert not case["path"].strip() and not direct.exists
        return
    assert compiled == direct


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--cases", str(DATA), "--gjson", "hdkit.paths:gjson_get"], id="gjson"),
        pytest.param(["--cases", str(ORACLE), "--tmpl", "hdkit.gotemplate:render"], id="tmpl"),
    ],
)
def test_the_issues_run_diff_commands_pass(args: list[str], tmp_path: Path) -> None:
    """Conformance, as issue 13 states it: the oracle's own harness (a copy of
    /work/shared/oracle/run_diff.py) over the public cases through the public entry points,
    every case passing, none refused."""
    report = tmp_path / "report.jsonl"
    run = subprocess.run(
        [sys.executable, str(ORACLE / "run_diff.py"), *args, "--summary", "--json-report", str(report), "--show", "0"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 128 and [r for r in rows if not r["ok"]] == []
    assert run.stdout.strip().endswith(f"{len(rows)} passed, 0 failed") and run.returncode == 0
    if "--gjson" in args:
        assert len(rows) == 356 and "gjson: 356/356 = 100.0%" in run.stdout
