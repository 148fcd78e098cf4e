"""The learned tagger (filled in by the training work)."""
from __future__ import annotations


def get_model():
    return None
