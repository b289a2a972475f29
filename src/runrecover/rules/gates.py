"""Pain gates: pain that holds running back (red) or down to easy running (amber) today.

From the pain-monitoring and traffic-light models (protocols.md, advice.toml): a score of 7
or more in the last 24 hours, or night pain of 4 or more, holds running back; morning pain of
4 to 6, a next-morning rise of 2 or more after a run, or pain above 5 during the last run,
lowers it to easy running. A gate holds for the advice file's hours from the score that
opens it, and ends sooner when a later score of the same injury is back in range.
"""

from datetime import datetime, timedelta

from msgspec import Struct

from runrecover import clock
from runrecover.profile import Profile
from runrecover.rules.facts import History, PainFact
from runrecover.rules.windows import CROSS, EASY, RUN, local_day
from runrecover.vocab import ActivityKind, PainContext

MORNING_ENDS = 12  # a score with no context, first of its day before noon, is the morning's


class Reading(Struct, frozen=True):
    """A pain score, from a pain entry or from an activity's pain during it (`during` for a
    run's, none for another activity's)."""

    score: int
    at: datetime
    context: str | None  # as it counts: a first score before noon with none is "morning"
    injury_id: int | None
    pain_id: int | None = None
    activity_id: int | None = None
    time_known: bool = True


class PainGate(Struct, frozen=True):
    """`gate` is red, night, morning, rise or during; `rank` the highest level it allows
    (no running, or easy running); it holds from `start` to `end` unless a later score ends
    it: for red and night gates one below `limit`, for a during gate one of `limit` or less,
    for morning and rise gates the next morning's. `previous` is the morning score a rise
    is measured from."""

    gate: str
    rank: int
    reading: Reading
    start: datetime
    end: datetime
    source: str
    limit: int | None = None
    previous: Reading | None = None

    @property
    def level(self) -> str:
        return "none" if self.rank < EASY else "easy"


def readings(history: History, profile: Profile) -> list[Reading]:
    """Every score in the history, oldest first, with the context it counts as."""
    zone = profile.zone
    pain = sorted(history.pain, key=lambda p: (clock.utc(p.at), p.id))
    first_of_day: set[int] = set()
    seen: set[tuple[int | None, object]] = set()
    for p in pain:
        key = (p.injury_id, local_day(p.at, zone))
        if key not in seen:
            seen.add(key)
            first_of_day.add(p.id)
    found = [Reading(p.score, p.at, _context(p, p.id in first_of_day, profile), p.injury_id,
                     pain_id=p.id, time_known=p.time_known) for p in pain]
    # Pain during any activity is a pain score (a walk's 9 holds running back); only a run's
    # counts as "during the last run", and none is a morning score.
    found += [Reading(a.pain, a.at, PainContext.during if a.kind == ActivityKind.run else None,
                      None, activity_id=a.id, time_known=a.time_known)
              for a in history.activities if a.pain is not None]
    return sorted(found, key=lambda r: clock.utc(r.at))


def _context(p: PainFact, first_of_day: bool, profile: Profile) -> str | None:
    if p.context is None and first_of_day and p.time_known \
            and p.at.astimezone(profile.zone).hour < MORNING_ENDS:
        return PainContext.morning
    return p.context


def pain_gates(history: History, at: datetime, profile: Profile) -> list[PainGate]:
    """The gates holding at `at` (UTC), tightest first."""
    rules = profile.advice.pain_gates
    moment = clock.utc(at)
    known = [r for r in readings(history, profile) if clock.utc(r.at) <= moment]

    def ends(r: Reading) -> datetime:
        # A score with no time of day may have been felt at its day's last moment: its gate
        # runs from the end of that day, never shorter than meant (as treatments' hours do).
        base = r.at if r.time_known else clock.start_of_day(
            local_day(r.at, profile.zone) + timedelta(days=1), profile.zone)
        return clock.add_hours(base, rules.hold_hours, profile.zone)

    recent = [r for r in known if moment < clock.utc(ends(r))]

    def later(r: Reading, same_context: bool) -> list[Reading]:
        return [o for o in known if clock.utc(o.at) > clock.utc(r.at)
                and o.injury_id == r.injury_id and (not same_context or o.context == r.context)]

    def gate(name: str, rank: int, r: Reading, source: str, **more) -> PainGate:
        return PainGate(name, rank, r, r.at, ends(r), source, **more)

    gates: list[PainGate] = []
    for r in recent:
        if r.score >= rules.red_score and all(o.score >= rules.red_score
                                               for o in later(r, False)):
            gates.append(gate("red", CROSS, r, rules.red_source, limit=rules.red_score))
        if r.context == PainContext.night and r.score >= rules.night_score and all(
                o.score >= rules.night_score for o in later(r, True)):
            gates.append(gate("night", CROSS, r, rules.night_source, limit=rules.night_score))
    run_days = {local_day(a.at, profile.zone) for a in history.activities
                 if a.kind == ActivityKind.run and clock.utc(a.at) <= moment}
    gates += _amber(known, recent, run_days, later, gate, profile)
    # Of one gate for one injury, the latest score speaks: the earlier ones end sooner.
    latest = {}
    for g in sorted(gates, key=lambda g: clock.utc(g.start)):
        latest[g.gate, g.reading.injury_id] = g
    return sorted(latest.values(), key=lambda g: (g.rank, -g.end.timestamp(), g.gate))


def _amber(known, recent, run_days, later, gate, profile: Profile) -> list[PainGate]:
    rules, zone = profile.advice.pain_gates, profile.zone
    found = []
    for r in recent:
        if later(r, True):
            continue  # a later score of the same kind speaks for now
        if r.context == PainContext.morning:
            if rules.morning_score <= r.score < rules.red_score:
                found.append(gate("morning", EASY, r, rules.morning_source))
            day = local_day(r.at, zone)
            before = [o for o in known if o.context == PainContext.morning
                      and o.injury_id == r.injury_id and local_day(o.at, zone) < day]
            ran_on_eve = day - timedelta(days=1) in run_days
            if before and ran_on_eve and r.score - before[-1].score >= rules.rise_points:
                found.append(gate("rise", EASY, r, rules.rise_source, previous=before[-1]))
        elif r.context == PainContext.during and rules.during_above < r.score:
            found.append(gate("during", EASY, r, rules.during_source, limit=rules.during_above))
    return found


def gate_rank(gates: list[PainGate]) -> int:
    """The highest level every gate allows."""
    return min((g.rank for g in gates), default=RUN)
