"""Benchmark: ``data.#.id`` over a ~1 MB document, hdkit.paths vs ``json.loads`` + a list
comprehension (goal: faster) and vs pygjson alone (goal: as fast, ratio ~1.0x: answering every
path like Go must not slow the ordinary ones), measured in the same run. Prints the timings and
the ratios.

``data.#.id`` is answered by pygjson (the fast path); for scale, the same path through hdkit's
own evaluator (what answers ``@reverse``, ``!`` literals, malformed paths...) is timed too.

Run: ``.venv/bin/python bench/bench_gjson.py``
"""

from __future__ import annotations

import json
import timeit

import pygjson

from hdkit.paths import compile_path, gjson_get
from hdkit.paths.evaluate import evaluate
from hdkit.paths.syntax import fast_path


def _document(target_bytes: int = 1_000_000) -> str:
    users = []
    size = 0
    while size < target_bytes:
        n = len(users)
        user = {
            "id": n,
            "name": f"User {n}",
            "email": f"user{n}@example.test",
            "phone": f"+1555{n:07d}",
            "tags": ["a", "b"],
            "address": {"street": f"{n} Main St", "city": "Springfield"},
        }
        users.append(user)
        size += len(json.dumps(user)) + 1
    return json.dumps({"total": len(users), "data": users})


def main(repeat: int = 5, number: int = 10) -> None:
    text = _document()
    path = compile_path("data.#.id")
    expected = [u["id"] for u in json.loads(text)["data"]]
    assert path.get(text).value() == expected == gjson_get(text, "data.#.id").value()

    def hdkit_paths() -> list[int]:
        return path.get(text).value()

    def json_loads() -> list[int]:
        return [u["id"] for u in json.loads(text)["data"]]

    def uncompiled() -> list[int]:
        return gjson_get(text, "data.#.id").value()

    def pygjson_alone() -> list[int]:
        """What hdkit adds nothing to: one native lookup, its JSON text decoded."""
        return json.loads(pygjson.get(text, "data.#.id").to_str())  # its raw text as Python values, as hdkit's

    def own_evaluator() -> str:
        return evaluate(text, "data.#.id").raw

    assert fast_path("data.#.id") and json.loads(own_evaluator()) == expected == pygjson_alone()
    ours = min(timeit.repeat(hdkit_paths, repeat=repeat, number=number)) / number
    direct = min(timeit.repeat(uncompiled, repeat=repeat, number=number)) / number
    native = min(timeit.repeat(pygjson_alone, repeat=repeat, number=number)) / number
    theirs = min(timeit.repeat(json_loads, repeat=repeat, number=number)) / number
    own = min(timeit.repeat(own_evaluator, repeat=2, number=1))
    print(f"document: {len(text) / 1e6:.2f} MB, {len(expected)} users")
    print(f"hdkit.paths  data.#.id (compiled) : {ours * 1e3:8.2f} ms")
    print(f"hdkit.paths  gjson_get            : {direct * 1e3:8.2f} ms")
    print(f"pygjson.get alone                 : {native * 1e3:8.2f} ms")
    print(f"json.loads + list comprehension   : {theirs * 1e3:8.2f} ms")
    print(f"hdkit's own evaluator (slow path) : {own * 1e3:8.2f} ms")
    print(f"ratio (json.loads / hdkit.paths)  : {theirs / ours:8.2f}x {'faster' if ours < theirs else 'SLOWER'}")
    print(f"ratio (json.loads / gjson_get)    : {theirs / direct:8.2f}x {'faster' if direct < theirs else 'SLOWER'}")
    print(f"ratio (hdkit.paths / pygjson)     : {ours / native:8.2f}x (goal ~1.0x)")
    print(f"ratio (gjson_get / pygjson)       : {direct / native:8.2f}x (goal ~1.0x)")
    print(f"ratio (json.loads / own evaluator): {theirs / own:8.2f}x {'faster' if own < theirs else 'SLOWER'}")


if __name__ == "__main__":
    main()
