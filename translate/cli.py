"""The `translate` command: parse options, call the translator through the batch runner, print."""

from __future__ import annotations

import functools

import click

from keepfacts.cli import Command, common_options, handle_errors, warn
from keepfacts.settings import RuntimeSettings
from translate.pipeline import TranslateSettings, Translator


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, cls=Command)
@common_options
@click.option("--to", "tgt", required=True, help="Target language code (es, de, fr, ...).")
@click.option("--from", "src", default="en", show_default=True, help="Source language code.")
@click.option(
    "--unguarded", is_flag=True, help="Raw model output: no reranking or repair (still fact-checked)."
)
@handle_errors("translate")
def main(
    inputs: tuple[str, ...],
    model: str,
    tgt: str,
    src: str,
    unguarded: bool,
    fmt: str | None,
    output: str | None,
    engine: str,
    ray_address: str | None,
    batch_size: int,
    resume: bool,
    strict: bool,
    candidates: int,
    device: str,
    threads: int | None,
    glossary: str | None,
    quiet: bool,
    debug: bool,
) -> None:
    """Translate news articles sentence by sentence, keeping every figure and name.

    INPUT is a file, a directory (its .txt, .md and .html files), a .jsonl file of records with `id`,
    `text` and optional `lang`, or - (the default) for standard input.
    """
    from keepfacts.errors import LanguageError
    from keepfacts.languages import check_language
    from keepfacts.runner import run_job

    src, tgt = check_language(src), check_language(tgt)
    if src == tgt:
        raise LanguageError(f"--from and --to are both {src!r}; nothing to translate")
    spec = model
    if model == "auto":
        from models import resolve_auto

        spec, reason = resolve_auto("translate", src=src, tgt=tgt)
        if not quiet:
            warn(f"translate: using {spec} ({reason})")
    settings = TranslateSettings(
        model=spec,
        tgt=tgt,
        src=src,
        candidates=candidates,
        glossary=glossary,
        guarded=not unguarded,
        runtime=RuntimeSettings(device=device, threads=threads),
    )
    code = run_job(
        "translate",
        inputs,
        functools.partial(Translator, settings),
        signature=settings.signature,
        default_lang=src,
        output=output,
        fmt=fmt,
        engine=engine,
        ray_address=ray_address,
        batch_size=batch_size,
        resume=resume,
        strict=strict,
        quiet=quiet,
    )
    raise SystemExit(code)
