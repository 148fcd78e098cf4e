"""Work in processes that can be stopped: the server's extraction pool, and child processes that
die with their parent.

``ExtractPool(job, workers=1, timeout=30, max_memory_mb=2048, queue=8)`` keeps ``workers``
processes that each run ``job(payload)`` (a module-level function, e.g. ``api.extract_job``)
one call at a time. The processes are forked from multiprocessing's fork server, which loads
spaCy and the tagger once (``saidwhat._preload``), so a new worker is ready in about a second.

- ``run(payload)`` waits at most ``timeout`` seconds for a free worker (else ``PoolBusy``), then
  at most ``timeout`` seconds for the result: past it the worker is killed (SIGKILL) and
  replaced, and ``ExtractTimeout`` is raised. Nothing keeps running for a request nobody waits for.
- At most ``workers + queue`` calls are admitted at once; the next ones get ``PoolBusy`` at once.
- A worker whose resident memory (RSS, read every 0.1 s from ``/proc``) passes ``max_memory_mb``
  is killed and replaced, and its call gets ``WorkerLost``; a worker left above 3/4 of it after
  a call is replaced. A worker that dies (a crash, the kernel's OOM killer) is replaced too.
- An exception in ``job`` comes back as ``JobError`` (its type and message), the worker goes on.
- Workers exit when the process that started them does, even after ``kill -9`` (``exit_with``).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import queue as queue_mod
import signal
import sys
import threading
import time
from typing import Any, Callable, Optional

from .errors import SaidwhatError

log = logging.getLogger("saidwhat.pool")

PRELOAD = "saidwhat._preload"
START_TIMEOUT_S = 300.0   # a worker (and the fork server's model loading) must start within this
POLL_S = 0.1              # how often a busy worker's memory is read


class PoolBusy(SaidwhatError):
    """Every worker is busy and the queue is full (or the wait for a worker timed out)."""


class ExtractTimeout(SaidwhatError):
    """The job ran past the pool's time limit; its worker was killed and replaced."""


class WorkerLost(SaidwhatError):
    """The worker died or passed the memory limit during the job; it was replaced."""


class JobError(SaidwhatError):
    """The job raised: ``kind`` is the exception's type name (the message is the exception's)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# ---------------------------------------------------------------- dying with the parent

def exit_with(pid: int, deathsig: bool = True) -> None:
    """End this process (``os._exit``) as soon as process ``pid`` is gone, whatever killed it:
    a watcher thread waits on a pidfd (Linux), else polls every second. With ``deathsig``, also
    asks Linux to SIGKILL this process when the thread that created it ends
    (``PR_SET_PDEATHSIG``): immediate, even while this process holds the GIL for seconds.

    Workers are forked by multiprocessing's fork server, which outlives the process that started
    it as long as a worker lives (they hold its "alive" pipe): so the fork server watches that
    process (``saidwhat._preload``) and the workers die with the fork server (deathsig)."""
    if deathsig and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001 - the watcher below still works
            pass
    try:
        fd = os.pidfd_open(pid)  # type: ignore[attr-defined]
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        fd = None

    def watch() -> None:
        if fd is not None:
            import select

            select.select([fd], [], [])
            os._exit(1)
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="saidwhat-exit-with-parent", daemon=True).start()


def context() -> Any:
    """The multiprocessing context of saidwhat's workers: a fork server that has loaded the
    pipeline (``PRELOAD``), else spawn where there is no fork server."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([PRELOAD])
        return ctx
    return multiprocessing.get_context("spawn")


