"""Speakers across articles, on articles written for the purpose: one Kallas, or two."""
import pytest

from saidwhat.crossdoc import _Local, assign, parse_name, resolve
from saidwhat.model import Article, Attribution, Span, Speaker
from saidwhat.store import Store, text_hash

ARTICLES = [
    {"id": "ee-1", "outlet": "Baltic Times", "published": "2024-03-04",
     "text": '"We will not be rushed into a decision by anyone," Estonian Prime Minister Kaja Kallas said on '
             "Monday in Tallinn. The cabinet met for six hours."},
    {"id": "ee-2", "outlet": "Reuters", "published": "2024-03-05",
     "text": "Defence spending will rise to three percent of output, Kaja Kallas told parliament on Tuesday. "
             "The opposition objected to the plan."},
    {"id": "ee-3", "outlet": "Postimees", "published": "2024-03-06",
     "text": 'The budget is balanced, Prime Minister Kallas said on Wednesday. "Nobody will pay more tax," she added.'},
    {"id": "ee-4", "outlet": "ERR", "published": "2024-03-07",
     "text": '"The euro was the right choice for Estonia," former European Commissioner Siim Kallas said at a '
             "conference in Tartu on Thursday."},
    {"id": "ee-5", "outlet": "ERR", "published": "2024-03-08",
     "text": "The commission made mistakes in 2010, Kallas said in an interview on Friday. He did not elaborate."},
    {"id": "ee-6", "outlet": "Delfi", "published": "2024-03-09",
     "text": "The single currency saved the economy, European Commissioner Kallas said on Saturday in Brussels."},
    {"id": "ru-1", "outlet": "TASS", "published": "2024-03-08",
     "text": "The Kremlin said the exercises were a provocation. Moscow warned that it would respond to any "
             "deployment near its borders."},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("crossdoc") / "c.db")
    from saidwhat import extract_many
    arts = list(extract_many(ARTICLES))
    s.add_articles([(a, text_hash(a.text), a.id) for a in arts])
    resolve(s)
    yield s
    s.close()


def _speaker_of(store, article_id):
    """The collection speakers of an article's attributions whose source is a Kallas (by name or
    pronoun); other attributions the extractor finds in these articles are not this test's matter."""
    return {h["speaker_name"] for h in store.search(limit=100) if h["article"]["ext_id"] == article_id
            and h.get("source_text") and ("Kallas" in h["source_text"] or h["source_text"].lower() in ("he", "she"))}


def test_crossdoc_kaja_kallas_is_one_speaker_with_aliases_and_roles(store):
    kaja = [s for s in store.speakers(name="Kallas") if s["name"] == "Kaja Kallas"]
    assert len(kaja) == 1
    kaja = kaja[0]
    assert kaja["kind"] == "person"
    aliases = {a["alias"] for a in kaja["aliases"]}
    assert {"Kaja Kallas", "Estonian Prime Minister Kaja Kallas", "Prime Minister Kallas"} <= aliases
    assert any("prime minister" in r.lower() for r in kaja["roles"])
    # ee-1 (full name with a role), ee-2 (full name), ee-3 (surname + "Prime Minister": the role decides)
    assert kaja["n_articles"] == 3
    assert kaja["first_seen"] == "2024-03-04" and kaja["last_seen"] == "2024-03-06"
    for art in ("ee-1", "ee-2", "ee-3"):
        assert _speaker_of(store, art) == {"Kaja Kallas"}


def test_crossdoc_same_surname_different_people_not_merged(store):
    names = {s["name"]: s for s in store.speakers(name="Kallas")}
    assert "Siim Kallas" in names and names["Siim Kallas"]["id"] != names["Kaja Kallas"]["id"]
    # "European Commissioner Kallas" shares the role word with Siim Kallas only
    assert _speaker_of(store, "ee-6") == {"Siim Kallas"}
    assert names["Siim Kallas"]["n_articles"] == 2
    # a bare "Kallas" with no first name, role or organisation stays apart: no guess
    assert _speaker_of(store, "ee-5") == {"Kallas"}
    assert names["Kallas"]["id"] not in {names["Kaja Kallas"]["id"], names["Siim Kallas"]["id"]}


