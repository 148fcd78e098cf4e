"""Stage 5: resolve each attribution's source to a canonical speaker of the article.

(Placeholder until the resolver lands: every named source becomes its own speaker.)
"""
from __future__ import annotations

from .model import Article, Speaker


def resolve(article: Article, blocks: list) -> list[Speaker]:
    out: dict[str, Speaker] = {}
    for a in article.attributions:
        if a.source is None:
            continue
        name = a.source.text.strip()
        sp = out.get(name)
        if sp is None:
            sp = out[name] = Speaker(id=f"s{len(out) + 1}", name=name, kind="other")
        sp.mentions.append(a.source)
        a.speaker = sp
    return list(out.values())
