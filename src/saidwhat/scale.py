"""Scale out: the same extraction on a Dask cluster, written as partitioned Parquet, then loaded.

``run_dask(paths, out_dir, scheduler=None, workers=2)`` reads and keys the articles here (as
ingest does), sends batches to the cluster, where each task runs ``extract_partition``: the very
``ingest.extract_batch`` that local ingest runs, then writes its batch as one Parquet file
``part-<digest>.parquet`` into ``out_dir`` (a local folder, or any URI pyarrow can write to, such
as ``s3://bucket/run1``: on a real cluster it must be storage every worker can reach). A part is
written under a temporary name and renamed when complete, so a killed run leaves whole parts only,
and a rerun skips the parts that already exist. ``load(out_dir, store)`` brings the parts into
the store (one transaction per part; articles already stored are skipped by their hash).

With no ``scheduler`` address, a ``LocalCluster`` of ``workers`` processes is started here and
closed at the end. Each Parquet row is one article: ``hash``, ``location``, ``ext_id``,
``outlet``, ``published``, ``n_attributions``, ``article`` (``Article.to_json()``, null when it
failed), ``stage`` and ``error`` (why it failed).
"""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from .errors import InputError
from .ingest import (Failure, IngestReport, Item, Progress, Stored, extract_batch, new_items, read_items,
                     task_size)
from .model import Article
from .store import Store

PART_PREFIX = "part-"


def _schema():
    import pyarrow as pa

    return pa.schema([("hash", pa.string()), ("location", pa.string()), ("ext_id", pa.string()),
                      ("outlet", pa.string()), ("published", pa.string()), ("n_attributions", pa.int32()),
                      ("article", pa.string()), ("stage", pa.string()), ("error", pa.string())])


def _filesystem(out_dir: str):
    from pyarrow import fs

    return fs.FileSystem.from_uri(out_dir if "://" in out_dir else str(Path(out_dir).resolve()))


def part_name(items: list[Item]) -> str:
    """A batch's file name, from the hashes and locations of its articles (a rerun finds it)."""
    h = hashlib.sha1()
    for it in items:
        h.update(it.hash.encode() + b"\0" + it.location.encode("utf-8", "surrogatepass") + b"\n")
    return f"{PART_PREFIX}{h.hexdigest()[:20]}.parquet"


