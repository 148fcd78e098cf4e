"""Stage 4b: drop the tagger's attributions that are most likely wrong.

The tagger labels tokens; whether a whole attribution it yields is right depends on more than
its tags' mean probability: how often its cue is one in the training data at all ("said" nearly
always, "opted" or "considered" seldom), whether it has a source and what kind, how long its
content is. A small logistic model over such features (``FEATURES``), fitted on *out-of-fold*
predictions over PolNeAR train (each half tagged by a network trained on the other half, so that
the model sees the errors a tagger makes on articles it never saw: ``training.train_pruner``),
gives each attribution the probability that it is right; those below the threshold that maximised
F1 over those predictions are dropped. The model and the cue table ship as
``models/pruner.json`` (a few hundred kB); ``SAIDWHAT_PRUNE=0`` turns the stage off.

It runs on the tagger's output only: the rule-based finder (no tagger file) is not pruned.
"""
from __future__ import annotations

import json
import math
import os
import re
import threading
from pathlib import Path
from typing import Any, Optional

from .model import Attribution

PRUNER_PATH = Path(__file__).parent / "models" / "pruner.json"
FEATURES = ("bias", "confidence", "confidence_squared", "direct", "mixed", "cue_log_count", "cue_rate",
            "cue_unseen", "has_source", "pronoun_source", "content_log_words", "content_short", "cue_words")
_PRONOUNS = frozenset("he she they i we it you him her them who which that this".split())
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+")


def cue_key(text: str) -> str:
    """A cue's text as the cue table knows it: lower case, one space between tokens."""
    return " ".join(_TOKEN.findall(text.lower()))


def features(a: Attribution, cues: dict[str, tuple[int, float]]) -> list[float]:
    """The model's inputs for attribution ``a`` (in ``FEATURES`` order); ``cues`` maps a cue key
    to (times it is a gold cue in the training data, that count over its occurrences there)."""
    key = cue_key(a.cue.text) if a.cue is not None else ""
    count, rate = cues.get(key, (0, 0.0)) if key else (0, 0.0)
    words = sum(len(_WORD.findall(p.text)) for p in (a.content_parts or [a.content]))
    source = a.source.text.strip().lower() if a.source is not None else ""
    return [1.0, a.confidence, a.confidence ** 2, float(a.type == "direct"), float(a.type == "mixed"),
            math.log1p(count), rate, float(count == 0), float(bool(source)), float(source in _PRONOUNS),
            math.log1p(words), float(words <= 3), float(len(key.split()) > 1)]


class Pruner:
    """A fitted logistic model over ``features`` and the threshold below which it drops."""

    def __init__(self, weights: list[float], mean: list[float], scale: list[float], threshold: float,
                 cues: dict[str, tuple[int, float]], meta: Optional[dict] = None) -> None:
        if not (len(weights) == len(FEATURES) and len(mean) == len(scale) == len(FEATURES) - 1):
            raise ValueError(f"a pruner needs {len(FEATURES)} weights, got {len(weights)}")
        self.weights, self.mean, self.scale = weights, mean, scale
        self.threshold = threshold
        self.cues = cues
        self.meta = meta or {}

    def probability(self, a: Attribution) -> float:
        """The probability that ``a`` is right (content and source), as the model sees it."""
        x = features(a, self.cues)
        z = self.weights[0] + sum(w * (v - m) / s for w, v, m, s in zip(self.weights[1:], x[1:], self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def keep(self, attributions: list[Attribution]) -> list[Attribution]:
        return [a for a in attributions if self.probability(a) >= self.threshold]

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "weights": self.weights, "mean": self.mean, "scale": self.scale,
                "threshold": self.threshold, "meta": self.meta,
                "cues": {k: [c, round(r, 5)] for k, (c, r) in sorted(self.cues.items())}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Pruner":
        if list(d.get("features", [])) != list(FEATURES):
            raise ValueError("this pruner was fitted on other features")
        return cls(list(d["weights"]), list(d["mean"]), list(d["scale"]), float(d["threshold"]),
                   {k: (int(c), float(r)) for k, (c, r) in d["cues"].items()}, d.get("meta"))

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Pruner":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


_lock = threading.Lock()
_pruner: Optional[Pruner] = None
_loaded = False


def get_pruner() -> Optional[Pruner]:
    """The shipped pruner (loaded once), or None when it is off (``SAIDWHAT_PRUNE=0``) or absent."""
    global _pruner, _loaded
    if os.environ.get("SAIDWHAT_PRUNE", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    with _lock:
        if not _loaded:
            _pruner = Pruner.load(PRUNER_PATH) if PRUNER_PATH.exists() else None
            _loaded = True
    return _pruner


def prune(attributions: list[Attribution]) -> list[Attribution]:
    """``attributions`` without those the shipped pruner drops (all of them when it is off)."""
    pruner = get_pruner()
    return attributions if pruner is None else pruner.keep(attributions)
