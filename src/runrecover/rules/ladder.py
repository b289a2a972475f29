"""The return-to-run ladder: where the runner stands on it, worked out from the record.

Nothing about the position is stored: it follows from the ladder events (start, pause,
reset, leave, and a start a clinician set at a visit), the runs (with the rung the runner
gave) and the pain scores, so that an edit, an undo or an import can never leave a stale
"current rung" behind. Each run on the ladder is a session; its pain response (the
pain-monitoring model, protocols.md) moves the ladder:

- green: pain during it within the traffic light's green and the next morning back to the
  usual level → counts; after the rung's `times` settled sessions, the next rung, after the
  rest days;
- amber: pain during up to the pain-monitoring limit, or the next morning not quite back,
  or no next-morning score at all → the same rung again after `repeat_after_hours`;
- red: pain during above the limit, a next-morning rise of the rise gate's points, or any
  pain gate holding that morning → one rung down, and rest; two reds in a row → see a
  clinician.

Only a session of the rung due, on a day it is due, run no longer than the rung, moves the
ladder up; any session can move it down.
"""

from datetime import date, datetime, timedelta

from msgspec import Struct
from msgspec.structs import replace

from runrecover import clock
from runrecover.profile import Profile
from runrecover.protocols.ladders import Ladder, Rung, choose_ladder
from runrecover.rules.facts import ActivityFact, History, LadderEventFact
from runrecover.rules.gates import Reading, pain_gates, readings
from runrecover.rules.windows import RUN, activity_needs, local_day
from runrecover.vocab import ActivityKind, PainContext

USUAL_DAYS = 7
"""How old the last morning score before a run may be to count as the usual level."""

ACTIVE, PAUSED, FINISHED, LEFT = "active", "paused", "finished", "left"


class Session(Struct, frozen=True):
    """One run on the ladder: the rung it was run as and the rung due then, its pain
    response and what that did. `warnings` name what went past the ladder: skipped (a
    rung above the one due), longer (than the rung), early (on a rest day), hard (harder
    than easy), paused (while the ladder was paused). `short` names why a settled session
    still cannot move the runner up: below (a rung under the one due), shorter (than the
    rung), unmeasured (no duration logged: its length cannot be judged)."""

    run: ActivityFact
    rung: int
    expected: int
    response: str  # green | amber | red | unknown | pending
    move: str  # up | stay | repeat | down | finish | pending
    rung_after: int
    during: int | None
    usual: int | None
    next_morning: Reading | None
    warnings: tuple[str, ...] = ()
    short: tuple[str, ...] = ()


class Step(Struct, frozen=True):
    """What happened on the ladder, in time order: start, resume, pause, reset, leave, or
    a session (`session`)."""

    at: datetime
    kind: str
    rung: int
    session: Session | None = None
    by_clinician: bool = False


class LadderState(Struct, frozen=True):
    ladder: Ladder
    rung: int  # 1-based, the rung due next
    done: int  # settled sessions of this rung so far
    state: str  # active | paused | finished | left
    due: date  # the first day the next session may be run
    started: datetime
    injury_id: int | None
    steps: tuple[Step, ...]
    reds_in_row: int
    ended: datetime | None = None

    @property
    def holds(self) -> bool:
        """Whether the ladder holds running down to easy running (it is on, even paused)."""
        return self.state in (ACTIVE, PAUSED)

    @property
    def of(self) -> int:
        return len(self.ladder.rungs)

    @property
    def current(self) -> Rung:
        return self.ladder.rungs[min(self.rung, self.of) - 1]

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s.session for s in self.steps if s.session is not None)


def fresh_start(history: History, at: datetime) -> LadderEventFact | None:
    """The start the ladder in force at `at` began with (a start that names its rung):
    what a question must read runs and pain from."""
    starts = [e for e in history.ladder if e.action == "start" and e.rung is not None
              and clock.utc(e.at) <= clock.utc(at)]
    return max(starts, key=lambda e: (clock.utc(e.at), e.id), default=None)


