"""The production app server (docker/serve.py: granian) started as a deployment starts it, in its
own process, answering real HTTP over a socket."""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ops.test_deploy_settings import ROOT, manage, production_env

HOST = "visits.example.org"
# A stop may wait for granian's workers up to their kill timeout (30 s, docker/serve.py) on a
# busy machine, then for the supervisor: more than that, not equal to it.
STOP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    # nginx sets these in production (docker/nginx.conf).
    conn.request(method, path, headers={"Host": HOST, "X-Forwarded-Proto": "https", **headers})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _wait_until_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app server exited with {process.returncode}:\n{log.read_text()}")
        try:
            _request(port, "GET", "/health")
        except OSError:
            time.sleep(0.2)
        else:
            return
    pytest.fail(f"the app server did not answer within 60 s:\n{log.read_text()}")


def _start_server(tmp_path: Path, *, threads: int) -> tuple[subprocess.Popen, int, Path]:
    """docker/serve.py started as a deployment starts it, on a migrated database of its own;
    returns the process, its port and its log."""
    env = production_env(tmp_path, FORMS_ODK_VALIDATE="off")
    migrated = manage(env, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    env.update(APP_BIND=f"127.0.0.1:{port}", APP_WORKERS="1", APP_THREADS=str(threads))
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "docker" / "serve.py")],
            cwd=tmp_path,  # not the repository: the script finds the app by itself
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, port, log


def test_the_app_server_serves_the_app_and_stops_cleanly(tmp_path):
    process, port, log = _start_server(tmp_path, threads=2)
    try:
        _wait_until_serving(process, port, log)

        health = _request(port, "GET", "/health")
        assert health.status == 200
        assert health.getheader("X-Request-ID")

        # ODK Collect without credentials: a challenge, through the real HTTP stack.
        head = _request(port, "HEAD", "/projects/demo/submission", **{"X-OpenRosa-Version": "1.0"})
        assert head.status == 401
        assert head.getheader("WWW-Authenticate", "").startswith("Digest ")

        # nginx says the phone or browser came over plain HTTP: pages go to HTTPS.
        page = _request(port, "GET", "/", **{"X-Forwarded-Proto": "http"})
        assert page.status == 301
        assert page.getheader("Location") == f"https://{HOST}/"

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_SECONDS) == 0, log.read_text()
        # The server's own lines are the app's JSON lines, as production logs are read.
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
        assert any(line["logger"] == "_granian" for line in lines)
        assert not [line for line in lines if line["level"] in {"ERROR", "CRITICAL"}]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_server_options_follow_the_environment():
    sys.path.insert(0, str(ROOT / "docker"))
    try:
        from serve import REQUEST_DATABASE_LIMITS, server_options  # docker/: not a package
    finally:
        sys.path.remove(str(ROOT / "docker"))
    options = server_options(
        {
            "APP_BIND": "127.0.0.1:9000",
            "APP_WORKERS": "3",
            "APP_THREADS": "2",
            "APP_MAX_RSS_MIB": "0",
        }
    )
    assert (options["address"], options["port"]) == ("127.0.0.1", 9000)
    assert (options["workers"], options["blocking_threads"]) == (3, 2)
    assert options["workers_max_rss"] is None
    assert REQUEST_DATABASE_LIMITS == {
        "DATABASE_STATEMENT_TIMEOUT_MS": "30000",
        "DATABASE_LOCK_TIMEOUT_MS": "5000",
    }
    defaults = server_options({})
    assert (defaults["address"], defaults["port"]) == ("0.0.0.0", 8000)
    assert defaults["workers"] == (os.cpu_count() or 1)
    assert defaults["workers_max_rss"] == 1024


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill_a_worker(server: int) -> None:
    [granian] = _children(server)
    workers = _children(granian)
    assert workers, "granian has no worker process"
    os.kill(workers[0], signal.SIGKILL)


def test_the_app_server_comes_back_after_its_workers_crash_in_a_loop(tmp_path):
    """granian exits when a worker dies twice within seconds; the script starts it again."""
    process, port, log = _start_server(tmp_path, threads=1)
    try:
        _wait_until_serving(process, port, log)
        [first_granian] = _children(process.pid)
        # Workers killed as fast as granian starts them: it soon gives up (its crash-loop rule,
        # a worker dead again within seconds of its restart), whatever the machine's speed.
        deadline = time.monotonic() + 60
        while _children(process.pid) in ([first_granian], []) and time.monotonic() < deadline:
            with contextlib.suppress(ValueError, AssertionError):
                _kill_a_worker(process.pid)
            time.sleep(0.3)
        _wait_until_serving(process, port, log)

        assert _children(process.pid) != [first_granian]
        assert _request(port, "GET", "/health").status == 200
        assert "starting it again" in log.read_text()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_SECONDS) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_workers_of_a_killed_granian_do_not_serve_on_beside_the_new_ones(tmp_path):
    process, port, log = _start_server(tmp_path, threads=1)
    try:
        _wait_until_serving(process, port, log)
        [granian] = _children(process.pid)
        workers = _children(granian)
        assert workers

        os.kill(granian, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while _children(process.pid) in ([granian], []) and time.monotonic() < deadline:
            time.sleep(0.2)
        _wait_until_serving(process, port, log)

        assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_SECONDS) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_killed_supervisor_takes_granian_and_its_workers_with_it(tmp_path):
    process, port, log = _start_server(tmp_path, threads=1)
    try:
        _wait_until_serving(process, port, log)
        [granian] = _children(process.pid)
        tree = [granian, *_children(granian)]

        process.kill()  # SIGKILL: serve.py can pass nothing on
        process.wait()

        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in tree) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in tree if _alive(pid)]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent to collect it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
