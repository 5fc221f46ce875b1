"""Standard metrics beside the fact checks: chrF and BLEU through sacrebleu, with its signatures."""

from __future__ import annotations

from typing import Any

from keepfacts.eval import locale_forms as lf


def reference_scores(hypothesis: str, reference: str, lang: str) -> dict[str, Any]:
    """Corpus-level chrF and BLEU of the output's lines against the reference's lines."""
    from sacrebleu.metrics import BLEU, CHRF

    hyp_lines = [line for line in hypothesis.splitlines() if line.strip()] or [hypothesis]
    ref_lines = [line for line in reference.splitlines() if line.strip()] or [reference]
    if len(hyp_lines) != len(ref_lines):  # not line-aligned: score the documents as one segment each
        hyp_lines, ref_lines = [" ".join(hyp_lines)], [" ".join(ref_lines)]
    tokenize = {"zh": "zh", "ja": "char"}.get(lf.base_lang(lang), "13a")
    bleu = BLEU(tokenize=tokenize)
    chrf = CHRF()
    bleu_score = bleu.corpus_score(hyp_lines, [ref_lines])
    chrf_score = chrf.corpus_score(hyp_lines, [ref_lines])
    return {
        "chrf": round(chrf_score.score, 2),
        "chrf_signature": str(chrf.get_signature()),
        "bleu": round(bleu_score.score, 2),
        "bleu_signature": str(bleu.get_signature()),
    }
