"""A real OpenAI-compatible HTTP server on loopback, for tests and `make bench` (not a mocked client).

    with ChatServer(reply=my_reply) as server:
        ... --model openai:tiny-chat --api-base {server.url}

It answers GET /v1/models and POST /v1/chat/completions like vLLM or llama-server do, and records what
it saw: every request's headers and body, the most requests it ever had in flight at once. Knobs make
it misbehave the ways real servers do: scripted error answers (429 with Retry-After, 500, 401, ...),
a delay per request, ignoring `n`, requiring a key.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# reply(content, request_body) -> the assistant's text for one choice
Reply = Callable[[str, dict[str, Any]], str]


def echo_article(content: str, body: dict[str, Any]) -> str:
    """The text after the instruction (the prompt is "instruction\\n\\ntext"), first 2 sentences for a
    summary request, all of it otherwise: a deterministic stand-in for a model."""
    _, _, text = content.partition("\n\n")
    text = text or content
    if content.startswith("Summarize"):
        return " ".join(text.replace("\n", " ").split(". ")[:2]).strip()
    return text


@dataclass
class Answer:
    """A scripted answer: status, headers, JSON body."""

    status: int
    body: dict[str, Any] = field(default_factory=lambda: {"error": {"message": "scripted failure"}})
    headers: dict[str, str] = field(default_factory=dict)


class ChatServer:
    def __init__(
        self,
        *,
        models: tuple[str, ...] = ("tiny-chat",),
        served_as: str | None = None,
        reply: Reply = echo_article,
        honour_n: bool = True,
        delay: float = 0.0,
        require_key: str | None = None,
        script: list[Answer] | None = None,
        models_answer: Answer | None = None,
        fault: Callable[[dict[str, Any]], Answer | None] | None = None,
    ) -> None:
        self.models = models
        self.served_as = served_as  # the model id reported in answers (default: the requested name)
        self.reply = reply
        self.honour_n = honour_n
        self.delay = delay
        self.require_key = require_key
        self.script = list(script or [])  # answers to give chat requests first, in order
        self.models_answer = models_answer
        self.fault = fault  # fault(chat request body) -> an answer to give instead, or None
        self.requests: list[dict[str, Any]] = []  # {"path", "headers" (lowercase names), "body"}
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}/v1"

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- request handling ---------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server._serve(self, None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                server._serve(self, body)

        return Handler

    def _serve(self, handler: BaseHTTPRequestHandler, body: dict[str, Any] | None) -> None:
        with self._lock:
            headers = {name.lower(): value for name, value in handler.headers.items()}
            self.requests.append({"path": handler.path, "headers": headers, "body": body})
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            status, payload, headers = self._answer(handler, body)
            _send(handler, status, payload, headers)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(
        self, handler: BaseHTTPRequestHandler, body: dict[str, Any] | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if self.require_key and handler.headers.get("Authorization") != f"Bearer {self.require_key}":
            return 401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request"}}, {}
        if handler.path.endswith("/models"):
            if self.models_answer is not None:
                return self.models_answer.status, self.models_answer.body, self.models_answer.headers
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in self.models]
            return 200, {"object": "list", "data": data}, {}
        if not handler.path.endswith("/chat/completions") or body is None:
            return 404, {"error": {"message": f"no route {handler.path}"}}, {}
        with self._lock:
            scripted = self.script.pop(0) if self.script else None
        if self.delay:
            time.sleep(self.delay)
        if scripted is None and self.fault is not None:
            scripted = self.fault(body)
        if scripted is not None:
            return scripted.status, scripted.body, scripted.headers
        if body.get("model") not in self.models:
            return 404, {"error": {"message": f"model {body.get('model')!r} not found"}}, {}
        content = body["messages"][-1]["content"]
        n = int(body.get("n") or 1) if self.honour_n else 1
        choices = [
            {
                "index": i,
                "message": {"role": "assistant", "content": self.reply(content, body)},
                "finish_reason": "stop",
            }
            for i in range(n)
        ]
        return (
            200,
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.served_as or body["model"],
                "choices": choices,
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
            {},
        )


def _send(
    handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any], headers: dict[str, str]
) -> None:
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)
