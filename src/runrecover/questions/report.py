"""The report a clinician reads in a minute: the story of one injury (`questions.story`, the
same numbers as `injury show`) with the timeline of its period (restriction windows, the
runs that broke them, every entry), the instructions kept or broken, the races coming and
the sources of every rule used. `render/report.py` shows it as one HTML page.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from msgspec import Struct
from sqlmodel import Session

from runrecover import clock, rules, store
from runrecover.models import Activity, Pain, Race
from runrecover.profile import Profile
from runrecover.questions import story as story_question
from runrecover.questions import timeline as timeline_question
from runrecover.questions.lookback import facts, treatments_reaching
from runrecover.questions.story import Story
from runrecover.questions.timeline import Timeline
from runrecover.records.session import SessionRecords
from runrecover.rules import ActivityFact, TreatmentFact, Window

BEFORE_ONSET_DAYS = 7
"""By default the period starts this many days before the onset: what led up to it."""
AHEAD_DAYS = 7
"""The chart runs this many days past today while the injury is open: the restrictions
still in force, the next session, a race this week."""
RACES_AHEAD_DAYS = 30
"""Races this far ahead are listed under what comes next (as `status` covers them)."""


class Instruction(Struct, frozen=True):
    """A restriction window of the period and the activities done against it."""

    window: Window
    broken_by: tuple[Any, ...]
    ongoing: bool = False

    @property
    def kept(self) -> bool | None:
        """True when kept, False when broken, None while it still runs unbroken."""
        if self.broken_by:
            return False
        return None if self.ongoing else True


class RuleUsed(Struct, frozen=True):
    """One rule the report's verdicts came from: what it is about, and its source key."""

    topic: str  # a treatment kind, or "pain"
    rule: str  # "phase", "course", "clinician", or the pain rule's name
    detail: dict[str, Any]
    source: str


class Report(Struct, frozen=True):
    story: Story
    now: datetime
    first_day: date
    last_day: date  # the story's last day (today, or the day it was resolved)
    timeline: Timeline  # the period to `chart_last_day`, narrowed to the injury
    instructions: tuple[Instruction, ...]
    races: tuple[Any, ...]  # races of the period and the next RACES_AHEAD_DAYS
    rules_used: tuple[RuleUsed, ...]

    @property
    def chart_last_day(self) -> date:
        return self.timeline.last_day

    @property
    def broken(self) -> tuple[Any, ...]:
        """The activities of the period that broke a restriction, as (event) pairs."""
        return tuple(e for e in self.timeline.events if e.kind == "activity" and e.broke)

    @property
    def worst_scores(self) -> tuple[Any, ...]:
        """The score that is each day's worst (the first of equals), in time order: the
        one the chart's line goes through, the same as the timeline's worst of the day."""
        worst: dict[date, Any] = {}
        for p in self.timeline.pain:
            day = clock.local(p.at).date()
            if day not in worst or p.score > worst[day].score:
                worst[day] = p
        return tuple(sorted(worst.values(), key=lambda p: p.at))

    @property
    def entries(self) -> tuple[Any, ...]:
        """Every entry of the period up to its last day, in time order (the appendix)."""
        return tuple(e for e in self.timeline.events
                     if e.kind not in ("restriction", "ladder") and e.day <= self.last_day)


def ask(session: Session, profile: Profile, *, ref: str, now: datetime,
        since: datetime | None = None) -> Report:
    """The report on the injury `ref` names, as of `now`, from `since` (by default a week
    before the onset) to its last day."""
    told = story_question.ask(session, profile, ref=ref, now=now)
    first_day = (clock.local(since).date() if since is not None
                 else told.onset - timedelta(days=BEFORE_ONSET_DAYS))
    first_day = min(first_day, told.last_day)
    ahead = 0 if told.injury.resolved_on else AHEAD_DAYS
    chart_last = told.last_day + timedelta(days=ahead)
    since_at = clock.start_of_day(first_day)
    until_at = clock.start_of_day(chart_last + timedelta(days=1))
    treatments = treatments_reaching(SessionRecords(session), profile, since=since_at,
                                     until=until_at)
    record = timeline_question.build(
        since=since_at, until=until_at, injuries=[told.injury], treatments=treatments,
        pain=store.between(session, Pain, since=since_at, until=until_at),
        activities=store.between(session, Activity, since=since_at, until=until_at),
        races=store.between(session, Race, since=since_at, until=until_at),
        profile=profile, injury=told.injury, ladder=told.ladder)
    today = clock.local(now).date()
    races = store.between(session, Race, since=clock.start_of_day(first_day),
                          until=clock.start_of_day(today + timedelta(days=RACES_AHEAD_DAYS + 1)))
    kept = instructions(record, facts(treatments, profile), profile, now)
    return Report(story=told, now=now, first_day=first_day, last_day=told.last_day,
                  timeline=record, instructions=kept, races=tuple(races),
                  rules_used=rules_used(record, kept, profile))


