"""Child-process probes for bench/run.py: each runs in a fresh process and prints one JSON object.

    python bench/probes.py NAME '{"arg": ...}'

A fresh process per probe keeps the figures honest (nothing warm from an earlier probe except the OS
file cache) and lets the parent read each probe's own peak resident memory with os.wait4. The parent
measures wall time; a probe reports what only it can see (time inside a call, token counts).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = ROOT / "seeds" / "khaama-ukraine-desertions.txt"


def summary_max_new_tokens(max_words: int) -> int:
    """The length cap summarize.pipeline gives the model for a --max-words budget (kept in step with
    Summarizer._generate: int(max_words * 2.2) + 16)."""
    return int(max_words * 2.2) + 16


def _texts(directory: str) -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(Path(directory).glob("*.txt"))]


def model_dir(args: dict[str, Any]) -> dict[str, Any]:
    """The converted embedded model's directory (converting it first when the cache lacks it)."""
    from keepfacts.models.gguf_convert import DEFAULT_EMBEDDED, embedded_gguf, ensure_converted

    directory, _ = ensure_converted(embedded_gguf(DEFAULT_EMBEDDED))
    return {"model_dir": str(directory)}


def load(args: dict[str, Any]) -> dict[str, Any]:
    """Import our packages and load the embedded model through models.load (cold or warm cache)."""
    started = time.perf_counter()
    from keepfacts import models

    backend = models.load("embedded", task="summarize", runtime=args["runtime"])
    seconds = time.perf_counter() - started
    info = backend.info
    return {
        "spec": backend.spec,
        "seconds": round(seconds, 3),
        "converted_now": bool(info.get("converted_now")),
        "convert_seconds": info.get("convert_seconds"),
        "ct2_converted_now": info.get("ct2_converted_now"),
        "ct2_convert_seconds": info.get("ct2_convert_seconds"),
        "backend_load_seconds": info.get("load_seconds"),
    }


def tokens(args: dict[str, Any]) -> dict[str, Any]:
    """Greedy generation speed of one runtime on the embedded model: the seed article in the summary
    prompt, exactly `new` tokens forced (min = max, loop guard off), and the same prompt with 1 token (the
    prefill) just before it. The decode rate is (new - 1) / (generate - prefill) of the fastest pair."""
    from keepfacts import models
    from keepfacts.models.generation import chat_prompt
    from keepfacts.summarize.pipeline import INSTRUCTION

    started = time.perf_counter()
    backend = models.load("embedded", task="summarize", runtime=args["runtime"])
    load_seconds = time.perf_counter() - started
    text = SEED.read_text(encoding="utf-8")
    new = int(args["new_tokens"])
    instruction = INSTRUCTION.format(max_words=80)
    common = {"instruction": instruction, "num_beams": 1, "no_repeat_ngram_size": 0}

    def run(n: int) -> tuple[float, str]:
        started = time.perf_counter()
        [[output]] = backend.generate([text], max_new_tokens=n, min_new_tokens=n, **common)
        return time.perf_counter() - started, output

    run(1)  # warm-up: first-call allocations, lazy kernels
    pairs = []  # (prefill seconds, generate seconds), measured back to back
    output = ""
    for _ in range(int(args["reps"])):
        prefill = run(1)[0]
        seconds, output = run(new)
        pairs.append((prefill, seconds))
    best_prefill, best_full = min(pairs, key=lambda pair: pair[1])
    tokenizer: Any = getattr(backend, "tokenizer")  # noqa: B009 (both runtimes keep their HF tokenizer)
    prompt = chat_prompt(tokenizer, text, instruction)[0]
    return {
        "spec": backend.spec,
        "load_seconds": round(load_seconds, 3),
        "prompt_tokens": len(tokenizer(prompt, add_special_tokens=False)["input_ids"]),
        "new_tokens": new,
        "output_tokens_counted": backend.count_tokens(output),
        "prefill_seconds": round(min(p for p, _ in pairs), 3),
        "generate_seconds": round(best_full, 3),
        "tokens_per_s": round(new / best_full, 2),
        "decode_tokens_per_s": round((new - 1) / max(best_full - best_prefill, 1e-9), 2),
        "runs": [[round(p, 3), round(g, 3)] for p, g in pairs],
    }


