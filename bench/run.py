"""keepfacts benchmark: `make bench` (or `python bench/run.py [--quick] [--only NAME]...`).

Writes bench/results.json and prints a markdown table. Every figure comes from fresh child processes
(the venv's python and console scripts, offline), timed by wall clock, each with its own peak resident
memory (os.wait4). This machine is small and shared, so what is compared is measured side by side in
the same run, interleaved (A, B, A, B, ...), best of N; the load averages at the start and end of each
section are recorded so readers can judge the noise. Sections:

  startup          `summarize --help` over `python -c 'import click'` (best of 7 each)
  load             embedded model load: cold (conversion into an empty KEEPFACTS_CACHE) and warm
  latency          seed summary (default settings), extractive summary, seed translation (CLI, end to end)
  batch_summarize  articles/min: one `summarize DIR -o out.jsonl` vs a fresh transformers pipeline per article
  batch_translate  articles/min: one `translate DIR -o out.jsonl` vs one `translate FILE` per article
  tokens           generation tokens/s of the embedded model: transformers vs CTranslate2 int8
  apertium         Apertium eng-spa words/s
  server           openai:NAME summaries through a loopback OpenAI-compatible server at --concurrency 1 and 8
  bergamot         Bergamot en->pt words/s (a thread per CPU, and one thread)
  facts            fact engine: extract() and check() articles/s
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
from bench.harness import Run, interleaved, probe, summary  # noqa: E402

SEED = ROOT / "seeds" / "khaama-ukraine-desertions.txt"
SERVER_DELAY_S = 0.25  # the loopback server's time per answer: a stand-in for a real model's
SERVER_CONCURRENCY = (1, 8)
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
RESULTS = ROOT / "bench" / "results.json"
BATCH_MAX_WORDS = 60


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or --quick."""

    quick: bool
    startup_reps: int = 7
    warm_load_reps: int = 3
    summary_reps: int = 2
    cli_reps: int = 5
    articles: int = 6
    batch_rounds: int = 2
    new_tokens: int = 128
    token_rounds: int = 2
    token_reps: int = 2
    engine_reps: int = 3
    seq2seq_shapes: tuple[str, ...] = ("opus-mt", "distilbart")
    seq2seq_new_tokens: int = 48

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if not quick:
            return cls(quick=False)
        return cls(
            quick=True,
            warm_load_reps=2,
            summary_reps=1,
            cli_reps=3,
            articles=3,
            batch_rounds=1,
            new_tokens=64,
            token_rounds=1,
            token_reps=1,
            engine_reps=2,
            seq2seq_shapes=("opus-mt",),
            seq2seq_new_tokens=16,
        )


