"""`runrecover injury show`: the story of one injury, the page a runner shows a clinician.

`questions.story` works out the numbers; `story_json` and `story_view` show the same ones.
"""

from datetime import timedelta
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.questions.story import (
    AROUND_DAYS,
    BEFORE_ONSET_DAYS,
    MIN_SCORES,
    PainMean,
    Story,
    Volume,
)
from runrecover.render.charts import distance_bars, pain_chart, pain_style
from runrecover.render.ladder import state_json, story_lines
from runrecover.render.layout import Trimmed, hanging
from runrecover.render.status import session_text
from runrecover.rows import entry_json, onset_text

# -- JSON -----------------------------------------------------------------------------------

def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _mean_json(mean: PainMean) -> dict[str, Any]:
    return {"mean": _round(mean.mean), "count": mean.count, "complete": mean.complete}


def _volume_json(volume: Volume) -> dict[str, Any]:
    return {"from": volume.first_day.isoformat(), "until": volume.last_day.isoformat(),
            "distance_km": round(volume.distance_km, 3), "runs": volume.runs,
            "km_per_week": round(volume.km_per_week, 2)}


def story_json(story: Story) -> dict[str, Any]:
    return {
        "injury": entry_json(story.injury),
        "onset_on": story.onset.isoformat(),
        "days_since_onset": (story.today - story.onset).days,
        "treatments": [
            {"id": e.treatment.id, "kind": e.treatment.kind, "at": clock.iso(e.treatment.at),
             "time_known": e.treatment.time_known, "clinician": e.treatment.clinician,
             "course": {"session": e.course[0], "of": e.course[1]} if e.course else None,
             "pain_before": _mean_json(e.before), "pain_after": _mean_json(e.after),
             "change": _round(e.change)}
            for e in story.effects],
        "next_sessions": [{"kind": s.kind, "due": s.due.isoformat(), "session": s.session,
                           "of": s.of} for s in story.next_sessions],
        "pain_by_day": [{"date": (story.onset + timedelta(days=i)).isoformat(), "worst": w}
                        for i, w in enumerate(story.pain_by_day) if w is not None],
        "pain_during_runs_by_day": [
            {"date": (story.onset + timedelta(days=i)).isoformat(), "worst": w}
            for i, w in enumerate(story.during_by_day) if w is not None],
        "running": {"before_onset": _volume_json(story.before),
                    "since_onset": _volume_json(story.since)},
        "running_by": story.running.unit,
        "running_periods": [{"from": p.first_day.isoformat(), "until": p.last_day.isoformat(),
                             "distance_km": round(p.distance_km, 3), "runs": p.runs}
                            for p in story.running.periods],
        "runs": [{"id": c.run.id, "at": clock.iso(c.run.at), "time_known": c.run.time_known,
                  "distance_km": c.run.distance_km, "duration_s": c.run.duration_s,
                  "pain_during": c.run.pain_during, "morning_before": c.morning_before,
                  "next_morning": c.next_morning, "next_morning_change": c.outcome}
                 for c in story.checks],
        "ladder": state_json(story.ladder),
    }


# -- view -----------------------------------------------------------------------------------

def _section(title: str, note: str = "") -> RenderableType:
    """A title, and its note wrapped under itself on a narrow terminal."""
    if not note:
        return Text(title, style="bold underline")
    return hanging([(Text(title, style="bold underline"), Text(f"  {note}", style="dim"))])


def _table(*columns: str) -> Table:
    # Cells wrap between words on a narrow terminal: a cut cell would show "1…" for 10.0 km.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, header_style="dim")
    for column in columns:
        table.add_column(column)
    return table


def _score(story: Story, value: int | float | None, count: int | None = None) -> Text:
    if value is None:
        return Text("–" if count is None else f"– ({count})", style="dim")
    text = Text(f"{value:.1f}" if isinstance(value, float) else str(value),
                style=pain_style(round(value), story.bands))
    if count is not None:
        text.append(f" ({count})", style="dim")
    return text


def _change(change: float | None) -> Text:
    if change is None:
        return Text("–", style="dim")
    if round(change, 1) == 0:
        return Text("= same")
    if change < 0:
        return Text(f"↓ {-change:.1f} less", style="green")
    return Text(f"↑ {change:.1f} more", style="red")


