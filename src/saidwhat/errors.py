"""saidwhat's exceptions.

    SaidwhatError
     +-- InputError        a file or record that cannot be read (empty, binary, bad JSON, ...)
     +-- ModelError        the trained tagger is missing or does not load
     +-- StoreError        the embedded store cannot be opened or written
"""


class SaidwhatError(Exception):
    """Base class of every error saidwhat raises on purpose."""


class InputError(SaidwhatError):
    """An input (file, line, request body) cannot be read as an article."""


class ModelError(SaidwhatError):
    """The trained model is missing, corrupt, or incompatible with this version."""


class StoreError(SaidwhatError):
    """The embedded store cannot be opened, migrated or written."""