def test_crossdoc_organisations_and_places(store):
    orgs = {s["name"]: s["kind"] for s in store.speakers(kind="organisation")}
    assert orgs.get("Kremlin") == "organisation" and orgs.get("Moscow") == "organisation"
    assert store.search(speaker="the Kremlin")[0]["speaker_name"] == "Kremlin"


def test_crossdoc_ids_stable_when_the_collection_grows(store):
    before = {s["name"]: s["id"] for s in store.speakers(limit=100)}
    extra = Article(id="ee-7", text="Kaja Kallas said the talks went well.", outlet="ERR", published="2024-03-10")
    src = Span.of(extra.text, 0, 11)
    sp = Speaker(id="s1", name="Kaja Kallas", kind="person", mentions=[src])
    extra.speakers = [sp]
    extra.attributions = [Attribution(type="indirect", content=Span.of(extra.text, 17, 37),
                                      cue=Span.of(extra.text, 12, 16), source=src, speaker=sp)]
    store.add_articles([(extra, text_hash(extra.text), "ee-7")])
    resolve(store)
    after = {s["name"]: s["id"] for s in store.speakers(limit=100)}
    assert after == before
    assert store.speaker(after["Kaja Kallas"])["n_articles"] == 4


@pytest.mark.parametrize("raw,kind,name,surname,role", [
    ("Estonian Prime Minister Kaja Kallas", "person", "Kaja Kallas", "kallas", "Estonian Prime Minister"),
    ("Kaja Kallas, the Estonian prime minister", "person", "Kaja Kallas", "kallas", "Estonian prime minister"),
    ("Ursula von der Leyen", "person", "Ursula von der Leyen", "von der leyen", None),
    ("Kremlin spokesman Dmitry Peskov", "person", "Dmitry Peskov", "peskov", "Kremlin spokesman"),
    ("the Kremlin", "organisation", "Kremlin", "", None),
    ("Moscow", "organisation", "Moscow", "", None),
    ("NATO", "organisation", "NATO", "", None),
    ("the prime minister", "other", "the prime minister", "", "prime minister"),
    ("Officials", "other", "Officials", "", None),
    ("she", "other", "she", "", None),
    ("IM Dorsa Derakhshani", "person", "Dorsa Derakhshani", "derakhshani", None),  # a chess title
    ("GM Magnus Carlsen", "person", "Magnus Carlsen", "carlsen", None),
    # someone of an organisation speaks for it; of a place, is no one the collection knows by name
    ("A correspondent from French Wikinews", "organisation", "Wikinews", "", None),
    ("A spokesperson for Stagecoach South", "organisation", "Stagecoach South", "", None),
    ("a federal judge in Texas", "other", "a federal judge in Texas", "", None),
    ("The president of Turkey", "other", "The president of Turkey", "", None),
    ("United States Senator from Vermont Bernie Sanders", "person", "Bernie Sanders", "sanders", None),
    ("Kenyan Eliud Kipchoge", "person", "Eliud Kipchoge", "kipchoge", None),  # a demonym is no first name
    ("Podcaster Spike Cohen", "person", "Spike Cohen", "cohen", None),  # an occupation before the name
    ("Kama Melly QC", "person", "Kama Melly", "melly", None),
    ("Isaac Bashevis Singer", "person", "Isaac Bashevis Singer", "singer", None),  # a surname that is a noun
])
def test_crossdoc_parse_name(raw, kind, name, surname, role):
    p = parse_name(raw)
    assert (p.kind, p.name, p.surname) == (kind, name, surname)
    if role:
        assert role in p.roles


@pytest.mark.parametrize("raw,kind,name", [
    # what an article's resolver called a person, and no person is called
    ("Nigeria", "organisation", "Nigeria"), ("Fars News", "organisation", "Fars News"),
    ("Americans", "other", "Americans"), ("Presidents", "other", "Presidents"),
    ("Jordan Peterson", "person", "Jordan Peterson"), ("Emily Post", "person", "Emily Post"),
])
def test_crossdoc_parse_name_of_an_article_person(raw, kind, name):
    p = parse_name(raw, "person")
    assert (p.kind, p.name) == (kind, name)