def rss_mb(pid: int) -> Optional[float]:
    """Resident memory of process ``pid`` in MB, None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return None


# ---------------------------------------------------------------- the worker process

def _worker_main(conn: Any, job: Callable[[Any], Any], parent: int) -> None:
    exit_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C in the server's terminal is the server's
    try:
        import torch

        torch.set_num_threads(1)
    except Exception:  # noqa: BLE001
        pass
    try:
        job(None)  # warm up (None: load what the job needs, return)
    except Exception:  # noqa: BLE001 - the first real call reports it
        pass
    conn.send(("ready", os.getpid()))
    while True:
        try:
            payload = conn.recv()
        except (EOFError, OSError):
            return
        if payload is None:
            return
        try:
            result = ("ok", job(payload))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back, the worker goes on
            result = ("error", type(exc).__name__, str(exc)[:2000])
        try:
            conn.send(result)
        except (EOFError, OSError, BrokenPipeError):
            return


class _Worker:
    def __init__(self, proc: Any, conn: Any) -> None:
        self.proc, self.conn = proc, conn

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(5)
        except Exception:  # noqa: BLE001
            pass
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass


# ---------------------------------------------------------------- the pool

class ExtractPool:
    def __init__(self, job: Callable[[Any], Any], workers: int = 1, timeout: float = 30.0,
                 max_memory_mb: Optional[float] = 2048.0, queue: int = 8) -> None:
        self.job = job
        self.workers = max(1, int(workers))
        self.timeout = float(timeout)
        self.max_memory_mb = float(max_memory_mb) if max_memory_mb else None
        self.capacity = self.workers + max(0, int(queue))
        self._idle: queue_mod.Queue[_Worker] = queue_mod.Queue()
        self._lock = threading.Lock()
        self._admitted = 0
        self._started = False
        self._closed = False
        self._all: set[_Worker] = set()
        self.replaced = 0  # workers killed or lost and replaced (for /api/health and tests)
        self.failing: Optional[str] = None  # why the last worker failed to start, until one starts

    # -- life cycle
    def start(self) -> None:
        """Start the workers in the background (the first ones wait for the fork server to
        load the pipeline); ``run`` calls this itself."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
        for _ in range(self.workers):
            self._spawn_later()

    def _spawn_later(self, delay: float = 0.0) -> None:
        threading.Thread(target=self._spawn, args=(delay,), name="saidwhat-pool-spawn", daemon=True).start()

    def _spawn(self, delay: float) -> None:
        if delay:
            time.sleep(delay)
        if self._closed:
            return
        ctx = context()
        parent_conn, child_conn = ctx.Pipe()
        try:
            proc = ctx.Process(target=_worker_main, args=(child_conn, self.job, os.getpid()),
                               name="saidwhat-extract", daemon=True)
            proc.start()
            child_conn.close()
            if not parent_conn.poll(START_TIMEOUT_S):
                raise TimeoutError(f"no ready signal in {START_TIMEOUT_S:g} s")
            parent_conn.recv()
        except Exception as exc:  # noqa: BLE001 - try again a little later
            log.error("an extraction worker did not start (%s: %s); retrying in 5 s", type(exc).__name__, exc)
            self.failing = f"{type(exc).__name__}: {str(exc)[:200]}"
            try:
                proc.kill()  # type: ignore[possibly-undefined]
            except Exception:  # noqa: BLE001
                pass
            self._spawn_later(5.0)
            return
        worker = _Worker(proc, parent_conn)
        self.failing = None
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.replaced += 1
        self._spawn_later()

    def close(self) -> None:
        """Stop every worker (busy ones are killed)."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()

    # -- state
    @property
    def busy(self) -> int:
        return self._admitted

    def status(self) -> dict[str, Any]:
        with self._lock:
            alive = len(self._all)
        return {"workers": self.workers, "ready": alive, "idle": self._idle.qsize(), "admitted": self._admitted,
                "capacity": self.capacity, "timeout_s": self.timeout, "max_memory_mb": self.max_memory_mb,
                "replaced": self.replaced, "failing": self.failing}

    # -- the call
    def run(self, payload: Any) -> Any:
        """``job(payload)`` in a worker, within the limits (see the module docstring)."""
        self.start()
        with self._lock:
            if self._admitted >= self.capacity:
                raise PoolBusy(f"all {self.workers} extraction worker(s) busy and {self.capacity - self.workers} "
                               "request(s) waiting")
            self._admitted += 1
        try:
            try:
                worker = self._idle.get(timeout=self.timeout)
            except queue_mod.Empty:
                raise PoolBusy(f"no extraction worker free within {self.timeout:g} s") from None
            return self._call(worker, payload)
        finally:
            with self._lock:
                self._admitted -= 1

    def _call(self, worker: _Worker, payload: Any) -> Any:
        deadline = time.monotonic() + self.timeout
        try:
            worker.conn.send(payload)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._replace(worker)
                    raise ExtractTimeout(f"extraction took longer than {self.timeout:g} s")
                if worker.conn.poll(min(POLL_S, left)):
                    reply = worker.conn.recv()
                    break
                if self.max_memory_mb is not None:
                    used = rss_mb(worker.proc.pid)
                    if used is not None and used > self.max_memory_mb:
                        self._replace(worker)
                        raise WorkerLost(f"extraction used more than {self.max_memory_mb:g} MB of memory")
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise WorkerLost(f"the extraction worker died ({type(exc).__name__})") from None
        if self.max_memory_mb is not None:
            used = rss_mb(worker.proc.pid)
            if used is not None and used > 0.75 * self.max_memory_mb:
                self._replace(worker)  # grown: start afresh (the result is still good)
                worker = None  # type: ignore[assignment]
        if worker is not None:
            self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        raise JobError(reply[1], reply[2])
