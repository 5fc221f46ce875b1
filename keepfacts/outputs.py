"""Writing records: a JSONL file, a directory of text files, standard output, or one file.

Guarantees (the public contract, see README "Outputs"):
- JSONL: one record per line, each line built whole and written with ONE os.write on an O_APPEND
  descriptor, so a killed run leaves complete lines (at most the last one torn, which `resume=True`
  truncates away). Without resume an existing file is started afresh. One writer at a time (flock).
- A directory: one file per record, written to a temporary file and renamed (never half-written), named
  from the id but never outside the directory; a hidden JSONL manifest (`.keepfacts-manifest.jsonl`)
  holds every record (errors too) and is what resume reads.
- Standard output: text (the output; "== id ==" headers when there are several; errors go to stderr as
  "PROG: error: id: message", the id left out when the message starts with it), json (one object for
  one record, a list for several), or jsonl (one per line).
- Any other path: a text or json file that appears, whole, only when the run completes.
- Every file is created with mode 0o666 less the umask (0644 under the usual 022), as other tools do.

`done_keys()` gives the (id, input_sha256, signature) of every record already written (results AND error
records, so a resumed run never writes a second record for an item; a missing field counts as "").
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol

from keepfacts.errors import OutputError, UsageError

FORMATS = ("text", "json", "jsonl")
MANIFEST_NAME = ".keepfacts-manifest.jsonl"
MAX_NAME_CHARS = 100

DoneKey = tuple[str, str, str]


class Sink(Protocol):
    def write(self, record: dict[str, Any]) -> None: ...
    def flush(self) -> None: ...
    def done_keys(self) -> set[DoneKey]: ...
    def errors_at(self) -> str: ...
    def kept_at(self) -> str: ...
    def close(self) -> None: ...
    def __enter__(self) -> Sink: ...
    def __exit__(self, *exc: object) -> None: ...


def done_key(record: dict[str, Any]) -> DoneKey:
    """The resume key of a written record: same id, same input, made the same way."""
    return (
        str(record.get("id", "")),
        str(record.get("input_sha256") or ""),
        str(record.get("signature") or ""),
    )


def encode_line(record: dict[str, Any]) -> bytes:
    """One JSONL line. Values JSON cannot encode are written as their str() rather than stopping a batch."""
    return (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def _cannot_write(path: str | os.PathLike[str], exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(f"cannot write {path}: {reason}; choose a writable path with --output")


class _SinkBase:
    def flush(self) -> None:
        pass

    def errors_at(self) -> str:
        """Where this sink puts error records, for the line that counts failed items."""
        return "see their error records"

    def kept_at(self) -> str:
        """Where an interrupted run's finished records are, for the line that says it stopped."""
        return "written"

    def done_keys(self) -> set[DoneKey]:
        return set()

    def close(self) -> None:
        pass

    def abort(self) -> None:
        """Called instead of close() when the run ends with an exception."""
        self.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class JsonlSink(_SinkBase):
    """Append-only JSONL file, safe against kill -9 (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], *, resume: bool = False) -> None:
        self.path = Path(path)
        self._done: set[DoneKey] = set()
        self._fd: int | None = None
        try:
            if self.path.parent != Path(""):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
            fd = os.open(self.path, flags, 0o666)  # less the umask, like any other tool's output
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(
                f"{path} is being written by another run; wait for it or choose another --output"
            ) from None
        self._fd = fd
        try:
            if resume:
                self._done = _repair_and_scan(self.path, fd)
            else:
                os.ftruncate(fd, 0)
        except OSError as exc:
            self.close()
            raise _cannot_write(path, exc) from None

    def write(self, record: dict[str, Any]) -> None:
        if self._fd is None:
            raise OutputError(f"{self.path} is closed")
        data = encode_line(record)
        try:
            written = os.write(self._fd, data)
            while written < len(data):  # only on a full disk or a signal; the rest still follows at once
                written += os.write(self._fd, data[written:])
        except OSError as exc:
            raise _cannot_write(self.path, exc) from None
        self._done.add(done_key(record))

    def flush(self) -> None:
        """Make what is written durable (against a power cut; a killed process loses nothing written)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)

    def done_keys(self) -> set[DoneKey]:
        return set(self._done)

    def errors_at(self) -> str:
        return f"error records in {self.path}"

    def kept_at(self) -> str:
        return f"written to {self.path}; --resume continues"

    def close(self) -> None:
        if self._fd is not None:
            self.flush()
            os.close(self._fd)  # closing releases the lock
            self._fd = None


def _repair_and_scan(path: Path, fd: int) -> set[DoneKey]:
    """Truncate a torn last line (or end a complete one that lost its newline); return the done keys."""
    data = path.read_bytes()
    done: set[DoneKey] = set()
    end = len(data)
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        if _parse(data[cut:]) is None:
            os.ftruncate(fd, cut)
            end = cut
        else:
            os.write(fd, b"\n")
    else:
        # a complete last line that is not a record (garbage after a crash of the disk, not of us)
        cut = data.rfind(b"\n", 0, max(0, end - 1)) + 1
        if data and _parse(data[cut:end]) is None:
            os.ftruncate(fd, cut)
            end = cut
    for line in data[:end].splitlines():
        parsed = _parse(line)
        if parsed is not None:
            done.add(done_key(parsed))
    return done


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) and "id" in value else None


