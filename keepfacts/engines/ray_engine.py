"""The Ray engine: the same processor on a pool of Ray actors through Ray Data (`map_batches`).

Each actor calls the factory once in its constructor (the model loads once per worker) and then
processes batches with the same `process_stream` as the local engine (each record handed back as a
block of its own as soon as it is done), so both engines give the same records for the same input.
Documents go into the dataset sorted by length (similar lengths share a batch) with their slot; results
stream back and `run_batch` writes them in input order through the same sink, so JSONL appends, --resume
and error records behave exactly as with the local engine. On Ctrl-C the actors and Ray's processes are
killed, not waited for.

Locally (`address=None`) Ray starts on this machine with its CPUs and stops at the end; with an address
("ray://head:10001" or "auto") it joins that cluster, whose workers need keepfacts (and the models)
installed. Nothing is downloaded: no runtime_env packages, no uv, no usage stats, no dashboard.

Ray's own logging stays off stderr unless `debug` (--debug): its Python loggers at ERROR, its workers'
output not forwarded, and its C++ logging (RAY_BACKEND_LOG_LEVEL=fatal while Ray starts; the driver's
core worker otherwise prints lines like "E ... core_worker.cc:2465: Actor ... has constructor arguments in
the object store" on every successful run, which read like a crash). A RAY_BACKEND_LOG_LEVEL of the
user's own is left as it is.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from keepfacts.documents import Document
from keepfacts.errors import KeepfactsError, UsageError

_QUIET_LOGGERS = ("ray", "ray.data", "ray.train", "ray.tune")
# Blocks of the input dataset: one per batch for small jobs (results stream back batch by batch), at most
# this many for big ones (Ray's per-block overhead).
MAX_BLOCKS = 200


def init_ray(address: str | None = None, *, debug: bool = False) -> bool:
    """Start (or join) Ray quietly (unless `debug`). Returns True when this call started it (and so
    should stop it)."""
    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError:
        raise UsageError("--engine ray needs Ray: pip install 'keepfacts[ray]'") from None
    if ray.is_initialized():
        return False
    _quiet_logs()
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,
    }
    try:
        with _ray_logging(debug):
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(num_cpus=_local_cpus(), **options)
    except Exception as exc:  # Ray's own errors: a wrong address, a cluster that does not answer
        where = address or "this machine"
        raise UsageError(f"cannot start Ray on {where}: {' '.join(str(exc).split())[:300]}") from None
    return True


# What Ray's C++ logging keeps while it runs without --debug: fatal errors only.
_BACKEND_LEVEL = "RAY_BACKEND_LOG_LEVEL"


@contextlib.contextmanager
def _ray_logging(debug: bool) -> Iterator[None]:
    """While Ray starts: its C++ log level set to fatal (read once, by the driver's core worker and by the
    processes a local Ray starts), and file descriptor 2 sent to /dev/null, since the core worker says
    "Set ray log level from environment variable ..." there whatever the level. Nothing of ours is
    written meanwhile; an error of ray.init() is raised and reported after stderr is back."""
    if debug or _BACKEND_LEVEL in os.environ:
        yield
        return
    os.environ[_BACKEND_LEVEL] = "fatal"
    try:
        with _stderr_muted():
            yield
    finally:
        os.environ.pop(_BACKEND_LEVEL, None)


@contextlib.contextmanager
def _stderr_muted() -> Iterator[None]:
    """File descriptor 2 on /dev/null (where there is one to save and restore; else as it is)."""
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _quiet_logs() -> None:
    """Ray's INFO/WARNING chatter (execution plans, token notices) stays out of our stderr."""
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def _local_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# A row that carries a domain error from a worker (a model that cannot load) back to the driver, which
# raises it there: Ray would otherwise retry the actor, print its traceback, and lose the error's type.
_FATAL = "__keepfacts_fatal__"


