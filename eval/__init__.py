"""The fact engine: extract figures, entities and attributions; check outputs against their source.

Public API (the guard and the commands code against it): Fact, Report, extract, check, format_figure,
Glossary, load_glossary.
"""

from keepfacts.eval.check import check
from keepfacts.eval.extract import extract
from keepfacts.eval.facts import Fact, Report
from keepfacts.eval.formatting import format_figure
from keepfacts.eval.glossary import Glossary, load_glossary

__all__ = ["Fact", "Glossary", "Report", "check", "extract", "format_figure", "load_glossary"]
