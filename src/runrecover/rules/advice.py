"""Advice (not a gate): what the pain scores and the training load suggest, as facts.

Each item names the rule that fired, its source key, and the numbers behind it; the words
are the views' (render/advice.py), so that every view of an answer says the same thing.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from msgspec import Struct, field

from runrecover import clock
from runrecover.profile import Profile
from runrecover.rules.facts import ActivityFact, History, PainFact
from runrecover.rules.ladder import FINISHED, LEFT, LadderState
from runrecover.rules.windows import EASY, Schedule, blocked, local_day, needs, rank_at
from runrecover.vocab import PainContext


class Advice(Struct, frozen=True):
    """`rule` is one of see-clinician, pain-during-run, red-pain, morning-rise, run-spike,
    back-after-time-off, ladder-reds, ladder-done; `facts` holds that rule's numbers and moments."""

    level: str  # "caution" | "see-clinician"
    rule: str
    source: str
    facts: Mapping[str, Any] = field(default_factory=dict)


def advise(history: History, at: datetime, schedules: list[Schedule],
           profile: Profile) -> list[Advice]:
    """The advice as of `at` (UTC), from the history of `profile.advice.history_days`."""
    since = at - timedelta(days=profile.advice.history_days)
    pain = sorted((p for p in history.pain if since <= clock.utc(p.at) <= at),
                  key=lambda p: clock.utc(p.at))
    runs = sorted(
        (a for a in history.activities if needs(a.kind) == EASY and since <= clock.utc(a.at) <= at),
        key=lambda a: clock.utc(a.at),
    )
    found = [
        _see_clinician(history, pain, runs, at, profile),
        _pain_during_last_run(pain, runs, profile),
        _red_pain(pain, runs, at, profile),
        _morning_rise(pain, runs, at, profile),
        _run_spike(runs, at, profile),
        _back_after_time_off(schedules, runs, at, profile),
    ]
    return [item for item in found if item is not None]


def _see_clinician(history: History, pain: list[PainFact], runs: list[ActivityFact],
                   at: datetime, profile: Profile) -> Advice | None:
    rule, zone = profile.advice.see_clinician, profile.zone
    first_day = local_day(at, zone) - timedelta(days=rule.window_days - 1)
    window_start = clock.utc(clock.start_of_day(first_day, zone))
    painful_days = {local_day(p.at, zone) for p in pain if p.score > 0} | {
        local_day(a.at, zone) for a in runs if a.pain
    }
    count = sum(1 for day in painful_days if day >= first_day)
    if count < rule.pain_days:
        return None
    if any(window_start <= clock.utc(t.at) <= at for t in history.treatments):
        return None
    earlier = [t for t in history.treatments if clock.utc(t.at) < window_start]
    last_visit = max(earlier, key=lambda t: clock.utc(t.at)).at if earlier else None
    return Advice("see-clinician", "see-clinician", rule.source,
                  {"pain_days": count, "window_days": rule.window_days,
                   "last_visit": last_visit})


def _pain_during_last_run(pain: list[PainFact], runs: list[ActivityFact],
                          profile: Profile) -> Advice | None:
    rule, zone = profile.advice.pain_during_run, profile.zone
    during = [p for p in pain if p.context == PainContext.during]
    if runs:
        last = runs[-1]
        day = local_day(last.at, zone)
        # That run's scores, and any "during" score logged since (a run not logged).
        later = [p for p in during if clock.utc(p.at) > clock.utc(last.at)
                 and local_day(p.at, zone) != day]
        if later and max(p.score for p in later) > rule.above:
            worst = max(later, key=lambda p: p.score)
            return Advice("caution", "pain-during-run", rule.source,
                          {"on": worst.at, "run_logged": False, "score": worst.score,
                           "limit": rule.above})
        scores = [p.score for p in during if local_day(p.at, zone) == day]
        scores += [last.pain] if last.pain is not None else []
        on, run_known = last.at, True
    elif during:
        scores, on, run_known = [during[-1].score], during[-1].at, False
    else:
        return None
    worst = max(scores, default=0)
    if worst <= rule.above:
        return None
    return Advice("caution", "pain-during-run", rule.source,
                  {"on": on, "run_logged": run_known, "score": worst, "limit": rule.above})


