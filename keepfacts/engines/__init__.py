"""Batch engines: run one processor over many documents, write every record, never lose or double one.

A *processor* is a callable `list[Document] -> list[dict]` (one record per document, same order: a
contract result record, or an error record {"id", "error"}); it should not raise for one bad item, and if
it does anyway the engine retries the batch one document at a time so the others still finish. A
processor may also have `process_iter(docs) -> Iterator[dict]`, the same records handed over one by one
as each is done: the engines use it when present, so every record is written (and the sink flushed) as
soon as its document is finished, not when its whole batch is. A
*processor factory* is a picklable callable (a frozen dataclass of settings, or functools.partial of a
class) that builds a processor and loads its model: called once per run by the local engine, and once
per worker actor by the Ray engine.

`run_batch` is the same for every engine: it skips what --resume finds done, turns input failures into
error records, has the engine process the rest, and writes every record through the sink IN INPUT
ORDER (the engines may process in another order: they bucket documents by length). Every record gets
the document's id, its `input_sha256`, its JSONL extra fields (unless the processor set them), and
`signature`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from keepfacts.documents import Document, error_record
from keepfacts.errors import Interrupted, KeepfactsError, UsageError
from keepfacts.inputs import InputFailure
from keepfacts.progress import make_progress

Processor = Callable[[list[Document]], list[dict[str, Any]]]
ENGINES = ("local", "ray")


class ProcessorFactory(Protocol):
    """Picklable; builds the processor (and loads its model) when called."""

    def __call__(self) -> Processor: ...


@dataclass
class RunSummary:
    done: int  # result records written
    failed: int  # error records written
    skipped: int  # already done (--resume)
    seconds: float


def run_batch(
    items: Iterable[Document | InputFailure],
    factory: ProcessorFactory,
    sink: Any,
    *,
    engine: str = "local",
    batch_size: int = 8,
    signature: str = "",
    resume: bool = False,
    progress: bool | None = None,
    ray_address: str | None = None,
    workers: int | None = None,
    debug: bool = False,
    label: str = "keepfacts",
) -> RunSummary:
    """Process every item and write one record per item (not skipped) through `sink`, in input order.

    progress: None = a bar on stderr when it is a terminal (of any size), else a plain line every few
    seconds (`label: 8/54 done, 2 failed, 0.8/s, ETA 58 s`, see keepfacts.progress); False = nothing
    (--quiet); True = a bar.
    workers: Ray actors (default: one per CPU of the cluster); ignored by the local engine.
    debug: the Ray engine lets Ray's own log lines through (--debug); they stay off stderr otherwise.
    Raises KeepfactsError for what stops the whole run (a model that cannot load, an unknown engine), and
    on Ctrl-C (KeyboardInterrupt) `Interrupted` at once, after writing and flushing what is done (the
    item in flight is dropped; --resume does it).
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    started = time.perf_counter()
    entries = list(items)
    done_keys = sink.done_keys() if resume else set()
    writer = _OrderedWriter(sink, signature)
    pending: list[tuple[int, Document]] = []
    skipped = 0
    for item in entries:
        key = (item.id, item.sha256 if isinstance(item, Document) else "", signature)
        if key in done_keys:
            skipped += 1
            continue
        slot = writer.reserve(item)
        if isinstance(item, Document):
            pending.append((slot, item))
        else:
            writer.put(slot, {"id": item.id, "error": item.error})
    show = progress is not False
    with make_progress(writer.total, label=label, show=progress) as bar:
        writer.on_write = lambda record: bar.update(failed="error" in record)
        writer.drain()
        if pending:
            results = _engine_results(engine, pending, factory, batch_size, ray_address, workers, show, debug)
            # The local engine runs in a thread of its own, so Ctrl-C acts at once here even while a model
            # call (native code, which holds Python's signal handler back) is still running.
            background = _Background(results) if engine == "local" else None
            try:
                for slot, record in background or results:
                    writer.put(slot, record)
                    if writer.drain():  # flushed on every record written: a kill loses only what is in flight
                        sink.flush()
            except KeyboardInterrupt:
                busy = False
                if background is not None:
                    busy = background.stop(writer)
                else:
                    _close(results)  # the Ray engine stops its workers without waiting for them
                sink.flush()
                raise Interrupted(skipped + writer.written, skipped + writer.total, busy=busy) from None
    sink.flush()
    if writer.written != writer.total:  # an engine bug, never a user's problem to untangle silently
        raise KeepfactsError(f"internal error: wrote {writer.written} of {writer.total} records")
    return RunSummary(writer.done, writer.failed, skipped, time.perf_counter() - started)


class _Background:
    """An engine's results produced in a daemon thread and handed to the caller's thread through a queue."""

    _ITEM, _ERROR, _END = range(3)

    def __init__(self, results: Iterator[tuple[int, dict[str, Any]]]) -> None:
        self._queue: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self.thread = threading.Thread(
            target=self._run, args=(results,), name="keepfacts-engine", daemon=True
        )
        self.thread.start()

    def _run(self, results: Iterator[tuple[int, dict[str, Any]]]) -> None:
        try:
            for entry in results:
                if self._stopping.is_set():
                    break
                self._queue.put((self._ITEM, entry))
        except BaseException as exc:  # handed to the caller's thread, raised there
            self._queue.put((self._ERROR, exc))
        else:
            self._queue.put((self._END, None))
        finally:
            _close(results)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        while True:
            try:
                kind, value = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if kind == self._END:
                return
            if kind == self._ERROR:
                raise value
            yield value

    def stop(self, writer: _OrderedWriter) -> bool:
        """Stop after the item in flight (whose record is dropped); write the records already handed over.
        Returns True if the engine's thread is still busy (in a model call)."""
        self._stopping.set()
        while True:
            try:
                kind, value = self._queue.get_nowait()
            except queue.Empty:
                break
            if kind == self._ITEM:
                writer.put(*value)
        writer.drain()
        self.thread.join(0.05)
        return self.thread.is_alive()


