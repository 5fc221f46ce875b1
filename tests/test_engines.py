"""The batch runner and the local engine: order, length buckets, bad items, resume, records, progress."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pytest

from keepfacts.documents import Document
from keepfacts.engines import RunSummary, process_safely, run_batch
from keepfacts.engines.local import length_batches
from keepfacts.errors import LanguageError, ModelError, UsageError
from keepfacts.inputs import InputFailure
from keepfacts.outputs import JsonlSink
from tests.batch_fakes import FAIL, RAISE, UpperFactory, UpperProcessor


class ListSink:
    """A sink that keeps records in memory (with the done keys a JSONL file would give)."""

    def __init__(self, done: set[tuple[str, str, str]] | None = None) -> None:
        self.records: list[dict[str, Any]] = []
        self.done = done or set()
        self.flushes = 0

    def write(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def flush(self) -> None:
        self.flushes += 1

    def done_keys(self) -> set[tuple[str, str, str]]:
        return set(self.done)


def doc(doc_id: str, text: str | None = None, **meta: Any) -> Document:
    return Document(id=doc_id, text=text if text is not None else f"text of {doc_id}", meta=meta)


@pytest.mark.parametrize("batch_size", [1, 3, 8])
def test_records_are_written_in_input_order_with_one_per_item(batch_size: int) -> None:
    items: list[Document | InputFailure] = [doc(f"d{n}", "x" * (50 - n * 3)) for n in range(12)]
    items.insert(5, InputFailure("bad-input", "bad-input is empty"))
    sink = ListSink()
    summary = run_batch(items, UpperFactory(), sink, batch_size=batch_size, signature="sig/1", progress=False)
    assert [r["id"] for r in sink.records] == [item.id for item in items]
    assert summary.done == 12 and summary.failed == 1 and summary.skipped == 0
    assert sink.records[5] == {"id": "bad-input", "error": "bad-input is empty", "signature": "sig/1"}
    assert all(r["signature"] == "sig/1" for r in sink.records)
    assert sink.records[0]["output"] == "X" * 50


def test_length_batches_group_similar_lengths_within_a_window() -> None:
    lengths = [90, 10, 50, 11, 91, 49, 12, 92]
    pending = [(n, doc(f"d{n}", "x" * length)) for n, length in enumerate(lengths)]
    batches = [[len(d.text) for _, d in batch] for batch in length_batches(pending, 3)]
    assert batches == [[10, 11, 12], [49, 50, 90], [91, 92]]
    assert sorted(slot for batch in length_batches(pending, 3) for slot, _ in batch) == list(range(8))


def test_the_model_sees_length_buckets_and_loads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[UpperProcessor] = []

    class CountingFactory(UpperFactory):
        def __call__(self) -> UpperProcessor:
            made.append(super().__call__())
            return made[-1]

    items = [doc(f"d{n}", "x" * length) for n, length in enumerate([5, 500, 6, 501])]
    run_batch(items, CountingFactory(), ListSink(), batch_size=2, progress=False)
    assert len(made) == 1
    assert made[0].batches == [["d0", "d2"], ["d1", "d3"]]


def test_a_broken_item_among_good_ones_is_reported_and_the_others_finish() -> None:
    items = [doc("a"), doc("b", f"this one {RAISE} here"), doc("c"), doc("d", f"{FAIL}"), doc("e")]
    sink = ListSink()
    summary = run_batch(items, UpperFactory(), sink, batch_size=8, progress=False)
    by_id = {r["id"]: r for r in sink.records}
    assert [r["id"] for r in sink.records] == ["a", "b", "c", "d", "e"]
    assert by_id["b"]["error"] == "internal error: RuntimeError: fake model crashed on this input"
    assert by_id["d"]["error"] == "fake model refused this text"
    assert {by_id[k]["output"] for k in "ace"} == {"TEXT OF A", "TEXT OF C", "TEXT OF E"}
    assert (summary.done, summary.failed) == (3, 2)
    assert by_id["b"]["input_sha256"] == items[1].sha256  # so --resume knows it was handled


def test_process_safely_turns_domain_errors_into_their_message_and_checks_the_contract() -> None:
    def picky(docs: list[Document]) -> list[dict[str, Any]]:
        if any(d.id == "fr" for d in docs):
            raise LanguageError("unsupported language pair en->xx: use --to with one of es, ca")
        return [{"id": d.id, "output": d.text} for d in docs]

    docs = [doc("en"), doc("fr")]
    assert process_safely(picky, docs)[1]["error"] == (
        "unsupported language pair en->xx: use --to with one of es, ca"
    )
    assert process_safely(picky, docs)[0]["output"] == "text of en"

    def short(docs: list[Document]) -> list[dict[str, Any]]:
        return [{"id": "only-one", "output": ""}]

    records = process_safely(short, docs[:1]) + process_safely(short, docs)
    assert records[0]["output"] == ""  # one doc, one record: fine
    assert len(records) == 3  # whole batch wrong -> retried one by one, one record each
    # (the runner then writes each under its document's id: see finish_record)


def test_records_carry_jsonl_fields_unless_the_processor_set_them() -> None:
    items = [doc("a", "hello", url="https://x.test/a", model="not-overwritten")]
    sink = ListSink()
    run_batch(items, UpperFactory(), sink, progress=False)
    [record] = sink.records
    assert record["url"] == "https://x.test/a"
    assert record["model"] == "fake-upper"
    assert next(iter(record)) == "id"


def test_resume_skips_done_items_with_the_same_id_input_and_signature() -> None:
    a, b = doc("a"), doc("b")
    items: list[Document | InputFailure] = [a, b, doc("c"), InputFailure("broken", "broken is empty")]
    done = {
        ("a", a.sha256, "sig/2"),  # done: skipped
        ("b", b.sha256, "sig/1"),  # other settings: redone
        ("c", "another input", "sig/2"),  # other text: redone
        ("broken", "", "sig/2"),  # its error record is there: skipped
    }
    sink = ListSink(done)
    summary = run_batch(items, UpperFactory(), sink, signature="sig/2", resume=True, progress=False)
    assert [r["id"] for r in sink.records] == ["b", "c"]
    assert (summary.done, summary.failed, summary.skipped) == (2, 0, 2)
    # without --resume nothing is skipped
    sink = ListSink(done)
    assert run_batch(items, UpperFactory(), sink, signature="sig/2", progress=False).skipped == 0


def test_resume_through_a_real_jsonl_file_finishes_without_doubles(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    items = [doc(f"d{n}") for n in range(6)]
    with JsonlSink(path) as sink:
        run_batch(items[:4], UpperFactory(), sink, signature="s", progress=False)
    with JsonlSink(path, resume=True) as sink:
        summary = run_batch(items, UpperFactory(), sink, signature="s", resume=True, progress=False)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [f"d{n}" for n in range(6)]
    assert (summary.done, summary.skipped) == (2, 4)


def test_a_model_that_cannot_load_stops_the_run_with_its_error() -> None:
    with pytest.raises(ModelError, match="corrupt"):
        run_batch([doc("a")], UpperFactory(broken=True), ListSink(), progress=False)


def test_nothing_to_do_does_not_load_the_model() -> None:
    summary = run_batch(
        [InputFailure("x", "x is empty")], UpperFactory(broken=True), ListSink(), progress=False
    )
    assert summary == RunSummary(done=0, failed=1, skipped=0, seconds=summary.seconds)


def test_unknown_engine_and_bad_batch_size_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="local or ray"):
        run_batch([], UpperFactory(), ListSink(), engine="spark")
    with pytest.raises(UsageError, match="batch-size"):
        run_batch([], UpperFactory(), ListSink(), batch_size=0)


def test_progress_bar_goes_to_stderr_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [doc(f"d{n}") for n in range(3)]
    for progress, expect_bar in ((True, True), (False, False), (None, False)):  # None: stderr is no TTY here
        err = io.StringIO()
        monkeypatch.setattr("sys.stderr", err)
        run_batch(items, UpperFactory(), ListSink(), progress=progress)
        assert ("3/3" in err.getvalue()) is expect_bar, (progress, err.getvalue())


def test_progress_auto_shows_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    run_batch([doc("a"), doc("b")], UpperFactory(), ListSink(), progress=None)
    assert "2/2" in err.getvalue() and "article" in err.getvalue()


class StreamingProcessor:
    """A processor that hands records over one by one (process_iter) and notes what the sink held when it
    started each document."""

    def __init__(self, sink: ListSink, *, waits: bool = True) -> None:
        self.sink = sink
        self.waits = waits
        self.seen: list[tuple[str, int, int]] = []  # (doc id, records written, flushes) when it started

    def process_iter(self, docs: list[Document]) -> Any:
        for n, d in enumerate(docs):
            # the engine writes from another thread: give it a moment to write what was handed over
            deadline = time.monotonic() + 2
            while self.sink.flushes < n and time.monotonic() < deadline and self.waits:
                time.sleep(0.005)
            self.seen.append((d.id, len(self.sink.records), self.sink.flushes))
            if RAISE in d.text:
                raise RuntimeError("crashed mid-batch")
            yield {"id": d.id, "output": d.text.upper()}

    def __call__(self, docs: list[Document]) -> list[dict[str, Any]]:
        return list(self.process_iter(docs))


def test_each_record_is_written_and_flushed_as_soon_as_it_is_done() -> None:
    sink = ListSink()
    processor = StreamingProcessor(sink)
    items = [doc(f"d{n}", "x" * 10) for n in range(4)]  # one batch (batch_size 8), one length
    run_batch(items, lambda: processor, sink, batch_size=8, progress=False)
    assert [r["id"] for r in sink.records] == ["d0", "d1", "d2", "d3"]
    # when d2 started, d0 and d1 were already written and flushed: not held until the batch ends
    assert processor.seen == [("d0", 0, 0), ("d1", 1, 1), ("d2", 2, 2), ("d3", 3, 3)]


def test_a_streaming_processor_that_crashes_mid_batch_keeps_what_it_yielded() -> None:
    sink = ListSink()
    processor = StreamingProcessor(sink)
    items = [doc("a", "a" * 10), doc("b", "b" * 10), doc("c", f"c {RAISE}"), doc("d", "d" * 10)]
    summary = run_batch(items, lambda: processor, sink, batch_size=8, progress=False)
    assert [r["id"] for r in sink.records] == ["a", "b", "c", "d"]
    assert sink.records[2]["error"] == "internal error: RuntimeError: crashed mid-batch"
    assert sink.records[3]["output"] == "D" * 10
    assert (summary.done, summary.failed) == (3, 1)
    assert [seen[0] for seen in processor.seen].count("a") == 1  # what was done is not redone


def test_a_ray_actor_hands_each_record_back_as_soon_as_it_is_done() -> None:
    from keepfacts.engines.ray_engine import _doc_to_json, _ProcessorActor

    sink = ListSink()
    processor = StreamingProcessor(sink, waits=False)
    actor = _ProcessorActor(lambda: processor)
    batch = {"slot": [4, 7], "doc": [_doc_to_json(doc("a")), _doc_to_json(doc("b"))]}
    outputs = actor(batch)
    first = next(outputs)  # one record's batch, before the second document is even started
    assert [d for d, _, _ in processor.seen] == ["a"]
    assert list(first["slot"]) == [4] and json.loads(first["record"][0])["output"] == "TEXT OF A"
    rest = list(outputs)
    assert [list(out["slot"]) for out in rest] == [[7]]