# Random models of real seq2seq models' shapes (sizes from their config.json on the hub), built with
# tests/tiny_models.py. The weights are noise, but the work per token is the real model's, so tokens/s
# compares the runtimes honestly where the real models cannot be downloaded.
SEQ2SEQ_SHAPES: dict[str, dict[str, Any]] = {
    "opus-mt": {  # Helsinki-NLP/opus-mt-en-es
        "builder": "build_tiny_marian",
        "task": "translate",
        "vocab_size": 65001,
        "dims": {
            "d_model": 512,
            "encoder_layers": 6,
            "decoder_layers": 6,
            "encoder_attention_heads": 8,
            "decoder_attention_heads": 8,
            "encoder_ffn_dim": 2048,
            "decoder_ffn_dim": 2048,
            "max_position_embeddings": 512,
            "init_std": 0.02,
        },
    },
    "distilbart": {  # sshleifer/distilbart-cnn-12-6
        "builder": "build_tiny_bart",
        "task": "summarize",
        "vocab_size": 50264,
        "dims": {
            "d_model": 1024,
            "encoder_layers": 12,
            "decoder_layers": 6,
            "encoder_attention_heads": 16,
            "decoder_attention_heads": 16,
            "encoder_ffn_dim": 4096,
            "decoder_ffn_dim": 4096,
            "max_position_embeddings": 1024,
            "init_std": 0.02,
        },
    },
}


def build_shaped(args: dict[str, Any]) -> dict[str, Any]:
    """Write a random model of a real model's shape (SEQ2SEQ_SHAPES) into args["path"], trained on the
    seed's words, and convert it once to CTranslate2 (so the timed probes find it converted)."""
    from keepfacts import models
    from tests import tiny_models

    shape = SEQ2SEQ_SHAPES[args["shape"]]
    started = time.perf_counter()
    build = getattr(tiny_models, shape["builder"])
    path = build(
        Path(args["path"]), SEED.read_text(encoding="utf-8"), vocab_size=shape["vocab_size"], **shape["dims"]
    )
    built = time.perf_counter()
    backend = models.load(str(path), task=shape["task"], runtime="ct2")
    return {
        "build_seconds": round(built - started, 3),
        "ct2_convert_seconds": backend.info.get("ct2_convert_seconds"),
    }


def seq2seq_tokens(args: dict[str, Any]) -> dict[str, Any]:
    """Generation speed of one runtime on a model of a real shape, with the settings the pipeline uses
    (translate: the seed's sentences in one call, 2 beams, 2 candidates each; summarize: the seed, 2 beams,
    2 candidates), every output forced to exactly `new` tokens (min = max)."""
    from keepfacts import models
    from keepfacts.segment import split_sentences

    shape = SEQ2SEQ_SHAPES[args["shape"]]
    started = time.perf_counter()
    backend = models.load(args["path"], task=shape["task"], runtime=args["runtime"])
    load_seconds = time.perf_counter() - started
    text = SEED.read_text(encoding="utf-8")
    if shape["task"] == "translate":
        texts = [text[a:b] for a, b in split_sentences(text)]
        settings: dict[str, Any] = {"src_lang": "en", "tgt_lang": "es"}
    else:
        texts, settings = [text], {}
    new = int(args["new_tokens"])
    settings.update(num_beams=2, num_return_sequences=2, max_new_tokens=new, min_new_tokens=new)
    backend.generate(texts[:1], **{**settings, "max_new_tokens": 2, "min_new_tokens": 2})  # warm-up
    runs = []
    for _ in range(int(args["reps"])):
        started = time.perf_counter()
        outputs = backend.generate(texts, **settings)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    counted = [backend.count_tokens(o[0]) for o in outputs]
    return {
        "spec": backend.spec,
        "runtime": backend.info.get("runtime", "transformers"),
        "load_seconds": round(load_seconds, 3),
        "inputs": len(texts),
        "input_tokens": sum(backend.count_tokens(t) for t in texts),
        "new_tokens": new,
        "beams": settings["num_beams"],
        "output_tokens_counted": round(sum(counted) / len(counted), 1),  # the forced length, as a check
        "seconds": round(best, 3),
        "tokens_per_s": round(len(texts) * new / best, 2),
        "runs": [round(r, 3) for r in runs],
    }


