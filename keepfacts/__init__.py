"""keepfacts: shared core (documents, errors, segmentation, inputs, outputs, batch engines, CLI edge)."""

__version__ = "0.1.0"