_UNSAFE = re.compile(r"[^\w.-]+")


def safe_filename(doc_id: str, ext: str) -> str:
    """A file name for a record id that cannot leave its directory or hide, and is stable across runs.

    Ids that are already safe keep their name ("story-1" -> "story-1.txt"); others are cleaned and get a
    short hash of the original id, so two ids that clean up alike never share a file.
    """
    cleaned = _UNSAFE.sub("_", doc_id).strip("._-")[:MAX_NAME_CHARS]
    if not cleaned or cleaned != doc_id:
        digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cleaned = f"{cleaned}-{digest}" if cleaned else digest
    return f"{cleaned}.{ext}"


class DirectorySink(_SinkBase):
    """One file per record (the output text, or the whole record for ext "json"), plus a manifest."""

    def __init__(self, directory: str | os.PathLike[str], ext: str = "txt", *, resume: bool = False) -> None:
        self.directory = Path(directory)
        self.label = str(directory)  # as the user wrote it ("out/")
        self.ext = ext.lstrip(".") or "txt"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _cannot_write(directory, exc) from None
        if not os.access(self.directory, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write {directory}: permission denied; choose a writable --output")
        self._root = self.directory.resolve()
        self.manifest = JsonlSink(self.directory / MANIFEST_NAME, resume=resume)

    def write(self, record: dict[str, Any]) -> None:
        if "error" in record and "output" not in record:
            self.manifest.write(record)
            return
        name = safe_filename(str(record.get("id", "")), self.ext)
        target = self.directory / name
        if target.resolve().parent != self._root:  # cannot happen with safe_filename; never trust it blindly
            raise OutputError(f"refusing to write {target}: outside {self.directory}")
        if self.ext == "json":
            content = json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n"
        else:
            content = str(record.get("output", "")).rstrip("\n") + "\n"
        _atomic_write(target, content)
        self.manifest.write({**record, "file": name})

    def flush(self) -> None:
        self.manifest.flush()

    def errors_at(self) -> str:
        return self.manifest.errors_at()

    def kept_at(self) -> str:
        return f"written to {self.label}; --resume continues"

    def done_keys(self) -> set[DoneKey]:
        return self.manifest.done_keys()

    def close(self) -> None:
        self.manifest.close()


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells (changing it races threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporary_file(directory: Path) -> tuple[int, str]:
    """A temporary file for an atomic write, with the mode a new file gets (0o666 less the umask):
    mkstemp makes it 0o600, which the rename would otherwise give the output."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return fd, tmp


def _atomic_write(target: Path, content: str) -> None:
    """Write to a temporary file in the same directory, fsync, rename over the target."""
    try:
        fd, tmp = _temporary_file(target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot_write(target, exc) from None
        raise


class StreamSink(_SinkBase):
    """Records to a stream (stdout): text, json or jsonl. See the module docstring for the layout."""

    def __init__(
        self, stream: IO[str], fmt: str = "text", *, errors: IO[str] | None = None, prog: str = "keepfacts"
    ) -> None:
        self.stream = stream
        self.fmt = _check_format(fmt)
        self._errors = errors
        self.prog = prog
        self._records: list[dict[str, Any]] = []  # json: all; text: the first output, until a second one
        self._text_count = 0

    @property
    def errors(self) -> IO[str]:
        return self._errors if self._errors is not None else sys.stderr

    def errors_at(self, name: str = "standard output") -> str:
        return "their error lines are above" if self.fmt == "text" else f"error records in {name}"

    def kept_at(self, name: str = "standard output") -> str:
        if self.fmt == "json":
            return f"nothing written to {name} (--format json writes when the run completes)"
        return f"written to {name}"

    def write(self, record: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self.stream.write(encode_line(record).decode("utf-8"))
            self.stream.flush()
        elif self.fmt == "json":
            self._records.append(record)
        elif "error" in record and "output" not in record:
            self.errors.write(f"{self.prog}: error: {_error_line(record)}\n")
            self.errors.flush()
        else:
            self._write_text(record)

    def _write_text(self, record: dict[str, Any]) -> None:
        self._text_count += 1
        if self._text_count == 1:
            self._records.append(record)  # held back: alone it prints bare, with others it gets a header
            return
        if self._text_count == 2:
            self._emit_text(self._records.pop(), header=True)
        self.stream.write("\n")
        self._emit_text(record, header=True)

    def _emit_text(self, record: dict[str, Any], *, header: bool) -> None:
        if header:
            self.stream.write(f"== {record.get('id', '')} ==\n")
        self.stream.write(str(record.get("output", "")).rstrip("\n") + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.fmt == "json" and self._records:
            value: Any = self._records[0] if len(self._records) == 1 else self._records
            self.stream.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
        elif self.fmt == "text" and self._records:
            self._emit_text(self._records[0], header=False)
        self._records = []
        self.stream.flush()

    def abort(self) -> None:
        if self.fmt == "text":  # text streams as it goes: the held-back output is complete, print it
            self.close()
        self._records = []


class FileSink(_SinkBase):
    """A text or json file that appears, complete, when the run ends (nothing on a failed run)."""

    def __init__(self, path: str | os.PathLike[str], fmt: str = "text", *, prog: str = "keepfacts") -> None:
        self.path = Path(path)
        self._buffer = io.StringIO()
        self._inner = StreamSink(self._buffer, fmt, prog=prog)
        try:
            if self.path.parent != Path(""):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = _temporary_file(self.path.parent)
            os.close(fd)
        except OSError as exc:
            raise _cannot_write(path, exc) from None

    def write(self, record: dict[str, Any]) -> None:
        self._inner.write(record)

    def errors_at(self) -> str:
        return self._inner.errors_at(str(self.path))

    def kept_at(self) -> str:
        return f"nothing written to {self.path} (it is written whole when the run completes)"

    def close(self) -> None:
        if not self._tmp:
            return
        self._inner.close()
        try:
            with open(self._tmp, "w", encoding="utf-8") as handle:
                handle.write(self._buffer.getvalue())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.abort()
            raise _cannot_write(self.path, exc) from None
        self._tmp = ""

    def abort(self) -> None:
        if self._tmp:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = ""


class DeviceSink(_SinkBase):
    """Records written straight into something that is not a regular file (/dev/null, /dev/stdout, a named
    pipe): replacing it with a renamed temporary file would destroy it."""

    def __init__(self, path: str | os.PathLike[str], fmt: str = "text", *, prog: str = "keepfacts") -> None:
        self.path = Path(path)
        try:
            self._handle: IO[str] | None = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        self._inner = StreamSink(self._handle, fmt, prog=prog)

    def write(self, record: dict[str, Any]) -> None:
        self._inner.write(record)

    def errors_at(self) -> str:
        return self._inner.errors_at(str(self.path))

    def kept_at(self) -> str:
        return self._inner.kept_at(str(self.path))

    def close(self) -> None:
        if self._handle is None:
            return
        try:
            self._inner.close()
            self._handle.close()
        except OSError as exc:
            raise _cannot_write(self.path, exc) from None
        finally:
            self._handle = None


def _is_special_file(path: str) -> bool:
    """True for an existing path that is neither a regular file nor a directory (a device, a pipe)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_page(path: str | os.PathLike[str], content: str) -> None:
    """A whole file (a review page) written atomically: it appears complete, or not at all. A path that
    is not a regular file (/dev/stdout, a pipe) is written straight into."""
    target = Path(path)
    if _is_special_file(str(path)):
        try:
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(content)
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        return
    if os.path.isdir(path):
        raise OutputError(f"cannot write {path}: it is a directory; give a file name such as report.html")
    try:
        if target.parent != Path(""):
            target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    _atomic_write(target, content)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use text, json or jsonl")
    return fmt


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _error_line(record: dict[str, Any]) -> str:
    """The line for an error record: `id: message`, or the message alone when it already starts with
    the id (`b.jsonl:3: invalid JSON`)."""
    doc_id, message = str(record.get("id", "?")), _one_line(str(record["error"]))
    return message if message.startswith((f"{doc_id}:", f"{doc_id} ")) else f"{doc_id}: {message}"


def open_sink(output: str | None, fmt: str, *, resume: bool, prog: str = "keepfacts") -> Any:
    """The sink for an --output value: None or "-" -> stdout; "*.jsonl" (or --format jsonl) -> JSONL file;
    an existing directory or a path ending in "/" -> directory; anything else -> one file written at the end.
    """
    _check_format(fmt)
    if output in (None, "-"):
        if resume:
            raise UsageError("--resume needs --output (a .jsonl file or a directory) to know what is done")
        return StreamSink(sys.stdout, fmt, prog=prog)
    assert output is not None
    if _is_special_file(output):
        if resume:
            raise _cannot_resume(output)
        return DeviceSink(output, fmt, prog=prog)
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return DirectorySink(output, "json" if fmt == "json" else "txt", resume=resume)
    if output.lower().endswith(".jsonl") or fmt == "jsonl":
        return JsonlSink(output, resume=resume)
    if resume:
        raise _cannot_resume(output)
    return FileSink(output, fmt, prog=prog)


def _cannot_resume(output: str) -> UsageError:
    return UsageError(f"--resume cannot continue {output}: write to a .jsonl file or a directory instead")


__all__ = [
    "FORMATS",
    "MANIFEST_NAME",
    "DeviceSink",
    "DirectorySink",
    "FileSink",
    "JsonlSink",
    "Sink",
    "StreamSink",
    "done_key",
    "encode_line",
    "open_sink",
    "safe_filename",
    "write_page",
]
