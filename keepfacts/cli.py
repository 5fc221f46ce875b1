"""What the three commands share at the CLI edge: error handling, common options, output.

Commands stay thin: parse options, call the library, print. Domain errors become one line on stderr and
the documented exit code here, and only here.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import wraps
from typing import Any, TypeVar

import click

from keepfacts.errors import EXIT_BAD_INPUT, KeepfactsError
from keepfacts.models.base import ServerOptions
from keepfacts.settings import RuntimeSettings

F = TypeVar("F", bound=Callable[..., Any])


def fail(prog: str, message: str, code: int) -> None:
    """Print one line on stderr and exit."""
    first_line = " ".join(message.split()) or "unknown error"
    click.echo(f"{prog}: error: {first_line}", err=True)
    sys.exit(code)


def handle_errors(prog: str) -> Callable[[F], F]:
    """Turn domain errors (and surprises) into one line and an exit code; `--debug` prints the traceback
    first (the exit code stays the documented one)."""

    def decorate(func: F) -> F:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            options = kwargs.get("opts")
            debug = bool(kwargs.get("debug") or getattr(options, "debug", False))
            try:
                return func(*args, **kwargs)
            except KeepfactsError as exc:
                if debug:
                    traceback.print_exc()
                fail(prog, exc.message, exc.exit_code)
            except KeyboardInterrupt:
                fail(prog, "interrupted", 130)
            except (click.exceptions.Exit, click.ClickException, SystemExit):
                raise
            except Exception as exc:
                if debug:
                    traceback.print_exc()
                hint = "" if debug else " (run with --debug for details)"
                fail(prog, f"internal error: {type(exc).__name__}: {exc}{hint}", EXIT_BAD_INPUT)
            return None

        return wrapper  # type: ignore[return-value]

    return decorate


class _OneLineUsageError(click.UsageError):
    """A usage error shown as one line (click's own takes four: usage, hint, blank line, error)."""

    def show(self, file: Any = None) -> None:
        prog = self.ctx.info_name if self.ctx is not None else "keepfacts"
        click.echo(f"{prog}: error: {' '.join(self.format_message().split())} (see {prog} --help)", err=True)


class Command(click.Command):
    """click.Command whose usage errors (unknown option, missing --to, a value out of range) are one
    line on stderr with exit code 2, like every other error of these commands."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            if isinstance(exc, _OneLineUsageError):
                raise
            one_line = _OneLineUsageError(exc.format_message(), ctx=exc.ctx)
            raise one_line from exc


def warn(message: str) -> None:
    """A one-line notice on stderr (which model was chosen and why, an encoding guess, ...)."""
    click.echo(message, err=True)


@dataclass(frozen=True)
class CommonOptions:
    """The options `summarize` and `translate` share, handed to the command as one `opts` argument."""

    model: str
    fmt: str | None
    output: str | None
    engine: str
    ray_address: str | None
    batch_size: int
    resume: bool
    strict: bool
    candidates: int | None  # None: the command's own default
    device: str
    threads: int | None
    glossary: str | None
    api_base: str | None
    concurrency: int | None
    api_timeout: float | None
    quiet: bool
    debug: bool
    report: str | None = None  # --report FILE.html: the batch's review page

    @property
    def runtime(self) -> RuntimeSettings:
        server = None
        if (self.api_base, self.concurrency, self.api_timeout) != (None, None, None):
            server = ServerOptions(self.api_base, self.concurrency, self.api_timeout)
        return RuntimeSettings(device=self.device, threads=self.threads, server=server)

    def resolve_model(self, prog: str, task: str, src: str = "en", tgt: str | None = None) -> str:
        """The model spec to use: `--model`, or for `auto` the best one available here, said on stderr."""
        if self.model != "auto":
            return self.model
        from keepfacts.models import resolve_auto

        spec, reason = resolve_auto(task, src=src, tgt=tgt)
        if not self.quiet:
            warn(f"{prog}: using {spec} ({reason})")
        return spec


_COMMON_NAMES = frozenset(f.name for f in fields(CommonOptions))


def common_options(func: F) -> F:
    """Options shared by `summarize` and `translate` (the public contract), passed on as `opts`."""

    @wraps(func)
    def collect(*args: Any, **kwargs: Any) -> Any:
        common = {name: kwargs.pop(name) for name in list(kwargs) if name in _COMMON_NAMES}
        return func(*args, opts=CommonOptions(**common), **kwargs)

    options = [
        click.argument("inputs", nargs=-1, metavar="[INPUT]..."),
        click.option(
            "--model",
            "-m",
            default="auto",
            show_default=True,
            help="Alias, hub id, local directory, .gguf file or scheme:arg (apertium:eng-spa; ct2:ID runs "
            "ID on CTranslate2 int8; openai:NAME is NAME on an OpenAI-compatible server). auto: the best "
            "model available here (hub and embedded models on CTranslate2 where it is installed).",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["text", "json", "jsonl"]),
            default=None,
            help="Output format [default: text on a terminal or file, jsonl for an .jsonl output].",
        ),
        click.option(
            "--output",
            "-o",
            default=None,
            help="Output: a file, a .jsonl file (one record per input) or a directory; - for stdout.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["local", "ray"]),
            default="local",
            show_default=True,
            help="Batch engine.",
        ),
        click.option(
            "--ray-address", default=None, help="Ray cluster address for --engine ray (default: local)."
        ),
        click.option(
            "--batch-size",
            type=click.IntRange(min=1),
            default=8,
            show_default=True,
            help="Texts per model call.",
        ),
        click.option(
            "--resume", is_flag=True, help="Skip inputs already done in --output (same id, input, settings)."
        ),
        click.option("--strict", is_flag=True, help="Exit 1 when a fact could not be kept or repaired."),
        click.option(
            "--candidates",
            type=click.IntRange(min=1, max=16),
            default=None,
            help="Model candidates per text for the fact guard to choose from "
            "[default: 1 for summaries, 2 for translations].",
        ),
        click.option("--device", default="cpu", show_default=True, help="cpu or cuda."),
        click.option(
            "--threads", type=click.IntRange(min=1), default=None, help="CPU threads [default: all cores]."
        ),
        click.option(
            "--glossary",
            type=click.Path(dir_okay=False),
            default=None,
            help="Glossary file (JSON or TSV) of names and their accepted translations.",
        ),
        click.option(
            "--api-base",
            default=None,
            metavar="URL",
            help="Server of an openai:NAME model, e.g. http://localhost:11434/v1 "
            "[default: $OPENAI_BASE_URL]; "
            "the key, if it needs one, is $OPENAI_API_KEY.",
        ),
        click.option(
            "--concurrency",
            type=click.IntRange(min=1, max=256),
            default=None,
            help="Requests in flight to an openai:NAME server (per Ray worker) [default: 4].",
        ),
        click.option(
            "--api-timeout",
            type=click.FloatRange(min=0.1),
            default=None,
            metavar="SECONDS",
            help="Longest wait for one answer of an openai:NAME server [default: 120].",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar and no notices."),
        click.option("--debug", is_flag=True, help="Show tracebacks."),
        click.option(
            "--report",
            metavar="FILE.html",
            type=click.Path(dir_okay=False),
            default=None,
            help="Write the batch's review page to FILE.html at the end: one row per item, what needs "
            "attention first, each opening onto its source and output side by side with every fact marked.",
        ),
    ]
    decorated: Any = collect
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def version_option(prog: str) -> Callable[[F], F]:
    """`--version`: the program's name and keepfacts' version (`summarize, version 0.1.0`), then exit."""
    from keepfacts import __version__

    return click.version_option(
        __version__, "--version", prog_name=prog, message="%(prog)s, version %(version)s"
    )


def _print_and_exit(text: Callable[[], str]) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value or ctx.resilient_parsing:
            return
        try:
            click.echo(text())
        except KeepfactsError as exc:
            fail(ctx.info_name or "keepfacts", exc.message, exc.exit_code)
        ctx.exit(0)

    return callback


def list_models_option(func: F) -> F:
    """`--list-models` (eager, like --version): the aliases and what they resolve to, the schemes, the
    models here and what `--model auto` picks (models/catalog.py), then exit."""

    def text() -> str:
        from keepfacts.models.catalog import models_text

        return models_text()

    decorated: Any = click.option(
        "--list-models",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_print_and_exit(text),
        help="List the aliases, schemes and models available here, and what --model auto picks; then exit.",
    )(func)
    return decorated
