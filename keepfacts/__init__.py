"""keepfacts: shared core (documents, results, errors, batch engines) for the summarize and translate commands."""

__version__ = "0.1.0"