def overtaken(history: History, treatment_id: int, at: datetime,
              profile: Profile) -> Step | None:
    """What, as of `at`, ended the ladder a visit started: the later start that replaced it
    (kind "start"), the leave (kind "leave") or the session that finished it (kind
    "finish"). None while it is the ladder in force, or when it has not begun by `at`."""
    moment = clock.utc(at)
    ours = [e for e in history.ladder if e.treatment_id == treatment_id
            and clock.utc(e.at) <= moment]
    if not ours:
        return None
    last = fresh_start(history, at)
    if last is not None and last.treatment_id != treatment_id:
        return Step(last.at, "start", last.rung or 1, by_clinician=last.treatment_id is not None)
    state = position(history, at, profile)
    if state is None or state.holds:
        return None
    if state.state == LEFT:
        leave = next(s for s in reversed(state.steps) if s.kind == "leave")
        return leave
    finish = next(s for s in reversed(state.steps) if s.session is not None)
    return replace(finish, kind="finish")


def first_rung(profile: Profile, *, injury_text: str, days_off: int | None,
               ladder_name: str | None = None) -> tuple[Ladder, int]:
    """The ladder (the one named, else the one for the injury) and the first rung for a
    time off (Daniels' table in the ladder's start rows)."""
    ladder = (profile.ladder(ladder_name) if ladder_name is not None
              else choose_ladder(profile.ladders, injury_text))
    row = ladder.first_rung(days_off)
    return ladder, row.rung if row is not None else 1


def position(history: History, at: datetime, profile: Profile) -> LadderState | None:
    """Where the runner stands on the ladder at `at` (UTC or aware), or None when no
    ladder was ever started."""
    moment = clock.utc(at)
    zone = profile.zone
    events = sorted((e for e in history.ladder if clock.utc(e.at) <= moment),
                    key=lambda e: (clock.utc(e.at), e.id))
    if not events:
        return None
    runs = sorted((a for a in history.activities
                   if a.kind == ActivityKind.run and clock.utc(a.at) <= moment),
                  key=lambda a: (clock.utc(a.at), a.id))
    known = [r for r in readings(history, profile) if clock.utc(r.at) <= moment]
    items = sorted([(clock.utc(e.at), 0, e) for e in events]
                   + [(clock.utc(a.at), 1, a) for a in runs], key=lambda i: (i[0], i[1]))
    state: LadderState | None = None
    steps: list[Step] = []
    for _, _, item in items:
        if isinstance(item, LadderEventFact):
            state = _event(state, item, profile)
            if state is not None:
                kind = item.action
                if kind == "start" and item.rung is None:
                    kind = "resume"
                if kind == "start":
                    steps = []
                steps.append(Step(item.at, kind, state.rung,
                                  by_clinician=item.treatment_id is not None))
                state = replace(state, steps=tuple(steps))
        elif state is not None and state.holds:
            session = _session(state, item, history, known, moment, profile)
            steps.append(Step(item.at, "session", session.rung_after, session))
            state = _after(state, session, profile)
            state = replace(state, steps=tuple(steps))
            if session.move == "finish":
                state = replace(state, state=FINISHED, ended=item.at)
    if state is None:
        return None
    return replace(state, started=state.started.astimezone(zone))


def holding_during(history: History, start: datetime, end: datetime, known: datetime,
                   profile: Profile) -> LadderState | None:
    """The ladder that holds running down at some moment from `start` to `end` (a race),
    as far as the record shows at `known`: every ladder event up to `end` (a booked visit's
    ladder included), the runs and pain up to `known` only (a run not yet run cannot end
    it). None when no ladder holds in that time."""
    begin, finish, seen = clock.utc(start), clock.utc(end), clock.utc(known)
    events = tuple(e for e in history.ladder if clock.utc(e.at) < finish)
    if not events:
        return None
    record = replace(history, ladder=events,
                     activities=tuple(a for a in history.activities if clock.utc(a.at) <= seen),
                     pain=tuple(p for p in history.pain if clock.utc(p.at) <= seen))
    # The position changes only at an event or a run: the start and each of those inside.
    moments = sorted({begin, *(clock.utc(x.at) for x in (*events, *record.activities)
                               if begin < clock.utc(x.at) < finish)})
    for moment in moments:
        state = position(record, moment, profile)
        if state is not None and state.holds:
            return state
    return None


