"""Heuristics as data: cue words and role nouns, shared by the tagger's features and the rules."""
from __future__ import annotations

# Lemmas of verbs that introduce speech, thought, belief or evidence (PolNeAR annotates all).
SPEECH_VERBS = frozenset("""
say tell add state claim argue insist note explain warn write report announce declare
acknowledge admit agree allege assert ask answer believe boast charge complain concede
confirm contend continue counter deny describe disclose emphasize emphasise estimate
expect fear feel figure find hope imply indicate inform lament maintain mention
observe offer point predict proclaim promise propose question reaffirm recall reckon
recount reiterate remark repeat reply respond reveal say scoff show signal speculate
stress suggest swear tweet think urge vow wonder worry accuse blame call caution
criticize criticise dismiss praise quip joke shout yell testify brag concur contest
decry demand denounce dispute doubt guarantee hint know learn lie mock muse object
opine plead pledge post project question quote read recommend reject remind rule
estimate gripe grumble howl joke muse note pen pitch ponder posit pray preach
protest read recall reassure rebut recite recollect reflect refute relate relay
retort scream shrug sigh snap sneer speak spell stipulate storm tease thunder
tout underscore underline uphold utter voice whisper wish acknowledge seem appear
suspect conclude judge consider understand assume presume surmise guess imagine
anticipate envision intend plan want prefer suppose deem view regard
""".split())

SPEECH_NOUNS = frozenset("""
statement remark remarks comment comments claim claims interview speech tweet tweets post
fear fears belief view views hope hopes concern concerns argument assertion allegation
allegations accusation warning announcement report reports testimony letter memo
message op-ed editorial press release briefing conference poll polls survey surveys
study studies analysis data estimate estimates promise pledge vow view opinion
suggestion insistence
""".split())

# Role nouns that can stand for a person ("the president said").
ROLE_NOUNS = frozenset("""
president minister prime chancellor secretary senator governor mayor spokesman spokeswoman
spokesperson candidate nominee leader chairman chairwoman chair chief director ambassador
official officials general commander king queen premier lawmaker representative congressman
congresswoman judge justice attorney prosecutor sheriff diplomat envoy adviser advisor aide
ceo founder head manager coach player analyst expert professor economist author writer
reporter editor activist lawyer officer captain pope bishop father mother wife husband
""".split())

PRONOUNS = {
    "he": ("male", "sg"), "him": ("male", "sg"), "his": ("male", "sg"), "himself": ("male", "sg"),
    "she": ("female", "sg"), "her": ("female", "sg"), "hers": ("female", "sg"), "herself": ("female", "sg"),
    "they": (None, "pl"), "them": (None, "pl"), "their": (None, "pl"), "we": (None, "pl"),
    "i": (None, "sg"), "it": ("neuter", "sg"), "you": (None, None),
}
