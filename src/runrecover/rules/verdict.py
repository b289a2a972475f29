"""The verdict: everything `status` answers about one moment."""

from collections.abc import Iterable
from datetime import datetime

from msgspec import Struct
from msgspec.structs import replace

from runrecover import clock
from runrecover.profile import Profile
from runrecover.rules.advice import Advice, advise, ladder_advice
from runrecover.rules.courses import SessionDue, next_sessions
from runrecover.rules.facts import History, RaceFact, TreatmentFact
from runrecover.rules.gates import PainGate, gate_rank, pain_gates
from runrecover.rules.ladder import (
    LadderPlan,
    LadderState,
    holding_during,
    position,
    today_plan,
)
from runrecover.rules.races import RACE_HORIZON, RaceCheck, check_race, race_window
from runrecover.rules.windows import (
    EASY,
    RUN,
    Schedule,
    Window,
    blocked,
    free_from,
    merge_adjacent,
    plan,
    rank_at,
    windows,
)
from runrecover.vocab import ACTIVITY_LEVEL, LEVEL_RANK, LEVELS, ActivityKind, allowed_activities


class Restriction(Struct, frozen=True):
    """One thing holding an activity back (`level` "none") or running down to easy running
    (`level` "easy"): a treatment's window, a pain gate, or the return-to-run ladder (whose
    end, `until` None, depends on how the runs go)."""

    activity: str
    until: datetime | None
    treatment: TreatmentFact | None
    source: str
    level: str = "none"
    gate: PainGate | None = None


class Verdict(Struct, frozen=True):
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
    gates: tuple[PainGate, ...] = ()
    ladder: LadderState | None = None
    plan: LadderPlan | None = None  # today's session, while a ladder holds


def evaluate(history: History, at: datetime, profile: Profile, *,
             race_ids: set[int] | None = None, races_from: datetime | None = None) -> Verdict:
    """Everything `status` answers, as of `at`.

    Restrictions use every treatment given, future ones included (a booked session can block
    a race); advice and courses ignore what comes after `at`. Races are those not over at
    `races_from` (by default `at`: a whole day asked about keeps its own races). Advice
    looks back `profile.advice.history_days` days: callers may pass only that much.
    """
    zone = profile.zone
    moment = clock.utc(at)
    schedules = plan(history.treatments, profile)
    gates = pain_gates(history, moment, profile)
    window_rank = rank_at(schedules, moment)
    ladder = position(history, moment, profile)
    on_ladder = ladder is not None and ladder.holds
    rank = min(window_rank, gate_rank(gates), EASY if on_ladder else RUN)
    restrictions = []
    for kind, lowest in ACTIVITY_LEVEL.items():
        needed = LEVEL_RANK[lowest]
        if window_rank >= needed:
            continue
        until = free_from(blocked(schedules, needed), moment)
        treatment, source = _lifting_last(schedules, moment, needed)
        restrictions.append(Restriction(kind.value, until.astimezone(zone), treatment, source))
    if window_rank == EASY:
        until = free_from(blocked(schedules, RUN), moment)
        treatment, source = _lifting_last(schedules, moment, RUN)
        restrictions.append(Restriction(ActivityKind.run.value, until.astimezone(zone),
                                        treatment, source, level="easy"))
    restrictions += [Restriction(ActivityKind.run.value, g.end, None, g.source, level=g.level,
                                 gate=g) for g in gates]
    if on_ladder:
        restrictions.append(Restriction(ActivityKind.run.value, None, None, "ladder",
                                        level="easy"))
    due = next_sessions(history, moment, profile)
    run_from = _free_of(schedules, gates, EASY, moment) if rank < EASY else None
    # On the ladder, normal running comes back with its last rung: no date is known.
    normal_from = (_free_of(schedules, gates, RUN, moment)
                   if rank < RUN and not on_ladder else None)
    today = None
    if on_ladder:
        window_from = free_from(blocked(schedules, EASY), moment) if window_rank < EASY else None
        today = today_plan(ladder, history, moment, run_from=window_from,
                          gate_ends=[g.end for g in gates], profile=profile)
    if race_ids is not None:
        races = [r for r in history.races if r.id in race_ids]
    else:
        races = [r for r in history.races
                 if clock.utc(race_window(r, profile)[1]) > clock.utc(races_from or moment)
                 and clock.utc(r.at) <= moment + RACE_HORIZON]
    races.sort(key=lambda r: (clock.utc(r.at), r.id))
    return Verdict(
        at=moment.astimezone(zone),
        level=LEVELS[rank],
        can_run=rank >= EASY,
        run_level="none" if rank < EASY else "easy" if rank < RUN else "normal",
        run_allowed_from=None if run_from is None else run_from.astimezone(zone),
        normal_run_from=None if normal_from is None else normal_from.astimezone(zone),
        gates=tuple(gates),
        in_force=tuple(_in_force(history.treatments, profile, moment)),
        allowed_activities=tuple(allowed_activities(LEVELS[rank])),
        restrictions=tuple(restrictions),
        advice=(*advise(history, moment, schedules, profile),
                *ladder_advice(ladder, history, moment, profile)),
        ladder=ladder,
        plan=today,
        next_sessions=tuple(due),
        races=tuple(_race_notes(_on_ladder(check_race(
            schedules, race, profile, _race_gates(history, race, profile)), history, moment,
            on_ladder, profile),
                                schedules, due, history, profile)
                    for race in races),
    )


