"""The character-level quote finder: every quotation-mark convention of ../shared/data/README.md."""
import pytest

from saidwhat.quotes import QUOTE_CHARS, Quote, find_quotes, quote_mask


def texts(s):
    return [s[q.start:q.end] for q in find_quotes(s)]


def only(s) -> Quote:
    qs = find_quotes(s)
    assert len(qs) == 1, [s[q.start:q.end] for q in qs]
    return qs[0]


@pytest.mark.parametrize("s, inside, open_mark, close_mark", [
    ("“We will not be rushed,” she said.", "We will not be rushed,", "“", "”"),
    ('"We will not be rushed," she said.', "We will not be rushed,", '"', '"'),
    ("Il a dit «nous ne céderons pas» hier.", "nous ne céderons pas", "«", "»"),
    ("Il a dit « nous ne céderons pas » hier.", " nous ne céderons pas ", "«", "»"),
    ("Er sagte »wir weichen nicht« gestern.", "wir weichen nicht", "»", "«"),
    ("Er sagte „wir weichen nicht“ gestern.", "wir weichen nicht", "„", "“"),
    ("Powiedział „nie ustąpimy” wczoraj.", "nie ustąpimy", "„", "”"),
    ("He called it ‘a disgrace’ on Monday.", "a disgrace", "‘", "’"),
    ("He called it 'a disgrace' on Monday.", "a disgrace", "'", "'"),
    ("''We will win,'' Mr. Trump said.", "We will win,", "''", "''"),
    ("``We will win,'' he said.", "We will win,", "``", "''"),
    ("Elle a dit ‹non› hier.", "non", "‹", "›"),
])
def test_each_convention(s, inside, open_mark, close_mark):
    q = only(s)
    assert s[q.start:q.end] == inside
    assert (q.open_mark, q.close_mark, q.balanced) == (open_mark, close_mark, True)
    assert q.parts == [(q.start, q.end)]
    assert s[q.outer_start:q.start] == open_mark and s[q.end:q.outer_end] == close_mark


def test_quote_split_around_its_cue_gives_two_quotes():
    s = "“We will not be rushed,” the prime minister said. “Not by anyone.”"
    assert texts(s) == ["We will not be rushed,", "Not by anyone."]
    s = "''It is over,'' he said. ''We lost.''"
    assert texts(s) == ["It is over,", "We lost."]
    s = '"It is over," he said, "and we lost."'
    assert texts(s) == ["It is over,", "and we lost."]


@pytest.mark.parametrize("s, inside", [
    ("“He said ‘no’ to me,” she recalled.", "He said ‘no’ to me,"),
    ('"He said \'no\' to me," she recalled.', "He said 'no' to me,"),
    ("''He said 'no' to me,'' she recalled.", "He said 'no' to me,"),
    ("''He told me 'no,''' she recalled.", "He told me 'no,'"),
    ("‘He said “no” to me,’ she recalled.", "He said “no” to me,"),
    ("«Il a dit ‹non› hier», a-t-elle rappelé.", "Il a dit ‹non› hier"),
    ("„Er sagte ‚nein‘ zu mir“, erinnerte sie sich.", "Er sagte ‚nein‘ zu mir"),
    ("“He called it ‘the ministers’ plan’ twice,” she said.", "He called it ‘the ministers’ plan’ twice,"),
])
def test_nested_quotes_are_one_outer_quote(s, inside):
    assert texts(s) == [inside]


@pytest.mark.parametrize("s", [
    "I don't think it works.",
    "Obama's plan and the ministers' plan differ.",
    "Jones' car and the Joneses' house.",
    "He loved the music of the '90s and the ’80s (and the ‘70s).",
    "Rock 'n' roll never dies, and neither does rock ’n’ roll.",
    "Sophie in 't Veld spoke, and 'em folks listened.",
    "It was ’tis the season, 'til tomorrow, 'cause why not.",
    "She is 5'10\" tall and bought a 12\" pipe.",
    "The O’Neills and the d'Artagnans left at 10 o'clock.",
    "Obama‘s ministers met.",
])
def test_apostrophes_are_not_quotes(s):
    assert find_quotes(s) == []


def test_apostrophes_inside_a_quote_do_not_close_it():
    s = "“I don’t think the ministers’ plan from the ’90s works,” she said."
    assert texts(s) == ["I don’t think the ministers’ plan from the ’90s works,"]
    s = "'I don't think Obama's plan works,' she said."
    assert texts(s) == ["I don't think Obama's plan works,"]
    s = "She said 'the ministers' pay is too high' yesterday."
    assert texts(s) == ["the ministers' pay is too high"]
    s = "Of the late '70s, he said the 'boom' was over."
    assert texts(s) == ["boom"]


