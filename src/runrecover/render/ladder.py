"""The return-to-run ladder as the runner reads it: today's session in `status`, where they
stand (`runrecover ladder`), what a run did to it (`log`), and its story (`injury show`)."""

from datetime import date, datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.render.layout import Trimmed
from runrecover.render.rungs import plan_rules, session_text
from runrecover.rules import LadderPlan, LadderState
from runrecover.rules.ladder import Session, Step


def _day(day: date) -> str:
    return clock.format_day(day, year=False)


HELD = {"restriction": "running is not allowed yet", "pain": "a pain gate holds",
        "paused": "the ladder is paused ('runrecover ladder start' resumes it)"}


def plan_json(plan: LadderPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    state = plan.state
    return {"ladder": state.ladder.name, "rung": state.rung, "of": state.of,
            "session": session_text(plan.rung), "minutes": plan.rung.minutes,
            "due": plan.due.isoformat(), "today": plan.today, "state": state.state,
            "held_by": plan.held_by, "done": state.done, "times": state.ladder.rules.times,
            "rules": plan_rules(plan), "source": plan.rung.source,
            "checks": [{"check": c.check, "done": c.done} for c in plan.checks]}


def today_lines(plan: LadderPlan, at: datetime) -> list[Text]:
    """`Today: rung 3 of 8 — 5 × (3 min run / 2 min walk)` and its rules, or when the next
    session is due and what keeps it off today."""
    state = plan.state
    head = f"rung {state.rung} of {state.of} — {session_text(plan.rung)}"
    rules = Text.assemble(f"    {'; '.join(plan_rules(plan))} ", (f"[{plan.rung.source}]", "dim"))
    if plan.today:
        return [Text.assemble("  ", ("Today: ", "bold"), head), rules]
    when = "tomorrow" if (plan.due - clock.local(at).date()).days == 1 else _day(plan.due)
    reason = HELD.get(plan.held_by or "", "a rest day")
    return [Text.assemble("  ", ("Today: ", "bold"), reason),
            Text.assemble("  ", ("Next: ", "bold"), f"{when}, {head}"), rules]


CHECK_WORDS = {"walk": "30 min brisk walk without pain or a limp (pain ≤ 2)",
               "hop": "30 s of hopping on the injured leg, pain ≤ 2"}


def checks_lines(plan: LadderPlan) -> list[Text]:
    lines = []
    for check in plan.checks:
        mark = "[x]" if check.done else "[ ]"
        what = CHECK_WORDS[check.check]
        if check.walk is not None:
            what += f" (walk of {_day(check.walk.at)})"
        lines.append(Text(f"    {mark} {what}"))
    if lines:
        lines.insert(0, Text.assemble("  Before the first rung ", ("[S34-S38]", "dim"), ":"))
    return lines


def status_lines(plan: LadderPlan | None, at: datetime) -> list[RenderableType]:
    """The ladder's section of `status`."""
    if plan is None:
        return []
    state = plan.state
    title = f"Return to run ({state.ladder.name}, rung {state.rung} of {state.of})"
    return [Text(""), Text(title, style="bold underline"), *today_lines(plan, at),
            *checks_lines(plan)]


def start_line(ladder: str, rung: int) -> Text:
    """What `treat --ladder` adds: the ladder that starts with the visit."""
    return Text(f"  Return to run: the {ladder} ladder from rung {rung}, its sessions once "
                "running is allowed (see 'runrecover ladder').")


def overtaken_warning(step: Step) -> Text:
    """What `treat --ladder` adds when the visit's ladder is not the one in force: what
    ends it, as status will say."""
    when = clock.format_at(step.at, year=False)
    if step.kind == "leave":
        text = (f"a later 'ladder leave' of {when} ends this ladder; 'runrecover ladder "
                "start' starts it again.")
    elif step.kind == "start":
        text = (f"a later ladder start of {when} (rung {step.rung}) replaces this ladder; see "
                "'runrecover ladder'.")
    else:
        text = (f"the run of {when} finished this ladder: normal running is back; see "
                "'runrecover ladder'.")
    return Text(f"Warning: {text}", style="bold yellow")


def overtaken_json(step: Step | None) -> dict[str, Any] | None:
    return None if step is None else {"by": step.kind, "at": clock.iso(step.at)}


RESPONSE_STYLE = {"green": "green", "amber": "yellow", "red": "red"}
MOVE_WORDS = {"up": "next rung", "stay": "again (each rung is done more than once)",
              "repeat": "repeat the rung", "down": "a rung down, rest",
              "finish": "last rung done: normal running is back",
              "pending": "log tomorrow's morning pain to decide"}
WARNING_WORDS = {"skipped": "it skips rungs (rung {rung} while rung {expected} is due)",
                 "longer": "it is longer than the rung ({minutes} min at most)",
                 "early": "it comes on a rest day (next session {due})",
                 "hard": "it is harder than easy running",
                 "paused": "the ladder is paused"}


SHORT_WORDS = {"below": "it was rung {rung}, below rung {expected} due",
               "shorter": "it was shorter than rung {expected} ({minutes} min)",
               "unmeasured": "no duration was logged (give one: log 3k 25:00)"}


def short_note(session: Session, state: LadderState) -> Text | None:
    """Why a run, however well it went, does not move the runner up."""
    if not session.short:
        return None
    due = state.ladder.rungs[min(session.expected, state.of) - 1]
    reasons = [SHORT_WORDS[w].format(rung=session.rung, expected=session.expected,
                                     minutes=f"{due.minutes:g}") for w in session.short]
    return Text(f"  It does not count toward the next rung: {'; '.join(reasons)}.")


WARNING_MARKS = {"skipped": "skipped rungs", "longer": "longer than the rung",
                 "early": "on a rest day", "hard": "harder than easy", "paused": "while paused"}


def session_warning(session: Session, state: LadderState) -> Text | None:
    """The warning for a run that went past the ladder, like a broken restriction's."""
    if not session.warnings:
        return None
    rung = state.ladder.rungs[min(session.rung, state.of) - 1]
    reasons = [WARNING_WORDS[w].format(rung=session.rung, expected=session.expected,
                                        minutes=f"{rung.minutes:g}", due=_day(state.due))
               for w in session.warnings]
    return Text(f"Warning: this run went past the return-to-run ladder: {'; '.join(reasons)}. "
                "It counts only to step down, never up. It is stored all the same.",
                style="bold yellow")


def session_json(session: Session) -> dict[str, Any]:
    return {"activity_id": session.run.id, "at": clock.iso(session.run.at),
            "rung": session.rung, "expected": session.expected, "response": session.response,
            "move": session.move, "rung_after": session.rung_after, "during": session.during,
            "usual": session.usual,
            "next_morning": session.next_morning.score if session.next_morning else None,
            "warnings": list(session.warnings), "short": list(session.short)}


def step_json(step: Step) -> dict[str, Any]:
    return {"at": clock.iso(step.at), "kind": step.kind, "rung": step.rung,
            "by_clinician": step.by_clinician,
            "session": session_json(step.session) if step.session else None}


def state_json(state: LadderState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {"ladder": state.ladder.name, "rung": state.rung, "of": state.of,
            "state": state.state, "due": state.due.isoformat(),
            "started": clock.iso(state.started),
            "ended": clock.iso(state.ended) if state.ended else None,
            "injury_id": state.injury_id, "reds_in_row": state.reds_in_row,
            "steps": [step_json(s) for s in state.steps]}


def step_text(step: Step) -> Text:
    """What happened at a step, without its moment."""
    if step.session is None:
        who = " (clinician)" if step.by_clinician else ""
        return Text(f"{step.kind}{who} at rung {step.rung}")
    s = step.session
    pain = [f"during {s.during}" if s.during is not None else None,
            f"next morning {s.next_morning.score}" if s.next_morning else None]
    told = ", ".join(p for p in pain if p) or "no pain logged"
    style = RESPONSE_STYLE.get(s.response, "dim")
    text = Text.assemble(f"rung {s.rung}: ", (s.response, style),
                         f" ({told}) → {MOVE_WORDS[s.move]}")
    if s.warnings:
        text.append(f" ! {', '.join(WARNING_MARKS[w] for w in s.warnings)}", style="bold yellow")
    return text


def story_lines(state: LadderState | None) -> list[RenderableType]:
    """The ladder's story: each start, pause and session with its response and move."""
    if state is None:
        return []
    downs = sum(1 for s in state.sessions if s.move == "down")
    count = len(state.sessions)
    head = (f"Return to run: {state.ladder.name}, rung {state.rung} of {state.of}, "
            f"{state.state}; {count} session{'' if count == 1 else 's'}, {downs} "
            f"step{'' if downs == 1 else 's'} back")
    # A grid, so that a long line wraps under its text, not under its moment.
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for step in state.steps:
        grid.add_row(f"  {clock.format_at(step.at, year=False)}", step_text(step))
    return [Text(""), Text(head, style="bold underline"), Trimmed(grid)]


def ladder_view(state: LadderState | None, plan: LadderPlan | None, at: datetime,
                names: tuple[str, ...]) -> RenderableType:
    """`runrecover ladder`: where the runner stands, or how to start."""
    if state is None or not state.holds:
        done = ([] if state is None else
                [Text(f"The {state.ladder.name} ladder was {state.state} on "
                      f"{clock.format_at(state.ended, year=False)}: normal running.")])
        return Group(*done, Text(
            "No return-to-run ladder is on. Start one with 'runrecover ladder start' (it "
            "picks the ladder and first rung from your injury and time off) or name one "
            f"with --ladder: {', '.join(names)}."))
    return Group(*status_lines(plan, at)[1:], *story_lines(state))
