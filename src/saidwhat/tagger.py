"""Stage 4a: the learned attribution tagger.

A small BiLSTM over spaCy's own token features labels every token of an article as part of a cue,
a source or a content (BIO tags, 7 labels), decoded with a constrained Viterbi pass. Its inputs
are what spaCy already computed for the parse (the ``tok2vec`` tensor, tags, dependency labels,
entities), the word itself, the quotation marks found by ``quotes``, cue lexicons and the
position of the token in the dependency tree relative to speech verbs. The shipped model is an
ensemble of four such networks whose log-probabilities are averaged; they cost about half of
the parse's time, run over whole batches of articles at once (``Tagger.logprobs_many``, exact)
and in bfloat16 where the CPU has native units. This module is what runs at extraction time
(features, network, decoding, loading); training, distillation and ensembling live in
``saidwhat.training`` (``saidwhat train``, CPU), which builds on it.

The trained weights ship in ``saidwhat/models/tagger.pt`` (24 MB), with one network in
``tagger-fast.pt`` (6 MB), distilled from that ensemble plus two networks that also read a
transformer's token vectors (a training-time teacher, ``training.lm_features``), which runs instead on CPUs without native bfloat16
units (``model_choice``). ``get_model()`` loads the chosen file once per process, offline, or
returns None when none is installed (the rule-based fallback runs).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from .lexicon import ROLE_NOUNS, SPEECH_NOUNS, SPEECH_VERBS
from .parse import token_texts

TAGS = ["O", "B-CUE", "I-CUE", "B-SRC", "I-SRC", "B-CON", "I-CON"]
ROLE_OF = {"CUE": "cue", "SRC": "source", "CON": "content"}
MODEL_PATH = Path(__file__).parent / "models" / "tagger.pt"
FORMAT_VERSION = 1  # the file layout; feature sets are told apart by the vocabulary
N_FLAGS = 16

_lock = threading.Lock()
_model: Any = None
_loaded = False


# ---------------------------------------------------------------------------------------------
# features


@dataclass
class Vocab:
    words: dict[str, int]
    tags: dict[str, int]
    deps: dict[str, int]
    ents: dict[str, int]
    suffixes: dict[str, int] = field(default_factory=dict)
    # lower-case word -> row (from 1) of a static word-vector table shipped in the network
    # (``training.static_vectors``); empty: the network reads no static vectors
    vectors: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        d = {"words": self.words, "tags": self.tags, "deps": self.deps, "ents": self.ents,
             "suffixes": self.suffixes}
        if self.vectors:
            d["vectors"] = self.vectors
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Vocab":
        return cls(d["words"], d["tags"], d["deps"], d["ents"], d.get("suffixes", {}), d.get("vectors", {}))



def _norm(word: str) -> str:
    w = word.lower()
    if any(c.isdigit() for c in w):
        return "<num>"
    return w


def _is_speech_head(lemma: str) -> bool:
    """A lemma that governs what someone said: a speech verb or noun, or "(according) to"."""
    return lemma in SPEECH_VERBS or lemma in SPEECH_NOUNS or lemma == "accord"


_COLUMNS = ("HEAD", "LEMMA", "POS", "DEP", "TAG", "ENT_IOB", "ENT_TYPE", "IDX", "IS_QUOTE",
            "IS_PUNCT", "LIKE_NUM", "SENT_START")
_IOB = {1: "I", 2: "O", 3: "B"}


class _Table:
    """Per-token columns of one doc as plain lists (heads as indices), read once with
    ``Doc.to_array`` and the string store: the tree walks and feature loops below then index lists
    instead of creating a spaCy ``Token`` at every step."""

    def __init__(self, doc: Any) -> None:
        n = len(doc)
        arr = doc.to_array(list(_COLUMNS)) if n else np.zeros((0, len(_COLUMNS)), np.uint64)
        strings = doc.vocab.strings
        memo: dict[int, str] = {}

        def text_of(column: Any) -> list[str]:
            out = []
            for h in column.tolist():
                v = memo.get(h)
                if v is None:
                    v = memo[h] = strings[h] if h else ""
                out.append(v)
            return out

        self.head = (np.arange(n, dtype=np.int64) + arr[:, 0].astype(np.int64)).tolist()
        self.lemma = [w.lower() for w in text_of(arr[:, 1])]
        self.pos = text_of(arr[:, 2])
        self.dep = text_of(arr[:, 3])
        self.text = token_texts(doc)
        self.tag = text_of(arr[:, 4])
        self.iob = [_IOB.get(v, "") for v in arr[:, 5].tolist()]
        self.ent_type = text_of(arr[:, 6])
        self.idx = arr[:, 7].astype(np.int64).tolist()
        self.is_quote = arr[:, 8].astype(bool).tolist()
        self.is_punct = arr[:, 9].astype(bool).tolist()
        self.like_num = arr[:, 10].astype(bool).tolist()
        self.sent_start = (arr[:, 11].astype(np.int64) == 1).tolist()
        self.speech = [_is_speech_head(lem) for lem in self.lemma]


_ANCHOR_SUBJ = frozenset(("nsubj", "nsubjpass", "agent", "poss"))
_ANCHOR_COMP = frozenset(("ccomp", "xcomp", "dobj", "advcl", "parataxis", "acl", "pobj", "prep", "conj"))


def _speech_anchor(tab: _Table, i: int) -> int:
    """0: no speech verb above; 1: in the clausal complement of a speech verb/noun; 2: the
    subject of one; 3: the token is itself a speech word."""
    lem, pos = tab.lemma[i], tab.pos[i]
    if lem in SPEECH_VERBS and pos in ("VERB", "AUX") or lem in SPEECH_NOUNS and pos == "NOUN":
        return 3
    child, head = i, tab.head[i]
    for _ in range(8):
        if head == child:
            return 0
        if tab.speech[head]:
            dep = tab.dep[child]
            if dep in _ANCHOR_SUBJ:
                return 2
            if dep in _ANCHOR_COMP:
                return 1
            return 0
        child, head = head, tab.head[head]
    return 0


def _governors(tab: _Table, i: int) -> tuple[int, int, int, int]:
    """(nearest verb above, the dependent on the path under it, nearest speech word above, the
    dependent under that) as token indices, -1 where there is none."""
    gov = gov_child = spk = spk_child = -1
    child, head = i, tab.head[i]
    for _ in range(10):
        if head == child:
            break
        if gov < 0 and tab.pos[head] in ("VERB", "AUX"):
            gov, gov_child = head, child
        if spk < 0 and tab.speech[head]:
            spk, spk_child = head, child
        if gov >= 0 and spk >= 0:
            break
        child, head = head, tab.head[head]
    return gov, gov_child, spk, spk_child


def featurize(doc: Any, mask: bytearray, vocab: Vocab) -> dict[str, np.ndarray]:
    """Per-token inputs of the tagger for one parsed block."""
    tab = _Table(doc)
    feats = _featurize(doc, mask, vocab, tab)
    if vocab.suffixes:
        n = len(doc)
        W, D, S = vocab.words, vocab.deps, vocab.suffixes
        ex = np.zeros((n, 5), np.int64)
        for i in range(n):
            gov, gch, spk, sch = _governors(tab, i)
            ex[i, 0] = W.get(tab.lemma[gov], 1) if gov >= 0 else 0
            ex[i, 1] = D.get(tab.dep[gch], 1) if gch >= 0 else 0
            ex[i, 2] = W.get(tab.lemma[spk], 1) if spk >= 0 else 0
            ex[i, 3] = D.get(tab.dep[sch], 1) if sch >= 0 else 0
            ex[i, 4] = S.get(tab.text[i].lower()[-3:], 1)
        feats["extra"] = ex
    if vocab.vectors:
        V = vocab.vectors
        low = [w.lower() for w in tab.text]
        feats["static"] = np.array([[V.get(low[i], 0), V.get(low[tab.head[i]], 0)] for i in range(len(low))],
                                   np.int64).reshape(len(low), 2)
    return feats


_DASH_OR_COLON = frozenset(("―", "—", "–", "--", ":"))


def _featurize(doc: Any, mask: bytearray, vocab: Vocab, tab: _Table) -> dict[str, np.ndarray]:
    n = len(doc)
    W, T, D, E = vocab.words, vocab.tags, vocab.deps, vocab.ents
    texts, head, lemma, dep = tab.text, tab.head, tab.lemma, tab.dep
    norms = [_norm(w) for w in texts]
    rng = range(n)

    def ints(values: list) -> np.ndarray:
        return np.array(values, np.int64).reshape(n)

    words = ints([W.get(w, 1) for w in norms])
    heads = ints([W.get(norms[head[i]], 1) if head[i] != i else 0 for i in rng])
    tags = ints([T.get(t, 1) for t in tab.tag])
    deps = ints([D.get(d, 1) for d in dep])
    hdeps = ints([D.get(dep[h], 1) for h in head])
    ents = ints([E.get(f"{iob}-{et}" if et else "O", 1) for iob, et in zip(tab.iob, tab.ent_type)])
    anchors = ints([_speech_anchor(tab, i) for i in rng])
    idx = tab.idx
    m = len(mask) if mask else 0
    para = [True] + ["\n" in w for w in texts[:-1]]  # a token's trailing whitespace is one space at most
    cols = [
        [bool(m) and idx[i] < m and bool(mask[idx[i]]) for i in rng],
        [q or w in ("''", "``") for q, w in zip(tab.is_quote, texts)],
        para,
        tab.sent_start,
        [lem in SPEECH_VERBS for lem in lemma],
        [lem in SPEECH_NOUNS for lem in lemma],
        [lem in ROLE_NOUNS for lem in lemma],
        [head[i] < i for i in rng],
        [head[i] > i for i in rng],
        None,  # 9: the distance to the head, below
        [lemma[h] in SPEECH_VERBS for h in head],
        [w[:1].isupper() for w in texts],
        tab.is_punct,
        [w in _DASH_OR_COLON for w in texts],
        tab.like_num,
        [bool(m) and idx[i] + len(texts[i]) - 1 < m and idx[i] > 0 and mask[idx[i] - 1] != mask[idx[i]] for i in rng],
    ]
    flags = np.zeros((n, N_FLAGS), np.float32)
    for k, col in enumerate(cols):
        if col is not None and n:
            flags[:, k] = np.array(col, bool)
    if n:
        flags[:, 9] = np.minimum(np.abs(np.array(head, np.int64) - np.arange(n)), 20) / 20.0
    tensor = doc.tensor if getattr(doc, "tensor", None) is not None and doc.tensor.shape[0] == n else np.zeros((n, 96), np.float32)
    return {"words": words, "heads": heads, "tags": tags, "deps": deps, "hdeps": hdeps, "ents": ents,
            "anchors": anchors, "flags": flags, "tensor": np.asarray(tensor, np.float32)}


# ---------------------------------------------------------------------------------------------
# the network


def _build_net(vocab: Vocab, hidden: int = 128, layers: int = 1, dropout: float = 0.3,
               extra: Optional[bool] = None, lm: int = 0, static: int = 0) -> Any:
    """The network; ``extra`` (default: whether the vocabulary has suffixes) adds the governor,
    speech-ancestor and suffix inputs; ``lm`` > 0 adds an encoder's contextual token vectors of
    that size (``b["lm"]``: a teacher's input, made by ``training.lm_features``; never shipped for
    extraction, which does not run the encoder); ``static`` > 0 adds frozen static word vectors of
    that size for the token and its head (a table of ``len(vocab.vectors) + 1`` rows, in the
    network's weights; ``b["static"]``)."""
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(len(vocab.words), 64, padding_idx=0)
            self.tag = nn.Embedding(len(vocab.tags), 16, padding_idx=0)
            self.dep = nn.Embedding(len(vocab.deps), 16, padding_idx=0)
            self.ent = nn.Embedding(len(vocab.ents), 8, padding_idx=0)
            self.anchor = nn.Embedding(4, 8)
            self.extra = bool(vocab.suffixes) if extra is None else bool(extra)
            d_in = 64 + 64 + 16 + 16 + 16 + 8 + 8 + N_FLAGS + 96
            if self.extra:
                self.suffix = nn.Embedding(len(vocab.suffixes), 16, padding_idx=0)
                d_in += 64 + 16 + 64 + 16 + 16
            self.lm = int(lm)
            if self.lm:
                self.lm_proj = nn.Sequential(nn.Dropout(0.2), nn.Linear(self.lm, 128), nn.ReLU())
                d_in += 128
            self.static = int(static)
            if self.static:
                rows = max(vocab.vectors.values(), default=0) + 1
                self.vectors = nn.Embedding(rows, self.static, padding_idx=0)
                self.vectors.weight.requires_grad_(False)
                self.static_proj = nn.Linear(self.static, 64)
                d_in += 128
            self.proj = nn.Sequential(nn.Dropout(dropout), nn.Linear(d_in, 2 * hidden), nn.ReLU())
            self.lstm = nn.LSTM(2 * hidden, hidden, num_layers=layers, bidirectional=True,
                                batch_first=True, dropout=dropout if layers > 1 else 0.0)
            self.out = nn.Sequential(nn.Dropout(dropout), nn.Linear(2 * hidden, len(TAGS)))
            self.word_dropout = 0.1

        def forward(self, b: dict, lengths: Any) -> Any:
            # Padded, not packed: packing is ~8x slower on CPU; training batches are grouped by
            # length so that padding is small, and inference runs exact (``_forward_exact``).
            h, _ = self.lstm(self.inputs(b))
            return self.out(h)

        def inputs(self, b: dict) -> Any:
            """The LSTM's input: the token features, embedded, concatenated, projected."""
            words = b["words"]
            if self.training and self.word_dropout:
                drop = (torch.rand(words.shape) < self.word_dropout) & (words > 0)
                words = words.masked_fill(drop, 1)
            x = torch.cat([self.word(words), self.word(b["heads"]), self.tag(b["tags"]), self.dep(b["deps"]),
                           self.dep(b["hdeps"]), self.ent(b["ents"]), self.anchor(b["anchors"]),
                           b["flags"], b["tensor"]]
                          + ([self.word(b["extra"][..., 0]), self.dep(b["extra"][..., 1]),
                              self.word(b["extra"][..., 2]), self.dep(b["extra"][..., 3]),
                              self.suffix(b["extra"][..., 4])] if self.extra else [])
                          + ([self.lm_proj(b["lm"])] if self.lm else [])
                          + ([self.static_proj(self.vectors(b["static"])).flatten(-2)] if self.static else []),
                          dim=-1)
            return self.proj(x)

    return Net()


def _collate(items: list[dict[str, np.ndarray]]) -> tuple[dict, Any]:
    import torch

    first = next(iter(items[0]))
    lengths = [len(it[first]) for it in items]
    L = max(lengths)
    out = {}
    for key in items[0]:
        arrs = [it[key] for it in items]
        shape = (len(items), L) + arrs[0].shape[1:]
        buf = np.zeros(shape, np.float32 if arrs[0].dtype == np.float16 else arrs[0].dtype)
        for k, a in enumerate(arrs):
            buf[k, :len(a)] = a  # float16 (a teacher's encoder features, kept small) computes in float32
        out[key] = torch.from_numpy(buf)
    return out, torch.tensor(lengths)


def _directions(net: Any) -> list[tuple[Any, Any]]:
    """The bidirectional LSTM of ``net`` as (forward, backward) one-direction LSTMs per layer,
    sharing its weights (built once per network)."""
    import torch

    dirs = getattr(net, "_directions", None)
    if dirs is None:
        lstm = net.lstm
        dirs = []
        for layer in range(lstm.num_layers):
            pair = []
            for suffix in (f"_l{layer}", f"_l{layer}_reverse"):
                uni = torch.nn.LSTM(getattr(lstm, "weight_ih" + suffix).shape[1], lstm.hidden_size, batch_first=True)
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    setattr(uni, name + "_l0", getattr(lstm, name + suffix))
                pair.append(uni.eval())
            dirs.append((pair[0], pair[1]))
        net._directions = dirs
    return dirs


def _forward_exact(net: Any, batch: dict, lengths: Any) -> Any:
    """``net``'s tag scores for a right-padded batch, equal to running each sequence alone: the
    forward direction sees padding only after the real tokens, and the backward direction runs on
    each sequence reversed within its own length (so padding again comes last)."""
    import torch

    if len(lengths) == 1:
        return net(batch, lengths)
    x = net.inputs(batch)
    b, t = x.shape[0], x.shape[1]
    steps = torch.arange(t)[None, :]
    lens = lengths[:, None]
    rev = torch.where(steps < lens, lens - 1 - steps, steps)  # its own inverse
    flat = (rev + torch.arange(b)[:, None] * t).reshape(-1)  # row-major positions, reversed

    def flip(y: Any) -> Any:
        return y.reshape(b * t, -1).index_select(0, flat).reshape(b, t, -1)

    for fwd, bwd in _directions(net):
        h_fwd, _ = fwd(x)
        h_bwd, _ = bwd(flip(x))
        x = torch.cat([h_fwd, flip(h_bwd)], -1)
    return net.out(x)


# ---------------------------------------------------------------------------------------------
# decoding


@dataclass
class RawSpan:
    """A cue, source or content the tagger found: token indices in its doc, end exclusive, and
    the mean probability of its tags."""

    role: str  # "cue" | "source" | "content"
    start: int
    end: int
    score: float = 1.0
    # characters to leave out of the first token's start / keep of the last token (None: all), for
    # a span that begins or ends inside a token ("-Michelle": the cue "-", the source "Michelle")
    skip_start: int = 0
    keep_end: Optional[int] = None

_ALLOWED = np.ones((len(TAGS), len(TAGS)), bool)  # [prev, cur]
for _j, _t in enumerate(TAGS):
    if _t.startswith("I-"):
        for _i, _p in enumerate(TAGS):
            _ALLOWED[_i, _j] = _p[2:] == _t[2:] and _p != "O"
_START_OK = np.array([not t.startswith("I-") for t in TAGS])
_TRANS = np.where(_ALLOWED, 0.0, -1e9)


def viterbi(logp: np.ndarray) -> list[int]:
    """Best tag sequence under the BIO constraints (I-X only after B-X or I-X)."""
    n = logp.shape[0]
    if n == 0:
        return []
    score = logp[0] + np.where(_START_OK, 0.0, -1e9)
    back = np.zeros((n, len(TAGS)), np.int64)
    for i in range(1, n):
        cand = score[:, None] + _TRANS
        back[i] = cand.argmax(0)
        score = cand.max(0) + logp[i]
    path = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


def tags_to_spans(path: list[int], probs: np.ndarray) -> list[Any]:
    spans = []
    cur = None
    for i, k in enumerate(path):
        t = TAGS[k]
        if t.startswith("I-") and (cur is None or cur[0] != ROLE_OF[t[2:]]):
            t = "B-" + t[2:]  # an I- tag without its B- (never from viterbi) opens a span
        if t == "O" or t.startswith("B-"):
            if cur is not None:
                spans.append(cur)
                cur = None
            if t.startswith("B-"):
                cur = [ROLE_OF[t[2:]], i, i + 1, [probs[i, k]]]
        else:
            cur[2] = i + 1
            cur[3].append(probs[i, k])
    if cur is not None:
        spans.append(cur)
    return [RawSpan(role, s, e, float(np.mean(p))) for role, s, e, p in spans]


class Tagger:
    """A loaded tagger: ``predict_spans(doc, quotes, mask)`` -> cue/source/content token spans."""

    def __init__(self, net: Any, vocab: Vocab, meta: dict, members: Optional[list[tuple[Any, dict]]] = None):
        """``net`` (with ``meta["arch"]``), or an ensemble: ``members`` = [(net, meta), ...] whose
        tag log-probabilities are averaged."""
        self.members = members if members is not None else [(net, meta)]
        self.net = self.members[0][0]
        self.vocab = vocab
        self.meta = meta
        for m, _ in self.members:
            m.eval()

    def logprobs(self, doc: Any, mask: bytearray) -> np.ndarray:
        """Tag log-probabilities (tokens x tags) of one parsed block, averaged over the members."""
        return self.logprobs_many([doc], [mask])[0]

    def logprobs_many(self, docs: list[Any], masks: list[bytearray], batch_size: int = 8,
                      max_tokens: int = 16000) -> list[np.ndarray]:
        """``logprobs`` of many blocks, run as padded batches of similar lengths (at most
        ``batch_size`` blocks and ``max_tokens`` padded tokens each). The result is exactly the
        one-at-a-time result: each LSTM direction runs on sequences that padding only follows."""
        out: list[Optional[np.ndarray]] = [None] * len(docs)
        keys = [k for k, doc in enumerate(docs) if len(doc)]
        for k, doc in enumerate(docs):
            if not len(doc):
                out[k] = np.zeros((0, len(TAGS)), np.float32)
        feats = [featurize(docs[k], masks[k], self.vocab) for k in keys]
        for k, lp in zip(keys, self.logprobs_features(feats, batch_size, max_tokens)):
            out[k] = lp
        return out  # type: ignore[return-value]

    def logprobs_features(self, feats: list[dict[str, np.ndarray]], batch_size: int = 8,
                          max_tokens: int = 16000) -> list[np.ndarray]:
        """The members' averaged tag log-probabilities of featurized (non-empty) sequences, in
        padded batches of similar lengths, exactly as one at a time (``logprobs_many``)."""
        import torch

        if any(getattr(net, "lm", 0) for net, _ in self.members) and feats and "lm" not in feats[0]:
            from .errors import ModelError

            raise ModelError("this tagger reads encoder features (a training-time teacher): distil it "
                             "with `saidwhat train --distill-from` and extract with the result")
        n = [len(f["words"]) for f in feats]
        groups: list[list[int]] = []
        for k in sorted(range(len(feats)), key=lambda k: n[k]):
            if groups and len(groups[-1]) < batch_size and n[k] * (len(groups[-1]) + 1) <= max_tokens:
                groups[-1].append(k)
            else:
                groups.append([k])
        out: list[Optional[np.ndarray]] = [None] * len(feats)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16()):
            for group in groups:
                batch, lengths = _collate([feats[k] for k in group])
                total = None
                for net, _ in self.members:
                    lp = torch.log_softmax(_forward_exact(net, batch, lengths).float(), -1)
                    total = lp if total is None else total + lp
                avg = (total / len(self.members)).numpy()
                for row, k in enumerate(group):
                    out[k] = avg[row, :int(lengths[row])]
        return out  # type: ignore[return-value]

    def predict_spans(self, doc: Any, quotes: Any, mask: bytearray) -> list[Any]:
        return self.decode(self.logprobs(doc, mask))

    def decode(self, logp: np.ndarray, o_bias: Optional[float] = None) -> list[Any]:
        """Spans from tag log-probabilities; ``o_bias`` (default: the model's, tuned on dev) is
        added to the outside tag: below 0 finds more, above 0 fewer."""
        bias = self.meta.get("o_bias", 0.0) if o_bias is None else o_bias
        biased = logp.copy()
        if bias:
            biased[:, 0] += bias
        return tags_to_spans(viterbi(biased), np.exp(logp))

    def save(self, path: Path) -> None:
        import torch

        path.parent.mkdir(parents=True, exist_ok=True)

        def half(net: Any) -> dict:
            return {k: v.half() if v.dtype == torch.float32 else v for k, v in net.state_dict().items()}

        torch.save({"format": FORMAT_VERSION, "vocab": self.vocab.to_json(), "meta": self.meta,
                    "members": [{"meta": m, "state": half(n)} for n, m in self.members]}, path)

    @classmethod
    def load(cls, path: Path) -> "Tagger":
        import torch

        from .errors import ModelError

        try:
            blob = torch.load(path, map_location="cpu", weights_only=False)
        except Exception as e:
            raise ModelError(f"cannot load the tagger from {path}: {e}") from e
        if blob.get("format") != FORMAT_VERSION:
            raise ModelError(f"{path}: model format {blob.get('format')} is not {FORMAT_VERSION}; retrain with `saidwhat train`")
        vocab = Vocab.from_json(blob["vocab"])
        specs = blob.get("members") or [{"meta": blob["meta"], "state": blob["state"]}]
        members = []
        for spec in specs:
            net = _build_net(vocab, **spec["meta"].get("arch", {}))
            net.load_state_dict({k: v.float() if v.dtype == torch.float16 else v for k, v in spec["state"].items()})
            members.append((net, spec["meta"]))
        return cls(members[0][0], vocab, blob["meta"], members)

    @classmethod
    def ensemble(cls, taggers: list["Tagger"], meta: dict) -> "Tagger":
        """One tagger averaging the members' predictions (they must share one vocabulary)."""
        vocab = taggers[0].vocab
        if any(t.vocab.words != vocab.words or t.vocab.deps != vocab.deps for t in taggers):
            raise ValueError("ensemble members must share a vocabulary (train them from one feature cache)")
        members = []
        for t in taggers:
            for net, m in t.members:
                m = dict(m)
                m["arch"] = {**m.get("arch", {}), "extra": bool(getattr(net, "extra", False))}
                members.append((net, m))
        # the vocabulary with every feature some member reads (suffixes, static-vector rows)
        richest = max(taggers, key=lambda t: (len(t.vocab.suffixes), len(t.vocab.vectors)))
        return cls(members[0][0], richest.vocab, meta, members)


