"""saidwhat: who said what in the news.

>>> import saidwhat
>>> article = saidwhat.extract('"We will not be rushed," the prime minister said.')
>>> [(a.cue.text, a.source.text) for a in article.attributions]
[('said', 'the prime minister')]
"""
from .errors import InputError, ModelError, SaidwhatError, StoreError
from .model import Article, Attribution, Span, Speaker, Target
from .pipeline import extract, extract_many

__version__ = "0.1.0"
__all__ = ["Article", "Attribution", "InputError", "ModelError", "SaidwhatError", "Span",
           "Speaker", "StoreError", "Target", "__version__", "extract", "extract_many"]
