"""The stance model (loading, output contract, figures) and targets with stance on news text."""
import json
import numpy as np
import pytest

from conftest import SHARED

from saidwhat import Article, ModelError, Target, extract
from saidwhat.errors import InputError
from saidwhat.stance import LABELS, MODEL_PATH, StanceEnsemble, StanceNet, get_net
from saidwhat.stance.data import read_newsmtsc, scores

DEV_MT = SHARED / "data" / "stance" / "newsmtsc" / "dev_mt.jsonl"

WARN = """Finnish Prime Minister Sanna Marin warned Russia on Tuesday against any attempt to intimidate its neighbours.

"Russia's brutal war of aggression is a threat to all of Europe, and its lies about our region are dangerous," Marin told reporters in Helsinki.

She said the Kremlin had repeatedly violated Finnish airspace and accused Moscow of trying to blackmail Europe with gas.
"""

PRAISE = """Ukrainian President Volodymyr Zelensky praised Poland on Friday for its steadfast support.

"Poland has been a true friend to Ukraine. The Polish people opened their homes to millions of our refugees, and we will never forget their generosity," Zelensky said at a news conference with Polish President Andrzej Duda in Warsaw.

He thanked Duda for his leadership, calling him "a courageous and wise partner."
"""

TALKS = """Trade negotiators from the United States and China met in Geneva on Monday.

A State Department spokesman said officials from the United States and China would hold a second round of talks in Beijing in March.

"The weather was fine and the meeting started on time," the spokesman said.
"""

ALIAS = """NATO, the Western military alliance, will hold a summit in Vilnius next month.

Secretary-General Jens Stoltenberg said the alliance would strengthen its eastern flank. "The alliance is stronger than ever," Stoltenberg said.

Estonian Prime Minister Kaja Kallas said the summit would be a success. Russian Foreign Minister Sergei Lavrov said Kallas was spreading lies about Moscow.
"""


def targets_of(article, needle):
    """The targets of the attributions whose content contains ``needle`` (the first one's where
    two name the same entity)."""
    hits = [a for a in article.attributions if needle in article.text[a.content.start:a.content.end]]
    assert hits, f"no attribution with {needle!r}: {[a.content.text for a in article.attributions]}"
    out = {}
    for a in hits:
        for t in a.targets:
            out.setdefault(t.name, t)
    return out


# ---------------------------------------------------------------------------------------------
# the model: loading and output contract


def test_shipped_model_loads_offline_and_is_small():
    assert MODEL_PATH.exists()
    assert MODEL_PATH.stat().st_size < 50e6
    model = get_net()
    assert model is get_net()  # loaded once per process
    members = model.members if isinstance(model, StanceEnsemble) else [model]
    assert all(m.encoder.config.num_hidden_layers == 6 for m in members)


def test_probabilities_contract_and_batch_equals_one_at_a_time():
    model = get_net()
    text = "Russia must never be given a say in who may or may not be a member of NATO."
    nato = text.index("NATO")
    pairs = [(text, [(0, 6)]), (text, [(nato, nato + 4)]),
             ("Poland has been a true friend to Ukraine.", [(0, 6)]),
             ("The talks were held in Geneva on Monday.", [(23, 29)])]
    p = model.predict(pairs)
    assert p.shape == (4, len(LABELS)) and LABELS == ("negative", "neutral", "positive")
    assert np.all(p >= 0) and np.allclose(p.sum(1), 1.0, atol=1e-9)
    one = np.vstack([model.predict([x]) for x in pairs])
    assert np.allclose(p, one, atol=1e-5)
    # the target matters: the same sentence, another target, other probabilities
    assert not np.allclose(p[0], p[1], atol=1e-3)


def _a_net():
    model = get_net()
    return model.members[0] if isinstance(model, StanceEnsemble) else model


