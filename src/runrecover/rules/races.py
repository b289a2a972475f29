"""Races: when one is run, and whether the restrictions leave it clear."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from runrecover import clock
from runrecover.profile import Profile
from runrecover.rules.facts import RaceFact, TreatmentFact
from runrecover.rules.windows import EASY, RUN, Schedule, blocked, local_day

RACE_HORIZON = timedelta(days=30)
"""Races this far ahead are checked when no race is named."""


@dataclass(frozen=True)
class RaceCheck:
    """Whether a race is clear. When it is not, `blocker` is the treatment whose restriction
    lifts last inside the race and `blocked_until` when running is allowed again; when it is,
    `margin` is the time from the end of the last run restriction before it to its start
    (None when nothing came before), and `easy_only` says an easy-only window overlaps it."""

    race: RaceFact
    start: datetime
    end: datetime
    cleared: bool
    margin: timedelta | None = None
    easy_only: bool = False
    blocker: TreatmentFact | None = None
    blocked_until: datetime | None = None


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


def check_race(schedules: list[Schedule], race: RaceFact, profile: Profile) -> RaceCheck:
    start, end = race_window(race, profile)
    begin, finish = clock.utc(start), clock.utc(end)
    stretches = blocked(schedules, EASY)
    for stretch_start, stretch_end in stretches:
        if stretch_start < finish and stretch_end > begin:
            blocker = max(
                (
                    (s.end, schedule.treatment)
                    for schedule in schedules
                    for s in schedule.segments
                    if s.rank < EASY and s.end is not None and s.start < finish and s.end > begin
                ),
                key=lambda found: found[0],
            )[1]
            return RaceCheck(race, start, end, False, blocker=blocker,
                             blocked_until=stretch_end.astimezone(profile.zone))
    before = [stretch_end for _, stretch_end in stretches if stretch_end <= begin]
    margin = begin - before[-1] if before else None
    easy_only = any(s_start < finish and s_end > begin
                    for s_start, s_end in blocked(schedules, RUN))
    return RaceCheck(race, start, end, True, margin=margin, easy_only=easy_only)
