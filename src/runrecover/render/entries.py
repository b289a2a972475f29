"""Entries as JSON objects and as one-line confirmations."""

from typing import Any

from rich.text import Text

from runrecover import clock, units
from runrecover.units import Units


def when(row: Any) -> str:
    return clock.format_at(row.at, row.time_known)


def activity_summary(row: Any, shown: Units) -> str:
    """Distance, time and pace in the runner's units; a ride's speed, as cyclists read it."""
    parts = [shown.distance(row.distance_km)] if row.distance_km else []
    if row.duration_s:
        parts.append(f"in {units.format_duration(row.duration_s)}")
        # An imported run's pace is of its moving time: show that time too.
        moving = units.format_duration(row.moving_s) if row.moving_s else None
        if moving is not None and moving != units.format_duration(row.duration_s):
            parts.append(f"({moving} moving)")
        pace = units.pace_s_per_km(row.distance_km, row.moving_s or row.duration_s)
        if pace is not None:
            parts.append(f"({shown.speed(pace) if row.kind == 'cycle' else shown.pace(pace)})")
    return " ".join(parts)


def logged(row: Any, shown: Units) -> Text:
    kind = "" if row.kind == "run" else f" {row.kind}"
    text = Text("Logged")
    text.append(f"{kind} {activity_summary(row, shown)}".rstrip(), style="bold")
    text.append(f" on {when(row)}")
    if row.pain_during is not None:
        text.append(f", pain {row.pain_during}/10")
    text.append(f" (id {row.id})", style="dim")
    return text


def already_logged(row: Any, shown: Units) -> Text:
    kind = "" if row.kind == "run" else f" {row.kind}"
    return Text(f"Already logged (id {row.id}):{kind} {activity_summary(row, shown)} on "
                f"{when(row)}; nothing was stored. Add --again to log another.")


def logged_like(row: Any, shown: Units) -> Text:
    """The warning for a log stored beside one like it: it said something that one lacks."""
    return Text(f"It looks like id {row.id} ({activity_summary(row, shown)} on {when(row)}): "
                f"if it is the same {row.kind}, keep one with 'runrecover delete activity "
                f"{row.id}'.", style="yellow")


def confirmation(verb: str, subject: str, row: Any) -> Text:
    text = Text(f"{verb} ")
    text.append(subject, style="bold")
    if getattr(row, "at", None) is not None:
        text.append(f" on {when(row)}")
    text.append(f" (id {row.id})", style="dim")
    return text


def describe(kind: str, row: Any, shown: Units) -> str:
    """A few words that let the runner recognise an entry before deleting it."""
    if kind in ("injury", "race"):
        return f"{kind} {row.id} '{row.name}'"
    if kind == "treatment":
        return f"treatment {row.id} ({row.kind} on {when(row)})"
    if kind == "pain":
        return f"pain {row.id} ({row.score}/10 on {when(row)})"
    return f"activity {row.id} ({row.kind} {activity_summary(row, shown)} on {when(row)})"
