"""The fact engine: extract figures, entities and attributions; check outputs against their source.

Public API (the guard and the commands code against it): Fact, Report, extract, check, format_figure,
Glossary, load_glossary.
"""

from eval.extract import extract
from eval.facts import Fact, Report

__all__ = ["Fact", "Report", "extract"]
