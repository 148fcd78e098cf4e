"""Targets and stance: whom each statement is about, and how it portrays them.

``net`` (the stance network), ``data`` (NewsMTSC files and figures), ``train`` (``saidwhat
train-stance``), ``targets`` (the entities an attribution's content is about).
"""
from .net import LABELS, MODEL_PATH, StanceEnsemble, StanceNet, get_net

__all__ = ["LABELS", "MODEL_PATH", "StanceEnsemble", "StanceNet", "get_net"]
