"""Score predicted attributions against gold ones, exactly as ``shared/eval/score.py`` does.

Spans are compared as sets of word tokens (``\\w+``); lenient = Dice >= 0.5, strict = identical;
each gold item matched to at most one predicted item, greedily, best first. Attribution = content
(lenient) and source (lenient, or both absent) right.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Optional

WORD = re.compile(r"\w+", re.UNICODE)


class _Tokens:
    def __init__(self, text: str):
        self.offsets = [(m.start(), m.end()) for m in WORD.finditer(text)]

    def of(self, span: Optional[list[int]]) -> frozenset[int]:
        if not span:
            return frozenset()
        start, end = span
        return frozenset(i for i, (s, e) in enumerate(self.offsets) if s < end and e > start)


def _dice(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _same_source(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    return _dice(a, b)


def _content(tok: _Tokens, a: dict) -> frozenset[int]:
    parts = a.get("content_parts") or [a["content"]]
    return frozenset().union(*(tok.of(p) for p in parts))


def _match(gold: list, pred: list, score: Any, threshold: float) -> list[tuple[int, int]]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = score(g, p)
            if s >= threshold:
                pairs.append((s, gi, pi))
    pairs.sort(key=lambda t: -t[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    chosen = []
    for s, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        chosen.append((gi, pi))
    return chosen


class _Tally:
    def __init__(self) -> None:
        self.tp = self.n_gold = self.n_pred = 0

    def add(self, tp: int, n_gold: int, n_pred: int) -> None:
        self.tp += tp
        self.n_gold += n_gold
        self.n_pred += n_pred

    def prf(self) -> dict[str, Any]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "gold": self.n_gold, "predicted": self.n_pred, "matched": self.tp}


def _unique(items: Iterable[frozenset]) -> list[frozenset]:
    seen: set[frozenset] = set()
    out = []
    for t in items:
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _attribution_match(tok: _Tokens, g_attrs: list[dict], p_attrs: list[dict]) -> list[tuple[int, int]]:
    """(gold, predicted) index pairs matched at the attribution level: content (lenient) and source
    (lenient, or both absent) right."""
    g_pairs = [(_content(tok, a), tok.of(a.get("source"))) for a in g_attrs]
    p_pairs = [(_content(tok, a), tok.of(a.get("source"))) for a in p_attrs]

    def both(g: tuple, p: tuple) -> float:
        c, s = _dice(g[0], p[0]), _same_source(g[1], p[1])
        return min(c, s) if c >= 0.5 and s >= 0.5 else 0.0

    return _match(g_pairs, p_pairs, both, 0.5)


def attribution_hits(gold: dict, pred_attributions: list[dict]) -> set[int]:
    """Which of ``pred_attributions`` (scorer dicts) the scorer counts right for the gold record
    ``gold`` (with its ``text``): the indices of those matched at the attribution level."""
    return {pi for _, pi in _attribution_match(_Tokens(gold["text"]), gold.get("attributions", []), pred_attributions)}


def score(gold: Iterable[dict], pred: Iterable[dict]) -> dict[str, Any]:
    """Scores of predicted records against gold records (both ``{"id", "attributions", ...}``;
    gold records carry ``text``)."""
    gold_by_id = {g["id"]: g for g in gold}
    pred_by_id: dict[str, dict] = {}
    for p in pred:
        if p.get("id") not in gold_by_id:
            raise ValueError(f"predicted id {p.get('id')!r} is not in the gold file")
        pred_by_id[p["id"]] = p
    names = ["content", "source", "cue"]
    tallies = {f"{n}/{m}": _Tally() for n in names for m in ("lenient", "strict")}
    tallies["attribution"] = _Tally()
    by_type: dict[str, list[int]] = {}
    for doc_id, g_doc in gold_by_id.items():
        tok = _Tokens(g_doc["text"])
        g_attrs = g_doc.get("attributions", [])
        p_attrs = pred_by_id.get(doc_id, {}).get("attributions", [])
        for name in names:
            def span(a: dict, name: str = name) -> frozenset[int]:
                return _content(tok, a) if name == "content" else tok.of(a.get(name))
            g_items = _unique(span(a) for a in g_attrs)
            p_items = _unique(span(a) for a in p_attrs)
            for mode, thr in (("lenient", 0.5), ("strict", 1.0)):
                m = _match(g_items, p_items, _dice, thr)
                tallies[f"{name}/{mode}"].add(len(m), len(g_items), len(p_items))
        m = _attribution_match(tok, g_attrs, p_attrs)
        tallies["attribution"].add(len(m), len(g_attrs), len(p_attrs))
        hit = {gi for gi, _ in m}
        for gi, g in enumerate(g_attrs):
            t = by_type.setdefault(g.get("type", "?"), [0, 0])
            t[0] += gi in hit
            t[1] += 1
    result: dict[str, Any] = {k: t.prf() for k, t in tallies.items()}
    result["attribution_recall_by_type"] = {k: {"recall": round(h / n, 4), "gold": n}
                                            for k, (h, n) in sorted(by_type.items())}
    result["articles"] = len(gold_by_id)
    return result


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def format_table(r: dict[str, Any]) -> str:
    """The same lines ``score.py`` prints."""
    lines = [f"{'':22} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6} {'pred':>6}"]
    for k, v in r.items():
        if isinstance(v, dict) and "f1" in v:
            lines.append(f"{k:22} {v['precision']:7.3f} {v['recall']:7.3f} {v['f1']:7.3f} "
                         f"{v['gold']:6} {v['predicted']:6}")
    for k, v in r["attribution_recall_by_type"].items():
        lines.append(f"attribution recall, {k}: {v['recall']:.3f} of {v['gold']}")
    return "\n".join(lines)


def evaluate(gold_path: str | Path, pred_out: Optional[str | Path] = None, n_process: int = 1,
             progress: Any = None) -> dict[str, Any]:
    """Extract from every gold article's text, optionally write the predictions, and score them."""
    from .pipeline import extract_many

    gold = read_jsonl(gold_path)
    preds = []
    for art in extract_many(({"id": g["id"], "text": g["text"]} for g in gold), n_process=n_process):
        preds.append(art.scorer_record())
        if progress is not None:
            progress(1)
    if pred_out:
        with open(pred_out, "w", encoding="utf-8") as f:
            for p in preds:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    return score(gold, preds)
