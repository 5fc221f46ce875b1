"""Fake processors for the batch engine tests. A module (not a conftest) so that Ray workers and the
kill -9 subprocess can import it: `python -m tests.batch_fakes` runs a small batch job (see main())."""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

from keepfacts.documents import Document, error_record
from keepfacts.errors import Interrupted, ModelError

FAIL = "FAIL-ME"  # the processor returns an error record for a document containing this
RAISE = "RAISE-ME"  # the processor raises for any batch holding a document containing this


@dataclass(frozen=True)
class UpperFactory:
    """Settings of a fake 'model' that upper-cases text. Picklable, like the real factories."""

    delay: float = 0.0  # seconds per document
    broken: bool = False  # the model cannot load

    def __call__(self) -> UpperProcessor:
        if self.broken:
            raise ModelError("fake model cannot load: its directory is corrupt")
        return UpperProcessor(self)


class UpperProcessor:
    def __init__(self, settings: UpperFactory) -> None:
        self.settings = settings
        self.instance = uuid.uuid4().hex  # which load of the 'model' made a record
        self.batches: list[list[str]] = []

    def __call__(self, docs: list[Document]) -> list[dict[str, Any]]:
        self.batches.append([doc.id for doc in docs])
        if any(RAISE in doc.text for doc in docs):
            raise RuntimeError("fake model crashed\non this input")
        records: list[dict[str, Any]] = []
        for doc in docs:
            time.sleep(self.settings.delay)
            if FAIL in doc.text:
                records.append(error_record(doc.id, "fake model refused this text", doc.sha256))
                continue
            records.append(
                {
                    "id": doc.id,
                    "input_sha256": doc.sha256,
                    "output": doc.text.upper(),
                    "model": "fake-upper",
                    "method": "model",
                    "facts": {"kept": [], "missing": [], "unsupported": [], "changed": []},
                    "seconds": self.settings.delay,
                    "lang": doc.lang,
                    "instance": self.instance,
                    "pid": os.getpid(),
                }
            )
        return records


def main(argv: list[str] | None = None) -> int:
    """A batch job as the commands run it: inputs -> run_batch(local) -> a JSONL sink."""
    from keepfacts.engines import run_batch
    from keepfacts.inputs import read_inputs
    from keepfacts.outputs import open_sink

    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--engine", default="local")
    args = parser.parse_args(argv)
    try:
        with open_sink(args.output, "jsonl", resume=args.resume) as sink:
            summary = run_batch(
                read_inputs(args.inputs),
                UpperFactory(delay=args.delay),
                sink,
                engine=args.engine,
                batch_size=args.batch_size,
                signature="fake/1",
                resume=args.resume,
                progress=False,
                workers=2,
            )
    except Interrupted as stop:
        print(f"interrupted: {stop.done} of {stop.total} done", file=sys.stderr)
        return 130
    print(f"done={summary.done} failed={summary.failed} skipped={summary.skipped}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
