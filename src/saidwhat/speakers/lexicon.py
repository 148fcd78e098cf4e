"""This stage's own word lists: titles, role, relation, organisation and document nouns, gendered
words, places with their demonyms, and a small first-name lexicon (a prior for pronouns only)."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, Optional

from ..lexicon import ROLE_NOUNS as _SHARED_ROLE_NOUNS


def _words(s: str) -> frozenset:
    return frozenset(s.split())


# words a name's initials leave out even capitalised: "The New York Times" -> NYT (lower-case
# words never count: "Federal Bureau of Investigation" -> FBI, "Radio Programas del Perú" -> RPP)
_INITIAL_SKIP = frozenset("of the and for".split())


def initials(name: "str | list[str] | tuple[str, ...]") -> str:
    """"Agence France-Presse" -> "AFP", "Federal Bureau of Investigation" -> "FBI": the first
    letters of a name's capitalised words, hyphenated parts each ("France-Presse" is two words,
    "ABS-CBN", an acronym itself, one; a one-word name, "Ghaem-Maghami", is one word), function
    words left out. The one definition every acronym match uses (in-article names, the
    collection's speakers and stance targets)."""
    out = []
    words = name.split() if isinstance(name, str) else list(name)
    for word in words:
        # a one-word name keeps its hyphen ("Ghaem-Maghami" is no "GM")
        for w in ([word] if word.replace("-", "").isupper() or len(words) == 1 else re.split(r"[\-‐–]+", word)):
            w = w.strip(".,'’()")
            if w and w[:1].isupper() and w.lower() not in _INITIAL_SKIP:
                out.append(w[0])
    return "".join(out)


# Titles written in capitals before a name, never part of it ("IM Dorsa Derakhshani", "GM Magnus
# Carlsen", "MP Jane Smith"); matched case-sensitively ("cm" is a unit)
CAPS_TITLES = frozenset("IM GM FM CM WGM WIM WFM WCM MP MEP MLA MSP MPP MHA TD".split())

# Titles as transcripts abbreviate them before a speaker's name ("SEN. JONES:"): the role they
# stand for (None: an honorific, which only says the gender)
LABEL_TITLES = {
    "mr": None, "mrs": None, "ms": None, "miss": None, "mx": None, "dr": None, "sir": None, "dame": None,
    "prof": "professor", "professor": "professor", "sen": "senator", "senator": "senator",
    "rep": "representative", "representative": "representative", "gov": "governor", "governor": "governor",
    "pres": "president", "president": "president", "gen": "general", "general": "general",
    "col": "colonel", "lt": "lieutenant", "capt": "captain", "adm": "admiral", "sgt": "sergeant",
    "maj": "major", "cmdr": "commander", "rev": "reverend", "amb": "ambassador", "ambassador": "ambassador",
    "sec": "secretary", "secretary": "secretary", "judge": "judge", "justice": "justice", "mayor": "mayor",
    "chairman": "chairman", "chairwoman": "chairwoman", "chair": "chair", "commissioner": "commissioner",
    "det": "detective", "detective": "detective", "insp": "inspector", "supt": "superintendent",
    "atty": "attorney", "councilman": "councilman", "councilwoman": "councilwoman",
    "congressman": "congressman", "congresswoman": "congresswoman", "minister": "minister",
}

# Honorifics: say how the article refers to a person (gender), never a role.
HONORIFICS_MALE = _words("mr mr. mister sir lord")
HONORIFICS_FEMALE = _words("mrs mrs. ms ms. miss madam madame dame lady")
HONORIFICS = HONORIFICS_MALE | HONORIFICS_FEMALE | _words("dr dr. prof prof. rev rev. hon hon. st. mx mx.")

# Words that may stand before a name as its title ("US President Joe Biden", "Sen. Warren").
TITLES = _words("""
president pres. sen sen. senator gov gov. governor rep rep. representative secretary minister premier
chancellor mayor judge justice gen gen. general col col. colonel lt lt. capt capt. captain adm adm.
admiral sgt sgt. sergeant maj maj. major cmdr cmdr. ambassador chairman chairwoman chair speaker
leader bishop pope cardinal rabbi imam sheikh saint vice prime foreign deputy former attorney
inspector commissioner chief director coach officer detective professor candidate nominee
congressman congresswoman councilman councilwoman councillor councilor superintendent
president-elect sheriff agent spokesman spokeswoman spokesperson first king queen prince princess
emperor empress father brother sister reverend dean chef designer minister-president
del. delegate assemblyman assemblywoman assemblymember alderman alderwoman legislator trooper det. insp.
supt. cpl. pvt. marshal constable corporal lieutenant commander brigadier
""") | HONORIFICS

ROLE_NOUNS = frozenset(_SHARED_ROLE_NOUNS) | _words("""
president-elect vice-president premier chancellor spokesperson minister secretary-general
director-general commissioner councillor councilor councilman councilwoman superintendent inspector
detective trooper attorney-general mp mep legislator delegate assemblyman assemblywoman speaker whip
selectman selectwoman selectperson
strategist pollster consultant negotiator regulator monarch emperor empress prince princess dictator
strongman ruler boss owner executive cfo coo cto chairperson treasurer economist scientist researcher
doctor physician surgeon nurse teacher principal student spokesmen spokeswomen administrator
correspondent journalist historian astronomer archaeologist neuroscientist psychologist sociologist
curator engineer developer designer founder co-founder president vice chancellor provost rector
dean commander chief-executive ceo senator governor mayor deputy lieutenant general admiral colonel
captain sergeant officer agent investigator prosecutor judge magistrate lawyer barrister solicitor
attorney advocate counsel nominee candidate contender challenger incumbent chair chairman chairwoman
secretary minister ambassador envoy diplomat consul representative congressman congresswoman
spokesman spokeswoman adviser advisor aide manager director coordinator organiser organizer
activist campaigner leader head player coach captain referee athlete champion author writer
editor reporter analyst expert professor lecturer priest pastor bishop archbishop cardinal pope
rabbi imam cleric sheikh king queen monarch governor-general premier first-minister
director-general editor-in-chief commander-in-chief deputy-director vice-chair vice-chairman
businessman businesswoman billionaire mogul tycoon entrepreneur investor host anchor moderator
commentator columnist pundit governor-elect mayor-elect
""")

# Relation nouns: a person named through another ("his father", "Biden's son").
RELATION_GENDER = {
    "father": "male", "mother": "female", "son": "male", "daughter": "female", "wife": "female",
    "husband": "male", "brother": "male", "sister": "female", "uncle": "male", "aunt": "female",
    "grandfather": "male", "grandmother": "female", "grandson": "male", "granddaughter": "female",
    "nephew": "male", "niece": "female", "widow": "female", "widower": "male", "fiancé": "male",
    "fiancée": "female", "fiance": "male", "fiancee": "female", "girlfriend": "female",
    "boyfriend": "male", "stepfather": "male", "stepmother": "female", "stepson": "male",
    "stepdaughter": "female", "dad": "male", "mom": "female", "mum": "female",
    "cousin": None, "partner": None, "spouse": None, "parent": None, "child": None, "sibling": None,
    "friend": None, "lawyer": None, "attorney": None, "spokesman": "male", "spokeswoman": "female",
    "spokesperson": None, "aide": None, "adviser": None, "advisor": None,
}
FAMILY_NOUNS = frozenset(k for k in RELATION_GENDER if k not in (
    "friend", "lawyer", "attorney", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor"))

# Nouns that stand for a person without being a title ("a source", "residents").
PERSON_NOUNS = _words("""
attendee attendees trainee trainees retiree retirees detainee detainees evacuee evacuees returnee returnees
devotee devotees interviewee interviewees escapee escapees
source sources official officials aide aides witness witnesses resident residents operative insider
insiders person people man woman men women voter voters supporter supporters critic critics observer
observers expert experts analyst analysts staffer staffers employee employees worker workers member
members friend friends neighbor neighbour neighbours neighbors relative relatives victim victims
protester protesters activist activists lawyer lawyers attorney attorneys colleague colleagues ally
allies rival rivals opponent opponents student students teacher teachers doctor doctors
scientist scientists researcher researchers investigator investigators organizer organizers
organiser organisers leader leaders candidate candidates participant participants spectator
spectators fan fans parent parents child children survivor survivors veteran veterans passenger
passengers customer customers user users citizen citizens local locals villager villagers farmer
farmers player players someone somebody everyone everybody nobody anyone one blogger bloggers
commentator commentators netizen netizens journalist journalists reporter reporters
stranger strangers visitor visitors tourist tourists traveller travellers traveler travelers guest guests
driver drivers pilot pilots soldier soldiers guard guards nurse nurses patient patients owner owners
shopkeeper shopkeepers teenager teenagers bystander bystanders pedestrian pedestrians tenant tenants
newcomer newcomers boy boys girl girls commenter commenters twitterer twitterers
""")

ORG_NOUNS = _words("""
kremlin government administration campaign ministry department agency office police company firm
party committee commission council court army military navy embassy parliament congress senate house
cabinet bureau authority authorities regime union organisation organization group team board bank
fund university institute foundation prosecutors pentagon state coalition alliance movement network
newspaper paper magazine channel station service services club league federation association
corporation airline hospital school college center centre charity society agency tribunal panel
legislature assembly secretariat directorate command forces guard church mosque museum library
laboratory lab startup manufacturer maker retailer operator carrier broadcaster outlet publisher
website site hotel restaurant store shop factory plant mine port airport studio label tribe tribes
railway railways railroad airways
""") - _words("paper site website")
# what only a company or platform has: "Red Hat's CTO", "the chief executive of Red Hat", "a Twitter
# account", "tweeted on Twitter" (people have spokesmen and staff too: those say nothing)
CORPORATE_NOUNS = _words("""
ceo cto cfo coo cio cmo founder co-founder cofounder shareholders shareholder subsidiary headquarters
officer executive employees employee users user account accounts feed platform app shares stock
""")
CORPORATE_HEADS = _words("ceo cto cfo coo cio cmo founder co-founder cofounder shareholders subsidiary headquarters")
POSTING_WORDS = _words("""
tweet tweeted post posted write wrote statement message video livestream stream broadcast publish
published announce announced share shared upload uploaded thread
""")

# companies, platforms and news outlets that the NER often takes for people ("Twitter said",
# "Twitter added a label", "Politico reported", "ALDI called the demand unprecedented"): always
# organisations, whatever the pronouns around them say (a name only; "Bloomberg" stays out, a surname)
PLATFORMS = _words("""
twitter facebook meta google alphabet youtube instagram tiktok whatsapp telegram snapchat reddit
linkedin wikipedia wikinews netflix spotify microsoft apple amazon uber airbnb tesla spacex boeing
airbus huawei samsung alibaba tencent baidu weibo wechat zoom paypal github gitlab mozilla
politico axios time newsweek breitbart vox buzzfeed huffpost mediapart verge atlantic intercept slate aldi lidl
""")

# the last word of a newspaper's name ("Sydney Morning Herald", "Toronto Star"): with capitalised
# words before it, an organisation (only for a source the NER gave no person or organisation),
# and never a surname ("The Charlotte Observer said" is no person: names.read_entities)
MASTHEADS = _words("""
herald times post star journal tribune guardian observer gazette chronicle telegraph examiner
inquirer enquirer courier bulletin dispatch monitor sentinel mirror express independent register
news standard mail review press daily weekly
""")

# religions and ideologies the NER tags as people or groups ("He said Islam contributed a lot ...
# He proudly said ..."): nobody's he, she or they
RELIGIONS = _words("""
islam christianity judaism hinduism buddhism sikhism catholicism protestantism shinto taoism
atheism communism socialism capitalism fascism nazism marxism zionism
""")

# a law's or treaty's name ends with one of these ("Digital Crimes Bill", "Electronic Commerce
# Directive", "Free Trade Agreement"): a text, whatever the NER typed
LEGAL_TEXTS = _words("""bill act directive regulation amendment constitution treaty agreement charter statute
resolution declaration protocol accord code""")

# what names a storm, not a speaker ("Hurricane Lorenzo", "Tropical Storm Ana")
STORM_WORDS = _words("hurricane typhoon cyclone storm tropical")

# organisation words that end a name ("Yonhap news agency" -> the name is "Yonhap")
ORG_DESCRIPTORS = _words("news agency newspaper daily tabloid broadcaster channel network website magazine weekly")

# What a source can be when it is not a speaker but a text ("the report said").
DOCUMENT_NOUNS = _words("""
report reports study studies survey surveys poll polls statement statements ruling rulings judgment
judgement decision verdict order website site page post tweet tweets letter memo memorandum document
documents guidelines guideline guidance filing complaint lawsuit suit indictment affidavit bill law
legislation resolution release communique communiqué declaration paper article editorial analysis
findings transcript minutes email e-mail notice assessment review audit manifesto constitution treaty
agreement charter proposal budget forecast census blog video footage obituary petition motion
warrant summons subpoena textbook book brochure leaflet label sign caption announcement advisory
bulletin dossier record records opinion brief amendment act statute data statistics
directive directives regulation regulations photograph photographs photo photos picture pictures image images
""")
# verbs by which an article says who issued a document ("the WHO published a report")
ISSUE_VERBS = _words("""
publish release issue write produce commission author file present submit send post tweet put
deliver hand adopt pass sign unveil launch announce prepare draft compile conduct carry run
""")

# Gendered role nouns: how an article refers to someone.
GENDERED_NOUNS = {
    "spokesman": "male", "chairman": "male", "congressman": "male", "councilman": "male",
    "assemblyman": "male", "king": "male", "prince": "male", "emperor": "male", "man": "male",
    "businessman": "male", "sportsman": "male", "policeman": "male", "actor": "male",
    "spokeswoman": "female", "chairwoman": "female", "congresswoman": "female", "councilwoman": "female",
    "assemblywoman": "female", "queen": "female", "princess": "female", "empress": "female",
    "woman": "female", "businesswoman": "female", "sportswoman": "female", "policewoman": "female",
    "actress": "female", "duchess": "female", "duke": "male", "countess": "female", "count": "male",
    "baroness": "female", "baron": "male", "lady": "female", "lord": "male", "girl": "female", "boy": "male",
    **{k: v for k, v in RELATION_GENDER.items() if v},
}

# Generic nouns for a head of a country or organisation: "Russia's leader".
LEADER_HEADS = _words("""
president prime premier chancellor king queen leader chief head chairman chairwoman chair monarch
emperor dictator ruler secretary-general director-general ceo director minister
""")
GENERIC_LEADER = _words("leader head chief boss ruler")

# Role modifiers that make another office ("vice president" is not "president"); others are
# descriptions that never decide between two people ("former", "new").
RANK_MODIFIERS = _words("vice deputy under assistant associate co sub lieutenant acting-deputy first second")
NEUTRAL_MODIFIERS = _words("""
former then current incumbent acting interim new outgoing incoming late longtime long-time top senior
elected newly sitting retiring retired ex once future presumptive presumed likely would-be de-facto
de facto veteran powerful influential embattled beleaguered controversial popular
""")

# Words that name a ministry's field in a title ("Interior Minister", "Secretary of State"): the office,
# not an organisation of its own.
OFFICE_WORDS = _words("""
interior foreign defence defense finance health justice home treasury education agriculture energy
environment transport transportation labour labor trade economy economic culture commerce housing
security intelligence immigration state war navy army veterans affairs development communications
information industry tourism sport sports science technology welfare employment fisheries
shadow emergencies emergency
""")

THREAD_CUES = _words("add continue conclude elaborate go reiterate insist explain")
DETERMINERS = _words("the a an this that these those another one some any each every")
INDEFINITE = _words("a an another one some any several many few")
POSS_PRONOUNS = _words("his her their its our my your")
CONJUNCTIONS = _words("and or nor & as well plus but")

PRONOUNS = {
    "he": ("male", "sg"), "she": ("female", "sg"), "they": (None, "pl"), "it": ("neuter", "sg"),
    "i": (None, "self"), "we": (None, "self"), "him": ("male", "sg"), "her": ("female", "sg"),
    "them": (None, "pl"), "us": (None, "self"), "me": (None, "self"), "you": (None, "you"),
}
GENDER_PRONOUNS = {"he": "male", "him": "male", "his": "male", "himself": "male",
                   "she": "female", "her": "female", "hers": "female", "herself": "female"}

# Name suffixes that belong to the name ("Robert Downey Jr.") and descriptors after it that do not.
NAME_SUFFIXES = _words("jr jr. sr sr. ii iii iv v")
NAME_DESCRIPTORS = _words("qc kc mp mep md phd ph.d. ph.d esq esq. obe mbe cbe kbe")

# Lower-case words inside names: "Ursula von der Leyen", "University of California".
PARTICLES = _words("von van der den de la le da di del du dos bin ibn al el ter ten")
PARTICLES_LOWER = PARTICLES | _words("of the and for on in at y")

# A particle joined to a capitalised name by an apostrophe or hyphen is a name word too:
# "Abdelhak al'Koush", "Valéry d'Estaing", "Marcello dell'Utri", "Bashar al-Assad".
_JOINED_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|ul|bin|ibn|abu|d|de|dell|l|o)['’\-]\w", re.IGNORECASE)


def capitalised_name_word(word: str) -> bool:
    """A word that can stand in a name as written: capitalised, or a particle joined to a
    capitalised part ("al'Koush", "d'Estaing"; not "al-qaida" in lower case)."""
    if word[:1].isupper():
        return True
    m = _JOINED_PARTICLE.match(word)
    return bool(m) and word[m.end() - 1:m.end()].isupper()

# Places, one per ";": "Name|alias|...:demonym|..."; the first name is the one shown.
_PLACES = """
United States|US|U.S.|USA|U.S.A.|America|United States of America:American|Americans;
United Kingdom|UK|U.K.|Britain|Great Britain:British|Briton|Britons; England:English;
Scotland:Scottish|Scot|Scots; Wales:Welsh; Northern Ireland:Northern Irish; Ireland:Irish;
Russia|Russian Federation:Russian|Russians; China|People's Republic of China|PRC:Chinese;
Taiwan:Taiwanese; Hong Kong:Hongkonger; Japan:Japanese; South Korea|Korea:South Korean|Korean;
North Korea|DPRK:North Korean; India:Indian; Pakistan:Pakistani; Bangladesh:Bangladeshi;
Afghanistan:Afghan; Iran:Iranian; Iraq:Iraqi; Syria:Syrian; Turkey|Türkiye:Turkish|Turk;
Israel:Israeli; Palestine:Palestinian; Lebanon:Lebanese; Jordan:Jordanian; Egypt:Egyptian;
Libya:Libyan; Tunisia:Tunisian; Algeria:Algerian; Morocco:Moroccan; Saudi Arabia:Saudi;
Yemen:Yemeni; Qatar:Qatari; United Arab Emirates|UAE:Emirati; Kuwait:Kuwaiti; Bahrain:Bahraini;
Oman:Omani; Sudan:Sudanese; South Sudan:South Sudanese; Ethiopia:Ethiopian; Eritrea:Eritrean;
Somalia:Somali; Kenya:Kenyan; Uganda:Ugandan; Tanzania:Tanzanian; Rwanda:Rwandan;
Nigeria:Nigerian; Ghana:Ghanaian; Senegal:Senegalese; Mali:Malian; Niger:Nigerien;
Cameroon:Cameroonian; Gabon:Gabonese; Democratic Republic of the Congo|DRC|Congo:Congolese;
South Africa:South African; Zimbabwe:Zimbabwean; Zambia:Zambian; Mozambique:Mozambican;
Angola:Angolan; Namibia:Namibian; Madagascar:Malagasy; France:French; Germany:German;
Italy:Italian; Spain:Spanish; Portugal:Portuguese; Netherlands|Holland:Dutch; Belgium:Belgian;
Luxembourg; Switzerland:Swiss; Austria:Austrian; Denmark:Danish|Dane; Norway:Norwegian;
Sweden:Swedish|Swede; Finland:Finnish|Finn; Iceland:Icelandic; Estonia:Estonian; Latvia:Latvian;
Lithuania:Lithuanian; Poland:Polish|Pole; Czech Republic|Czechia:Czech; Slovakia:Slovak;
Hungary:Hungarian; Romania:Romanian; Bulgaria:Bulgarian; Greece:Greek; Cyprus:Cypriot;
Malta:Maltese; Serbia:Serbian|Serb; Croatia:Croatian|Croat; Slovenia:Slovenian|Slovene;
Bosnia and Herzegovina|Bosnia:Bosnian; Montenegro:Montenegrin; North Macedonia|Macedonia:Macedonian;
Albania:Albanian; Kosovo:Kosovar; Ukraine:Ukrainian; Belarus:Belarusian; Moldova:Moldovan;
Georgia:Georgian; Armenia:Armenian; Azerbaijan:Azerbaijani|Azeri; Kazakhstan:Kazakh;
Uzbekistan:Uzbek; Kyrgyzstan:Kyrgyz; Tajikistan:Tajik; Turkmenistan:Turkmen; Mongolia:Mongolian;
Canada:Canadian; Mexico:Mexican; Guatemala:Guatemalan; Honduras:Honduran; El Salvador:Salvadoran;
Nicaragua:Nicaraguan; Costa Rica:Costa Rican; Panama:Panamanian; Cuba:Cuban; Haiti:Haitian;
Dominican Republic:Dominican; Jamaica:Jamaican; Puerto Rico:Puerto Rican; Colombia:Colombian;
Venezuela:Venezuelan; Ecuador:Ecuadorian; Peru:Peruvian; Bolivia:Bolivian; Brazil:Brazilian;
Chile:Chilean; Argentina:Argentine|Argentinian; Uruguay:Uruguayan; Paraguay:Paraguayan;
Australia:Australian; New Zealand:New Zealander; Indonesia:Indonesian; Malaysia:Malaysian;
Singapore:Singaporean; Philippines:Filipino|Philippine; Thailand:Thai; Vietnam|Viet Nam:Vietnamese;
Cambodia:Cambodian; Laos:Laotian; Myanmar|Burma:Burmese; Nepal:Nepali|Nepalese;
Sri Lanka:Sri Lankan; Maldives:Maldivian; European Union|EU; Vatican|Holy See
"""


# Capitals and big cities that tie a sentence to a country ("In Tallinn, President Alar Karis").
_CITIES = """
Washington|New York|Los Angeles|Chicago:United States; London:United Kingdom; Moscow:Russia;
Beijing|Shanghai:China; Tokyo:Japan; Seoul:South Korea; Pyongyang:North Korea; New Delhi|Delhi|Mumbai:India;
Islamabad:Pakistan; Kabul:Afghanistan; Tehran:Iran; Baghdad:Iraq; Damascus:Syria; Ankara|Istanbul:Turkey;
Jerusalem|Tel Aviv:Israel; Beirut:Lebanon; Amman:Jordan; Cairo:Egypt; Tripoli|Benghazi:Libya; Tunis:Tunisia;
Algiers:Algeria; Rabat:Morocco; Riyadh:Saudi Arabia; Doha:Qatar; Abu Dhabi|Dubai:United Arab Emirates;
Khartoum:Sudan; Addis Ababa:Ethiopia; Nairobi:Kenya; Kampala:Uganda; Kigali:Rwanda; Abuja|Lagos:Nigeria;
Accra:Ghana; Dakar:Senegal; Pretoria|Johannesburg|Cape Town:South Africa; Harare:Zimbabwe; Kinshasa:Democratic Republic of the Congo;
Paris:France; Berlin:Germany; Rome:Italy; Madrid|Barcelona:Spain; Lisbon:Portugal; Amsterdam|The Hague:Netherlands;
Brussels:Belgium; Bern|Geneva|Zurich:Switzerland; Vienna:Austria; Copenhagen:Denmark; Oslo:Norway;
Stockholm:Sweden; Helsinki:Finland; Reykjavik:Iceland; Tallinn:Estonia; Riga:Latvia; Vilnius:Lithuania;
Warsaw:Poland; Prague:Czech Republic; Bratislava:Slovakia; Budapest:Hungary; Bucharest:Romania; Sofia:Bulgaria;
Athens:Greece; Nicosia:Cyprus; Belgrade:Serbia; Zagreb:Croatia; Ljubljana:Slovenia; Sarajevo:Bosnia and Herzegovina;
Kyiv|Kiev:Ukraine; Minsk:Belarus; Chisinau:Moldova; Tbilisi:Georgia; Yerevan:Armenia; Baku:Azerbaijan;
Ottawa|Toronto|Montreal:Canada; Mexico City:Mexico; Havana:Cuba; Caracas:Venezuela; Bogota|Bogotá:Colombia;
Lima:Peru; Brasilia|Brasília|Sao Paulo|São Paulo|Rio de Janeiro:Brazil; Santiago:Chile; Buenos Aires:Argentina;
Canberra|Sydney|Melbourne:Australia; Wellington|Auckland:New Zealand; Jakarta:Indonesia; Kuala Lumpur:Malaysia;
Manila:Philippines; Bangkok:Thailand; Hanoi:Vietnam; Taipei:Taiwan; Dhaka:Bangladesh; Kathmandu:Nepal;
Colombo:Sri Lanka; Yangon|Naypyidaw:Myanmar
"""


def _cities() -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in _CITIES.replace("\n", " ").split(";"):
        names, _, country = entry.strip().partition(":")
        for n in names.split("|"):
            if n.strip():
                out[n.strip().lower()] = country.strip()
    return out


CITY_COUNTRY = _cities()


def _places() -> dict[str, str]:
    forms: dict[str, str] = {}
    for entry in _PLACES.replace("\n", " ").split(";"):
        names, _, demonyms = entry.strip().partition(":")
        words = [w.strip() for w in names.split("|") + demonyms.split("|") if w.strip()]
        for w in words:
            forms.setdefault(w.lower(), words[0])
            forms.setdefault(w.lower().replace(".", ""), words[0])
    return forms


PLACE_FORMS = _places()
_PLACE_WORD = re.compile(r"\b(?:" + "|".join(sorted((re.escape(k) for k in list(PLACE_FORMS) + list(CITY_COUNTRY)
                                                     if len(k) > 1), key=len, reverse=True)) + r")\b", re.I)


def place_of(word: str) -> str:
    """The country a word names or describes ("US", "American", "Estonia's" -> its shown name),
    else ""."""
    w = word.strip(" .,;:\"'“”‘’").lower()
    for poss in ("'s", "’s", "'", "’"):
        if w.endswith(poss):
            w = w[: -len(poss)]
            break
    return PLACE_FORMS.get(w) or PLACE_FORMS.get(w.replace(".", "")) or ""


def is_demonym(word: str) -> bool:
    """"Kenyan", "French": a word for a country's people, not the country, nor a first name."""
    p = place_of(word)
    w = word.lower()
    return bool(p) and word[:1].isupper() and not word.isupper() and w not in (p.lower(), p.lower().split()[-1]) \
        and w not in MALE_NAMES and w not in FEMALE_NAMES


def _countries_named(text: str) -> Iterator[str]:
    """The country of each place word in a text, in order: country names, demonyms, capitals and
    big cities."""
    for m in _PLACE_WORD.finditer(text):
        w = m.group(0)
        if not w[:1].isupper():
            continue  # "us" is no country
        p = place_of(w) or CITY_COUNTRY.get(w.lower(), "")
        if p:
            yield p


def country_in(text: str) -> set:
    """The countries a stretch of text names."""
    return set(_countries_named(text))


def main_country(text: str) -> Optional[str]:
    """The country a text names most often, or None on a tie or none."""
    top = Counter(_countries_named(text)).most_common(2)
    if not top or len(top) > 1 and top[0][1] == top[1][1]:
        return None
    return top[0][0]


# an institution every country has: its name says nothing of which country's it is
_GENERIC_INSTITUTION_WORDS = frozenset("""
supreme high constitutional federal national court courts of appeal appeals justice senate parliament
congress assembly police government cabinet ministry health interior defence defense foreign affairs
finance education army navy military electoral commission the house representatives
""".split())


def generic_institution(name: str) -> bool:
    """"Supreme Court", "Ministry of Health", "Senate": no country in the name."""
    words = [w.lower() for w in name.split()]
    return bool(words) and all(w in _GENERIC_INSTITUTION_WORDS for w in words) and \
        any(w not in ("of", "the") for w in words)


# First names: a weak prior for he/she when the article says nothing; never a speaker's gender.
MALE_NAMES = _words("""
aaron abdul abe abraham adam adrian ahmed al alan albert alejandro alex alexander alexei alfred ali
andrew andy angus anthony antonio arnold arthur barack barry ben benjamin bernie bernard bill billy
bob bobby boris brad bradley brandon brett brian bruce bryan carl carlos chad charles charlie chris
christopher chuck clarence colin craig dan daniel danny darren dave david dean dennis derek dick
dmitry don donald doug douglas duncan dwight ed eddie edward emmanuel enrique eric erik ernest evan
francis francisco frank fred gary gavin george gerald gordon graham greg gregory hank harold harry
hassan henry howard howie hugh ian isaac ivan jack jacob jake james jamie jared jason jay jean-claude
jeb jeff jeffrey jeremy jerry jim jimmy joe joel john johnny jon jonathan jorge jose joseph josh joshua
juan julian justin keir keith ken kenneth kevin kyle larry lee leo leonard lindsey liam lloyd louis
luis luke marco mario mark martin matt matthew max michael mike mitch mitt mohammed muhammad nathan
neil nicholas nick nicolas nigel noah olaf oliver omar oscar owen pat patrick paul pete peter phil
philip rafael ralph rand randy ray raymond reince richard rick rob robert roberto rod rodrigo roger
ron ronald rudy rupert russell ryan sam samuel scott sean sergei sergey seth shinzo silvio simon
stephen steve steven stuart ted terry thomas tim timothy todd tom tommy tony travis trey tyler victor
vince vincent viktor vladimir volodymyr walter wayne will william xi yuri zach
marcus aidan andre austin caleb calvin cameron clayton cody connor corey curtis dale damian darius
devin dominic dustin dylan edgar eduardo edwin eli elijah elliott ethan eugene felix fernando
franklin gabriel gilbert glenn harrison hugo jackson jamal javier jerome jesse jesus kareem kelvin
lawrence leon lewis logan lorenzo lucas malcolm manuel marvin mathew maurice melvin miguel mitchell
mohamed nathaniel nelson norman pedro preston quentin ramon reggie ricardo ricky riley rodney roland
roy ruben sergio shane shawn spencer stanley terrence theodore trevor tristan troy warren wesley
willie xavier zachary
""")
FEMALE_NAMES = _words("""
abigail alexandra alice alicia alison amanda amy ana andrea angela angelina ann anna anne annie
ashley barbara betsy betty beverly brenda bridget carly carol caroline carolyn catherine cathy
charlotte chelsea cheryl christina christine cindy claire claudia cynthia dana deborah debbie denise
diana diane donna doris dorothy elaine eleanor elena elizabeth ellen emily emma erin eva evelyn
frances giorgia gloria grace hannah heather heidi helen hillary hope huma ivanka jackie jacqueline
jane janet janice jean jennifer jessica jill jo joan joanne jodi joy joyce judith judy julia julie
kaja kamala karen kate katherine kathleen kathy katie kay kayleigh kellyanne kelly kim kirsten
kristen laura lauren linda lisa liz lori louise lucy lynn madeleine margaret maria marie marine
marilyn martha mary megan melania melissa michelle mitzi monica nancy natalie nicola nicole nikki
olivia pam pamela patricia patty paula peggy penny rachel rebecca rita roberta rosa rose ruth sally
samantha sandra sara sarah sharon sheila shirley sonia stephanie sue susan suzanne tammy tara teresa
theresa tiffany tina tulsi ursula valerie vanessa victoria virginia wendy whitney yulia
abby adriana alexis alyssa amelia anita ariana audrey ava bianca brittany brooke caitlin camila
candace carla carmen cassandra cecilia chloe clara courtney danielle daphne dolores elise ella erica
esther fatima fiona gabriela gabrielle gina hailey irene isabel isabella jenna joanna jocelyn
josephine juliana kaitlyn kathryn kayla kendra kimberly kylie layla leah lillian lily lorraine lydia
mackenzie madeline maggie marcia mariah marissa maya melanie mia mila miranda molly nadia naomi nina
nora penelope priscilla regina renee sabrina scarlett shannon sofia sophia stacey tamara tanya
veronica vivian yolanda zoe
""")
