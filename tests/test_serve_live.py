"""The service as users run it: `asb-case-review serve` in its own process, called over loopback.

The README's commands start it; a Java program (java.net.http, the JDK's own client) and a request
shaped byte for byte as .NET's HttpClient sends JSON call it, as case systems in those languages do.
"""

from __future__ import annotations

import http.client
import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "met-statutory.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def command() -> str:
    """The installed `asb-case-review` script beside this interpreter (as the README's install makes it)."""
    script = Path(sys.executable).parent / "asb-case-review"
    return str(script) if script.exists() else shutil.which("asb-case-review") or "asb-case-review"


def readme_serve() -> list[str]:
    """The README's serve command (after its `pip install ... &&`), as argv."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```bash\n(.+?)\n```", text) if "asb-case-review serve" in b)
    install, _, run = block.partition(" && ")
    assert install == "pip install '.[serve]'"
    return shlex.split(run)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The README's `asb-case-review serve --port ...` running, on a free port; its base URL."""
    port = free_port()
    argv = readme_serve()
    assert argv[:2] == ["asb-case-review", "serve"]
    argv[argv.index("--port") + 1] = str(port)
    process = subprocess.Popen(
        [command(), *argv[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=1):
                    break
            except OSError:
                assert process.poll() is None, process.communicate()[0]
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        log = process.communicate(timeout=10)[0]
        # The access log names method, path, status and time, and nothing of any request's content.
        access = [line for line in log.splitlines() if "/api/" in line]
        assert any(" POST /api/decide 200 " in line for line in access), log
        for line in access:
            assert re.fullmatch(r"\S+ \S+ (GET|POST) /api/[\w/-]+ \d{3} \d+\.\dms", line), line


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_readme_commands_serve_health_and_a_decision(server: str) -> None:
    """The README's `asb-case-review serve` answers /api/health and decides an application."""
    with urllib.request.urlopen(f"{server}/api/health", timeout=10) as response:
        assert json.loads(response.read())["status"] == "ok"
    body = json.dumps({"application": json.loads(EXAMPLE.read_text(encoding="utf-8"))}).encode()
    status, decision = post(f"{server}/api/decide", body)
    assert (status, decision["outcome"], decision["matched"]) == (200, "met", ["s104-4"])


def dotnet_json(value: Any) -> bytes:
    """JSON as System.Text.Json writes it by default: ASCII, with HTML-sensitive characters escaped."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    for char in "<>&'+`":
        text = text.replace(char, f"\\u{ord(char):04X}")
    return text.encode("ascii")


def test_a_request_shaped_as_dotnet_httpclient_sends_it(server: str) -> None:
    """PostAsJsonAsync's bytes: chunked (no Content-Length), charset=utf-8, \\u escapes, no User-Agent."""
    application = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    application["reports"][0]["id"] = "O'Brien <flat 9> & co +1"
    body = dotnet_json({"application": application})
    assert b"\\u0027" in body
    host, port = server.removeprefix("http://").split(":")
    head = (
        "POST /api/decide HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "Accept: application/json\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        "Transfer-Encoding: chunked\r\n"
        "\r\n"
    ).encode("ascii")
    half = len(body) // 2
    chunks = b"".join(f"{len(part):X}\r\n".encode() + part + b"\r\n" for part in (body[:half], body[half:]))
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head + chunks + b"0\r\n\r\n")
        response = http.client.HTTPResponse(connection)
        response.begin()
        assert (response.status, response.getheader("content-type")) == (200, "application/json")
        decision = json.loads(response.read())
    assert decision["outcome"] == "met"
    assert "O'Brien <flat 9> & co +1" in json.dumps(decision, ensure_ascii=False)


JAVA = shutil.which("java")


@pytest.mark.skipif(
    JAVA is None, reason="needs a JDK (java 11 or newer on PATH) to run tests/clients/DecideClient.java"
)
def test_a_java_client_decides_and_reads_errors(server: str, tmp_path: Path) -> None:
    """java.net.http.HttpClient, defaults kept (it offers an h2c upgrade), gets the decision and errors."""
    assert JAVA is not None
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"application": json.loads(EXAMPLE.read_text(encoding="utf-8"))}), encoding="utf-8"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"application": {"id": "A"}, "as_of": "28/02/2026"}', encoding="utf-8")
    source = str(ROOT / "tests" / "clients" / "DecideClient.java")
    ran = subprocess.run(
        [JAVA, source, server, str(good), str(bad)], capture_output=True, text=True, timeout=120, check=False
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert len(lines) == 6, ran.stdout
    runs = {"good": lines[:3], "bad": lines[3:]}
    status, kind, body = runs["good"]
    assert (status, kind) == ("200", "application/json")
    assert json.loads(body)["outcome"] == "met"
    assert "P-200" not in body
    status, kind, body = runs["bad"]
    assert (status, kind) == ("422", "application/problem+json")
    assert json.loads(body)["detail"] == "reports=None: is required"


def test_load_benchmark_runs_without_error() -> None:
    """benchmarks/serve.py (here at a small size) prints its figures and counts no error."""
    ran = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "serve.py"), "--requests", "60", "--concurrency", "6"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lines = ran.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "requests", "throughput", "latency p50", "latency p99", "errors", "server CPU", "client CPU",
        "in process",
    ]  # fmt: skip
    assert lines[4] == "errors:      0"
