"""The fact engine: extract figures, entities and attributions; check outputs against their source.

Public API (the guard and the commands code against it): Fact, Report, extract, check, format_figure,
Glossary, load_glossary.
"""

from eval.check import check
from eval.extract import extract
from eval.facts import Fact, Report
from eval.formatting import format_figure
from eval.glossary import Glossary, load_glossary

__all__ = ["Fact", "Glossary", "Report", "check", "extract", "format_figure", "load_glossary"]
