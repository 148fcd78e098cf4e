"""What the pages show, computed from the API's JSON (``Article.to_dict()`` and the store's dicts).

Nothing here builds HTML: it cuts the text into segments and computes plot geometry, and the
Jinja2 templates (autoescaped) write every piece of text, so article text can never become markup.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Iterable, Optional

N_COLOURS = 10  # .c0 ... .c9 in style.css; speakers beyond that share colours in turn
NO_SPEAKER = "none"  # .cnone: attributions whose source is not resolved to a speaker


def _span(text: str, value: Any) -> Optional[tuple[int, int]]:
    if not value:
        return None
    try:
        start, end = max(0, int(value[0])), min(len(text), int(value[1]))
    except (TypeError, ValueError, IndexError):
        return None
    return (start, end) if start < end else None


def _parts_text(text: str, att: dict) -> str:
    parts = [_span(text, p) for p in att.get("content_parts") or [att.get("content")]]
    found = [text[p[0]:p[1]] for p in parts if p]
    return " … ".join(found) if found else (att.get("content_text") or "")


def in_text_order(atts: list[dict]) -> list[dict]:
    return sorted(atts, key=lambda a: (a.get("content") or [0])[0])


def speaker_colours(article: dict) -> dict[str, str]:
    """Speaker id -> colour class, in order of first appearance in the text (the first is c0)."""
    colours: dict[str, str] = {}
    for att in in_text_order(article.get("attributions", [])):
        sp = att.get("speaker") or {}
        sid = str(sp.get("id", "")) if sp else ""
        if sid and sid not in colours:
            colours[sid] = f"c{len(colours) % N_COLOURS}"
    return colours


STANCE_SIGNS = {"negative": "−", "neutral": "○", "positive": "+"}


def target_label(t: dict) -> str:
    """"Russia: negative (0.94)": a target and its stance, in words."""
    name = t.get("speaker_name") or t.get("name") or "?"
    stance = t.get("stance")
    if not stance:
        return name
    prob = t.get("probability")
    return f"{name}: {stance}" + (f" ({float(prob):.2f})" if isinstance(prob, (int, float)) else "")


def describe(att: dict) -> dict[str, Any]:
    """One attribution's details as shown on hover or click."""
    sp = att.get("speaker") or {}
    targets = att.get("targets")
    return {"speaker": sp.get("name") if sp else None, "source": att.get("source_text"),
            "cue": att.get("cue_text"), "type": att.get("type"),
            "confidence": att.get("confidence"),
            "about": ("; ".join(target_label(t) for t in targets) or "no one")
            if targets is not None else None}


def tooltip(att: dict) -> str:
    d = describe(att)
    who = d["speaker"] or d["source"] or "unknown source"
    conf = d["confidence"]
    conf_s = f"{float(conf):.2f}" if isinstance(conf, (int, float)) else "?"
    return f"{who} · cue: {d['cue'] or '—'} · {d['type']} · confidence {conf_s}"


