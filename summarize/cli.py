"""The `summarize` command: parse options, call the summarizer through the batch runner, print."""

from __future__ import annotations

import functools

import click

from keepfacts.cli import (
    Command,
    CommonOptions,
    common_options,
    handle_errors,
    list_models_option,
    version_option,
)
from keepfacts.summarize.pipeline import (
    DEFAULT_CANDIDATES,
    DEFAULT_MAX_WORDS,
    HARD_MAX_WORDS,
    METHODS,
    Summarizer,
    SummarizeSettings,
)


@click.command(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.option(
    "--max-words",
    type=click.IntRange(min=5, max=HARD_MAX_WORDS),
    default=DEFAULT_MAX_WORDS,
    show_default=True,
    help=f"Longest summary, in words (at most {HARD_MAX_WORDS}).",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="auto",
    show_default=True,
    help="auto: the extractive summary, its sentences shortened by the model where the fact guard finds "
    "every fact intact; abstractive: model-written candidates checked by the guard, extractive fallback; "
    "model: the raw model output (still fact-checked in the record); extractive: no model.",
)
@click.option("--lang", default="en", show_default=True, help="Language of inputs without their own.")
@list_models_option
@version_option("summarize")
@handle_errors("summarize")
def main(inputs: tuple[str, ...], opts: CommonOptions, max_words: int, method: str, lang: str) -> None:
    """Summarize news articles, keeping every key figure and who reported it.

    INPUT is a file, a directory (its .txt, .md and .html files), a .jsonl file of records with `id`,
    `text` and optional `lang`, or - (the default) for standard input.
    """
    from keepfacts.eval.extract import check_source_language
    from keepfacts.languages import check_language
    from keepfacts.runner import run_job

    lang = check_language(lang)
    check_source_language(lang)  # before any model loads
    spec = "extractive" if method == "extractive" else opts.resolve_model("summarize", "summarize")
    settings = SummarizeSettings(
        model=spec,
        max_words=max_words,
        method=method,
        candidates=opts.candidates or DEFAULT_CANDIDATES,
        glossary=opts.glossary,
        runtime=opts.runtime,
    )
    factory = functools.partial(Summarizer, settings)
    raise SystemExit(run_job("summarize", inputs, factory, settings.signature, lang, opts))
