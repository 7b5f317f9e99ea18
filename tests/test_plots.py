"""The sync plot is a real PNG (it shows the same in JupyterLab, Voila and a file)."""

from __future__ import annotations

import struct

from hdkit.plots import sync_plot


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def test_records_and_latency_per_page_make_a_png() -> None:
    png = sync_plot([100, 100, 37], [12.5, 14.0, 9.1])
    assert _size(png) == (640, 260) and png.endswith(b"IEND\xaeB`\x82")


def test_an_empty_sync_still_plots() -> None:
    assert _size(sync_plot([], [])) == (640, 260)


def test_more_pages_than_latencies_is_fine() -> None:
    assert len(sync_plot([10] * 40, [5.0] * 30, title="40 pages")) > 1000
