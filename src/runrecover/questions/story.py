"""The story of one injury, as `injury show` tells it: pain around each treatment, running
volume before and since the onset, next-morning pain after runs. `ask` loads the
rows, `build_story` works out the numbers; `render/injury.py` shows them.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from msgspec import Struct
from sqlmodel import Session

from runrecover import clock, rules, store
from runrecover.models import Activity, Pain
from runrecover.profile import Profile
from runrecover.protocols import TrafficLight
from runrecover.questions.ladder import state_at
from runrecover.questions.lookback import facts, treatments_reaching
from runrecover.questions.tally import Running, daily_worst, running_periods
from runrecover.records.session import SessionRecords
from runrecover.rules import History, InjuryFact, LadderState, SessionDue
from runrecover.units import Units

AROUND_DAYS = 7
"""Pain is compared over this many days before and after each treatment."""
BEFORE_ONSET_DAYS = 28
"""Running volume "before" covers this many days before the onset."""
MORNING_BEFORE_DAYS = 7
"""How old the last morning score before a run may be to count as the runner's usual."""
MIN_SCORES = 3
"""Fewer scores than this on a side of a treatment give no mean: one or two say too little."""


class PainMean(Struct, frozen=True):
    mean: float | None
    count: int
    complete: bool  # all of its days are in the past