def _race_gates(history: History, race: RaceFact, profile: Profile) -> list[PainGate]:
    """The pain gates holding at any moment of the race: at its start, or opened by a score
    or a run inside it (a race with no time of day is its whole day, and a painful run that
    morning holds it)."""
    start, end = race_window(race, profile)
    inside = sorted(r.at for r in (*history.pain, *history.activities)
                    if clock.utc(start) < clock.utc(r.at) < clock.utc(end))
    for at in (start, *inside):
        gates = pain_gates(history, at, profile)
        if gates:
            return gates
    return []


def _on_ladder(check: RaceCheck, history: History, moment: datetime, on_ladder: bool,
               profile: Profile) -> RaceCheck:
    """A race needs normal running, which the ladder gives back only with its last rung: no
    race is clear while the runner is on it, nor when a ladder already recorded (a booked
    visit's) will hold at any moment of the race."""
    if not check.cleared:
        return check
    if on_ladder:
        return replace(check, cleared=False, level="easy", ladder=True, margin=None)
    found = holding_during(history, check.start, check.end, moment, profile)
    if found is None:
        return check
    return replace(check, cleared=False, level="easy", ladder=True, margin=None,
                   ladder_from=found.started.astimezone(profile.zone))


def _race_notes(check: RaceCheck, schedules: list[Schedule], due: list[SessionDue],
                history: History, profile: Profile) -> RaceCheck:
    """What is worth a warning about a race: a course session due within a day of it, and
    a race that would be the first run after a no-running window."""
    zone = profile.zone
    race_day = check.start.astimezone(zone).date()
    near = next((s for s in due if abs((s.due - race_day).days) <= 1), None)
    begin = clock.utc(check.start)
    ended = [end for _, end in blocked(schedules, EASY) if end <= begin]
    first_after = None
    if ended:
        last_end = ended[-1]
        ran = any(a.kind == ActivityKind.run and last_end <= clock.utc(a.at) < begin
                  for a in history.activities)
        first_after = None if ran else last_end.astimezone(zone)
    return replace(check, session_near=near, first_run_after=first_after)


def _lifting_last(schedules: list[Schedule], moment: datetime,
                  needed: int) -> tuple[TreatmentFact, str]:
    """The treatment in force whose own restriction of level `needed` lifts last, and the
    source of that number."""
    releases = []
    for schedule in schedules:
        found = schedule.release(moment, needed)
        if found is not None:
            releases.append((found[0], -schedule.treatment.id, schedule.treatment, found[1]))
    *_, treatment, source = max(releases, key=lambda r: r[:2])
    return treatment, source


def _free_of(schedules: list[Schedule], gates: list[PainGate], needed: int,
             moment: datetime) -> datetime:
    """The first moment from `moment` on when no window and no gate known now holds level
    `needed` back (a gate can only end sooner, by a score not yet logged)."""
    stretches = blocked(schedules, needed)
    ends = [clock.utc(g.end) for g in gates if g.rank < needed]
    at = moment
    while True:
        later = max([free_from(stretches, at) or at, *(end for end in ends if end > at)])
        if later == at:
            return at
        at = later


def _in_force(treatments: Iterable[TreatmentFact], profile: Profile,
              moment: datetime) -> list[Window]:
    """The windows, from `moment` on, of every treatment holding something back at it."""
    merged = merge_adjacent(windows(treatments, profile))
    holding = {w.treatment.id for w in merged if clock.utc(w.start) <= moment < clock.utc(w.end)}
    return sorted((w for w in merged if w.treatment.id in holding and clock.utc(w.end) > moment),
                  key=lambda w: (clock.utc(w.treatment.at), w.treatment.id, clock.utc(w.start)))