def segments(article: dict, colours: dict[str, str]) -> list[dict[str, Any]]:
    """The article text cut at every span boundary; each piece knows which attribution's content,
    cue or source covers it (the innermost content when quotes nest), and which target mention
    (``tgt`` with its stance: ``st-negative`` ...; ``tgt-end`` on a mention's last piece, where
    the stylesheet puts its sign), with the target and its stance in words in its title."""
    text = article.get("text", "")
    atts = article.get("attributions", [])
    marks: list[tuple[int, int, str, int, int]] = []
    for i, att in enumerate(atts):
        for part in att.get("content_parts") or [att.get("content")]:
            span = _span(text, part)
            if span:
                marks.append((span[0], span[1], "q", i, -1))
        for kind, key in (("cue", "cue"), ("src", "source")):
            span = _span(text, att.get(key))
            if span:
                marks.append((span[0], span[1], kind, i, -1))
        for t_i, t in enumerate(att.get("targets") or []):
            for mention in t.get("mentions") or []:
                span = _span(text, mention)
                if span:
                    marks.append((span[0], span[1], "tgt", i, t_i))
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    marks.sort()
    out: list[dict[str, Any]] = []
    active: list[tuple[int, int, str, int, int]] = []
    k = 0
    for a, b in zip(cuts, cuts[1:]):
        while k < len(marks) and marks[k][0] <= a:
            active.append(marks[k])
            k += 1
        active = [m for m in active if m[1] > a]
        piece = text[a:b]
        if not active:
            out.append({"text": piece})
            continue
        by_kind: dict[str, tuple[int, int, str, int, int]] = {}
        for m in active:  # the shortest span of each kind wins
            best = by_kind.get(m[2])
            if best is None or (m[1] - m[0]) < (best[1] - best[0]):
                by_kind[m[2]] = m
        main = by_kind.get("src") or by_kind.get("cue") or by_kind.get("q")
        owner = main[3] if main else by_kind["tgt"][3]
        classes = [k_ for k_ in ("q", "cue", "src") if k_ in by_kind]
        sp = atts[owner].get("speaker") or {}
        colour = colours.get(str(sp.get("id", "")), NO_SPEAKER) if sp else NO_SPEAKER
        title = tooltip(atts[owner])
        if "tgt" in by_kind:
            # the owner's own target where the mention is one of its targets' (nested quotes)
            tgt = next((m for m in active if m[2] == "tgt" and m[3] == owner), by_kind["tgt"])
            target = atts[tgt[3]]["targets"][tgt[4]]
            classes += ["tgt", f"st-{target.get('stance') or 'none'}"] + (["tgt-end"] if tgt[1] == b else [])
            title = f"{title} · about {target_label(target)}"
        out.append({"text": piece, "a": owner, "cls": " ".join(classes + [colour]), "title": title})
    return out


def speaker_groups(article: dict, colours: dict[str, str]) -> list[dict[str, Any]]:
    """The side list: each speaker (in colour order) with their quotes; unresolved sources last."""
    text = article.get("text", "")
    by_id = {str(s.get("id", "")): s for s in article.get("speakers", [])}
    groups: dict[str, dict[str, Any]] = {}
    atts = article.get("attributions", [])
    for i in sorted(range(len(atts)), key=lambda i: (atts[i].get("content") or [0])[0]):
        att = atts[i]
        sp = att.get("speaker") or {}
        sid = str(sp.get("id", "")) if sp else ""
        key = sid or f"?{(att.get('source_text') or '').strip().lower()}"
        if key not in groups:
            full = by_id.get(sid, {})
            groups[key] = {"id": sid or None,
                           "name": sp.get("name") if sp else (att.get("source_text") or "no source"),
                           "kind": full.get("kind") or (sp.get("kind") if sp else None),
                           "roles": full.get("roles", []), "mentions": len(full.get("mentions", [])),
                           "colour": colours.get(sid, NO_SPEAKER), "resolved": bool(sid),
                           "link": None, "quotes": []}
        if att.get("speaker_id") is not None and groups[key]["link"] is None:
            groups[key]["link"] = att["speaker_id"]  # the collection-wide speaker (stored articles)
        groups[key]["quotes"].append({"a": i, "text": _parts_text(text, att), "type": att.get("type"),
                                      "cue": att.get("cue_text")})
    # speakers with the most quotes first (ties: first seen first), unresolved sources last
    return sorted(groups.values(), key=lambda g: (not g["resolved"], -len(g["quotes"])))


