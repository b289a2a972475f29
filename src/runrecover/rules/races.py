"""Races: when one is run, and whether the restrictions leave it clear."""

from datetime import datetime, timedelta

from msgspec import Struct

from runrecover import clock
from runrecover.profile import Profile
from runrecover.rules.courses import SessionDue
from runrecover.rules.facts import RaceFact, TreatmentFact
from runrecover.rules.gates import PainGate
from runrecover.rules.windows import EASY, RUN, Schedule, blocked, free_from, local_day

RACE_HORIZON = timedelta(days=30)
"""Races this far ahead are checked when no race is named."""


class RaceCheck(Struct, frozen=True):
    """Whether a race is clear: a race needs race effort, so normal running (not only easy
    running) must be allowed from its start to its end, and no pain gate may hold at its
    start. When it is not clear, `level` says what is allowed in it ("none" or "easy"),
    `blocker` is the treatment whose restriction lifts last inside it (or `gate` the pain
    gate) and `blocked_until` when normal running is allowed again. When it is clear,
    `margin` is the time from the end of the last restriction before it to its start (None
    when nothing came before)."""

    race: RaceFact
    start: datetime
    end: datetime
    cleared: bool
    margin: timedelta | None = None
    level: str | None = None
    blocker: TreatmentFact | None = None
    gate: PainGate | None = None
    blocked_until: datetime | None = None
    running_from: datetime | None = None  # when easy running is allowed, if it is not in it
    # Worth a warning, cleared or not: a course session due within a day of the race, and
    # the end of a no-running window with no run logged between it and the race.
    session_near: SessionDue | None = None
    first_run_after: datetime | None = None
    ladder: bool = False  # not clear because the runner is on the return-to-run ladder
    # When that ladder starts after the moment asked (a booked visit's), its start.
    ladder_from: datetime | None = None


def race_window(race: RaceFact, profile: Profile) -> tuple[datetime, datetime]:
    """When the race is run: from its start for the advice file's race duration, or its whole
    local day when its time is not known."""
    zone = profile.zone
    if not race.time_known:
        day = local_day(race.at, zone)
        return clock.start_of_day(day, zone), clock.start_of_day(day + timedelta(days=1), zone)
    rule = profile.advice.race_window
    if race.distance_km is None:
        hours = rule.hours_without_distance
    else:
        hours = race.distance_km * rule.minutes_per_km / 60
    return race.at, clock.add_hours(race.at, hours, zone)


def check_race(schedules: list[Schedule], race: RaceFact, profile: Profile,
               gates: list[PainGate]) -> RaceCheck:
    """The race against the treatments' windows and the pain gates holding at its start."""
    start, end = race_window(race, profile)
    begin, finish = clock.utc(start), clock.utc(end)
    for level, needed in (("none", EASY), ("easy", RUN)):
        for stretch_start, stretch_end in blocked(schedules, needed):
            if stretch_start < finish and stretch_end > begin:
                blocker = max(
                    ((s.end, schedule.treatment)
                     for schedule in schedules
                     for s in schedule.segments
                     if s.rank < needed and s.end is not None and s.start < finish
                     and s.end > begin),
                    key=lambda found: found[0],
                )[1]
                normal = free_from(blocked(schedules, RUN), stretch_start) or stretch_end
                return RaceCheck(race, start, end, False, level=level, blocker=blocker,
                                 blocked_until=normal.astimezone(profile.zone),
                                 running_from=stretch_end.astimezone(profile.zone)
                                 if level == "none" else None)
    if gates:
        gate = gates[0]
        return RaceCheck(race, start, end, False, level=gate.level, gate=gate,
                         blocked_until=gate.end)
    before = [stretch_end for _, stretch_end in blocked(schedules, RUN) if stretch_end <= begin]
    return RaceCheck(race, start, end, True, margin=begin - before[-1] if before else None)