def _header(story: Story) -> list[RenderableType]:
    injury = story.injury
    title = Text.assemble((injury.name, "bold"), (f"  injury {injury.id}", "dim"))
    where = " ".join(str(p) for p in (injury.side, injury.part) if p)
    days = (story.today - story.onset).days
    ago = ("today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago" if days > 0
           else f"in {-days} days")
    line = Text(f"  {where} · " if where else "  ")
    line.append(f"since {onset_text(injury) or clock.format_day(story.onset)}, {ago}")
    lines: list[RenderableType] = [title, line]
    if injury.resolved_on:
        lasted = (injury.resolved_on - story.onset).days
        lines.append(Text(f"  resolved {clock.format_day(injury.resolved_on)}, after {lasted} "
                          "days", style="green"))
    for label, value in (("diagnosis", injury.diagnosis), ("cause", injury.cause),
                         ("note", injury.note)):
        if value:
            lines.append(Text.assemble(f"  {label}: ", (value, "italic")))
    return lines


def around_words(story: Story) -> str:
    """How "pain before / after" is counted (the report's table says it too)."""
    return (f"Mean pain in the {AROUND_DAYS} days before and after, the first "
            f"{story.soreness_hours:g} hours after an injection left out (its own soreness); "
            f"(n) = how many scores, – below {MIN_SCORES}.")


def _before_after(story: Story, before: PainMean, after: PainMean) -> Text:
    """`6.0 (4) / 5.0 (3) so far`; a side with too few scores shows `– (2)`."""
    text = _score(story, before.mean, before.count)
    text.append(" / ")
    text.append_text(_score(story, after.mean, after.count))
    if not after.complete:
        text.append(" so far", style="dim")
    return text


def _treatments(story: Story) -> list[RenderableType]:
    if not story.effects:
        return [_section("Treatments"),
                Text("  None recorded: add a visit with runrecover treat KIND --injury "
                     f"{story.injury.id}.", style="dim")]
    table = _table("on", "treatment", "pain before / after", "change")
    for e in story.effects:
        t = e.treatment
        what = Text(t.kind + (f" {e.course[0]} of {e.course[1]}" if e.course else ""),
                    style="bold")
        if t.clinician:
            what.append(f"\n{t.clinician}", style="not bold")
        table.add_row(clock.format_day(t.at), what, _before_after(story, e.before, e.after),
                      _change(e.change))
    parts: list[RenderableType] = [
        _section("Treatments", "did they help?"), Trimmed(table),
        hanging([("  ", Text(around_words(story), style="dim"))])]
    parts += [session_text(s, clock.start_of_day(story.today)) for s in story.next_sessions]
    return parts


def _running(story: Story) -> list[RenderableType]:
    table = _table("", "days", "distance", "runs", "per week")
    for label, volume in (("before onset", story.before), ("since onset", story.since)):
        first, last = clock.format_day(volume.first_day), clock.format_day(volume.last_day)
        if volume.first_day.year == volume.last_day.year:
            first = first.rsplit(" ", 1)[0]
        table.add_row(label, f"{first} – {last}", story.units.distance(volume.distance_km),
                      str(volume.runs), Text(story.units.distance(volume.km_per_week),
                                             style="bold"))
    for column in table.columns[2:]:
        column.justify = "right"
    return [_section("Running", f"the {BEFORE_ONSET_DAYS} days before the onset, and since"),
            Trimmed(table), Text(""), distance_bars(story.running, story.units)]


def _checks(story: Story) -> list[RenderableType]:
    title = _section("Next-morning pain after runs", "worse the next morning: reduce the load")
    if not story.checks:
        return [title, Text("  No runs since the onset.", style="dim")]
    table = _table("run", story.units.name, "during", "morning before", "next morning", "")
    for c in story.checks:
        run = c.run
        outcome = {"worse": Text("worse", style="red"),
                   "settled": Text("settled", style="green")}.get(c.outcome, Text(""))
        table.add_row(clock.format_day(run.at),
                      f"{story.units.of(run.distance_km):.1f}" if run.distance_km else "–",
                      _score(story, run.pain_during), _score(story, c.morning_before),
                      _score(story, c.next_morning), outcome)
    table.columns[1].justify = "right"
    return [title, Trimmed(table)]


def story_view(story: Story) -> RenderableType:
    parts = _header(story)
    parts += [Text(""), *_treatments(story), Text("")]
    series = [("pain", story.pain_by_day)]
    if any(score is not None for score in story.during_by_day):
        series.append(("during runs", story.during_by_day))
    parts.append(pain_chart(story.onset, series, [e.treatment for e in story.effects],
                            story.bands))
    parts += [Text(""), *_running(story), Text(""), *_checks(story)]
    parts += story_lines(story.ladder)
    return Group(*parts)
