"""`runrecover injury show`: the story of one injury, the page a runner shows a clinician.

`build_story` works out the numbers (pain around each treatment, running volume before and
since the onset, next-morning pain after runs); `story_json` and `story_view` show the same
ones.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover import clock, rules
from runrecover.protocols import AdviceThresholds, Protocol
from runrecover.render.charts import pain_style
from runrecover.render.entries import entry_json
from runrecover.render.status import daily_worst, session_text
from runrecover.render.timeline import (
    Period,
    Trimmed,
    distance_bars,
    pain_chart,
    running_periods,
)
from runrecover.rules import History, InjuryFact, SessionDue, TreatmentFact

AROUND_DAYS = 7
"""Pain is compared over this many days before and after each treatment."""
BEFORE_ONSET_DAYS = 28
"""Running volume "before" covers this many days before the onset."""
MORNING_BEFORE_DAYS = 7
"""How old the last morning score before a run may be to count as the runner's usual."""


@dataclass(frozen=True)
class PainMean:
    mean: float | None
    count: int
    complete: bool  # all of its days are in the past


@dataclass(frozen=True)
class Effect:
    treatment: Any
    course: tuple[int, int] | None
    before: PainMean
    after: PainMean

    @property
    def change(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean


@dataclass(frozen=True)
class Volume:
    first_day: date
    last_day: date
    distance_km: float
    runs: int

    @property
    def km_per_week(self) -> float:
        return self.distance_km / (((self.last_day - self.first_day).days + 1) / 7)


@dataclass(frozen=True)
class RunCheck:
    """A run and the morning pain either side of it: the pain-monitoring model's check that
    pain is back to its usual level by the next morning."""

    run: Any
    morning_before: int | None
    next_morning: int | None

    @property
    def outcome(self) -> str | None:
        if self.morning_before is None or self.next_morning is None:
            return None
        return "worse" if self.next_morning > self.morning_before else "settled"


@dataclass(frozen=True)
class Story:
    injury: Any
    today: date
    onset: date
    last_day: date  # the day it was resolved, or today
    effects: tuple[Effect, ...]
    next_sessions: tuple[SessionDue, ...]
    pain: tuple[Any, ...]  # its scores from the onset to the last day
    before: Volume
    since: Volume
    period_unit: str  # "week", or "month" / "year" for a long story
    periods: tuple[Period, ...]
    checks: tuple[RunCheck, ...]


def onset_of(injury: Any) -> date:
    """The onset, or the day the injury was recorded when no onset was given."""
    return injury.onset_on or clock.local(injury.created_at).date()


def span(injury: Any, today: date) -> tuple[date, date]:
    """The days whose entries the story reads: from 4 weeks before the onset (running
    volume; pain before an early treatment) to a week after its last day (pain after a late
    treatment, the morning after a run)."""
    last_day = max(injury.resolved_on or today, onset_of(injury))
    return (onset_of(injury) - timedelta(days=max(BEFORE_ONSET_DAYS, AROUND_DAYS)),
            last_day + timedelta(days=AROUND_DAYS + 1))


def _mean(scores: Sequence[int], complete: bool) -> PainMean:
    return PainMean(sum(scores) / len(scores) if scores else None, len(scores), complete)


def _around(treatment: Any, pain: Sequence[Any], now: datetime) -> tuple[PainMean, PainMean]:
    """Mean pain in the 7 days before and the 7 days after a treatment. With no time of day
    its own day belongs to neither side: its scores may be from before or after it."""
    if treatment.time_known:
        before_end = after_start = treatment.at
    else:
        day = clock.local(treatment.at).date()
        before_end = clock.start_of_day(day)
        after_start = clock.start_of_day(day + timedelta(days=1))
    before_start = before_end - timedelta(days=AROUND_DAYS)
    after_end = after_start + timedelta(days=AROUND_DAYS)
    before = [p.score for p in pain if before_start <= p.at < before_end]
    after = [p.score for p in pain if after_start <= p.at < after_end]
    return _mean(before, True), _mean(after, now >= after_end)


def _volume(activities: Sequence[Any], first_day: date, last_day: date) -> Volume:
    runs = [a for a in activities if a.kind == "run"
            and first_day <= clock.local(a.at).date() <= last_day]
    return Volume(first_day, last_day, sum(a.distance_km or 0 for a in runs), len(runs))


def _check(run: Any, mornings: Sequence[Any]) -> RunCheck:
    day = clock.local(run.at).date()
    # A run with no time of day counts as after that day's morning score.
    cutoff = run.at if run.time_known else clock.start_of_day(day + timedelta(days=1))
    oldest = clock.start_of_day(day - timedelta(days=MORNING_BEFORE_DAYS))
    before = [p for p in mornings if oldest <= p.at <= cutoff]
    after = [p for p in mornings if clock.local(p.at).date() == day + timedelta(days=1)]
    return RunCheck(run, before[-1].score if before else None,
                    after[0].score if after else None)


def build_story(*, injury: Any, now: datetime, treatments: Sequence[Any],
                pain: Sequence[Any], activities: Sequence[Any],
                protocols: Mapping[str, Protocol], advice: AdviceThresholds) -> Story:
    """The story from rows that cover `span` (treatments from far enough back for their
    courses); rows of other injuries are left out here."""
    today = clock.local(now).date()
    onset = onset_of(injury)
    last_day = max(injury.resolved_on or today, onset)
    end = clock.start_of_day(last_day + timedelta(days=1))
    own = sorted((t for t in treatments if t.injury_id == injury.id),
                 key=lambda t: (clock.local(t.at), t.id))
    facts = [TreatmentFact.from_row(t) for t in own]
    scores = sorted((p for p in pain if p.injury_id == injury.id), key=lambda p: p.at)
    shown = [(t, f) for t, f in zip(own, facts, strict=True)
             if clock.start_of_day(onset) <= t.at < end]
    effects = tuple(Effect(t, rules.course_position(f, facts, protocols), *_around(t, scores, now))
                    for t, f in shown)
    history = History(treatments=tuple(facts), injuries=(
        InjuryFact(injury.id, injury.name, injury.onset_on, injury.resolved_on),))
    verdict = rules.evaluate(history, now, protocols, advice)
    mornings = [p for p in scores if p.context == "morning"]
    runs = sorted((a for a in activities if a.kind == "run"
                   and onset <= clock.local(a.at).date() <= last_day), key=lambda a: a.at)
    unit, periods = running_periods(activities, onset - timedelta(days=BEFORE_ONSET_DAYS),
                                    last_day)
    return Story(
        injury=injury, today=today, onset=onset, last_day=last_day, effects=effects,
        next_sessions=tuple(s for s in verdict.next_sessions if s.injury_id == injury.id),
        pain=tuple(p for p in scores if onset <= clock.local(p.at).date() <= last_day),
        before=_volume(activities, onset - timedelta(days=BEFORE_ONSET_DAYS),
                       onset - timedelta(days=1)),
        since=_volume(activities, onset, last_day),
        period_unit=unit, periods=tuple(periods),
        checks=tuple(_check(run, mornings) for run in runs),
    )


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
                        for i, w in enumerate(_worst_by_day(story)) if w is not None],
        "running": {"before_onset": _volume_json(story.before),
                    "since_onset": _volume_json(story.since)},
        "running_by": story.period_unit,
        "running_periods": [{"from": p.first_day.isoformat(), "until": p.last_day.isoformat(),
                             "distance_km": round(p.distance_km, 3), "runs": p.runs}
                            for p in story.periods],
        "runs": [{"id": c.run.id, "at": clock.iso(c.run.at), "time_known": c.run.time_known,
                  "distance_km": c.run.distance_km, "duration_s": c.run.duration_s,
                  "pain_during": c.run.pain_during, "morning_before": c.morning_before,
                  "next_morning": c.next_morning, "next_morning_change": c.outcome}
                 for c in story.checks],
    }


