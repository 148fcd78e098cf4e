"""The server's read-only view of a collection: ``saidwhat.store.Store`` plus what a page needs.

Every query goes through ``Store``'s documented API, opened with ``readonly=True`` (SQLite
``mode=ro``), behind one lock (one connection, many request threads). Where the Store API has no
call for something the pages need, this adapter adds it, reading the store's documented tables
with parameterised SQL only:

- ``search`` returns ``{"total", "limit", "offset", "results"}`` and gives each result its
  position in its article (``seq``), so a result links to ``/articles/ID#aSEQ``;
- ``article`` adds the store's ``store_id``/``hash`` and, on each attribution, the collection-wide
  ``speaker_id``/``speaker_name`` and the ``cluster_id`` (``Store.article`` returns a bare ``Article``);
- ``speaker`` adds the weekly ``timeline`` (``Store.speaker_timeline``), recent ``attributions``,
  ``mentions``: the collection speakers (people and organisations) whose names occur most
  often in this speaker's quotes (names and capitalised aliases matched word by word),
  ``targets``: how they talk about (their most frequent targets with counts by stance,
  ``Store.stance_summary(by="target")``) and ``talked_about``: who talks about them, and how;
- ``article`` also gives each target its collection ``key``, ``speaker_id`` and ``speaker_name``.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Optional, Union

from ..store import Store

MENTION_QUOTES = 1000     # the speaker's most recent quotes scanned for names
MENTION_SPEAKERS = 5000   # the collection's top speakers whose names are looked for
NAMES_TTL_S = 60.0
TOP_TARGETS = 12          # targets (and speakers talking about them) on a speaker's page        # the name index is rebuilt at most this often (an ingest may be running)
_WORD = re.compile(r"[\w’'.-]+", re.UNICODE)


def _row_id(id: str) -> Optional[int]:
    """A row id from a URL part: digits that fit SQLite's integers, else None (a 404)."""
    return int(id) if str(id).isdigit() and len(str(id)) <= 18 else None


def _words(text: str) -> list[str]:
    return [w.strip(".’'-").lower() for w in _WORD.findall(text) if w.strip(".’'-")]


