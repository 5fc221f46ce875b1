"""`python -m keepfacts.models probe NAME`: load a model, generate once, print what it cost (JSON on stdout).

    python -m keepfacts.models probe smollm2 --task summarize --input seeds/khaama-ukraine-desertions.txt \
        --instruction "Summarize the article in at most 80 words." --max-new-tokens 100 --repeat 3

Figures: load seconds (cold if the conversion ran), generation seconds and new tokens per second (best
of --repeat runs), peak resident memory of this process. For measuring; not part of the commands.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from keepfacts.errors import KeepfactsError


def probe(args: argparse.Namespace) -> dict[str, Any]:
    from keepfacts.models import Loader

    text = Path(args.input).read_text(encoding="utf-8") if args.input else args.text
    started = time.perf_counter()
    backend = Loader().load(
        args.name, task=args.task, threads=args.threads, dtype=args.dtype, runtime=args.runtime
    )
    load_seconds = time.perf_counter() - started
    settings: dict[str, Any] = {"max_new_tokens": args.max_new_tokens, "num_beams": args.num_beams}
    if args.instruction:
        settings["instruction"] = args.instruction
    if args.tgt_lang:
        settings.update(src_lang=args.src_lang, tgt_lang=args.tgt_lang)
    if args.min_new_tokens:
        settings["min_new_tokens"] = args.min_new_tokens
    if args.no_loop_guard:
        settings["no_repeat_ngram_size"] = 0
    runs = []
    output = ""
    for _ in range(args.repeat):
        started = time.perf_counter()
        [[output, *_]] = backend.generate([text], **settings)
        seconds = time.perf_counter() - started
        tokens = backend.count_tokens(output)
        runs.append(
            {"seconds": round(seconds, 3), "new_tokens": tokens, "tokens_per_s": round(tokens / seconds, 2)}
        )
    best = max(runs, key=lambda run: run["tokens_per_s"])
    return {
        "model": backend.spec,
        "runtime": backend.info.get("runtime"),
        "load_seconds": round(load_seconds, 3),
        "converted_now": backend.info.get("converted_now"),
        "ct2_converted_now": backend.info.get("ct2_converted_now"),
        "input_tokens": backend.count_tokens(text),
        "best": best,
        "runs": runs,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "output": output,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m keepfacts.models")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("probe", help="load a model, generate, print load time, tokens/s and peak memory")
    p.add_argument("name")
    p.add_argument("--task", default="summarize", choices=["summarize", "translate"])
    p.add_argument("--input", help="a text file to generate from")
    p.add_argument(
        "--text", default="Over 100,000 soldiers have been charged with desertion since February 2022."
    )
    p.add_argument("--instruction")
    p.add_argument("--max-new-tokens", type=int, default=100)
    p.add_argument("--min-new-tokens", type=int, default=0, help="(backends that support it)")
    p.add_argument("--num-beams", type=int, default=1)
    p.add_argument("--src-lang", default="en")
    p.add_argument("--tgt-lang")
    p.add_argument("--threads", type=int)
    p.add_argument("--dtype")
    p.add_argument("--runtime", choices=["transformers", "ct2"])
    p.add_argument("--no-loop-guard", action="store_true", help="no_repeat_ngram_size=0 (equal lengths)")
    p.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        print(json.dumps(probe(args), indent=2, ensure_ascii=False))
    except KeepfactsError as error:
        print(f"python -m keepfacts.models: {error.message}", file=sys.stderr)
        return error.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