def _loc(article, local, name, roles=()):
    return _Local(article, local, parse_name(name, "person", list(roles)), None, 1)


def _org(article, name, country=None):
    """Article ``article``'s one speaker, an organisation called ``name`` (in ``country``)."""
    return _Local(article, "s1", parse_name(name, "organisation"), None, 1, country=country)


def test_crossdoc_assign_evidence_rules():
    locs = [_loc(1, "s1", "Donald Trump", ["president"]), _loc(2, "s1", "Melania Trump", ["first lady"]),
            _loc(3, "s1", "President Trump"), _loc(4, "s1", "Trump"),
            _loc(5, "s1", "Melania Trump"), _loc(5, "s2", "Trump"),       # same article: the full name there
            _loc(6, "s1", "K. Kallas"), _loc(7, "s1", "Kaja Kallas")]     # an initial fits the only full name
    keys = assign(locs)
    assert keys[(3, "s1")] == keys[(1, "s1")] == "person:donald trump"   # the role decides
    assert keys[(4, "s1")] == "person:trump"                             # no evidence: apart
    assert keys[(5, "s2")] == keys[(2, "s1")] == "person:melania trump"
    assert keys[(6, "s1")] == "person:kaja kallas"


# ---------------------------------------------------------------------------------------------
# issue 11: namesakes, groups and documents across articles; clean aliases and roles; consensus

NAMESAKES = [
    {"id": "bd-1", "outlet": "Scranton Times", "published": "2020-10-02",
     "text": 'Former Vice President Joe Biden spoke in Scranton on Friday. His son Hunter Biden did not attend. '
             '"We will win Pennsylvania," Biden said.'},
    {"id": "bd-2", "outlet": "Wilmington Post", "published": "2020-10-03",
     "text": "Hunter Biden said on Saturday that he had done nothing wrong. His lawyer said that the case was closed."},
    {"id": "bd-3", "outlet": "Daily Courier", "published": "2020-10-04",
     "text": "Biden said on Sunday that the economy was strong."},
    {"id": "grp-1", "outlet": "Daily Courier", "published": "2020-10-05",
     "text": "Joe Biden and Kamala Harris campaigned in Pennsylvania on Monday. Biden and Harris said that the "
             "election was about the soul of the nation. Harris said that she was ready to serve."},
    {"id": "doc-1", "outlet": "Daily Courier", "published": "2020-10-06",
     "text": "The state court issued its decision on Tuesday. The ruling said that the law stood."},
]


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("namesakes") / "n.db")
    from saidwhat import extract_many
    s.add_articles([(a, text_hash(a.text), a.id) for a in extract_many(NAMESAKES)])
    resolve(s)
    yield s
    s.close()


def _by_name(store, name):
    found = [s for s in store.speakers(limit=200) if s["name"] == name]
    assert len(found) == 1, [s["name"] for s in store.speakers(limit=200)]
    return found[0]


def test_crossdoc_namesakes_keep_their_own_roles_and_aliases(namesakes):
    joe, hunter = _by_name(namesakes, "Joe Biden"), _by_name(namesakes, "Hunter Biden")
    assert joe["id"] != hunter["id"]
    assert "former vice president" in joe["roles"]
    assert not any("vice president" in r for r in hunter["roles"])
    # bd-1's bare "Biden" is Joe (the article resolves it): never an alias of Hunter
    assert "Biden" in {a["alias"] for a in joe["aliases"]}
    assert "Biden" not in {a["alias"] for a in hunter["aliases"]}
    assert hunter["gender"] == "male" and hunter["n_articles"] == 1


def test_crossdoc_a_bare_surname_two_people_share_stays_apart(namesakes):
    # bd-3: "Biden" alone, in a collection with Joe and Hunter Biden: nothing decides
    bare = _by_name(namesakes, "Biden")
    assert bare["kind"] == "person" and bare["n_articles"] == 1
    assert bare["id"] not in {_by_name(namesakes, "Joe Biden")["id"], _by_name(namesakes, "Hunter Biden")["id"]}


