"""The protocol library as `runrecover rules` shows it."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover.protocols import BUILT_IN, Phase, Protocol
from runrecover.render.layout import hanging

LEVEL_WORDS = {"rest": "rest", "walk": "walk only", "cross": "cross-train, no running",
               "run-easy": "easy running", "run": "normal running"}


def _span(phase: Phase) -> str:
    return f"{phase.start} – {phase.end}" if phase.end else f"from {phase.start}"


def protocol_json(protocol: Protocol) -> dict[str, Any]:
    data = msgspec.to_builtins(protocol)
    data["phases"] = [{"from": str(p.start), "until": str(p.end) if p.end else None,
                       "level": p.level, "source": p.source} for p in protocol.phases]
    return data


def protocol_list(protocols: Iterable[Protocol], user_file: Path) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("kind", no_wrap=True)
    table.add_column("summary", overflow="fold")
    for p in protocols:
        table.add_row(p.kind, p.summary)
    return Group(table, Text(
        f"Details: runrecover rules KIND; what the source keys in brackets stand for: "
        f"runrecover rules --sources. Your own kinds and numbers go in {user_file}.",
        style="dim"))


def protocol_detail(protocol: Protocol) -> RenderableType:
    parts: list[RenderableType] = [Text(protocol.kind, style="bold"), Text(protocol.summary)]
    origin = protocol.origin
    if protocol.phases:
        phases = Table(title="After each session", title_justify="left", box=box.SIMPLE_HEAD,
                       pad_edge=False)
        for column in ("when", "allowed", "source"):
            phases.add_column(column, overflow="fold")
        for phase in protocol.phases:
            phases.add_row(_span(phase), LEVEL_WORDS[phase.level], phase.source)
        parts.append(phases)
    else:
        parts.append(Text("No restriction after a session."))
    course = protocol.course
    if course:
        minimum = (f", at least {course.min_interval_days} days apart"
                   if course.min_interval_days else "")
        parts.append(Text(
            f"Course: {course.sessions} sessions (range {course.sessions_min}–"
            f"{course.sessions_max}), every {course.interval_days} days{minimum} "
            f"[{course.source}]"))
    for title, items in (("Contraindications", protocol.contraindications),
                         ("Aftercare", protocol.aftercare),
                         ("Side effects", protocol.side_effects)):
        if items:
            parts.append(Text(f"{title}:", style="bold"))
            parts.append(hanging(("  • ", Text(item)) for item in items))
    by_file: dict[str, list[str]] = {}
    for key, where in origin.items():
        if where != BUILT_IN:
            by_file.setdefault(where, []).append(key)
    for where, keys in by_file.items():
        parts.append(Text(f"From your file {where}: {', '.join(keys)}; the rest is built-in."))
    parts.append(Text(
        "Hours count from the time of the session (from the end of its day when the time "
        "is not known); days end at local midnight. The clinician's instruction, given "
        "with treat --no-run-days / --rest-hours, replaces these numbers for that visit.",
        style="dim"))
    return Group(*parts)


def sources_view(used: Iterable[tuple[str, str]]) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("key", no_wrap=True)
    table.add_column("what it stands for", overflow="fold")
    for key, text in used:
        table.add_row(f"[{key}]", text)
    return table