class Bench:
    def __init__(self, plan: Plan, corpus: Path, work: Path) -> None:
        self.plan = plan
        self.work = work
        self.corpus = corpus
        self.articles_dir = work / "articles"
        self.all_dir = work / "all-articles"
        self.corpus_note = self._prepare_articles()
        self._model_dir: str | None = None

    # ----- inputs -----

    def _prepare_articles(self) -> str:
        """N articles for the batch figures (spread over the corpus), and every article for the engines."""
        self.articles_dir.mkdir()
        self.all_dir.mkdir()
        files = sorted(self.corpus.glob("*.txt")) if self.corpus.is_dir() else []
        n = self.plan.articles
        if len(files) >= n:
            picks = [files[round(i * (len(files) - 1) / max(n - 1, 1))] for i in range(n)]
            for path in picks:
                shutil.copy(path, self.articles_dir / path.name)
            for path in files:
                shutil.copy(path, self.all_dir / path.name)
            shutil.copy(SEED, self.all_dir / SEED.name)
            return f"{self.corpus} ({', '.join(p.stem for p in picks)})"
        # No corpus: variants of the seed (paragraphs rotated), so the texts differ.
        paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        for i in range(n):
            k = i % len(paragraphs)
            text = "\n\n".join(paragraphs[k:] + paragraphs[:k])
            (self.articles_dir / f"seed{i}.txt").write_text(text, encoding="utf-8")
            (self.all_dir / f"seed{i}.txt").write_text(text, encoding="utf-8")
        return f"{n} variants of the seed (no corpus at {self.corpus})"

    def model_dir(self) -> str:
        if self._model_dir is None:
            self._model_dir = str(probe("model_dir", {}).json()["model_dir"])
        return self._model_dir

    # ----- sections -----

    def startup(self) -> dict[str, Any]:
        summarize = harness.script("summarize")
        runs = interleaved(
            {
                "summarize_help": lambda: harness.run([summarize, "--help"]),
                "import_click": lambda: harness.run([harness.python(), "-c", "import click"]),
            },
            self.plan.startup_reps,
        )
        help_, click = summary(runs["summarize_help"]), summary(runs["import_click"])
        return {
            "startup_ratio": round(help_["seconds"] / click["seconds"], 2),
            "summarize_help": help_,
            "import_click": click,
        }

    def load(self) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="keepfacts-bench-cache-") as cache:
            env = {"KEEPFACTS_CACHE": cache}
            cold = probe("load", {"runtime": "transformers"}, env=env)
            cold_info = cold.json()
            if not cold_info["converted_now"]:
                raise RuntimeError("the cold load did not convert: KEEPFACTS_CACHE was not honoured")
            result: dict[str, Any] = {"transformers": {"cold": _load_figures([cold])}}
            tasks: dict[str, Callable[[], Run]] = {
                "transformers": lambda: probe("load", {"runtime": "transformers"}, env=env)
            }
            try:
                cold_ct2 = probe("load", {"runtime": "ct2"}, env=env)
                result["ct2"] = {"cold": _load_figures([cold_ct2])}
                tasks["ct2"] = lambda: probe("load", {"runtime": "ct2"}, env=env)
            except harness.ChildFailed as error:
                result["ct2"] = {"missing": _one_line(error)}
            warm = interleaved(tasks, self.plan.warm_load_reps)
        for name, runs in warm.items():
            result[name]["warm"] = _load_figures(runs)
            cold_s = result[name]["cold"]["load_seconds"]
            result[name]["cold_over_warm"] = round(cold_s / result[name]["warm"]["load_seconds"], 1)
        return result

    def latency(self) -> dict[str, Any]:
        summarize, translate = harness.script("summarize"), harness.script("translate")
        seed = str(SEED)
        runs = interleaved(
            {
                "seed_summary": lambda: harness.run([summarize, seed, "--format", "json", "-q"]),
                "seed_summary_extractive": lambda: harness.run(
                    [summarize, seed, "--method", "extractive", "--format", "json", "-q"]
                ),
                "seed_translation": lambda: harness.run([translate, seed, "--to", "es", "-q"]),
            },
            {
                "seed_summary": self.plan.summary_reps,
                "seed_summary_extractive": self.plan.cli_reps,
                "seed_translation": self.plan.cli_reps,
            },
        )
        result: dict[str, Any] = {name: summary(r) for name, r in runs.items()}
        record = json.loads(runs["seed_summary"][-1].stdout)
        result["seed_summary"].update(
            command="summarize SEED --format json -q",
            model=record.get("model"),
            method=record.get("method"),
            model_load_seconds=record.get("model_info", {}).get("load_seconds"),
        )
        result["seed_summary_extractive"]["command"] = "summarize SEED --method extractive --format json -q"
        result["seed_translation"]["command"] = "translate SEED --to es -q"
        return result

    def batch_summarize(self) -> dict[str, Any]:
        summarize = harness.script("summarize")
        model_dir = self.model_dir()
        out = self.work / "summaries.jsonl"
        n = len(list(self.articles_dir.glob("*.txt")))
        argv = [summarize, str(self.articles_dir), "-o", str(out), "--method", "model"]
        argv += ["--candidates", "1", "--max-words", str(BATCH_MAX_WORDS), "-q"]

        def keepfacts_batch() -> Run:
            out.unlink(missing_ok=True)
            return harness.run(argv)

        naive_args = {"dir": str(self.articles_dir), "model_dir": model_dir, "max_words": BATCH_MAX_WORDS}
        runs = interleaved(
            {"keepfacts": keepfacts_batch, "naive": lambda: probe("naive", naive_args)},
            self.plan.batch_rounds,
        )
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        errors = [r for r in records if "error" in r]
        if len(records) != n or errors:
            raise RuntimeError(f"summarize batch wrote {len(records)} records for {n} articles: {errors[:2]}")
        ours = probe("count_tokens", {"jsonl": str(out), "model_dir": model_dir}).json()["articles"]
        naive_detail = best_run(runs["naive"]).json()["articles"]
        keepfacts, naive = summary(runs["keepfacts"]), summary(runs["naive"])
        keepfacts_rate = n / keepfacts["seconds"] * 60
        naive_rate = n / naive["seconds"] * 60
        load_s = records[0].get("model_info", {}).get("load_seconds")
        return {
            "batch_speedup": round(keepfacts_rate / naive_rate, 2),
            "articles": n,
            "keepfacts": {
                **keepfacts,
                "articles_per_min": round(keepfacts_rate, 2),
                "command": f"summarize DIR -o out.jsonl --method model --candidates 1 "
                f"--max-words {BATCH_MAX_WORDS} -q",
                "model_load_seconds": load_s,
                "guard_seconds": round(sum(r.get("seconds", 0.0) for r in records), 3),
                "new_tokens": sum(a["new_tokens"] for a in ours),
                "words": sum(a["words"] for a in ours),
            },
            "naive": {
                **naive,
                "articles_per_min": round(naive_rate, 2),
                "how": "one python process; per article a fresh transformers pipeline('text-generation') on "
                "the converted embedded model, same prompt, greedy, same max_new_tokens",
                "max_new_tokens": best_run(runs["naive"]).json()["max_new_tokens"],
                "pipeline_seconds": round(sum(a["pipeline_seconds"] for a in naive_detail), 3),
                "generate_seconds": round(sum(a["generate_seconds"] for a in naive_detail), 3),
                "new_tokens": sum(a["new_tokens"] for a in naive_detail),
                "words": sum(a["words"] for a in naive_detail),
            },
        }

    def batch_translate(self) -> dict[str, Any]:
        translate = harness.script("translate")
        out = self.work / "translations.jsonl"
        files = sorted(self.articles_dir.glob("*.txt"))
        n = len(files)

        def keepfacts_batch() -> Run:
            out.unlink(missing_ok=True)
            return harness.run([translate, str(self.articles_dir), "--to", "es", "-o", str(out), "-q"])

        def one_command_each() -> Run:
            each = [harness.run([translate, str(path), "--to", "es", "-q"]) for path in files]
            seconds = sum(r.seconds for r in each)
            return Run(
                seconds=seconds,
                max_rss_mb=max(r.max_rss_mb for r in each),
                returncode=0,
                stdout="",
                stderr="",
                others_cores=round(sum(r.others_cores * r.seconds for r in each) / seconds, 2),
                waited_s=sum(r.waited_s for r in each),
            )

        runs = interleaved(
            {"keepfacts": keepfacts_batch, "one_command_each": one_command_each}, self.plan.batch_rounds
        )
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        if len(records) != n or any("error" in r for r in records):
            raise RuntimeError(f"translate batch wrote {len(records)} good records for {n} articles")
        batch, each = summary(runs["keepfacts"]), summary(runs["one_command_each"])
        batch_rate, each_rate = n / batch["seconds"] * 60, n / each["seconds"] * 60
        return {
            "batch_speedup": round(batch_rate / each_rate, 2),
            "articles": n,
            "model": records[0].get("model"),
            "keepfacts": {
                **batch,
                "articles_per_min": round(batch_rate, 2),
                "command": "translate DIR --to es -o out.jsonl -q",
            },
            "one_command_each": {
                **each,
                "articles_per_min": round(each_rate, 2),
                "command": "translate FILE --to es -q, once per article",
            },
        }

    def tokens(self) -> dict[str, Any]:
        args = {"new_tokens": self.plan.new_tokens, "reps": self.plan.token_reps}
        tasks: dict[str, Callable[[], Run]] = {
            "transformers": lambda: probe("tokens", {**args, "runtime": "transformers"}),
            "ct2": lambda: probe("tokens", {**args, "runtime": "ct2"}),
        }
        result: dict[str, Any] = {}
        runs = interleaved(tasks, self.plan.token_rounds, missing=result)
        for name, name_runs in runs.items():
            if name_runs:
                result[name] = _fastest(name_runs)
        if "tokens_per_s" in result.get("ct2", {}):
            tf, ct2 = result["transformers"], result["ct2"]
            result["ct2_over_transformers"] = round(ct2["tokens_per_s"] / tf["tokens_per_s"], 2)
            result["ct2_over_transformers_decode"] = round(
                ct2["decode_tokens_per_s"] / tf["decode_tokens_per_s"], 2
            )
            result["ct2_over_transformers_prefill"] = round(tf["prefill_seconds"] / ct2["prefill_seconds"], 2)
        return result

    def seq2seq(self) -> dict[str, Any]:
        """transformers vs CTranslate2 int8 on random models of real seq2seq models' shapes."""
        env = {"KEEPFACTS_CACHE": str(self.work / "seq2seq-cache")}
        result: dict[str, Any] = {}
        for shape in self.plan.seq2seq_shapes:
            path = str(self.work / f"shaped-{shape}")
            built = probe("build_shaped", {"shape": shape, "path": path}, env=env).json()
            args = {"shape": shape, "path": path, "new_tokens": self.plan.seq2seq_new_tokens}
            args["reps"] = self.plan.token_reps
            tasks = {
                runtime: _prober("seq2seq_tokens", {**args, "runtime": runtime}, env)
                for runtime in ("transformers", "ct2")
            }
            runs = interleaved(tasks, self.plan.token_rounds)
            node: dict[str, Any] = {"built": built}
            node.update({runtime: _fastest(runtime_runs) for runtime, runtime_runs in runs.items()})
            node["ct2_over_transformers"] = round(
                node["ct2"]["tokens_per_s"] / node["transformers"]["tokens_per_s"], 2
            )
            result[shape] = node
        return {"shapes": result}

    def summarize_default(self) -> dict[str, Any]:
        """The default summary (--method auto: the extractive sentences, shortened by the model where the
        guard finds every fact intact): the seed on one thread (the embedded model's default) and on every
        core, and the batch of articles, with what the model's time bought (sentences shortened)."""
        summarize, seed = harness.script("summarize"), str(SEED)
        from keepfacts.models.runtime import default_threads

        cores = str(default_threads())  # every core this process may use
        out = self.work / "default-summaries.jsonl"
        n = len(list(self.articles_dir.glob("*.txt")))

        def batch() -> Run:
            out.unlink(missing_ok=True)
            return harness.run([summarize, str(self.articles_dir), "-o", str(out), "-q"])

        tasks = {
            "seed_1_thread": lambda: harness.run(
                [summarize, seed, "--threads", "1", "--format", "json", "-q"]
            ),
            f"seed_{cores}_threads": lambda: harness.run(
                [summarize, seed, "--threads", cores, "--format", "json", "-q"]
            ),
            "batch": batch,
        }
        runs = interleaved(tasks, self.plan.summary_reps)
        result: dict[str, Any] = {name: summary(r) for name, r in runs.items()}
        for name in ("seed_1_thread", f"seed_{cores}_threads"):
            record = json.loads(runs[name][-1].stdout)
            result[name].update(method=record.get("method"), model_seconds=record.get("model_seconds"))
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        result["batch"].update(
            articles=n,
            command="summarize DIR -o out.jsonl -q",
            methods=dict(collections.Counter(str(r.get("method")) for r in records)),
            sentences_offered=sum(r.get("shortened", {}).get("offered", 0) for r in records),
            sentences_shortened=sum(r.get("shortened", {}).get("shortened", 0) for r in records),
            model_seconds=round(sum(r.get("model_seconds", 0.0) for r in records), 3),
        )
        return result

    def causal_batching(self) -> dict[str, Any]:
        """Why causal models get one prompt per call: the same drafts, one by one vs as one batch."""
        n = len(list(self.articles_dir.glob("*.txt")))
        args = {"dir": str(self.articles_dir), "max_words": BATCH_MAX_WORDS}
        tasks = {
            "one_per_call": _prober("causal_batch", {**args, "batch_size": 1}, {}),
            "one_batch": _prober("causal_batch", {**args, "batch_size": n}, {}),
        }
        runs = interleaved(tasks, self.plan.batch_rounds)
        result = {name: _best(name_runs, "seconds", highest=False) for name, name_runs in runs.items()}
        result["one_batch_over_one_per_call"] = round(
            result["one_batch"]["seconds"] / result["one_per_call"]["seconds"], 2
        )
        return result

    def _engine_probe(self, name: str) -> dict[str, Any]:
        """One in-process speed probe over the articles (all of them unless --quick), with its memory."""
        directory = self.articles_dir if self.plan.quick else self.all_dir
        run = probe(name, {"dir": str(directory), "reps": self.plan.engine_reps})
        return {**run.json(), "max_rss_mb": run.max_rss_mb, "others_cores": run.others_cores}

    def apertium(self) -> dict[str, Any]:
        return self._engine_probe("apertium")

    def server(self) -> dict[str, Any]:
        """Throughput of the server backend: `summarize DIR -m openai:NAME` against the tests' loopback
        server, which answers each request after SERVER_DELAY_S (so what is measured is how well the
        client keeps a server busy, plus keepfacts' own guard work), at each --concurrency."""
        sys.path.insert(0, str(ROOT / "tests"))
        from openai_server import ChatServer

        summarize = harness.script("summarize")
        directory = self.articles_dir if self.plan.quick else self.all_dir
        n = len(list(directory.glob("*.txt")))
        out = self.work / "server.jsonl"
        result: dict[str, Any] = {"articles": n, "server_delay_s": SERVER_DELAY_S}
        for concurrency in SERVER_CONCURRENCY:
            with ChatServer(delay=SERVER_DELAY_S) as chat:

                def batch(url: str = chat.url, level: int = concurrency) -> Run:
                    out.unlink(missing_ok=True)
                    command = [summarize, str(directory), "-m", "openai:tiny-chat", "--api-base", url]
                    return harness.run([*command, "--concurrency", str(level), "-o", str(out), "-q"])

                runs = [batch() for _ in range(self.plan.batch_rounds)]
                requests, in_flight = len(chat.chat_requests()), chat.max_in_flight
            best = summary(runs)
            result[f"concurrency_{concurrency}"] = {
                **best,
                "articles_per_min": round(n / best["seconds"] * 60, 1),
                "requests_per_s": round(requests / len(runs) / best["seconds"], 2),
                "max_in_flight": in_flight,
            }
        low, high = (result[f"concurrency_{c}"]["articles_per_min"] for c in SERVER_CONCURRENCY)
        result["speedup"] = round(high / low, 2)
        return result

    def bergamot(self) -> dict[str, Any]:
        return self._engine_probe("bergamot")

    def facts(self) -> dict[str, Any]:
        return self._engine_probe("facts")


