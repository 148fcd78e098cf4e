"""Ingest: read a collection, extract who said what, store it; resumable and crash-safe.

``ingest(paths, store)`` reads files, folders, JSON Lines and WARC crawls (``read``), keys each
article by the hash of its text, skips the ones the store already holds, extracts the rest with
``pipeline.extract_many`` in batches (``extract_batch``, the one extraction function that the
local workers and the Dask engine in ``scale`` also call) and stores each batch in one transaction
(``Store.add_articles``). Killed at any moment (``kill -9``) and run again, it skips what was
committed and finishes the rest: every article exactly once. An input that cannot be read or
extracted goes to the store's ``failures`` table with its reason and never stops the batch. At the
end, speakers are resolved across articles (``crossdoc.resolve``).
"""
from __future__ import annotations

import os
import sqlite3
import time
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from .errors import InputError
from .model import Article
from .store import Store, text_hash

RECENT = 200_000  # hashes of the input remembered beyond the store's, against duplicates in flight
Failure = tuple[str, str, str, Optional[str]]       # (location, stage, reason, hash)
Stored = tuple[Article, str, Optional[str]]         # (article, hash, location)
Progress = Callable[["IngestReport"], None]


@dataclass
class Item:
    """An article read and keyed, waiting for extraction."""

    location: str
    hash: str
    article: Article


@dataclass
class IngestReport:
    read: int = 0            # articles read (new or not)
    added: int = 0           # new articles stored
    known: int = 0           # already in the store (or twice in the input): skipped
    attributions: int = 0    # attributions in the articles added
    failed: int = 0          # inputs that failed (read or extract)
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.added / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {"read": self.read, "added": self.added, "known": self.known,
                "attributions": self.attributions, "failed": self.failed,
                "seconds": round(self.seconds, 3), "articles_per_s": round(self.rate, 3),
                "failures": [{"location": f[0], "stage": f[1], "reason": f[2]} for f in self.failures]}


def extract_batch(items: list[Item], batch_size: int = 32, stance: bool = False) -> tuple[list[Stored], list[Failure]]:
    """Extract who said what from a batch of read articles: THE extraction step of every engine
    (in process, ``--workers N`` processes, Dask). Failures come back, they are never raised.
    ``stance``: also the targets of every attribution and their stance (``extract(stance=True)``)."""
    from .pipeline import extract_many

    failed: dict[int, str] = {}

    def on_error(item_id: str, exc: BaseException) -> None:
        failed[int(item_id)] = f"{type(exc).__name__}: {exc}"

    # each article goes in under its position, so a failure maps back to its input
    inputs = [Article(id=str(i), text=it.article.text, title=it.article.title, url=it.article.url,
                      outlet=it.article.outlet, published=it.article.published) for i, it in enumerate(items)]
    stored: list[Stored] = []
    done: set[int] = set()
    for out in extract_many(inputs, batch_size=batch_size, on_error=on_error, stance=stance):
        i = int(out.id)
        done.add(i)
        out.id = items[i].article.id
        stored.append((out, items[i].hash, items[i].location))
    failures = [(it.location, "extract", failed.get(i, "no result from the extractor"), it.hash)
                for i, it in enumerate(items) if i not in done]
    return stored, failures


def read_items(paths: Iterable[Union[str, Path]], failures: list[Failure]) -> Iterator[Item]:
    """Read and key every article of ``paths``; what cannot be read is appended to ``failures``."""
    from .read import read_located

    for location, item in read_located(paths):
        if isinstance(item, InputError):
            failures.append((location, "read", str(item), None))
        else:
            yield Item(location, text_hash(item.text), item)


