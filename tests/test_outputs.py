"""Writing records: JSONL (atomic lines, torn-line repair, resume keys), directories, stdout, single files."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from keepfacts.errors import OutputError, UsageError
from keepfacts.outputs import (
    MANIFEST_NAME,
    DirectorySink,
    FileSink,
    JsonlSink,
    StreamSink,
    open_sink,
    safe_filename,
)


def record(doc_id: str, output: str = "A summary.", signature: str = "sig/1") -> dict[str, object]:
    return {
        "id": doc_id,
        "input_sha256": f"sha-{doc_id}",
        "output": output,
        "model": "fake",
        "method": "model",
        "facts": {"kept": [], "missing": [], "unsupported": [], "changed": []},
        "seconds": 0.1,
        "signature": signature,
    }


def read_jsonl(path: Path) -> list[dict[str, object]]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), "the file must end with a complete line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


# --- JSONL ------------------------------------------------------------------------------------------


def test_jsonl_sink_writes_one_complete_line_per_record_in_order(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with JsonlSink(path) as sink:
        sink.write(record("a", "Über 100,000 — «ok»"))
        sink.write({"id": "b", "error": "b is empty"})
    rows = read_jsonl(path)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["output"] == "Über 100,000 — «ok»"
    assert "Über" in path.read_text(encoding="utf-8")  # readable UTF-8, not \\u escapes


def test_each_record_is_one_write_call_on_an_append_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bytes] = []
    real_write = os.write

    def spy(fd: int, data: bytes) -> int:
        calls.append(bytes(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", spy)
    with JsonlSink(tmp_path / "out.jsonl") as sink:
        sink.write(record("a", "x" * 100_000))
        sink.write(record("b"))
    assert len(calls) == 2
    assert all(c.endswith(b"\n") and c.count(b"\n") == 1 for c in calls)


def test_without_resume_an_existing_file_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text(json.dumps(record("old")) + "\n", encoding="utf-8")
    with JsonlSink(path) as sink:
        assert sink.done_keys() == set()
        sink.write(record("new"))
    assert [r["id"] for r in read_jsonl(path)] == ["new"]


def test_resume_truncates_a_torn_last_line_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    good = json.dumps(record("a")) + "\n" + json.dumps(record("b")) + "\n"
    path.write_bytes(good.encode() + b'{"id": "c", "output": "half a rec')
    with JsonlSink(path, resume=True) as sink:
        assert sink.done_keys() == {("a", "sha-a", "sig/1"), ("b", "sha-b", "sig/1")}
        sink.write(record("c"))
    assert [r["id"] for r in read_jsonl(path)] == ["a", "b", "c"]


def test_resume_drops_an_invalid_last_line_but_keeps_a_complete_one_missing_its_newline(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes((json.dumps(record("a")) + "\n" + '{"id": "b", "out\n').encode())
    with JsonlSink(path, resume=True) as sink:
        assert {key[0] for key in sink.done_keys()} == {"a"}
    assert [r["id"] for r in read_jsonl(path)] == ["a"]

    path.write_bytes(json.dumps(record("a")).encode())  # complete record, newline lost
    with JsonlSink(path, resume=True) as sink:
        assert {key[0] for key in sink.done_keys()} == {"a"}
        sink.write(record("b"))
    assert [r["id"] for r in read_jsonl(path)] == ["a", "b"]


def test_done_keys_count_error_records_and_default_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    lines = [
        {"id": "ok", "input_sha256": "h1", "output": "x", "signature": "s"},
        {"id": "bad", "input_sha256": "h2", "error": "too long", "signature": "s"},
        {"id": "unread", "error": "not text", "signature": "s"},
        {"id": "old"},
        ["not", "a", "record"],
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json at all\n", encoding="utf-8")
    with JsonlSink(path, resume=True) as sink:
        assert sink.done_keys() == {
            ("ok", "h1", "s"),
            ("bad", "h2", "s"),
            ("unread", "", "s"),
            ("old", "", ""),
        }


def test_resume_on_a_missing_file_starts_empty(tmp_path: Path) -> None:
    with JsonlSink(tmp_path / "new" / "out.jsonl", resume=True) as sink:
        assert sink.done_keys() == set()
        sink.write(record("a"))
    assert len(read_jsonl(tmp_path / "new" / "out.jsonl")) == 1


def test_a_second_writer_on_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with JsonlSink(path), pytest.raises(OutputError, match="another run"):
        JsonlSink(path, resume=True)


def test_values_json_cannot_encode_do_not_stop_the_batch(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with JsonlSink(path) as sink:
        sink.write({"id": "a", "output": "x", "when": Path("/x")})
    assert read_jsonl(path)[0]["when"] == "/x"


# --- directories ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc_id",
    [
        "../../etc/x",
        "/etc/passwd",
        "..",
        ".",
        "",
        "a/../../b",
        "..\\..\\win",
        ".hidden",
        "x" * 500,
        "nul\x00id",
    ],
)
def test_filenames_from_ids_stay_inside_the_directory(tmp_path: Path, doc_id: str) -> None:
    out = tmp_path / "out"
    with DirectorySink(out, "txt") as sink:
        sink.write(record(doc_id, "text of the summary"))
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != MANIFEST_NAME]
    assert len(files) == 1
    [written] = files
    assert written.parent == out
    assert not written.name.startswith(".")
    assert len(written.name) <= 120
    assert written.read_text(encoding="utf-8") == "text of the summary\n"


def test_safe_filenames_keep_plain_ids_and_separate_ids_that_clean_up_alike() -> None:
    assert safe_filename("story-1", "txt") == "story-1.txt"
    assert safe_filename("Київ_2024", "txt") == "Київ_2024.txt"
    assert safe_filename("a/b", "txt") != safe_filename("a_b", "txt")
    assert safe_filename("a/b", "txt") != safe_filename("a:b", "txt")
    assert safe_filename("a/b", "txt") == safe_filename("a/b", "txt")


def test_directory_sink_writes_text_files_and_a_manifest_for_resume(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with DirectorySink(out, "txt") as sink:
        sink.write(record("a", "Summary A."))
        sink.write({"id": "b", "error": "b is empty", "signature": "sig/1"})
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST_NAME, "a.txt"])
    assert (out / "a.txt").read_text(encoding="utf-8") == "Summary A.\n"
    manifest = read_jsonl(out / MANIFEST_NAME)
    assert [(r["id"], r.get("file")) for r in manifest] == [("a", "a.txt"), ("b", None)]
    with DirectorySink(out, "txt", resume=True) as sink:
        assert sink.done_keys() == {("a", "sha-a", "sig/1"), ("b", "", "sig/1")}


def test_directory_sink_json_files_hold_the_whole_record(tmp_path: Path) -> None:
    with DirectorySink(tmp_path, "json") as sink:
        sink.write(record("a"))
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == record("a")


def test_directory_sink_never_leaves_temporary_files(tmp_path: Path) -> None:
    with DirectorySink(tmp_path, "txt") as sink:
        for n in range(5):
            sink.write(record(f"r{n}"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [MANIFEST_NAME] + [f"r{n}.txt" for n in range(5)]
    )


# --- stdout and single files --------------------------------------------------------------------------


def test_stream_text_prints_one_output_bare_and_errors_on_the_error_stream() -> None:
    out, err = io.StringIO(), io.StringIO()
    with StreamSink(out, "text", errors=err, prog="summarize") as sink:
        sink.write(record("a", "Only summary."))
        sink.write({"id": "b", "error": "b is empty"})
        sink.write({"id": "c", "error": 'no "text" field'})
    assert out.getvalue() == "Only summary.\n"
    # the program's name first, like every other error line; an id the message already starts with once
    assert err.getvalue() == 'summarize: error: b is empty\nsummarize: error: c: no "text" field\n'


def test_stream_text_labels_outputs_when_there_are_several() -> None:
    out = io.StringIO()
    with StreamSink(out, "text", errors=io.StringIO()) as sink:
        sink.write(record("a", "First."))
        sink.write(record("b", "Second."))
    assert out.getvalue() == "== a ==\nFirst.\n\n== b ==\nSecond.\n"


def test_stream_json_is_an_object_for_one_record_and_a_list_for_several() -> None:
    one, many = io.StringIO(), io.StringIO()
    with StreamSink(one, "json") as sink:
        sink.write(record("a"))
    with StreamSink(many, "json") as sink:
        sink.write(record("a"))
        sink.write({"id": "b", "error": "bad"})
    assert json.loads(one.getvalue()) == record("a")
    assert [r["id"] for r in json.loads(many.getvalue())] == ["a", "b"]


def test_stream_jsonl_writes_lines_as_they_come() -> None:
    out = io.StringIO()
    sink = StreamSink(out, "jsonl")
    sink.write(record("a"))
    assert json.loads(out.getvalue())["id"] == "a"
    sink.close()


def test_file_sink_appears_only_when_complete(tmp_path: Path) -> None:
    path = tmp_path / "summary.txt"
    with FileSink(path, "text") as sink:
        sink.write(record("a", "Done."))
        assert not path.exists()
    assert path.read_text(encoding="utf-8") == "Done.\n"

    with pytest.raises(RuntimeError), FileSink(path, "text") as sink:
        sink.write(record("a", "Replacement."))
        raise RuntimeError("crash mid-run")
    assert path.read_text(encoding="utf-8") == "Done.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.txt"]


# --- open_sink ---------------------------------------------------------------------------------------


def test_open_sink_picks_the_sink_from_the_output(tmp_path: Path) -> None:
    (tmp_path / "existing").mkdir()
    cases = {
        None: StreamSink,
        "-": StreamSink,
        str(tmp_path / "out.jsonl"): JsonlSink,
        str(tmp_path / "existing"): DirectorySink,
        str(tmp_path / "fresh") + "/": DirectorySink,
        str(tmp_path / "one.txt"): FileSink,
    }
    for output, kind in cases.items():
        with open_sink(output, "text", resume=False) as sink:
            assert type(sink) is kind, output
    assert (tmp_path / "fresh").is_dir()
    with open_sink(str(tmp_path / "records.out"), "jsonl", resume=False) as sink:
        assert type(sink) is JsonlSink


def test_open_sink_refuses_resume_where_nothing_can_be_resumed(tmp_path: Path) -> None:
    for output in (None, "-", str(tmp_path / "one.txt")):
        with pytest.raises(UsageError, match="--resume"):
            open_sink(output, "text", resume=True)


def test_open_sink_refuses_an_unknown_format() -> None:
    with pytest.raises(UsageError, match="text, json or jsonl"):
        open_sink(None, "xml", resume=False)


@pytest.mark.parametrize("name", ["out.jsonl", "out.txt", "outdir/"])
def test_an_unwritable_output_is_one_line_naming_it(tmp_path: Path, name: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    target = str(blocker / name)  # a path "inside" a regular file cannot be created
    with pytest.raises(OutputError) as info:
        open_sink(target, "text", resume=False)
    assert str(blocker) in info.value.message
    assert "\n" not in info.value.message


# --- file modes ----------------------------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    old = os.umask(0o022)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_every_output_file_follows_the_umask(
    tmp_path: Path, umask: Callable[[int], None], mask: int, mode: int
) -> None:
    umask(mask)
    with JsonlSink(tmp_path / "out.jsonl") as sink:
        sink.write(record("a"))
    with DirectorySink(tmp_path / "texts", "txt") as sink:
        sink.write(record("a"))
    with DirectorySink(tmp_path / "records", "json") as sink:
        sink.write(record("a"))
    with FileSink(tmp_path / "one.txt", "text") as sink:
        sink.write(record("a"))
    with FileSink(tmp_path / "one.json", "json") as sink:
        sink.write(record("a"))
    made = [
        tmp_path / "out.jsonl",
        tmp_path / "texts" / "a.txt",
        tmp_path / "texts" / MANIFEST_NAME,
        tmp_path / "records" / "a.json",
        tmp_path / "one.txt",
        tmp_path / "one.json",
    ]
    assert {path.name: oct(path.stat().st_mode & 0o777) for path in made} == {
        path.name: oct(mode) for path in made
    }
