"""Repairs the guard may make to a translated sentence, only where the alignment is unambiguous.

- A figure: the source sentence lost exactly one figure and the output holds exactly one wrong figure
  (changed, or unsupported): write the whole source figure (amount with its currency or unit) in the
  target language's form over the whole wrong one (its number, currency, unit or percent sign).
- A name: a source entity is missing and the engine's own rendering of that name alone occurs exactly
  once in the output ("Roger Stone" -> "Roger Piedra"): put back the glossary's form for the target
  language, or else the name as written in the source.
- A date whose month came out garbled next to its day ("March 25" -> "Marcha 25"): the day number occurs
  exactly once in the output, so the word beside it (on the side the source wrote the month) plus the year
  after it, if any, are rewritten as the source date in the target language's format.
Anything else is left alone and flagged by the caller.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from keepfacts.eval.figure_match import figure_extent
from keepfacts.eval.formatting import format_figure
from keepfacts.eval.glossary import Glossary

Render = Callable[[list[str]], list[str]]
_LEADING_ARTICLE = re.compile(r"^(?:el|la|los|las|le|les|l'|il|lo|gli|der|die|das|the|o|a|os|as)\s+", re.I)


def repair_figure(output: str, report: dict[str, Any], lang: str) -> str | None:
    """The output with its one wrong figure replaced by the one lost source figure, or None."""
    lost = [f for f in report["missing"] if f["kind"] == "figure"]
    wrong = [f for f in report["unsupported"] if f["kind"] == "figure"]
    for pair in report["changed"]:
        lost.append(pair["source"])
        wrong.append(pair["output"])
    if len(lost) != 1 or len(wrong) != 1:
        return None
    start, end = wrong[0]["span"]
    if not (0 <= start < end <= len(output)):
        return None
    start, end = figure_extent(output, start, end, lang)
    return output[:start] + format_figure(lost[0]["value"], lang) + output[end:]


def repair_forms(output: str, report: dict[str, Any], lang: str) -> str | None:
    """The output with every figure kept in a form the target language misreads ("6,152,524" in Spanish,
    which reads as no number) rewritten in that language's form, or None when there is none. Each such
    figure is paired with its own source figure, so any number of them is unambiguous."""
    pairs = [p for p in report["changed"] if p.get("part") == "form"]
    spans = []
    for pair in pairs:
        start, end = pair["output"]["span"]
        if not (0 <= start < end <= len(output)):
            return None
        spans.append((*figure_extent(output, start, end, lang), pair["source"]["value"]))
    if not spans:
        return None
    spans.sort(key=lambda s: s[0])
    if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
        return None  # overlapping figures: nothing is unambiguous
    for start, end, value in reversed(spans):
        output = output[:start] + format_figure(value, lang) + output[end:]
    return output


def repair_date(output: str, report: dict[str, Any], lang: str) -> str | None:
    """The output with its one garbled month-and-day rewritten from the source date, or None."""
    lost = [f for f in report["missing"] if f["kind"] == "figure" and f["value"].get("day")]
    if len(lost) != 1:
        return None
    value, source_text = lost[0]["value"], lost[0]["text"]
    days = list(re.finditer(rf"(?<!\d){value['day']}(?!\d)", output))
    if len(days) != 1:
        return None
    day = days[0]
    month_first = not source_text[:1].isdigit()
    if month_first:
        word = re.search(r"(\w+)\s+$", output[: day.start()])
        start, end = (word.start(1), day.end()) if word else (None, None)
    else:
        word = re.match(r"\s+(?:of\s+)?(\w+)", output[day.end() :])
        start, end = (day.start(), day.end() + word.end()) if word else (None, None)
    if start is None or end is None:
        return None
    if value.get("year"):
        year = re.match(rf",?\s+{value['year']}(?!\d)", output[end:])
        if year is None:
            return None
        end += year.end()
    return output[:start] + format_figure(value, lang) + output[end:]


def repair_names(
    output: str, report: dict[str, Any], lang: str, glossary: Glossary, render: Render | None
) -> str | None:
    """The output with garbled names restored where each garbling is found exactly once, or None."""
    names = [f["value"].get("name", f["text"]) for f in report["missing"] if f["kind"] == "entity"]
    if not names or render is None:
        return None
    renderings = render(names)
    repaired = output
    for name, rendering in zip(names, renderings, strict=True):
        garbled = _LEADING_ARTICLE.sub("", rendering.strip().rstrip("."))
        if not garbled or garbled.lower() == name.lower():
            continue
        hits = [m.start() for m in re.finditer(re.escape(garbled), repaired, flags=re.I)]
        if len(hits) != 1:
            continue
        forms = glossary.forms(name, lang)
        restored = forms[0] if forms else name
        repaired = repaired[: hits[0]] + restored + repaired[hits[0] + len(garbled) :]
    return repaired if repaired != output else None
