"""The pruner: features, the shipped model, fitting, and the stage in extraction."""
import numpy as np
import pytest

import saidwhat
from saidwhat import prune
from saidwhat.model import Attribution, Span
from saidwhat.prune import FEATURES, Pruner, cue_key, features
from saidwhat.training import cue_table, fit_logistic

TEXT = 'Officials decided to wait. "We will not be rushed," the prime minister said on Tuesday.'


def attribution(conf: float, cue: str = "said", source: str = "the prime minister",
                content: str = '"We will not be rushed,"', kind: str = "direct") -> Attribution:
    def span(needle: str) -> Span:
        s = TEXT.index(needle)
        return Span.of(TEXT, s, s + len(needle))
    c = span(content)
    return Attribution(type=kind, content=c, content_parts=[c], cue=span(cue),
                       source=span(source) if source else None, confidence=conf)


def test_features_read_the_cue_table_the_source_and_the_content():
    cues = {"said": (100, 0.9)}
    x = dict(zip(FEATURES, features(attribution(0.8), cues)))
    assert x["bias"] == 1 and x["confidence"] == 0.8 and x["direct"] == 1 and x["mixed"] == 0
    assert x["cue_rate"] == 0.9 and x["cue_unseen"] == 0 and x["has_source"] == 1 and x["pronoun_source"] == 0
    assert x["content_short"] == 0 and x["cue_words"] == 0
    y = dict(zip(FEATURES, features(attribution(0.8, cue="decided", source="Officials", content="to wait",
                                                kind="indirect"), cues)))
    assert y["cue_rate"] == 0 and y["cue_unseen"] == 1 and y["content_short"] == 1 and y["direct"] == 0
    assert cue_key(" Told  Reporters:") == "told reporters :"


def test_a_pruner_keeps_what_it_deems_right_and_round_trips():
    # weights on standardised columns: only the confidence counts here
    w = [0.0] * len(FEATURES)
    w[FEATURES.index("confidence")] = 4.0
    p = Pruner(w, [0.5] * (len(FEATURES) - 1), [0.1] * (len(FEATURES) - 1), 0.5, {"said": (3, 0.5)})
    sure, unsure = attribution(0.9), attribution(0.3)
    assert p.probability(sure) > 0.99 and p.probability(unsure) < 0.01
    assert p.keep([sure, unsure]) == [sure]
    q = Pruner.from_dict(p.to_dict())
    assert q.probability(unsure) == pytest.approx(p.probability(unsure)) and q.cues == p.cues
    with pytest.raises(ValueError):
        Pruner([1.0], [], [], 0.5, {})


def test_the_cue_table_counts_cues_against_their_words_in_the_texts():
    text = "Smith said no. Jones said yes. The report said nothing, and the said document was lost."
    rec = {"text": text, "attributions": [{"cue": [6, 10]}, {"cue": [21, 25]}]}
    table = cue_table([rec])
    count, rate = table["said"]
    assert count == 2 and rate == pytest.approx((2 + 0.5) / (4 + 2))  # "said" occurs four times


def test_fit_logistic_learns_a_separable_rule():
    rng = np.random.default_rng(0)
    v = rng.uniform(0, 1, 400)
    x = np.column_stack([np.ones(400), v])
    y = (v > 0.6).astype(float)
    w, mean, scale = fit_logistic(x, y)
    z = w[0] + (x[:, 1:] - mean) / scale @ np.array(w[1:])
    assert ((z > 0) == (y > 0)).mean() > 0.95


def test_the_shipped_pruner_keeps_a_plain_quote_and_can_be_turned_off(monkeypatch):
    pruner = prune.get_pruner()
    assert pruner is not None and pruner.threshold > 0
    art = saidwhat.extract('"We will not be rushed," the prime minister said on Tuesday.')
    (a,) = art.attributions
    assert pruner.probability(a) > pruner.threshold + 0.2
    assert pruner.cues["said"][0] > 1000 and pruner.cues["said"][1] > 0.5
    monkeypatch.setenv("SAIDWHAT_PRUNE", "0")
    assert prune.get_pruner() is None
    weak = attribution(0.05, cue="decided", source="Officials", content="to wait", kind="indirect")
    assert prune.prune([weak]) == [weak]
    monkeypatch.delenv("SAIDWHAT_PRUNE")
    assert pruner.probability(weak) < pruner.threshold and prune.prune([weak]) == []
