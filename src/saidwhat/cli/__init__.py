"""The ``saidwhat`` command: thin shells over the library (each command parses, calls, reports).

Exit status: 0 done; 1 some inputs failed (each named on standard error, the rest done); 2
nothing could be done: a usage error, or an error the user can fix (an unwritable ``-o``, a full
disk, a damaged store), always told in one line (``main``), never as a traceback.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import sys
from typing import Optional, Sequence

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
                  pretty_exceptions_enable=False,
                  help="Who said what: find, resolve, store and search attributions in news.")

# Each module registers its commands on ``app``.
from . import extract as _extract  # noqa: E402,F401

for _name in ("collection", "serve", "stance"):
    try:
        __import__(f"{__name__}.{_name}")
    except ModuleNotFoundError as _e:  # a layer not built yet
        if _e.name != f"{__name__}.{_name}":
            raise


def describe(exc: BaseException) -> str:
    """One line that says what went wrong and, where it helps, what to do."""
    from ..errors import SaidwhatError

    if isinstance(exc, SaidwhatError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        what = exc.strerror or str(exc) or type(exc).__name__
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"{where}{what}: free some space and run it again"
        return f"{where}{what}"
    if isinstance(exc, sqlite3.DatabaseError):
        text = str(exc)
        if "full" in text:
            return f"the store cannot be written ({text}): free some space and run it again; what was committed is kept"
        if isinstance(exc, sqlite3.OperationalError):
            return f"the store cannot be used ({text})"
        return (f"the store is damaged ({text}): check it with sqlite3 FILE 'PRAGMA integrity_check', "
                "or ingest again into a new one")
    if isinstance(exc, OverflowError):
        return f"a number is too large ({exc})"
    if isinstance(exc, MemoryError):
        return "out of memory"
    return f"{type(exc).__name__}: {exc} (unexpected: please report it)"


def main(argv: Optional[Sequence[str]] = None) -> None:
    """The ``saidwhat`` command; errors end in one line on standard error (exit status 2)."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="saidwhat")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("saidwhat: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except BrokenPipeError:  # the reader of our output left (| head): not an error of ours
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        raise SystemExit(1) from None
    except Exception as exc:  # noqa: BLE001 - the one place every error becomes one line
        print(f"saidwhat: error: {describe(exc)}", file=sys.stderr)
        raise SystemExit(2) from None
