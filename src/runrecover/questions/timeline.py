"""The timeline: what happened from one day to another, as time-ordered events.

`ask` loads the rows of a window (and the treatments before it that still restrict it or
count in its courses) and turns them into events: injury onsets and resolutions, treatments
with their course position, restriction windows, races, pain, activities with the
restriction they broke; with the tallies the charts show. `render/timeline.py` shows the
answer and `timeline --json` lists its events.
"""

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from msgspec import Struct, field

from runrecover import clock, rules
from runrecover.profile import Profile
from runrecover.protocols import TrafficLight
from runrecover.questions.lookback import facts, treatments_reaching
from runrecover.questions.tally import Running, daily_worst, running_periods
from runrecover.records import Records
from runrecover.rules import ActivityFact, LadderPlan, LadderState, Window
from runrecover.rules.ladder import Session as LadderRun
from runrecover.rules.ladder import Step
from runrecover.units import KM, Units
from runrecover.vocab import LEVEL_RANK, LEVELS

KIND_ORDER = ("injury", "treatment", "restriction", "ladder", "race", "pain", "activity")


class Event(Struct, frozen=True):
    kind: str
    at: datetime  # local; a restriction's start
    time_known: bool
    entry: Any = None  # the stored row; None for a restriction
    resolved: bool = False  # an injury's resolution rather than its onset
    window: Window | None = None  # a restriction
    course: tuple[int, int] | None = None  # a treatment's place in its course
    broke: Window | None = None  # the restriction an activity broke
    rung: LadderRun | None = None  # the ladder session an activity was
    step: Step | None = None  # a ladder start, pause, reset or leave
    plan: LadderPlan | None = None  # the ladder's next session, on the day it is due

    @property
    def day(self) -> date:
        return clock.local(self.at).date()


class Timeline(Struct, frozen=True, dict=True):  # dict: for its cached properties
    first_day: date
    last_day: date
    events: tuple[Event, ...]
    windows: tuple[Window, ...]  # the restrictions drawn as bands
    injury_names: Mapping[int, str]
    injury: Any = None  # the injury the timeline is narrowed to
    treatments: tuple[Any, ...] = ()  # shown, for the chart's marks
    pain: tuple[Any, ...] = ()
    activities: tuple[Any, ...] = ()
    bands: TrafficLight | None = None
    units: Units = KM  # the runner's, for the view's distances
    day_windows: Mapping[date, tuple[Window, ...]] = field(default_factory=dict)
    # The zone its days are counted in (the runner's, read once: years of entries would
    # ask the environment for it tens of thousands of times); None: the runner's, when asked.
    zone: tzinfo | None = None

    def level_at(self, moment: datetime) -> str | None:
        """The tightest restriction at that instant; None when nothing is restricted."""
        at = clock.utc(moment)
        touching = self.day_windows.get(clock.local(moment, self.zone).date(), ())
        ranks = [LEVEL_RANK[w.level] for w in touching
                 if clock.utc(w.start) <= at < clock.utc(w.end)]
        return LEVELS[min(ranks)] if ranks else None

    def level_on(self, day: date) -> str | None:
        """The tightest restriction at any time of that day."""
        touching = self.day_windows.get(day, ())
        return LEVELS[min(LEVEL_RANK[w.level] for w in touching)] if touching else None

    # The charts' tallies, worked out when a chart asks: years of lines need neither.
    @functools.cached_property
    def pain_by_day(self) -> tuple[tuple[str, tuple[int | None, ...]], ...]:
        """Each injury's worst pain by day ("other pain" for scores of no injury)."""
        series: dict[int | None, list[Any]] = {}
        for p in self.pain:
            series.setdefault(p.injury_id, []).append(p)
        days = (self.last_day - self.first_day).days + 1
        return tuple((self.injury_names.get(key, "other pain"),
                      daily_worst(rows, self.first_day, days, self.zone))
                     for key, rows in sorted(series.items(), key=lambda s: s[0] or 0))

    @functools.cached_property
    def running(self) -> Running:
        """Running distance by week, month or year."""
        return running_periods(self.activities, self.first_day, self.last_day, self.zone)

    @property
    def several_injuries(self) -> bool:
        """Whether lines must name their injury: pain and treatments of more than one."""
        return len({row.injury_id for row in (*self.pain, *self.treatments)}) > 1


def ask(records: Records, profile: Profile, *, since: datetime, until: datetime,
        injury: str | None = None, now: datetime | None = None) -> Timeline:
    """The timeline of [since, until), narrowed to one injury when `injury` names one; with
    `now`, the return-to-run ladder's next session as status gives it."""
    injury_row = records.get_injury(ref=injury) if injury else None
    treatments = treatments_reaching(records, profile, since=since, until=until)
    pain = records.between("pain", since=since, until=until)
    activities = records.between("activity", since=since, until=until)
    races = records.between("race", since=since, until=until)
    linked = {row.injury_id for row in (*treatments, *pain) if row.injury_id is not None}
    injuries = records.injuries_for(
        first_day=clock.local(since).date(),
        last_day=(clock.local(until) - timedelta(microseconds=1)).date(), ids=linked)
    ladder, plan = ladder_now(records, profile, until=until, now=now)
    return build(since=since, until=until, injuries=injuries, treatments=treatments, pain=pain,
                 activities=activities, races=races, profile=profile, injury=injury_row,
                 ladder=ladder, plan=plan)


