"""Mentions and names: every named entity of the article, its canonical name and its kind.

- **Names** come from spaCy's entities (PERSON, ORG, GPE, NORP, FAC) and from proper-noun
  subjects the NER missed. A name is cut to the name proper: titles and roles before it become
  roles ("Twitter CEO Jack Dorsey" -> "Jack Dorsey", role "Twitter CEO"); parentheses, trailing
  descriptors ("Nancy Pelosi yesterday", "Yonhap news agency", "... QC") and possessives go;
  suffixes stay and are joined when the NER leaves them out ("Robert Downey Jr."), as does a comma
  part that belongs to an institution's name ("University of California, San Diego").
- **People** with the same first and last word are one person (the fullest well-formed form is the
  canonical name); a single word or a titled surname joins the full name it completes, and a name
  the NER typed as an organisation ("La Riva" beside "Gloria La Riva") joins the person.
- **Organisations** cluster by text, by last word ("The Post" -> "New York Post"), and by acronym:
  one the article defines ("the World Health Organization (WHO)") or the initials of a long name.
- **Kind** is decided over all mentions, not by one NER tag: entity labels, titles, appositions
  ("software company Red Hat", "the group's"), organisation words in the name, pronouns.
- **Roles** seen with a name: titles before it ("US President Joe Biden") and appositions on
  either side ("Joe Biden, the US president,"; "the president, Joe Biden,"; "X of the WHO").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from ..lexicon import SPEECH_VERBS
from .entity import Entity, EntityTable
from .index import ArticleIndex, fold_word, is_poss_marker, phrase, strip_tokens
from .lexicon import (
    CAPS_TITLES, CORPORATE_HEADS, CORPORATE_NOUNS, POSTING_WORDS, FEMALE_NAMES, MALE_NAMES, DETERMINERS, HONORIFICS, NAME_DESCRIPTORS,
    DOCUMENT_NOUNS, MASTHEADS, NAME_SUFFIXES, ORG_DESCRIPTORS, ORG_NOUNS, capitalised_name_word, initials, PARTICLES, PERSON_NOUNS, PLATFORMS, RELATION_GENDER, RELIGIONS, STORM_WORDS, TITLES, LEGAL_TEXTS, is_demonym, place_of,
)
from .namesakes import decide_namesake, title_gender as _title_gender
from .roles import is_role_word, parse_role

NAME_ENTS = ("PERSON", "ORG", "GPE", "NORP", "FAC")
_INSTITUTIONS = frozenset("university college institute school hospital campus academy".split())
_ORG_NAME_END = re.compile(r"(news|times|post|press|media|tv|radio|bank|corp|inc|ltd|llc|group|party|"
                           r"agency|ministry|council|union|league|network|foundation|institute|university)$",
                           re.I)
_FIRST_NAMES = MALE_NAMES | FEMALE_NAMES  # only to find where a name starts, never a gender
# states named before a politician's name ("Vermont Bernie Sanders"); countries are in PLACE_FORMS
US_STATES = frozenset("""alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma oregon
pennsylvania rhode island tennessee texas utah vermont virginia washington wisconsin wyoming new north south
west""".split())
_ROYAL = frozenset("king queen prince princess duke duchess pope emperor empress sultan emir sheikh".split())
_POSS_PRON = {"his": "he", "her": "she", "their": "they", "its": "it"}
_ACRONYM_DEF = re.compile(r"\s*\(\s*(?:the\s+)?([A-Z][A-Za-z&.\-]{1,11})\s*\)")


def subject_level(tok) -> int:
    """2 for the subject of a sentence's main verb, 1 for another subject, else 0 (a conjunct
    shares its head's: "Anna Berg and Erik Berg run the bakery")."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return 0
    return 2 if tok.head.dep_ == "ROOT" else 1


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in title case (headlines), where the NER glues words to names ("Obama Says")."""
    out, pos = [], 0
    for line in text.split("\n"):
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) >= 4]
        if len(line.split()) >= 4 and len(line) < 200 and words and \
                sum(w[0].isupper() for w in words) >= 0.85 * len(words):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


@dataclass
class RawName:
    start: int
    end: int
    label: str
    name: str
    titles: list
    toks: list
    root: object
    off: int
    subject: int
    words: list = field(default_factory=list)
    poss: bool = False
    described: bool = False  # typed ORG by a descriptor ("supermarket chain Coles"): its bare name is too

    def __post_init__(self) -> None:
        self.words = self.name.split()


def _is_name_token(t) -> bool:
    return (capitalised_name_word(t.text) and not t.is_punct and t.lower_ not in TITLES and not is_role_word(t)
            and t.lower_ not in NAME_SUFFIXES and t.text not in CAPS_TITLES)


_OCCUPATION_ENDINGS = ("ologist", "ician", "grapher", "ist")  # ecologist, physician, photographer, pianist


def _descriptor_word(lw: str) -> bool:
    """A person noun that may stand capitalised before a name ("Voter", "Ecologist")."""
    return lw in PERSON_NOUNS or lw in ("lead", "star", "host") or len(lw) > 5 and lw.endswith(_OCCUPATION_ENDINGS)


# Lower-case nouns before a company's name that name no kind of body in ORG_NOUNS ("filmmaker"
# and "lawmaker" are people, so no "-maker" rule)
_COMPANY_WORDS = frozenset("""chain carmaker automaker chipmaker drugmaker toymaker conglomerate insurer lender
promotion brand manufacturer""".split())


def company_word(word: str) -> bool:
    """A lower-case noun that says a company or outlet's name follows ("carmaker", "chain",
    "daily"), and nothing else: not an organisation noun that may end a role ("secretary of
    state Hillary Clinton", "party leader")."""
    return word in ORG_DESCRIPTORS or word in _OUTLET_WORDS or word in _COMPANY_WORDS


def org_descriptor(word: str) -> bool:
    """A lower-case noun that says the name after it is an organisation's ("daily", "chain",
    "wrestling promotion", "carmaker")."""
    return company_word(word) or word in ORG_NOUNS


def _first_name_dean(t, toks: list, i: int) -> bool:
    """"Dean Kamen": "Dean" before a surname alone is a first name, unless the article uses the
    word for the office ("the dean", "Dean of the Law School")."""
    if t.text != "Dean" or i != len(toks) - 2:
        return False
    doc = t.doc
    return not any(x.lower_ == "dean" and (x.text == "dean" or x.i + 1 < len(doc) and doc[x.i + 1].lower_ == "of")
                   for x in doc)


def _titled_name_missed(t) -> bool:
    """A title and two name words or more that the NER left untyped, anywhere in the sentence
    ("following the resignation of Governor Ricardo Rosselló Nevares": "Rosselló" alone later
    joins him); a bare proper noun there may be anything ("the Rose Garden")."""
    if t.pos_ != "PROPN" or t.ent_type_ or not t.is_title or t.dep_ == "compound":
        return False
    chain = [x for x in t.lefts if x.dep_ == "compound"] + [t]
    if len(chain) < 3 or chain[-1].i - chain[0].i != len(chain) - 1 or chain[0].lower_ not in TITLES:
        return False
    return all(_is_name_token(x) and not x.ent_type_ and x.lower_ not in TITLES for x in chain[1:])


def _split_titles(toks: list) -> tuple[list, list]:
    """("Twitter CEO Jack Dorsey") -> ([Twitter, CEO], [Jack, Dorsey]): everything up to the last
    title or role word that a name follows."""
    cut = 0
    for i, t in enumerate(toks[:-1]):
        lw = t.lower_
        if _first_name_dean(t, toks, i):
            continue
        if (lw in TITLES or is_role_word(t) or lw.rstrip(".") in {h.rstrip(".") for h in HONORIFICS}
                or t.text in CAPS_TITLES) \
                and any(_is_name_token(x) for x in toks[i + 1:]):
            cut = i + 1
        elif i == 0 and _descriptor_word(lw) and sum(_is_name_token(x) for x in toks[1:]) >= 2:
            cut = 1  # "Voter Kitty Mak", "Ecologist Ryan Norris": a capitalised descriptor, not a name
    return toks[:cut], toks[cut:]


def _trim_name(toks: list, person: bool) -> list:
    """The name proper: no parenthesis, no trailing lower-case descriptor, possessive or comma."""
    for i, t in enumerate(toks):
        if t.text == "[" and any(x.text == "]" for x in toks[i + 1:i + 5]):
            continue  # an editor's insertion inside the name ("Indian [Railways]"): kept, unbracketed
        if t.text in ("(", "[", ",", ";", "—", "–") or t.text == "-" and t.whitespace_:
            toks = toks[:i]
            break
    while toks and (toks[-1].is_punct and toks[-1].text != "." or is_poss_marker(toks[-1]) or toks[-1].is_space):
        toks = toks[:-1]
    while len(toks) > 1 and (toks[-1].text[:1].islower() and toks[-1].lower_ not in NAME_SUFFIXES
                             and not _hyphened(toks)  # "Ban Ki-moon"
                             or person and toks[-1].lower_.rstrip(".") in NAME_DESCRIPTORS
                             or toks[-1].text == "."):
        toks = toks[:-1]
    while len(toks) > 1 and toks[-1].text in ("-", "‐") and not toks[-2].whitespace_:
        toks = toks[:-1]  # a name the NER cut at a hyphen
    if not person:
        # "Yonhap news agency": the descriptor is not the name, unless it is all there is
        while len(toks) > 1 and toks[-1].lower_ in ORG_DESCRIPTORS and toks[-1].text[:1].islower():
            toks = toks[:-1]
    while toks and toks[0].lower_ in PARTICLES and len(toks) > 1 and toks[0].text[:1].islower():
        toks = toks[1:]
    return toks


def _hyphened(toks: list) -> bool:
    """Whether the last token is joined by a hyphen to a capitalised word ("Ki-moon")."""
    return len(toks) >= 3 and toks[-2].text == "-" and not toks[-2].whitespace_ and not toks[-3].whitespace_ \
        and toks[-3].text[:1].isupper()


def _extend(toks: list, doc, label: str) -> list:
    """Add what the NER left out: a suffix ("Jr.") or an institution's comma part ("University of
    California, San Diego")."""
    if not toks:
        return toks
    end = toks[-1].i + 1
    s0 = toks[0].i
    ids = {t.i for t in toks}
    org_shaped = label == "ORG" or toks[-1].text[:1].isupper() and toks[-1].lemma_.lower() in ORG_NOUNS
    if org_shaped and s0 >= 2 and doc[s0 - 1].lower_ in ("and", "&") and doc[s0 - 2].pos_ == "PROPN" \
            and doc[s0 - 2].dep_ in ("compound", "nmod", "preconj") and (
                doc[s0 - 2].head.i in ids or doc[s0 - 2].head.head.i in ids and doc[s0 - 2].head.i < s0):
        # "House Oversight and Reform Committee", "Confederated Salish and Kootenai Tribes": the NER
        # took the part after the "and"
        k = s0 - 2
        while k > 0 and doc[k - 1].pos_ == "PROPN" and doc[k - 1].dep_ in ("compound", "nmod", "amod") \
                and doc[k - 1].text[:1].isupper():
            k -= 1
        toks = list(doc[k:end])
    if label == "ORG" and end + 1 < len(doc) and doc[end].lower_ in ("and", "&") and any(t.lower_ == "of" for t in toks):
        # "The High Court of England and Wales", "Islamic State of Iraq and the Levant"
        k = end + 1 + (doc[end + 1].lower_ == "the")
        ids = {t.i for t in toks}
        # the place may be typed ORG in the sentence's context ("Wales" after a court's name)
        if k < len(doc) and (doc[k].ent_type_ in ("GPE", "LOC") or doc[k].ent_type_ == "ORG" and place_of(doc[k].text)) \
                and doc[k].dep_ == "conj" and doc[k].head.i in ids:
            while k + 1 < len(doc) and doc[k + 1].ent_iob_ == "I":
                k += 1
            toks, end = list(doc[toks[0].i:k + 1]), k + 1
    if label == "PERSON":
        # "Abdelhak al'Koush": the NER can stop before a surname joined to its particle
        if end < len(doc) and not doc[end].text[:1].isupper() and capitalised_name_word(doc[end].text) \
                and doc[end].pos_ == "PROPN":
            toks, end = list(doc[toks[0].i:end + 1]), end + 1
        j = end + (1 if end < len(doc) and doc[end].text == "," else 0)
        if j < len(doc) and doc[j].lower_ in NAME_SUFFIXES and doc[j].text[:1].isupper():
            return list(doc[toks[0].i:j + 1])
    if label == "ORG" and end + 1 < len(doc) and doc[end].text == "," and \
            any(t.lower_ in _INSTITUTIONS for t in toks):
        k = end + 1
        while k < len(doc) and doc[k].text[:1].isupper() and not doc[k].is_punct and k - end <= 3:
            k += 1
        nxt = doc[k] if k < len(doc) else None
        if k > end + 1 and (doc[end + 1].ent_type_ == "GPE" or place_of(doc[end + 1].text) == "") and \
                (nxt is None or nxt.is_punct or nxt.pos_ in ("VERB", "AUX", "ADP", "PART")) and \
                not (nxt is not None and nxt.text == "," and k + 1 < len(doc) and doc[k + 1].lower_ in ("and", "or")):
            return list(doc[toks[0].i:k])
    return toks


def _left_titles(doc, ent_start: int, ent_end: int) -> list:
    """Title and role words before an entity, outside it ("US President" + "Joe Biden")."""
    left: list = []
    j = ent_start - 1
    while j >= 0:
        t = doc[j]
        if t.is_punct and t.text not in (".", "-"):
            break
        attached = ent_start <= t.head.i < ent_end
        deps = ("compound", "amod", "poss", "case", "npadvmod", "punct")
        if attached and t.dep_ in ("compound", "amod", "nmod", "poss", "case", "det") \
                or (left and t.head.i == left[0].i and t.dep_ in deps + ("det",)) \
                or (left and t.head.i in {x.i for x in left} and t.dep_ in deps) \
                or (t.lower_ in TITLES or is_role_word(t)) and attached:
            left.insert(0, t)
            j -= 1
            continue
        break
    # "Constitution Party presidential nominee": the whole organisation name, not its last word
    while left and left[0].ent_iob_ == "I" and left[0].i > 0 and not doc[left[0].i - 1].is_punct:
        left.insert(0, doc[left[0].i - 1])
    return left


_OUTLET_WORDS = frozenset("magazine weekly monthly newspaper paper journal outlet broadsheet blog podcast portal newsportal".split())
_REGNAL = frozenset("II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI".split())


def _place_words(ix: ArticleIndex) -> set:
    """The words of the article's place entities (GPE, LOC), lower case."""
    return {t.lower_ for _, d in ix.blocks for e in d.ents if e.label_ in ("GPE", "LOC") for t in e}


def _of_body_after(toks: list, root) -> bool:
    """An "of" phrase on the name right after it: "Suman Haripriya of the Hajo assembly said"."""
    doc, j = root.doc, toks[-1].i + 1
    return j < len(doc) and doc[j].lower_ == "of" and doc[j].head.i == root.i


def _storm_name(form: str) -> bool:
    """A storm's name ("Hurricane Lorenzo", "Tropical Storm Ana")."""
    words = form.split()
    return len(words) > 1 and words[0].lower() in STORM_WORDS


def _people_plural(word: str) -> bool:
    """A capitalised plural of a noun for people ("Egyptologists", "Netizens", "Economists"), which
    the NER sometimes types ORG; not a name in capitals ("NATO"), nor one with inner capitals."""
    if len(word) < 4 or not word.endswith("s") or not word[:1].isupper() or not word[1:].islower():
        return False
    lw = word.lower()
    return lw[:-1] in PERSON_NOUNS or lw.endswith(("ists", "ologists"))


def _one_of(head):
    """The noun a name in apposition describes: the head itself ("his wife, Amanda"), or for
    "one of the leaders, Alberto Pizango" the plural after "one of"; singular nouns only otherwise."""
    if head.lower_ == "one":
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return pobj if pobj is not None and pobj.tag_ == "NNS" else None
    return head if head.tag_ == "NN" else None


def _person_shaped(toks: list) -> bool:
    """Name words only, no organisation noun, no country: what an ORG/GPE the NER typed can be
    when the context says person."""
    return all(_is_name_token(x) for x in toks) and not any(x.lower_ in ORG_NOUNS for x in toks) \
        and not place_of(" ".join(x.text for x in toks))


def read_entities(ix: ArticleIndex) -> list[RawName]:
    raws: list[RawName] = []
    headlines = _title_case_lines(ix.text)
    capitalised: Optional[set] = None
    lowered: set = set()
    lower_words: Optional[set] = None
    places: Optional[set] = None
    placed: Optional[set] = None
    cased: Optional[bool] = None
    for off, doc in ix.blocks:
        for ent in doc.ents:
            if ent.label_ not in NAME_ENTS:
                continue
            label = ent.label_
            toks = list(ent)
            while toks and (toks[0].lower_ in DETERMINERS or toks[0].is_punct):
                toks = toks[1:]
            titles: list = []
            described = False
            # "Vermont Bernie Sanders" (ORG): a name that starts at a first name, after a place
            # (not after another given name: "Mohammad Ali Abtahi", "John Paul Jones")
            k = next((i for i, x in enumerate(toks) if i > 0 and x.lower_ in _FIRST_NAMES), None)
            if k is not None:
                if places is None:
                    places = _place_words(ix)
                if not all(x.lower_ in places or x.lower_ in US_STATES or place_of(x.text) for x in toks[:k] if x.is_alpha):
                    k = None
            if k is not None and len(toks) - k >= 2 and all(_is_name_token(x) for x in toks[k:]) and \
                    not any(x.lower_ in ORG_NOUNS for x in toks) and all(x.text[:1].isupper() for x in toks[:k]):
                titles, toks, label = toks[:k], toks[k:], "PERSON"
            # "Prime Minister of India Narendra Modi" (tagged ORG as "India Narendra Modi"): the
            # place is the role's, the name after it a person's
            if label in ("ORG", "GPE") and not titles and len(toks) >= 3 and toks[0].i > 0 \
                    and doc[toks[0].i - 1].lower_ in ("of", "to", "for") and is_role_word(doc[toks[0].i - 1].head):
                for k in range(1, len(toks) - 1):
                    if place_of(" ".join(x.text for x in toks[:k])) and all(_is_name_token(x) for x in toks[k:]):
                        titles, toks, label = toks[:k], toks[k:], "PERSON"
                        break
            # "IM Dorsa Derakhshani": a short title in capitals before a full name
            if label == "PERSON" and len(toks) >= 3 and toks[0].text.isupper() and len(toks[0].text) <= 3 \
                    and toks[0].text.isalpha():
                titles, toks = titles + toks[:1], toks[1:]
            if label == "PERSON" and len(toks) >= 2 and is_demonym(toks[0].text):
                # "Kenyan Gay": a demonym and a word the article writes in lower case is no name;
                # "Kenyan Eliud Kipchoge" is Eliud Kipchoge
                if lower_words is None:
                    lower_words = {t.text for _, d in ix.blocks for t in d if t.text[:1].islower()}
                if len(toks) == 2 and toks[1].text.lower() in lower_words:
                    label = "NORP"
                elif any(x.lemma_.lower() in ORG_NOUNS or x.lower_ in ORG_NOUNS for x in toks[1:]):
                    label = "ORG"  # "Indian Railways" (tagged PERSON): a body of the country, no one's name
                else:
                    titles, toks = titles + toks[:1], toks[1:]
            if label == "ORG" and len(toks) == 1 and _people_plural(toks[0].text):
                label = "NORP"  # "Egyptologists have reported", "Netizens started" (tagged ORG): people, no body
            if label in ("PERSON", "ORG", "NORP"):
                t_, rest = _split_titles(toks)
                # "Dr Martisius" (tagged ORG): an honorific says person before one name word too
                honorific = any(x.lower_ in HONORIFICS for x in t_) and rest and all(_is_name_token(x) for x in rest)
                if t_ and (label == "PERSON" or (sum(_is_name_token(x) for x in rest) >= 2 or honorific)
                           and all(x.ent_type_ in ("PERSON", "ORG", "") for x in rest)):
                    titles, toks = t_, rest
                    label = "PERSON"
            if label == "PERSON" and len(toks) >= 2 and ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN":
                # "The Obama Cairo speech": a place the article names elsewhere ends no name here
                if places is None:
                    places = _place_words(ix)
                while len(toks) >= 2 and toks[-1].lower_ in places:
                    toks = toks[:-1]
            toks = _trim_name(toks, label == "PERSON")
            toks = _extend(toks, doc, label)
            if len(toks) > 1 and label == "PERSON" and any(a <= off + toks[0].idx < b for a, b in headlines):
                # a headline's capitals say nothing: keep the words written as a name elsewhere
                if capitalised is None:
                    capitalised, lowered = _capitalised_elsewhere(ix, headlines)
                keep = [t.text in capitalised or t.lower_ not in lowered and not t.tag_.startswith("VB")
                        for t in toks]
                if not all(keep) and any(keep):
                    runs, cur = [], []
                    for t, k in zip(toks, keep):
                        if k:
                            cur.append(t)
                        elif cur:
                            runs.append(cur)
                            cur = []
                    runs.append(cur)
                    toks = max(runs, key=len)
            if not toks:
                continue
            s, e, name = phrase(ix.text, off, toks)
            name = re.sub(r"['’]s$", "", name)
            e = s + len(name)
            if not name or not any(c.isalpha() for c in name):
                continue
            if not any(c.isupper() for c in name):
                if cased is None:
                    letters = [c for c in ix.text[:20000] if c.isalpha()]
                    cased = sum(c.isupper() for c in letters) >= 0.01 * len(letters)
                if cased:
                    continue  # "several mosquito bites" (tagged PERSON): in cased text a name has a capital
            if len(toks) == 1 and (toks[0].tag_ in ("VBG", "VBD", "VBN") or toks[0].lower_.endswith("ing")
                                   and toks[0].is_sent_start):
                continue  # "Quoting ..." at the start of a sentence is no one
            if len(toks) == 1 and toks[0].pos_ == "NOUN" and toks[0].lower_ in DOCUMENT_NOUNS \
                    and toks[0].lower_ not in _FIRST_NAMES:
                continue  # "Photographs showed ..." (tagged PERSON): a text or picture, no one's name
            if len(toks) == 1 and len(toks[0].text) <= 3 and toks[0].i > 0 and doc[toks[0].i - 1].text == "[":
                continue  # "blogging on Afinina [Ar]": a language note, no one
            left = _left_titles(doc, ent.start, ent.end)
            if label in ("ORG", "GPE", "NORP") and left and left[0].i > 0 and len(toks) >= 2 \
                    and all(x.ent_type_ in ("ORG", "GPE") or x.lower_ == "the" for x in left) \
                    and doc[left[0].i - 1].lower_ in ("to", "of", "for", "at") \
                    and is_role_word(doc[left[0].i - 1].head) and all(_is_name_token(x) for x in toks):
                # "Ambassador to the United Nations Nikki Haley": the organisation is the role's, the
                # name after it a person's
                label, left = "PERSON", []
            if label in ("ORG", "GPE", "NORP") and not titles and len(toks) == 1 and left:
                # "an attendee Om Prakash" (the NER typed "Prakash" ORG and left "Om" out): name words
                # between a person noun and the name are the person's
                k = len(left)
                while k > 0 and left[k - 1].i == (left[k].i if k < len(left) else toks[0].i) - 1 \
                        and left[k - 1].pos_ == "PROPN" and _is_name_token(left[k - 1]) and not left[k - 1].ent_type_ \
                        and not place_of(left[k - 1].text):
                    k -= 1
                if 0 < k < len(left) and left[k - 1].tag_ == "NN" and left[k - 1].text.islower() \
                        and left[k - 1].lower_ in PERSON_NOUNS and _person_shaped(left[k:] + toks):
                    label, toks, left = "PERSON", left[k:] + toks, left[:k]  # (named by the PERSON branch below)
            if label == "PERSON" and not titles:
                # "Pradeep Khosla" where the NER took "Khosla" only: name words right before it
                while left and left[-1].pos_ == "PROPN" and _is_name_token(left[-1]) and \
                        left[-1].ent_type_ in ("", "PERSON") and not place_of(left[-1].text) and \
                        not _descriptor_word(left[-1].lower_) and left[-1].i == toks[0].i - 1:  # not "Voter Kitty Mak"
                    toks = [left.pop()] + toks
                s, e, name = phrase(ix.text, off, toks)
                name = re.sub(r"['’]s$", "", name)
                e = s + len(name)
            if label in ("ORG", "GPE", "NORP") and not titles and (any(
                    is_role_word(x) and x.lower_ not in ("head", "chief", "leader") for x in left[-3:])
                    or left and left[-1].tag_ == "NN" and (left[-1].lower_ in PERSON_NOUNS
                                                           or left[-1].lower_.endswith("-author"))
                    and not any(x.tag_ == "NNPS" for x in toks)) and _person_shaped(toks):
                label = "PERSON"  # "Independent presidential candidate Brock Pierce", "committee member Ulf
                # Danielsson" (tagged ORG)
            if label in ("ORG", "GPE", "NORP") and len(toks) >= 2 and _person_shaped(toks) and any(ch.dep_ == "appos" and ch.i > ent.root.i and (
                        is_role_word(ch) or ch.lower_ in TITLES) for ch in ent.root.children):
                label = "PERSON"  # "Wanda Vázquez Garced, the Secretary of Justice," (tagged ORG)
            # the word before the name: a title-like one ("daily"), else a company word there ("chain"
            # is no title; not any organisation noun: "secretary of state Hillary Clinton")
            prev_tok = left[-1] if left else doc[toks[0].i - 1] if toks[0].i > 0 else None
            if label == "PERSON" and not titles and prev_tok is not None and prev_tok.text.islower() \
                    and (org_descriptor(prev_tok.lower_) if left else company_word(prev_tok.lower_)):
                label, described = "ORG", True  # "Greek daily Kathimerini", "supermarket chain Coles" (tagged PERSON)
            if label == "PERSON" and not titles:
                # "Australian store chains Woolworths and Coles": named in apposition to a plural
                # organisation noun (or coordinated with one that is)
                r0 = ent.root
                h = r0.head if r0.dep_ == "appos" else r0.head.head if r0.dep_ == "conj" and r0.head.dep_ == "appos" else None
                if h is not None and h.text.islower() and h.tag_ == "NNS" and org_descriptor(h.lemma_.lower()):
                    label, described = "ORG", True
            described_by = _one_of(ent.root.head) if ent.root.dep_ == "appos" else None
            if label in ("ORG", "GPE", "NORP") and described_by is not None and described_by.tag_ in ("NN", "NNS") and (
                    described_by.lower_ in RELATION_GENDER or described_by.lemma_.lower() in PERSON_NOUNS
                    or is_role_word(described_by)) and described_by.lower_ not in ORG_NOUNS and _person_shaped(toks):
                label = "PERSON"  # "his wife, Amanda," "One of the leaders of the protest group, Alberto Pizango," (tagged ORG, GPE)
            if label == "ORG" and not titles and len(toks) in (2, 3) \
                    and (toks[0].lower_ in _FIRST_NAMES - PARTICLES or _of_body_after(toks, ent.root)) \
                    and _person_shaped(toks) and ent.root.dep_ == "nsubj" and ent.root.head.lemma_.lower() in SPEECH_VERBS \
                    and toks[-1].lower_ not in MASTHEADS \
                    and not (toks[0].i > 0 and doc[toks[0].i - 1].lower_ == "the"):  # "(The) Charlotte Observer said"
                label = "PERSON"  # "Dominic Hare said", "Nikki Holland of the National Crime Agency said" (tagged ORG)
            if label in ("ORG", "GPE", "NORP", "LOC") and len(toks) == 1 and toks[0].lower_ in _FIRST_NAMES \
                    and toks[0].dep_ in ("nsubj", "nsubjpass") and not place_of(toks[0].text):
                if placed is None:  # words the article uses as places: "in Charlotte", "Charlotte police"
                    placed = {t.lower_ for _, d in ix.blocks for t in d if t.ent_type_ in ("GPE", "LOC", "ORG")
                              and (t.dep_ == "pobj" or t.dep_ == "compound" and t.head.pos_ == "NOUN")}
                if toks[0].lower_ not in placed:
                    label = "PERSON"  # "Marcus walked in." (tagged GPE): a first name doing something
            root = ent.root
            nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
            raws.append(RawName(s, e, label, name, left + titles, toks, root, off, subject_level(root),
                                poss=nxt is not None and is_poss_marker(nxt) or name != phrase(ix.text, off, toks)[2],
                                described=described))
        # proper-noun subjects the NER missed ("Oz has been dogged ...") count as person names
        for t in doc:
            dep = t.dep_
            if dep not in ("nsubj", "nsubjpass", "appos") and not _titled_name_missed(t) or t.ent_type_:
                continue
            # "A company spokeswoman, Ana Ruiz, said": a name in apposition to a role the NER missed
            appos = dep == "appos" and t.pos_ == "PROPN" and (
                is_role_word(t.head) or t.head.lemma_.lower() in PERSON_NOUNS)
            if dep == "appos" and not appos:
                continue
            org = t.lower_ in ORG_NOUNS
            if t.pos_ != "PROPN" and not org:
                continue
            regnal = t.text in _REGNAL and t.i > 0 and doc[t.i - 1].dep_ == "compound" and doc[t.i - 1].is_title
            if t.pos_ == "PROPN" and (not t.is_title and not regnal or t.lower_ in TITLES or is_role_word(t)):
                continue  # ("Queen Elizabeth II": the numeral is the subject the parser picks)
            if t.i > 0 and doc[t.i - 1].text == "[" and len(t.text) <= 3:
                continue  # "Afinina [Ar], launched": a language note the parser made a subject
            if t.lower_ in DOCUMENT_NOUNS and not org and t.lower_ not in _FIRST_NAMES:
                continue  # "The 12th Amendment to the US Constitution makes ...": a text, not a name
            if t.tag_ == "NNPS" and not org and not (t.i > 0 and doc[t.i - 1].dep_ == "compound"
                                                     and doc[t.i - 1].lower_ in _FIRST_NAMES):
                continue  # "Melbournians will no longer accept ...": a plural people, no one's name
                # (but "Heather Childers": a surname the tagger took for a plural)
            toks = [t]
            j = t.i - 1
            # the whole compound chain: "United States government", not "States government"
            while j >= 0 and doc[j].head.i in {x.i for x in toks} and doc[j].dep_ == "compound" \
                    and doc[j].pos_ == "PROPN":
                toks.insert(0, doc[j])
                j -= 1
            if org:  # "The Trump Campaign", "the Clinton campaign": an organisation
                # "Time magazine", "Yonhap news agency": the outlet is the name before its
                # descriptor ("according to Time"), which the NER has when it typed it
                while toks and toks[-1].lower_ in ORG_DESCRIPTORS and toks[-1].text.islower():
                    toks = toks[:-1]
                trimmed = not toks or toks[-1] is not t
                if trimmed and (not toks or any(x.ent_type_ for x in toks)):
                    continue
                if not trimmed:
                    toks = toks + _of_name(doc, t)  # "United States House of Representatives"
                if len(toks) > 1 or toks[-1] is not t:
                    ps, pe, name = phrase(ix.text, off, toks)
                    raws.append(RawName(ps, pe, "ORG", name, [], toks, t, off, subject_level(t)))
                continue
            if any(x.ent_type_ for x in toks):
                continue
            titles, toks = _split_titles(toks)
            if not toks:
                continue
            ps, pe, name = phrase(ix.text, off, toks)
            if any(c.isalpha() for c in name):
                # "wrestling promotion World Wonder Ring Stardom announced": an organisation's name
                before = doc[toks[0].i - 1] if toks[0].i > 0 else None
                described = not titles and before is not None and before.text.islower() and before.pos_ == "NOUN" \
                    and company_word(before.lower_)
                raws.append(RawName(ps, pe, "ORG" if described else "PERSON", name, titles, toks, t, off,
                                    subject_level(t.head if appos else t), described=described))
    raws.sort(key=lambda r: r.start)
    return raws


def _capitalised_elsewhere(ix: ArticleIndex, headlines: list[tuple[int, int]]) -> tuple[set, set]:
    """Words written capitalised outside headlines (not first in their sentence), and words
    written in lower case: a headline's "Says" is "says", its "Hillary" a name."""
    caps, lower = set(), set()
    for off, doc in ix.blocks:
        for t in doc:
            if any(a <= off + t.idx < b for a, b in headlines):
                continue
            if t.text[:1].isupper() and not t.is_sent_start:
                caps.add(t.text)
            elif t.text[:1].islower():
                lower.add(t.text)
    return caps, lower


# ---------------------------------------------------------------------------------------------
# clustering


def _surname(words: list[str]) -> tuple[str, str]:
    """(first word, last name word) of a person's name, suffixes aside ("Robert Downey Jr."),
    folded: lower case, one apostrophe ("O’Neill" = "O'Neill")."""
    ws = [w for w in words if w.lower().rstrip(",") not in NAME_SUFFIXES] or words
    return fold_word(ws[0]), fold_word(ws[-1])


def _paternal(name: str) -> Optional[str]:
    """The next-to-last word of a name of three words or more, initials and suffixes aside
    ("Pedro R. Pierluisi Urrutia" -> "pierluisi"), folded; None for shorter names."""
    ws = [w for w in name.split() if w.lower().rstrip(",") not in NAME_SUFFIXES and not (len(w) <= 2 and w.endswith("."))]
    return fold_word(ws[-2]) if len(ws) >= 3 and ws[-2][:1].isupper() else None


_DOUBLED = re.compile(r"(\w)\1")


def _single_letters(word: str) -> str:
    """``word`` with doubled letters written once: "hillary" and "hilary" -> "hilary"."""
    return _DOUBLED.sub(r"\1", word)


def _contains(big: list[str], small: list[str]) -> bool:
    it = iter(big)
    return all(w in it for w in small)


class NameCollector:
    """Builds the entity table's named entities (one pass over the article)."""

    def __init__(self, ix: ArticleIndex, table: EntityTable) -> None:
        self.ix, self.t = ix, table
        self.acronym_of: dict[str, Entity] = {}
        self.pending_relations: list[tuple] = []  # (entity, noun, possessive pronoun, position)
        self._relations_later: list[tuple] = []   # (entity, role tokens, role read too early)

    def lookup(self, toks: list) -> Optional[Entity]:
        """The entity a token span names (its last name token's entity), if any."""
        toks = [t for t in toks if not is_poss_marker(t) and not t.is_punct]
        return self._lookup_tokens(toks) if toks else None

    def _lookup_tokens(self, toks: list) -> Optional[Entity]:
        doc = toks[0].doc
        off = next((o for o, d in self.ix.blocks if d is doc), 0)
        for t in reversed(toks):
            e = self.t.entity_at(off, t.i)
            if e is not None:
                return e
        text = " ".join(t.text for t in toks)
        if text in self.acronym_of:
            return self.acronym_of[text]
        return None

    # -- the pass -------------------------------------------------------------------------------

    def run(self) -> None:
        raws = read_entities(self.ix)
        # "supermarket chain Coles" (the NER's PERSON, typed by its descriptor): the bare "Coles"
        # elsewhere is the company too
        described = {r.name.lower() for r in raws if r.label == "ORG" and r.described}
        for r in raws:
            if r.label == "PERSON" and not r.titles and r.name.lower() in described:
                r.label = "ORG"
        persons = [r for r in raws if r.label == "PERSON"]
        full = {" ".join(r.words).lower() for r in persons if len(r.words) > 1}
        full_words = [[w.lower() for w in r.words] for r in persons if len(r.words) > 1]
        lasts = {_surname(r.words)[1] for r in persons} | {_paternal(" ".join(r.words)) for r in persons} - {None}
        others = []
        for r in raws:
            if r.label == "PERSON":
                continue
            lw = [w.lower() for w in r.words]
            joined = " ".join(lw)
            # a person's name typed as an organisation: "Trump" (ORG), "La Riva" beside "Gloria La Riva"
            suffix_of_person = any(len(fw) > len(lw) and fw[-len(lw):] == lw for fw in full_words)
            if joined in described:
                others.append(r)
                continue
            if joined in full or (not (r.label == "GPE" and place_of(r.name)) and (
                    len(lw) == 1 and lw[0] in lasts or len(lw) > 1 and suffix_of_person
                    # "founded by Dean Kamen", "Ricardo Rosselló Nevares" (ORG) beside "Kamen", "Rosselló"
                    or 2 <= len(lw) <= 4 and (lw[0] in MALE_NAMES or lw[0] in FEMALE_NAMES)
                    and (lw[-1] in lasts or len(lw) >= 3 and lw[-2] in lasts))) \
                    and not any(w in ORG_NOUNS for w in lw):
                r.label = "PERSON"
                persons.append(r)
                continue
            others.append(r)
        persons.sort(key=lambda r: r.start)
        self._acronyms(others)
        self._orgs(others)
        self._persons(persons)
        self._kinds()

    # -- people ---------------------------------------------------------------------------------

    def _persons(self, raws: list[RawName]) -> None:
        full: dict[tuple[str, str], Entity] = {}
        singles = []
        for r in raws:
            if len(r.words) >= 2:
                key = _surname(r.words)
                e = full.get(key)
                if e is None:
                    e = full[key] = self.t.new("person")
                    e.first_words.add(key[0])
                    e.last_word = key[1]
                self._attach(e, r)
            else:
                singles.append(r)
        # "Lamont Scott" inside "Keith Lamont Scott": one person when only one name contains it
        for key, e in list(full.items()):
            words = e.name.lower().split()
            hosts = [o for o in full.values() if o is not e and len(o.name.split()) > len(words)
                     and o.last_word == e.last_word and _contains(o.name.lower().split(), words)]
            if len(hosts) == 1 and e in self.t.entities:
                self.t.merge(hosts[0], e)
                full[key] = hosts[0]
        # "Hilary Clinton" beside "Hillary Clinton": a first name spelt with a single letter where
        # the other has it doubled is a misspelling of it (the name of more mentions wins)
        for key, e in list(full.items()):
            if len(key[0]) < 4 or e not in self.t.entities:
                continue
            hosts = [o for k2, o in full.items() if o is not e and o in self.t.entities and k2[1] == key[1]
                     and k2[0] != key[0] and _single_letters(k2[0]) == _single_letters(key[0])]
            if len(hosts) == 1 and len(hosts[0].mentions) >= len(e.mentions):
                self.t.merge(hosts[0], e)
                full[key] = hosts[0]
        # "Pedro Pierluisi" beside "Pedro R. Pierluisi Urrutia": the first of two surnames
        for key, e in list(full.items()):
            if len(e.name.split()) != 2 or e not in self.t.entities:
                continue
            hosts = list({id(o): o for o in full.values() if o is not e and o in self.t.entities
                          and _paternal(o.name) == key[1] and key[0] in o.first_words}.values())
            if len(hosts) == 1:
                self.t.merge(hosts[0], e)
                full[key] = hosts[0]
        # a surname with a title that no full name fits ("Mr. Obama" beside "Michelle Obama") is
        # a person of its own, found first so that later bare mentions can choose it; so is the
        # relative in "Biden's son Hunter Biden"
        singles_of: dict[tuple[str, str], Entity] = {}
        rest = []
        for r in singles:
            w = fold_word(r.name)
            tg = _title_gender(r.titles)
            cands = [e for e in self.t.persons if len(e.name.split()) > 1 and (e.last_word == w or w in e.first_words)]
            if self._relative_of_namesake(r, w):
                # the relative is the one other person of that name, if the article names one
                named_next = [e for e in cands if any(0 < m.start - r.end <= 40 for m in e.mentions)]
                others = [e for e in cands if e not in named_next]
                if len(others) == 1:
                    self._attach(others[0], r)
                    continue
                tg = tg or "?"
                cands = []
            if tg and (not cands and tg == "?" or cands and not [e for e in cands if e.pronoun_gender() in (tg, None)]):
                e = singles_of.get((w, tg))
                if e is None:
                    e = singles_of[(w, tg)] = self.t.new("person")
                    e.last_word = w
                self._attach(e, r)
            else:
                rest.append(r)
        self.singles_of = singles_of
        for e, toks, early in self._relations_later:
            role = parse_role(toks, self._lookup_tokens)
            if role is not None and role.of is not None and role.of is not e:
                e.roles = [r for r in e.roles if r is not early]
                e.add_role(role, votes=0)
        for r in rest:
            w = fold_word(r.name)
            tg = _title_gender(r.titles)
            cands = self.candidates(w)
            if tg:
                cands = [e for e in cands if e.pronoun_gender() in (tg, None)]
            if not cands:
                cands = [e for e in self.t.persons if fold_word(e.name) == w]
            n = len(cands)
            if n > 1:
                decided = decide_namesake(self.ix, cands, r.start, r.titles, lookup=self._lookup_tokens)
                if decided is not None:
                    cands = [decided]
                else:
                    cands.sort(key=lambda e: self._recency(e, r.start))
            if cands:
                m = self._attach(cands[0], r, ambiguous=len(cands) > 1, namesakes=n)
                m.namesakes = n
            else:
                e = self.t.new("person")
                e.last_word = w
                self._attach(e, r)

    def _relative_of_namesake(self, r: RawName, w: str) -> bool:
        """"Biden's son Hunter Biden": the possessor is another Biden than the one it names."""
        if not r.poss:
            return False
        doc = r.toks[-1].doc
        i = r.toks[-1].i + 1
        while i < len(doc) and (doc[i].tag_ == "POS" or doc[i].text in ("'s", "’s", "'", "’")):
            i += 1
        if i >= len(doc) or doc[i].lemma_.lower() not in RELATION_GENDER:
            return False
        rest = [t for t in doc[i + 1:i + 5] if t.ent_type_ == "PERSON" or t.pos_ == "PROPN"]
        return len(rest) >= 2 and fold_word(rest[-1].text) == w

    def candidates(self, word: str) -> list[Entity]:
        """The people a single name could be: full names with that surname or first name, and
        people known by that name alone with a title that sets them apart ("Mr. Obama")."""
        w = fold_word(word)
        out = [e for e in self.t.persons if len(e.name.split()) > 1 and (e.last_word == w or w in e.first_words)]
        out += [e for e in getattr(self, "singles_of", {}).values() if e.last_word == w and e in self.t.entities]
        if not out:
            # "Rosselló" for "Ricardo Rosselló Nevares": the first of two surnames (Spanish and
            # Portuguese names), when one person of the article has it
            out = [e for e in self.t.persons if _paternal(e.name) == w]
            if len(out) > 1:
                out = []
        return out

    @staticmethod
    def _recency(e: Entity, pos: int) -> tuple:
        before = [m.start for m in e.mentions if m.start < pos]
        if before:
            return (0, -max(before))
        return (1, min((m.start for m in e.mentions), default=0))

    def _attach(self, e: Entity, r: RawName, ambiguous: bool = False, namesakes: int = 1):
        e.forms.append((len(r.words), r.name))
        m = self.t.add_mention(e, r.start, r.end, r.subject, poss=r.poss)
        m.ambiguous = ambiguous
        self.t.register(e, r.toks, r.off)
        e.kind_votes["person" if r.label == "PERSON" else "organisation"] += 1
        g = _title_gender(r.titles)
        if g and not ambiguous:
            e.gender_votes[g] += 3
        if any(t.lower_ in HONORIFICS or t.lower_ in TITLES for t in r.titles):
            e.kind_votes["person"] += 3
        if len(r.words) >= 2:
            e.first_words.add(_surname(r.words)[0])
        elif r.titles and r.titles[-1].lower_ in _ROYAL:  # "Princess Anne", "Pope Francis"
            titled = f"{r.titles[-1].text} {r.name}"
            e.forms.append((2, titled))
        if ambiguous or namesakes > 1:
            return m  # a guess between namesakes lends no role
        role_toks = [t for t in r.titles if t.lower_ not in HONORIFICS]
        if role_toks and any(is_role_word(t) for t in role_toks):
            role = parse_role(role_toks, self._lookup_tokens)
            if role is not None and role.head in RELATION_GENDER and role.of is None:
                # "Biden's son Hunter Biden": whose son is known once every name is read
                self._relations_later.append((e, role_toks, role))
            e.add_role(role)
        self._appositions(e, r)
        return m

    def _appositions(self, e: Entity, r: RawName) -> None:
        """"Joe Biden, the US president," and "the US president, Joe Biden,"; "X of the WHO"."""
        root = r.root
        name_ids = {t.i for t in r.toks}
        first, last = min(name_ids), max(name_ids)
        for ch in root.children:
            # an apposition right after the name ("Joe Biden, the US president,"), not one the parser
            # hangs on it from the far side of the sentence
            if ch.dep_ == "appos" and ch.i not in name_ids and 0 < ch.left_edge.i - last <= 2:
                toks = [t for t in ch.subtree]
                if ch.pos_ == "NOUN":
                    self._apposition(e, toks, r.off, False)
                elif ch.pos_ == "PROPN" and is_role_word(ch):
                    self._apposition(e, toks, r.off, False)
            if ch.dep_ == "prep" and ch.lower_ in ("of", "from", "at") and ch.i > max(name_ids, default=-1):
                objs = [g for g in ch.children if g.dep_ == "pobj"]
                if objs:
                    org = self._lookup_tokens([objs[0]])
                    if org is not None and org.kind == "organisation" or objs[0].ent_type_ == "ORG":
                        from .entity import Role

                        name = org.name if org is not None else objs[0].text
                        e.add_role(Role(text="", head="", orgs=frozenset([name.lower()]), org_names=(name,)))
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i not in name_ids \
                and 0 < first - root.head.i <= 2 + len([t for t in root.head.subtree if root.head.i < t.i < first
                                                        and t.i not in name_ids]):
            h = root.head
            toks = [t for t in h.subtree if not (root.left_edge.i <= t.i <= root.right_edge.i)]
            toks = [t for t in toks if t.i <= h.i]
            if h.pos_ == "NOUN" or is_role_word(h):
                self._apposition(e, toks, r.off, h.dep_ in ("nsubj", "nsubjpass"))
            elif h.lower_ in ORG_NOUNS:
                e.kind_votes["organisation"] += 3

    def _apposition(self, e: Entity, toks: list, off: int, subject: bool) -> None:
        head = next((t for t in toks if t.head.i not in {x.i for x in toks} or t.head.i == t.i), None)
        if head is not None and head.lemma_.lower() in ORG_NOUNS and not is_role_word(head):
            e.kind_votes["organisation"] += 3  # "software company Red Hat"
            return
        role = parse_role(toks, self._lookup_tokens)
        if role is None:
            if head is not None and (head.lemma_.lower() in PERSON_NOUNS):
                e.kind_votes["person"] += 2
            if head is not None and head.lemma_.lower() in RELATION_GENDER:
                poss = [c for c in head.children if c.dep_ == "poss" and c.lower_ in _POSS_PRON]
                if poss:  # "his father, Tom Smith": whose father, once pronouns can be read
                    self.pending_relations.append((e, head.lemma_.lower(), _POSS_PRON[poss[0].lower_],
                                                   off + head.idx))
                    e.kind_votes["person"] += 2
                    g = RELATION_GENDER.get(head.lemma_.lower())
                    if g:
                        e.gender_votes[g] += 2
            return
        if role.head in RELATION_GENDER and role.of is None:
            self._relations_later.append((e, toks, role))
        e.add_role(role)
        e.kind_votes["person"] += 2
        st = strip_tokens(toks)
        if st:
            ps, pe, _ = phrase(self.ix.text, off, st)
            self.t.add_mention(e, ps, pe, subject, named=False)

    # -- organisations ----------------------------------------------------------------------------

    def _acronyms(self, raws: list[RawName]) -> None:
        """"the World Health Organization (WHO)": WHO stands for it."""
        for r in raws:
            m = _ACRONYM_DEF.match(self.ix.text, r.end)
            if m and len(r.words) > 1:
                acr = m.group(1).replace(".", "")
                if acr.isupper() and (acr[0] == initials(r.words)[:1] or len(acr) <= len(r.words) + 1):
                    r.acronym = acr  # type: ignore[attr-defined]

    def _orgs(self, raws: list[RawName]) -> None:
        by_text: dict[str, Entity] = {}
        for r in raws:
            key = r.name.lower()
            e = by_text.get(key)
            words = r.words
            if e is None and r.name.replace(".", "") in self.acronym_of:
                e = self.acronym_of[r.name.replace(".", "")]
            if e is None and len(words) == 1:
                w = words[0]
                for oe in reversed(self.t.entities):
                    if oe.kind == "person" or not oe.forms:
                        continue
                    ow = oe.name.split()
                    if len(ow) > 1 and (ow[-1].lower() == key and r.label != "GPE" or
                                        w.isupper() and len(w) >= 2 and initials(ow) == w):
                        e = oe
                        break
                if e is None and w[:1].isupper() and r.label != "GPE":
                    # "the House" after "the United States House of Representatives": the head
                    # word before its "of", written as a name (after any body it ends: "the Court"
                    # is the Supreme Court before the High Court of England and Wales)
                    e = next((oe for oe in reversed(self.t.entities) if oe.kind != "person" and oe.forms
                              and f" {w} of " in f" {oe.name} "), None)
            if e is None:
                kind = "other" if r.label == "NORP" else "organisation"
                e = self.t.new(kind)
                e.plural = r.label == "NORP"
                e.last_word = words[-1].lower()
            by_text[key] = e
            e.forms.append((len(words), r.name))
            e.kind_votes["other" if r.label == "NORP" else "organisation"] += 1
            if getattr(r, "acronym", None):
                acr = r.acronym  # type: ignore[attr-defined]
                e.acronyms.add(acr)
                self.acronym_of[acr] = e
                by_text[acr.lower()] = e
                e.long_form = e.long_form or r.name
            m = self.t.add_mention(e, r.start, r.end, r.subject, poss=r.poss)
            m.aside = m.aside or _aside(r)
            self.t.register(e, r.toks, r.off)
        # acronyms used before their definition, or tagged as something else: the long form wins
        for acr, e in self.acronym_of.items():
            other = by_text.get(acr.lower())
            if other is not None and other is not e and other in self.t.entities:
                self.t.merge(e, other)

    # -- kinds ------------------------------------------------------------------------------------

    def _corporate(self, t, first) -> bool:
        """Whether a name (``first``..``t``, its last token) is written as a company's or a
        platform's: "Red Hat's CTO", "the Chief Technology Officer of Red Hat", "Twitter CEO Jack
        Dorsey", "a Twitter account", "in a post on Twitter", "software company Red Hat"."""
        h = t.head
        if h.i == t.i:
            return False
        if t.dep_ in ("poss", "compound") and h.i > t.i and (
                h.lower_ in CORPORATE_NOUNS or h.lemma_.lower() in CORPORATE_NOUNS):
            # a person has an account, shares and staff too: "Trump's account", "Musk's shares"
            return t.dep_ == "compound" or h.lower_ in CORPORATE_HEADS or h.lemma_.lower() in CORPORATE_HEADS
        # the name is all the preposition's object ("of Red Hat", "on Twitter"), not the end of a
        # longer one ("Chief Executive of Hong Kong Carrie Lam")
        whole = first.i > 0 and (first.i - 1 == h.i or t.doc[first.i - 1].pos_ == "DET" and first.i - 2 == h.i)
        if whole and t.dep_ == "pobj" and h.lower_ == "of" and h.head.i != h.i and (
                h.head.lower_ in CORPORATE_NOUNS or h.head.lemma_.lower() in CORPORATE_NOUNS):
            return True
        if whole and t.dep_ == "pobj" and h.lower_ in ("on", "via") and h.head.i != h.i and (
                h.head.lower_ in POSTING_WORDS or h.head.lemma_.lower() in POSTING_WORDS):
            return True
        prev = t.doc[first.i - 1] if first.i > 0 else None
        return prev is not None and prev.text.islower() and prev.lemma_ in ORG_NOUNS | {"platform", "app", "website"} \
            and (prev.head.i in range(first.i, t.i + 1) or t.head.i == prev.i or prev.head.i == t.i)

    def _corporate_votes(self, e: Entity) -> int:
        """How many times the article writes ``e``'s names as a company's (``_corporate``)."""
        if not hasattr(self, "_by_word"):
            self._by_word: dict = {}
            for _, doc in self.ix.blocks:
                for tok in doc:
                    if tok.text[:1].isupper():
                        self._by_word.setdefault(tok.text, []).append(tok)
        n = 0
        for form in {f for _, f in e.forms}:
            words = form.split()
            if not words or len(words) > 6:
                continue
            for tok in self._by_word.get(words[-1], []):
                k = len(words) - 1
                if tok.i < k or [x.text for x in tok.doc[tok.i - k:tok.i + 1]] != words:
                    continue
                n += self._corporate(tok, tok.doc[tok.i - k])
        return n

    def _kinds(self) -> None:
        # "Hurricane Lorenzo ... Lorenzo was forecast to diminish": a storm's name, alone too
        storms = {f.split()[-1] for e in self.t.entities for _, f in e.forms if _storm_name(f)}
        for e in self.t.entities:
            if e.kind not in ("person", "organisation"):
                continue
            if e.name.lower() in PLATFORMS:
                e.kind = "organisation"
                continue
            if any(_storm_name(f) for _, f in e.forms) or storms and all(f in storms for _, f in e.forms):
                e.kind = "other"  # "Hurricane Lorenzo": a storm's name
                continue
            words = e.name.split()
            if len(words) >= 2 and words[-1].lower() in LEGAL_TEXTS and words[-1][:1].isupper() \
                    and words[0].lower() not in _FIRST_NAMES and not e.gender_votes:
                e.kind = "document"  # "the Digital Crimes Bill" (tagged PERSON: "Bill"), "Free Trade Agreement"
                continue
            if e.name.lower() in RELIGIONS:
                e.kind = "other"  # "Islam": a faith, not a person or a body that speaks
                continue
            v = Counter(e.kind_votes)
            for _, form in e.forms:
                last = form.split()[-1] if form.split() else ""
                if any(w.lower() in ORG_NOUNS and w[:1].isupper() for w in form.split()[1:]) or \
                        _ORG_NAME_END.search(last) and len(last) > 5:
                    v["organisation"] += 3
            if e.gender_votes:
                v["person"] += 2
            corporate = self._corporate_votes(e)
            if corporate and e.kind == "person" and not e.gender_votes and not e.roles \
                    and not (e.first_words & _FIRST_NAMES):
                # the NER tags "Red Hat" a person in every sentence: what the article says of it
                # decides, when nothing (a title, a first name, a role) says person
                e.kind = "organisation"
                continue
            v["organisation"] += 4 * corporate
            if e.kind == "person" and v["organisation"] > v["person"] and (not e.roles or v["organisation"] > v["person"] + 2):
                e.kind = "organisation"
            elif e.kind == "organisation" and v["person"] > v["organisation"] + 1:
                e.kind = "person"


_LOCATIVE = frozenset("in at across throughout around near into inside outside within".split())


def _aside(r: RawName) -> bool:
    """A body or place named as a modifier of a common noun ("Critics of the EB-5 program", "a
    Pinellas sheriff's detective", "Gilmer street") or a place after a locative preposition ("in
    gun-controlled Chicago"): the noun phrase around it, not the name, is what a later "they"
    takes up."""
    root = r.root
    if root is None:
        return False
    ids = {t.i for t in r.toks}
    h = root.head
    if root.dep_ in ("compound", "amod", "nmod", "npadvmod") and h.i > root.i and h.i not in ids \
            and h.pos_ == "NOUN":
        return True
    return r.label in ("GPE", "LOC", "FAC", "NORP") and root.dep_ == "pobj" and h.lower_ in _LOCATIVE


def _of_name(doc, t) -> list:
    """The "of" part of a body's name the NER missed, after its head word: "House" + "of
    Representatives", "Ministry" + "of Defence" (capitalised proper nouns hung on the "of")."""
    k = t.i + 1
    if k + 1 >= len(doc) or doc[k].lower_ != "of" or doc[k].head.i != t.i:
        return []
    if not (t.pos_ == "PROPN" and t.text[:1].isupper()):
        return []  # "A three-judge panel of the U.S. Court of Appeals": a description, not a name
    m = k + 1 + (doc[k + 1].lower_ == "the")
    obj = [x for x in doc[k + 1:k + 6] if x.dep_ == "pobj" and x.head.i == k]
    if not obj or obj[0].i < m or any(not (x.pos_ == "PROPN" and x.text[:1].isupper()) for x in doc[m:obj[0].i + 1]):
        return []
    return list(doc[k:obj[0].i + 1])

