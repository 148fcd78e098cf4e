"""The speakers package module by module, on phrases written for these tests: roles (reading and
matching), places, coordination, document nouns, pronoun compatibility, namesakes."""
import pytest

from saidwhat.parse import parse_many
from saidwhat.speakers import groups, pronouns
from saidwhat.speakers.entity import Entity, Role
from saidwhat.speakers.index import head_of
from saidwhat.speakers.lexicon import country_in, place_of
from saidwhat.speakers.roles import EXACT, NONE, WEAK, match, parse_role


def doc(text):
    (blocks,) = list(parse_many([text]))
    return blocks[0][1]


def role(phrase):
    d = doc(f"{phrase} spoke.")
    return parse_role(list(d[:len(d) - 2]))


@pytest.mark.parametrize("phrase,head,office,places,orgs", [
    ("the US president", "president", set(), {"United States"}, set()),
    ("the American president", "president", set(), {"United States"}, set()),
    ("Estonia's prime minister", "minister", {"prime"}, {"Estonia"}, set()),
    ("the prime minister of Estonia", "minister", {"prime"}, {"Estonia"}, set()),
    ("the Kremlin spokesman", "spokesman", set(), set(), {"kremlin"}),
    ("the former vice president", "president", {"vice"}, set(), set()),
    ("the GOP nominee", "nominee", set(), set(), {"republican"}),
    ("Interior Minister", "minister", {"interior"}, set(), set()),
])
def test_roles_read_office_places_and_organisations(phrase, head, office, places, orgs):
    r = role(phrase)
    assert (r.head, set(r.office), set(r.places), set(r.orgs)) == (head, office, places, orgs)


def test_roles_no_role_without_a_role_noun_and_no_plural_roles():
    assert role("the weather") is None
    assert role("two teenage chess players") is None


def _person(*phrases):
    e = Entity("person")
    for p in phrases:
        e.add_role(role(p))
    return e


def test_roles_match_exact_weak_and_contradiction():
    biden, karis = _person("US President"), _person("President")
    estonian = _person("Estonian President")
    us = role("the US president")
    assert match(us, biden) == EXACT
    assert match(us, karis) == WEAK          # a bare title: never exact for a modified role
    assert match(us, estonian) == NONE       # another country
    assert match(role("the president"), karis) == EXACT
    assert match(role("the president"), _person("Vice President")) == NONE  # another office
    assert match(role("Russia's leader"), _person("Russian President")) == EXACT
    assert match(role("the leader"), _person("Russian President")) == NONE  # "leader" needs a country


def test_places_and_countries_in_text():
    assert place_of("U.S.") == place_of("American") == place_of("United States") == "United States"
    assert place_of("Estonia's") == "Estonia" and place_of("minister") == ""
    assert country_in("In Tallinn, President Alar Karis spoke to us.") == {"Estonia"}


@pytest.mark.parametrize("text,parts", [
    ("Joe Biden and Kamala Harris said it.", [["Joe", "Biden"], ["Kamala", "Harris"]]),
    ("Pierce and Hawkins both said it.", [["Pierce"], ["Hawkins"]]),
    ("Ratcliffe and FBI director Christopher Wray said it.", [["Ratcliffe"], ["FBI", "director", "Christopher", "Wray"]]),
    ("The Centers for Disease Control and Prevention said it.", []),
    ("The minister said it.", []),
    # an "and" inside one name coordinates nothing
    ("The High Court of England and Wales said it.", []),
    ("The Islamic State of Iraq and the Levant said it.", []),
    ("The House Oversight and Reform Committee said it.", []),
    ("The president of France and Angela Merkel said it.", [["The", "president", "of", "France"], ["Angela", "Merkel"]]),
])
def test_groups_conjuncts(text, parts):
    d = doc(text)
    toks = [t for t in d if t.i < [x.i for x in d if x.lower_ == "said"][0]]
    got = groups.conjuncts(toks, head_of(toks))
    assert [[t.text for t in p] for p in got] == parts


def test_groups_documents_are_common_nouns():
    d = doc("The report said it. Page said it. The guidelines state it.")
    assert groups.is_document(d[1]) and not groups.is_document(d[5])
    assert groups.same_document("ruling") == groups.same_document("decision")


def test_pronoun_compatibility():
    she, org, grp = Entity("person"), Entity("organisation"), Entity("group", plural=True)
    she.gender_votes["female"] += 1
    assert pronouns.compatible(she, "she") and not pronouns.compatible(she, "he")
    assert pronouns.compatible(org, "it") and pronouns.compatible(org, "they")
    assert pronouns.compatible(grp, "they") and not pronouns.compatible(grp, "it")
    anon = Entity("person", first_words={"kaja"})
    assert anon.gender is None and anon.pronoun_gender() == "female"  # a prior for he/she only


@pytest.mark.parametrize("label, parts", [
    ("MR. SMITH", ([], "Smith", "male")),
    ("SEN. JONES", (["senator"], "Jones", None)),
    ("MS. O'BRIEN", ([], "O'Brien", "female")),
    ("SENATOR ELIZABETH WARREN", (["senator"], "Elizabeth Warren", None)),
    ("REP. McCONNELL-SMITH", (["representative"], "McConnell-Smith", None)),
    ("JOHN SMITH", ([], "John Smith", None)),
    ("NATO", None),          # one all-capitals word: an acronym as likely as a name
    ("MR.", None),           # a title and no name
    ("The Latest", None),
])
def test_transcript_labels_split_into_titles_and_name(label, parts):
    from saidwhat.speakers.resolver import split_label
    assert split_label(label) == parts
