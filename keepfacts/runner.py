"""Drive one command run: read inputs, run the processor through an engine, write records, pick the exit code.

Shared by `summarize` and `translate`; the processor factory is the only thing that differs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from keepfacts.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERRUPTED, EXIT_OK, Interrupted

if TYPE_CHECKING:
    from keepfacts.cli import CommonOptions


class _Tally:
    """Wraps a sink to count what `--strict` and the exit status need, without a second pass; `verdict`
    (text output) says for each result how it was made and what it kept."""

    def __init__(self, sink: Any, review: Any = None, verdict: Callable[[str], None] | None = None) -> None:
        self.sink = sink
        self.review = review  # --report: a BatchReview that keeps every record for the page
        self.verdict = verdict
        self.unkept = 0
        self.failed: list[str] = []  # ids of the error records, in the order written

    def write(self, record: dict[str, Any]) -> None:
        facts = record.get("facts")
        if isinstance(facts, dict) and facts.get("passed") is False:
            self.unkept += 1
        if "error" in record and "output" not in record:
            self.failed.append(str(record.get("id", "")))
        if self.review is not None:
            self.review.add(record)
        self.sink.write(record)
        if self.verdict is not None and isinstance(facts, dict):
            self.verdict(verdict_line(record))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sink, name)


class _NoticeHandler(logging.Handler):
    def __init__(self, notice: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.notice = notice

    def emit(self, record: logging.LogRecord) -> None:
        self.notice(" ".join(record.getMessage().split()))


@contextlib.contextmanager
def _model_notices(notice: Callable[[str], None]) -> Iterator[None]:
    """The model runtime's info lines (a first conversion, which can take a minute) become this job's
    one-line notices while it runs."""
    logger = logging.getLogger("keepfacts.models")
    handler, level = _NoticeHandler(notice), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _leave_now(code: int) -> None:
    """Exit at once, with a model call still running in the engine's thread: waiting for it is what Ctrl-C
    must not do, and finalizing the interpreter under native code that will take the GIL back can abort
    the process (see the CTranslate2 note in CHANGELOG)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def verdict_line(record: dict[str, Any]) -> str:
    """One line on how a result was made and the key facts it kept, for text output ("seed: extractive
    output; kept 7 of 11 figures and 3 of 8 sources; check passed")."""
    facts = record.get("facts") or {}
    counts = facts.get("counts") or {}
    method = str(record.get("method"))
    shortened = (record.get("shortened") or {}).get("shortened", 0)
    how = {
        "model": "model output",
        "repaired": "repaired model output",
        "extractive": "extractive output",
        "shortened": f"extractive output, {shortened} of its sentences shortened by the model",
    }.get(method, f"{method} output")
    kept = (
        f"kept {counts.get('figures_kept', 0)} of {counts.get('figures_total', 0)} figures and "
        f"{counts.get('attributions_kept', 0)} of {counts.get('attributions_total', 0)} sources"
    )
    verdict = "check passed" if facts.get("passed") else "check failed (see --format json)"
    return f"{record.get('id')}: {how}; {kept}; {verdict}"


def run_job(
    prog: str,
    inputs: Sequence[str],
    factory: Any,
    signature: str,
    default_lang: str,
    opts: CommonOptions,
) -> int:
    """Run a whole job and return the exit code: 2 if any item failed, else 1 if --strict and a fact was
    not kept, else 0; 130 on Ctrl-C, after one line saying how much is done and where it is."""
    from keepfacts.cli import warn
    from keepfacts.engines import run_batch
    from keepfacts.inputs import name_a_few, read_inputs
    from keepfacts.outputs import open_sink

    output = opts.output
    fmt = opts.fmt or ("jsonl" if output and output.endswith(".jsonl") else "text")

    def notice(message: str) -> None:
        if not opts.quiet:
            warn(f"{prog}: {message}")

    review = None
    if opts.report:
        from keepfacts.batch_review import BatchReview

        review = BatchReview(opts.report, output, fmt, signature, prog)
    items = read_inputs(list(inputs), default_lang=default_lang, warn=notice)
    if review is not None:
        items = review.inputs(items)  # texts kept as the engine reads them: no second pass
    sink: Any = None
    try:
        with _model_notices(notice), open_sink(output, fmt, resume=opts.resume, prog=prog) as sink:
            # Text output says how each result was made (JSON records carry it; a directory of texts
            # has its manifest).
            from keepfacts.outputs import DirectorySink

            says = fmt == "text" and not isinstance(sink, DirectorySink)
            tally = _Tally(sink, review, verdict=notice if says else None)
            summary = run_batch(
                items,
                factory,
                tally,
                engine=opts.engine,
                batch_size=opts.batch_size,
                signature=signature,
                resume=opts.resume,
                progress=False if opts.quiet else None,
                ray_address=opts.ray_address,
                debug=opts.debug,
                label=prog,
            )
    except Interrupted as stop:  # the sink is closed: what was done is written and flushed
        where = sink.kept_at() if sink is not None else "nothing written"
        warn(f"{prog}: interrupted: {stop.done} of {stop.total} done, {where}")
        if review is not None:
            review.write()
        if stop.busy:
            _leave_now(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    if review is not None:
        review.write()
    if summary.skipped:
        notice(f"{summary.skipped} input(s) already done, skipped (--resume)")
    if summary.failed:
        total = summary.done + summary.failed
        warn(f"{prog}: {summary.failed} of {total} failed ({name_a_few(tally.failed)}); {sink.errors_at()}")
        return EXIT_BAD_INPUT
    if opts.strict and tally.unkept:
        warn(f"{prog}: {tally.unkept} output(s) did not keep every fact (--strict)")
        return EXIT_CHECK_FAILED
    return EXIT_OK