def _worst_by_day(story: Story) -> list[int | None]:
    return daily_worst(story.pain, story.onset, (story.last_day - story.onset).days + 1)


# -- view -----------------------------------------------------------------------------------

def _section(title: str, note: str = "") -> Text:
    return Text.assemble((title, "bold underline"), (f"  {note}" if note else "", "dim"))


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, header_style="dim")
    for column in columns:
        table.add_column(column, no_wrap=True)
    return table


def _score(value: int | float | None, count: int | None = None) -> Text:
    if value is None:
        return Text("–", style="dim")
    text = Text(f"{value:.1f}" if isinstance(value, float) else str(value),
                style=pain_style(round(value)))
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
    line.append(f"since {clock.format_day(story.onset)}, {ago}")
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


def _treatments(story: Story) -> list[RenderableType]:
    if not story.effects:
        return [_section("Treatments"),
                Text("  None recorded: add a visit with runrecover treat KIND --injury "
                     f"{story.injury.id}.", style="dim")]
    table = _table("on", "treatment", "before", "after", "change")
    for e in story.effects:
        t = e.treatment
        what = Text(t.kind + (f" {e.course[0]} of {e.course[1]}" if e.course else ""),
                    style="bold")
        if t.clinician:
            what.append(f"\n{t.clinician}", style="not bold")
        after = _score(e.after.mean, e.after.count)
        if not e.after.complete:
            after.append(" so far", style="dim")
        table.add_row(clock.format_day(t.at), what, _score(e.before.mean, e.before.count),
                      after, _change(e.change))
    parts: list[RenderableType] = [
        _section("Treatments", "did they help? mean pain (scores) in the 7 days before, after"),
        Trimmed(table)]
    parts += [session_text(s, clock.start_of_day(story.today)) for s in story.next_sessions]
    return parts


