"""`openai:NAME`: a model behind any OpenAI-compatible chat-completions server (Ollama, vLLM, llama.cpp's
llama-server, LM Studio, TGI), through the `openai` client.

- Connection: the base URL is `--api-base` or OPENAI_BASE_URL; the key, optional, is OPENAI_API_KEY, sent
  as a bearer token and never written anywhere (it is struck out of every error line).
- Prompts: the same user message and length rules as the in-process chat path (generation.py).
- Candidates: the first is greedy (temperature 0); the others are sampled with a seed, all in one call
  through `n` where the server honours it, else through one seeded call each.
- Timeouts, retries: every call has a timeout; 408/409/429/5xx are retried with backoff, honouring
  Retry-After (the client's own retry loop); what still fails is that item's error.
- Concurrency: at most `concurrency` requests in flight per backend (each Ray actor has its own).
- Loading checks the server at once (GET /models): down, refusing, 401, an unknown model or a server
  that keeps failing is one line naming the URL, within seconds.
"""

from __future__ import annotations

import math
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from keepfacts.errors import ModelError, ModelNotAvailable, UsageError
from keepfacts.models import generation as rules
from keepfacts.models.base import ServerOptions, check_settings, first_line, nbest_settings

DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT_S = 120.0  # one chat call: a large model on a busy server can take a while
CONNECT_TIMEOUT_S = 5.0
CHECK_TIMEOUT_S = 5.0  # the server check at load time
RETRIES = 3  # after the first try: backoff 0.5, 1, 2 s (or the server's Retry-After)
SAMPLING_TEMPERATURE = 0.7
# The server's context window is not known; inputs are budgeted for 8k tokens, counted as 4 characters.
CONTEXT_TOKENS = 8192
CHARS_PER_TOKEN = 4
NO_KEY = "EMPTY"  # what vLLM's docs send when the server needs none
BASE_URL_ENV, KEY_ENV = "OPENAI_BASE_URL", "OPENAI_API_KEY"


class OpenAIBackend:
    """One model on one server; thread-safe (a batch's texts go out concurrently)."""

    def __init__(self, name: str, *, task: str, base_url: str, options: ServerOptions) -> None:
        self.name = name
        self.task = task
        self.spec = f"openai:{name}"
        self.concurrency = options.concurrency or DEFAULT_CONCURRENCY
        self.timeout = options.timeout or DEFAULT_TIMEOUT_S
        self.max_input_tokens = rules.input_budget("causal", CONTEXT_TOKENS)
        self.info: dict[str, Any] = {
            "model": self.spec,
            "kind": "openai",
            "runtime": "openai",
            "base_url": _without_credentials(base_url),
            "served_model": None,  # the id the server reports in its answers
            "concurrency": self.concurrency,
        }
        self._key = os.environ.get(KEY_ENV) or None
        self._client = _client(base_url, self._key, self.timeout)
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._honours_n = True

    def count_tokens(self, text: str) -> int:
        return max(1, math.ceil(len(text) / CHARS_PER_TOKEN))

    # -- the server check at load time --------------------------------------------------------------
    def check_server(self) -> None:
        """Raise a one-line ModelError unless the server answers and serves this model."""
        import openai

        quick = self._client.with_options(timeout=min(CHECK_TIMEOUT_S, self.timeout), max_retries=1)
        try:
            served = [model.id for model in quick.models.list()]
        except openai.NotFoundError:
            return  # no model listing on this server: the first chat call tells
        except openai.OpenAIError as error:
            raise ModelError(self._describe(error)) from None
        if served and not any(_same_model(self.name, model) for model in served):
            raise ModelNotAvailable(
                f"{self._where()} does not serve model {self.name!r} (it serves: {', '.join(served[:10])})"
            )

    # -- generation ---------------------------------------------------------------------------------
    def generate(self, texts: list[str], **settings: Any) -> list[list[str]]:
        check_settings(settings)
        _, num_return, do_sample = nbest_settings(settings, default_beams=1)
        results: list[list[str]] = [[""] * num_return for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(todo))) as pool:
            answers = pool.map(lambda i: self._candidates(texts[i], settings, num_return, do_sample), todo)
            for i, candidates in zip(todo, answers, strict=True):
                results[i] = candidates
        return results

    def _candidates(self, text: str, settings: dict[str, Any], n: int, do_sample: bool) -> list[str]:
        content = rules.chat_content(text, settings.get("instruction"))
        max_tokens = rules.max_new_tokens(
            settings, kind="causal", task=self.task, input_tokens=self.count_tokens(text), configured=None
        )
        seed = int(settings.get("seed") or 0)
        request = {"max_tokens": max_tokens, "top_p": settings.get("top_p")}
        temperature = float(settings.get("temperature") or SAMPLING_TEMPERATURE)
        if do_sample:
            candidates = self._sampled(content, n, temperature, seed + 1, request)
        elif n == 1:
            candidates = self._chat(content, n=1, temperature=0.0, seed=seed, **request)
        else:  # the greedy answer and the sampled ones are asked for at the same time
            with ThreadPoolExecutor(max_workers=1) as beside:
                greedy = beside.submit(self._chat, content, n=1, temperature=0.0, seed=seed, **request)
                sampled = self._sampled(content, n - 1, temperature, seed + 1, request)
                candidates = [*greedy.result(), *sampled]
        loop = rules.loop_ngram(settings)
        return [_trim_loop(candidate, loop) for candidate in candidates]

    def _sampled(
        self, content: str, count: int, temperature: float, seed: int, request: dict[str, Any]
    ) -> list[str]:
        """`count` sampled answers: one call with n=count, then one seeded call per answer still missing
        (a server that ignores `n`, like Ollama, is remembered and asked one at a time)."""
        answers: list[str] = []
        if count > 1 and self._honours_n:
            answers = self._chat(content, n=count, temperature=temperature, seed=seed, **request)
            if len(answers) < count:
                self._honours_n = False
        while len(answers) < count:
            answers += self._chat(content, n=1, temperature=temperature, seed=seed + len(answers), **request)[
                :1
            ]
        return answers[:count]

    def _chat(self, content: str, *, n: int, temperature: float, seed: int, **request: Any) -> list[str]:
        import openai

        options: dict[str, Any] = {k: v for k, v in request.items() if v is not None}
        if n > 1:
            options["n"] = n
        with self._slots:
            try:
                response = self._client.chat.completions.create(
                    model=self.name,
                    messages=[{"role": "user", "content": content}],
                    temperature=temperature,
                    seed=seed,
                    **options,
                )
            except openai.OpenAIError as error:
                raise ModelError(self._describe(error)) from None
        if response.model:
            self.info["served_model"] = response.model
        choices = sorted(response.choices or [], key=lambda choice: choice.index)
        answers = [(choice.message.content or "").strip() for choice in choices]
        if not answers:
            raise ModelError(f"{self._where()} answered with no choices for model {self.name!r}")
        return answers

    # -- errors -------------------------------------------------------------------------------------
    def _where(self) -> str:
        return f"the server at {self.info['base_url']}"

    def _describe(self, error: Exception) -> str:
        """One line naming the URL and the cause; the key never appears in it."""
        import openai

        where = self._where()
        if isinstance(error, openai.APITimeoutError):
            line = f"{where} did not answer within {self.timeout:g} s"
        elif isinstance(error, openai.APIConnectionError):
            cause = first_line(error.__cause__) if error.__cause__ else first_line(error)
            line = f"cannot reach {where}: {cause}"
        elif isinstance(error, openai.APIStatusError):
            status = error.status_code
            if status in (401, 403):
                hint = "set OPENAI_API_KEY to a key it accepts" if status == 401 else "the key lacks access"
                line = f"{where} refused the request ({status}): {hint}"
            elif status == 404:
                line = f"{where} answered 404 for model {self.name!r} (unknown model, or a URL without /v1?)"
            elif status == 429 or status >= 500:
                line = f"{where} kept failing ({status}) after {RETRIES} retries: {_server_message(error)}"
            else:
                line = f"{where} answered {status}: {_server_message(error)}"
        else:
            line = f"{where}: {first_line(error)}"
        return _redact(line, self._key)