def _red_pain(pain: list[PainFact], runs: list[ActivityFact], at: datetime,
              profile: Profile) -> Advice | None:
    light, zone = profile.advice.traffic_light, profile.zone
    first_day = local_day(at, zone) - timedelta(days=profile.advice.red_pain.recent_days - 1)
    readings = [(p.score, clock.utc(p.at)) for p in pain] + [
        (a.pain, clock.utc(a.at)) for a in runs if a.pain is not None
    ]
    red = [r for r in readings
           if light.band(r[0]) == "red" and local_day(r[1], zone) >= first_day]
    if not red:
        return None
    score, when = max(red)
    return Advice("caution", "red-pain", light.source,
                  {"score": score, "on": when.astimezone(zone), "band": light.red})


def _morning_rise(pain: list[PainFact], runs: list[ActivityFact], at: datetime,
                  profile: Profile) -> Advice | None:
    # Each injury's own mornings: another injury's later score must not hide a rise.
    found = [_rise(mornings, runs, at, profile)
             for injury in dict.fromkeys(p.injury_id for p in pain)
             if (mornings := [p for p in pain if p.context == PainContext.morning
                              and p.injury_id == injury])]
    found = [a for a in found if a is not None]
    return max(found, key=lambda a: clock.utc(a.facts["on"]), default=None)


def _rise(mornings: list[PainFact], runs: list[ActivityFact], at: datetime,
          profile: Profile) -> Advice | None:
    """A rise in one injury's morning pain, from its mornings in time order."""
    rule, zone = profile.advice.morning_rise, profile.zone
    latest = mornings[-1]
    latest_day = local_day(latest.at, zone)
    if (local_day(at, zone) - latest_day).days >= rule.recent_days:
        return None
    earlier = [p for p in mornings[:-1]
               if p.injury_id == latest.injury_id and local_day(p.at, zone) < latest_day]
    if not earlier or latest.score <= earlier[-1].score:
        return None
    previous = earlier[-1]
    eve = latest_day - timedelta(days=1)
    ran_before = any(local_day(a.at, zone) == eve for a in runs)
    return Advice("caution", "morning-rise", rule.source, {
        "on": latest.at, "score": latest.score, "previous": previous.score,
        "previous_on": previous.at,
        "ran_on": eve if ran_before else None, "today": latest_day == local_day(at, zone)})


def _run_spike(runs: list[ActivityFact], at: datetime, profile: Profile) -> Advice | None:
    rule = profile.advice.run_spike
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
    return Advice("caution", "run-spike", rule.source, {
        "on": latest.at, "distance_km": latest.distance_km, "over_percent": over,
        "lookback_days": rule.lookback_days, "longest_km": longest,
        "rate_above_percent": rate.above_percent, "injury_rate": rate.injury_rate})


def _back_after_time_off(schedules: list[Schedule], runs: list[ActivityFact], at: datetime,
                         profile: Profile) -> Advice | None:
    rule, zone = profile.advice.return_after_time_off, profile.zone
    ended = [(s, e) for s, e in blocked(schedules, EASY) if e <= at]
    if not ended or rank_at(schedules, at) < EASY:
        return None
    start, end = ended[-1]
    end_day = local_day(end, zone)
    if (local_day(at, zone) - end_day).days >= rule.show_days:
        return None
    before = [a for a in runs if clock.utc(a.at) < end]
    if before:
        days_off = (end_day - local_day(before[-1].at, zone)).days - 1
    else:
        # No run on record before it: the restriction itself is a lower bound.
        days_off = (end_day - local_day(start, zone)).days
    step = rule.step_for(days_off)
    if step is None:
        return None
    return Advice("caution", "back-after-time-off", rule.source,
                  {"days_off": days_off, "volume": step.volume})


def ladder_advice(state: LadderState | None, history: History, at: datetime,
                  profile: Profile) -> tuple[Advice, ...]:
    """Red responses in a row on the ladder (see a clinician), and, once the ladder is done
    or left, the single-run spike rule for the way back to the runner's own volume."""
    if state is None:
        return ()
    moves, spike = profile.advice.ladder, profile.advice.run_spike
    if state.holds and state.reds_in_row >= moves.reds_to_clinician:
        return (Advice("see-clinician", "ladder-reds", moves.reds_source,
                       {"reds": state.reds_in_row}),)
    shown = timedelta(days=profile.advice.return_after_time_off.show_days)
    if state.state in (FINISHED, LEFT) and at - clock.utc(state.ended) < shown:
        since = at - timedelta(days=spike.lookback_days)
        longest = max((a.distance_km for a in history.activities
                       if needs(a.kind) == EASY and a.distance_km
                       and since <= clock.utc(a.at) <= at), default=None)
        return (Advice("caution", "ladder-done", spike.source, {
            "finished": state.state == FINISHED, "on": state.ended, "longest_km": longest,
            "above_percent": spike.above_percent, "lookback_days": spike.lookback_days}),)
    return ()
