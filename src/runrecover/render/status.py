"""What `status` shows: the verdict line, what holds running back, pain, courses, races,
advice; and the same answer as JSON."""

from datetime import date, datetime, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.questions.status import StatusAnswer
from runrecover.render.advice import advice_message
from runrecover.render.charts import pain_style, sparkline
from runrecover.rules import RaceCheck, SessionDue, TreatmentFact, Verdict, Window
from runrecover.vocab import LEVEL_TEXT

VERDICT_STYLE = {"none": "bold white on red", "easy": "bold black on yellow",
                 "normal": "bold white on green"}
VERDICT_WORD = {"none": "NOT YET", "easy": "EASY ONLY", "normal": "GO"}


def at_text(moment: datetime, time_known: bool = True) -> str:
    return clock.format_at(moment, time_known, year=False)


def day_text(day: date | datetime) -> str:
    return clock.format_day(day, year=False)


def _until(moment: datetime, now: datetime) -> str:
    return f"{at_text(moment)}, {clock.humanize_delta(now, moment)}"


def treatment_json(t: TreatmentFact) -> dict[str, Any]:
    return {"id": t.id, "kind": t.kind, "at": clock.iso(t.at)}


def session_json(s: SessionDue) -> dict[str, Any]:
    return {"kind": s.kind, "due": s.due.isoformat(), "session": s.session, "of": s.of,
            "injury_id": s.injury_id}


def race_reason(check: RaceCheck) -> str:
    if not check.cleared:
        t = check.blocker
        return (f"{t.kind} on {clock.format_at(t.at, t.time_known)} "
                f"blocks running until {clock.format_at(check.blocked_until)}")
    if check.margin is None:
        reason = "clear: nothing blocks running"
    elif check.margin >= timedelta(minutes=1):
        free = check.start - check.margin
        reason = f"clear by {clock.humanize_delta(free, check.start).removeprefix('in ')}"
    else:
        reason = "clear: running is allowed from its start"
    return reason + (", easy running only" if check.easy_only else "")


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
             "treatment": treatment_json(r.treatment), "source": r.source}
            for r in verdict.restrictions],
        "advice": [{"level": a.level, "message": advice_message(a), "source": a.source}
                   for a in verdict.advice],
        "next_sessions": [session_json(s) for s in verdict.next_sessions],
        "races": [
            {"id": c.race.id, "name": c.race.name, "date": clock.iso_day(c.race.at),
             "cleared": c.cleared, "reason": race_reason(c),
             "margin_hours": round(c.margin / timedelta(hours=1), 1)
             if c.margin is not None else None}
            for c in verdict.races],
    }


def status_json(answer: StatusAnswer) -> dict[str, Any]:
    return verdict_json(answer.verdict)


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
        head = Text.assemble("  ", (t.kind, "bold"), f" {at_text(t.at, t.time_known)}:")
        rows = [Text.assemble(f"{LEVEL_TEXT[w.level]} until {at_text(w.end)} ",
                              (f"[{w.source}]", "dim")) for w in windows]
        if len(rows) == 1:
            lines.append(head + " " + rows[0])
        else:
            lines += [head, *(Text("    ") + row for row in rows)]
    return lines


def _pain_rows(answer: StatusAnswer) -> Table | None:
    if not answer.injuries:
        return None
    table = Table.grid(padding=(0, 2))
    table.add_column(overflow="fold", max_width=28)
    table.add_column()
    table.add_column()
    for row in answer.injuries:
        latest = row.latest
        latest_text = (Text(f"pain {latest.score}/10", style=pain_style(latest.score,
                                                                          answer.bands))
                       + Text(f" {day_text(latest.at)}", style="dim")
                       if latest else Text("no pain logged", style="dim"))
        top, bottom = sparkline(row.daily_worst, answer.bands)
        table.add_row(Text(row.injury.name, style="bold"), latest_text, top)
        table.add_row("", "", bottom)
    return table


def section(title: str) -> Text:
    return Text(title, style="bold underline")


def session_text(s: SessionDue, at: datetime) -> Text:
    overdue = s.due < clock.local(at).date()
    return Text.assemble(
        "  ", (s.kind, "bold"), f" {s.session} of {s.of} due {day_text(s.due)}",
        (" (overdue)", "red") if overdue else "")


def status_view(answer: StatusAnswer) -> RenderableType:
    verdict = answer.verdict
    parts: list[RenderableType] = [verdict_line(verdict), *_reasons(verdict)]
    parts.append(Text("  allowed now: " + (", ".join(verdict.allowed_activities) or "rest")))
    pain = _pain_rows(answer)
    if pain is not None:
        days = len(answer.injuries[0].daily_worst)
        parts += [Text(""), section(f"Injuries (pain, last {days} days)"), pain]
    if verdict.next_sessions:
        parts += [Text(""), section("Next sessions")]
        parts += [session_text(s, verdict.at) for s in verdict.next_sessions]
    if verdict.races:
        parts += [Text(""), section("Races")]
        for check in verdict.races:
            mark = Text("✓ ", style="green") if check.cleared else Text("✗ ", style="red")
            parts.append(Text.assemble(
                "  ", mark, (check.race.name, "bold"),
                f" {at_text(check.race.at, check.race.time_known)}: {race_reason(check)}"))
    if verdict.advice:
        parts += [Text(""), section("Advice")]
        for a in verdict.advice:
            style = "bold red" if a.level == "see-clinician" else "yellow"
            parts.append(Text.assemble(
                ("  ! " if a.level == "see-clinician" else "  • ", style), advice_message(a),
                " ", (f"[{a.source}]", "dim")))
    return Group(*parts)
