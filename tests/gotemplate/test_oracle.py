"""Every recorded Go oracle case, rendered through the public ``hdkit.gotemplate.render``.

The expectations were recorded by Go 1.19 (see /work/shared/oracle) under TZ=UTC:
``tmpl_*`` are the shared public cases, ``hdkit_tmpl_*`` hdkit's own cases (written by
make_hdkit_cases.py) answered by the same oracle. A case Go refuses must raise an hdkit
template error.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from hdkit.errors import TemplateError
from hdkit.gotemplate import render

import support

DATA = support.DATA / "oracle"


BASE = json.loads((DATA / "hdkit_tmpl_base.json").read_text("utf-8"))


def _load(prefix: str) -> list:
    cases = [json.loads(line) for line in (DATA / f"{prefix}_cases.jsonl").read_text("utf-8").split("\n") if line.strip()]
    for c in cases:
        if c["data"] == "base":
            c["data"] = BASE
    expected = {
        e["id"]: e
        for e in (json.loads(line) for line in (DATA / f"{prefix}_expected.jsonl").read_text("utf-8").split("\n") if line.strip())
    }
    return [pytest.param(c, expected[c["id"]], id=f"{c['id']}-{c['cat']}") for c in cases]


@pytest.fixture(autouse=True)
def utc_zone():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _check(case: dict, expected: dict) -> None:
    if expected["ok"]:
        assert render(case["template"], case["data"]) == expected["result"]
    else:
        with pytest.raises(TemplateError):
            render(case["template"], case["data"])


@pytest.mark.parametrize(("case", "expected"), _load("tmpl"))
def test_public_oracle_case(case: dict, expected: dict) -> None:
    _check(case, expected)


@pytest.mark.parametrize(("case", "expected"), _load("hdkit_tmpl"))
def test_hdkit_oracle_case(case: dict, expected: dict) -> None:
    _check(case, expected)


def test_every_case_has_an_answer() -> None:
    for prefix in ("tmpl", "hdkit_tmpl"):
        cases = [json.loads(x)["id"] for x in (DATA / f"{prefix}_cases.jsonl").read_text("utf-8").split("\n") if x]
        answers = [json.loads(x)["id"] for x in (DATA / f"{prefix}_expected.jsonl").read_text("utf-8").split("\n") if x]
        assert cases == answers and len(cases) > 100
