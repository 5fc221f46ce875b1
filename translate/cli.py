"""The `translate` command: parse options, call the translator through the batch runner, print."""

from __future__ import annotations

import functools

import click

from keepfacts.cli import Command, CommonOptions, common_options, handle_errors, version_option
from keepfacts.translate.pipeline import DEFAULT_CANDIDATES, TranslateSettings, Translator

_LISTING = "keepfacts.list_pairs"


def _note_listing(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """--list-pairs is eager: known before --to, which it makes optional."""
    if value:
        ctx.meta[_LISTING] = True
    return value


def _required_target(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--to is required, except with --list-pairs (where it asks what --model auto picks for it)."""
    if value is None and not ctx.meta.get(_LISTING) and not ctx.resilient_parsing:
        raise click.MissingParameter(ctx=ctx, param=param)
    return value


@click.command(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.option(
    "--to", "tgt", callback=_required_target, help="Target language code (es, de, fr, ...). Required."
)
@click.option("--from", "src", default="en", show_default=True, help="Source language code.")
@click.option(
    "--unguarded", is_flag=True, help="Raw model output: no reranking or repair (still fact-checked)."
)
@click.option(
    "--list-pairs",
    is_flag=True,
    is_eager=True,
    callback=_note_listing,
    help="List the aliases, schemes and language pairs available offline here (with --to: what --model "
    "auto picks for it); then exit.",
)
@version_option("translate")
@handle_errors("translate")
def main(
    inputs: tuple[str, ...], opts: CommonOptions, tgt: str | None, src: str, unguarded: bool, list_pairs: bool
) -> None:
    """Translate news articles sentence by sentence, keeping every figure and name.

    INPUT is a file, a directory (its .txt, .md and .html files), a .jsonl file of records with `id`,
    `text` and optional `lang`, or - (the default) for standard input.
    """
    from keepfacts.errors import LanguageError
    from keepfacts.eval.extract import check_source_language
    from keepfacts.languages import check_language
    from keepfacts.runner import run_job

    src = check_language(src)
    tgt = check_language(tgt) if tgt is not None else None
    check_source_language(src)  # before any model loads
    if list_pairs:
        from keepfacts.models.catalog import pairs_text

        click.echo(pairs_text(src, tgt))
        return
    assert tgt is not None  # --to is required without --list-pairs (_required_target)
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
