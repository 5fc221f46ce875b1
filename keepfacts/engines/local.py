"""The local engine: one processor in this process, batches of similar lengths.

Documents are taken in windows of WINDOW_BATCHES batches; within a window they are sorted by length and
cut into batches, so a model pads little. Results come back one by one as each is done (out of input
order); `run_batch` writes them in input order, so at most one window of finished work waits for an
earlier, longer document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from keepfacts.documents import Document

WINDOW_BATCHES = 8


def length_batches(
    pending: list[tuple[int, Document]], batch_size: int
) -> Iterator[list[tuple[int, Document]]]:
    """Batches of `batch_size`, each from a window of WINDOW_BATCHES batches sorted by text length."""
    window = batch_size * WINDOW_BATCHES
    for start in range(0, len(pending), window):
        chunk = sorted(pending[start : start + window], key=lambda entry: (len(entry[1].text), entry[0]))
        for offset in range(0, len(chunk), batch_size):
            yield chunk[offset : offset + batch_size]


def process_local(
    pending: list[tuple[int, Document]], factory: Any, batch_size: int
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(slot, record) for every pending document, each as soon as it is done (see `process_stream`); the
    model loads once, at the first batch."""
    from keepfacts.engines import process_stream

    process = factory()
    for batch in length_batches(pending, batch_size):
        records = process_stream(process, [doc for _, doc in batch])
        yield from zip((slot for slot, _ in batch), records, strict=True)
