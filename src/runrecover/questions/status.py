"""Today's status (or a race's): may I run, what instead, how is the pain, what is due."""

from datetime import datetime, timedelta
from typing import Any

from msgspec import Struct

from runrecover import clock, rules
from runrecover.profile import Profile
from runrecover.protocols import TrafficLight
from runrecover.questions.ladder import ladder_facts, reach
from runrecover.questions.lookback import facts, treatments_reaching
from runrecover.questions.tally import daily_worst
from runrecover.records import Records
from runrecover.rules import (
    ActivityFact,
    History,
    InjuryFact,
    LadderEventFact,
    PainFact,
    RaceFact,
    TreatmentFact,
    Verdict,
    Window,
)
from runrecover.units import KM, Units

SPARK_DAYS = 14
"""Days of pain shown beside each injury."""
BOOKED_AHEAD = timedelta(days=14)
"""Visits booked this far ahead show what they will hold back."""
RACE_MARGIN = timedelta(days=2)
RUN_ORDER = ("none", "easy", "normal")  # treatments booked just after a race day can still hold it
LADDER_MARGIN = timedelta(days=2)
"""Before a race shown: its window may begin on its day's first moment, a day earlier."""


class InjuryPain(Struct, frozen=True):
    injury: InjuryFact
    latest: PainFact | None  # the last score up to the answer's moment
    daily_worst: tuple[int | None, ...]  # SPARK_DAYS days, ending on the answer's day


class StatusAnswer(Struct, frozen=True):
    verdict: Verdict
    injuries: tuple[InjuryPain, ...]
    bands: TrafficLight
    booked: tuple[Window, ...] = ()  # what visits booked in the coming days will hold back
    # The ladders those visits start (easy running only until their last rung).
    booked_ladders: tuple[tuple[TreatmentFact, LadderEventFact], ...] = ()
    recorded: bool = True  # False when nothing at all is recorded: no answer to give yet
    units: Units = KM  # the runner's, for the view's distances


def ask(records: Records, profile: Profile, *, asked: clock.Moment, now: datetime,
        race: str | None = None) -> StatusAnswer:
    """The status at `asked`: a moment, or a whole day answered at its first moment when
    running is not allowed ("can I run on Saturday?")."""
    moment = asked.at
    whole_day = not asked.time_known
    if whole_day and asked.day == clock.local(now, profile.zone).date():
        moment, whole_day = now, False  # "today" means from now on, not this midnight
    named = records.get_race(ref=race) if race is not None else None
    history = load_history(records, profile, around=moment, race=named)
    race_ids = None if named is None else {named.id}
    races_from = asked.at if whole_day else None
    if not asked.time_known:
        # A whole day is answered at its worst moment: where a window starts holding running
        # back or down, or where a score logged that day opens a pain gate.
        day_end = clock.start_of_day(asked.day + timedelta(days=1), profile.zone)
        candidates = [moment]
        for needed in (rules.EASY, rules.RUN):
            found = rules.first_run_block(history.treatments, profile, moment, day_end,
                                          needed=needed)
            candidates += [found] if found is not None else []
        candidates += [r.at for r in (*history.pain, *history.activities)
                       if clock.utc(moment) <= clock.utc(r.at) < clock.utc(day_end)]
        verdicts = [rules.evaluate(history, c, profile, race_ids=race_ids,
                                   races_from=races_from) for c in candidates]
        verdict = min(verdicts, key=lambda v: (v.can_run, RUN_ORDER.index(v.run_level),
                                               clock.utc(v.at)))
    else:
        verdict = rules.evaluate(history, moment, profile, race_ids=race_ids,
                                 races_from=races_from)
    booked = [t for t in history.treatments
              if clock.utc(verdict.at) < clock.utc(t.at) <= clock.utc(verdict.at) + BOOKED_AHEAD]
    return StatusAnswer(verdict, _injury_pain(history, verdict.at),
                        profile.advice.traffic_light,
                        booked=tuple(rules.merge_adjacent(rules.windows(booked, profile))),
                        booked_ladders=tuple((t, e) for t in booked for e in history.ladder
                                             if e.treatment_id == t.id),
                        recorded=bool(history.treatments or history.pain or history.injuries
                                      or history.activities or history.races)
                        or not records.nothing_recorded(),
                        units=profile.units)


def load_history(records: Records, profile: Profile, *, around: datetime,
                 race: Any = None) -> History:
    """The slice of the record the verdict needs about `around` (and about `race`): cost
    tied to what is shown, not to years of history."""
    zone = profile.zone
    first, last = around, around + rules.RACE_HORIZON
    if race is not None:
        first, last = min(first, race.at), max(last, race.at)
    recent = around - timedelta(days=max(profile.advice.history_days, SPARK_DAYS))
    # The ladder reads the runs and pain since its start, however long ago; its events up
    # to the last race shown, so that a booked visit's ladder holds the races it reaches,
    # from its last fresh start before any moment asked about (`around`, a race's window,
    # which begins at most a day before the race).
    ladder = ladder_facts(records, profile, until=last + RACE_MARGIN,
                          asked_from=first - RACE_MARGIN - LADDER_MARGIN)
    recent = min(recent, reach(ladder, around) or recent)
    soon = around + timedelta(days=1)
    races = records.between("race", since=around - RACE_MARGIN,
                            until=around + rules.RACE_HORIZON + timedelta(days=1))
    if race is not None and race.id not in {r.id for r in races}:
        races.append(race)
    treatments = treatments_reaching(records, profile, since=first, until=last + RACE_MARGIN)
    # The injuries shown (open on the day asked, however long ago they began) and those
    # the treatments' courses name (a course ends with its injury): not every one ever.
    injuries = records.injuries_open(
        since_day=clock.local(around, zone).date() - timedelta(days=1),
        ids={t.injury_id for t in treatments if t.injury_id is not None})
    return History(
        treatments=facts(treatments, profile),
        pain=tuple(PainFact.from_row(p, zone)
                   for p in records.between("pain", since=recent, until=soon)),
        activities=tuple(ActivityFact.from_row(a, zone)
                         for a in records.between("activity", since=recent, until=soon)),
        races=tuple(RaceFact.from_row(r, zone) for r in races),
        injuries=tuple(InjuryFact.from_row(i) for i in injuries),
        ladder=ladder,
    )


def _injury_pain(history: History, at: datetime) -> tuple[InjuryPain, ...]:
    """The injuries open at `at` (resolved ones are in `injury list --all`), with their
    recent pain."""
    today = at.date()
    first_day = today - timedelta(days=SPARK_DAYS - 1)
    shown = []
    for injury in history.injuries:
        if injury.resolved_on is not None and injury.resolved_on <= today:
            continue
        if injury.onset is not None and injury.onset > today:
            continue
        own = [p for p in history.pain if p.injury_id == injury.id]
        latest = max((p for p in own if p.at <= at), key=lambda p: p.at, default=None)
        shown.append(InjuryPain(injury, latest, daily_worst(own, first_day, SPARK_DAYS)))
    return tuple(shown)
