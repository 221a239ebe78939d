"""The OpenAI-compatible system against a small server the test runs on 127.0.0.1.

The server answers per URL path: ``ok``, ``flaky`` (429 twice per article,
then 200), ``hang`` (answers after the client's timeout), ``bad`` (200 with a
body that is not JSON) and ``denied`` (400). Every request is bounded: the
server only sleeps in ``hang``, for 1.5 s.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.runner import run_benchmark
from bench.systems import build_system

KEY = "sk-test-DO-NOT-LEAK-4242"


class _Server:
    def __init__(self) -> None:
        self.seen: Counter[tuple[str, str]] = Counter()
        self.auth: list[str | None] = []
        self.lock = threading.Lock()
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{mode}/v1"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def _send(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                mode = self.path.split("/")[1]
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                article = body["messages"][-1]["content"].rsplit("\n\n", 1)[-1]
                with server.lock:
                    server.seen[(mode, article)] += 1
                    count = server.seen[(mode, article)]
                    server.auth.append(self.headers.get("Authorization"))
                if mode == "flaky" and count <= 2:
                    self._send(429, b'{"error": "slow down"}', {"Retry-After": "0"})
                elif mode == "hang":
                    time.sleep(1.5)
                    self._send(200, b"{}")
                elif mode == "bad":
                    self._send(200, b"<html>not json</html>")
                elif mode == "denied":
                    self._send(400, b'{"error": "bad request"}')
                else:
                    answer = {"choices": [{"message": {"content": f"Rewritten: {article}"}}]}
                    self._send(200, json.dumps(answer).encode())

        return Handler

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server()
    yield running
    running.close()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    path = tmp_path / "mini.jsonl"
    rows = [{"id": f"a{i}", "text": f"Article {i}: Keir Starmer paid £{i}m in Leeds."}
            for i in range(1, 4)]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _run(
    tmp_path: Path, articles: Path, url: str, **options: object
) -> dict[str, dict[str, object]]:
    spec = SystemSpec("llm", "openai", {"base_url": url, "model": "test-model", "backoff": 0.01,
                                        "timeout": 0.5, "retries": 2, **options})  # fmt: skip
    config = RunConfig(
        datasets=(DatasetSpec(str(articles), name="mini"),),
        systems=(spec,),
        metrics=(MetricSpec("bleu"),),
        output_dir=tmp_path / "out",
        bootstrap=0,
    )
    result = run_benchmark(config)
    journal = result.run_dir / "outputs" / "mini" / "llm.jsonl"
    return {r["id"]: r for r in map(json.loads, journal.read_text("utf-8").splitlines())}


def test_survives_429_twice_then_200(server: _Server, tmp_path: Path, articles: Path) -> None:
    records = _run(tmp_path, articles, server.url("flaky"))
    assert {r["status"] for r in records.values()} == {"ok"}
    assert records["a1"]["text"] == "Rewritten: Article 1: Keir Starmer paid £1m in Leeds."
    assert all(count == 3 for (mode, _), count in server.seen.items() if mode == "flaky")


def test_a_hang_past_the_timeout_fails_that_article(
    server: _Server, tmp_path: Path, articles: Path
) -> None:
    records = _run(tmp_path, articles, server.url("hang"), retries=1)
    assert {r["status"] for r in records.values()} == {"failed"}
    assert all("timed out after 0.5 s (gave up after 2 attempts)" in str(r["error"])
               for r in records.values())  # fmt: skip


def test_malformed_json_fails_with_the_reason(
    server: _Server, tmp_path: Path, articles: Path
) -> None:
    records = _run(tmp_path, articles, server.url("bad"))
    assert all(r["status"] == "failed" for r in records.values())
    assert "malformed response" in str(records["a1"]["error"])
    assert "<html>not json</html>" in str(records["a1"]["error"])
    assert sum(c for (mode, _), c in server.seen.items() if mode == "bad") == 3  # not retried


def test_client_errors_are_not_retried(server: _Server, tmp_path: Path, articles: Path) -> None:
    records = _run(tmp_path, articles, server.url("denied"))
    assert {str(r["error"]) for r in records.values()} == {
        "HTTP 400 from the endpoint (not retried)"
    }


def test_api_key_is_sent_and_never_written(
    server: _Server, tmp_path: Path, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    records = _run(tmp_path, articles, server.url("ok"), max_concurrency=3)
    assert {r["status"] for r in records.values()} == {"ok"}
    assert set(server.auth) == {f"Bearer {KEY}"}
    from bench.report import write_report

    (run_dir,) = (p.parent for p in (tmp_path / "out").glob("*/manifest.json"))
    write_report(run_dir)  # the HTML report is an output too
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(encoding="utf-8", errors="replace"), path


def test_options_are_checked() -> None:
    from bench.errors import BenchError

    with pytest.raises(BenchError, match="prompt must contain"):
        build_system(SystemSpec("x", "openai", {"base_url": "http://127.0.0.1:1", "model": "m",
                                                "prompt": "no placeholder"}))  # fmt: skip
    with pytest.raises(BenchError, match="base_url must start with"):
        build_system(SystemSpec("x", "openai", {"base_url": "127.0.0.1", "model": "m"}))
