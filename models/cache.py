"""keepfacts' own cache directory (converted models) and writing a directory into it atomically."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

STALE_TEMP_S = 24 * 3600


def cache_root() -> Path:
    """`$KEEPFACTS_CACHE`, else `$XDG_CACHE_HOME/keepfacts`, else `~/.cache/keepfacts` (read at call time)."""
    if os.environ.get("KEEPFACTS_CACHE"):
        return Path(os.environ["KEEPFACTS_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "keepfacts"


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def file_sha256_cached(path: Path, keys_dir: Path) -> str:
    """sha256 of a large file, remembered under a fast key (real path, size, mtime) so it is hashed once."""
    stat = path.stat()
    fast = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    key_file = keys_dir / fast
    with contextlib.suppress(OSError):
        known = key_file.read_text().strip()
        if len(known) == 64:
            return known
    digest = sha256_file(path)
    with contextlib.suppress(OSError):
        keys_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(key_file, digest)
    return digest


def write_text_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_directory(final: Path) -> Iterator[Path]:
    """Yield a temporary directory beside `final`; on success rename it to `final` in one step.

    A killed writer leaves only a `.tmp-*` directory (swept after a day), never a half-written `final`.
    If another process finished `final` first, ours is discarded and theirs kept.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(final.parent)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".tmp-{final.name}-"))
    try:
        yield tmp
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.is_dir():
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # lost a race to an identical conversion
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _sweep_stale(parent: Path) -> None:
    now = time.time()
    for entry in parent.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - entry.stat().st_mtime > STALE_TEMP_S:
                shutil.rmtree(entry, ignore_errors=True)
