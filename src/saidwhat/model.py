"""The typed data model every stage of saidwhat shares.

``Span`` (a slice of the article text), ``Speaker`` (a canonical person or organisation of an
article, with the mentions that refer to it), ``Attribution`` (who said what: content, cue,
source, speaker, and the ``Target`` entities the content is about with their stance) and
``Article`` (a text with its attributions and speakers).

Every object converts to plain JSON-able dicts with ``to_dict()`` and back with
``from_dict()``; ``Article.from_dict(a.to_dict()) == a`` holds for every article.
Offsets are Python ``str`` indices into ``Article.text``, end exclusive.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

AttributionType = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organisation", "group", "document", "other"]
Gender = Literal["female", "male", "unknown"]
ATTRIBUTION_TYPES: tuple[str, ...] = ("direct", "indirect", "mixed")
SPEAKER_KINDS: tuple[str, ...] = ("person", "organisation", "group", "document", "other")
GENDERS: tuple[str, ...] = ("female", "male", "unknown")
TargetKind = Literal["person", "organisation", "country", "group"]
TARGET_KINDS: tuple[str, ...] = ("person", "organisation", "country", "group")
STANCES: tuple[str, ...] = ("negative", "neutral", "positive")


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


@dataclass(frozen=True, order=True)
class Span:
    """A slice ``text[start:end]`` of an article; ``text`` is that slice, kept for reading."""

    start: int
    end: int
    text: str = field(default="", compare=False)

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    def to_list(self) -> list[int]:
        return [self.start, self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


def _span_or_none(text: str, value: Any) -> Optional[Span]:
    if value is None:
        return None
    start, end = int(value[0]), int(value[1])
    return Span.of(text, start, end)


@dataclass
class Speaker:
    """A person, organisation, group or document that speaks in an article.

    ``name`` is the fullest form the article gives ("Kaja Kallas"), ``mentions`` the spans that
    refer to it ("Kallas", "she", "the prime minister"), ``roles`` the role nouns seen with it.
    ``kind``: ``person``, ``organisation``, ``group`` (a coordinated source: "Biden and Harris";
    ``members`` lists the ids of its members), ``document`` ("the report", when the article does
    not say who issued it) or ``other`` (unnamed plural people: "officials"). ``gender`` is how
    the article refers to a person (pronouns, titles, gendered nouns), never a guess from a first
    name: ``female``, ``male`` or ``unknown``. ``organisation`` and ``country``: what the article
    ties the speaker to ("Kremlin spokesman" -> Kremlin; "Estonian prime minister" -> Estonia).
    """

    id: str
    name: str
    kind: SpeakerKind = "person"
    mentions: list[Span] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: Gender = "unknown"
    organisation: Optional[str] = None
    country: Optional[str] = None
    members: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name, "kind": self.kind,
                             "mentions": [m.to_list() for m in self.mentions], "roles": list(self.roles),
                             "gender": self.gender}
        if self.organisation is not None:
            d["organisation"] = self.organisation
        if self.country is not None:
            d["country"] = self.country
        if self.members:
            d["members"] = list(self.members)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> "Speaker":
        """Also reads speakers stored before ``gender``/``organisation``/``country``/``members``
        existed (they take their defaults)."""
        return cls(id=str(d.get("id", "")), name=d["name"], kind=d.get("kind", "person"),
                   mentions=[Span.of(text, s, e) for s, e in d.get("mentions", [])],
                   roles=list(d.get("roles", [])), gender=d.get("gender") or "unknown",
                   organisation=d.get("organisation"), country=d.get("country"),
                   members=[str(m) for m in d.get("members") or []])


@dataclass
class Target:
    """An entity an attribution's content is about, and how the content portrays it.

    ``name`` is its canonical name in the article ("NATO" for "the alliance", "Kaja Kallas" for
    "Kallas" or a resolved "she"), ``kind`` person / organisation / country (any geopolitical
    entity: country, state, city) / group (nationalities, parties, religious and other groups),
    ``mentions`` its spans inside the content. ``stance`` (negative / neutral / positive) and
    ``probability`` (the model's probability of that stance) are None until stance has run.
    """

    name: str
    kind: TargetKind
    mentions: list[Span] = field(default_factory=list)
    stance: Optional[str] = None
    probability: Optional[float] = None

    def __post_init__(self) -> None:
        if self.probability is not None:
            self.probability = round(float(self.probability), 4)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "mentions": [m.to_list() for m in self.mentions],
                "mention_texts": [m.text for m in self.mentions], "stance": self.stance,
                "probability": round(float(self.probability), 4) if self.probability is not None else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> "Target":
        return cls(name=d["name"], kind=d.get("kind", "organisation"),
                   mentions=[Span.of(text, s, e) for s, e in d.get("mentions", [])],
                   stance=d.get("stance"), probability=d.get("probability"))


@dataclass
class Attribution:
    """One attribution: ``source`` said (``cue``) ``content``.

    ``content`` runs from the first part's start to the last part's end; ``content_parts`` are
    the fragments (a quote split around its cue has two). ``cue`` and ``source`` may be absent
    ("Asked whether ..."). ``speaker`` is the canonical speaker the source refers to, when resolved.
    ``targets`` are the entities the content is about with their stance (``saidwhat.stance``):
    None when target finding has not run, an empty list for a statement about no one.
    """

    type: AttributionType
    content: Span
    content_parts: list[Span] = field(default_factory=list)
    cue: Optional[Span] = None
    source: Optional[Span] = None
    speaker: Optional[Speaker] = None
    confidence: float = 1.0
    targets: Optional[list[Target]] = None

    def __post_init__(self) -> None:
        if not self.content_parts:
            self.content_parts = [self.content]
        # four decimals is all a confidence carries; rounding here keeps JSON round trips exact
        self.confidence = round(float(self.confidence), 4)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "type": self.type,
            "content": self.content.to_list(),
            "content_text": self.content.text,
            "content_parts": [p.to_list() for p in self.content_parts],
            "cue": self.cue.to_list() if self.cue else None,
            "cue_text": self.cue.text if self.cue else None,
            "source": self.source.to_list() if self.source else None,
            "source_text": self.source.text if self.source else None,
            "speaker": ({"id": self.speaker.id, "name": self.speaker.name, "kind": self.speaker.kind}
                        if self.speaker else None),
            "confidence": round(float(self.confidence), 4),
        }
        if self.targets is not None:  # absent when target finding has not run (older JSON too)
            d["targets"] = [t.to_dict() for t in self.targets]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "",
                  speakers: Optional[dict[str, Speaker]] = None) -> "Attribution":
        sp = d.get("speaker")
        speaker = None
        if sp:
            speaker = (speakers or {}).get(str(sp.get("id", ""))) or Speaker(
                id=str(sp.get("id", "")), name=sp["name"], kind=sp.get("kind", "person"))
        content = _span_or_none(text, d["content"])
        assert content is not None
        return cls(type=d.get("type", "indirect"), content=content,
                   content_parts=[Span.of(text, s, e) for s, e in d.get("content_parts") or []],
                   cue=_span_or_none(text, d.get("cue")), source=_span_or_none(text, d.get("source")),
                   speaker=speaker, confidence=float(d.get("confidence", 1.0)),
                   targets=([Target.from_dict(t, text) for t in d["targets"]]
                            if d.get("targets") is not None else None))


@dataclass
class Article:
    """An article's text with the attributions and speakers found in it, and optional metadata."""

    id: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "text": self.text}
        for key in ("title", "url", "outlet", "published"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        d["speakers"] = [s.to_dict() for s in self.speakers]
        d["attributions"] = [a.to_dict() for a in self.attributions]
        return d

    def to_json(self, **kwargs: Any) -> str:
        """JSON text; non-ASCII kept as is, unless the text holds lone surrogates (not encodable
        as UTF-8), which are then escaped so that the JSON stays lossless and writable."""
        kwargs.setdefault("ensure_ascii", _has_surrogates(self.text))
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        text = d.get("text", "")
        speakers = [Speaker.from_dict(s, text) for s in d.get("speakers", [])]
        by_id = {s.id: s for s in speakers}
        return cls(id=str(d.get("id", "")), text=text,
                   attributions=[Attribution.from_dict(a, text, by_id) for a in d.get("attributions", [])],
                   speakers=speakers, title=d.get("title"), url=d.get("url"),
                   outlet=d.get("outlet"), published=d.get("published"))

    @classmethod
    def from_json(cls, s: str) -> "Article":
        return cls.from_dict(json.loads(s))

    def scorer_record(self) -> dict[str, Any]:
        """The line ``../shared/eval/score.py`` reads: ``{"id", "attributions": [...]}``."""
        return {"id": self.id, "attributions": [a.to_dict() for a in self.attributions]}
