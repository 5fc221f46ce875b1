"""Fuzzing the readers and the output naming (Hypothesis): arbitrary bytes, HTML, JSONL and ids never crash
a reader, never produce a second item or a multi-line error, and never name a file outside its directory."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepfacts.documents import Document
from keepfacts.inputs import InputFailure, html_to_text, read_inputs
from keepfacts.outputs import JsonlSink, safe_filename

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

html_fragments = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div>",
                "</div>",
                "<br>",
                "<script>",
                "</script>",
                "<style>",
                "<article>",
                "</article>",
                "<nav>",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "&amp;",
                "&#0;",
                "&#xD800;",
                "<",
                ">",
                "<a href='x'>",
                "</a>",
                "<main>",
                "<header>",
                "<li>",
                "<table><tr><td>",
                "\n",
                " ",
                "\x00",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=60,
).map("".join)


@FUZZ
@given(html_fragments)
def test_html_to_text_never_crashes_and_returns_tidy_paragraphs(html: str) -> None:
    text = html_to_text(html)
    assert text == text.strip()
    assert "\n\n\n" not in text
    assert "\x00" not in text or "\x00" in html


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_give_exactly_one_document_or_one_line_failure(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "item.txt"
        path.write_bytes(data)
        items = list(read_inputs([str(path)], warn=lambda message: None))
    assert len(items) == 1
    [item] = items
    if isinstance(item, Document):
        assert item.text.strip() and "\x00" not in item.text
    else:
        assert isinstance(item, InputFailure) and item.error and "\n" not in item.error


@FUZZ
@given(
    st.lists(
        st.one_of(st.binary(max_size=80), st.dictionaries(st.text(max_size=6), st.text(max_size=20))),
        max_size=12,
    )
)
def test_any_jsonl_gives_one_item_per_non_blank_line(lines: list[bytes | dict[str, str]]) -> None:
    raw = [
        (
            json.dumps(line).encode()
            if isinstance(line, dict)
            else line.replace(b"\n", b" ").replace(b"\r", b" ")
        )
        for line in lines
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        path.write_bytes(b"\n".join(raw))
        items = list(read_inputs([str(path)]))
    expected = sum(1 for line in b"\n".join(raw).split(b"\n") if line.strip())
    assert len(items) == expected
    assert len({item.id for item in items}) == len(items)  # ids unique within a run
    assert all("\n" not in item.error for item in items if isinstance(item, InputFailure))


@FUZZ
@given(st.text(max_size=300))
def test_file_names_from_any_id_stay_inside_the_directory(doc_id: str) -> None:
    name = safe_filename(doc_id, "txt")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert len(name) <= 130
    assert name == safe_filename(doc_id, "txt")
    root = Path("/srv/out")
    assert (root / name).resolve().parent == root.resolve()


@FUZZ
@given(st.binary(max_size=200).filter(lambda tail: b"\n" not in tail))
def test_resume_repairs_any_torn_tail(tail: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.jsonl"
        path.write_bytes(b'{"id": "a", "output": "x"}\n' + tail)
        with JsonlSink(path, resume=True) as sink:
            sink.write({"id": "b", "output": "y"})
        lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    ids = [json.loads(line)["id"] for line in lines[:-1]]  # every line is a complete record
    assert ids[0] == "a" and ids[-1] == "b"