def test_quote_over_several_paragraphs():
    s = ("She told the crowd: “The first paragraph of the speech.\n\n"
         "“The second paragraph goes on.\n\n"
         "“And the last one ends it,” she said.\n\nNarrative follows.")
    q = only(s)
    assert q.balanced and q.open_mark == "“" and q.close_mark == "”"
    assert [s[a:b] for a, b in q.parts] == ["The first paragraph of the speech.",
                                            "The second paragraph goes on.",
                                            "And the last one ends it,"]
    assert s[q.start:q.end].startswith("The first") and s[q.start:q.end].endswith("ends it,")
    mask = quote_mask(s, [q])
    assert all(mask[i] for i in range(q.outer_start, q.outer_end) if not s[i].isspace())
    assert not any(mask[: q.outer_start]) and not any(mask[q.outer_end:])


def test_multi_paragraph_straight_and_nyt_marks():
    s = '"One.\n"Two.\n\n"Three," he said.'
    q = only(s)
    assert [s[a:b] for a, b in q.parts] == ["One.", "Two.", "Three,"] and q.balanced
    s = "''One.\n\n''Two,'' he said."
    q = only(s)
    assert [s[a:b] for a, b in q.parts] == ["One.", "Two,"] and q.close_mark == "''"


def test_multi_paragraph_quote_left_open_at_the_end():
    s = "“First part.\n\n“Second part.\n\nNarrative again, “and a short quote” here."
    qs = find_quotes(s)
    assert [s[a:b] for a, b in qs[0].parts] == ["First part.", "Second part."]
    assert qs[0].balanced is False and qs[0].close_mark is None
    assert s[qs[1].start:qs[1].end] == "and a short quote" and qs[1].balanced


def test_unclosed_quote_ends_at_its_paragraph():
    s = "He said “we will never give up\n\nThe next paragraph, “fine,” is narrative."
    qs = find_quotes(s)
    assert s[qs[0].start:qs[0].end] == "we will never give up"
    assert qs[0].balanced is False and qs[0].close_mark is None
    assert qs[0].outer_end == qs[0].end
    assert s[qs[1].start:qs[1].end] == "fine," and qs[1].balanced


@pytest.mark.parametrize("s, inside", [
    ("He said “we will rebuild this\ncity block by block,” and left.", "we will rebuild this\ncity block by block,"),
    ('"We said from the start that the plan\nwould fail," the senator told reporters', "We said from the start that the plan\nwould fail,"),
    ("He said:\n''The country deserves better.\nWe will fight on.''", "The country deserves better.\nWe will fight on."),
])
def test_a_quote_broken_by_a_hard_line_break_runs_on(s, inside):
    """Text from PDFs, e-mail and wire copy breaks lines inside quotations: a quote left open at a
    single newline goes on when the next line's first mark of its kind can only close it."""
    qs = find_quotes(s)
    assert [s[q.start:q.end] for q in qs] == [inside] and qs[0].balanced


@pytest.mark.parametrize("s, first", [
    # a blank line is a paragraph break: the quote is left open there, as before
    ("He said “we will never give up\n\nThe next paragraph ends,” oddly.", "we will never give up"),
    # the next line opens a quote of its own: the first stays unclosed
    ("He said “we will never give up\nand she replied “fine” at once.", "we will never give up"),
    ('He said "we will never give up\nand she replied "fine" at once.', "we will never give up"),
])
def test_a_hard_line_break_does_not_join_what_the_next_line_opens(s, first):
    qs = find_quotes(s)
    assert s[qs[0].start:qs[0].end] == first and not qs[0].balanced


@pytest.mark.parametrize("s", [
    "", "“", "”", '"', "'", "''", "''''", "'''", "«»", "“”", '""', "„", "‘", "’", "``",
    "A stray ” mark and a stray \" here.",
    "“ “ “ ” ” ”", "\"\"\"\"\"", "'''''''", "a\"b\"c\"d", "»«»«",
    "“unclosed", "\n\n“\n\n“\n", "closing only” here” and there”.",
    "<tweet tweet-id=\"", "<a href='x>\"y\"", "\ud800“\x00”\ud800",
])
def test_stray_and_unbalanced_marks_never_raise(s):
    qs = find_quotes(s)
    mask = quote_mask(s, qs)
    assert len(mask) == len(s)
    for q in qs:
        assert 0 <= q.outer_start <= q.start <= q.end <= q.outer_end <= len(s)
        assert q.parts and all(q.start <= a <= b <= q.end for a, b in q.parts)
        assert q.balanced == (q.close_mark is not None)