_bf16: Optional[bool] = None


def use_bf16() -> bool:
    """Whether inference runs the network in bfloat16: on CPUs with native bf16 matrix units
    (AVX512-BF16 or AMX) it is about twice as fast for the LSTM and moves tag probabilities by
    well under 1%; elsewhere bf16 would be emulated (slow), so float32. ``SAIDWHAT_BF16=0|1``
    overrides the detection."""
    global _bf16
    if _bf16 is None:
        import os

        forced = os.environ.get("SAIDWHAT_BF16")
        if forced in ("0", "1"):
            _bf16 = forced == "1"
        else:
            try:
                with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
                    flags = next((line for line in f if line.startswith("flags")), "").split()
            except OSError:
                flags = []
            _bf16 = "avx512_bf16" in flags or "amx_bf16" in flags
    return _bf16


def model_choice() -> tuple[Path, str]:
    """Which tagger file ``get_model`` loads, and why.

    ``$SAIDWHAT_MODEL`` names a file or a shipped variant: ``ensemble`` (``models/tagger.pt``,
    four networks) or ``fast`` (``models/tagger-fast.pt``, the ensemble distilled into one).
    Unset, the ensemble runs where the CPU has native bfloat16 units; elsewhere its four networks
    in float32 would take saidwhat below half of spaCy's speed (0.42x against 0.73x for the
    distilled network, one core, README), so the distilled network runs (dev F1 0.772, direct
    recall 0.941 after pruning, against 0.776 and 0.948). Set ``SAIDWHAT_MODEL=ensemble`` for the same output on every machine."""
    import os

    fast = MODEL_PATH.parent / "tagger-fast.pt"
    name = os.environ.get("SAIDWHAT_MODEL")
    if name:
        if name == "ensemble":
            return MODEL_PATH, "ensemble (SAIDWHAT_MODEL)"
        path = Path(name)
        if not path.exists() and "/" not in name and (MODEL_PATH.parent / f"tagger-{name}.pt").exists():
            return MODEL_PATH.parent / f"tagger-{name}.pt", f"{name} (SAIDWHAT_MODEL)"
        return path, "SAIDWHAT_MODEL"
    if use_bf16() or not fast.exists():
        return MODEL_PATH, "ensemble"
    return fast, "fast (no native bfloat16 units on this CPU; SAIDWHAT_MODEL=ensemble overrides)"


def get_model() -> Optional[Tagger]:
    """The tagger ``model_choice`` picks, loaded once per process, or None when no trained
    model is installed (the rule-based fallback runs)."""
    global _model, _loaded
    with _lock:
        if not _loaded:
            _loaded = True
            import logging
            import os

            name = os.environ.get("SAIDWHAT_MODEL")
            path, why = model_choice()
            if path.exists():
                logging.getLogger("saidwhat").info("tagger %s: %s", path.name, why)
                import torch

                torch.set_num_threads(1)
                _model = Tagger.load(path)
            elif name:
                from .errors import ModelError

                raise ModelError(f"SAIDWHAT_MODEL={path}: no such file")
        return _model


def set_model(model: Optional[Tagger]) -> None:
    """Use ``model`` (or the rule-based fallback with None) in this process."""
    global _model, _loaded
    with _lock:
        _model, _loaded = model, True