def write_part(out_dir: str, name: str, stored: list[Stored], failures: list[Failure]) -> None:
    """One Parquet part: the stored articles and the failures of a batch, written atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for article, h, location in stored:
        rows.append({"hash": h, "location": location, "ext_id": article.id, "outlet": article.outlet,
                     "published": article.published, "n_attributions": len(article.attributions),
                     "article": article.to_json(), "stage": None, "error": None})
    for location, stage, reason, h in failures:
        rows.append({"hash": h, "location": location, "ext_id": None, "outlet": None, "published": None,
                     "n_attributions": 0, "article": None, "stage": stage, "error": reason})
    table = pa.Table.from_pylist(rows, schema=_schema())
    filesystem, root = _filesystem(out_dir)
    filesystem.create_dir(root, recursive=True)
    tmp = f"{root}/.{name}.tmp"
    pq.write_table(table, tmp, filesystem=filesystem, compression="zstd")
    filesystem.move(tmp, f"{root}/{name}")


def extract_partition(items: list[Item], out_dir: str, batch_size: int = 32,
                      stance: bool = False) -> dict[str, int]:
    """The Dask task: ``ingest.extract_batch`` on one batch (with ``stance``, targets and their
    stance too: they travel in the part's article JSON), written as one Parquet part."""
    name = part_name(items)
    stored, failures = extract_batch(items, batch_size, stance)
    write_part(out_dir, name, stored, failures)
    return {"articles": len(stored), "failures": len(failures),
            "attributions": sum(len(a.attributions) for a, _, _ in stored)}


def _existing_parts(out_dir: str) -> set[str]:
    from pyarrow import fs

    filesystem, root = _filesystem(out_dir)
    info = filesystem.get_file_info(fs.FileSelector(root, allow_not_found=True))
    return {Path(i.path).name for i in info if i.type == fs.FileType.File}


def part_hashes(out_dir: Union[str, Path]) -> set[str]:
    """The hashes of the articles already extracted into parts of ``out_dir``."""
    import pyarrow.parquet as pq

    filesystem, root = _filesystem(str(out_dir))
    found: set[str] = set()
    for name in part_files(out_dir):
        table = pq.read_table(f"{root}/{name}", columns=["hash", "error"], filesystem=filesystem)
        found.update(h for h, e in zip(table.column("hash").to_pylist(), table.column("error").to_pylist())
                     if h and e is None)
    return found


def run_dask(paths: Iterable[Union[str, Path]], out_dir: Union[str, Path], *, scheduler: Optional[str] = None,
             workers: int = 2, processes: bool = True, batch_size: int = 32, store: Optional[Store] = None,
             progress: Optional[Progress] = None, stance: bool = False) -> IngestReport:
    """Extract ``paths`` on a Dask cluster (``scheduler`` address, else a LocalCluster of
    ``workers``) into Parquet parts under ``out_dir``. Articles already in ``store`` (when given)
    are not sent. ``report.added`` counts the articles extracted into parts by this run.
    ``stance``: as for ``ingest.ingest``."""
    from dask.distributed import Client, LocalCluster, as_completed

    out_dir = str(out_dir)
    report = IngestReport()
    start = time.perf_counter()
    read_failures: list[Failure] = []
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError) as e:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e
    else:
        cluster = LocalCluster(n_workers=max(1, int(workers)), threads_per_worker=1, processes=processes,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        done = part_hashes(out_dir)  # a rerun goes on where the last one stopped
        pending = as_completed()
        in_flight = 0
        limit = 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers)

        def collect(future) -> None:
            result = future.result()
            report.added += result["articles"]
            report.failed += result["failures"]
            report.attributions += result["attributions"]
            report.seconds = time.perf_counter() - start
            if progress is not None:
                progress(report)

        for chunk in new_items(read_items(paths, read_failures), store, report, task_size(batch_size, 2)):
            fresh = [it for it in chunk if it.hash not in done]
            report.known += len(chunk) - len(fresh)
            if not fresh:
                continue
            chunk = fresh
            pending.add(client.submit(extract_partition, chunk, out_dir, batch_size, stance, pure=False))
            in_flight += 1
            while in_flight >= limit:
                collect(next(pending))
                in_flight -= 1
        for future in pending:
            collect(future)
        if read_failures:
            digest = hashlib.sha1("\n".join(f"{f[0]}\0{f[2]}" for f in read_failures).encode(
                "utf-8", "surrogatepass")).hexdigest()[:20]
            write_part(out_dir, f"{PART_PREFIX}read-{digest}.parquet", [], read_failures)
            report.failed += len(read_failures)
            report.failures.extend(read_failures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    report.seconds = time.perf_counter() - start
    return report


def part_files(out_dir: Union[str, Path]) -> list[str]:
    return sorted(n for n in _existing_parts(str(out_dir)) if n.startswith(PART_PREFIX) and n.endswith(".parquet"))


def load(out_dir: Union[str, Path], store: Store, *, progress: Optional[Progress] = None,
         resolve_speakers: bool = True) -> IngestReport:
    """Bring the Parquet parts of ``out_dir`` into ``store``; a part is one transaction."""
    import pyarrow.parquet as pq

    out_dir = str(out_dir)
    filesystem, root = _filesystem(out_dir)
    names = part_files(out_dir)
    if not names:
        raise InputError(f"{out_dir}: no Parquet parts ({PART_PREFIX}*.parquet) here")
    report = IngestReport()
    start = time.perf_counter()
    for name in names:
        table = pq.read_table(f"{root}/{name}", filesystem=filesystem)
        stored: list[Stored] = []
        failures: list[Failure] = []
        for row in table.to_pylist():
            report.read += 1
            if row["article"] is not None:
                stored.append((Article.from_dict(json.loads(row["article"])), row["hash"], row["location"]))
            else:
                failures.append((row["location"], row["stage"] or "extract", row["error"] or "unknown", row["hash"]))
        known = store.known(h for _, h, _ in stored)
        added = store.add_articles(stored, failures)
        report.added += added
        report.known += len(stored) - added
        report.attributions += sum(len(a.attributions) for a, h, _ in stored if h not in known)
        report.failed += len(failures)
        report.failures.extend(failures)
        report.seconds = time.perf_counter() - start
        if progress is not None:
            progress(report)
    if resolve_speakers:
        from . import crossdoc
        crossdoc.resolve(store)
    report.seconds = time.perf_counter() - start
    return report