def _close(results: Any) -> None:
    close = getattr(results, "close", None)
    if close is not None:
        close()


def _engine_results(
    engine: str,
    pending: list[tuple[int, Document]],
    factory: ProcessorFactory,
    batch_size: int,
    ray_address: str | None,
    workers: int | None,
    show: bool,
    debug: bool = False,
) -> Iterator[tuple[int, dict[str, Any]]]:
    if engine == "ray":
        from keepfacts.engines.ray_engine import process_ray

        return process_ray(
            pending, factory, batch_size, address=ray_address, workers=workers, progress=show, debug=debug
        )
    from keepfacts.engines.local import process_local

    return process_local(pending, factory, batch_size)


class _OrderedWriter:
    """Holds records that arrive out of order and writes them in the order their slots were reserved."""

    def __init__(self, sink: Any, signature: str) -> None:
        self.sink = sink
        self.signature = signature
        self.items: list[Document | InputFailure] = []
        self.ready: dict[int, dict[str, Any]] = {}
        self.written = self.done = self.failed = 0
        self.on_write: Callable[[dict[str, Any]], Any] = lambda record: None

    @property
    def total(self) -> int:
        return len(self.items)

    def reserve(self, item: Document | InputFailure) -> int:
        self.items.append(item)
        return len(self.items) - 1

    def put(self, slot: int, record: dict[str, Any]) -> None:
        self.ready[slot] = finish_record(record, self.items[slot], self.signature)

    def drain(self) -> int:
        """Write every record whose turn has come; returns how many were written."""
        before = self.written
        while self.written in self.ready:
            record = self.ready.pop(self.written)
            self.sink.write(record)
            self.written += 1
            if "error" in record:
                self.failed += 1
            else:
                self.done += 1
            self.on_write(record)
        return self.written - before


def finish_record(record: dict[str, Any], item: Document | InputFailure, signature: str) -> dict[str, Any]:
    """The record as written: the item's id first, its input hash, its extra fields, the signature."""
    finished: dict[str, Any] = {"id": item.id}
    finished.update((k, v) for k, v in record.items() if k != "id")
    if isinstance(item, Document):
        finished.setdefault("input_sha256", item.sha256)
        for key, value in item.meta.items():
            finished.setdefault(key, value)
    finished.setdefault("signature", signature)
    return finished


def process_safely(process: Processor, docs: list[Document]) -> list[dict[str, Any]]:
    """Run a processor on a batch; if it raises or breaks its contract, retry one document at a time so
    that one bad item cannot take the others down; what still fails becomes that item's error record."""
    try:
        records = process(docs)
        _check_records(records, len(docs))
        return records
    except Exception as exc:
        if len(docs) == 1:
            return [error_record(docs[0].id, describe_error(exc), docs[0].sha256)]
    return [process_safely(process, [doc])[0] for doc in docs]


def process_stream(process: Processor, docs: list[Document]) -> Iterator[dict[str, Any]]:
    """The records of a batch, in document order, each as soon as the processor has it (through its
    `process_iter` when it has one, else all at once). If the stream raises or breaks its contract, what
    it handed over stands and the rest is retried one document at a time, as in `process_safely`."""
    stream = getattr(process, "process_iter", None)
    if stream is None:
        yield from process_safely(process, docs)
        return
    done = 0
    try:
        for record in stream(docs):
            if done >= len(docs):
                raise RuntimeError(f"the processor returned more than {len(docs)} records")
            if not isinstance(record, dict):
                raise RuntimeError(f"the processor returned a {type(record).__name__}, not a record")
            yield record
            done += 1
        if done != len(docs):
            raise RuntimeError(f"the processor returned {done} records for {len(docs)} documents")
    except Exception:
        for doc in docs[done:]:
            yield process_safely(process, [doc])[0]


def _check_records(records: Any, expected: int) -> None:
    if not isinstance(records, list) or len(records) != expected:
        got = len(records) if isinstance(records, list) else type(records).__name__
        raise RuntimeError(f"the processor returned {got} records for {expected} documents")
    for record in records:
        if not isinstance(record, dict):
            raise RuntimeError(f"the processor returned a {type(record).__name__}, not a record")


def describe_error(exc: BaseException) -> str:
    """One line for an error record: a domain error's message, or "internal error: Type: message"."""
    text = exc.message if isinstance(exc, KeepfactsError) else f"internal error: {type(exc).__name__}: {exc}"
    return " ".join(text.split())[:1000] or type(exc).__name__


__all__ = [
    "ENGINES",
    "Processor",
    "ProcessorFactory",
    "RunSummary",
    "describe_error",
    "finish_record",
    "process_safely",
    "process_stream",
    "run_batch",
]