def test_crossdoc_group_lists_members_and_is_no_alias(namesakes):
    group = [s for s in namesakes.speakers(kind="group", limit=50)]
    assert len(group) == 1
    g = group[0]
    assert {m["name"] for m in g["members"]} == {"Joe Biden", "Kamala Harris"}
    harris = _by_name(namesakes, "Kamala Harris")
    assert harris["gender"] == "female" and harris["kind"] == "person"
    assert {x["id"] for x in harris["groups"]} == {g["id"]}
    for sp in namesakes.speakers(limit=200):
        assert not any(" and " in a["alias"] for a in sp["aliases"]), sp
    # searching by a member finds the group's attribution too
    hits = namesakes.search(speaker=harris["id"])
    assert {h["speaker_id"] for h in hits} == {harris["id"], g["id"]}


def test_crossdoc_documents_and_unnamed_sources_get_no_collection_speaker(namesakes):
    court = [h for h in namesakes.search(limit=100) if h["article"]["ext_id"] == "doc-1"]
    assert court and court[0]["speaker"]["name"] == "state court"  # the ruling's issuer, unnamed
    assert court[0]["speaker_id"] is None
    assert not [s for s in namesakes.speakers(limit=200) if s["kind"] == "document"]


def test_crossdoc_an_organisation_someone_speaks_for_takes_none_of_their_roles():
    p = parse_name("A correspondent from French Wikinews", "person", ["correspondent"])
    assert (p.kind, p.name, p.roles) == ("organisation", "Wikinews", [])


def test_crossdoc_a_role_with_no_name_is_no_collection_speaker():
    locs = [_Local(1, "s1", parse_name("PG&E President", "other"), None, 1),
            _Local(2, "s1", parse_name("Tunisian Prime Minister", "other"), None, 1),
            _Local(3, "s1", parse_name("Democrats", "other"), None, 1)]
    keys = assign(locs)
    assert (1, "s1") not in keys and (2, "s1") not in keys
    assert keys[(3, "s1")] == "other:democrats"  # a named group of people stays one


def test_crossdoc_a_bare_institution_is_each_articles_own():
    """'Police said ...' in six articles were one collection speaker 'Police' (news collection):
    every town has its police; a named body ('the Kremlin', 'Supreme Court of Puerto Rico') stays."""
    locs = [_org(1, "Police"),
            _org(2, "Police"),
            _org(3, "the Government"),
            _org(4, "the Kremlin"),
            _org(5, "Metropolitan Police")]
    keys = assign(locs)
    assert (1, "s1") not in keys and (2, "s1") not in keys and (3, "s1") not in keys
    assert keys[(4, "s1")] == "organisation:kremlin" and (5, "s1") in keys


def test_crossdoc_a_ministry_behind_a_title_word_is_no_person():
    """The news directory listed a person "Ministry" (from "A source within the central Interior
    Ministry"): "Interior" is a title word ("Interior Minister"), so the name run was "Ministry"."""
    assert parse_name("source within the central Interior Ministry", "person").kind == "other"
    p = parse_name("spokesman for the Foreign Ministry", "person")
    assert (p.kind, p.name) == ("organisation", "Foreign Ministry")
    p = parse_name("Foreign Minister Sergei Lavrov", "person")
    assert (p.kind, p.name) == ("person", "Sergei Lavrov")
    # ... nor is the channel a statement came through ("Interfax" was listed as a person)
    p = parse_name("mayor of Yartsevo via news agency Interfax", "person")
    assert (p.kind, p.name) == ("other", "mayor of Yartsevo")


def test_crossdoc_one_organisation_in_two_spellings():
    """The news collection listed 'World Health Organization' (10 attributions) and 'World Health
    Organisation' (2) as two speakers; British and American spellings and an acronym's dots are
    one name. Different bodies stay apart."""
    locs = [_org(1, "World Health Organization"),
            _org(2, "the World Health Organisation"),
            _org(3, "U.S. Department of Agriculture"),
            _org(4, "US Department of Agriculture"),
            _org(5, "Ministry of Defence"),
            _org(6, "Ministry of Health")]
    keys = assign(locs)
    assert keys[(1, "s1")] == keys[(2, "s1")] == "organisation:world health organization"
    assert keys[(3, "s1")] == keys[(4, "s1")]
    assert keys[(5, "s1")] == "organisation:ministry of defense" != keys[(6, "s1")]


