"""Reading inputs: files, directories, JSONL records and standard input, as Documents.

What is accepted (the public contract, see README "Inputs"):
- a file of any textual kind (.txt, .md, .html, .htm or no extension); HTML is reduced to its article text;
- a directory: its .txt, .md, .html and .htm files, sorted by name, NOT recursive, hidden files skipped;
- a .jsonl (or .ndjson) file: one JSON object per line with `text`, optional `id` and `lang`; other
  fields are carried through in `Document.meta`;
- "-" or no path at all: standard input, read as plain text (or HTML), id "stdin".

`read_document(path)` reads one article from one path (or "-") the same way, for commands that take one
document per argument (factcheck); its failures are InputErrors with the same one-line messages.

Ids: a file's stem; a JSONL record's `id` (or "<file name>:<line number>" when it has none). Ids are unique
within a run: a repeated id gets "-2", "-3", ... in input order, so the same arguments give the same ids.

Decoding: UTF-8 (a BOM is fine; UTF-16/32 with a BOM too); otherwise charset-normalizer's best guess,
announced by a one-line warning through `warn`. NUL bytes or no fitting encoding: "is not text".

A bad item (not text, empty, unreadable, too large, a broken JSONL line) becomes an InputFailure, which
the batch engine turns into an error record; it never stops the other items. Only usage errors that make
the whole run pointless (a missing path, a directory with nothing to read) raise InputError, and they
are raised by the call to `read_inputs` itself, before anything is read.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from keepfacts.documents import Document
from keepfacts.errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN_ID = "stdin"
# One article (a file, a JSONL line, standard input) larger than this is refused: a 50,000-word article is
# about 0.3 MB; a 16 MiB "article" is a mistake (a log, a dump) that would only exhaust memory.
MAX_INPUT_BYTES = 16 * 1024 * 1024
# Share of control characters (other than whitespace) above which decoded bytes are "not text".
MAX_CONTROL_SHARE = 0.01

Warn = Callable[[str], None]


@dataclass(frozen=True)
class InputFailure:
    """An input item that cannot be used: it becomes an error record; it never stops a batch."""

    id: str
    error: str


def read_inputs(
    paths: Sequence[str],
    *,
    default_lang: str = "en",
    stdin: IO[Any] | None = None,
    warn: Warn | None = None,
) -> Iterator[Document | InputFailure]:
    """Documents (or failures) for every input, in the order given. Raises InputError on usage errors.

    `stdin` defaults to sys.stdin; `warn` (one line, e.g. an encoding guess) defaults to stderr.
    """
    warn = warn or _warn_stderr
    sources = _plan(list(paths), stdin)
    return _read(sources, default_lang, stdin, warn)


def read_document(
    path: str,
    *,
    lang: str = "en",
    stdin: IO[Any] | None = None,
    warn: Warn | None = None,
) -> Document:
    """One article from one path ("-" for standard input), read exactly as `read_inputs` reads a file:
    the same size limit, decoding (with its one-line warning), HTML reduction and refusals. For commands
    that take one document per argument (factcheck SOURCE OUTPUT); raises InputError with the one-line
    message a batch would put in its error record.
    """
    warn = warn or _warn_stderr
    if path == "-":
        item = _from_bytes_source(STDIN_ID, "standard input", None, stdin, lang, warn)
    else:
        file = Path(path)
        if file.is_dir():
            raise InputError(f"{path} is a directory; give one article file (.txt, .md or .html) or -")
        if not file.exists():
            raise InputError(_no_such_path(path))
        if file.suffix.lower() in JSONL_SUFFIXES:
            raise InputError(
                f"{path} is a JSONL file of records; give one article file (.txt, .md or .html) or -"
            )
        item = _from_bytes_source(file.stem or file.name, path, file, None, lang, warn)
    if isinstance(item, InputFailure):
        raise InputError(item.error)
    return item


def _no_such_path(path: str) -> str:
    return f"no such file or directory: {path}"


def _warn_stderr(message: str) -> None:
    print(message, file=sys.stderr)


# --- planning: check every path first, so usage errors come before any work -----------------------


@dataclass(frozen=True)
class _Source:
    kind: str  # "file", "jsonl" or "stdin"
    path: Path | None = None


def _plan(paths: list[str], stdin: IO[Any] | None) -> list[_Source]:
    if not paths:
        stream = stdin if stdin is not None else sys.stdin
        if stream is None or _is_terminal(stream):
            raise InputError(
                "no input: give files, a directory, a .jsonl file, or pipe text to standard input (or use -)"
            )
        return [_Source("stdin")]
    if paths.count("-") > 1:
        raise InputError("standard input (-) given more than once")
    sources: list[_Source] = []
    for raw in paths:
        if raw == "-":
            sources.append(_Source("stdin"))
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                (p for p in path.iterdir() if _is_article_file(p)),
                key=lambda p: p.name,
            )
            if not files:
                raise InputError(
                    f"directory {raw} has no .txt, .md or .html files (give such files, a .jsonl file or -)"
                )
            sources.extend(_Source("file", p) for p in files)
        elif path.exists():
            kind = "jsonl" if path.suffix.lower() in JSONL_SUFFIXES else "file"
            sources.append(_Source(kind, path))
        else:
            raise InputError(_no_such_path(raw))
    return sources


def _is_article_file(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES and not path.name.startswith(".") and path.is_file()


def _is_terminal(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# --- reading ---------------------------------------------------------------------------------------


SHOWN_IDS = 3  # ids a one-line message names; the rest are counted


def name_a_few(ids: Sequence[str]) -> str:
    """The first SHOWN_IDS of `ids`, and how many more: "a, b, c and 2 more"."""
    shown = ", ".join(ids[:SHOWN_IDS])
    return f"{shown} and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else shown


class UniqueIds:
    """Unique ids within a run: the first "x" stays "x", the next ones become "x-2", "x-3", ..."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self.renamed: dict[str, list[str]] = {}  # an id given more than once -> what its repeats became

    def take(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        if candidate != base:
            self.renamed.setdefault(base, []).append(candidate)
        return candidate

    def warning(self) -> str | None:
        """One line naming the ids that were renamed (a few of them), or None when every id was unique."""
        if not self.renamed:
            return None
        return "duplicate ids renamed: " + name_a_few(
            [f"{base} (as {', '.join(new)})" for base, new in self.renamed.items()]
        )


def _read(
    sources: list[_Source], default_lang: str, stdin: IO[Any] | None, warn: Warn
) -> Iterator[Document | InputFailure]:
    ids = UniqueIds()
    for source in sources:
        if source.kind == "stdin":
            yield _from_bytes_source(ids.take(STDIN_ID), "standard input", None, stdin, default_lang, warn)
        elif source.kind == "jsonl":
            assert source.path is not None
            yield from _read_jsonl(source.path, ids, default_lang)
        else:
            assert source.path is not None
            yield _from_bytes_source(
                ids.take(source.path.stem or source.path.name),
                str(source.path),
                source.path,
                None,
                default_lang,
                warn,
            )
    message = ids.warning()
    if message:
        warn(message)


def _from_bytes_source(
    doc_id: str, name: str, path: Path | None, stdin: IO[Any] | None, lang: str, warn: Warn
) -> Document | InputFailure:
    try:
        data = _read_file(path) if path is not None else _read_stream(stdin)
    except _TooLarge as exc:
        return InputFailure(doc_id, f"{name} is too large ({exc}); split it into articles")
    except OSError as exc:
        return InputFailure(doc_id, f"cannot read {name}: {exc.strerror or exc}")
    decoded = decode_text(data, name, warn)
    if isinstance(decoded, _Refusal):
        return InputFailure(doc_id, decoded.message)
    is_html = path is not None and path.suffix.lower() in HTML_SUFFIXES
    return _document(doc_id, name, decoded, lang, {}, html=is_html)


class _TooLarge(Exception):
    pass


def _read_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise _TooLarge(f"{size} bytes; the limit is {MAX_INPUT_BYTES}")
    data = path.read_bytes()
    if len(data) > MAX_INPUT_BYTES:  # grew meanwhile, or stat lied (a special file)
        raise _TooLarge(f"over {MAX_INPUT_BYTES} bytes")
    return data


def _read_stream(stream: IO[Any] | None) -> bytes:
    stream = stream if stream is not None else sys.stdin
    binary = getattr(stream, "buffer", stream)
    data = binary.read(MAX_INPUT_BYTES + 1)
    if isinstance(data, str):  # a text stream without a buffer (io.StringIO): already decoded
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_INPUT_BYTES:
        raise _TooLarge(f"over {MAX_INPUT_BYTES} bytes")
    return bytes(data)


def _document(
    doc_id: str, name: str, text: str, lang: str, meta: dict[str, Any], *, html: bool
) -> Document | InputFailure:
    refusal = _refuse_non_text(text, name)
    if refusal:
        return InputFailure(doc_id, refusal)
    if html or looks_like_html(text):
        text = html_to_text(text)
        if not text.strip():
            return InputFailure(doc_id, f"{name} is empty (no article text in its HTML)")
    text = text.strip("\n\r\ufeff")
    if not text.strip():
        return InputFailure(doc_id, f"{name} is empty (nothing to process)")
    return Document(id=doc_id, text=text, lang=lang, meta=meta)


def _read_jsonl(path: Path, ids: UniqueIds, default_lang: str) -> Iterator[Document | InputFailure]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputFailure(ids.take(path.stem), f"cannot read {path}: {exc.strerror or exc}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path.name}:{number}"
            item = _jsonl_record(raw, where, number == 1, default_lang)
            if isinstance(item, InputFailure):
                yield InputFailure(ids.take(item.id), item.error)
            else:
                yield Document(ids.take(item.id), item.text, item.lang, item.meta)


def _jsonl_record(raw: bytes, where: str, first: bool, default_lang: str) -> Document | InputFailure:
    if len(raw) > MAX_INPUT_BYTES:
        return InputFailure(
            where, f"{where}: record too large ({len(raw)} bytes; the limit is {MAX_INPUT_BYTES})"
        )
    try:
        line = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        return InputFailure(where, f"{where}: not UTF-8 (byte {exc.start}); JSONL must be UTF-8")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputFailure(where, f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return InputFailure(where, f'{where}: not a JSON object (a record needs "text")')
    raw_id = record.pop("id", None)
    if raw_id is None:
        doc_id = where
    elif isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        doc_id = str(raw_id)
    else:
        return InputFailure(where, f'{where}: "id" must be a non-empty string or an integer')
    if "text" not in record:
        return InputFailure(doc_id, f'{where}: no "text" field')
    text = record.pop("text")
    if not isinstance(text, str):
        return InputFailure(doc_id, f'{where}: "text" must be a string')
    lang = record.pop("lang", None)
    if lang is None:
        lang = default_lang
    elif not isinstance(lang, str) or not lang.strip():
        return InputFailure(doc_id, f'{where}: "lang" must be a language code such as "en"')
    return _document(doc_id, where, text, lang.strip(), record, html=False)


# --- decoding --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refusal:
    message: str


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, name: str, warn: Warn) -> str | _Refusal:
    """UTF-8 (or a BOM-marked Unicode encoding); else the detected encoding with a warning; else refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        return _Refusal(f"{name} is not text (it contains NUL bytes); give UTF-8 text, Markdown or HTML")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = _guess_encoding(data)
    if guess is None:
        return _Refusal(f"{name} is not text (no text encoding fits it); give UTF-8 text, Markdown or HTML")
    encoding, text = guess
    refusal = _refuse_non_text(text, name)
    if refusal:
        return _Refusal(refusal)
    warn(f"warning: {name} is not UTF-8; read it as {encoding} (a guess: convert it to UTF-8 to be sure)")
    return text


def _guess_encoding(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, except that Windows-1252 (Latin-1's superset, the web's most
    common legacy encoding) wins when it reads the bytes at least as cleanly: on short Western texts the
    detector often ties it with Central European or even CJK encodings ("ministčre")."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data).best()
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (best is None or mess_ratio(western, 1.0) <= best.chaos):
        return "cp1252", western
    if best is None:
        return None
    return best.encoding, str(best)


def _refuse_non_text(text: str, name: str) -> str | None:
    if "\x00" in text:
        return f"{name} is not text (it contains NUL characters); give UTF-8 text, Markdown or HTML"
    controls = sum(1 for ch in text if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    if controls and controls > MAX_CONTROL_SHARE * len(text):
        return f"{name} is not text (it is full of control characters); give UTF-8 text, Markdown or HTML"
    return None


# --- HTML ------------------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|main)\b", re.IGNORECASE | re.DOTALL
)
# Never part of an article's text.
_DROP = frozenset(
    """script style noscript template nav aside form iframe svg math canvas object embed button select
    textarea input label dialog menu head title meta link footer""".split()
)
# A page's banner; kept inside an <article> (where it holds the headline and the byline).
_DROP_OUTSIDE_ARTICLE = frozenset({"header"})
_BLOCKS = frozenset(
    """p div section article main header h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre table thead
    tbody tfoot tr caption figure figcaption address hr body html center details summary""".split()
)
_BLOCK, _BREAK = object(), object()


def looks_like_html(text: str) -> bool:
    """True for text that starts like an HTML document (a doctype, <html>, <body>, <article>, ...)."""
    return bool(_HTML_START.match(text[:4096]))


def html_to_text(html: str) -> str:
    """The article text of an HTML page: paragraphs separated by blank lines, no markup, no scripts.

    The root is the longest <article>, else <main>, else <body>, else the whole page. Navigation, forms,
    scripts, styles, asides, footers (and headers outside an article) are dropped.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    articles = soup.find_all("article")
    if articles:
        texts = [_text_of(node) for node in articles]
        return max(texts, key=len)
    for name in ("main", "body"):
        root = soup.find(name)
        if root is not None:
            return _text_of(root)
    return _text_of(soup)


def _text_of(root: Any) -> str:
    from bs4 import Comment, Doctype, NavigableString, Tag
    from bs4.element import CData, Declaration, ProcessingInstruction

    skipped_strings = (Comment, Doctype, CData, Declaration, ProcessingInstruction)
    tokens: list[Any] = []
    # An explicit stack, not recursion: hostile pages nest thousands of elements deep.
    stack: list[tuple[Any, bool, bool]] = [(root, True, False)]  # (node, entering, inside an <article>)
    while stack:
        node, entering, in_article = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, skipped_strings):
                tokens.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = (node.name or "").lower()
        if not entering:
            tokens.append(_BLOCK)
            continue
        if node is not root and _dropped(node, name, in_article):
            continue
        if name == "br":
            tokens.append(_BREAK)
            continue
        inner_article = in_article or name == "article"
        if name in _BLOCKS or name in ("td", "th"):
            tokens.append(_BLOCK if name in _BLOCKS else " ")
            stack.append((node, False, in_article))
        stack.extend((child, True, inner_article) for child in reversed(node.contents))
    return _assemble(tokens)


def _dropped(node: Any, name: str, in_article: bool) -> bool:
    if name in _DROP or (name in _DROP_OUTSIDE_ARTICLE and not in_article):
        return True
    attrs = node.attrs or {}
    return "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true"


def _assemble(tokens: list[Any]) -> str:
    paragraphs: list[str] = []
    lines: list[str] = []
    current: list[str] = []

    def end_line() -> None:
        line = " ".join("".join(current).split())
        current.clear()
        if line:
            lines.append(line)

    def end_paragraph() -> None:
        end_line()
        if lines:
            paragraphs.append("\n".join(lines))
            lines.clear()

    for token in tokens:
        if token is _BLOCK:
            end_paragraph()
        elif token is _BREAK:
            end_line()
        else:
            current.append(token)
    end_paragraph()
    return "\n\n".join(paragraphs)


__all__ = [
    "MAX_INPUT_BYTES",
    "InputFailure",
    "decode_text",
    "html_to_text",
    "looks_like_html",
    "read_document",
    "read_inputs",
]