def best_run(runs: list[Run]) -> Run:
    return harness.best(runs)


def _prober(name: str, args: dict[str, Any], env: dict[str, str]) -> Callable[[], Run]:
    return lambda: probe(name, args, env=env)


def _best(runs: list[Run], key: str, *, highest: bool) -> dict[str, Any]:
    """The figures of the probe run with the highest (or lowest) `key`, with every run's value of it
    (`<key>_runs`) and the peak memory of all of them."""
    figures = [r.json() for r in runs]
    pick = max if highest else min
    index = pick(range(len(figures)), key=lambda i: figures[i][key])
    return {
        **figures[index],
        f"{key}_runs": [f[key] for f in figures],
        "max_rss_mb": max(r.max_rss_mb for r in runs),
        "others_cores": runs[index].others_cores,
    }


def _fastest(runs: list[Run]) -> dict[str, Any]:
    """The generation probe run with the most tokens/s."""
    return _best(runs, "tokens_per_s", highest=True)


def _load_figures(runs: list[Run]) -> dict[str, Any]:
    """Best in-process load time (import + models.load), its wall time and peak memory."""
    figures = [r.json() for r in runs]
    chosen = min(range(len(runs)), key=lambda i: figures[i]["seconds"])
    return {
        "load_seconds": figures[chosen]["seconds"],
        "wall_seconds": round(runs[chosen].seconds, 3),
        "runs": [f["seconds"] for f in figures],
        "max_rss_mb": max(r.max_rss_mb for r in runs),
        "others_cores": runs[chosen].others_cores,
        **{k: v for k, v in figures[chosen].items() if k not in ("seconds",) and v is not None},
    }


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[-400:]


