"""What `runrecover athletes` shows: one line per athlete (today's verdict, the next course
session, any see-clinician advice), and the same as JSON. Each athlete's line is made while
their zone and units are in force, so that its days are theirs."""

from typing import Any

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from runrecover.questions.athletes import AthleteAnswer
from runrecover.render.advice import advice_message
from runrecover.render.layout import hanging
from runrecover.render.status import day_text, session_json, verdict_line

SEE_CLINICIAN = "see-clinician"


def headline(answer: AthleteAnswer) -> str:
    """The verdict as `status`'s first line says it: `GO running is allowed`."""
    if not answer.status.recorded:
        return "nothing recorded yet"
    return " ".join(verdict_line(answer.status.verdict).plain.split())


def _advice(answer: AthleteAnswer) -> list[str]:
    return [advice_message(a, answer.status.units) for a in answer.status.verdict.advice
            if a.level == SEE_CLINICIAN]


def athlete_json(answer: AthleteAnswer) -> dict[str, Any]:
    verdict = answer.status.verdict
    sessions = verdict.next_sessions
    return {"name": answer.athlete.name, "can_run": verdict.can_run,
            "run_level": verdict.run_level, "headline": headline(answer),
            "next_session": session_json(min(sessions, key=lambda s: s.due))
            if sessions else None,
            "see_clinician": _advice(answer), "time_zone": answer.zone,
            "units": answer.status.units.name}


def athlete_line(answer: AthleteAnswer) -> tuple[str, Text]:
    """The athlete's name, and their day: the verdict (its word in the status colours),
    the next session due, the see-clinician advice."""
    verdict = answer.status.verdict
    if answer.status.recorded:
        line = verdict_line(verdict)  # the verdict's word in the colours status gives it
    else:
        line = Text("nothing recorded yet", style="dim")
    if verdict.next_sessions:
        s = min(verdict.next_sessions, key=lambda s: s.due)
        line.append(f"; next: {s.kind} {s.session} of {s.of} due {day_text(s.due)}")
    for message in _advice(answer):
        line.append("; ")
        line.append(f"! {message}", style="bold red")
    return answer.athlete.name, line


NAME_COLUMN = 20
"""The widest name shown beside its verdict; a longer one has a line of its own above it,
so that the verdicts keep their room (never cut: two long names may differ only at the end)."""


def athletes_view(lines: list[tuple[str, Text]]) -> RenderableType:
    if not lines:
        return Text("No athlete yet: the first command that records something makes 'me', "
                    "or add one with 'runrecover athletes add NAME'.")
    width = max((cell_len(name) for name, _ in lines if cell_len(name) <= NAME_COLUMN),
                default=0) + 2
    parts: list[RenderableType] = []
    rows: list[tuple[RenderableType, RenderableType]] = []
    for name, line in lines:
        if cell_len(name) <= NAME_COLUMN:
            rows.append((Text(name + " " * (width - cell_len(name)), style="bold"), line))
            continue
        if rows:
            parts.append(hanging(rows))
            rows = []
        parts += [Text(name, style="bold"), hanging([(" " * width, line)])]
    if rows:
        parts.append(hanging(rows))
    return Group(*parts)