def new_items(items: Iterable[Item], store: Optional[Store], report: IngestReport,
              chunk: int) -> Iterator[list[Item]]:
    """Chunks of ``items`` neither in ``store`` nor earlier in the input. Recent hashes are
    remembered here (at most ``RECENT`` of them, memory stays flat on any input); older ones
    have been committed by then and the store knows them."""
    seen: OrderedDict[str, None] = OrderedDict()
    buf: list[Item] = []

    def flush() -> list[Item]:
        known = store.known(it.hash for it in buf) if store is not None else set()
        fresh = []
        for it in buf:
            if it.hash in known or it.hash in seen:
                report.known += 1
            else:
                seen[it.hash] = None
                if len(seen) > RECENT:
                    seen.popitem(last=False)
                fresh.append(it)
        return fresh

    for it in items:
        report.read += 1
        buf.append(it)
        if len(buf) >= chunk:
            fresh = flush()
            buf = []
            if fresh:
                yield fresh
    if buf:
        fresh = flush()
        if fresh:
            yield fresh


def task_size(batch_size: int, workers: int) -> int:
    """Articles per task: a whole batch in one process; with several workers, smaller tasks
    (at most 8 articles) so that they share the work evenly."""
    return max(1, batch_size if workers <= 1 else min(batch_size, 8))


def _init_worker(parent: Optional[int] = None) -> None:
    if parent is not None:  # die with the ingest, even after kill -9 (the pool's queues would not tell)
        from .pool import exit_with

        exit_with(parent)
    try:  # one process per core: keep each one single-threaded
        import torch
        torch.set_num_threads(1)
    except Exception:
        pass


def _worker_context():
    """A fork server that has loaded the pipeline (workers start warm and share its memory, and
    die with this process: ``pool.context``), else spawn."""
    from .pool import context

    return context()


def ingest(paths: Iterable[Union[str, Path]], store: Store, *, workers: int = 1, batch_size: int = 32,
           progress: Optional[Progress] = None, resolve_speakers: bool = True,
           stance: bool = False) -> IngestReport:
    """Read ``paths``, extract the articles the store lacks and store them, batch by batch.

    ``workers`` > 1 extracts in that many processes (each runs ``extract_batch``; this process
    reads and writes). ``progress(report)`` is called after every stored batch. ``stance``:
    also store each attribution's targets and their stance (about 4x the extraction time;
    articles already stored are skipped as always, so they keep what they were stored with).
    """
    report = IngestReport()
    start = time.perf_counter()
    pending_failures: list[Failure] = []

    def commit(stored: list[Stored], failures: list[Failure]) -> None:
        failures = failures + pending_failures
        pending_failures.clear()
        added: set[str] = set()
        try:
            store.add_articles(stored, failures)
            added |= store.last_added
        except (sqlite3.OperationalError, KeyboardInterrupt):
            raise  # a locked or full database, or the user: stop, a rerun resumes
        except Exception:  # one article the store cannot take: store the others one by one
            kept = []
            for one in stored:
                try:
                    store.add_articles([one])
                    added |= store.last_added
                    kept.append(one)
                except sqlite3.OperationalError:
                    raise
                except Exception as e:
                    failures.append((one[2] or one[0].id, "store", f"{type(e).__name__}: {e}", one[1]))
            stored = kept
            store.add_articles([], failures)
        # an article another ingest stored meanwhile counts as known, so that read = added +
        # known + failed holds for each of several ingests into one store
        report.added += len(added)
        report.known += len(stored) - len(added)
        report.attributions += sum(len(a.attributions) for a, h, _ in stored if h in added)
        report.failed += len(failures)
        report.failures.extend(failures)
        report.seconds = time.perf_counter() - start
        if progress is not None:
            progress(report)

    workers = max(1, int(workers))
    chunks = new_items(read_items(paths, pending_failures), store, report, task_size(batch_size, workers))
    if workers == 1:
        for chunk in chunks:
            commit(*extract_batch(chunk, batch_size, stance))
    else:
        with ProcessPoolExecutor(workers, mp_context=_worker_context(), initializer=_init_worker,
                                 initargs=(os.getpid(),)) as pool:
            running: set[Future] = set()
            for chunk in chunks:
                running.add(pool.submit(extract_batch, chunk, batch_size, stance))
                if len(running) >= 2 * workers:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for f in done:
                        commit(*f.result())
            for f in running:
                commit(*f.result())
    if pending_failures:
        commit([], [])
    if resolve_speakers:
        from . import crossdoc
        crossdoc.resolve(store)
    report.seconds = time.perf_counter() - start
    return report


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))
