"""Export a store's attributions: JSON Lines (the ``Store.search`` shape), CSV or Parquet (flat).

The flat form (CSV, Parquet, and ``flat()`` for tables) has one row per attribution with the
columns in ``COLUMNS``. ``targets`` (articles stored with stance) lists what the statement is
about: ``[{"name", "kind", "stance", "probability", "key", "speaker_id"}]`` (``key`` and
``speaker_id``: the collection's target, see ``Store.search``); a JSON text in CSV, a list of
structs in Parquet, empty (CSV) or null (Parquet) where stance did not run.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Union

from .store import Store

COLUMNS = ("id", "type", "content_text", "cue_text", "source_text", "speaker_id", "speaker_name",
           "speaker_kind", "article_speaker", "cluster_id", "confidence", "content_start", "content_end",
           "article_id", "article_hash", "article_ext_id", "title", "url", "outlet", "published", "targets")
TARGET_FIELDS = ("name", "kind", "stance", "probability", "key", "speaker_id")
FORMATS = ("jsonl", "csv", "parquet")


def flat(d: dict[str, Any], json_targets: bool = True) -> dict[str, Any]:
    """One attribution (``Store.search`` shape) as a flat row of ``COLUMNS``; ``targets`` as a
    JSON text (``json_targets``) or a list of dicts."""
    art = d.get("article") or {}
    targets = d.get("targets")
    if targets is not None:
        targets = [{k: t.get(k) for k in TARGET_FIELDS} for t in targets]
        if json_targets:
            targets = json.dumps(targets, ensure_ascii=False)
    return {"id": d["id"], "type": d["type"], "content_text": d["content_text"], "cue_text": d.get("cue_text"),
            "source_text": d.get("source_text"), "speaker_id": d.get("speaker_id"),
            "speaker_name": d.get("speaker_name"), "speaker_kind": d.get("speaker_kind"),
            "article_speaker": (d.get("speaker") or {}).get("name"), "cluster_id": d.get("cluster_id"),
            "confidence": d.get("confidence"), "content_start": d["content"][0], "content_end": d["content"][1],
            "article_id": art.get("id"), "article_hash": art.get("hash"), "article_ext_id": art.get("ext_id"),
            "title": art.get("title"), "url": art.get("url"), "outlet": art.get("outlet"),
            "published": art.get("published"), "targets": targets}


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for d in rows:
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for d in rows:
        writer.writerow(flat(d))
        n += 1
    return n


def _batches(rows: Iterable[dict[str, Any]], size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
    buf: list[dict[str, Any]] = []
    for d in rows:
        buf.append(flat(d, json_targets=False))
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def write_parquet(rows: Iterable[dict[str, Any]], path: Union[str, Path]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = pa.struct([("name", pa.string()), ("kind", pa.string()), ("stance", pa.string()),
                        ("probability", pa.float64()), ("key", pa.string()), ("speaker_id", pa.int64())])
    types = {"id": pa.int64(), "speaker_id": pa.int64(), "cluster_id": pa.int64(), "confidence": pa.float64(),
             "content_start": pa.int64(), "content_end": pa.int64(), "article_id": pa.int64(),
             "targets": pa.list_(target)}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for batch in _batches(rows):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def export(store: Store, format: str, out: Union[str, Path, IO[str]]) -> int:
    """Write every attribution of ``store`` to ``out`` (a path, or a text stream for jsonl/csv);
    return how many."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}: use one of {', '.join(FORMATS)}")
    rows = store.iter_attributions()
    if format == "parquet":
        if not isinstance(out, (str, Path)):
            raise ValueError("Parquet export needs a file path (--output)")
        return write_parquet(rows, out)
    writer = write_jsonl if format == "jsonl" else write_csv
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as f:
            return writer(rows, f)
    return writer(rows, out)
