"""Imported once by the fork server of saidwhat's worker processes (``pool.context``): loads
spaCy and the tagger there, so that each worker forked from it starts with them loaded.
Never raises: a worker that finds nothing loaded loads it itself."""
try:
    import torch

    torch.set_num_threads(1)
    from saidwhat import parse, tagger

    parse.load()
    tagger.get_model()
except Exception:  # noqa: BLE001
    pass
try:  # what the server's workers unpickle their job from
    import saidwhat.api  # noqa: F401
except Exception:  # noqa: BLE001
    pass
