"""Hard line breaks inside paragraphs (``saidwhat.layout``): found, turned into spaces with every
offset kept, and never where a line break is structure."""
from saidwhat import extract
from saidwhat.layout import blank_language_marks, soft_breaks, soften_line_breaks

WIRE = ("WASHINGTON (Reuters) - The minister told reporters on Tuesday that the\n"
        "talks would \"go on as long as needed, and we will not be rushed by\n"
        "anyone in this process.\" She added that a deal was still possible\n"
        "before the end of the year, according to two officials.\n"
        "\n"
        "\"We are close,\" she said. \"But we are not there yet. Nobody\n"
        "should pretend otherwise, and nobody should expect a deal before the\n"
        "end of the month.\"\n")


def test_a_wrapped_line_inside_a_sentence_is_soft():
    text = '"I have nothing more to say about\nthat," the minister said.'
    assert soft_breaks(text) == [text.index("\n")]
    soft = soften_line_breaks(text)
    assert len(soft) == len(text) and "\n" not in soft


def test_a_hard_wrapped_wire_story_keeps_its_paragraphs():
    soft = soften_line_breaks(WIRE)
    assert len(soft) == len(WIRE)
    assert soft.count("\n") == 3  # the blank line (two) and the final newline: every wrap is soft
    assert "\n\n" in soft and soft.index("\n\n") == WIRE.index("\n\n")


def test_structure_stays_line_by_line():
    titles = "Title Of The Story Here\nThe Body Starts On This Line, After The Title\nAnd Goes On In Title Case Too\n"
    transcript = ("MR. SMITH: What do you say to the farmers who lost their crops this year?\n"
                  "SEN. JONES: I say we will help them, and we will do it before winter.\n"
                  "MR. SMITH: When exactly will that be, senator, and how much money?\n")
    bullets = ("The plan has three parts, which the minister listed for the reporters:\n"
               "- higher taxes on the largest companies and the wealthiest households\n"
               "- lower taxes for small firms that hire young workers this year\n")
    one_line_paragraphs = "He spoke first.\nShe answered him at length on every point.\n"
    for text in (titles, transcript, bullets, one_line_paragraphs):
        assert soft_breaks(text) == [], text


def test_a_quote_wrapped_over_two_lines_is_one_content():
    art = extract('"I have nothing more to say about\nthat," the minister said on Tuesday, before leaving the room.')
    a = [x for x in art.attributions if "nothing more" in x.content.text][0]
    assert a.type == "direct" and a.content.text.endswith('that,"')
    assert a.source.text == "the minister" and a.cue.text.startswith("said")
    assert art.text.count("\n") == 1  # the article keeps its own text


def test_wire_copy_quotes_run_over_their_wrapped_lines():
    art = extract(WIRE)
    texts = {a.content.text.replace("\n", " ") for a in art.attributions}
    assert any("anyone in this process" in t and "go on as long" in t for t in texts), texts
    last = [a for a in art.attributions if "We are close" in a.content.text][0]
    assert any("end of the month" in p.text for p in last.content_parts)


GLOBAL_VOICES = ("But not everybody was impressed by the speech. Abdelhak Koush, blogging on Afinina [Ar], "
                 "launched a strong attack on the American president and questioned his motives in a post.\n\n"
                 "Blogging on Elmafjoue [Ar], Mohamed Malouk says that the speech changed nothing [es].")


def test_language_marks_after_links_are_not_words():
    blank = blank_language_marks(GLOBAL_VOICES)
    assert len(blank) == len(GLOBAL_VOICES) and "[Ar]" not in blank and "[es]" not in blank
    quoted = '"They told me [he] would come back [to] the village [it] said," she wrote.'
    assert blank_language_marks(quoted) == quoted  # editorial insertions that are English words stay
    art = extract(GLOBAL_VOICES)
    assert art.text == GLOBAL_VOICES  # the article keeps its own text
    sources = {a.source.text for a in art.attributions if a.source}
    speakers = {s.name for s in art.speakers}
    assert not any("Ar" in s.split() or "Ar]" in s for s in sources | speakers), (sources, speakers)
    assert any(a.speaker and "Koush" in a.speaker.name for a in art.attributions if "attack" in a.cue.text)