class Collection:
    def __init__(self, path: Union[str, Path], check: bool = True) -> None:
        self.store = Store(path, readonly=True)
        self.lock = threading.Lock()
        self._names: Optional[tuple[float, dict[tuple[str, ...], dict[str, Any]], int]] = None
        self.damaged: Optional[str] = None
        self.checked = not check
        if check:  # SQLite's quick_check reads every page: in the background, on its own connection
            threading.Thread(target=self._check, name="saidwhat-store-check", daemon=True).start()

    def _check(self) -> None:
        try:
            with Store(self.store.path, readonly=True) as store:
                result = [r[0] for r in store.conn.execute("PRAGMA quick_check(5)")]
            if result != ["ok"]:
                self.mark_damaged("; ".join(str(r) for r in result))
        except sqlite3.DatabaseError as e:
            self.mark_damaged(str(e))
        except Exception:  # noqa: BLE001 - a check that cannot run says nothing
            pass
        finally:
            self.checked = True

    def mark_damaged(self, reason: str) -> None:
        """A query met a damaged page: ``/api/health`` reports it from now on."""
        self.damaged = self.damaged or reason[:500]

    def health(self) -> str:
        """``ok``, ``checking`` (the first check still runs) or ``damaged: ...``."""
        if self.damaged:
            return f"damaged: {self.damaged} (sqlite3 {self.store.path} 'PRAGMA integrity_check')"
        return "ok" if self.checked else "checking"

    def close(self) -> None:
        self.store.close()

    # -- search --------------------------------------------------------------------------------
    def search(self, q: Optional[str] = None, speaker: Optional[str] = None, outlet: Optional[str] = None,
               since: Optional[str] = None, until: Optional[str] = None, type: Optional[str] = None,
               limit: int = 50, offset: int = 0, about: Optional[str] = None,
               stance: Optional[str] = None, min_confidence: Optional[float] = None) -> dict[str, Any]:
        filters = dict(text=q, speaker=speaker, outlet=outlet, since=since, until=until, type=type,
                       about=about, stance=stance, min_confidence=min_confidence)
        with self.lock:
            results = self.store.search(**filters, limit=limit, offset=offset)
            total = self.store.count_search(**filters)
            self._add_seq(results)
        return {"total": total, "limit": limit, "offset": offset, "results": results}

    def _add_seq(self, results: list[dict[str, Any]]) -> None:
        ids = [int(r["id"]) for r in results]
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        seqs = dict(self.store.conn.execute(f"SELECT id, seq FROM attributions WHERE id IN ({marks})", ids))
        for r in results:
            r["seq"] = seqs.get(int(r["id"]))

    # -- speakers ------------------------------------------------------------------------------
    def speakers(self, q: Optional[str] = None, limit: int = 50, offset: int = 0,
                 kind: Optional[str] = None, gender: Optional[str] = None) -> dict[str, Any]:
        with self.lock:
            results = self.store.speakers(limit=limit, offset=offset, name=q or None, kind=kind or None,
                                          gender=gender or None)
            total = self.store.count_speakers() if not (q or kind or gender) else None
        return {"total": total, "limit": limit, "offset": offset, "results": results}

    def speaker(self, id: str) -> Optional[dict[str, Any]]:
        rid = _row_id(id)
        if rid is None:
            return None
        with self.lock:
            found = self.store.speaker(rid)
            if found is None:
                return None
            found["timeline"] = self.store.speaker_timeline(rid)
            found["attributions"] = self.store.search(speaker=rid, limit=MENTION_QUOTES)
            self._add_seq(found["attributions"])
            found["mentions"] = self._mentions(found)
            found["targets"] = self.store.stance_summary(speaker=rid, by="target", limit=TOP_TARGETS)["rows"]
            found["talked_about"] = self.store.stance_summary(about=rid, by="speaker", limit=TOP_TARGETS)["rows"]
        found["attributions"] = found["attributions"][:20]
        return found

    def speaker_targets(self, id: str, limit: int = 20) -> Optional[dict[str, Any]]:
        """How a speaker talks about: ``{"speaker": {"id", "name", "kind"}, "targets": [rows of
        Store.stance_summary(by="target")], "total"}``; None for an unknown speaker."""
        rid = _row_id(id)
        if rid is None:
            return None
        with self.lock:
            found = self.store.speaker(rid)
            if found is None:
                return None
            summary = self.store.stance_summary(speaker=rid, by="target", limit=limit)
        return {"speaker": {k: found[k] for k in ("id", "name", "kind")}, "targets": summary["rows"],
                "total": summary["total"]}

    def stance_summary(self, **kwargs: Any) -> dict[str, Any]:
        with self.lock:
            return self.store.stance_summary(**kwargs)

    def _name_index(self) -> dict[tuple[str, ...], dict[str, Any]]:
        """Word tuples of every top speaker's name and capitalised aliases -> the speaker."""
        now = time.monotonic()
        if self._names is not None and now - self._names[0] < NAMES_TTL_S:
            return self._names[1]
        index: dict[tuple[str, ...], dict[str, Any]] = {}
        for sp in self.store.speakers(limit=MENTION_SPEAKERS):
            info = {"id": sp["id"], "name": sp["name"], "kind": sp["kind"]}
            for name in [sp["name"], *(a["alias"] for a in sp.get("aliases", []))]:
                if not name or not name[:1].isupper():
                    continue  # "the prime minister", "she": not a name
                key = tuple(_words(name))
                if key and (len(key) > 1 or len(key[0]) >= 3):
                    index.setdefault(key, info)
        self._names = (now, index, max((len(k) for k in index), default=1))
        return index

    def _mentions(self, speaker: dict[str, Any], top: int = 12) -> list[dict[str, Any]]:
        index = self._name_index()
        longest = self._names[2] if self._names else 1
        counts: Counter = Counter()
        infos: dict[Any, dict[str, Any]] = {}
        for att in speaker["attributions"]:
            words = _words(att.get("content_text") or "")
            seen = set()
            i = 0
            while i < len(words):
                for n in range(min(longest, len(words) - i), 0, -1):
                    hit = index.get(tuple(words[i:i + n]))
                    if hit is not None:
                        if hit["id"] != speaker["id"]:
                            seen.add(hit["id"])
                            infos[hit["id"]] = hit
                        i += n - 1
                        break
                i += 1
            counts.update(seen)
        return [{**infos[sid], "count": n} for sid, n in counts.most_common(top)]

    def sources_report(self, by: str = "outlet", since: Optional[str] = None, until: Optional[str] = None,
                       outlet: Optional[str] = None, min_confidence: Optional[float] = None) -> dict[str, Any]:
        with self.lock:
            return self.store.sources_report(by=by, since=since, until=until, outlet=outlet,
                                             min_confidence=min_confidence)

    # -- articles and clusters ---------------------------------------------------------------
    def article(self, id: str) -> Optional[dict[str, Any]]:
        if len(str(id)) > 200 or (str(id).isdigit() and int(id) >= 2 ** 63):
            return None  # Store._article_row would raise OverflowError on such an int
        with self.lock:
            info = self.store.article_info(id)
            article = self.store.article(id)
            if info is None or article is None:
                return None
            rows = self.store.conn.execute(
                "SELECT a.seq, a.id, a.speaker_id, s.name, a.cluster_id FROM attributions a"
                " LEFT JOIN speakers s ON s.id = a.speaker_id WHERE a.article_id = ? ORDER BY a.seq",
                (int(info["id"]),)).fetchall()
            links = self.store.targets_of(r[1] for r in rows)
        d = article.to_dict()
        d["store_id"], d["hash"] = info["id"], info["hash"]
        by_seq = {r[0]: r for r in rows}
        for seq, att in enumerate(d["attributions"]):
            r = by_seq.get(seq)
            att["attribution_id"] = r[1] if r else None
            att["speaker_id"] = r[2] if r else None
            att["speaker_name"] = r[3] if r else None
            att["cluster_id"] = r[4] if r else None
            stored = {t["seq"]: t for t in links.get(r[1], [])} if r else {}
            for k, t in enumerate(att.get("targets") or []):
                link = stored.get(k) or {}
                t["key"] = link.get("key")
                t["speaker_id"] = link.get("speaker_id")
                t["speaker_name"] = link.get("speaker_name")
        return d

    def cluster(self, id: str) -> Optional[dict[str, Any]]:
        rid = _row_id(id)
        if rid is None:
            return None
        with self.lock:
            found = self.store.cluster(rid)
            if found is not None:
                self._add_seq(found["attributions"])
        return found

    def stats(self) -> dict[str, int]:
        with self.lock:
            return self.store.stats()
