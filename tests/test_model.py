from saidwhat import Article, extract
from saidwhat.model import Attribution, Span, Speaker


def test_model_json_round_trip_is_lossless():
    text = '"We will not be rushed," she said. Kaja Kallas added more.'
    sp = Speaker(id="s1", name="Kaja Kallas", kind="person",
                 mentions=[Span.of(text, 35, 46)], roles=["prime minister"])
    a = Attribution(type="direct", content=Span.of(text, 1, 23), content_parts=[Span.of(text, 1, 23)],
                    cue=Span.of(text, 29, 33), source=Span.of(text, 25, 28), speaker=sp, confidence=0.9)
    art = Article(id="x", text=text, attributions=[a], speakers=[sp], outlet="Test")
    back = Article.from_json(art.to_json())
    assert back == art
    assert back.attributions[0].speaker is back.speakers[0]
    assert back.attributions[0].content.text == "We will not be rushed,"


def test_extracted_article_round_trips(samples):
    art = extract(samples[0]["text"], id=samples[0]["id"])
    assert Article.from_dict(art.to_dict()) == art
