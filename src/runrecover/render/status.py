"""What `status` shows: the verdict line, what holds running back, pain, courses, races,
advice; and the same answer as JSON."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.questions.status import StatusAnswer
from runrecover.render import ladder as ladder_view
from runrecover.render.advice import advice_message
from runrecover.render.charts import pain_style, sparkline
from runrecover.render.layout import Trimmed, hanging
from runrecover.render.welcome import welcome
from runrecover.rules import (
    LadderEventFact,
    PainGate,
    RaceCheck,
    SessionDue,
    TreatmentFact,
    Verdict,
    Window,
)
from runrecover.units import Units
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


def treatment_json(t: TreatmentFact | None) -> dict[str, Any] | None:
    return None if t is None else {"id": t.id, "kind": t.kind, "at": clock.iso(t.at)}


def pain_json(gate: PainGate | None) -> dict[str, Any] | None:
    if gate is None:
        return None
    r = gate.reading
    return {"gate": gate.gate, "id": r.pain_id, "activity_id": r.activity_id,
            "score": r.score, "at": clock.iso(r.at), "context": r.context}


def session_json(s: SessionDue) -> dict[str, Any]:
    return {"kind": s.kind, "due": s.due.isoformat(), "session": s.session, "of": s.of,
            "injury_id": s.injury_id}


GATE_WORDS = {"red": "pain", "night": "night pain", "morning": "morning pain",
              "rise": "morning pain", "during": "pain during a run"}


def gate_text(gate: PainGate, *, year: bool = True) -> str:
    """`morning pain 5/10 on Wed 15 Jun 07:00`, with the rise when it is one."""
    r = gate.reading
    text = f"{GATE_WORDS[gate.gate]} {r.score}/10 on {clock.format_at(r.at, year=year)}"
    if gate.previous is not None:
        text += f", up from {gate.previous.score}/10 after a run"
    return text


def gate_lift(gate: PainGate) -> str:
    """What to log to lift a gate before it lapses."""
    if gate.gate == "red":
        return f"a score below {gate.limit} lifts it sooner"
    if gate.gate == "night":
        return f"a night score below {gate.limit} (--context night) lifts it sooner"
    if gate.gate == "during":
        return f"pain of {gate.limit} or less during your next easy run lifts it"
    return "log tomorrow's morning pain (--context morning) to lift it"


def race_reason(check: RaceCheck, *, year: bool = True) -> str:
    if check.ladder and check.ladder_from is not None:
        starts = clock.format_at(check.ladder_from, year=year)
        return (f"the return-to-run ladder that starts {starts} allows easy running only: a "
                "race needs normal running")
    if check.ladder:
        return "you are on the return-to-run ladder: easy running only, a race needs normal running"
    if not check.cleared:
        until = clock.format_at(check.blocked_until, year=year)
        if check.gate is not None:
            allowed = "no running" if check.level == "none" else "easy running only"
            return f"{gate_text(check.gate, year=year)}: {allowed} until {until}"
        t = check.blocker
        treated = f"{t.kind} on {clock.format_at(t.at, t.time_known, year=year)}"
        if check.level == "none":
            running = clock.format_at(check.running_from, year=year)
            if running == until:
                return f"{treated} blocks running until {until}"
            return f"{treated} blocks running until {running}, and race effort until {until}"
        return f"{treated} allows easy running only until {until}: a race needs normal running"
    if check.margin is None:
        return "clear: nothing holds running back"
    if check.margin < timedelta(minutes=1):
        return "clear: normal running is allowed from its start"
    free = check.start - check.margin
    by = clock.humanize_delta(free, check.start).removeprefix("in ")
    return f"clear by {by} (from {clock.format_at(free, year=year)})"


def race_notes(check: RaceCheck) -> list[str]:
    notes = []
    if check.session_near is not None:
        s = check.session_near
        notes.append(f"{s.kind} {s.session} of {s.of} is due {day_text(s.due)}, within a day "
                     "of the race: ask your clinician which comes first.")
    if check.first_run_after is not None:
        notes.append(f"It would be your first run since running was allowed again "
                     f"({at_text(check.first_run_after)}): try an easy run before it.")
    return notes


def verdict_json(verdict: Verdict, shown: Units) -> dict[str, Any]:
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
            {"activity": r.activity, "level": r.level,
             "until": clock.iso(r.until) if r.until is not None else None,
             "treatment": treatment_json(r.treatment), "pain": pain_json(r.gate),
             "source": r.source}
            for r in verdict.restrictions],
        "advice": [{"level": a.level, "message": advice_message(a, shown), "source": a.source}
                   for a in verdict.advice],
        "next_sessions": [session_json(s) for s in verdict.next_sessions],
        "races": [
            {"id": c.race.id, "name": c.race.name, "date": clock.iso_day(c.race.at),
             "cleared": c.cleared, "reason": race_reason(c), "notes": race_notes(c),
             "margin_hours": round(c.margin / timedelta(hours=1), 1)
             if c.margin is not None else None}
            for c in verdict.races],
        "plan": ladder_view.plan_json(verdict.plan),
    }


def status_json(answer: StatusAnswer) -> dict[str, Any]:
    # Distances in JSON are kilometres; `units` says which the advice's words use.
    return verdict_json(answer.verdict, answer.units) | {
        "booked": [{"treatment": treatment_json(w.treatment), "level": w.level,
                    "from": clock.iso(w.start), "until": clock.iso(w.end), "source": w.source}
                   for w in answer.booked],
        "booked_ladders": [{"treatment": treatment_json(t), "ladder": e.ladder, "rung": e.rung,
                            "level": "easy"} for t, e in answer.booked_ladders],
        "recorded": answer.recorded, "units": answer.units.name}


def verdict_line(verdict: Verdict) -> Text:
    line = Text(f" {VERDICT_WORD[verdict.run_level]} ",
                style=VERDICT_STYLE[verdict.run_level])
    if verdict.run_level == "none" and verdict.run_allowed_from:
        line.append(f" running from {_until(verdict.run_allowed_from, verdict.at)}")
    elif verdict.run_level == "easy" and verdict.normal_run_from:
        line.append(f" normal running from {_until(verdict.normal_run_from, verdict.at)}")
    elif verdict.run_level == "easy" and verdict.plan is not None:
        line.append(" on the return-to-run ladder: its sessions only")
    elif verdict.run_level == "normal":
        line.append(" running is allowed")
    return line


def _by_treatment(windows: Iterable[Window]) -> list[list[Window]]:
    """The windows of each treatment together, in the order the treatments first come."""
    grouped: dict[int, list[Window]] = {}
    for w in windows:
        grouped.setdefault(w.treatment.id, []).append(w)
    return list(grouped.values())


def _reasons(verdict: Verdict) -> list[RenderableType]:
    """Each treatment holding something back, with what it still forbids and until when:
    on one line when it is one thing, else one line for each (wrapped under their text)."""
    lines: list[RenderableType] = []
    for windows in _by_treatment(verdict.in_force):
        t = windows[0].treatment
        head = Text.assemble((t.kind, "bold"), f" {at_text(t.at, t.time_known)}:")
        found = [Text.assemble(f"{LEVEL_TEXT[w.level]} until {at_text(w.end)} ",
                               (f"[{w.source}]", "dim")) for w in windows]
        if len(found) == 1:
            lines.append(hanging([("  ", head + " " + found[0])]))
        else:
            lines += [Text("  ") + head, hanging(("    ", row) for row in found)]
    return lines


def _booked(windows: tuple[Window, ...],
            ladders: tuple[tuple[TreatmentFact, LadderEventFact], ...] = ()
            ) -> list[RenderableType]:
    """Each booked visit with what it will hold back: `booked: prolotherapy Mon 09:00, no
    running until …`, then the ladder it starts, if it starts one."""
    started = {t.id: e for t, e in ladders}
    rows = [(found[0].treatment, [f"{LEVEL_TEXT[w.level]} until {at_text(w.end)}"
                                  for w in found]) for found in _by_treatment(windows)]
    shown = {t.id for t, _ in rows}
    rows += [(t, []) for t, _ in ladders if t.id not in shown]
    lines: list[RenderableType] = []
    for t, what in rows:
        if t.id in started:
            what.append(ladder_held(started[t.id]))
        text = Text.assemble(("booked: ", "bold"),
                             f"{t.kind} {at_text(t.at, t.time_known)}, {', '.join(what)}")
        lines.append(hanging([("  ", text)]) if t.id in started else Text("  ") + text)
    return lines


def ladder_held(event: LadderEventFact) -> str:
    """What a booked visit's ladder will hold: `then the walk-run ladder from rung 1 (easy
    running only until its last rung)`."""
    return (f"then the {event.ladder or 'return-to-run'} ladder from rung {event.rung or 1} "
            "(easy running only until its last rung)")


def _gates(gates: tuple[PainGate, ...]) -> list[RenderableType]:
    """Each pain gate: what it holds back until when, and what to log to lift it."""
    if not gates:
        return []

    def line(gate: PainGate) -> Text:
        allowed = LEVEL_TEXT["cross"] if gate.level == "none" else LEVEL_TEXT["run-easy"]
        return Text.assemble(
            (gate_text(gate, year=False), "bold"), f": {allowed} until {at_text(gate.end)} ",
            (f"[{gate.source}]", "dim"), f"; {gate_lift(gate)}")

    return [hanging(("  ", line(gate)) for gate in gates)]


def _age(moment: datetime, time_known: bool, at: datetime) -> str:
    """How old a score is: `2 hours ago`, `3 days ago`; `today` for one of today with no time."""
    if not time_known and clock.local(moment).date() == clock.local(at).date():
        return "today"
    return clock.humanize_delta(at, moment) if moment < at else "now"


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
                       + Text(f" {_age(latest.at, latest.time_known, answer.verdict.at)}",
                              style="dim")
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
    if not answer.recorded:
        return welcome()
    verdict = answer.verdict
    parts: list[RenderableType] = [verdict_line(verdict), *_gates(verdict.gates),
                                   *_reasons(verdict)]
    parts.append(Text("  allowed now: " + (", ".join(verdict.allowed_activities) or "rest")))
    parts += _booked(answer.booked, answer.booked_ladders)
    parts += ladder_view.status_lines(verdict.plan, verdict.at)
    pain = _pain_rows(answer)
    if pain is not None:
        days = len(answer.injuries[0].daily_worst)
        parts += [Text(""), section(f"Injuries (pain, last {days} days)"), Trimmed(pain)]
    if verdict.next_sessions:
        parts += [Text(""), section("Next sessions")]
        parts += [session_text(s, verdict.at) for s in verdict.next_sessions]
    if verdict.races:
        races: list[tuple[RenderableType, RenderableType]] = []
        for check in verdict.races:
            mark = Text("  ✓ ", style="green") if check.cleared else Text("  ✗ ", style="red")
            races.append((mark, Text.assemble(
                (check.race.name, "bold"),
                f" {at_text(check.race.at, check.race.time_known)}: "
                f"{race_reason(check, year=False)}")))
            races += [("", Text(note, style="yellow")) for note in race_notes(check)]
        parts += [Text(""), section("Races"), hanging(races)]
    if verdict.advice:
        parts += [Text(""), section("Advice"), hanging(
            (Text("  ! ", style="bold red") if a.level == "see-clinician"
             else Text("  • ", style="yellow"),
             Text.assemble(advice_message(a, answer.units), " ", (f"[{a.source}]", "dim")))
            for a in verdict.advice)]
    return Group(*parts)