def naive(args: dict[str, Any]) -> dict[str, Any]:
    """The naive way: for each article, a fresh transformers text-generation pipeline on the converted
    embedded model, called once with the same prompt (summarize.pipeline.INSTRUCTION in the chat
    template), greedy, same max_new_tokens; one article at a time."""
    import torch
    from transformers import pipeline
    from transformers.utils import logging as hf_logging

    from keepfacts.summarize.pipeline import INSTRUCTION

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    max_words = int(args["max_words"])
    instruction = INSTRUCTION.format(max_words=max_words)
    max_new = summary_max_new_tokens(max_words)
    per_article = []
    for doc_id, text in _texts(args["dir"]):
        started = time.perf_counter()
        pipe: Any = pipeline("text-generation", model=args["model_dir"], dtype=torch.float32, device="cpu")
        built = time.perf_counter()
        prompt = pipe.tokenizer.apply_chat_template(
            [{"role": "user", "content": f"{instruction}\n\n{text}"}],
            tokenize=False,
            add_generation_prompt=True,
        )
        [result] = pipe(prompt, max_new_tokens=max_new, do_sample=False, num_beams=1, return_full_text=False)
        output = result["generated_text"].strip()
        done = time.perf_counter()
        per_article.append(
            {
                "id": doc_id,
                "pipeline_seconds": round(built - started, 3),
                "generate_seconds": round(done - built, 3),
                "new_tokens": len(pipe.tokenizer(output, add_special_tokens=False)["input_ids"]),
                "words": len(output.split()),
            }
        )
        del pipe
    return {"max_new_tokens": max_new, "articles": per_article}


def causal_batch(args: dict[str, Any]) -> dict[str, Any]:
    """The embedded model (default runtime) drafting summaries of the articles in one generate call with
    `batch_size` prompts per model call, greedy, loop guard on, as summarize drafts them."""
    from keepfacts import models
    from keepfacts.summarize.pipeline import INSTRUCTION

    backend = models.load("embedded", task="summarize")
    texts = [text for _, text in _texts(args["dir"])]
    max_words = int(args["max_words"])
    settings = {
        "instruction": INSTRUCTION.format(max_words=max_words),
        "max_new_tokens": summary_max_new_tokens(max_words),
        "num_beams": 1,
    }
    backend.generate(texts[:1], **{**settings, "max_new_tokens": 2})  # warm-up
    started = time.perf_counter()
    outputs = backend.generate(texts, batch_size=int(args["batch_size"]), **settings)
    seconds = time.perf_counter() - started
    return {
        "spec": backend.spec,
        "batch_size": int(args["batch_size"]),
        "articles": len(texts),
        "seconds": round(seconds, 3),
        "words": [len(n_best[0].split()) for n_best in outputs],
    }


def count_tokens(args: dict[str, Any]) -> dict[str, Any]:
    """Tokens of the outputs in a JSONL file of records (the embedded model's tokenizer)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(args["model_dir"])
    counts = []
    for line in Path(args["jsonl"]).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        output = record.get("output", "")
        counts.append(
            {
                "id": record["id"],
                "new_tokens": len(tokenizer(output, add_special_tokens=False)["input_ids"]),
                "words": len(output.split()),
                "method": record.get("method"),
            }
        )
    return {"articles": counts}


def _article_sentences(directory: str) -> tuple[list[list[str]], int]:
    """Each article's sentences as the translate pipeline splits them, and their words in all."""
    from keepfacts.segment import split_sentences

    articles = [[text[a:b] for a, b in split_sentences(text)] for _, text in _texts(directory)]
    return articles, sum(len(s.split()) for sentences in articles for s in sentences)