def _overlap(a: Window, b: Window) -> bool:
    return clock.utc(a.start) < clock.utc(b.end) and clock.utc(b.start) < clock.utc(a.end)


def instructions(record: Timeline, known: Sequence[TreatmentFact], profile: Profile,
                 now: datetime) -> tuple[Instruction, ...]:
    """Each restriction window of the period with the activities that broke it: the
    injury's own windows, and any other treatment's window an activity of the period broke
    (a restriction holds the runner, whatever injury it was given for). An activity breaks
    every window that forbids it, not only the tightest one the timeline names."""
    windows: list[Window] = list(record.windows)
    broken: dict[int, list[Any]] = {}
    for event in record.events:
        if event.kind != "activity":
            continue
        activity = ActivityFact.from_row(event.entry, profile.zone)
        for treatment in known:
            hit = rules.breaking_window(activity, [treatment], profile)
            if hit is None:
                continue
            index = next((n for n, w in enumerate(windows)
                          if w.treatment.id == hit.treatment.id and w.level == hit.level
                          and _overlap(w, hit)), None)
            if index is None:
                windows.append(hit)
                index = len(windows) - 1
            broken.setdefault(index, []).append(event.entry)
    order = sorted(range(len(windows)),
                   key=lambda n: (clock.utc(windows[n].start), windows[n].treatment.id))
    return tuple(Instruction(windows[n], tuple(broken.get(n, ())),
                             ongoing=clock.utc(now) < clock.utc(windows[n].end))
                 for n in order)


def rules_used(record: Timeline, instructions: Sequence[Instruction],
               profile: Profile) -> tuple[RuleUsed, ...]:
    """The protocol phases and courses of the treatments shown, each clinician's own
    numbers, and the pain rules: every rule a verdict of the report comes from."""
    used: list[RuleUsed] = []
    seen: set[tuple[str, str, str]] = set()

    def add(topic: str, rule: str, detail: dict[str, Any], source: str) -> None:
        key = (topic, rule, repr(sorted(detail.items())))
        if key not in seen:
            seen.add(key)
            used.append(RuleUsed(topic, rule, detail, source))

    shown = {t.id: t for t in (*(i.window.treatment for i in instructions),
                               *record.treatments)}
    for t in shown.values():
        protocol = profile.protocols.get(t.kind)
        if t.no_run_days is not None or t.rest_hours is not None:
            add(t.kind, "clinician", {"no_run_days": t.no_run_days,
                                      "rest_hours": t.rest_hours}, "clinician")
        if protocol is None:
            continue
        for phase in protocol.phases:
            add(t.kind, "phase", {"from": str(phase.start),
                                  "until": str(phase.end) if phase.end else None,
                                  "level": phase.level}, phase.source)
        if protocol.course is not None:
            c = protocol.course
            add(t.kind, "course", {"sessions": c.sessions, "interval_days": c.interval_days},
                c.source)
    light = profile.advice.traffic_light
    add("pain", "traffic-light", {"green": light.green, "amber": light.amber,
                                  "red": light.red}, light.source)
    g = profile.advice.pain_gates
    for rule, detail, source in (
            ("red", {"score": g.red_score, "hours": g.hold_hours}, g.red_source),
            ("night", {"score": g.night_score}, g.night_source),
            ("morning", {"score": g.morning_score}, g.morning_source),
            ("rise", {"points": g.rise_points}, g.rise_source),
            ("during", {"above": g.during_above}, g.during_source)):
        add("pain", rule, detail, source)
    return tuple(used)
