"""Reading inputs: files, directories, JSONL, standard input; decoding; HTML; bad items and usage errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from keepfacts.documents import Document
from keepfacts.errors import InputError
from keepfacts.inputs import InputFailure, html_to_text, read_inputs

ARTICLE = (
    "Over 100,000 soldiers were charged with desertion since February 2022.\n\nAbout 300,000 were engaged."
)


def collect(paths: list[str], **kwargs: object) -> list[Document | InputFailure]:
    warnings: list[str] = []
    kwargs.setdefault("warn", warnings.append)
    return list(read_inputs(paths, **kwargs))  # type: ignore[arg-type]


def docs_only(items: list[Document | InputFailure]) -> list[Document]:
    assert all(isinstance(item, Document) for item in items), items
    return [item for item in items if isinstance(item, Document)]


def test_text_files_keep_their_text_and_take_their_stem_as_id(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two.md").write_text("# Title\n\nBody text.", encoding="utf-8")
    items = docs_only(collect([str(tmp_path / "one.txt"), str(tmp_path / "two.md")], default_lang="de"))
    assert [(d.id, d.lang) for d in items] == [("one", "de"), ("two", "de")]
    assert items[0].text == ARTICLE
    assert items[1].text == "# Title\n\nBody text."


def test_a_file_without_a_known_extension_is_read_as_text(tmp_path: Path) -> None:
    (tmp_path / "feed-item").write_text("Plain words here.", encoding="utf-8")
    [doc] = docs_only(collect([str(tmp_path / "feed-item")]))
    assert (doc.id, doc.text) == ("feed-item", "Plain words here.")


def test_duplicate_stems_get_distinct_ids_in_a_stable_way(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "story.txt").write_text(f"Story from {sub}.", encoding="utf-8")
    (tmp_path / "story.md").write_text("Story in markdown.", encoding="utf-8")
    paths = [str(tmp_path / "a" / "story.txt"), str(tmp_path / "b" / "story.txt"), str(tmp_path / "story.md")]
    ids = [d.id for d in docs_only(collect(paths))]
    assert ids == ["story", "story-2", "story-3"]
    assert [d.id for d in docs_only(collect(paths))] == ids


def test_a_directory_gives_its_text_md_and_html_files_sorted_and_not_recursively(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Bee.", encoding="utf-8")
    (tmp_path / "a.md").write_text("Ay.", encoding="utf-8")
    (tmp_path / "c.HTML").write_text("<p>Sea.</p>", encoding="utf-8")
    (tmp_path / "d.htm").write_text("<p>Dee.</p>", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.txt").write_text("Deep.", encoding="utf-8")
    items = docs_only(collect([str(tmp_path)]))
    assert [(d.id, d.text) for d in items] == [("a", "Ay."), ("b", "Bee."), ("c", "Sea."), ("d", "Dee.")]


def test_an_empty_directory_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"directory .* has no \.txt, \.md or \.html files"):
        read_inputs([str(tmp_path)])


def test_a_missing_path_is_a_usage_error_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Fine.", encoding="utf-8")
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match=r"no such file or directory: .*nope\.txt") as info:
        read_inputs([str(tmp_path / "ok.txt"), str(missing)])  # raised at the call, not on iteration
    assert "\n" not in info.value.message


def test_jsonl_records_carry_id_lang_and_other_fields(tmp_path: Path) -> None:
    lines = [
        {"id": "a1", "text": ARTICLE, "lang": "uk", "url": "https://x.test/a1", "tags": ["war"]},
        {"id": 7, "text": "Numeric id."},
        {"text": "No id at all."},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    items = docs_only(collect([str(path)], default_lang="fr"))
    assert [(d.id, d.lang) for d in items] == [("a1", "uk"), ("7", "fr"), ("feed.jsonl:3", "fr")]
    assert items[0].text == ARTICLE
    assert items[0].meta == {"url": "https://x.test/a1", "tags": ["war"]}
    assert items[1].meta == {}


def test_bad_jsonl_lines_become_failures_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "good", "text": "Fine."}\n'
        "{not json\n"
        '{"id": "notext"}\n'
        '{"id": "blank", "text": "   "}\n'
        '["a", "list"]\n'
        '{"id": "good2", "text": "Also fine.", "lang": 3}\n'
        '{"id": "last", "text": "Still read."}\n',
        encoding="utf-8",
    )
    items = collect([str(path)])
    summary = [(i.id, type(i).__name__) for i in items]
    assert summary == [
        ("good", "Document"),
        ("feed.jsonl:2", "InputFailure"),
        ("notext", "InputFailure"),
        ("blank", "InputFailure"),
        ("feed.jsonl:5", "InputFailure"),
        ("good2", "InputFailure"),
        ("last", "Document"),
    ]
    errors = {i.id: i.error for i in items if isinstance(i, InputFailure)}
    assert "invalid JSON" in errors["feed.jsonl:2"]
    assert 'no "text"' in errors["notext"]
    assert "empty" in errors["blank"]
    assert "not a JSON object" in errors["feed.jsonl:5"]
    assert '"lang"' in errors["good2"]
    assert all("\n" not in message for message in errors.values())


def test_standard_input_is_plain_text_with_id_stdin() -> None:
    for paths in ([], ["-"]):
        stdin = io.BytesIO(ARTICLE.encode("utf-8"))
        [doc] = docs_only(collect(paths, stdin=stdin))
        assert (doc.id, doc.text) == ("stdin", ARTICLE)
    # a text stream (what click's runner gives) works too, and JSON on stdin stays text
    [doc] = docs_only(collect(["-"], stdin=io.StringIO('{"id": "x", "text": "y"}')))
    assert doc.text == '{"id": "x", "text": "y"}'


def test_standard_input_given_twice_is_a_usage_error() -> None:
    with pytest.raises(InputError, match="standard input"):
        read_inputs(["-", "-"], stdin=io.BytesIO(b"x"))


def test_no_input_and_a_terminal_on_stdin_is_a_usage_error() -> None:
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(InputError, match="no input"):
        read_inputs([], stdin=Terminal(b""))


def test_utf8_with_bom_is_read_without_the_bom(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Kyiv – €5 million.".encode())
    [doc] = docs_only(collect([str(tmp_path / "bom.txt")]))
    assert doc.text == "Kyiv – €5 million."


def test_latin1_is_decoded_with_a_one_line_warning(tmp_path: Path) -> None:
    text = (
        "Le ministère a déclaré que plus de 100 000 soldats étaient accusés de désertion. "
        "Selon l'analyste, près de la moitié des cas concernent l'année dernière, à Kharkiv et à Odessa."
    )
    path = tmp_path / "fr.txt"
    path.write_bytes(text.encode("latin-1"))
    warnings: list[str] = []
    [doc] = docs_only(collect([str(path)], warn=warnings.append))
    assert doc.text == text
    assert len(warnings) == 1
    assert "fr.txt" in warnings[0] and "UTF-8" in warnings[0] and "\n" not in warnings[0]


@pytest.mark.parametrize(
    "payload",
    [
        b"Some text\x00with a NUL byte in it.",
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    ],
    ids=["nul", "all-bytes", "png"],
)
def test_binary_input_is_refused_as_not_text(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(payload)
    [item] = collect([str(path)])
    assert isinstance(item, InputFailure)
    assert item.id == "blob"
    assert "is not text" in item.error and "\n" not in item.error


@pytest.mark.parametrize("payload", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf  \n"])
def test_empty_or_whitespace_input_is_refused_as_empty(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "void.txt"
    path.write_bytes(payload)
    [item] = collect([str(path)])
    assert isinstance(item, InputFailure)
    assert "is empty" in item.error


def test_an_unreadable_file_is_a_failure_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good, locked = tmp_path / "good.txt", tmp_path / "locked.txt"
    good.write_text("Fine.", encoding="utf-8")
    locked.write_text("Secret.", encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    items = collect([str(locked), str(good)])
    assert isinstance(items[0], InputFailure) and items[0].id == "locked"
    assert "cannot read" in items[0].error and "Permission denied" in items[0].error
    assert isinstance(items[1], Document)


def test_html_file_is_reduced_to_its_article_text(tmp_path: Path) -> None:
    page = """<!doctype html><html><head><title>Site</title><style>p{color:red}</style>
    <script>alert("x")</script></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <header>Daily News</header>
    <article><h1>Desertions rise</h1>
      <p>Over <b>100,000</b> soldiers were charged,
         the Prosecutor General&#8217;s Office said.</p>
      <script>track()</script>
      <p>About 300,000 were engaged.</p>
      <aside>Related: sports</aside>
      <form><input value="subscribe"></form>
    </article>
    <footer>(c) Daily</footer></body></html>"""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    [doc] = docs_only(collect([str(tmp_path / "page.html")]))
    assert doc.text == (
        "Desertions rise\n\n"
        "Over 100,000 soldiers were charged, the Prosecutor General’s Office said.\n\n"
        "About 300,000 were engaged."
    )


def test_html_on_standard_input_is_recognised() -> None:
    stdin = io.BytesIO(b"<html><body><main><p>One.</p><p>Two.</p></main></body></html>")
    [doc] = docs_only(collect([], stdin=stdin))
    assert doc.text == "One.\n\nTwo."


def test_html_with_no_article_text_is_empty(tmp_path: Path) -> None:
    (tmp_path / "shell.html").write_text("<html><script>app()</script><nav>Menu</nav></html>", "utf-8")
    [item] = collect([str(tmp_path / "shell.html")])
    assert isinstance(item, InputFailure) and "is empty" in item.error


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<main><p>A</p><p>B</p></main><footer>F</footer>", "A\n\nB"),
        ("<body><div>Top<div>Inner</div></div><p>Last</p></body>", "Top\n\nInner\n\nLast"),
        ("<p>line one<br>line two</p>", "line one\nline two"),
        ("<article><p>short</p></article><article><p>the longer story</p></article>", "the longer story"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("<p>a &amp; b &lt;c&gt;</p><!-- hidden comment -->", "a & b <c>"),
        ("<p>  spaced \n\t out   words </p>", "spaced out words"),
        ("plain words without tags", "plain words without tags"),
        ("<noscript>Enable JS</noscript><template><p>T</p></template><p>Real</p>", "Real"),
    ],
)
def test_html_to_text_cases(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_html_to_text_keeps_no_markup_from_hostile_pages() -> None:
    page = "<p>Hi<script>document.write('<p>evil</p>')</script></p><style>b{}</style><p onclick='x()'>Bye</p>"
    text = html_to_text(page)
    assert text == "Hi\n\nBye"
    assert "<" not in text and "evil" not in text


def test_a_too_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keepfacts.inputs as inputs

    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 100)
    (tmp_path / "big.txt").write_text("word " * 100, encoding="utf-8")
    [item] = collect([str(tmp_path / "big.txt")])
    assert isinstance(item, InputFailure) and "too large" in item.error


@pytest.mark.parametrize(
    ("text", "encoding", "expected_guess"),
    [
        ("Der Minister sagte, über 100.000 Soldaten würden beschuldigt. Größe", "latin-1", "cp1252"),
        ("Café crème à Zürich, naïve façade", "cp1252", "cp1252"),
        ("Zażółć gęślą jaźń, powiedział minister w Warszawie.", "cp1250", "cp1250"),
        ("Привет, мир! Это тест кодировки.", "cp1251", "cp1251"),
    ],
)
def test_legacy_encodings_are_guessed_well_enough(
    tmp_path: Path, text: str, encoding: str, expected_guess: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    warnings: list[str] = []
    [doc] = docs_only(collect([str(path)], warn=warnings.append))
    assert doc.text == text
    assert [f"read it as {expected_guess}" in w for w in warnings] == [True]


# --- read_document: one article from one path, as read_inputs reads a file (factcheck uses it) ---------


def test_read_document_reads_one_file_as_read_inputs_does(tmp_path: Path) -> None:
    from keepfacts.inputs import read_document

    page = tmp_path / "page.html"
    page.write_text(f"<html><script>var x = 2024;</script><body><p>{ARTICLE}</p></body></html>", "utf-8")
    [expected] = docs_only(collect([str(page)]))
    assert read_document(str(page), warn=lambda _: None) == expected
    assert "2024" not in expected.text


def test_read_document_reads_standard_input() -> None:
    from keepfacts.inputs import read_document

    doc = read_document("-", stdin=io.BytesIO(ARTICLE.encode()), lang="de")
    assert (doc.id, doc.text, doc.lang) == ("stdin", ARTICLE, "de")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "is empty (nothing to process)"),
        ("missing.txt", "no such file or directory"),
        ("folder", "is a directory"),
        ("records.jsonl", "is a JSONL file"),
    ],
)
def test_read_document_raises_one_line_input_errors(tmp_path: Path, name: str, message: str) -> None:
    from keepfacts.inputs import read_document

    (tmp_path / "empty.txt").write_bytes(b" \n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "records.jsonl").write_text('{"text": "x"}\n', "utf-8")
    with pytest.raises(InputError) as raised:
        read_document(str(tmp_path / name))
    assert message in raised.value.message and str(tmp_path / name) in raised.value.message
    assert "\n" not in raised.value.message


def test_duplicate_ids_are_renamed_with_one_warning_naming_them(tmp_path: Path) -> None:
    rows = [{"id": "art-001", "text": "One."}, {"id": "art-001", "text": "Two."}, {"id": "x", "text": "X."}]
    rows += [{"id": "art-003", "text": "Three."}, {"id": "art-001", "text": "Four."}]
    rows += [{"id": "art-003", "text": "Five."}]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    warnings: list[str] = []
    items = docs_only(collect([str(feed)], warn=warnings.append))
    assert [d.id for d in items] == ["art-001", "art-001-2", "x", "art-003", "art-001-3", "art-003-2"]
    assert warnings == [
        "duplicate ids renamed: art-001 (as art-001-2, art-001-3), art-003 (as art-003-2)",
    ]


def test_the_duplicate_id_warning_names_a_few_and_counts_the_rest(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": f"d{n}", "text": "Text."} for n in range(5)] * 2
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    warnings: list[str] = []
    collect([str(feed)], warn=warnings.append)
    assert warnings == ["duplicate ids renamed: d0 (as d0-2), d1 (as d1-2), d2 (as d2-2) and 2 more"]


def test_unique_ids_say_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    warnings: list[str] = []
    collect([str(tmp_path)], warn=warnings.append)
    assert warnings == []
