"""Write evaluator_cases.jsonl / evaluator_expected.jsonl: paths hdkit's own evaluator answers.

    python3 tests/data/gjson/make_evaluator_cases.py ORACLE_BIN [COUNT] [SEED]

Composes random GJSON paths from the forms pygjson cannot answer like Go (modifiers, ``!``
literals, multipaths with quoted keys, legacy and malformed queries, wildcards and escapes,
JSON lines, stray brackets...) over the recorded documents and a few odd ones (duplicate keys,
broken JSON, NaN), asks the Go oracle (see /work/shared/oracle/README.md), and keeps the cases
that hdkit routes to its own evaluator: every one Go answers with a value, and as many where it
answers "missing". Run from the repository root with hdkit importable.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

ODD_DOCS = [
    '{"a":{"b":1},"a":{"c":2},"x":[{"k":"v1","n":1},{"k":"v2","n":2,"t":true},{"n":null}],'
    '"s":"str\\"q","e":"","u":"\\u00e9\\ud83d\\ude00","f":1.50,"big":1e3}',
    '[1,"two",{"three":3},[4,[5]],true,false,null,-0.5e1]',
    '{"a b":1,"a.b":2,"a*b":3,"a?":4,"@x":5,"#y":6,"!z":7,"":8,"a\\\\b":9}',
    '{"d":{"x":[1,2],"y":[3,4],"z":5},"arr":[{"id":1,"tags":["a","b"]},{"id":2,"tags":[]},{"id":3}]}',
    '{"a":[1,2,',
    '{"a":{"b":[1,{"c":"x"',
    '{"a" 1, "b": tru, "c": nul, "d": [1 2 3], "e": {"f" "g"}}',
    '{"a":1}\n{"a":2}\n[3]\n"s"\n',
    '  {"a" : 1 }  ',
    '{"n":[NaN,Infinity,-Infinity,nan,inf],"h":0x10}',
    '"just a string [1,2]"',
    '[[1,2],[3,[4,5]],[],{"a":[6]}]',
    '{"g":{"id":[1,2,3],"name":["a","b"]},"s":"{\\"x\\":1}"}',
]
MODIFIERS = [
    "@reverse", "@keys", "@values", "@tostr", "@fromstr", "@group", "@pretty", "@ugly", "@this",
    "@valid", "@flatten", "@join", '@flatten:{"deep":true}', '@join:{"preserve":true}',
    '@pretty:{"sortKeys":true}', '@pretty:{"width":5,"indent":"\\t"}', "@dig:x", "@nope",
]
LITERALS = ["!true", "!false", "!null", "!NaN", "!inf", '!"s"', '!{"a":1}', "![1,2]", "!-1.5", "!0", "!x"]
OPERATORS = ["==", "=", "!=", "<", "<=", ">", ">=", "%", "!%", "!", "~"]
STRAY = list('.|#@!{}[](),:"\\*?~= <>%')


def keys_of(doc: str) -> list[str]:
    try:
        value = json.loads(doc)
    except ValueError:
        return ["a", "b", "x"]
    found: set[str] = set()
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > 4:
            continue
        if isinstance(item, dict):
            found.update(item)
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item[:3]]
    return sorted(found) or ["a"]


def atom(rng: random.Random, keys: list[str]) -> str:
    roll, key = rng.random(), rng.choice(keys)
    if roll < 0.30:
        return key
    if roll < 0.38:
        return rng.choice(["#", "0", "1", "2", "-1", "10"])
    if roll < 0.52:
        value = rng.choice([f'"{rng.choice(keys)}"', "1", "2", '"v1"', "~true", "~false", '""', '"*"', '"a*"',
                           rng.choice(keys), "true", "null"])
        body = rng.choice([key, key + "." + rng.choice(keys), "", "#", "@this", key + "*"])
        body += rng.choice(OPERATORS + [""]) + (value if rng.random() < 0.9 else "")
        opener, closer = ("(", ")") if rng.random() < 0.85 else ("[", "]")
        return "#" + opener + body + closer + ("#" if rng.random() < 0.5 else "")
    if roll < 0.64:
        return rng.choice(MODIFIERS)
    if roll < 0.70:
        return rng.choice(LITERALS)
    if roll < 0.80:
        items = []
        for _ in range(rng.randint(1, 3)):
            item = rng.choice(keys)
            if rng.random() < 0.3:
                item += "." + rng.choice(keys)
            if rng.random() < 0.2:
                item = rng.choice(MODIFIERS + LITERALS)
            if rng.random() < 0.3:
                item = rng.choice(['"q":', "n:", '"bad']) + item
            items.append(item)
        opener, closer = rng.choice([("{", "}"), ("[", "]")])
        return opener + ",".join(items) + closer
    if roll < 0.88:
        half = key[: max(1, len(key) // 2)]
        return rng.choice([half + "*", half + "?" + key[len(half) + 1 :], "*", "?" * len(key)])
    if roll < 0.94:
        return key.replace(".", "\\.") if "." in key else "\\" + key
    return rng.choice(["#", "#.", "..", ""])


def path_for(rng: random.Random, doc: str, known_paths: list[str]) -> str:
    keys = keys_of(doc)
    if rng.random() < 0.25:
        path = rng.choice(known_paths)
    else:
        path = atom(rng, keys)
        for _ in range(rng.randint(0, 3)):
            path += rng.choice([".", ".", ".", "|"]) + atom(rng, keys)
        if rng.random() < 0.1:
            path = ".." + path
    if rng.random() < 0.35:
        for _ in range(rng.randint(1, 3)):
            at, roll = rng.randint(0, len(path)), rng.random()
            if roll < 0.5:
                path = path[:at] + rng.choice(STRAY) + path[at:]
            elif roll < 0.8:
                path = path[:at] + path[at + 1 :]
            else:
                path = path[:at] + rng.choice(keys) + path[at:]
    return path


def document(rng: random.Random, docs: list[str]) -> str:
    doc = rng.choice(docs)
    if rng.random() < 0.1:
        at = rng.randint(0, len(doc))
        doc = doc[:at] + rng.choice(list('{}[]",: \\x1')) + doc[at:]
    return doc


def recorded() -> tuple[list[str], list[str]]:
    cases = []
    for stem in ("gjson", "hdkit", "fuzz", "malformed"):
        cases += [json.loads(line) for line in (HERE / f"{stem}_cases.jsonl").read_text(encoding="utf-8").splitlines()]
    return sorted({c["json"] for c in cases}) + ODD_DOCS, sorted({c["path"] for c in cases})


def ask(oracle: str, pairs: list[tuple[str, str]]) -> list[dict]:
    lines = "".join(json.dumps({"kind": "gjson", "json": j, "path": p}) + "\n" for j, p in pairs)
    out = subprocess.run([oracle], input=lines, capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def main(oracle: str, count: int = 3000, seed: int = 13) -> None:
    from hdkit.paths.syntax import MAX_PATH_LENGTH, fast_path

    rng = random.Random(seed)
    docs, paths = recorded()
    pairs: dict[tuple[str, str], None] = {}
    while len(pairs) < count:
        doc = document(rng, docs)
        path = path_for(rng, doc, paths)
        if len(path) <= MAX_PATH_LENGTH and not fast_path(path):
            pairs[(doc, path)] = None
    answered = list(zip(pairs, ask(oracle, list(pairs))))
    # Keep every case Go answers with a value, and as many where it answers "missing".
    found = [item for item in answered if item[1]["exists"]]
    missing = [item for item in answered if not item[1]["exists"]][: max(len(found), count // 4)]
    chosen = [item for item in answered if item in found or item in missing]
    with open(HERE / "evaluator_cases.jsonl", "w", encoding="utf-8") as cases, \
            open(HERE / "evaluator_expected.jsonl", "w", encoding="utf-8") as expected:
        for n, ((doc, path), answer) in enumerate(chosen, 1):
            case_id = f"e{n:04d}"
            cases.write(json.dumps({"id": case_id, "cat": "evaluator", "json": doc, "path": path}) + "\n")
            expected.write(json.dumps({"id": case_id, "exists": answer["exists"], "result": answer["result"],
                                       "raw": answer["raw"], "type": answer["type"]}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