def test_encode_flags_every_mention_and_keeps_it_in_a_long_text():
    net = _a_net()
    ids, flags = net.encode("Biden met Putin. Putin smiled.", [(10, 15), (17, 22)])
    assert ids[0] == net.cls_id and ids[-1] == net.sep_id and len(ids) == len(flags)
    inv = {i: w for w, i in net.vocab.items()}
    flagged = [inv[i] for i, f in zip(ids, flags) if f]
    assert [w for w in flagged if not w.startswith("[unused")] == ["putin", "putin"]
    long = "word " * 400 + "Putin lied."
    ids, flags = net.encode(long, [(2000, 2005)])
    assert len(ids) <= net.max_len and "putin" in [inv[i] for i, f in zip(ids, flags) if f]


def test_bad_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "stance.pt"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        StanceNet.load(bad)
    with pytest.raises(ModelError):
        get_net(tmp_path / "missing.pt")


# ---------------------------------------------------------------------------------------------
# NewsMTSC files and figures


def test_read_newsmtsc_and_scores(tmp_path):
    f = tmp_path / "s.jsonl"
    rows = [{"primary_gid": "a", "sentence_normalized": "Biden praised Merkel and attacked Trump.",
             "targets": [{"from": 14, "to": 20, "mention": "Merkel", "polarity": 6.0},
                         {"from": 34, "to": 39, "mention": "Trump", "polarity": 2.0,
                          "further_mentions": [{"from": 0, "to": 5, "mention": "Biden"}]}]}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    ex = read_newsmtsc(f)
    assert [e.label for e in ex] == [2, 0] and ex[1].spans == ((34, 39), (0, 5))
    s = scores([0, 1, 2, 2], [0, 1, 2, 1])
    assert s["accuracy"] == 0.75
    assert s["f1_macro"] == round((1 + 2 / 3 + 2 / 3) / 3, 4)
    f.write_text('{"sentence_normalized": "x", "targets": [{"from": 5, "to": 9, "polarity": 2.0}]}\n')
    with pytest.raises(InputError, match=":1:"):
        read_newsmtsc(f)


def test_evaluate_stance_cli_json(tmp_path):
    f = tmp_path / "s.jsonl"
    sentence = "The senator praised the brave firefighters for saving the town."
    start = sentence.index("brave firefighters")
    f.write_text(json.dumps({"primary_gid": "a", "sentence_normalized": sentence,
                             "targets": [{"from": start, "to": start + 18, "mention": "brave firefighters",
                                          "polarity": 6.0}]}) + "\n")
    from typer.testing import CliRunner
    from saidwhat.cli import app

    res = CliRunner().invoke(app, ["evaluate-stance", str(f), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout.strip().splitlines()[-1])
    assert set(d) >= {"f1_macro", "accuracy"} and d["n"] == 1
    res = CliRunner().invoke(app, ["evaluate-stance", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 2


@pytest.mark.slow
@pytest.mark.skipif(not DEV_MT.exists(), reason="shared NewsMTSC data not present")
def test_dev_mt_macro_f1():
    from saidwhat.stance.train import evaluate

    result = evaluate(get_net(), read_newsmtsc(DEV_MT))
    assert result["n"] == 1476
    assert result["f1_macro"] >= 0.75, result


# ---------------------------------------------------------------------------------------------
# targets and stance in articles


@pytest.fixture(scope="module")
def warn():
    return extract(WARN, stance=True)


@pytest.fixture(scope="module")
def praise():
    return extract(PRAISE, stance=True)


def test_warning_a_neighbour_is_negative(warn):
    t = targets_of(warn, "brutal war")
    assert t["Russia"].stance == "negative"
    assert t["Russia"].kind == "country"
    t = targets_of(warn, "blackmail")
    named = [t[k] for k in ("Kremlin", "Moscow") if k in t]
    assert named and all(x.stance == "negative" for x in named)


def test_praising_an_ally_is_positive(praise):
    t = targets_of(praise, "true friend")
    assert t["Poland"].stance == "positive"
    assert {m.text for m in t["Poland"].mentions} == {"Poland", "Polish"}  # "The Polish people"


def test_neutral_report_of_talks():
    art = extract(TALKS, stance=True)
    t = targets_of(art, "second round of talks")
    assert t["United States"].stance == "neutral" and t["China"].stance == "neutral"
    assert t["United States"].kind == "country"


def test_statement_with_no_target_has_an_empty_list():
    art = extract(TALKS, stance=True)
    hits = [a for a in art.attributions if "weather" in a.content.text]
    assert hits and hits[0].targets == []


def test_resolved_pronoun_is_a_target(praise):
    t = targets_of(praise, "courageous and wise partner")
    assert "Andrzej Duda" in t
    assert [m.text for m in t["Andrzej Duda"].mentions] == ["him"]
    assert t["Andrzej Duda"].kind == "person"


def test_self_reference_is_not_a_target(warn):
    # "She said the Kremlin ..." and "Marin told reporters": the speaker is never her own target
    for a in warn.attributions:
        assert all(t.name != "Sanna Marin" for t in a.targets)


def test_aliases_are_one_target_with_the_articles_name():
    art = extract(ALIAS, stance=True)
    t = targets_of(art, "eastern flank")
    assert list(t) == ["NATO"] and t["NATO"].mentions[0].text == "the alliance"
    t = targets_of(art, "spreading lies")
    assert "Kaja Kallas" in t  # "Kallas" named by the article's speaker
    assert [m.text for m in t["Kaja Kallas"].mentions] == ["Kallas"]


def test_without_stance_no_targets_in_json():
    art = extract(TALKS)
    assert all(a.targets is None for a in art.attributions)
    assert all("targets" not in a.to_dict() for a in art.attributions)


def test_targets_json_round_trip_and_old_json(warn):
    d = warn.to_dict()
    assert any(a["targets"] for a in d["attributions"])
    t = d["attributions"][1]["targets"][0]
    assert set(t) == {"name", "kind", "mentions", "mention_texts", "stance", "probability"}
    assert Article.from_dict(d).to_dict() == d
    assert Article.from_json(warn.to_json()) == warn
    old = json.loads(json.dumps(d))
    for a in old["attributions"]:
        del a["targets"]
    assert all(a.targets is None for a in Article.from_dict(old).attributions)
    assert Target.from_dict({"name": "NATO", "kind": "organisation", "mentions": [[0, 4]]}, "NATO said").mentions[0].text == "NATO"


def test_cli_extract_stance_json(tmp_path):
    from typer.testing import CliRunner
    from saidwhat.cli import app

    f = tmp_path / "a.txt"
    f.write_text(PRAISE)
    res = CliRunner().invoke(app, ["extract", str(f), "--stance", "-f", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    stances = {t["name"]: t["stance"] for a in d["attributions"] for t in a["targets"]}
    assert stances.get("Poland") == "positive"


def test_a_party_adjective_is_the_party_as_a_demonym_is_its_country():
    """The speaker page's "how they talk about" listed "Democratic" (from "Democratic leadership",
    "Democratic presidential nomination") beside "Democratic Party": a party adjective is the
    party, as "Russian troops" is Russia; "Democrats", the people, stay a group of their own."""
    from saidwhat.parse import parse_many
    from saidwhat.stance.targets import find_targets

    text = ('Senator Jane Miller criticised the Democratic leadership on Monday. She said Republican officials '
            'and Democrats had failed the city, and that Russian troops were a threat.')
    art = extract(text)
    find_targets(art, next(iter(parse_many([text]))))
    got = {(t.name, t.kind) for a in art.attributions for t in a.targets}
    assert {("Democratic Party", "organisation"), ("Republican Party", "organisation"),
            ("Democrats", "group"), ("Russia", "country")} <= got
    assert not any(name in ("Democratic", "Republican") for name, _ in got)
    # a name at the end of a speaker's mention after a preposition is not that speaker
    text = ('Trump questioned the selection. Other critics outside the Democratic party raised questions '
            'about her eligibility. Trump said the Democratic party had lost its way.')
    art = extract(text)
    find_targets(art, next(iter(parse_many([text]))))
    said = next(a for a in art.attributions if "lost its way" in a.content.text)
    assert [t.name.lower() for t in said.targets] == ["democratic party"]