def test_stray_closing_marks_are_ignored():
    s = "A stray ” mark, then “a real quote” here."
    assert texts(s) == ["a real quote"]


def test_markup_is_not_quoted():
    s = ('Trump tweeted.\n\n<tweet tweet-id="745260520282951681" author="@realDonaldTrump" '
         'date="June 21, 2016">“We will win,” he wrote.</tweet>\n\n<tweet/>.')
    assert texts(s) == ["We will win,"]
    s = '<a href="http://example.com/x" title=\'y\'>link</a> and "a quote" here.'
    assert texts(s) == ["a quote"]
    # attribute values may run over lines
    s = '<tweet text="one\ntwo" id="3">Then "a quote" here.'
    assert texts(s) == ["a quote"]
    # a bare "<" is not markup
    s = 'If a < b and "quoted" > c.'
    assert texts(s) == ["quoted"]


def test_sloppy_marks():
    # a left mark used to close (common in scraped text), a space after the opening mark
    s = "They were “criminals” and “rapists“ while he called."
    assert texts(s) == ["criminals", "rapists"]
    assert texts("“ You know, it is hard,” he said.") == [" You know, it is hard,"]
    assert texts('"Yes."No, she said.') == ["Yes."]


def test_empty_or_markless_quotes_are_dropped():
    assert find_quotes('He said "" and “…”.') == []


def test_quote_mask():
    s = 'He said "yes" and left.'
    mask = quote_mask(s)
    assert bytes(mask) == bytes(1 if 8 <= i < 13 else 0 for i in range(len(s)))
    assert quote_mask(s, []) == bytearray(len(s))


def test_quote_chars():
    for c in "\"“”„«»‹›‘’‚'":
        assert c in QUOTE_CHARS


def test_long_text_is_fast():
    import time
    para = "“We will not be rushed,” she said. Obama's ministers' plan, the '90s, “a ‘nested’ one.”\n\n"
    s = para * 5000
    t = time.perf_counter()
    qs = find_quotes(s)
    assert time.perf_counter() - t < 2.0
    assert len(qs) == 10000


def test_possessive_looking_closer_before_another_quote():
    s = "Clinton: ‘One or Two Instances’ where Donations ‘Slipped through the Cracks.’"
    assert texts(s) == ["One or Two Instances", "Slipped through the Cracks."]
    s = "Ryan: 'Anti-Semitic Images' Have 'No Place In A Campaign'"
    assert texts(s) == ["Anti-Semitic Images", "No Place In A Campaign"]


def test_missing_space_and_spaced_closers():
    s = "He tweeted “I love tacos!”Former governors disagreed."
    assert texts(s) == ["I love tacos!"]
    s = "''A backlash against 'Primates,'  '' Ms. Ferriss noted."
    assert texts(s) == ["A backlash against 'Primates,'  "]


@pytest.mark.parametrize("s", [
    "“a ‘a " * 10000 + "x› " * 10000,
    '"' * 300000,
    "<a " + "b " * 100000,
    '<a b="' + "x" * 300000,
    "‘" + "the ministers’ pay " * 20000,
    "‘a ministers’ x " * 20000,
    "‘a ministers’ x ‘b " * 20000,
])
def test_pathological_inputs_stay_linear(s):
    import time
    t = time.perf_counter()
    find_quotes(s)
    assert time.perf_counter() - t < 3.0


from hypothesis import example, given, settings, strategies as st  # noqa: E402

_PIECES = st.one_of(st.sampled_from(['"', "'", "''", "``", "“", "”", "‘", "’", "„", "«", "»", "‹", "›",
                                     "‚", " ", "\n", "\n\n", "a", "said", "s", "90", "<t x=\"1\">", "\ud800"]),
                    st.characters())


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
@example('`` \n"0')  # an empty first paragraph: the quote's mark is the one that re-opens it
def test_find_quotes_invariants(s):
    qs = find_quotes(s)
    prev_end = 0
    for q in qs:
        assert prev_end <= q.outer_start <= q.start <= q.end <= q.outer_end <= len(s)
        assert s[q.outer_start:q.start] == q.open_mark
        if q.close_mark is not None:
            assert s[q.end:q.outer_end] == q.close_mark
        assert q.balanced == (q.close_mark is not None)
        assert q.parts[0][0] == q.start and q.parts[-1][1] == q.end
        assert all(a <= b for a, b in q.parts) and all(a < b for a, b in q.parts[:-1])
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(q.parts, q.parts[1:]))
        prev_end = q.outer_end
    mask = quote_mask(s, qs)
    assert len(mask) == len(s) and set(mask) <= {0, 1}