def _event(state: LadderState | None, event: LadderEventFact,
           profile: Profile) -> LadderState | None:
    day = local_day(event.at, profile.zone)
    if event.action == "start" and (event.rung is not None or state is None
                                    or not state.holds):
        ladder = profile.ladders.get(event.ladder or "") or choose_ladder(profile.ladders, "")
        return LadderState(ladder, min(event.rung or 1, len(ladder.rungs)), 0, ACTIVE, day,
                           event.at, event.injury_id, (), 0)
    if state is None:
        return None
    if event.action == "start":
        return replace(state, state=ACTIVE, due=max(state.due, day))
    if event.action == "pause":
        return replace(state, state=PAUSED) if state.holds else state
    if event.action == "reset":
        return replace(state, rung=min(event.rung or 1, state.of), done=0, state=ACTIVE,
                     due=day, reds_in_row=0, ended=None)
    return replace(state, state=LEFT, ended=event.at) if state.holds else state


def _session(state: LadderState, run: ActivityFact, history: History, known: list[Reading],
             moment: datetime, profile: Profile) -> Session:
    zone = profile.zone
    day = local_day(run.at, zone)
    rung = run.rung or state.rung
    warnings = []
    if rung > state.rung:
        warnings.append("skipped")
    shape = state.ladder.rungs[min(rung, state.of) - 1]
    margin = state.ladder.rules.longer_percent / 100
    if run.duration_s is not None and run.duration_s > shape.minutes * 60 * (1 + margin):
        warnings.append("longer")
    # Only the rung due, run whole, moves the runner up: eight rung-1 sessions are not a
    # finished ladder.
    short = ["below"] if rung < state.rung else []
    due_shape = state.ladder.rungs[min(state.rung, state.of) - 1]
    if run.duration_s is None:
        short.append("unmeasured")
    elif run.duration_s < due_shape.minutes * 60 * (1 - margin):
        short.append("shorter")
    if day < state.due:
        warnings.append("early")
    if activity_needs(run) >= RUN:
        warnings.append("hard")
    if state.state == PAUSED:
        warnings.append("paused")
    mine = [r for r in known if state.injury_id is None or r.injury_id in (None, state.injury_id)]
    during = [r.score for r in mine if r.context == PainContext.during
              and local_day(r.at, zone) == day
              and (r.activity_id == run.id or r.activity_id is None)]
    worst = max(during, default=None)
    mornings = [r for r in mine if r.context == PainContext.morning and r.activity_id is None]
    cutoff = clock.utc(run.at) if run.time_known else clock.utc(
        clock.start_of_day(day + timedelta(days=1), zone))
    usual = [r for r in mornings if clock.utc(r.at) <= cutoff
             and (day - local_day(r.at, zone)).days <= USUAL_DAYS]
    usual_score = usual[-1].score if usual else None
    after = next((r for r in mornings if local_day(r.at, zone) == day + timedelta(days=1)
                  and clock.utc(r.at) > clock.utc(run.at)), None)
    response = _response(worst, usual_score, after, history, mine, run.at, moment, day,
                         profile)
    counted = not warnings and not short and response == "green"
    if response == "red":
        move, rung_after = "down", max(1, state.rung - 1)
    elif response == "pending":
        move, rung_after = "pending", state.rung
    elif response == "green" and counted:
        if state.done + 1 < state.ladder.rules.times:
            move, rung_after = "stay", state.rung
        elif state.rung >= state.of:
            move, rung_after = "finish", state.rung
        else:
            move, rung_after = "up", state.rung + 1
    elif response == "green":
        move, rung_after = "stay", state.rung
    else:
        move, rung_after = "repeat", state.rung
    return Session(run, rung, state.rung, response, move, rung_after, worst, usual_score,
                   after, tuple(warnings), tuple(short))


def _response(during: int | None, usual: int | None, after: Reading | None, history: History,
              known: list[Reading], run_at: datetime, moment: datetime, day: date,
              profile: Profile) -> str:
    light, gates = profile.advice.traffic_light, profile.advice.pain_gates
    limit = profile.advice.pain_during_run.above
    if during is not None and during > limit:
        return "red"
    if after is None:
        deadline = clock.start_of_day(day + timedelta(days=2), profile.zone)
        return "pending" if moment < clock.utc(deadline) else "unknown"
    # A gate that opened between the run and its next morning (a red score that evening,
    # night pain), or one holding that morning.
    since = clock.utc(run_at)
    moments = [r.at for r in known if since < clock.utc(r.at) <= clock.utc(after.at)]
    if any(clock.utc(g.start) > since or r == after.at
           for r in moments for g in pain_gates(history, r, profile)):
        return "red"
    base = usual if usual is not None else light.green[1]
    if after.score - base >= gates.rise_points:
        return "red"
    if after.score > base or (during is not None and during > light.green[1]):
        return "amber"
    return "green"


