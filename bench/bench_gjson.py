"""Benchmark: ``data.#.id`` over a ~1 MB document, hdkit.paths vs ``json.loads`` + a list
comprehension, measured in the same run. Prints both timings and the ratio (goal: faster).

Run: ``.venv/bin/python bench/bench_gjson.py``
"""

from __future__ import annotations

import json
import timeit

from hdkit.paths import compile_path, gjson_get


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

    ours = min(timeit.repeat(hdkit_paths, repeat=repeat, number=number)) / number
    theirs = min(timeit.repeat(json_loads, repeat=repeat, number=number)) / number
    print(f"document: {len(text) / 1e6:.2f} MB, {len(expected)} users")
    print(f"hdkit.paths  data.#.id            : {ours * 1e3:8.2f} ms")
    print(f"json.loads + list comprehension   : {theirs * 1e3:8.2f} ms")
    print(f"ratio (json.loads / hdkit.paths)  : {theirs / ours:8.2f}x {'faster' if ours < theirs else 'SLOWER'}")


if __name__ == "__main__":
    main()