@pytest.mark.parametrize("alias,name,kind,out", [
    ("Nancy Pelosi yesterday", "Nancy Pelosi", "person", "Nancy Pelosi"),
    ("Prime Minister Kallas", "Kaja Kallas", "person", "Prime Minister Kallas"),
    ("the Kremlin", "Kremlin", "organisation", "Kremlin"),
    ("Biden and Harris", "Joe Biden", "person", ""),
    ("Trump and his supporters", "Donald Trump", "person", ""),
    ("she", "Kaja Kallas", "person", ""),
    ("the president", "Joe Biden", "person", ""),
    ("live television Erdogan", "Recep Tayyip Erdoğan", "person", ""),
    ("Hunter Biden", "Joe Biden", "person", ""),
    ("Democrats", "Donald Trump", "person", ""),
    ("The Supreme Court decision", "Supreme Court", "organisation", "Supreme Court"),
    ("opinion of the Court", "Supreme Court", "organisation", ""),
    # an organisation's alias keeps its head word: "the Trump administration" is not Trump
    ("the Trump administration", "Trump administration", "organisation", "Trump administration"),
    ("Trump", "Trump administration", "organisation", ""),
    ("Biden", "Biden campaign", "organisation", ""),
    ("NHC", "National Hurricane Center", "organisation", "NHC"),
    ("US State Department", "State Department", "organisation", "US State Department"),
    # no other name glued before a group's: "Democratic National Convention Republicans"
    ("Democratic National Convention Republicans", "Republicans", "other", ""),
    ("Other Republicans", "Republicans", "other", ""),
    ("SebaSpace a Ugandan", "SebaSpace", "organisation", "SebaSpace"),
    # a description in lower case before the name is a role, not another name for them
    ("main presidential rival Joe Biden", "Joe Biden", "person", ""),
    ("Finnish open-source video game developer Perttu Ahola", "Perttu Ahola", "person", ""),
    ("US President Barack Obama", "Barack Obama", "person", "US President Barack Obama"),
])
def test_crossdoc_clean_alias(alias, name, kind, out):
    from saidwhat.speakers.merge import clean_alias
    assert clean_alias(alias, name, kind) == out


@pytest.mark.parametrize("raw,out", [
    ("50.1 to 42.9 percent", ""), ("his wife", ""), ("Pierce and", ""), ("website", ""), ("live television", ""),
    ("the only candidate wearing a facemask", "only candidate"), ("who had started the CentOS project", ""),
    ("Conservative Party leader", "Conservative Party leader"), ("2020 presidential nominee", ""),
    ("US president", "US president"), ("chief executive of Hong Kong", "chief executive of Hong Kong"),
])
def test_crossdoc_roles_are_clean_noun_phrases(raw, out):
    from saidwhat.speakers.roles import clean_role_text
    assert clean_role_text(raw) == out


def test_crossdoc_consensus_and_role_display():
    from collections import Counter

    from saidwhat.speakers.merge import consensus, role_display
    assert consensus(Counter({"female": 3, "male": 1}), "unknown") == "female"
    assert consensus(Counter({"female": 2, "male": 2}), "unknown") == "unknown"
    assert consensus(Counter(), "unknown") == "unknown"
    assert role_display("Incumbent President") == "incumbent president"
    assert role_display("US President") == "US president"


def test_crossdoc_assign_groups_by_member_keys():
    locs = [_loc(1, "s1", "Joe Biden"), _loc(1, "s2", "Kamala Harris"),
            _Local(1, "s3", parse_name("Joe Biden and Kamala Harris", "group"), None, 1, members=["s1", "s2"]),
            _loc(2, "s1", "Kamala Harris"), _loc(2, "s2", "Joe Biden"),
            _Local(2, "s3", parse_name("Kamala Harris and Joe Biden", "group"), None, 1, members=["s2", "s1"])]
    keys = assign(locs)
    assert keys[(1, "s3")] == keys[(2, "s3")] == "group:person:joe biden|person:kamala harris"


