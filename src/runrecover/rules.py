"""The rules engine: from a history and a moment to what the runner may do, and why.

Pure: no database and no clock reads (the moment is an argument), so that tables and
property tests can drive it. Instants are compared in UTC inside this module, because aware
datetimes sharing one zone compare by wall clock and a fall-back hour would reorder them;
every instant handed out is local.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from runrecover import clock
from runrecover.protocols import LEVELS, AdviceThresholds, Offset, Phase, Protocol
from runrecover.vocab import ActivityKind, PainContext, normalise_treatment_kind

VISIT = "visit"
"""Source key of a number the clinician gave for one visit (--no-run-days, --rest-hours)."""

_INSTANT = timedelta(microseconds=1)  # so that a window ending at midnight ends the day before

RACE_HORIZON = timedelta(days=30)
"""Races this far ahead are checked when no race is named."""

_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_WALK, _CROSS, _EASY, _RUN = (_RANK[name] for name in ("walk", "cross", "run-easy", "run"))
_NEEDS = {
    ActivityKind.run: _EASY,
    ActivityKind.walk: _WALK,
    ActivityKind.cycle: _CROSS,
    ActivityKind.swim: _CROSS,
    ActivityKind.strength: _CROSS,
    ActivityKind.yoga: _CROSS,
    ActivityKind.other: _CROSS,
}
_NO_RESTRICTION = (Phase(Offset(0, "h"), None, "run", "D"),)


@dataclass(frozen=True)
class TreatmentFact:
    id: int
    kind: str
    at: datetime
    time_known: bool
    injury_id: int | None
    no_run_days: int | None = None
    rest_hours: float | None = None

    @classmethod
    def from_row(cls, row: Any) -> "TreatmentFact":
        """From a stored treatment (any object with its fields), its moment made local."""
        return cls(id=row.id, kind=row.kind, at=clock.local(row.at), time_known=row.time_known,
                   injury_id=row.injury_id, no_run_days=row.no_run_days,
                   rest_hours=row.rest_hours)


@dataclass(frozen=True)
class PainFact:
    id: int
    score: int
    at: datetime
    time_known: bool
    context: str | None
    injury_id: int | None


@dataclass(frozen=True)
class ActivityFact:
    id: int
    kind: str
    at: datetime
    time_known: bool
    distance_km: float | None
    duration_s: float | None
    pain: int | None

    @classmethod
    def from_row(cls, row: Any) -> "ActivityFact":
        return cls(id=row.id, kind=row.kind, at=clock.local(row.at), time_known=row.time_known,
                   distance_km=row.distance_km, duration_s=row.duration_s,
                   pain=row.pain_during)


@dataclass(frozen=True)
class RaceFact:
    id: int
    name: str
    at: datetime
    time_known: bool
    distance_km: float | None

    @classmethod
    def from_row(cls, row: Any) -> "RaceFact":
        return cls(id=row.id, name=row.name, at=clock.local(row.at), time_known=row.time_known,
                   distance_km=row.distance_km)


@dataclass(frozen=True)
class InjuryFact:
    id: int
    name: str
    onset: date | None
    resolved_on: date | None


@dataclass(frozen=True)
class History:
    treatments: tuple[TreatmentFact, ...] = ()
    pain: tuple[PainFact, ...] = ()
    activities: tuple[ActivityFact, ...] = ()
    races: tuple[RaceFact, ...] = ()
    injuries: tuple[InjuryFact, ...] = ()


@dataclass(frozen=True)
class Window:
    """A stretch after a treatment during which `level` is the highest activity level allowed."""

    treatment: TreatmentFact
    start: datetime
    end: datetime
    level: str
    source: str


@dataclass(frozen=True)
class Restriction:
    activity: str
    until: datetime
    treatment: TreatmentFact
    source: str


@dataclass(frozen=True)
class Advice:
    level: str  # "caution" | "see-clinician"
    message: str
    source: str


@dataclass(frozen=True)
class SessionDue:
    kind: str
    due: date
    session: int
    of: int
    injury_id: int | None


@dataclass(frozen=True)
class RaceCheck:
    race: RaceFact
    start: datetime
    end: datetime
    cleared: bool
    reason: str
    margin: timedelta | None  # from the end of the last run restriction to the race start


@dataclass(frozen=True)
class Verdict:
    at: datetime
    level: str
    can_run: bool
    run_level: str  # "none" | "easy" | "normal"
    run_allowed_from: datetime | None
    normal_run_from: datetime | None
    allowed_activities: tuple[str, ...]
    restrictions: tuple[Restriction, ...]
    advice: tuple[Advice, ...]
    next_sessions: tuple[SessionDue, ...]
    races: tuple[RaceCheck, ...]
    # What each treatment in force still holds back, from now on (merged windows).
    in_force: tuple[Window, ...] = ()


# --- restrictions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    start: datetime  # UTC
    end: datetime | None  # UTC; None on the last segment, which lasts
    rank: int
    source: str

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class _Schedule:
    treatment: TreatmentFact
    segments: tuple[_Segment, ...]

    def rank_at(self, moment: datetime) -> int:
        return next((s.rank for s in self.segments if s.holds(moment)), _RUN)

    def release(self, moment: datetime, needed: int) -> tuple[datetime, str] | None:
        """When this treatment alone next allows `needed`, and the source of that number;
        None when it allows it at `moment`."""
        blocking = None
        for segment in self.segments:
            if segment.end is not None and segment.end <= moment:
                continue
            if segment.rank >= needed:
                return None if blocking is None else (segment.start, blocking.source)
            if blocking is not None or segment.holds(moment):
                blocking = segment
            else:
                return None
        return None


def _plan(
    treatments: Iterable[TreatmentFact], protocols: Mapping[str, Protocol]
) -> list[_Schedule]:
    return [_schedule(treatment, protocols) for treatment in treatments]


def _schedule(treatment: TreatmentFact, protocols: Mapping[str, Protocol]) -> _Schedule:
    protocol = protocols.get(normalise_treatment_kind(treatment.kind))
    phases = protocol.phases if protocol is not None and protocol.phases else _NO_RESTRICTION
    day = _local_day(treatment.at)
    if treatment.time_known:
        begin = hour_base = clock.utc(treatment.at)
    else:
        # The restriction covers the whole day, and hour rules run from its end: never
        # shorter than meant, whenever in the day the treatment was.
        begin = clock.utc(clock.start_of_day(day))
        hour_base = clock.utc(clock.start_of_day(day + timedelta(days=1)))

    def when(offset: Offset) -> datetime:
        if offset.unit == "h":
            return clock.utc(clock.add_hours(hour_base, offset.amount))
        return clock.utc(clock.start_of_day(day + timedelta(days=int(offset.amount))))

    # [start, rank, source] per phase; the first starts with the treatment whatever its offset.
    plan = [[when(p.start), _RANK[p.level], p.source] for p in phases]
    plan[0][0] = begin
    if treatment.no_run_days is not None:
        allowed = when(Offset(treatment.no_run_days, "d"))
        first_run = next(i for i, (_, rank, _) in enumerate(plan) if rank >= _EASY)
        if first_run == 0:
            plan.insert(0, [begin, _CROSS, VISIT])
            first_run = 1
        # Phases before running end by day N; a phase whose end moves owes it to the visit.
        # Later phases are pushed past day N by the ordering pass below.
        for index in range(1, first_run + 1):
            end = allowed if index == first_run else min(plan[index][0], allowed)
            if end != plan[index][0]:
                plan[index - 1][2] = VISIT
            plan[index][0] = end
    if treatment.rest_hours is not None:
        # Applied after no_run_days so that, when both are given, the longer rest wins.
        if plan[0][1] > _WALK:
            plan.insert(0, [begin, _WALK, VISIT])
        plan[0][2] = VISIT
        plan[1][0] = clock.utc(clock.add_hours(hour_base, treatment.rest_hours))
    # Overrides and mixed hour/day offsets can put a phase's start before the previous one's:
    # the earlier (more restrictive) phase then lasts, the later one shrinks.
    starts: list[datetime] = []
    for start, _, _ in plan:
        starts.append(max(start, starts[-1]) if starts else begin)
    ends: list[datetime | None] = [*starts[1:], None]
    segments = tuple(
        _Segment(start, end, rank, source)
        for start, end, (_, rank, source) in zip(starts, ends, plan, strict=True)
        if end is None or start < end
    )
    return _Schedule(treatment, segments)


def _blocked(plan: list[_Schedule], needed: int) -> list[tuple[datetime, datetime]]:
    """The stretches, merged and in order, when some treatment forbids level `needed`."""
    spans = sorted(
        (s.start, s.end)
        for schedule in plan
        for s in schedule.segments
        if s.rank < needed and s.end is not None
    )
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _free_from(stretches: list[tuple[datetime, datetime]], moment: datetime) -> datetime | None:
    for start, end in stretches:
        if start > moment:
            break
        if moment < end:
            return end
    return None


def _rank_at(plan: list[_Schedule], moment: datetime) -> int:
    return min((schedule.rank_at(moment) for schedule in plan), default=_RUN)


def windows(treatments: Iterable[TreatmentFact], protocols: Mapping[str, Protocol]) -> list[Window]:
    """Every phase below normal running of every treatment, in time order."""
    found = [
        Window(schedule.treatment, clock.local(s.start), clock.local(s.end), LEVELS[s.rank],
               s.source)
        for schedule in _plan(treatments, protocols)
        for s in schedule.segments
        if s.end is not None and s.rank < _RUN
    ]
    return sorted(found, key=lambda w: (clock.utc(w.start), w.treatment.id))


def merge_adjacent(windows: Iterable[Window]) -> list[Window]:
    """Back-to-back windows of one treatment and level read as one ("walk until day 3")."""
    merged: list[Window] = []
    for w in sorted(windows, key=lambda w: (w.treatment.id, clock.utc(w.start))):
        last = merged[-1] if merged else None
        if last and last.treatment.id == w.treatment.id and last.level == w.level \
                and clock.utc(last.end) == clock.utc(w.start):
            sources = last.source.split("/")
            source = last.source if w.source in sources else f"{last.source}/{w.source}"
            merged[-1] = replace(last, end=w.end, source=source)
        else:
            merged.append(w)
    return merged


def level_at(
    treatments: Iterable[TreatmentFact], protocols: Mapping[str, Protocol], at: datetime
) -> str:
    """The highest level every treatment allows at `at`."""
    return LEVELS[_rank_at(_plan(treatments, protocols), clock.utc(at))]


def allowed_activities(level: str) -> list[str]:
    return [kind.value for kind, needed in _NEEDS.items() if needed <= _RANK[level]]


def first_run_block(treatments: Iterable[TreatmentFact], protocols: Mapping[str, Protocol],
                    start: datetime, end: datetime) -> datetime | None:
    """The first moment in [start, end) when running is not allowed, or None: a question
    about a whole day ("can I run on Saturday?") is answered at its worst moment."""
    begin, finish = clock.utc(start), clock.utc(end)
    for stretch_start, stretch_end in _blocked(_plan(treatments, protocols), _EASY):
        if stretch_start < finish and stretch_end > begin:
            return clock.local(max(stretch_start, begin))
    return None


def run_allowed_from(
    treatments: Iterable[TreatmentFact], protocols: Mapping[str, Protocol], at: datetime
) -> datetime | None:
    """None when running (at any level) is allowed at `at`, else the first moment it is."""
    free = _free_from(_blocked(_plan(treatments, protocols), _EASY), clock.utc(at))
    return None if free is None else clock.local(free)


def breaking_window(
    activity: ActivityFact,
    treatments: Iterable[TreatmentFact],
    protocols: Mapping[str, Protocol],
) -> Window | None:
    """The restriction the activity broke, or None: the whole of it, so that a ride in
    prolotherapy's first 24 h reads "walking only until day 3", not until the 24 h end.

    An activity with no time of day is checked at 12:00 that day: a run logged by date only
    is most likely a daytime one, and a flag at noon is one the runner can recognise.
    """
    if activity.time_known:
        moment = clock.utc(activity.at)
    else:
        moment = clock.utc(
            activity.at.astimezone(clock.local_zone()).replace(
                hour=12, minute=0, second=0, microsecond=0
            )
        )
    needed = _needs(activity.kind)
    breaking = [
        (schedule.treatment, segment)
        for schedule in _plan(treatments, protocols)
        for segment in schedule.segments
        if segment.rank < needed and segment.holds(moment)
    ]
    if not breaking:
        return None
    # The tightest, then the longest; ties go to the lowest id, whatever the order given.
    treatment, segment = min(breaking, key=lambda found: (
        found[1].rank, -found[1].end.timestamp(), found[0].id))
    return next(w for w in merge_adjacent(windows([treatment], protocols))
                if w.level == LEVELS[segment.rank]
                and clock.utc(w.start) <= segment.start < clock.utc(w.end))


def broken_by(activities: Iterable[ActivityFact], treatments: Iterable[TreatmentFact],
              protocols: Mapping[str, Protocol]) -> dict[int, Window]:
    """The restriction each activity broke, by activity id, for many activities at once.

    Every treatment is planned once; each activity is then checked against only the
    treatments whose restrictions touch its day, so a history of years stays linear.
    """
    touching: dict[date, set[TreatmentFact]] = {}
    for w in windows(treatments, protocols):
        day, last = clock.local(w.start).date(), (clock.local(w.end) - _INSTANT).date()
        while day <= last:
            touching.setdefault(day, set()).add(w.treatment)
            day += timedelta(days=1)
    broken = {}
    for activity in activities:
        nearby = touching.get(clock.local(activity.at).date())
        window = breaking_window(activity, nearby, protocols) if nearby else None
        if window is not None:
            broken[activity.id] = window
    return broken


# --- courses --------------------------------------------------------------------------------


def course_position(
    treatment: TreatmentFact,
    treatments: Iterable[TreatmentFact],
    protocols: Mapping[str, Protocol],
) -> tuple[int, int] | None:
    """(n, of) for "mesotherapy 2 of 3"; None for a kind with no course."""
    protocol = protocols.get(normalise_treatment_kind(treatment.kind))
    if protocol is None or protocol.course is None:
        return None
    same = {t.id: t for t in treatments if _same_course_group(t, treatment)}
    same[treatment.id] = treatment
    courses = _courses(list(same.values()), protocol.course.interval_days)
    n = next(course.index(treatment) + 1 for course in courses if treatment in course)
    return n, _course_size(protocol, n)


def _same_course_group(one: TreatmentFact, other: TreatmentFact) -> bool:
    return one.injury_id == other.injury_id and normalise_treatment_kind(
        one.kind
    ) == normalise_treatment_kind(other.kind)


def _courses(treatments: list[TreatmentFact], interval_days: int) -> list[list[TreatmentFact]]:
    """Split sessions of one kind and injury into courses: a gap over twice the interval
    ends a course."""
    courses: list[list[TreatmentFact]] = []
    for treatment in sorted(treatments, key=lambda t: (clock.utc(t.at), t.id)):
        if courses:
            gap = (_local_day(treatment.at) - _local_day(courses[-1][-1].at)).days
            if gap <= 2 * interval_days:
                courses[-1].append(treatment)
                continue
        courses.append([treatment])
    return courses


def _course_size(protocol: Protocol, n: int) -> int:
    course = protocol.course
    return course.sessions if n <= course.sessions else max(course.sessions_max, n)


def _next_sessions(
    history: History, at: datetime, protocols: Mapping[str, Protocol]
) -> list[SessionDue]:
    today = _local_day(at)
    resolved = {
        i.id for i in history.injuries if i.resolved_on is not None and i.resolved_on <= today
    }
    groups: dict[tuple[str, int | None], list[TreatmentFact]] = {}
    for treatment in history.treatments:
        if clock.utc(treatment.at) <= at and treatment.injury_id not in resolved:
            kind = normalise_treatment_kind(treatment.kind)
            groups.setdefault((kind, treatment.injury_id), []).append(treatment)
    due: list[SessionDue] = []
    for (kind, injury_id), sessions in groups.items():
        protocol = protocols.get(kind)
        if protocol is None or protocol.course is None:
            continue
        interval = protocol.course.interval_days
        current = _courses(sessions, interval)[-1]
        n, last_day = len(current), _local_day(current[-1].at)
        lapsed = (today - last_day).days > 2 * interval
        if lapsed or n == protocol.course.sessions or n >= protocol.course.sessions_max:
            continue
        next_day = last_day + timedelta(days=interval)
        due.append(SessionDue(kind, next_day, n + 1, _course_size(protocol, n + 1), injury_id))
    return sorted(due, key=lambda s: (s.due, s.kind))


# --- races ----------------------------------------------------------------------------------


def race_window(race: RaceFact, advice: AdviceThresholds) -> tuple[datetime, datetime]:
    """When the race is run: from its start for the advice file's race duration, or its whole
    local day when its time is not known."""
    if not race.time_known:
        day = _local_day(race.at)
        return clock.start_of_day(day), clock.start_of_day(day + timedelta(days=1))
    rule = advice.race_window
    if race.distance_km is None:
        hours = rule.hours_without_distance
    else:
        hours = race.distance_km * rule.minutes_per_km / 60
    return race.at, clock.add_hours(race.at, hours)


def _check_race(plan: list[_Schedule], race: RaceFact, advice: AdviceThresholds) -> RaceCheck:
    start, end = race_window(race, advice)
    begin, finish = clock.utc(start), clock.utc(end)
    stretches = _blocked(plan, _EASY)
    for stretch_start, stretch_end in stretches:
        if stretch_start < finish and stretch_end > begin:
            blocker = max(
                (
                    (s.end, schedule.treatment)
                    for schedule in plan
                    for s in schedule.segments
                    if s.rank < _EASY and s.end is not None and s.start < finish and s.end > begin
                ),
                key=lambda found: found[0],
            )[1]
            reason = (
                f"{blocker.kind} on {clock.format_at(blocker.at, blocker.time_known)} "
                f"blocks running until {clock.format_at(stretch_end)}"
            )
            return RaceCheck(race, start, end, False, reason, None)
    before = [stretch_end for _, stretch_end in stretches if stretch_end <= begin]
    if before:
        margin = begin - before[-1]
        reason = (
            f"clear by {clock.humanize_delta(before[-1], begin).removeprefix('in ')}"
            if margin >= timedelta(minutes=1)
            else "clear: running is allowed from its start"
        )
    else:
        margin, reason = None, "clear: nothing blocks running"
    easy_only = any(s_start < finish and s_end > begin for s_start, s_end in _blocked(plan, _RUN))
    if easy_only:
        reason += ", easy running only"
    return RaceCheck(race, start, end, True, reason, margin)


# --- advice ---------------------------------------------------------------------------------


def _advice(
    history: History, at: datetime, plan: list[_Schedule], advice: AdviceThresholds
) -> list[Advice]:
    since = at - timedelta(days=advice.history_days)
    pain = sorted((p for p in history.pain if since <= clock.utc(p.at) <= at),
                  key=lambda p: clock.utc(p.at))
    runs = sorted(
        (a for a in history.activities
         if _needs(a.kind) == _EASY and since <= clock.utc(a.at) <= at),
        key=lambda a: clock.utc(a.at),
    )
    found = [
        _see_clinician(history, pain, runs, at, advice),
        _pain_during_last_run(pain, runs, advice),
        _red_pain(pain, runs, at, advice),
        _morning_rise(pain, runs, at, advice),
        _run_spike(runs, at, advice),
        _back_after_time_off(plan, runs, at, advice),
    ]
    return [item for item in found if item is not None]


def _see_clinician(
    history: History,
    pain: list[PainFact],
    runs: list[ActivityFact],
    at: datetime,
    advice: AdviceThresholds,
) -> Advice | None:
    rule = advice.see_clinician
    first_day = _local_day(at) - timedelta(days=rule.window_days - 1)
    window_start = clock.utc(clock.start_of_day(first_day))
    painful_days = {_local_day(p.at) for p in pain if p.score > 0} | {
        _local_day(a.at) for a in runs if a.pain
    }
    count = sum(1 for day in painful_days if day >= first_day)
    if count < rule.pain_days:
        return None
    if any(window_start <= clock.utc(t.at) <= at for t in history.treatments):
        return None
    return Advice(
        "see-clinician",
        f"Pain on {count} of the last {rule.window_days} days and no clinician visit "
        "recorded: see one now rather than wait, it can save weeks.",
        rule.source,
    )


def _pain_during_last_run(
    pain: list[PainFact], runs: list[ActivityFact], advice: AdviceThresholds
) -> Advice | None:
    rule = advice.pain_during_run
    during = [p for p in pain if p.context == PainContext.during]
    if runs:
        last = runs[-1]
        day = _local_day(last.at)
        scores = [p.score for p in during if _local_day(p.at) == day]
        scores += [last.pain] if last.pain is not None else []
        what = f"Your run on {clock.format_day(last.at)}"
    elif during:
        scores, what = [during[-1].score], f"Running on {clock.format_day(during[-1].at)}"
    else:
        return None
    worst = max(scores, default=0)
    if worst <= rule.above:
        return None
    return Advice(
        "caution",
        f"{what} hurt {worst}/10 during it, above the pain-monitoring limit of "
        f"{rule.above}: make the next one shorter or easier.",
        rule.source,
    )


def _red_pain(
    pain: list[PainFact], runs: list[ActivityFact], at: datetime, advice: AdviceThresholds
) -> Advice | None:
    light = advice.traffic_light
    first_day = _local_day(at) - timedelta(days=advice.red_pain.recent_days - 1)
    readings = [(p.score, clock.utc(p.at)) for p in pain] + [
        (a.pain, clock.utc(a.at)) for a in runs if a.pain is not None
    ]
    red = [r for r in readings if light.band(r[0]) == "red" and _local_day(r[1]) >= first_day]
    if not red:
        return None
    score, when = max(red)
    return Advice(
        "caution",
        f"Pain {score}/10 on {clock.format_day(when)} is in the red ({light.red[0]}-"
        f"{light.red[1]}): stop what causes it and let it settle before loading again.",
        light.source,
    )


def _morning_rise(
    pain: list[PainFact], runs: list[ActivityFact], at: datetime, advice: AdviceThresholds
) -> Advice | None:
    rule = advice.morning_rise
    mornings = [p for p in pain if p.context == PainContext.morning]
    if not mornings:
        return None
    latest = mornings[-1]
    latest_day = _local_day(latest.at)
    if (_local_day(at) - latest_day).days >= rule.recent_days:
        return None
    earlier = [
        p
        for p in mornings[:-1]
        if p.injury_id == latest.injury_id and _local_day(p.at) < latest_day
    ]
    if not earlier or latest.score <= earlier[-1].score:
        return None
    previous = earlier[-1]
    eve = latest_day - timedelta(days=1)
    ran_before = any(_local_day(a.at) == eve for a in runs)
    if ran_before and latest_day == _local_day(at):
        cause = " after yesterday's run: it was more than the injury tolerated; reduce the load"
    elif ran_before:
        cause = f" after the run on {clock.format_day(eve)}: reduce the load"
    else:
        cause = ": reduce the load until it settles"
    return Advice(
        "caution",
        f"Morning pain {latest.score}/10, up from {previous.score}/10 on "
        f"{clock.format_day(previous.at)}{cause}.",
        rule.source,
    )


def _run_spike(runs: list[ActivityFact], at: datetime, advice: AdviceThresholds) -> Advice | None:
    rule = advice.run_spike
    measured = [a for a in runs if a.distance_km]
    if not measured:
        return None
    latest = measured[-1]
    latest_at = clock.utc(latest.at)
    if at - latest_at > timedelta(days=rule.recent_days):
        return None
    since = latest_at - timedelta(days=rule.lookback_days)
    before = [a.distance_km for a in measured[:-1] if since <= clock.utc(a.at) < latest_at]
    if not before:
        return None
    longest = max(before)
    over = (latest.distance_km / longest - 1) * 100
    if over <= rule.above_percent:
        return None
    rate = max((r for r in rule.rates if over > r.above_percent), key=lambda r: r.above_percent)
    return Advice(
        "caution",
        f"Your run on {clock.format_day(latest.at)} ({latest.distance_km:.1f} km) was "
        f"{over:.0f}% longer than your longest of the {rule.lookback_days} days before it "
        f"({longest:.1f} km): runs over {rate.above_percent:g}% longer had {rate.injury_rate:g}× "
        "the injury rate (Frandsen 2025). Build up more gradually.",
        rule.source,
    )


def _back_after_time_off(
    plan: list[_Schedule], runs: list[ActivityFact], at: datetime, advice: AdviceThresholds
) -> Advice | None:
    rule = advice.return_after_time_off
    ended = [(s, e) for s, e in _blocked(plan, _EASY) if e <= at]
    if not ended or _rank_at(plan, at) < _EASY:
        return None
    start, end = ended[-1]
    end_day = _local_day(end)
    if (_local_day(at) - end_day).days >= rule.show_days:
        return None
    before = [a for a in runs if clock.utc(a.at) < end]
    if before:
        days_off = (end_day - _local_day(before[-1].at)).days - 1
    else:
        # No run on record before it: the restriction itself is a lower bound.
        days_off = (end_day - _local_day(start)).days
    step = rule.step_for(days_off)
    if step is None:
        return None
    return Advice(
        "caution",
        f"Back from {days_off} days without running: {step.volume}.",
        rule.source,
    )


# --- the verdict ----------------------------------------------------------------------------


def evaluate(
    history: History,
    at: datetime,
    protocols: Mapping[str, Protocol],
    advice: AdviceThresholds,
    *,
    race_ids: set[int] | None = None,
) -> Verdict:
    """Everything `status` answers, as of `at`.

    Restrictions use every treatment given, future ones included (a booked session can block
    a race); advice and courses ignore what comes after `at`. Advice looks back
    `advice.history_days` days: callers may pass only that much pain and activity history.
    """
    moment = clock.utc(at)
    plan = _plan(history.treatments, protocols)
    rank = _rank_at(plan, moment)
    restrictions = []
    for kind, needed in _NEEDS.items():
        if rank >= needed:
            continue
        until = _free_from(_blocked(plan, needed), moment)
        # Named: the treatment in force now whose own restriction lifts last.
        releases = []
        for schedule in plan:
            found = schedule.release(moment, needed)
            if found is not None:
                releases.append((found[0], -schedule.treatment.id, schedule.treatment, found[1]))
        *_, treatment, source = max(releases, key=lambda r: r[:2])
        restrictions.append(Restriction(kind.value, clock.local(until), treatment, source))
    run_from = next((r.until for r in restrictions if r.activity == ActivityKind.run), None)
    normal_from = _free_from(_blocked(plan, _RUN), moment)
    if race_ids is not None:
        races = [r for r in history.races if r.id in race_ids]
    else:
        races = [
            r
            for r in history.races
            if clock.utc(race_window(r, advice)[1]) > moment
            and clock.utc(r.at) <= moment + RACE_HORIZON
        ]
    races.sort(key=lambda r: (clock.utc(r.at), r.id))
    return Verdict(
        at=clock.local(moment),
        level=LEVELS[rank],
        can_run=rank >= _EASY,
        run_level="none" if rank < _EASY else "easy" if rank < _RUN else "normal",
        run_allowed_from=run_from,
        normal_run_from=None if normal_from is None else clock.local(normal_from),
        in_force=tuple(_in_force(history.treatments, protocols, moment)),
        allowed_activities=tuple(allowed_activities(LEVELS[rank])),
        restrictions=tuple(restrictions),
        advice=tuple(_advice(history, moment, plan, advice)),
        next_sessions=tuple(_next_sessions(history, moment, protocols)),
        races=tuple(_check_race(plan, race, advice) for race in races),
    )


def _in_force(treatments: Iterable[TreatmentFact], protocols: Mapping[str, Protocol],
              moment: datetime) -> list[Window]:
    """The windows, from `moment` on, of every treatment holding something back at it."""
    merged = merge_adjacent(windows(treatments, protocols))
    holding = {w.treatment.id for w in merged if clock.utc(w.start) <= moment < clock.utc(w.end)}
    return sorted((w for w in merged if w.treatment.id in holding and clock.utc(w.end) > moment),
                  key=lambda w: (clock.utc(w.treatment.at), w.treatment.id, clock.utc(w.start)))


def _needs(activity_kind: str) -> int:
    return _NEEDS.get(activity_kind, _CROSS)



def _local_day(moment: datetime) -> date:
    return moment.astimezone(clock.local_zone()).date()