def apertium(args: dict[str, Any]) -> dict[str, Any]:
    """Apertium eng-spa words per second through the backend, one generate call per article (as the
    translate pipeline does), sentences as the pipeline splits them."""
    from keepfacts import models

    backend = models.load("apertium:eng-spa", task="translate")
    articles, words = _article_sentences(args["dir"])
    runs = []
    for _ in range(int(args["reps"])):
        started = time.perf_counter()
        for sentences in articles:
            backend.generate(sentences, src_lang="en", tgt_lang="es")
        runs.append(time.perf_counter() - started)
    return {
        "articles": len(articles),
        "sentences": sum(len(s) for s in articles),
        "words": words,
        "seconds": round(min(runs), 3),
        "words_per_s": round(words / min(runs), 1),
        "runs": [round(s, 3) for s in runs],
    }


def bergamot(args: dict[str, Any]) -> dict[str, Any]:
    """Bergamot en->pt words per second through the backend, one generate call per article (as the
    translate pipeline does), sentences as the pipeline splits them: with the backend's default pool
    (one thread per CPU) and with one thread, interleaved, best of reps each."""
    from keepfacts import models

    articles, words = _article_sentences(args["dir"])
    backends = {
        "default": models.Loader().load("bergamot:en-pt", task="translate"),
        "one_thread": models.Loader().load("bergamot:en-pt", task="translate", threads=1),
    }
    backends["default"].generate(["Warm-up."])
    runs: dict[str, list[float]] = {name: [] for name in backends}
    for _ in range(int(args["reps"])):
        for name, backend in backends.items():
            started = time.perf_counter()
            for sentences in articles:
                backend.generate(sentences, src_lang="en", tgt_lang="pt")
            runs[name].append(time.perf_counter() - started)
    best = {name: min(times) for name, times in runs.items()}
    return {
        "articles": len(articles),
        "sentences": sum(len(s) for s in articles),
        "words": words,
        "threads": backends["default"].threads,
        "seconds": round(best["default"], 3),
        "words_per_s": round(words / best["default"], 1),
        "runs": [round(s, 3) for s in runs["default"]],
        "one_thread_seconds": round(best["one_thread"], 3),
        "one_thread_words_per_s": round(words / best["one_thread"], 1),
        "one_thread_runs": [round(s, 3) for s in runs["one_thread"]],
    }


def facts(args: dict[str, Any]) -> dict[str, Any]:
    """Fact engine speed: extract() per article; check() of each article against its own extractive
    summary, with the source analysed inside check() (as a plain call does) and analysed once before."""
    from keepfacts.eval import check, extract
    from keepfacts.eval.analysis import analyse
    from keepfacts.summarize.extractive import extractive_summary

    texts = [text for _, text in _texts(args["dir"])]
    reps = int(args["reps"])
    extracted = [extract(text) for text in texts]  # warm-up (regex compilation, data files)
    summaries = [extractive_summary(text, 80) for text in texts]

    def best(fn: Callable[[], object]) -> float:
        runs = []
        for _ in range(reps):
            started = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - started)
        return min(runs)

    extract_s = best(lambda: [extract(t) for t in texts])
    check_s = best(lambda: [check(t, s) for t, s in zip(texts, summaries, strict=True)])
    pairs = list(zip(texts, summaries, extracted, strict=True))
    analysed = [analyse(t) for t in texts]
    check_pre_s = best(lambda: [check(a, s) for a, (_, s, _) in zip(analysed, pairs, strict=True)])
    n = len(texts)
    return {
        "articles": n,
        "words": sum(len(t.split()) for t in texts),
        "facts": sum(len(f) for f in extracted),
        "extract_per_s": round(n / extract_s, 1),
        "check_per_s": round(n / check_s, 1),
        "check_given_source_facts_per_s": round(n / check_pre_s, 1),
    }


PROBES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "model_dir": model_dir,
    "load": load,
    "tokens": tokens,
    "naive": naive,
    "build_shaped": build_shaped,
    "seq2seq_tokens": seq2seq_tokens,
    "causal_batch": causal_batch,
    "count_tokens": count_tokens,
    "apertium": apertium,
    "bergamot": bergamot,
    "facts": facts,
}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in PROBES:
        print(f"usage: probes.py {{{','.join(PROBES)}}} JSON", file=sys.stderr)
        return 2
    result = PROBES[argv[0]](json.loads(argv[1]))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