def test_crossdoc_a_middle_initial_is_the_same_person_unless_two_differ():
    locs = [_loc(1, "s1", "Brian T. Carroll"), _loc(2, "s1", "Brian Carroll"),
            _loc(3, "s1", "John F. Kerry"), _loc(4, "s1", "John Kerry"), _loc(5, "s1", "Kerry"),
            _loc(6, "s1", "George W. Bush"), _loc(7, "s1", "George H. W. Bush"), _loc(8, "s1", "George Bush")]
    keys = assign(locs)
    assert keys[(1, "s1")] == keys[(2, "s1")] == "person:brian carroll"
    assert keys[(3, "s1")] == keys[(4, "s1")] == keys[(5, "s1")] == "person:john kerry"
    # two different initials: father and son stay apart
    assert len({keys[(6, "s1")], keys[(7, "s1")], keys[(8, "s1")]}) == 3


def test_crossdoc_a_lone_first_surname_joins_the_one_full_name_with_it():
    locs = [_loc(1, "s1", "Ricardo Rosselló Nevares"), _loc(2, "s1", "Rosselló"),
            _loc(3, "s1", "Andrés Manuel López Obrador"), _loc(4, "s1", "López"),
            _loc(5, "s1", "Nevares")]
    keys = assign(locs)
    assert keys[(2, "s1")] == keys[(1, "s1")] == keys[(5, "s1")]
    assert keys[(4, "s1")] == keys[(3, "s1")]


def test_crossdoc_a_generic_institution_of_two_countries_is_two_speakers(tmp_path):
    from saidwhat import extract_many

    articles = [
        {"id": "uk-1", "outlet": "Wikinews", "published": "2019-09-24",
         "text": "The British government lost in London on Tuesday. The Supreme Court said the suspension of "
                 "Parliament was unlawful. Britain's prime minister said he disagreed. The UK opposition "
                 "welcomed the ruling."},
        {"id": "uk-2", "outlet": "Wikinews", "published": "2019-09-25",
         "text": "In London, the Supreme Court said the British prime minister had misled the Queen. The UK "
                 "press called it historic."},
        {"id": "pr-1", "outlet": "Wikinews", "published": "2019-08-08",
         "text": "In Puerto Rico, the Supreme Court said the oath of office of the governor was unconstitutional. "
                 "Puerto Rico's senate had sued. Puerto Rico will have a new governor."},
    ]
    s = Store(tmp_path / "c.db")
    arts = list(extract_many(articles))
    s.add_articles([(a, text_hash(a.text), a.id) for a in arts])
    resolve(s)
    courts = {}
    for h in s.search(limit=100):
        if (h.get("speaker_name") or "").startswith("Supreme Court"):
            courts.setdefault(h["speaker_name"], set()).add(h["article"]["ext_id"])
    # two speakers, and the directory tells them apart
    assert courts == {"Supreme Court (Puerto Rico)": {"pr-1"}, "Supreme Court (United Kingdom)": {"uk-1", "uk-2"}}
    assert {h["article"]["ext_id"] for h in s.search(speaker="Supreme Court", limit=100)} == {"pr-1", "uk-1", "uk-2"}
    s.close()


def test_crossdoc_a_countrys_institution_by_name_joins_its_generic_name():
    locs = [_org(1, "Supreme Court", "United States"),
            _org(2, "U.S. Supreme Court"),
            _org(3, "United States Supreme Court"),
            _org(4, "Supreme Court", "United Kingdom"),
            _org(5, "Britain's Supreme Court")]
    keys = assign(locs)
    assert keys[(1, "s1")] == keys[(2, "s1")] == keys[(3, "s1")] != keys[(4, "s1")] == keys[(5, "s1")]


