"""Imported once by the fork server of saidwhat's worker processes (``pool.context``):

- the fork server exits as soon as the process that started it is gone (even after
  ``kill -9``), and with it every worker (they ask for SIGKILL when it ends, ``pool.exit_with``);
- spaCy and the tagger are loaded here, so that each worker forked from it starts with them
  loaded (and shares their memory).

Never raises: a worker that finds nothing loaded loads it itself.
"""
import os

try:
    from saidwhat.pool import exit_with

    exit_with(os.getppid(), deathsig=False)  # the thread that started it may end before it
except Exception:  # noqa: BLE001
    pass
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
