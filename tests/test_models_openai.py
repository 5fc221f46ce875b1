"""`openai:NAME` against a real OpenAI-compatible HTTP server on loopback (tests/openai_server.py):
the protocol, candidates through `n` or seeded calls, retries, timeouts, errors, concurrency and the key."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openai_server import Answer, ChatServer

from keepfacts import models
from keepfacts.errors import ModelError, ModelNotAvailable, UsageError
from keepfacts.models.base import ServerOptions
from keepfacts.summarize.cli import main as summarize_cli
from keepfacts.translate.cli import main as translate_cli

SEED = Path(__file__).resolve().parent.parent / "seeds" / "khaama-ukraine-desertions.txt"
KEY = "sk-test-7f3a9c41d2"


@pytest.fixture(autouse=True)
def _no_server_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def load(server: ChatServer, task: str = "summarize", **options: Any) -> Any:
    return models.load("openai:tiny-chat", task=task, server=ServerOptions(api_base=server.url, **options))


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


# -- protocol --------------------------------------------------------------------------------------
def test_a_chat_request_carries_the_chat_paths_prompt_and_length_rules() -> None:
    with ChatServer(served_as="tiny-chat-q4_K_M") as server:
        backend = load(server)
        out = backend.generate(["One. Two. Three."], instruction="Summarize this.", max_new_tokens=40)
    assert out == [["One Two"]]
    [request] = server.chat_requests()
    body = request["body"]
    assert body["model"] == "tiny-chat"
    assert body["messages"] == [{"role": "user", "content": "Summarize this.\n\nOne. Two. Three."}]
    assert body["max_tokens"] == 40
    assert body["temperature"] == 0
    assert "n" not in body
    assert backend.spec == "openai:tiny-chat"
    assert backend.info["served_model"] == "tiny-chat-q4_K_M"
    assert backend.info["base_url"] == server.url


def test_translation_length_follows_the_input_like_the_chat_path() -> None:
    with ChatServer() as server:
        load(server, task="translate").generate(["x" * 400], instruction="Translate.")
    # 400 characters ~ 100 tokens: 2 * 100 + 32 new tokens, the causal translation rule
    assert server.chat_requests()[0]["body"]["max_tokens"] == 232


def test_empty_inputs_are_answered_without_the_server() -> None:
    with ChatServer() as server:
        assert load(server).generate(["", "  "], num_beams=2, num_return_sequences=2) == [["", ""], ["", ""]]
    assert server.chat_requests() == []


def test_candidates_come_through_n_where_the_server_honours_it() -> None:
    with ChatServer() as server:
        [cands] = load(server).generate(["A text."], num_beams=3, num_return_sequences=3)
    assert len(cands) == 3
    bodies = [r["body"] for r in server.chat_requests()]
    greedy = [b for b in bodies if b["temperature"] == 0]
    sampled = [b for b in bodies if b["temperature"] > 0]
    assert len(greedy) == 1 and "n" not in greedy[0]  # the greedy answer ...
    assert [b["n"] for b in sampled] == [2]  # ... and the two sampled ones in one call


def test_a_server_that_ignores_n_gets_one_seeded_call_per_candidate() -> None:
    with ChatServer(honour_n=False) as server:
        backend = load(server, concurrency=1)
        [first] = backend.generate(["A text."], num_beams=4, num_return_sequences=4)
        asked_first = len(server.chat_requests())
        [second] = backend.generate(["Another."], num_beams=4, num_return_sequences=4)
    assert len(first) == len(second) == 4
    # first text: greedy, n=3 (answered with 1), then 2 more seeded calls; then the server is known
    assert asked_first == 4
    later = [r["body"] for r in server.chat_requests()[asked_first:]]
    sampled = [b for b in later if b["temperature"] > 0]
    assert len(later) == 4 and all("n" not in b for b in later)
    assert len({b["seed"] for b in sampled}) == 3


# -- retries and timeouts --------------------------------------------------------------------------
def test_429_and_5xx_are_retried_honouring_retry_after() -> None:
    script = [Answer(429, headers={"Retry-After": "1"}), Answer(503)]
    with ChatServer(script=script) as server:
        backend = load(server)
        started = time.monotonic()
        out = backend.generate(["Hello there."], instruction="Summarize.")
        elapsed = time.monotonic() - started
    assert out == [["Hello there."]]
    assert len(server.chat_requests()) == 3
    assert elapsed >= 1.0  # waited the second the server asked for


def test_a_server_that_keeps_failing_is_one_line_naming_the_url_within_seconds() -> None:
    with ChatServer(script=[Answer(500)] * 10) as server:
        backend = load(server)
        started = time.monotonic()
        with pytest.raises(ModelError) as caught:
            backend.generate(["Hello."])
    assert time.monotonic() - started < 10
    message = caught.value.message
    assert server.url in message and "500" in message and "\n" not in message
    assert len(server.chat_requests()) == 4  # the first try and 3 retries


def test_a_slow_answer_times_out() -> None:
    with ChatServer(delay=3.0) as server:
        backend = load(server, timeout=0.3)
        started = time.monotonic()
        with pytest.raises(ModelError, match=r"did not answer within 0\.3 s"):
            backend.generate(["Hello."])
    assert time.monotonic() - started < 3.0 * 4  # never a hang: bounded by the tries


# -- failures when loading -------------------------------------------------------------------------
def test_a_server_that_is_down_fails_at_load_within_seconds() -> None:
    url = closed_port_url()
    started = time.monotonic()
    with pytest.raises(ModelError) as caught:
        models.load("openai:tiny-chat", task="summarize", server=ServerOptions(api_base=url))
    assert time.monotonic() - started < 5
    assert caught.value.message.startswith(f"cannot reach the server at {url}")


def test_an_unknown_model_is_named_with_what_the_server_serves() -> None:
    with ChatServer(models=("llama3.2:latest", "qwen2.5")) as server:
        with pytest.raises(ModelNotAvailable, match=r"does not serve model 'tiny-chat' \(it serves: llama"):
            load(server)
        # Ollama lists "NAME:latest" for NAME
        models.load("openai:llama3.2", task="summarize", server=ServerOptions(api_base=server.url))


def test_401_says_which_variable_holds_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    with (
        ChatServer(require_key=KEY) as server,
        pytest.raises(ModelError, match="refused the request \\(401\\)"),
    ):
        load(server)


def test_a_models_listing_that_keeps_failing_fails_at_load() -> None:
    with (
        ChatServer(models_answer=Answer(502)) as server,
        pytest.raises(ModelError, match="kept failing \\(502\\)"),
    ):
        load(server)


def test_a_server_without_a_models_listing_is_still_used() -> None:
    with ChatServer(models_answer=Answer(404)) as server:
        assert load(server).generate(["Hi."]) == [["Hi."]]


def test_no_url_is_a_usage_error_naming_the_option_and_the_variable() -> None:
    with pytest.raises(UsageError, match="--api-base URL or OPENAI_BASE_URL"):
        models.load("openai:tiny-chat", task="summarize")


def test_the_url_may_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with ChatServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        assert models.load("openai:tiny-chat", task="translate").generate(["Hola."]) == [["Hola."]]


def test_server_options_are_refused_for_a_model_that_runs_here() -> None:
    with pytest.raises(UsageError, match="apply to openai:NAME models"):
        models.load("apertium:eng-spa", task="translate", server=ServerOptions(api_base="http://x/v1"))


# -- the key ---------------------------------------------------------------------------------------
def test_the_key_is_sent_as_a_bearer_token_and_written_nowhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    out = tmp_path / "out.jsonl"
    with ChatServer(require_key=KEY) as server:
        result = CliRunner().invoke(
            summarize_cli, [str(SEED), "-m", "openai:tiny-chat", "--api-base", server.url, "-o", str(out)]
        )
    assert result.exit_code == 0, result.output
    assert {r["headers"]["authorization"] for r in server.requests} == {f"Bearer {KEY}"}
    assert KEY not in out.read_text() and KEY not in result.output


def test_a_server_that_echoes_the_key_in_an_error_does_not_get_it_printed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    echo = Answer(400, body={"error": {"message": f"key {KEY} is not valid here"}})
    with ChatServer(models_answer=echo) as server:
        result = CliRunner().invoke(
            summarize_cli, [str(SEED), "-m", "openai:tiny-chat", "--api-base", server.url]
        )
    assert result.exit_code == 2
    assert KEY not in result.output and "[key]" in result.output


# -- concurrency -----------------------------------------------------------------------------------
@pytest.mark.parametrize("limit", [1, 3])
def test_the_server_never_sees_more_than_n_requests_at_once(limit: int) -> None:
    with ChatServer(delay=0.15) as server:
        backend = load(server, concurrency=limit)
        backend.generate([f"Text {i}." for i in range(9)], num_beams=2, num_return_sequences=2)
    assert len(server.chat_requests()) == 18
    assert server.max_in_flight == limit


# -- the commands end to end -----------------------------------------------------------------------
def test_summarize_through_a_server_names_the_model_in_its_record() -> None:
    with ChatServer(served_as="tiny-chat-served") as server:
        result = CliRunner().invoke(
            summarize_cli,
            [str(SEED), "-m", "openai:tiny-chat", "--api-base", server.url, "--format", "json", "-q"],
        )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["model"] == "openai:tiny-chat"
    assert record["model_info"]["served_model"] == "tiny-chat-served"
    assert record["model_info"]["base_url"] == server.url
    assert record["output"]


def test_translate_through_a_server_sends_every_sentence_and_keeps_paragraphs() -> None:
    text = "Police said 12 people died.\n\nHospital officials put the toll at 15."
    with ChatServer() as server:
        result = CliRunner().invoke(
            translate_cli,
            ["-", "--to", "de", "-m", "openai:tiny-chat", "--api-base", server.url, "--format", "json", "-q"],
            input=text,
        )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["output"] == text  # the echo "model" returns each sentence as it is
    contents = [r["body"]["messages"][0]["content"] for r in server.chat_requests()]
    assert any(c.startswith("Translate the text below from English into German") for c in contents)
    assert record["model_info"]["served_model"] == "tiny-chat"


def test_an_item_whose_requests_keep_failing_gets_an_error_record_and_the_others_finish(
    tmp_path: Path,
) -> None:
    def fault(body: dict[str, Any]) -> Answer | None:
        return Answer(503) if "poison" in body["messages"][0]["content"] else None

    batch = tmp_path / "in.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps({"id": i, "text": text})
            for i, text in (
                (
                    "a",
                    "The mayor said on Tuesday that 40 homes, which stood by the river, had flooded.",
                ),
                ("b", "The poison was found on Monday in 3 wells, which serve the old river district."),
            )
        )
    )
    out = tmp_path / "out.jsonl"
    with ChatServer(fault=fault) as server:
        result = CliRunner().invoke(
            summarize_cli,
            [str(batch), "-m", "openai:tiny-chat", "--api-base", server.url, "-o", str(out), "-q"],
        )
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert result.exit_code == 2
    assert "output" in records["a"]
    assert "kept failing (503)" in records["b"]["error"] and server.url in records["b"]["error"]


def test_a_server_that_is_down_gives_one_line_and_exit_2_within_seconds() -> None:
    url = closed_port_url()
    started = time.monotonic()
    result = CliRunner().invoke(summarize_cli, [str(SEED), "-m", "openai:tiny-chat", "--api-base", url])
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and url in result.output


def test_api_base_with_a_local_model_is_a_usage_error() -> None:
    result = CliRunner().invoke(
        translate_cli,
        [str(SEED), "--to", "es", "-m", "apertium:eng-spa", "--api-base", "http://localhost:1/v1"],
    )
    assert result.exit_code == 2
    assert "apply to openai:NAME models" in result.output


@pytest.mark.slow
def test_the_ray_engine_gives_each_actor_its_own_client(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps({"id": f"d{i}", "text": f"Officials said {i + 10} roads closed."}) for i in range(4)
        )
    )
    out = tmp_path / "out.jsonl"
    with ChatServer() as server:
        result = CliRunner().invoke(
            summarize_cli,
            [
                str(batch),
                "-m",
                "openai:tiny-chat",
                "--api-base",
                server.url,
                "--engine",
                "ray",
                "--method",
                "abstractive",
                "-o",
                str(out),
                "-q",
            ],
        )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["d0", "d1", "d2", "d3"]
    assert all(
        r["model"] == "openai:tiny-chat" and r["model_info"]["base_url"] == server.url for r in records
    )
    assert len(server.chat_requests()) >= 4


@pytest.mark.slow
def test_the_embedded_model_served_over_http_summarizes_end_to_end(embedded_backend: Any) -> None:
    """Real generation through the real client: the loopback server runs the embedded SmolLM2 on the
    user message it receives, as llama-server would."""

    def generate(content: str, body: dict[str, Any]) -> str:
        [[text]] = embedded_backend.generate([content], max_new_tokens=body["max_tokens"])
        return str(text)

    with ChatServer(models=("smollm2",), reply=generate) as server:
        result = CliRunner().invoke(
            summarize_cli,
            [
                str(SEED),
                "-m",
                "openai:smollm2",
                "--api-base",
                server.url,
                "--format",
                "json",
                "-q",
                "--method",
                "abstractive",
                "--candidates",
                "1",
            ],
        )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["model"] == "openai:smollm2" and record["model_info"]["served_model"] == "smollm2"
    prompt = server.chat_requests()[0]["body"]["messages"][0]["content"]
    assert prompt.startswith("Summarize the news article below in at most 80 words.")
    assert len(record["output"].split()) >= 5