def test_speakers_of_one_name_are_told_apart_by_country():
    """The news directory listed four "Supreme Court"s (of the United States, the United Kingdom,
    Italy and Puerto Rico: four speakers, rightly) that a reader could not tell apart."""
    from saidwhat.crossdoc import distinguish

    names = {"organisation:supreme court@united states": "Supreme Court",
             "organisation:supreme court@united kingdom": "Supreme Court",
             "organisation:navy": "Navy", "organisation:navy@indonesia": "Navy",
             "organisation:senate@united states": "Senate",
             "person:john smith": "John Smith", "organisation:smith@united states": "John Smith"}
    kinds = {k: k.split(":")[0] for k in names}
    countries = {"organisation:supreme court@united states": "United States",
                 "organisation:supreme court@united kingdom": "United Kingdom",
                 "organisation:navy@indonesia": "Indonesia", "organisation:senate@united states": "United States",
                 "organisation:smith@united states": "United States"}
    shown = distinguish(names, kinds, countries)
    assert shown["organisation:supreme court@united states"] == "Supreme Court (United States)"
    assert shown["organisation:supreme court@united kingdom"] == "Supreme Court (United Kingdom)"
    assert shown["organisation:navy"] == "Navy" and shown["organisation:navy@indonesia"] == "Navy (Indonesia)"
    assert shown["organisation:senate@united states"] == "Senate"  # one Senate: nothing to tell apart
    assert shown["person:john smith"] == "John Smith"  # a person and an organisation are not confused


def test_crossdoc_an_acronym_joins_the_one_organisation_it_abbreviates():
    """The news directory listed "AFP" (3) and "Agence France-Presse" (3) as two speakers: no
    article spelled the acronym out. An acronym joins the one organisation of the collection
    whose initials it is; "ABS-CBN Corporation" is not "ACC", and two candidates keep it apart."""
    locs = [_org(1, "AFP"),
            _org(2, "Agence France-Presse"),
            _org(3, "ACC"),
            _org(4, "ABS-CBN Corporation"),
            _org(5, "NRC"),
            _org(6, "Nuclear Regulatory Commission"),
            _org(7, "National Research Council")]
    keys = assign(locs)
    assert keys[(1, "s1")] == keys[(2, "s1")] == "organisation:agence france-presse"
    assert keys[(3, "s1")] != keys[(4, "s1")]
    assert len({keys[(5, "s1")], keys[(6, "s1")], keys[(7, "s1")]}) == 3


def test_one_definition_of_initials_for_speakers_and_targets():
    """Speakers, in-article names and stance targets take a name's initials one way
    (``speakers.lexicon.initials``): a target "AFP" is the speaker "Agence France-Presse" as a
    speaker "AFP" is (the targets' own version took "AF"), "The New York Times" is NYT, an
    acronym with a hyphen is one word, and lower-case words never count."""
    from saidwhat.crossdoc import _names_alike
    from saidwhat.speakers.lexicon import initials

    assert initials("Agence France-Presse") == "AFP"
    assert initials("The New York Times") == "NYT"
    assert initials("Federal Bureau of Investigation") == "FBI"
    assert initials("Radio Programas del Perú") == "RPP"
    assert initials("ABS-CBN Corporation") == "AC"
    assert initials(["Saint", "Louis", "University"]) == "SLU"
    assert initials("Ghaem-Maghami") == "G"  # a one-word name is no "GM" (a target took it for "Grand Masters")
    assert _names_alike("AFP", "Agence France-Presse", person=False)
    assert _names_alike("NATO", "North Atlantic Treaty Organization", person=False)
    assert not _names_alike("ACC", "ABS-CBN Corporation", person=False)


def test_crossdoc_a_countryless_institution_is_the_one_whose_country_is_known():
    """"Congress" in an article that names no country is the collection's one Congress whose
    country is known (the directory had "Congress" beside "Congress (United States)", and
    Donald Trump "quoted together" with both); with two countries known, it stays apart."""
    locs = [_org(1, "Congress", "United States"),
            _org(2, "Congress"),
            _org(3, "Senate", "United States"),
            _org(4, "Senate", "Puerto Rico"),
            _org(5, "Senate")]
    keys = assign(locs)
    assert keys[(1, "s1")] == keys[(2, "s1")] == "organisation:congress@united states"
    assert len({keys[(3, "s1")], keys[(4, "s1")], keys[(5, "s1")]}) == 3