def _after(state: LadderState, session: Session, profile: Profile) -> LadderState:
    """The state once a session's response is known."""
    moves = profile.advice.ladder
    day = local_day(session.run.at, profile.zone)
    rest = timedelta(days=state.ladder.rules.rest_days + 1)
    if session.move == "down":
        return replace(state, rung=session.rung_after, done=0,
                     due=day + timedelta(days=moves.red_rest_days + 1),
                     reds_in_row=state.reds_in_row + 1)
    if session.move == "repeat":
        again = local_day(clock.add_hours(session.run.at, moves.repeat_after_hours,
                                          profile.zone), profile.zone)
        reds = state.reds_in_row if session.response == "unknown" else 0
        return replace(state, due=max(day + rest, again), reds_in_row=reds)
    if session.move in ("up", "finish"):
        return replace(state, rung=session.rung_after, done=0, due=day + rest, reds_in_row=0)
    if session.move == "stay":
        done = state.done + (1 if session.response == "green" and not session.warnings
                             and not session.short else 0)
        return replace(state, done=done, due=day + rest, reds_in_row=0)
    return replace(state, due=day + rest)  # pending: the rest day, then the response decides


class EntryCheck(Struct, frozen=True):
    """A check before the first rung: `done` by the walk that counts (`walk`), when one
    was logged."""

    check: str  # "walk" | "hop"
    done: bool
    walk: ActivityFact | None = None


def entry_checks(history: History, state: LadderState, profile: Profile) -> tuple[
        EntryCheck, ...]:
    """The entry checks, while no session has been run on the ladder: a walk of the brisk
    walk's length logged with pain low enough counts; hopping is the runner's own check."""
    if state.sessions:
        return ()
    rule = profile.advice.ladder
    since = clock.utc(state.started) - timedelta(days=USUAL_DAYS)
    walks = [a for a in history.activities if a.kind == ActivityKind.walk
             and clock.utc(a.at) >= since and a.pain is not None and a.pain <= rule.entry_pain_max
             and (a.duration_s or 0) >= rule.entry_walk_min * 60]
    walk = max(walks, key=lambda a: clock.utc(a.at), default=None)
    return (EntryCheck("walk", walk is not None, walk), EntryCheck("hop", False))


class LadderPlan(Struct, frozen=True):
    """Today on the ladder: the rung due and when. `held_by` says what keeps the session
    off today besides the rest days: a restriction window, a pain gate, or a pause."""

    state: LadderState
    due: date
    today: bool
    held_by: str | None  # "restriction" | "pain" | "paused" | None
    checks: tuple[EntryCheck, ...] = ()
    pain_ok: int = 3  # pain during the session no higher than this is green
    pain_stop: int = 5  # above this, stop: a red response
    source: str = ""  # where the moves by the pain response come from

    @property
    def rung(self) -> Rung:
        return self.state.current


def today_plan(state: LadderState, history: History, moment: datetime, *,
               run_from: datetime | None, gate_ends: list[datetime],
               profile: Profile) -> LadderPlan:
    """The session due, never today while a window holds running back, a pain gate holds,
    or the ladder is paused: then the first day it may be, as far as is known now."""
    zone = profile.zone
    due, held_by = state.due, None
    if state.state == PAUSED:
        held_by = "paused"
    if gate_ends:
        held_by = held_by or "pain"
        due = max(due, local_day(max(gate_ends, key=clock.utc), zone))
    if run_from is not None:
        held_by = "restriction" if held_by in (None, "pain") else held_by
        due = max(due, local_day(run_from, zone))
    today = local_day(moment, zone)
    due = max(due, today)  # a session missed is not in the past: it is due today
    return LadderPlan(state, due, held_by is None and due == today, held_by,
                      entry_checks(history, state, profile),
                      pain_ok=profile.advice.traffic_light.green[1],
                      pain_stop=profile.advice.pain_during_run.above,
                      source=profile.advice.ladder.move_source)