class Effect(Struct, frozen=True):
    treatment: Any
    course: tuple[int, int] | None
    before: PainMean
    after: PainMean

    @property
    def change(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean


class Volume(Struct, frozen=True):
    first_day: date
    last_day: date
    distance_km: float
    runs: int

    @property
    def km_per_week(self) -> float:
        return self.distance_km / (((self.last_day - self.first_day).days + 1) / 7)


class RunCheck(Struct, frozen=True):
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


class Story(Struct, frozen=True):
    injury: Any
    today: date
    onset: date
    last_day: date  # the day it was resolved, or today
    effects: tuple[Effect, ...]
    next_sessions: tuple[SessionDue, ...]
    pain: tuple[Any, ...]  # its scores from the onset to the last day
    before: Volume
    since: Volume
    activities: tuple[Any, ...]  # from BEFORE_ONSET_DAYS before the onset to the last day
    checks: tuple[RunCheck, ...]
    pain_by_day: tuple[int | None, ...]  # the worst of each day from the onset to the last day
    during_by_day: tuple[int | None, ...]  # the worst pain during a run, the same days
    running: Running  # distance by week from BEFORE_ONSET_DAYS before the onset
    bands: TrafficLight
    soreness_hours: float  # after an injection, left out of the pain after it
    units: Units  # the runner's, for the views' distances
    ladder: LadderState | None = None  # its return-to-run ladder, as of today


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
    mean = sum(scores) / len(scores) if len(scores) >= MIN_SCORES else None
    return PainMean(mean, len(scores), complete)


def _around(treatment: Any, pain: Sequence[Any], now: datetime,
            soreness: timedelta) -> tuple[PainMean, PainMean]:
    """Mean pain in the 7 days before and the 7 days after a treatment, the `soreness` an
    injection brings left out of the after side. With no time of day its own day belongs to
    neither side: its scores may be from before or after it."""
    if treatment.time_known:
        before_end = after_start = treatment.at
    else:
        day = clock.local(treatment.at).date()
        before_end = clock.start_of_day(day)
        after_start = clock.start_of_day(day + timedelta(days=1))
    before_start = before_end - timedelta(days=AROUND_DAYS)
    after_end = after_start + timedelta(days=AROUND_DAYS)
    counted_from = after_start + soreness
    before = [p.score for p in pain if before_start <= p.at < before_end]
    after = [p.score for p in pain if counted_from <= p.at < after_end]
    return _mean(before, True), _mean(after, now >= after_end)


def _soreness(kind: str, profile: Profile) -> timedelta:
    """How long after a treatment of `kind` its own soreness lasts: an injection's, else none."""
    protocol = profile.protocol(kind)
    if protocol is None or not protocol.injection:
        return timedelta(0)
    return timedelta(hours=profile.advice.injection_soreness.hours)


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


class _Score(Struct, frozen=True):
    at: datetime
    score: int


def _during(runs: Sequence[Any]) -> list[_Score]:
    """The pain logged with each run (`log --pain`), charted beside the pain scores."""
    return [_Score(r.at, r.pain_during) for r in runs if r.pain_during is not None]


def ask(session: Session, profile: Profile, *, ref: str, now: datetime) -> Story:
    """The story of the injury `ref` names, as of `now`."""
    row = store.get_injury(session, ref=ref)
    first_day, last_day = span(row, clock.local(now).date())
    start = clock.start_of_day(first_day)
    end = clock.start_of_day(last_day + timedelta(days=1))
    # Earlier sessions of a course place the ones in the story ("2 of 3").
    treatments = treatments_reaching(SessionRecords(session), profile, since=start, until=end)
    pain = store.between(session, Pain, since=start, until=end)
    activities = store.between(session, Activity, since=start, until=end)
    ladder = state_at(SessionRecords(session), profile, at=now)
    if ladder is not None and ladder.injury_id not in (None, row.id):
        ladder = None
    return build_story(injury=row, now=now, treatments=treatments, pain=pain,
                       activities=activities, profile=profile, ladder=ladder)


def build_story(*, injury: Any, now: datetime, treatments: Sequence[Any],
                pain: Sequence[Any], activities: Sequence[Any], profile: Profile,
                ladder: LadderState | None = None) -> Story:
    """The story from rows that cover `span` (treatments from far enough back for their
    courses); rows of other injuries are left out here."""
    today = clock.local(now).date()
    onset = onset_of(injury)
    last_day = max(injury.resolved_on or today, onset)
    end = clock.start_of_day(last_day + timedelta(days=1))
    own = sorted((t for t in treatments if t.injury_id == injury.id),
                 key=lambda t: (clock.local(t.at), t.id))
    known = facts(own, profile)
    scores = sorted((p for p in pain if p.injury_id == injury.id), key=lambda p: p.at)
    shown = [(t, f) for t, f in zip(own, known, strict=True)
             if clock.start_of_day(onset) <= t.at < end]
    effects = tuple(Effect(t, rules.course_position(f, known, profile),
                           *_around(t, scores, now, _soreness(t.kind, profile)))
                    for t, f in shown)
    history = History(treatments=known, injuries=(InjuryFact.from_row(injury),))
    mornings = [p for p in scores if p.context == "morning"]
    runs = sorted((a for a in activities if a.kind == "run"
                   and onset <= clock.local(a.at).date() <= last_day), key=lambda a: a.at)
    return Story(
        injury=injury, today=today, onset=onset, last_day=last_day, effects=effects,
        next_sessions=tuple(s for s in rules.next_sessions(history, clock.utc(now), profile)
                            if s.injury_id == injury.id),
        pain=tuple(p for p in scores if onset <= clock.local(p.at).date() <= last_day),
        before=_volume(activities, onset - timedelta(days=BEFORE_ONSET_DAYS),
                       onset - timedelta(days=1)),
        since=_volume(activities, onset, last_day),
        activities=tuple(a for a in activities
                         if onset - timedelta(days=BEFORE_ONSET_DAYS)
                         <= clock.local(a.at).date() <= last_day),
        checks=tuple(_check(run, mornings) for run in runs),
        pain_by_day=daily_worst(scores, onset, (last_day - onset).days + 1),
        during_by_day=daily_worst(_during(runs), onset, (last_day - onset).days + 1),
        running=running_periods(activities, onset - timedelta(days=BEFORE_ONSET_DAYS), last_day),
        bands=profile.advice.traffic_light,
        soreness_hours=profile.advice.injection_soreness.hours,
        units=profile.units,
        ladder=ladder,
    )
