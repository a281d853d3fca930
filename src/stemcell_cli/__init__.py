"""Offline, scriptable summaries of what curated studies show about stem-cell therapy claims."""

__version__ = "0.1.0"
