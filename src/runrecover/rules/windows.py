"""Restriction windows: what each treatment allows, phase by phase, and what that forbids.

Instants are compared in UTC, because aware datetimes sharing one zone compare by wall clock
and a fall-back hour would reorder them; every instant handed out is in the profile's zone.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo

from msgspec import Struct
from msgspec.structs import replace

from runrecover import clock
from runrecover.profile import Profile
from runrecover.protocols import Offset, Phase, Protocol
from runrecover.rules.facts import ActivityFact, TreatmentFact
from runrecover.vocab import (
    ACTIVITY_LEVEL,
    HARD_RPE,
    HARD_RUN_TYPES,
    LEVEL_RANK,
    LEVELS,
    ActivityKind,
)

VISIT = "visit"
"""Source key of a number the clinician gave for one visit (--no-run-days, --rest-hours)."""

INSTANT = timedelta(microseconds=1)  # so that a window ending at midnight ends the day before

WALK, CROSS, EASY, RUN = (LEVEL_RANK[name] for name in ("walk", "cross", "run-easy", "run"))
_NO_RESTRICTION = (Phase(Offset(0, "h"), None, "run", "D"),)


class Window(Struct, frozen=True):
    """A stretch after a treatment during which `level` is the highest activity level allowed."""

    treatment: TreatmentFact
    start: datetime
    end: datetime
    level: str
    source: str


class Segment(Struct, frozen=True):
    start: datetime  # UTC
    end: datetime | None  # UTC; None on the last segment, which lasts
    rank: int
    source: str

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


class Schedule(Struct, frozen=True):
    treatment: TreatmentFact
    segments: tuple[Segment, ...]

    def rank_at(self, moment: datetime) -> int:
        return next((s.rank for s in self.segments if s.holds(moment)), RUN)

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


def needs(activity_kind: str) -> int:
    """The rank of the lowest level at which that kind of activity is allowed."""
    return LEVEL_RANK[ACTIVITY_LEVEL.get(activity_kind, "cross")]


def activity_needs(activity: ActivityFact) -> int:
    """The rank this activity needed: a run harder than easy needs normal running."""
    if activity.kind == ActivityKind.run and (
            activity.run_type in HARD_RUN_TYPES
            or (activity.rpe is not None and activity.rpe >= HARD_RPE)):
        return RUN
    return needs(activity.kind)


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def plan(treatments: Iterable[TreatmentFact], profile: Profile) -> list[Schedule]:
    return [_schedule(treatment, profile) for treatment in treatments]


def _schedule(treatment: TreatmentFact, profile: Profile) -> Schedule:
    zone = profile.zone
    protocol = profile.protocol(treatment.kind)
    phases = protocol.phases if protocol is not None and protocol.phases else _NO_RESTRICTION
    day = local_day(treatment.at, zone)
    if treatment.time_known:
        begin = clock.utc(treatment.at)
        return Schedule(treatment, _segments(treatment, phases, day, begin, begin, zone))
    # The restriction covers the whole day, and each phase covers every moment it would for
    # a treatment at any time of that day: never shorter than meant. A protocol whose phases
    # only loosen is tightest with hour rules run from the day's end; one with a stricter
    # phase after a looser one needs them run from its start as well.
    begin = clock.utc(clock.start_of_day(day, zone))
    end = clock.utc(clock.start_of_day(day + timedelta(days=1), zone))
    return Schedule(treatment, _tightest(_segments(treatment, phases, day, begin, end, zone),
                                         _segments(treatment, phases, day, begin, begin, zone)))


def _segments(treatment: TreatmentFact, phases: tuple[Phase, ...], day: date, begin: datetime,
              hour_base: datetime, zone: tzinfo) -> tuple[Segment, ...]:
    """The phases as segments from `begin`, hour offsets counted from `hour_base`."""

    def when(offset: Offset) -> datetime:
        if offset.unit == "h":
            return clock.utc(clock.add_hours(hour_base, offset.amount, zone))
        return clock.utc(clock.start_of_day(day + timedelta(days=int(offset.amount)), zone))

    # [start, rank, source] per phase; the first starts with the treatment whatever its offset.
    steps = [[when(p.start), LEVEL_RANK[p.level], p.source] for p in phases]
    steps[0][0] = begin
    if treatment.no_run_days is not None:
        allowed = when(Offset(treatment.no_run_days, "d"))
        first_run = next(i for i, (_, rank, _) in enumerate(steps) if rank >= EASY)
        if first_run == 0:
            steps.insert(0, [begin, CROSS, VISIT])
            first_run = 1
        # Phases before running end by day N, and owe that end to the clinician, even where
        # the number equals the default. Later phases are pushed past day N by the ordering
        # pass below.
        for index in range(1, first_run + 1):
            end = allowed if index == first_run else min(steps[index][0], allowed)
            if end != steps[index][0] or index == first_run:
                steps[index - 1][2] = VISIT
            steps[index][0] = end
    if treatment.rest_hours is not None:
        # Applied after no_run_days so that, when both are given, the longer rest wins.
        if steps[0][1] > WALK:
            steps.insert(0, [begin, WALK, VISIT])
        steps[0][2] = VISIT
        steps[1][0] = clock.utc(clock.add_hours(hour_base, treatment.rest_hours, zone))
    # Overrides and mixed hour/day offsets can put a phase's start before the previous one's:
    # the earlier phase then lasts, the later one shrinks.
    starts: list[datetime] = []
    for start, _, _ in steps:
        starts.append(max(start, starts[-1]) if starts else begin)
    ends: list[datetime | None] = [*starts[1:], None]
    return tuple(
        Segment(start, end, rank, source)
        for start, end, (_, rank, source) in zip(starts, ends, steps, strict=True)
        if end is None or start < end
    )


def _tightest(first: tuple[Segment, ...], second: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """Both plans at once: at each moment the lower level of the two (the first's on a tie)."""
    edges = sorted({s.start for s in (*first, *second)}
                   | {s.end for s in (*first, *second) if s.end is not None})

    def at(segments: tuple[Segment, ...], moment: datetime) -> Segment | None:
        return next((s for s in segments if s.holds(moment)), None)

    merged: list[Segment] = []
    for index, start in enumerate(edges):
        found = [s for s in (at(first, start), at(second, start)) if s is not None]
        if not found:
            continue
        low = min(found, key=lambda s: s.rank)
        end = edges[index + 1] if index + 1 < len(edges) else None
        if merged and merged[-1].rank == low.rank and merged[-1].source == low.source \
                and merged[-1].end == start:
            merged[-1] = Segment(merged[-1].start, end, low.rank, low.source)
        else:
            merged.append(Segment(start, end, low.rank, low.source))
    return tuple(merged)


def reach_days(protocols: Mapping[str, Protocol], *, no_run_days: int | None = None,
               rest_hours: float | None = None) -> int:
    """How many days after a treatment its restrictions can still hold, at most: the longest
    phase of any protocol, or the longest per-visit instruction given. A question about a
    moment must load the treatments of that many days before it, or lose a restriction."""
    longest_h = 0.0
    for protocol in protocols.values():
        for phase in protocol.phases:
            for offset in (phase.start, phase.end):
                if offset is not None:
                    longest_h = max(longest_h, offset.nominal_hours)
    longest_h = max(longest_h, (no_run_days or 0) * 24, rest_hours or 0)
    # A day rule ends at a local midnight and an hour rule of an untimed treatment runs from
    # the end of its day: two days of margin cover both, and a daylight-saving hour.
    return math.ceil(longest_h / 24) + 2


def course_reach_days(protocols: Mapping[str, Protocol]) -> int:
    """How far back the earlier sessions of a course can lie: a course is a chain of
    sessions at most twice the interval apart, of at most its largest number of sessions."""
    return max((p.course.sessions_max * 2 * p.course.interval_days
                for p in protocols.values() if p.course is not None), default=0) + 1


def blocked(schedules: list[Schedule], needed: int) -> list[tuple[datetime, datetime]]:
    """The stretches, merged and in order, when some treatment forbids level `needed`."""
    spans = sorted(
        (s.start, s.end)
        for schedule in schedules
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


def free_from(stretches: list[tuple[datetime, datetime]], moment: datetime) -> datetime | None:
    for start, end in stretches:
        if start > moment:
            break
        if moment < end:
            return end
    return None


def rank_at(schedules: list[Schedule], moment: datetime) -> int:
    return min((schedule.rank_at(moment) for schedule in schedules), default=RUN)


def windows(treatments: Iterable[TreatmentFact], profile: Profile) -> list[Window]:
    """Every phase below normal running of every treatment, in time order."""
    return _windows(plan(treatments, profile), profile)


def _windows(schedules: Iterable[Schedule], profile: Profile) -> list[Window]:
    """`windows` of the treatments so planned."""
    zone = profile.zone
    found = [
        Window(schedule.treatment, s.start.astimezone(zone), s.end.astimezone(zone),
               LEVELS[s.rank], s.source)
        for schedule in schedules
        for s in schedule.segments
        if s.end is not None and s.rank < RUN
    ]
    return sorted(found, key=lambda w: (clock.utc(w.start), w.treatment.id))


def merge_adjacent(found: Iterable[Window]) -> list[Window]:
    """Back-to-back windows of one treatment and level read as one ("walk until day 3")."""
    merged: list[Window] = []
    for w in sorted(found, key=lambda w: (w.treatment.id, clock.utc(w.start))):
        last = merged[-1] if merged else None
        if last and last.treatment.id == w.treatment.id and last.level == w.level \
                and clock.utc(last.end) == clock.utc(w.start):
            sources = last.source.split("/")
            source = last.source if w.source in sources else f"{last.source}/{w.source}"
            merged[-1] = replace(last, end=w.end, source=source)
        else:
            merged.append(w)
    return merged


def level_at(treatments: Iterable[TreatmentFact], profile: Profile, at: datetime) -> str:
    """The highest level every treatment allows at `at`."""
    return LEVELS[rank_at(plan(treatments, profile), clock.utc(at))]


def first_run_block(treatments: Iterable[TreatmentFact], profile: Profile,
                    start: datetime, end: datetime, *, needed: int = EASY) -> datetime | None:
    """The first moment in [start, end) when running (at the level `needed`, easy by
    default) is not allowed, or None: a question about a whole day ("can I run on
    Saturday?") is answered at its worst moment."""
    begin, finish = clock.utc(start), clock.utc(end)
    for stretch_start, stretch_end in blocked(plan(treatments, profile), needed):
        if stretch_start < finish and stretch_end > begin:
            return max(stretch_start, begin).astimezone(profile.zone)
    return None


def run_allowed_from(treatments: Iterable[TreatmentFact], profile: Profile,
                     at: datetime) -> datetime | None:
    """None when running (at any level) is allowed at `at`, else the first moment it is."""
    free = free_from(blocked(plan(treatments, profile), EASY), clock.utc(at))
    return None if free is None else free.astimezone(profile.zone)


def breaking_window(activity: ActivityFact, treatments: Iterable[TreatmentFact],
                    profile: Profile) -> Window | None:
    """The restriction the activity broke, or None: the whole of it, so that a ride in
    prolotherapy's first 24 h reads "walking only until day 3", not until the 24 h end.

    An activity with no time of day broke what holds at any moment of its day: the same day
    `status --at DAY` says NOT YET for.
    """
    return _breaking_window(activity, plan(treatments, profile), profile,
                            lambda treatment: merge_adjacent(windows([treatment], profile)))


def _breaking_window(activity: ActivityFact, schedules: Iterable[Schedule], profile: Profile,
                     windows_of: Callable[[TreatmentFact], list[Window]]) -> Window | None:
    """`breaking_window` over the treatments' schedules, `windows_of` giving a treatment's
    merged windows."""
    needed = activity_needs(activity)
    if activity.time_known:
        start = end = clock.utc(activity.at)
    else:
        # Any moment of its day: the day `status --at DAY` answers for at its worst moment.
        day = local_day(activity.at, profile.zone)
        start = clock.utc(clock.start_of_day(day, profile.zone))
        end = clock.utc(clock.start_of_day(day + timedelta(days=1), profile.zone)) - INSTANT
    breaking = [
        (schedule.treatment, segment)
        for schedule in schedules
        for segment in schedule.segments
        if segment.rank < needed and segment.start <= end
        and (segment.end is None or segment.end > start)
    ]
    if not breaking:
        return None
    # The tightest, then the longest; ties go to the lowest id, whatever the order given.
    treatment, segment = min(breaking, key=lambda found: (
        found[1].rank, -found[1].end.timestamp(), found[0].id))
    return next(w for w in windows_of(treatment)
                if w.level == LEVELS[segment.rank]
                and clock.utc(w.start) <= segment.start < clock.utc(w.end))


def broken_by(activities: Iterable[ActivityFact], treatments: Iterable[TreatmentFact],
              profile: Profile) -> dict[int, Window]:
    """The restriction each activity broke, by activity id, for many activities at once.

    Every treatment is planned once (its schedule and its windows kept for every activity
    it touches); each activity is then checked against only the treatments whose
    restrictions touch its day, so a history of years stays linear.
    """
    zone = profile.zone
    planned = plan(treatments, profile)
    # Each treatment's schedule, as `_schedule` made it for the windows (a pure function of
    # the treatment and the profile: made once, not again for the activities it touches).
    schedules = {schedule.treatment: schedule for schedule in planned}
    touching: dict[date, set[TreatmentFact]] = {}
    for w in _windows(planned, profile):
        day, last = local_day(w.start, zone), local_day(w.end - INSTANT, zone)
        while day <= last:
            touching.setdefault(day, set()).add(w.treatment)
            day += timedelta(days=1)
    merged: dict[TreatmentFact, list[Window]] = {}

    def windows_of(treatment: TreatmentFact) -> list[Window]:
        if treatment not in merged:
            merged[treatment] = merge_adjacent(_windows([schedules[treatment]], profile))
        return merged[treatment]

    broken = {}
    for activity in activities:
        nearby = touching.get(local_day(activity.at, zone))
        if not nearby:
            continue
        window = _breaking_window(activity, [schedules[t] for t in nearby], profile,
                                  windows_of)
        if window is not None:
            broken[activity.id] = window
    return broken