def _client(base_url: str, key: str | None, timeout: float) -> Any:
    import openai

    return openai.OpenAI(
        base_url=base_url,
        api_key=key or NO_KEY,
        timeout=openai.Timeout(timeout, connect=min(CONNECT_TIMEOUT_S, timeout)),
        max_retries=RETRIES,
    )


def _same_model(name: str, served: str) -> bool:
    """Ollama lists `llama3.2:latest` for `llama3.2`."""
    return served == name or served == f"{name}:latest"


def _server_message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return first_line(Exception(str(message)), 160)
    return first_line(error, 160)


def _redact(text: str, key: str | None) -> str:
    return text.replace(key, "[key]") if key else text


def _without_credentials(url: str) -> str:
    """The URL as records show it: no user:password part."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit(parts._replace(netloc=netloc))
    return url


_WORD = re.compile(r"\S+")


def _trim_loop(text: str, n: int) -> str:
    """The chat path's loop guard on words: the answer ends before an n-gram of words repeats."""
    words = list(_WORD.finditer(text))
    ids: dict[str, int] = {}
    start = rules.loop_start([ids.setdefault(w.group(), len(ids)) for w in words], n)
    return text if start is None else text[: words[start].start()].rstrip()


def base_url(options: ServerOptions) -> str:
    url = (options.api_base or os.environ.get(BASE_URL_ENV) or "").strip()
    if not url:
        raise UsageError(
            f"openai:NAME needs a server: --api-base URL or {BASE_URL_ENV} "
            "(Ollama: http://localhost:11434/v1, vLLM: http://localhost:8000/v1, llama-server: "
            "http://localhost:8080/v1)"
        )
    if urlsplit(url).scheme not in ("http", "https"):
        raise UsageError(f"--api-base must be an http:// or https:// URL, got {url!r}")
    return url.rstrip("/")


def load_openai(
    arg: str, *, task: str, server: ServerOptions | None = None, **_options: Any
) -> OpenAIBackend:
    """Factory for the `openai` scheme: `openai:NAME`, the model's name on the server."""
    name = arg.strip()
    if not name:
        raise UsageError("openai:NAME needs the model's name on the server, e.g. openai:llama3.2")
    options = server or ServerOptions()
    try:
        import openai  # noqa: F401
    except ImportError:
        raise ModelNotAvailable("openai:NAME needs the openai package: pip install openai") from None
    backend = OpenAIBackend(name, task=task, base_url=base_url(options), options=options)
    backend.check_server()
    return backend