SECTIONS = (
    "startup",
    "load",
    "latency",
    "batch_summarize",
    "batch_translate",
    "tokens",
    "seq2seq",
    "causal_batching",
    "summarize_default",
    "apertium",
    "server",
    "bergamot",
    "facts",
)


# ----- report -----


def headline(sections: dict[str, Any]) -> dict[str, Any]:
    """The figures the issue asks for, in one place."""
    get = _getter(sections)
    return {
        "startup_ratio": get("startup", "startup_ratio"),
        "cold_over_warm_load": get("load", "transformers", "cold_over_warm"),
        "batch_speedup": get("batch_summarize", "batch_speedup"),
        "translate_batch_speedup": get("batch_translate", "batch_speedup"),
        "ct2_over_transformers_tokens_per_s": get("tokens", "ct2_over_transformers"),
        "ct2_over_transformers_decode_tokens_per_s": get("tokens", "ct2_over_transformers_decode"),
        "ct2_over_transformers_opus_mt_shape": get("seq2seq", "shapes", "opus-mt", "ct2_over_transformers"),
        "ct2_over_transformers_distilbart_shape": get(
            "seq2seq", "shapes", "distilbart", "ct2_over_transformers"
        ),
        "seed_summary_seconds": get("latency", "seed_summary", "seconds"),
        "seed_translation_seconds": get("latency", "seed_translation", "seconds"),
    }


