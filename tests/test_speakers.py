"""Speaker resolution (speakers.py): pronouns, quote threads, names, namesakes, roles, organisations.

Most tests build the attributions by hand and call ``speakers.resolve`` on the parse, so that they
test the resolver alone; a few go through ``saidwhat.extract`` on plainly attributed sentences.
All texts are written for these tests.
"""
from __future__ import annotations

import re

import pytest

import saidwhat
from saidwhat import speakers
from saidwhat.model import Article, Attribution, Span
from saidwhat.parse import parse_many


def _find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The ``nth`` whole-word occurrence of ``needle`` in ``text``."""
    m = list(re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text))[nth]
    return m.start(), m.end()


def resolve(text: str, atts: list[tuple]) -> Article:
    """``atts``: (source, cue, content) needles, each a str or (str, nth occurrence) or None."""
    def span(x):
        if x is None:
            return None
        needle, nth = (x, 0) if isinstance(x, str) else x
        return Span.of(text, *_find(text, needle, nth))

    article = Article(id="t", text=text)
    for src, cue, content in atts:
        c = span(content)
        article.attributions.append(Attribution(type="direct", content=c, cue=span(cue), source=span(src)))
    (blocks,) = list(parse_many([text]))
    article.speakers = speakers.resolve(article, blocks)
    return article


def names(article: Article) -> list:
    return [a.speaker.name if a.speaker else None for a in article.attributions]


def check_speakers(article: Article) -> None:
    """The contract on the returned speakers, for every test."""
    ids = [s.id for s in article.speakers]
    assert ids == [f"s{i}" for i in range(1, len(ids) + 1)]
    firsts = [min(m.start for m in s.mentions) for s in article.speakers]
    assert firsts == sorted(firsts)
    for s in article.speakers:
        assert s.kind in ("person", "organisation", "other")
        for m in s.mentions:
            assert article.text[m.start:m.end] == m.text
    for a in article.attributions:
        if a.speaker is not None:
            assert any(a.speaker is s for s in article.speakers)


# ---------------------------------------------------------------------------------------------
# through extract (the attribution finder + the resolver)


def test_extract_pronoun_thread_and_surname():
    text = ('Kaja Kallas, Estonia\'s prime minister, spoke in Tallinn on Monday. '
            '"We will not be rushed," she said. "Europe must stand together," Kallas added.')
    art = saidwhat.extract(text)
    by_source = {a.source.text: a.speaker for a in art.attributions if a.source is not None}
    assert by_source["she"].name == "Kaja Kallas"
    assert by_source["Kallas"] is by_source["she"]
    sp = by_source["she"]
    assert sp.kind == "person"
    assert "prime minister" in " ".join(sp.roles)
    check_speakers(art)


def test_extract_organisation_source():
    art = saidwhat.extract("The Kremlin said that the talks had failed.")
    sp = [a.speaker for a in art.attributions if a.source is not None and a.source.text == "The Kremlin"]
    assert sp and sp[0].name == "Kremlin" and sp[0].kind == "organisation"


def test_extract_title_is_stripped_and_role_kept():
    art = saidwhat.extract("US President Joe Biden said that the talks had failed.")
    sps = [a.speaker for a in art.attributions if a.speaker is not None]
    assert sps and sps[0].name == "Joe Biden"
    assert any(r.lower() == "us president" for r in sps[0].roles)


# ---------------------------------------------------------------------------------------------
# the resolver alone


def test_pronoun_he_added_continues_the_thread():
    text = ('Joe Biden met Olaf Scholz in Berlin. "This is a good day," Biden said. '
            '"We agree on almost everything," he added.')
    art = resolve(text, [("Biden", "said", "This is a good day,"),
                         ("he", "added", "We agree on almost everything,")])
    assert names(art) == ["Joe Biden", "Joe Biden"]
    assert art.attributions[0].speaker is art.attributions[1].speaker
    check_speakers(art)


def test_pronoun_gender_picks_the_compatible_person():
    text = ('Hillary Clinton met Bernie Sanders on Friday. '
            'Later, she said that the meeting went well. He said that it was useful.')
    art = resolve(text, [("she", "said", "that the meeting went well"),
                         ("He", "said", "that it was useful")])
    assert names(art) == ["Hillary Clinton", "Bernie Sanders"]
    check_speakers(art)


def test_pronoun_gender_from_title_and_pronoun_use():
    text = ('Ms. Okonjo arrived with Mr. Duarte. Okonjo spoke first, and her remarks were brief. '
            'Then she said that the plan was sound.')
    art = resolve(text, [("she", "said", "that the plan was sound")])
    assert names(art) == ["Okonjo"]


def test_pronoun_prefers_subject_and_skips_names_inside_the_quote():
    text = ('Angela Merkel criticised Boris Johnson on Sunday. '
            '"Johnson has no plan," she said.')
    art = resolve(text, [("she", "said", "Johnson has no plan,")])
    assert names(art) == ["Angela Merkel"]
    text = 'Ben Carter spoke after the vote. "Tom Reyes is wrong about this," he said.'
    art = resolve(text, [("he", "said", "Tom Reyes is wrong about this,")])
    assert names(art) == ["Ben Carter"]


def test_they_and_it_go_to_organisations():
    text = ('The European Commission published its report on Tuesday. '
            'It said that growth would slow.')
    art = resolve(text, [("It", "said", "that growth would slow")])
    assert names(art) == ["European Commission"]
    assert art.attributions[0].speaker.kind == "organisation"


def test_i_and_unresolvable_pronouns_stay_none():
    text = 'I said that the vote was close. He said that nobody knew.'
    art = resolve(text, [("I", "said", "that the vote was close"), ("He", "said", "that nobody knew")])
    assert names(art) == [None, None]
    assert art.speakers == []


def test_surname_to_full_name_and_fullest_form():
    text = ('Kallas spoke first. Kaja Kallas is the prime minister of Estonia. '
            'Kallas said that the border was safe.')
    art = resolve(text, [(("Kallas", 2), "said", "that the border was safe")])
    assert names(art) == ["Kaja Kallas"]
    sp = art.speakers[0]
    assert [m.text for m in sp.mentions][:3] == ["Kallas", "Kaja Kallas", "Kallas"]


def test_name_never_written_in_full_stays_short():
    text = 'Biden said that the economy was strong. Biden added that jobs were up.'
    art = resolve(text, [("Biden", "said", "that the economy was strong"),
                         (("Biden", 1), "added", "that jobs were up")])
    assert names(art) == ["Biden", "Biden"]
    assert len(art.speakers) == 1


def test_two_clintons_are_not_merged():
    text = ('Bill Clinton and Hillary Clinton arrived in Iowa on Monday. '
            'Mrs. Clinton said that the race was tight. Bill Clinton said that he was proud. '
            'Clinton said that the crowd was large.')
    art = resolve(text, [("Mrs. Clinton", "said", "that the race was tight"),
                         (("Bill Clinton", 1), "said", "that he was proud"),
                         (("Clinton", 4), "said", "that the crowd was large")])
    n = names(art)
    assert n[0] == "Hillary Clinton"
    assert n[1] == "Bill Clinton"
    # a bare ambiguous surname goes to the most recently mentioned Clinton
    assert n[2] == "Bill Clinton"
    assert art.attributions[0].speaker is not art.attributions[1].speaker
    assert {s.name for s in art.speakers} == {"Hillary Clinton", "Bill Clinton"}
    check_speakers(art)


def test_first_name_evidence_separates_namesakes():
    text = ('Bill Clinton and Hillary Clinton arrived. Hillary said that she was ready.')
    art = resolve(text, [("Hillary", "said", "that she was ready")])
    # "Hillary" is the first word of one Clinton only (the NER may or may not tag it alone)
    assert names(art) == ["Hillary Clinton"]


def test_role_noun_via_title():
    text = ('US President Joe Biden arrived in Warsaw on Friday. '
            '"We stand with Poland," the president said.')
    art = resolve(text, [("the president", "said", "We stand with Poland,")])
    assert names(art) == ["Joe Biden"]
    assert art.speakers[0].kind == "person"
    assert any(m.text == "the president" for m in art.speakers[0].mentions)


def test_role_noun_via_apposition_anywhere():
    text = ('"We will not be rushed," the prime minister said on Monday. '
            'Kaja Kallas, Estonia\'s prime minister, has long warned about Russia.')
    art = resolve(text, [("the prime minister", "said", "We will not be rushed,")])
    assert names(art) == ["Kaja Kallas"]
    assert "Estonia's prime minister" in art.speakers[0].roles


def test_role_noun_with_country_leader():
    text = ('Russian President Vladimir Putin and French President Emmanuel Macron spoke by phone. '
            'Russia\'s leader said that the talks were frank.')
    art = resolve(text, [("Russia's leader", "said", "that the talks were frank")])
    assert names(art) == ["Vladimir Putin"]


def test_role_noun_does_not_match_a_different_role():
    text = ('Defence Minister Ana Ruiz visited the base. '
            'The mayor said that the town welcomed the troops.')
    art = resolve(text, [("The mayor", "said", "that the town welcomed the troops")])
    assert names(art) == ["mayor"]
    assert art.attributions[0].speaker.kind == "person"


def test_role_noun_via_the_thread():
    text = ('"The deal is done," the president said. "Now we move on," Biden added.')
    art = resolve(text, [("the president", "said", "The deal is done,"),
                         ("Biden", "added", "Now we move on,")])
    assert names(art) == ["Biden", "Biden"]
    assert "president" in art.speakers[0].roles


def test_unresolved_role_noun_without_evidence():
    text = ('The talks ended late on Tuesday. "We will not be rushed," the minister said. '
            'The minister said that more talks would follow.')
    art = resolve(text, [("the minister", "said", "We will not be rushed,"),
                         ("The minister", "said", "that more talks would follow")])
    assert names(art) == ["minister", "minister"]
    assert art.attributions[0].speaker is art.attributions[1].speaker
    assert art.speakers[0].kind == "person"


def test_possessor_is_not_the_speaker():
    text = "Joe Biden arrived late. Biden's spokesman said that the plane had been delayed."
    art = resolve(text, [("Biden's spokesman", "said", "that the plane had been delayed")])
    assert art.attributions[0].speaker.name != "Joe Biden"
    assert art.attributions[0].speaker.kind == "person"


@pytest.mark.parametrize("source,name", [
    ("The Kremlin", "Kremlin"), ("Moscow", "Moscow"), ("The White House", "White House"),
])
def test_organisation_sources(source, name):
    text = f"{source} said that the sanctions were illegal."
    art = resolve(text, [(source, "said", "that the sanctions were illegal")])
    assert names(art) == [name]
    assert art.attributions[0].speaker.kind == "organisation"


@pytest.mark.parametrize("first,name", [("The Trump Campaign", "Trump Campaign"),
                                        ("The Clinton campaign", "Clinton campaign")])
def test_campaign_joins_the_named_campaign(first, name):
    text = (f'{first} issued a statement on Friday. '
            'The campaign said that the poll was wrong.')
    art = resolve(text, [(("The campaign", -1), "said", "that the poll was wrong")])
    assert art.attributions[0].speaker.kind == "organisation"
    assert art.attributions[0].speaker.name == name


def test_indefinite_sources_do_not_merge():
    text = 'A source said that the plan failed. Another source said that it had not.'
    art = resolve(text, [("A source", "said", "that the plan failed"),
                         ("Another source", "said", "that it had not")])
    a, b = art.attributions
    assert a.speaker is not None and b.speaker is not None
    assert a.speaker is not b.speaker


def test_no_source_and_odd_sources_never_raise():
    text = 'Asked whether he would run, "No comment." ,,, said   the.'
    art = Article(id="t", text=text, attributions=[
        Attribution(type="direct", content=Span.of(text, 27, 38)),
        Attribution(type="direct", content=Span.of(text, 27, 38), source=Span.of(text, 40, 43)),
        Attribution(type="direct", content=Span.of(text, 27, 38), source=Span.of(text, 50, 53)),
        Attribution(type="direct", content=Span.of(text, 27, 38), source=Span(5, 5, "")),
        Attribution(type="direct", content=Span.of(text, 27, 38), source=Span(500, 600, "")),
    ])
    (blocks,) = list(parse_many([text]))
    out = speakers.resolve(art, blocks)
    assert isinstance(out, list)
    assert art.attributions[0].speaker is None
    # no blocks at all, and an empty article
    assert isinstance(speakers.resolve(art, []), list)
    empty = Article(id="e", text="")
    assert speakers.resolve(empty, []) == []


def test_extract_never_raises_on_odd_text():
    for text in ["", "said", '"', '" he said', "He said. She said. They said that.",
                 "\x00\n\n“”", "Mr. said that Mrs. said that"]:
        art = saidwhat.extract(text)
        check_speakers(art)
