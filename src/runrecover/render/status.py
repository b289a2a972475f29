"""What `status`, `treat` and `log` show about restrictions: views and JSON."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.protocols import Protocol
from runrecover.render.charts import pain_style, sparkline
from runrecover.rules import (
    History,
    SessionDue,
    TreatmentFact,
    Verdict,
    Window,
    merge_adjacent,
)

SPARK_DAYS = 14
VERDICT_STYLE = {"none": "bold white on red", "easy": "bold black on yellow",
                 "normal": "bold white on green"}
VERDICT_WORD = {"none": "NOT YET", "easy": "EASY ONLY", "normal": "GO"}
LEVEL_TEXT = {"rest": "rest only", "walk": "walking only", "cross": "no running",
              "run-easy": "easy running only"}


def _at(moment: datetime, time_known: bool = True) -> str:
    return clock.format_at(moment, time_known, year=False)


def _day(day: date | datetime) -> str:
    return clock.format_day(day, year=False)


def _until(moment: datetime, now: datetime) -> str:
    return f"{_at(moment)}, {clock.humanize_delta(now, moment)}"


def _treatment(t: TreatmentFact) -> dict[str, Any]:
    return {"id": t.id, "kind": t.kind, "at": clock.iso(t.at)}


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "at": clock.iso(verdict.at),
        "can_run": verdict.can_run,
        "run_level": verdict.run_level,
        "run_allowed_from": clock.iso(verdict.run_allowed_from)
        if verdict.run_allowed_from else None,
        "normal_run_from": clock.iso(verdict.normal_run_from)
        if verdict.normal_run_from else None,
        "allowed_activities": list(verdict.allowed_activities),
        "restrictions": [
            {"activity": r.activity, "until": clock.iso(r.until),
             "treatment": _treatment(r.treatment), "source": r.source}
            for r in verdict.restrictions],
        "advice": [{"level": a.level, "message": a.message, "source": a.source}
                   for a in verdict.advice],
        "next_sessions": [_session_json(s) for s in verdict.next_sessions],
        "races": [
            {"id": c.race.id, "name": c.race.name, "date": clock.iso_day(c.race.at),
             "cleared": c.cleared, "reason": c.reason,
             "margin_hours": round(c.margin / timedelta(hours=1), 1)
             if c.margin is not None else None}
            for c in verdict.races],
    }


def _session_json(s: SessionDue) -> dict[str, Any]:
    return {"kind": s.kind, "due": s.due.isoformat(), "session": s.session, "of": s.of,
            "injury_id": s.injury_id}


def verdict_line(verdict: Verdict) -> Text:
    line = Text(f" {VERDICT_WORD[verdict.run_level]} ",
                style=VERDICT_STYLE[verdict.run_level])
    if verdict.run_level == "none" and verdict.run_allowed_from:
        line.append(f" running from {_until(verdict.run_allowed_from, verdict.at)}")
    elif verdict.run_level == "easy" and verdict.normal_run_from:
        line.append(f" normal running from {_until(verdict.normal_run_from, verdict.at)}")
    elif verdict.run_level == "normal":
        line.append(" running is allowed")
    return line


def _reasons(verdict: Verdict) -> list[Text]:
    """Each treatment holding something back, with what it still forbids and until when:
    on one line when it is one thing, else one line for each."""
    by_treatment: dict[int, list[Window]] = {}
    for w in verdict.in_force:
        by_treatment.setdefault(w.treatment.id, []).append(w)
    lines: list[Text] = []
    for windows in by_treatment.values():
        t = windows[0].treatment
        head = Text.assemble("  ", (t.kind, "bold"), f" {_at(t.at, t.time_known)}:")
        rows = [Text.assemble(f"{LEVEL_TEXT.get(w.level, w.level)} until {_at(w.end)} ",
                              (f"[{w.source}]", "dim")) for w in windows]
        if len(rows) == 1:
            lines.append(head + " " + rows[0])
        else:
            lines += [head, *(Text("    ") + row for row in rows)]
    return lines


def _pain_rows(history: History, at: datetime) -> Table | None:
    active = [i for i in history.injuries
              if i.resolved_on is None or i.resolved_on >= at.date() - timedelta(days=14)]
    if not active:
        return None
    table = Table.grid(padding=(0, 2))
    table.add_column(overflow="fold", max_width=28)
    table.add_column()
    table.add_column()
    first_day = clock.local(at).date() - timedelta(days=SPARK_DAYS - 1)
    for injury in active:
        scores = daily_worst([p for p in history.pain if p.injury_id == injury.id],
                             first_day, SPARK_DAYS)
        latest = max((p for p in history.pain if p.injury_id == injury.id and p.at <= at),
                     key=lambda p: p.at, default=None)
        latest_text = (Text(f"pain {latest.score}/10", style=pain_style(latest.score))
                       + Text(f" {_day(latest.at)}", style="dim")
                       if latest else Text("no pain logged", style="dim"))
        top, bottom = sparkline(scores)
        table.add_row(Text(injury.name, style="bold"), latest_text, top)
        table.add_row("", "", bottom)
    return table


def daily_worst(pain: Sequence[Any], first_day: date, days: int) -> list[int | None]:
    """The worst score of each local day from `first_day`, None for days with none."""
    worst: list[int | None] = [None] * days
    for p in pain:
        index = (clock.local(p.at).date() - first_day).days
        if 0 <= index < days:
            worst[index] = max(worst[index] or 0, p.score)
    return worst


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def session_text(s: SessionDue, at: datetime) -> Text:
    overdue = s.due < clock.local(at).date()
    return Text.assemble(
        "  ", (s.kind, "bold"), f" {s.session} of {s.of} due {_day(s.due)}",
        (" (overdue)", "red") if overdue else "")


def status_view(verdict: Verdict, history: History) -> RenderableType:
    parts: list[RenderableType] = [verdict_line(verdict), *_reasons(verdict)]
    parts.append(Text("  allowed now: " + (", ".join(verdict.allowed_activities) or "rest")))
    pain = _pain_rows(history, verdict.at)
    if pain is not None:
        parts += [Text(""), _section(f"Injuries (pain, last {SPARK_DAYS} days)"), pain]
    if verdict.next_sessions:
        parts += [Text(""), _section("Next sessions")]
        parts += [session_text(s, verdict.at) for s in verdict.next_sessions]
    if verdict.races:
        parts += [Text(""), _section("Races")]
        for check in verdict.races:
            mark = Text("✓ ", style="green") if check.cleared else Text("✗ ", style="red")
            parts.append(Text.assemble(
                "  ", mark, (check.race.name, "bold"),
                f" {_at(check.race.at, check.race.time_known)}: {check.reason}"))
    if verdict.advice:
        parts += [Text(""), _section("Advice")]
        for a in verdict.advice:
            style = "bold red" if a.level == "see-clinician" else "yellow"
            parts.append(Text.assemble(
                ("  ! " if a.level == "see-clinician" else "  • ", style), a.message, " ",
                (f"[{a.source}]", "dim")))
    return Group(*parts)


# -- treat --------------------------------------------------------------------------------

def treatment_effects_json(windows: Sequence[Window], position: tuple[int, int] | None,
                           next_sessions: Sequence[SessionDue]) -> dict[str, Any]:
    return {
        "restrictions": [
            {"level": w.level, "from": clock.iso(w.start), "until": clock.iso(w.end),
             "source": w.source} for w in windows],
        "course": {"session": position[0], "of": position[1]} if position else None,
        "next_sessions": [_session_json(s) for s in next_sessions],
    }


def treatment_effects_view(treatment: TreatmentFact, windows: Sequence[Window],
                           protocol: Protocol | None, position: tuple[int, int] | None,
                           next_sessions: Sequence[SessionDue]) -> RenderableType:
    parts: list[RenderableType] = []
    if not windows:
        if protocol is None:
            parts.append(Text(
                f"No protocol is known for '{treatment.kind}', so it starts no restriction. "
                "Give the clinician's instruction with --no-run-days / --rest-hours, or add "
                "the kind to protocols.toml (see 'runrecover rules').", style="dim"))
        else:
            parts.append(Text("No restriction follows this treatment."))
    for w in merge_adjacent(windows):
        parts.append(Text.assemble(
            "  ", (LEVEL_TEXT.get(w.level, w.level), "bold"),
            f" until {_at(w.end)} ", (f"[{w.source}]", "dim")))
    if position:
        parts.append(Text(f"  Session {position[0]} of {position[1]} of the course."))
    parts += [session_text(s, treatment.at) for s in next_sessions]
    if protocol is not None:
        notes = Table.grid(padding=(0, 1))
        notes.add_column(style="dim", no_wrap=True)
        notes.add_column(style="dim")
        for title, items in (("Not with:", protocol.contraindications),
                             ("Aftercare:", protocol.aftercare),
                             ("Expect:", protocol.side_effects)):
            if items:
                notes.add_row(f"  {title}", Text("; ".join(items)))
        parts.append(notes)
    return Group(*parts)


# -- log ----------------------------------------------------------------------------------

def broken_json(window: Window) -> dict[str, Any]:
    return {"treatment": _treatment(window.treatment), "level": window.level,
            "until": clock.iso(window.end), "source": window.source}


def broken_view(window: Window, activity: str) -> Text:
    """The warning for an activity ("this run", "the imported run of …") that broke a rule."""
    t = window.treatment
    return Text(
        f"Warning: {activity} broke a restriction: {LEVEL_TEXT.get(window.level)} "
        f"after {t.kind} on {_at(t.at, t.time_known)}, until "
        f"{_at(window.end)} [{window.source}]. It is stored all the same.",
        style="bold yellow")