def ladder_now(records: Records, profile: Profile, *, until: datetime,
               now: datetime | None) -> tuple[LadderState | None, LadderPlan | None]:
    """The ladder up to the end of a period, and its next session as of `now` (that of
    `status`, so that both say the same)."""
    from runrecover.questions import ladder as ladder_question
    from runrecover.questions import status as status_question

    end = until if now is None else min(until, now)
    state = ladder_question.state_at(records, profile, at=end)
    if state is None or now is None or not state.holds:
        return state, None
    answer = status_question.ask(records, profile, asked=clock.Moment(now, True), now=now)
    return state, answer.verdict.plan


def build(*, since: datetime, until: datetime, injuries: Sequence[Any],
          treatments: Sequence[Any], pain: Sequence[Any], activities: Sequence[Any],
          races: Sequence[Any], profile: Profile, injury: Any = None,
          ladder: LadderState | None = None, plan: LadderPlan | None = None) -> Timeline:
    """The events from `since` to `until`. `treatments` reach back far enough for every
    restriction and course that touches the window; `injury` narrows injuries, treatments,
    restrictions and pain to that injury (activities and races belong to no injury)."""
    zone = clock.local_zone()
    start, end = clock.utc(since), clock.utc(until)
    first_day = clock.local(since, zone).date()
    last_day = (clock.local(until, zone) - timedelta(microseconds=1)).date()

    def shown(row: Any) -> bool:
        # `start` and `end` are in UTC: an aware moment of any zone is ordered against them
        # by its instant (only moments sharing a zone compare by wall clock), as in UTC.
        return start <= row.at < end

    def mine(row: Any) -> bool:
        return injury is None or row.injury_id == injury.id

    known = facts(list(treatments), profile)
    every_window = sorted(rules.merge_adjacent(rules.windows(known, profile)),
                          key=lambda w: (clock.utc(w.start), w.treatment.id))
    windows = [w for w in every_window if mine(w.treatment)
               and clock.utc(w.start) < end and clock.utc(w.end) > start]
    events: list[Event] = []
    for row in injuries:
        if injury is not None and row.id != injury.id:
            continue
        for day, resolved in ((row.onset_on, False), (row.resolved_on, True)):
            if day is not None and first_day <= day <= last_day:
                # An onset whose time is known is marked at that time.
                timed = not resolved and row.onset_at is not None
                events.append(Event("injury", clock.local(row.onset_at, zone) if timed
                                    else clock.start_of_day(day), timed, row,
                                    resolved=resolved))
    shown_treatments = [t for t in treatments if shown(t) and mine(t)]
    for row, fact in zip(treatments, known, strict=True):
        if shown(row) and mine(row):
            events.append(Event("treatment", clock.local(row.at, zone), row.time_known, row,
                                course=rules.course_position(fact, known, profile)))
    events += [Event("restriction", w.start, True, window=w) for w in windows]
    events += [Event("race", clock.local(r.at, zone), r.time_known, r) for r in races if shown(r)]
    shown_pain = [p for p in pain if shown(p) and mine(p)]
    events += [Event("pain", clock.local(p.at, zone), p.time_known, p) for p in shown_pain]
    shown_activities = [row for row in activities if shown(row)]
    broken = rules.broken_by([ActivityFact.from_row(a, profile.zone) for a in shown_activities],
                             known, profile)
    sessions = {s.run.id: s for s in ladder.sessions} if ladder is not None else {}
    events += [Event("activity", clock.local(a.at, zone), a.time_known, a, broke=broken.get(a.id),
                     rung=sessions.get(a.id))
               for a in shown_activities]
    if ladder is not None:
        events += [Event("ladder", step.at, True, step=step) for step in ladder.steps
                   if step.session is None and start <= clock.utc(step.at) < end]
    if plan is not None and first_day <= plan.due <= last_day:
        events.append(Event("ladder", clock.start_of_day(plan.due), False, plan=plan))
    events.sort(key=_sort_key)
    named = {i.id: i.name for i in injuries}
    return Timeline(
        first_day=first_day, last_day=last_day, events=tuple(events),
        windows=tuple(windows),
        injury_names=named, injury=injury, treatments=tuple(shown_treatments),
        pain=tuple(shown_pain), activities=tuple(shown_activities),
        bands=profile.advice.traffic_light, units=profile.units,
        day_windows=windows_by_day(windows, first_day, last_day), zone=zone)


_KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}
_AT_ENTRY = frozenset({"treatment", "race", "pain", "activity"})
"""The kinds whose event is at its entry's moment (`build` shows it in the runner's zone)."""


def _sort_key(event: Event) -> tuple[datetime, int, int]:
    """Time order (by instant: in UTC), then KIND_ORDER, then the entry's (or the
    restriction's treatment's) id."""
    at = event.at
    if event.entry is not None:
        order = event.entry.id
        if event.kind in _AT_ENTRY:
            # The same instant as read back, in UTC when its time is known: no conversion.
            at = event.entry.at
    else:
        order = event.window.treatment.id if event.window is not None else 0
    return at.astimezone(UTC), _KIND_RANK[event.kind], order


def windows_by_day(windows: Sequence[Window], first_day: date,
                   last_day: date) -> dict[date, tuple[Window, ...]]:
    """The windows touching each day from `first_day` to `last_day`: what a moment of that
    day needs to look at, rather than every window."""
    days: dict[date, list[Window]] = {}
    for w in windows:
        day = max(clock.local(w.start).date(), first_day)
        last = min((clock.local(w.end) - timedelta(microseconds=1)).date(), last_day)
        while day <= last:
            days.setdefault(day, []).append(w)
            day += timedelta(days=1)
    return {day: tuple(found) for day, found in days.items()}
