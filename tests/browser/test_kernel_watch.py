"""The watch on a page's kernel connection reads both wire protocols as Jupyter Server writes
them, so an exception raised in a button callback (which never shows in the page) fails the
browser tests. Frames here are built by Jupyter Server's own serializer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
from support import browser

ERROR = {"ename": "KeyError", "evalue": "'base_url'", "traceback": ["Traceback (most recent call last):", "KeyError"]}


def _msg(kind: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"header": {"msg_type": kind, "msg_id": "1"}, "parent_header": {"msg_type": "comm_msg"},
            "metadata": {}, "content": content, "channel": "iopub"}


def _v1(msg: dict[str, Any]) -> bytes:
    return serialize_msg_to_ws_v1(msg, "iopub", pack=lambda part: json.dumps(part).encode())


@pytest.mark.parametrize("encode", [_v1, json.dumps], ids=["v1-binary", "legacy-json"])
def test_a_callback_error_and_a_stderr_traceback_are_problems(encode: Any) -> None:
    watch = browser.KernelWatch()
    watch.frame(encode(_msg("comm_msg", {"data": {"method": "update"}})))
    watch.frame(encode(_msg("stream", {"name": "stderr", "text": "Traceback (most recent call last):\n"})))
    watch.frame(encode(_msg("error", ERROR)))
    assert watch.kinds == {"comm_msg": 1, "stream": 1, "error": 1}
    assert watch.errors == ["KeyError: 'base_url'\nTraceback (most recent call last):\nKeyError"]
    with pytest.raises(AssertionError, match=r"kernel error: KeyError: 'base_url'(.|\n)*kernel stderr: Traceback"):
        watch.check()


def test_quiet_widget_traffic_passes_and_silence_does_not() -> None:
    watch = browser.KernelWatch()
    with pytest.raises(AssertionError, match="no widget message decoded"):
        watch.check()
    watch.frame(_v1(_msg("comm_msg", {"data": {"method": "update"}})))
    watch.frame(_v1(_msg("stream", {"name": "stderr", "text": "a harmless note\n"})))
    watch.check()
    assert browser.decode_frame(b"\x01\x00") is None and browser.decode_frame("not json") is None


class _Page:
    """A page whose widget outputs show ``texts`` (what wait_widgets_rendered reads of it)."""

    def __init__(self, texts: list[str], rendered: int = 0) -> None:
        self.texts, self.rendered = texts, rendered

    def locator(self, selector: str) -> Any:
        page = self

        class _Found:
            def all_inner_texts(self) -> list[str]:
                return page.texts

            def count(self) -> int:
                return page.rendered if selector == ".jupyter-widgets" else len(page.texts)
        return _Found()


def test_only_a_missing_model_is_the_front_end_race_the_lab_test_retries() -> None:
    watch = browser.KernelWatch(console_errors=["Error: widget model not found", "unrelated 404"])
    with pytest.raises(browser.WidgetsNotRendered) as failure:
        browser.wait_widgets_rendered(_Page(["Error displaying widget: model not found"], 1), watch=watch)
    assert failure.value.race
    assert "Page console: Error: widget model not found" in str(failure.value)
    assert "unrelated" not in str(failure.value)

    with pytest.raises(browser.WidgetsNotRendered) as failure:  # a broken front end is never retried
        browser.wait_widgets_rendered(_Page(["VBox(children=(HTML(value='x'),))"]), timeout_s=0)
    assert not failure.value.race and "plain text" in str(failure.value)
    with pytest.raises(browser.WidgetsNotRendered) as failure:
        browser.wait_widgets_rendered(_Page([]), timeout_s=0)
    assert not failure.value.race and "no widget view rendered at all" in str(failure.value)
    with pytest.raises(browser.WidgetsNotRendered) as failure:
        browser.wait_widgets_rendered(_Page(["Error displaying widget: model not found",
                                             "Error displaying widget"], 1), timeout_s=0)
    assert not failure.value.race

    browser.wait_widgets_rendered(_Page(["a table"], 1), timeout_s=0)  # rendered: no failure
