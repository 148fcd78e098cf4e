"""NewsMTSC-format stance data and its figures (accuracy, macro-F1 = the paper's F1m).

A line: ``{"primary_gid", "sentence_normalized", "targets": [{"from", "to", "mention",
"polarity", "further_mentions"?}]}``; ``polarity`` 2.0 negative, 4.0 neutral, 6.0 positive.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import InputError
from .net import LABELS

POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}


@dataclass(frozen=True)
class Example:
    """One (text, target) pair with its gold label (an index into ``LABELS``)."""

    sentence: int  # the line it comes from
    text: str
    spans: tuple[tuple[int, int], ...]
    label: int


def read_newsmtsc(path: Path, further_mentions: bool = True) -> list[Example]:
    """Every target of every line as an ``Example``; ``further_mentions`` marks the target's
    other mentions too. A malformed line raises ``InputError`` naming the line."""
    out: list[Example] = []
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            text = d["sentence_normalized"]
            for t in d["targets"]:
                s, e = int(t["from"]), int(t["to"])
                if not (0 <= s < e <= len(text)):
                    raise ValueError(f"target offsets {s}-{e} outside the sentence")
                spans = [(s, e)]
                if further_mentions:
                    spans += [(int(m["from"]), int(m["to"])) for m in t.get("further_mentions") or []
                              if 0 <= int(m["from"]) < int(m["to"]) <= len(text)]
                out.append(Example(n, text, tuple(spans), POLARITY[float(t["polarity"])]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{p}:{n}: not a NewsMTSC line: {exc}") from exc
    if not out:
        raise InputError(f"{p}: no targets found")
    return out


def scores(gold: Sequence[int], pred: Sequence[int]) -> dict:
    """Accuracy, macro-F1 (mean of the three classes' F1) and each class's P/R/F1."""
    if len(gold) != len(pred):
        raise ValueError("gold and predicted labels differ in number")
    per = {}
    f1s = []
    for k, name in enumerate(LABELS):
        tp = sum(1 for g, p in zip(gold, pred) if g == k and p == k)
        fp = sum(1 for g, p in zip(gold, pred) if g != k and p == k)
        fn = sum(1 for g, p in zip(gold, pred) if g == k and p != k)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[name] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                     "support": sum(1 for g in gold if g == k)}
        f1s.append(f1)
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    return {"f1_macro": round(sum(f1s) / len(f1s), 4), "accuracy": round(acc, 4),
            "n": len(gold), "classes": per}


def split_by_sentence(examples: Iterable[Example], fraction: float, seed: int = 13
                      ) -> tuple[list[Example], list[Example]]:
    """(rest, held) with about ``fraction`` of the sentences held out; a sentence's targets stay
    together."""
    import random

    examples = list(examples)
    ids = sorted({e.sentence for e in examples})
    rng = random.Random(seed)
    rng.shuffle(ids)
    held = set(ids[:int(round(len(ids) * fraction))])
    return [e for e in examples if e.sentence not in held], [e for e in examples if e.sentence in held]