class _ProcessorActor:
    """One Ray Data actor: the processor (and its model) is built once, in the constructor."""

    def __init__(self, factory: Any) -> None:
        self.process: Any = None
        self.fatal: dict[str, str] | None = None
        try:
            self.process = factory()
        except KeepfactsError as exc:
            self.fatal = {_FATAL: type(exc).__name__, "message": exc.message}

    def __call__(self, batch: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """One output batch per record, each yielded as soon as it is done (see `process_stream`)."""
        import numpy as np

        from keepfacts.engines import process_stream

        slots = list(batch["slot"])
        if self.fatal is not None:
            records: Iterable[dict[str, Any]] = [self.fatal] * len(slots)
        else:
            records = process_stream(self.process, [_doc_from_json(text) for text in batch["doc"]])
        for slot, record in zip(slots, records, strict=True):
            encoded = json.dumps(record, ensure_ascii=False, default=str)
            yield {"slot": np.asarray([slot]), "record": np.array([encoded], dtype=object)}


def _raise_fatal(record: dict[str, Any]) -> None:
    import keepfacts.errors as errors

    kind = getattr(errors, str(record[_FATAL]), None)
    if not (isinstance(kind, type) and issubclass(kind, KeepfactsError)):
        kind = KeepfactsError
    raise kind(str(record.get("message", "")))


def _doc_to_json(doc: Document) -> str:
    return json.dumps(
        {"id": doc.id, "text": doc.text, "lang": doc.lang, "meta": doc.meta}, ensure_ascii=False
    )


def _doc_from_json(text: str) -> Document:
    data = json.loads(text)
    return Document(id=data["id"], text=data["text"], lang=data["lang"], meta=data["meta"])


def process_ray(
    pending: list[tuple[int, Document]],
    factory: Any,
    batch_size: int,
    *,
    address: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    debug: bool = False,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(slot, record) for every pending document, in the order Ray finishes them. `debug`: Ray's own
    log lines are shown (see the module docstring)."""
    started_here = init_ray(address, debug=debug)
    stop_now = False
    import ray.data

    context = ray.data.DataContext.get_current()
    block_size = context.target_max_block_size
    try:
        import ray

        _quiet_logs()
        context.enable_progress_bars = False  # our own bar (run_batch) counts written records
        context.execution_options.verbose_progress = False
        # Every record its own block: a block is sent to the driver when full, so the default (128 MiB)
        # would hold an actor's records until its batch ends.
        context.target_max_block_size = 1
        by_length = sorted(pending, key=lambda entry: (len(entry[1].text), entry[0]))
        rows = [{"slot": slot, "doc": _doc_to_json(doc)} for slot, doc in by_length]
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        size = min(workers or cpus, cpus)  # one CPU per actor: more actors than CPUs would wait forever
        batches = max(1, -(-len(rows) // batch_size))
        size = min(size, batches)  # no idle actors loading models for nothing
        blocks = min(batches, MAX_BLOCKS)
        dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            _ProcessorActor,
            fn_constructor_args=(factory,),
            compute=ray.data.ActorPoolStrategy(size=size),
            batch_size=batch_size,
            batch_format="numpy",
            num_cpus=1,
        )
        try:
            for row in dataset.iter_rows():
                record = json.loads(row["record"])
                if _FATAL in record:
                    _raise_fatal(record)
                yield int(row["slot"]), record
        except KeepfactsError:
            raise
        except Exception as exc:
            raise _domain_error(exc) from exc
        except BaseException:  # Ctrl-C, or the caller closed us early: stop the workers, do not wait
            stop_now = True
            raise
    finally:
        context.target_max_block_size = block_size
        if started_here:
            _shutdown(now=stop_now and not os.environ.get("XX_GRACEFUL"))


def _shutdown(*, now: bool) -> None:
    """Stop the Ray this process started. `now` (Ctrl-C): kill the raylet's workers (the actors, with their
    model calls) and its agents first, then Ray's own processes without asking them to exit and waiting
    (which takes a second or more); where the process tree cannot be read (no /proc), the graceful way."""
    import ray

    node = getattr(getattr(getattr(ray, "_private", None), "worker", None), "_global_node", None)
    kill = getattr(node, "kill_all_processes", None)
    if now and callable(kill) and os.path.isdir("/proc"):

        def kill_now(**options: Any) -> Any:  # ray.shutdown calls it once this driver has disconnected
            if not _kill_raylet_children(node):
                return kill(**options)
            return kill(**{**options, "allow_graceful": False})

        with contextlib.suppress(Exception):
            node.kill_all_processes = kill_now  # type: ignore[union-attr]
    ray.shutdown()


def _kill_raylet_children(node: Any) -> bool:
    """SIGKILL every process under this node's raylet; False when that cannot be done here."""
    try:
        raylets = node.all_processes.get("raylet", [])
        roots = [int(info.process.pid) for info in raylets]
        tree = _process_tree()
    except (AttributeError, TypeError, ValueError, OSError):
        return False
    if not roots:
        return False
    pending, victims = list(roots), []
    while pending:
        for child in tree.get(pending.pop(), []):
            victims.append(child)
            pending.append(child)
    for pid in victims:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return True


def _process_tree() -> dict[int, list[int]]:
    """parent pid -> child pids, from /proc (Linux); raises OSError where there is none."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue  # gone meanwhile
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry))
    return children


def _domain_error(exc: BaseException) -> KeepfactsError:
    """The KeepfactsError a worker raised (a model that cannot load), unwrapped from Ray's exceptions;
    else one line saying the Ray engine failed."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, KeepfactsError):
            return type(current)(current.message)
        pending.extend([current.__cause__, current.__context__, getattr(current, "cause", None)])
    return KeepfactsError(f"the Ray engine failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
