"""The sandbox server's life: starts, binds 127.0.0.1 only, stops cleanly, runs from the CLI."""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from support.sandbox_api import KD_AUTH

from hdkit.sandbox import Sandbox
from hdkit.sandbox.__main__ import banner, main


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_start_serve_and_stop_cleanly() -> None:
    with Sandbox() as hd:
        port, thread = hd.port, hd.thread
        assert port > 0 and hd.url == f"http://127.0.0.1:{port}" and hd.running
        assert httpx.get(hd.url + "/_sandbox").status_code == 200
        assert _port_open(port) and thread is not None and thread.is_alive()
        assert "running" in repr(hd)
    assert not thread.is_alive() and not hd.running and hd.thread is None
    assert not _port_open(port) and hd.port == port
    hd.stop()  # idempotent


def test_binds_loopback_only() -> None:
    with Sandbox() as hd:
        assert hd.address == ("127.0.0.1", hd.port)
    assert hd.address is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "localhost", "192.168.1.10", ""])
def test_refuses_any_other_host(host: str) -> None:
    with pytest.raises(ValueError, match="127.0.0.1 only"):
        Sandbox(host=host)


def test_refuses_bad_port_and_double_start() -> None:
    with pytest.raises(ValueError):
        Sandbox(port=70000)
    with Sandbox() as hd:
        with pytest.raises(RuntimeError, match="already running"):
            hd.start()
        with pytest.raises(OSError):
            Sandbox(port=hd.port).start()


@pytest.mark.parametrize("switch", [pytest.param({"timeout": 1, "hang_s": 30}, id="hang"),
                                    pytest.param({"latency_ms": 30_000}, id="latency")])
def test_stop_ends_a_waiting_request_without_an_error(switch: dict) -> None:
    """A fault's wait ends when the server stops: nothing for uvicorn to cancel and log."""
    hd = Sandbox().start()
    hd.faults.update(**switch)
    outcome: list[str] = []

    def call() -> None:
        try:
            httpx.get(hd.url + "/keydesk/api/users", headers=KD_AUTH, timeout=10)
            outcome.append("answered")
        except httpx.HTTPError as exc:
            outcome.append(type(exc).__name__)

    caller = threading.Thread(target=call)
    caller.start()
    for _ in range(200):  # wait (bounded) until the server holds the request
        if hd.requests:
            break
        threading.Event().wait(0.01)
    thread = hd.thread
    logged = _Recorder()
    uvicorn_log = logging.getLogger("uvicorn.error")  # uvicorn's loggers do not propagate
    uvicorn_log.addHandler(logged)
    try:
        hd.stop()
    finally:
        uvicorn_log.removeHandler(logged)
    caller.join(10)
    assert thread is not None and not thread.is_alive()
    assert not caller.is_alive() and outcome
    assert [r.getMessage() for r in logged.records if r.levelno >= logging.WARNING] == []


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_cli_main_prints_url_and_credentials_and_stops_on_ctrl_c() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "hdkit.sandbox", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = proc.stdout.readline() if proc.stdout else ""
        assert first.startswith("hdkit sandbox on http://127.0.0.1:")
        url = first.split()[3]
        rest = [proc.stdout.readline() for _ in banner(url).splitlines()[1:]] if proc.stdout else []
        assert first + "".join(rest) == banner(url) + "\n"
        assert httpx.get(url + "/keydesk/api/users", headers=KD_AUTH, timeout=5).status_code == 200
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout:
            proc.stdout.close()
    assert proc.returncode == 0
    assert "kd-demo-api-key" in "".join(rest) and "/zoho/api/v1" in "".join(rest)


def test_cli_main_reports_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    with Sandbox() as hd:
        assert main(["--port", str(hd.port)]) == 1
    assert f"cannot listen on 127.0.0.1:{hd.port}" in capsys.readouterr().err
    assert main(["--port", "99999"]) == 1


def test_banner_lists_every_vendor() -> None:
    text = banner("http://127.0.0.1:1")
    for path in ("/zendesk/api/v2", "/freshdesk/api/v2", "/zoho/api/v1", "/keydesk/api", "/_sandbox"):
        assert f"http://127.0.0.1:1{path}" in text


def test_a_bug_in_a_route_answers_500_in_the_vendor_shape_and_is_logged(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No traceback on the user's terminal: the vendor's 500, and the error in the request log."""
    from hdkit.sandbox.keydesk import KeyDesk

    def broken(self: KeyDesk, request: object) -> None:
        raise KeyError(f"boom {KD_AUTH['X-API-Key']}")

    monkeypatch.setattr(KeyDesk, "users_list", broken)
    logged = _Recorder()
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(logged)
    try:
        with Sandbox() as hd:
            response = httpx.get(hd.url + "/keydesk/api/users", headers=KD_AUTH, timeout=5)
            after = httpx.get(hd.url + "/keydesk/api/contacts/c00001", headers=KD_AUTH, timeout=5)
            entries = hd.requests
    finally:
        uvicorn_log.removeHandler(logged)
    assert response.status_code == 500
    assert response.json() == {"ok": False, "error": {"code": "server_error", "message": "Something went wrong"}}
    assert after.status_code == 200  # the server carries on
    assert entries[0]["status"] == 500 and entries[0]["error"] == "KeyError: 'boom ********'"
    assert entries[1]["error"] is None
    assert logged.records == []


def test_settle_waits_for_requests_still_in_flight(fresh_sandbox: Sandbox) -> None:
    """A request a client is still waiting on is answered before settle() returns, so a reset
    after it leaves nothing for the next test's log."""
    fresh_sandbox.faults.update(latency_ms=300)
    url = fresh_sandbox.url + "/keydesk/api/users"
    worker = threading.Thread(target=lambda: httpx.get(url, headers=KD_AUTH, timeout=10))
    worker.start()
    try:
        while not fresh_sandbox.requests:  # bounded by the request's own 10 s timeout
            if not worker.is_alive():
                break
            time.sleep(0.01)
        fresh_sandbox.settle(limit=5)
        assert [r["status"] for r in fresh_sandbox.requests] == [200]
    finally:
        worker.join(10)