def _getter(sections: dict[str, Any]) -> Callable[..., Any]:
    def get(*keys: str) -> Any:
        node: Any = sections
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    return get


def table(results: dict[str, Any]) -> str:
    """The markdown table: one row per figure, with its peak memory and the machine's noise."""
    s = results["sections"]
    get = _getter(s)
    rows: list[tuple[str, ...]] = []

    def add(label: str, value: Any, node: dict[str, Any] | None = None, note: str = "") -> None:
        node = node or {}
        rss = node.get("max_rss_mb")
        others = node.get("others_cores")
        rows.append(
            (
                label,
                str(value),
                f"{rss:.0f}" if isinstance(rss, (int, float)) else "",
                f"{others:.2f}" if isinstance(others, (int, float)) else "",
                note,
            )
        )

    if "startup" in s:
        st = s["startup"]
        help_, click = st["summarize_help"], st["import_click"]
        add(
            "startup_ratio: `summarize --help` / `python -c 'import click'`",
            f"**{st['startup_ratio']}**",
            help_,
            f"{help_['seconds']} s / {click['seconds']} s, best of {len(click['runs'])} each",
        )
    for runtime in ("transformers", "ct2"):
        node = get("load", runtime)
        if not node:
            continue
        if "missing" in node:
            add(f"model load, {runtime}", "missing", note=node["missing"])
            continue
        cold, warm = node["cold"], node.get("warm")
        convert = cold.get("convert_seconds") or cold.get("ct2_convert_seconds")
        what = "GGUF to safetensors" if runtime == "transformers" else "safetensors to CTranslate2 int8"
        add(
            f"embedded model load, {runtime}: cold",
            f"{cold['load_seconds']} s",
            cold,
            f"first conversion ({what}) {convert} s of it; import + models.load",
        )
        if warm:
            add(
                f"embedded model load, {runtime}: warm",
                f"{warm['load_seconds']} s",
                warm,
                f"cold/warm **{node['cold_over_warm']}x**; best of {len(warm['runs'])}",
            )
    for key, label in (
        ("seed_summary", "seed summary, CLI end to end, default settings"),
        ("seed_summary_extractive", "seed summary, `--method extractive`"),
        ("seed_translation", "seed translation, `--to es` (Apertium)"),
    ):
        node = get("latency", key)
        if node:
            note = f"`{node['command']}`, best of {len(node['runs'])}"
            if key == "seed_summary":
                note += f"; {node.get('model')}, result method {node.get('method')}"
            add(label, f"{node['seconds']} s", node, note)
    bs = s.get("batch_summarize")
    if bs:
        k, nv = bs["keepfacts"], bs["naive"]
        add(
            f"batch_speedup, summaries ({bs['articles']} articles)",
            f"**{bs['batch_speedup']}x**",
            note=f"{k['articles_per_min']} vs {nv['articles_per_min']} articles/min",
        )
        add(
            "  keepfacts: one `summarize DIR -o out.jsonl --method model --candidates 1`",
            f"{k['articles_per_min']} articles/min",
            k,
            f"{k['seconds']} s (model load {k['model_load_seconds']} s); {k['new_tokens']} tokens out",
        )
        add(
            "  naive: a fresh transformers pipeline per article",
            f"{nv['articles_per_min']} articles/min",
            nv,
            f"{nv['seconds']} s ({nv['pipeline_seconds']} s building pipelines, {nv['generate_seconds']} s "
            f"generating); {nv['new_tokens']} tokens out",
        )
    bt = s.get("batch_translate")
    if bt:
        one, each = bt["keepfacts"], bt["one_command_each"]
        add(
            f"batch_speedup, translations ({bt['articles']} articles, {bt['model']})",
            f"**{bt['batch_speedup']}x**",
            note=f"{one['articles_per_min']} vs {each['articles_per_min']} articles/min",
        )
        add("  keepfacts: one `translate DIR --to es -o out.jsonl`", f"{one['seconds']} s", one)
        add("  one `translate FILE --to es` per article", f"{each['seconds']} s", each)
    tk = s.get("tokens")
    if tk:
        for runtime in ("transformers", "ct2"):
            node = tk.get(runtime, {})
            if "missing" in node:
                add(f"generation tokens/s, {runtime}", "missing", note=node["missing"])
            elif node:
                add(
                    f"generation tokens/s, {runtime} (embedded, greedy)",
                    f"{node['tokens_per_s']} tok/s",
                    node,
                    f"{node['new_tokens']} new tokens after a {node['prompt_tokens']}-token prompt; "
                    f"prefill {node['prefill_seconds']} s, then {node['decode_tokens_per_s']} tok/s",
                )
        if "ct2_over_transformers" in tk:
            add(
                "CTranslate2 int8 / transformers, tokens/s",
                f"**{tk['ct2_over_transformers']}x**",
                note=f"decode alone {tk['ct2_over_transformers_decode']}x; prefill speed "
                f"{tk['ct2_over_transformers_prefill']}x",
            )
    for shape, node in get("seq2seq", "shapes").items() if "seq2seq" in s else ():
        for runtime in ("transformers", "ct2"):
            n = node[runtime]
            add(
                f"generation tokens/s, {runtime} ({shape} shape, random weights)",
                f"{n['tokens_per_s']} tok/s",
                n,
                f"{n['inputs']} input(s) of {n['input_tokens']} tokens in all, {n['new_tokens']} new tokens "
                f"each, {n['beams']} beams, one generate call; {n['seconds']} s",
            )
        add(
            f"CTranslate2 int8 / transformers, tokens/s ({shape} shape)",
            f"**{node['ct2_over_transformers']}x**",
        )
    cb = s.get("causal_batching")
    if cb:
        for name, label in (("one_per_call", "one prompt per model call"), ("one_batch", "one padded batch")):
            node = cb[name]
            add(
                f"embedded drafts of {node['articles']} articles, {label}",
                f"{node['seconds']} s",
                node,
                f"batch_size {node['batch_size']}; words per draft {node['words']}",
            )
        add("one padded batch / one prompt per call, seconds", f"**{cb['one_batch_over_one_per_call']}x**")
    ap = s.get("apertium")
    if ap:
        add(
            "Apertium eng-spa",
            f"{ap['words_per_s']} words/s",
            ap,
            f"{ap['words']} words in {ap['articles']} articles, one call per article",
        )
    sv = s.get("server")
    if sv:
        for level in SERVER_CONCURRENCY:
            node = sv[f"concurrency_{level}"]
            add(
                f"openai:NAME summaries, loopback server, --concurrency {level}",
                f"{node['articles_per_min']} articles/min",
                node,
                f"{node['requests_per_s']} requests/s, at most {node['max_in_flight']} in flight; "
                f"{sv['articles']} articles, {sv['server_delay_s']} s per answer",
            )
        add("--concurrency 8 / 1, articles/min", f"**{sv['speedup']}x**")
    bg = s.get("bergamot")
    if bg:
        add(
            f"Bergamot en->pt, {bg['threads']} threads",
            f"{bg['words_per_s']} words/s",
            bg,
            f"{bg['words']} words in {bg['articles']} articles, one call per article; "
            f"one thread: {bg['one_thread_words_per_s']} words/s",
        )
    fc = s.get("facts")
    if fc:
        add("fact engine: extract()", f"{fc['extract_per_s']} articles/s", fc, f"{fc['articles']} articles")
        add(
            "fact engine: check(), article vs its extractive summary",
            f"{fc['check_per_s']} articles/s",
            fc,
            f"{fc['check_given_source_facts_per_s']}/s with the source facts passed in",
        )
    lines = [
        "| figure | value | peak RSS MB | others' cores | detail |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# The instruction sets that decide how much int8 gains over float32 on a CPU.
CPU_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")


def cpu() -> dict[str, Any]:
    """The processor's name and which of CPU_FLAGS it has (Linux; empty elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in text.split("\n\n", 1)[0].splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    flags = set(fields.get("flags", "").split())
    return {"cpu": fields.get("model name", ""), "cpu_flags": [f for f in CPU_FLAGS if f in flags]}


def environment() -> dict[str, Any]:
    versions = {}
    for name in ("torch", "transformers", "ctranslate2", "tokenizers", "click"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/*.json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit, changed = "", ""
    return {
        **cpu(),
        "cpus": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "git_commit": commit,
        "git_uncommitted_changes": bool(changed),  # figures then come from code not in that commit
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="keepfacts benchmark: writes bench/results.json")
    parser.add_argument("--quick", action="store_true", help="fewer articles, runs and tokens")
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        metavar="NAME",
        help=f"one section: {', '.join(SECTIONS)}",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="directory of .txt articles")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results file (JSON)")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for the 1-minute load average to fall below --max-load",
    )
    parser.add_argument("--max-load", type=float, default=0.7)
    parser.add_argument(
        "--settle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each child run, wait up to this long for other processes to use under 0.3 cores",
    )
    args = parser.parse_args(argv)
    plan = Plan.make(args.quick)
    chosen = args.only or list(SECTIONS)
    if args.wait_idle:
        harness.wait_for_idle(args.max_load, args.wait_idle)
    if args.settle:
        harness.SETTLE = (0.3, args.settle)

    started = time.perf_counter()
    results: dict[str, Any] = {
        "command": " ".join(["python bench/run.py", *(sys.argv[1:] if argv is None else argv)]),
        "mode": "quick" if args.quick else "full",
        "settle_s": args.settle,
        "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "environment": environment(),
        "loadavg_start": harness.loadavg(),
        "sections": {},
        "failed": {},
    }
    with tempfile.TemporaryDirectory(prefix="keepfacts-bench-") as work:
        bench = Bench(plan, args.corpus, Path(work))
        results["articles"] = bench.corpus_note
        for name in chosen:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            section_start, load_before = time.perf_counter(), harness.loadavg()
            waited_before = harness.WAITED[0]
            try:
                figures = getattr(bench, name)()
            except (harness.ChildFailed, RuntimeError, ValueError, KeyError) as error:
                results["failed"][name] = _one_line(error)
                print(f"bench: {name} failed: {_one_line(error)}", file=sys.stderr, flush=True)
                continue
            figures["section_seconds"] = round(time.perf_counter() - section_start, 1)
            figures["settle_waited_s"] = round(harness.WAITED[0] - waited_before, 1)
            figures["loadavg"] = {"start": load_before, "end": harness.loadavg()}
            results["sections"][name] = figures
    results["loadavg_end"] = harness.loadavg()
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["settle_waited_s"] = round(harness.WAITED[0], 1)
    this_run = {
        k: results[k]
        for k in ("command", "started_at", "loadavg_start", "loadavg_end", "total_seconds", "settle_waited_s")
    }
    if args.only and args.output.is_file():  # a partial run updates its sections of the last full run
        previous = json.loads(args.output.read_text(encoding="utf-8"))
        previous.setdefault("partial_updates", []).append(this_run)
        previous["sections"].update(results["sections"])
        previous["failed"] = {k: v for k, v in previous.get("failed", {}).items() if k not in chosen}
        previous["failed"].update(results["failed"])
        results = previous
    results["figures"] = headline(results["sections"])
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    env = results["environment"]
    flags = ", ".join(env.get("cpu_flags", [])) or "none of " + ", ".join(CPU_FLAGS)
    print(f"\n{env.get('cpus')} CPUs: {env.get('cpu', '?')} ({flags})")
    print(
        f"\n{this_run['command']}: {this_run['total_seconds']} s (of which {this_run['settle_waited_s']} s "
        f"waiting for other processes); load average "
        f"{this_run['loadavg_start']} -> {this_run['loadavg_end']}; written to {args.output}"
    )
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