def safe_url(url: Any) -> Optional[str]:
    """``url`` when it is an http(s) link, else None (a ``javascript:`` or ``data:`` URL read
    from a page or a feed is never rendered as a link)."""
    if not isinstance(url, str):
        return None
    from urllib.parse import urlsplit

    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def article_view(article: dict) -> dict[str, Any]:
    """Everything the article template needs from ``Article.to_dict()`` (``link``: its URL when
    safe to link to, see ``safe_url``)."""
    colours = speaker_colours(article)
    atts = article.get("attributions", [])
    details = []
    for i, att in enumerate(atts):
        sp = att.get("speaker") or {}
        details.append({**describe(att), "a": i,
                        "colour": colours.get(str(sp.get("id", "")), NO_SPEAKER) if sp else NO_SPEAKER,
                        "content": _parts_text(article.get("text", ""), att)})
    counts = Counter(a.get("type") for a in atts)
    return {"article": article, "link": safe_url(article.get("url")), "segments": segments(article, colours),
            "groups": speaker_groups(article, colours), "details": details,
            "counts": {t: counts.get(t, 0) for t in ("direct", "indirect", "mixed")},
            "has_targets": any(a.get("targets") is not None for a in atts),
            "targets": article_targets(article)}


def article_targets(article: dict) -> list[dict[str, Any]]:
    """Whom the article's statements are about: each target (its collection identity when the
    article is stored, else its name) with its statements' counts by stance, most first."""
    out: dict[str, dict[str, Any]] = {}
    for i, att in enumerate(article.get("attributions", [])):
        for t in att.get("targets") or []:
            key = t.get("key") or f"{t.get('kind')}:{t.get('name')}"
            row = out.setdefault(key, {"key": t.get("key"), "name": t.get("speaker_name") or t.get("name"),
                                       "kind": t.get("kind"), "speaker_id": t.get("speaker_id"), "n": 0,
                                       "stances": {"negative": 0, "neutral": 0, "positive": 0}, "a": i})
            row["n"] += 1
            if t.get("stance") in row["stances"]:
                row["stances"][t["stance"]] += 1
    return sorted(out.values(), key=lambda r: (-r["n"], r["a"]))


# ---------------------------------------------------------------- the weekly timeline

def _parse_date(value: Any) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def weekly_counts(rows: Iterable[dict[str, Any]]) -> list[tuple[dt.date, int]]:
    """``[{"week": "YYYY-MM-DD", "count": n}, ...]`` (``Store.speaker_timeline``) as one entry per
    week (weeks start on Monday) from the first week to the last, empty weeks included."""
    counts: Counter = Counter()
    for row in rows:
        day = _parse_date(row.get("week"))
        if day is not None:
            counts[day - dt.timedelta(days=day.weekday())] += int(row.get("count") or 0)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if (last - first).days > 7 * 52 * 30:  # a bogus date would make the plot useless
        first = max(first, last - dt.timedelta(weeks=52 * 30))
    out = []
    week = first
    while week <= last:
        out.append((week, counts.get(week, 0)))
        week += dt.timedelta(days=7)
    return out


