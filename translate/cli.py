"""The `translate` command: parse options, call the translator through the batch runner, print."""

from __future__ import annotations

import functools

import click

from keepfacts.cli import Command, CommonOptions, common_options, handle_errors
from keepfacts.translate.pipeline import DEFAULT_CANDIDATES, TranslateSettings, Translator


@click.command(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.option("--to", "tgt", required=True, help="Target language code (es, de, fr, ...).")
@click.option("--from", "src", default="en", show_default=True, help="Source language code.")
@click.option(
    "--unguarded", is_flag=True, help="Raw model output: no reranking or repair (still fact-checked)."
)
@handle_errors("translate")
def main(inputs: tuple[str, ...], opts: CommonOptions, tgt: str, src: str, unguarded: bool) -> None:
    """Translate news articles sentence by sentence, keeping every figure and name.

    INPUT is a file, a directory (its .txt, .md and .html files), a .jsonl file of records with `id`,
    `text` and optional `lang`, or - (the default) for standard input.
    """
    from keepfacts.errors import LanguageError
    from keepfacts.eval.extract import check_source_language
    from keepfacts.languages import check_language
    from keepfacts.runner import run_job

    src, tgt = check_language(src), check_language(tgt)
    check_source_language(src)  # before any model loads
    if src == tgt:
        raise LanguageError(f"--from and --to are both {src!r}; nothing to translate")
    settings = TranslateSettings(
        model=opts.resolve_model("translate", "translate", src=src, tgt=tgt),
        tgt=tgt,
        src=src,
        candidates=opts.candidates or DEFAULT_CANDIDATES,
        glossary=opts.glossary,
        guarded=not unguarded,
        runtime=opts.runtime,
    )
    factory = functools.partial(Translator, settings)
    raise SystemExit(run_job("translate", inputs, factory, settings.signature, src, opts))
