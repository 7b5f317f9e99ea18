"""Render speed of hdkit.gotemplate against Jinja2 on a Yeastar call-journal request.

The template is the CallJournal request of the format reference (URL + Zendesk voice-comment
body: nine actions including a TimeFormat). Both engines render the same data with the same
TimeFormat implementation, so the ratio measures the template engines. Goal: ratio <= 2.

    .venv/bin/python bench/bench_render.py [--seconds S]
"""

from __future__ import annotations

import argparse
import os
import time
import timeit

import jinja2

from hdkit import gotemplate
from hdkit.gotemplate.funcs import time_format

GO_SOURCE = (
    "{{if .RecordPath}}https://{{.subdomain}}.example.com/api/v2/tickets/{{.TicketId}}.json{{end}}\n"
    '{"ticket":{"voice_comment":{"from":"{{.CallerNumber}}","to":"{{.CalleeNumber}}",'
    '"recording_url":"{{.RecordPath}}",'
    '"started_at":"{{ TimeFormat .StartTimeUnix "yyyy-MM-dd HH:mm:ss +0000" "1" }}",'
    '"call_duration":{{.Talk_Duration_Sec}}}}}'
)
JINJA_SOURCE = (
    "{% if RecordPath %}https://{{ subdomain }}.example.com/api/v2/tickets/{{ TicketId }}.json{% endif %}\n"
    '{"ticket":{"voice_comment":{"from":"{{ CallerNumber }}","to":"{{ CalleeNumber }}",'
    '"recording_url":"{{ RecordPath }}",'
    '"started_at":"{{ TimeFormat(StartTimeUnix, "yyyy-MM-dd HH:mm:ss +0000", "1") }}",'
    '"call_duration":{{ Talk_Duration_Sec }}}}}'
)
DATA = {
    "RecordPath": "https://pbx.example.com/rec/2023/11/14/1700000000.wav",
    "subdomain": "acme",
    "TicketId": 4711,
    "CallerNumber": "+15550100",
    "CalleeNumber": "1001",
    "StartTimeUnix": 1700000000,
    "Talk_Duration_Sec": 42,
}


def per_render(fn, seconds: float) -> float:
    """Best-of-5 seconds per call, each run lasting about ``seconds / 5``."""
    timer = timeit.Timer(fn)
    n, _ = timer.autorange()
    n = max(1, int(n * (seconds / 5) / 0.2))
    return min(timer.repeat(repeat=5, number=n)) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="measuring time per engine")
    args = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()

    go = gotemplate.compile(GO_SOURCE, "CallJournal")
    env = jinja2.Environment(autoescape=False)
    env.globals["TimeFormat"] = time_format
    jt = env.from_string(JINJA_SOURCE)
    assert go.render(DATA) == jt.render(DATA), "engines disagree"

    hd = per_render(lambda: go.render(DATA), args.seconds)
    jj = per_render(lambda: jt.render(DATA), args.seconds)
    print(f"hdkit.gotemplate: {hd * 1e6:8.2f} us/render")
    print(f"jinja2 {jinja2.__version__:9s}: {jj * 1e6:8.2f} us/render")
    print(f"ratio hdkit/jinja2: {hd / jj:.2f} (goal <= 2.0)")


if __name__ == "__main__":
    main()
