"""Fuzz hdkit.paths against the Go oracle itself: random documents and paths, every answer compared.

    python3 tests/data/gjson/fuzz_oracle.py ORACLE_BIN [COUNT] [SEED]

The recorded cases pin what was found; this finds what was not. Documents are random JSON
(compact or indented, ASCII-escaped or not, non-ASCII and escaped keys), some truncated or
followed by more JSON lines; paths are random chains of keys, escapes, wildcards, indices,
queries, modifiers, literals, multipaths and stray separators. Each pair goes to the oracle
(see /work/shared/oracle/README.md) and to :func:`hdkit.paths.gjson_get`; the script prints
every pair whose ``(exists, String())`` differs (at most 20) and a last line
``N pairs, M differ``. The pairs it found were added to hdkit_cases.jsonl (``h2001``...).
Run from the repository root with hdkit importable.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

KEYS = ["a", "b", "n", "id", "name", "x y", "a.b", "a|b", "?", "a?", "*", "@this", "\\", 'k"q', "",
        "1", "#", "é", "日本", "aé"]
SCALARS = [0, 1, -1, 2.5, 1e21, -0.0, 10**20, "s", "", 'a"b', "é", "日本", "1", True, False, None, "true"]
ATOMS = [
    "a", "b", "n", "id", "name", "1", "0", "-1", "#", "*", "a*", "?", "??", "a?", "é*", "\\.", "a\\.b", "\\?",
    "\\*", "\\\\*", "*\\*", "\\|", "\\.@values", "\\@this", "@reverse", "@keys", "@values", "@this", "@flatten",
    '@flatten:{"deep":true}', "@join", '@join:{"preserve":true}', "@tostr", "@fromstr", "@group", "@pretty",
    '@pretty:{"sortKeys":true}', '@pretty:{"width":8,"indent":"\\t"}', "@ugly", "@valid", "@nope", "!true",
    '!"s"', '!{"a":1}', "!-1.5", "#(a==1)", "#(a==1)#", '#(n%"?")#', '#(name!%"*a*")#', "#(b)", "#(a>0)",
    "#(#(a))", "#[a==1]", "#()", "{a,b}", "[a,b]", '{"k":a}', "{a:b,c}", "[", "{", "(", ")", "]", "}", ",",
    '"', "==", "..", "|", ".",
]


def _value(rnd: random.Random, depth: int = 0) -> object:
    roll = rnd.random()
    if depth > 3 or roll < 0.35:
        return rnd.choice(SCALARS)
    if roll < 0.7:
        return {rnd.choice(KEYS): _value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}
    return [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]


def document(rnd: random.Random) -> str:
    text = json.dumps(_value(rnd), ensure_ascii=rnd.random() < 0.5, indent=rnd.choice([None, None, 1, "\t"]))
    roll = rnd.random()
    if roll < 0.05:
        return text[: rnd.randint(0, len(text))]  # truncated
    if roll < 0.08:
        return text + "\n" + json.dumps(_value(rnd))  # JSON lines
    return text


def path(rnd: random.Random) -> str:
    out = rnd.choice(ATOMS)
    for _ in range(rnd.randint(0, 4)):
        out += rnd.choice([".", ".", "|", ""]) + rnd.choice(ATOMS)
    if rnd.random() < 0.2:
        at = rnd.randint(0, len(out))
        out = out[:at] + rnd.choice('.|#@!{}[]()":,\\*?~= ') + out[at:]
    return out


def main(oracle: str, count: int = 10_000, seed: int = 0) -> int:
    from hdkit.paths import gjson_get

    rnd = random.Random(seed)
    pairs = list(dict.fromkeys((document(rnd), path(rnd)) for _ in range(count)))
    asked = "".join(json.dumps({"kind": "gjson", "json": d, "path": p}) + "\n" for d, p in pairs)
    answers = subprocess.run([oracle], input=asked.encode(), stdout=subprocess.PIPE, check=True).stdout
    differ = 0
    for (doc, expr), line in zip(pairs, answers.decode().splitlines(), strict=True):
        go = json.loads(line)
        try:
            got = gjson_get(doc, expr)
            ours: tuple[object, str] = (got.exists, got.string)
        except Exception as exc:  # noqa: BLE001 - a refusal or a crash is a difference too
            ours = ("raised", repr(exc))
        if ours != (go.get("exists"), go.get("result")):
            differ += 1
            if differ <= 20:
                print(json.dumps({"json": doc, "path": expr, "hdkit": ours, "go": [go.get("exists"), go.get("result")]},
                                 ensure_ascii=False))
    print(f"{len(pairs)} pairs, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    sys.exit(main(args[0], *(int(a) for a in args[1:3])))
