"""`--report FILE.html` of summarize and translate: the batch's review page, written at the end of the run.

The run's inputs pass through `BatchReview.inputs` on their way to the engine (no second pass: the engine
reads them once, and each document's text is kept as it goes by) and every record through `add` (from the
sink wrapper of keepfacts.runner). Items that --resume skipped are read back from the output when it
is a JSONL file or a directory (its manifest), matched as --resume matches them (id, input hash,
settings signature); otherwise they are listed as skipped. The page itself is keepfacts.eval.review's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from keepfacts.documents import Document, sha256_text
from keepfacts.errors import UsageError
from keepfacts.inputs import InputFailure


class BatchReview:
    def __init__(self, path: str, output: str | None, fmt: str, signature: str, prog: str) -> None:
        if os.path.isdir(path):
            raise UsageError(f"--report {path} is a directory; give a file such as report.html")
        if output not in (None, "-") and os.path.abspath(path) == os.path.abspath(str(output)):
            raise UsageError("--report must not be the --output file")
        self.path = path
        self.output = output
        self.fmt = fmt
        self.signature = signature
        self.prog = prog
        self.order: list[str] = []
        self.texts: dict[str, str] = {}
        self.records: dict[str, dict[str, Any]] = {}

    def inputs(self, items: Iterable[Document | InputFailure]) -> Iterator[Document | InputFailure]:
        """The items, unchanged, each remembered (its id, and a document's text) as it passes."""
        for item in items:
            self.order.append(item.id)
            if isinstance(item, Document):
                self.texts[item.id] = item.text
            yield item

    def add(self, record: dict[str, Any]) -> None:
        self.records[str(record.get("id", ""))] = record

    def _earlier_records(self, wanted: set[str]) -> dict[str, dict[str, Any]]:
        """Records of skipped items, read back from a JSONL output or a directory's manifest."""
        from keepfacts.outputs import MANIFEST_NAME

        if not wanted or self.output in (None, "-"):
            return {}
        output = str(self.output)
        if os.path.isdir(output):
            path = os.path.join(output, MANIFEST_NAME)
        elif output.lower().endswith(".jsonl") or self.fmt == "jsonl":
            path = output
        else:
            return {}
        found: dict[str, dict[str, Any]] = {}
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    doc_id = str(record.get("id", "")) if isinstance(record, dict) else ""
                    if doc_id in wanted and self._same_run(doc_id, record):
                        found[doc_id] = record
        except OSError:
            return {}
        return found

    def _same_run(self, doc_id: str, record: dict[str, Any]) -> bool:
        text = self.texts.get(doc_id)
        sha = sha256_text(text) if text is not None else ""
        return str(record.get("input_sha256") or "") == sha and str(record.get("signature") or "") == (
            self.signature
        )

    def write(self) -> None:
        """Write the page (whole, atomically) for every item of the run, in input order before sorting."""
        from keepfacts.eval.review import BatchItem, batch_page
        from keepfacts.outputs import write_page

        skipped = {doc_id for doc_id in self.order if doc_id not in self.records}
        earlier = self._earlier_records(skipped)
        items = [
            BatchItem(
                doc_id,
                self.records.get(doc_id) or earlier.get(doc_id),
                self.texts.get(doc_id),
                skipped=doc_id in skipped,
            )
            for doc_id in self.order
        ]
        write_page(self.path, batch_page(items, title=f"{self.prog}: review of {len(items)} item(s)"))