def timeline_plot(weeks: list[tuple[dt.date, int]], width: int = 760, height: int = 180) -> dict[str, Any]:
    """Bar geometry, axis ticks and labels for an inline SVG (the template draws it)."""
    if not weeks:
        return {"empty": True, "width": width, "height": height}
    left, right, top, bottom = 36, 10, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(n for _, n in weeks) or 1
    slot = plot_w / len(weeks)
    bar_w = min(36.0, max(1.0, slot * 0.8)) if slot >= 2 else max(slot, 0.5)
    bars = []
    for i, (week, n) in enumerate(weeks):
        h = plot_h * n / peak
        bars.append({"x": round(left + i * slot + (slot - bar_w) / 2, 2), "y": round(top + plot_h - h, 2),
                     "w": round(bar_w, 2), "h": round(h, 2), "n": n,
                     "label": f"week of {week.isoformat()}: {n} attribution{'s' if n != 1 else ''}"})
    y_ticks = [{"y": round(top + plot_h - plot_h * v / peak, 2), "v": v}
               for v in sorted({0, peak // 2, peak}) if v or peak]
    # x labels: years when the range is long, else months, else the weeks themselves
    span_days = (weeks[-1][0] - weeks[0][0]).days
    x_ticks = []
    last_label = None
    for i, (week, _) in enumerate(weeks):
        if span_days > 2 * 365:
            label = str(week.year)
        elif span_days > 10 * 7:
            label = week.strftime("%b %Y")
        else:
            label = week.strftime("%d %b")
        if label != last_label:
            x_ticks.append({"x": round(left + i * slot + slot / 2, 2), "label": label})
            last_label = label
    # thin the labels so that they do not overlap (about 70 px each)
    step = max(1, int(len(x_ticks) * 70 / plot_w) + 1) if x_ticks else 1
    x_ticks = x_ticks[::step]
    return {"empty": False, "width": width, "height": height, "bars": bars, "y_ticks": y_ticks,
            "x_ticks": x_ticks, "left": left, "right": width - right, "base": top + plot_h,
            "top": top, "total": sum(n for _, n in weeks), "n_weeks": len(weeks),
            "first": weeks[0][0].isoformat(), "last": weeks[-1][0].isoformat()}


# ---------------------------------------------------------------- who gets quoted

KIND_LABELS = {"person": "people", "organisation": "organisations", "group": "groups",
               "document": "documents", "other": "other", "unresolved": "unresolved"}
GENDER_LABELS = {"female": "women", "male": "men", "unknown": "gender unknown"}


def _stack(shares: dict[str, float], counts: dict[str, int], labels: dict[str, str], cls: str,
           x0: float, width: float, y: float, h: float, what: str) -> list[dict[str, Any]]:
    out, x = [], x0
    for key, share in shares.items():
        w = width * share
        if w <= 0:
            continue
        out.append({"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": h, "cls": f"{cls}-{key}",
                    "label": f"{what}: {labels[key]} {100 * share:.1f}% ({counts[key]})"})
        x += w
    return out


def shares_plot(report: dict[str, Any], width: int = 760) -> dict[str, Any]:
    """Two stacked bars per row of ``Store.sources_report``: the share of attributions by speaker
    kind, and among people by gender, as an inline SVG's geometry (the template draws it)."""
    rows = list(report.get("rows", []))
    if report.get("total") and len(rows) != 1:
        rows = rows + [report["total"]]
    label_w, right, bar_h, gap, row_gap = 170, 10, 14, 3, 14
    bar_w = width - label_w - right
    out_rows, y = [], 22
    for r in rows:
        n = r.get("n", 0)
        key = str(r.get("key", ""))
        label = key if len(key) <= 24 else key[:23] + "…"
        bars = _stack(r.get("kind_shares", {}), r.get("kinds", {}), KIND_LABELS, "k", label_w, bar_w, y, bar_h,
                      f"{key}, {n} attributions")
        people = r.get("people", 0)
        if people:
            bars += _stack(r.get("gender_shares", {}), r.get("genders", {}), GENDER_LABELS, "g", label_w,
                           bar_w, y + bar_h + gap, bar_h, f"{key}, {people} attributions to people")
        out_rows.append({"label": label, "full": key, "n": n, "people": people, "y": y, "bars": bars,
                         "total": r is report.get("total")})
        y += 2 * bar_h + gap + row_gap
    ticks = [{"x": round(label_w + bar_w * v / 100, 2), "v": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    return {"empty": not rows, "width": width, "height": y + 4, "rows": out_rows, "ticks": ticks,
            "left": label_w, "right": width - right, "bar_h": bar_h,
            "kinds": KIND_LABELS, "genders": GENDER_LABELS}


# ---------------------------------------------------------------- stance

STANCE_ORDER = ("negative", "neutral", "positive")


def stance_bars(rows: list[dict[str, Any]], width: int = 760, label_w: int = 190) -> dict[str, Any]:
    """One stacked horizontal bar per row of ``Store.stance_summary`` (by target, speaker or
    outlet): negative, neutral, positive counts, bars scaled to the largest row, as an inline
    SVG's geometry (the template draws it; every bar has its counts in words in its title)."""
    right, bar_h, gap = 60, 16, 8
    bar_w = width - label_w - right
    peak = max((r.get("n", 0) for r in rows), default=0) or 1
    out, y = [], 8
    for r in rows:
        name = str(r.get("name") or r.get("key") or "")
        label = name if len(name) <= 28 else name[:27] + "…"
        x = float(label_w)
        segs = []
        for st in STANCE_ORDER:
            n = (r.get("stances") or {}).get(st, 0)
            if not n:
                continue
            w = bar_w * n / peak
            share = n / r["n"] if r.get("n") else 0.0
            segs.append({"x": round(x, 2), "w": round(w, 2), "cls": f"st-{st}", "n": n,
                         "label": f"{name}: {n} {st} ({100 * share:.0f}%)"})
            x += w
        out.append({"label": label, "full": name, "y": y, "n": r.get("n", 0), "segs": segs, "end": round(x, 2),
                    "tone": r.get("tone", 0.0)})
        y += bar_h + gap
    return {"empty": not out, "width": width, "height": y + 4, "rows": out, "left": label_w, "bar_h": bar_h}


def _periods(first: str, last: str, by: str) -> list[str]:
    """Every month ("2024-03"), week (its Monday) or year from ``first`` to ``last``."""
    out: list[str] = []
    try:
        if by == "month":
            y, m = int(first[:4]), int(first[5:7])
            while f"{y:04d}-{m:02d}" <= last and len(out) < 1200:
                out.append(f"{y:04d}-{m:02d}")
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        elif by == "year":
            out = [str(y) for y in range(int(first), min(int(last), int(first) + 1200) + 1)]
        else:
            day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
            while day <= end and len(out) < 1200:
                out.append(day.isoformat())
                day += dt.timedelta(days=7)
    except ValueError:
        return []
    return out


def stance_timeline(rows: list[dict[str, Any]], by: str = "month", width: int = 760,
                    height: int = 220) -> dict[str, Any]:
    """Stacked vertical bars of ``Store.stance_summary`` time rows (negative at the bottom,
    then neutral, then positive), one slot per period from the first to the last, empty ones
    included, as an inline SVG's geometry."""
    dated = {r["key"]: r for r in rows if not str(r.get("key", "")).startswith("(")}
    if not dated:
        return {"empty": True, "width": width, "height": height}
    keys = _periods(min(dated), max(dated), by) or sorted(dated)
    left, right, top, bottom = 36, 10, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(r["n"] for r in dated.values()) or 1
    slot = plot_w / len(keys)
    bar_w = min(40.0, max(1.0, slot * 0.8))
    bars = []
    for i, key in enumerate(keys):
        r = dated.get(key)
        if not r:
            continue
        x = round(left + i * slot + (slot - bar_w) / 2, 2)
        base = top + plot_h
        for st in STANCE_ORDER:
            n = r["stances"].get(st, 0)
            if not n:
                continue
            h = plot_h * n / peak
            base -= h
            bars.append({"x": x, "y": round(base, 2), "w": round(bar_w, 2), "h": round(h, 2), "cls": f"st-{st}",
                         "label": f"{key}: {n} {st} of {r['n']}"})
    y_ticks = [{"y": round(top + plot_h - plot_h * v / peak, 2), "v": v} for v in sorted({0, peak // 2, peak})]
    x_ticks, step = [], max(1, int(len(keys) * 70 / plot_w) + 1)
    for i in range(0, len(keys), step):
        x_ticks.append({"x": round(left + i * slot + slot / 2, 2), "label": keys[i]})
    return {"empty": False, "width": width, "height": height, "bars": bars, "y_ticks": y_ticks,
            "x_ticks": x_ticks, "left": left, "right": width - right, "base": top + plot_h}
