"""Mapping 10,000 users x 4 fields into a DataFrame: hdkit vs json.loads + pandas.json_normalize.

hdkit's path is the one ``Engine.users()`` takes for each page: GJSON extraction of the mapped
fields (``hdkit.extract``), rows as tuples, then columns, redaction and the DataFrame. The
baseline decodes the same bytes with ``json.loads`` and flattens them with
``pandas.json_normalize``. Prints the medians and the ratio (goal: <= 1.0); no assertions.

Run: ``.venv/bin/python bench/bench_frame.py``
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import pandas as pd

from hdkit.engine.scenarios import user_columns, user_rows
from hdkit.results import UsersResult, redact_columns
from hdkit.secrets import Redactor, Secret

N_USERS, REPEAT = 10_000, 15
MAPPING = {"UserUniqueId": "users.#.id", "FirstName": "users.#.first_name",
           "LastName": "users.#.last_name", "Email": "users.#.email"}


def body() -> bytes:
    users = [{"id": 360000000 + i, "first_name": f"First{i}", "last_name": f"Last{i}",
              "email": f"user{i}@example.com", "role": "agent", "active": True,
              "phone": f"+1415555{i:04d}"} for i in range(N_USERS)]
    return json.dumps({"users": users, "next_page": None, "count": N_USERS}).encode()


def hdkit_frame(data: bytes) -> pd.DataFrame:
    redactor = Redactor([Secret("not-in-the-data-1234")])
    rows = user_rows(data.decode(), MAPPING, {})
    return UsersResult(redact_columns(user_columns(rows, list(MAPPING)), redactor)).records()


def baseline_frame(data: bytes) -> pd.DataFrame:
    frame = pd.json_normalize(json.loads(data)["users"])
    return frame[["id", "first_name", "last_name", "email"]]


def medians_ms(*fns: Callable[[bytes], pd.DataFrame], data: bytes) -> list[float]:
    """Median time of each function, run interleaved so machine load hits them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(REPEAT):
        for fn, bucket in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn(data)
            bucket.append(time.perf_counter() - start)
    return [statistics.median(t) * 1000 for t in times]


def main() -> None:
    data = body()
    ours, theirs = hdkit_frame(data), baseline_frame(data)
    assert ours.shape == theirs.shape == (N_USERS, 4)
    ours_ms, base_ms = medians_ms(hdkit_frame, baseline_frame, data=data)
    print(f"{N_USERS} users x 4 fields, {len(data) / 1e6:.1f} MB, median of {REPEAT}")
    print(f"  hdkit (extract + columns + DataFrame): {ours_ms:8.2f} ms")
    print(f"  json.loads + pandas.json_normalize:    {base_ms:8.2f} ms")
    print(f"  ratio hdkit / baseline: {ours_ms / base_ms:.2f}  (goal <= 1.00)")


if __name__ == "__main__":
    main()
