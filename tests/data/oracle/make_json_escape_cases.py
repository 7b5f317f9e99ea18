"""Write json_escape_{cases,expected}.jsonl: what Go 1.19 renders for the JSON-string fixes.

    python3 make_json_escape_cases.py [ORACLE]   # default /tmp/oracle/bin/oracle

Each case renders one value three ways inside a JSON body: through hdkit's suggested escaper
(``hdkit.rendering.JSON_ESCAPER``, copied here so this script needs no hdkit), through
``printf "%q"`` (the fix hdkit used to suggest) and through ``js``. The values are the ones each
of Go's own escapers gets wrong for JSON: control characters, DEL, apostrophes, '<', non-ASCII,
astral and unprintable runes, and values thousands of bytes long (the escaper recurses once per
byte; Go allows 100,000 levels). tests/test_rendering.py checks that Go's answers parse as JSON
and read back as the value for the escaper, and that they do not for the other two.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ESCAPER = (
    '{{define "json"}}{{if .}}{{$c := slice . 0 1}}'
    r'{{if or (eq $c "\"") (eq $c "\\") (lt $c " ")}}{{js $c}}{{else}}{{$c}}{{end}}'
    '{{template "json" slice . 1}}{{end}}{{end}}'
)
WAYS = {
    "escaper": ESCAPER + '{"v": "{{template "json" .V}}"}',
    "printf-q": '{"v": {{printf "%q" .V}}}',
    "js": '{"v": "{{js .V}}"}',
}
VALUES = {
    "apostrophe": "O'Brien",
    "quote-backslash": 'say "hi" \\ bye',
    "newline-tab": "line1\nline2\tend",
    "bell-vtab-soh": "a\x07b\x0bc\x01d",
    "nul-esc": "x\x00y\x1b[31mz",
    "del": "rub\x7bout\x7f",
    "lt-gt-amp-eq": "<b>T&C</b> a=b",
    "latin": "Zoë Ångström café",
    "cjk": "張偉 日本語",
    "emoji": "call 😀 back",
    "astral-unprintable": "tag\U000e0001x",
    "private-use": "pua\ue000\U000f0000",
    "line-separator": "a\u2028b\u2029c",
    "c1-control": "c1\x85\x9f",
    "bom": "\ufeffbom",
    "empty": "",
    "long-ascii": "O'Brien \"quoted\"\n\x01 " * 250,
    "long-mixed": ("Ünïcödé 😀 ' \\ \x0b" * 300),
}


def cases() -> list[dict]:
    return [{"id": f"{way}-{name}", "way": way, "value": name, "template": source, "data": {"V": value}}
            for name, value in VALUES.items() for way, source in WAYS.items()]


def main(oracle: str = "/tmp/oracle/bin/oracle") -> None:
    found = cases()
    requests = "".join(json.dumps({"kind": "tmpl", "template": c["template"], "data": c["data"]}) + "\n"
                       for c in found)
    out = subprocess.run([oracle], input=requests.encode(), capture_output=True, env={"TZ": "UTC"}, check=True)
    answers = [json.loads(line) for line in out.stdout.decode().split("\n") if line]
    with open(HERE / "json_escape_cases.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in found)
    with open(HERE / "json_escape_expected.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"id": c["id"], **a}, ensure_ascii=False) + "\n" for c, a in zip(found, answers))


if __name__ == "__main__":
    main(*sys.argv[1:])