def _running(story: Story) -> list[RenderableType]:
    table = _table("", "days", "distance", "runs", "per week")
    for label, volume in (("before onset", story.before), ("since onset", story.since)):
        first, last = clock.format_day(volume.first_day), clock.format_day(volume.last_day)
        if volume.first_day.year == volume.last_day.year:
            first = first.rsplit(" ", 1)[0]
        table.add_row(label, f"{first} – {last}", f"{volume.distance_km:.1f} km",
                      str(volume.runs), Text(f"{volume.km_per_week:.1f} km", style="bold"))
    for column in table.columns[2:]:
        column.justify = "right"
    return [_section("Running", f"the {BEFORE_ONSET_DAYS} days before the onset, and since"),
            Trimmed(table), Text(""), distance_bars(story.period_unit, story.periods)]


def _checks(story: Story) -> list[RenderableType]:
    title = _section("Next-morning pain after runs", "worse the next morning: reduce the load")
    if not story.checks:
        return [title, Text("  No runs since the onset.", style="dim")]
    table = _table("run", "km", "during", "morning before", "next morning", "")
    for c in story.checks:
        run = c.run
        outcome = {"worse": Text("worse", style="red"),
                   "settled": Text("settled", style="green")}.get(c.outcome, Text(""))
        table.add_row(clock.format_day(run.at),
                      f"{run.distance_km:.1f}" if run.distance_km else "–",
                      _score(run.pain_during), _score(c.morning_before),
                      _score(c.next_morning), outcome)
    table.columns[1].justify = "right"
    return [title, Trimmed(table)]


def story_view(story: Story) -> RenderableType:
    parts = _header(story)
    parts += [Text(""), *_treatments(story), Text("")]
    parts.append(pain_chart(story.onset, story.last_day, [("pain", story.pain)],
                            [e.treatment for e in story.effects]))
    parts += [Text(""), *_running(story), Text(""), *_checks(story)]
    return Group(*parts)
