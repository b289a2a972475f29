"""What a new entry changes: the restrictions a treatment starts and its place in its course
(`treat`), or the restriction an activity broke (`log`)."""

from datetime import timedelta
from typing import Any

from msgspec import Struct

from runrecover import clock, rules
from runrecover.profile import Profile
from runrecover.protocols import Protocol
from runrecover.questions.lookback import facts, treatment_reach, treatments_reaching
from runrecover.records import Records
from runrecover.rules import (
    ActivityFact,
    CourseWarning,
    History,
    InjuryFact,
    LadderState,
    SessionDue,
    TreatmentFact,
    Window,
)
from runrecover.rules.ladder import Session as LadderRun


class TreatmentEffects(Struct, frozen=True):
    treatment: TreatmentFact
    protocol: Protocol | None
    windows: tuple[Window, ...]
    position: tuple[int, int] | None  # (n, of) in its course
    next_sessions: tuple[SessionDue, ...]  # of its own course
    warnings: tuple[CourseWarning, ...] = ()  # course limits it goes past


def of_treatment(records: Records, profile: Profile, row: Any) -> TreatmentEffects:
    fact = TreatmentFact.from_row(row, profile.zone)
    # A limit of sessions a year (cortisone) needs the year before it too.
    year = timedelta(days=rules.YEAR_DAYS + 1)
    reach = max(treatment_reach(records, profile), year)
    earlier = facts(records.between("treatment", since=row.at - reach,
                                    until=row.at + timedelta(days=1)), profile)
    history = History(treatments=earlier, injuries=tuple(
        InjuryFact.from_row(i) for i in records.all_rows("injury")))
    due = rules.next_sessions(history, clock.utc(row.at), profile)
    return TreatmentEffects(
        treatment=fact,
        protocol=profile.protocol(fact.kind),
        windows=tuple(rules.windows([fact], profile)),
        position=rules.course_position(fact, earlier, profile),
        warnings=tuple(rules.course_warnings(fact, earlier, profile)),
        next_sessions=tuple(s for s in due
                            if s.kind == profile.kind(fact.kind) and s.injury_id == fact.injury_id))


def of_activity(records: Records, profile: Profile, row: Any) -> Window | None:
    """The restriction the activity broke, if any."""
    # A day's margin: an activity with no time of day is checked at noon.
    treatments = treatments_reaching(records, profile, since=row.at,
                                     until=row.at + timedelta(days=1), courses=False)
    return rules.breaking_window(ActivityFact.from_row(row, profile.zone),
                                 facts(treatments, profile), profile)


class EditEffects(Struct, frozen=True):
    """What an edited entry now holds back or breaks: a treatment's windows and the
    activities inside them that break them, or the restriction an activity now breaks."""

    windows: tuple[Window, ...] = ()
    broken_by: tuple[tuple[Any, Window], ...] = ()  # (activity row, the window it breaks)
    broke: Window | None = None  # the edited activity's


def of_edit(records: Records, profile: Profile, kind: str, row: Any) -> EditEffects | None:
    """The effects `edit` shows, as `treat` and `log` show them; None for other kinds."""
    if kind == "activity":
        return EditEffects(broke=of_activity(records, profile, row))
    if kind != "treatment":
        return None
    fact = TreatmentFact.from_row(row, profile.zone)
    windows = tuple(rules.windows([fact], profile))
    if not windows:
        return EditEffects()
    broken = []
    for activity in records.between("activity", since=min(w.start for w in windows),
                                    until=max(w.end for w in windows)):
        window = rules.breaking_window(ActivityFact.from_row(activity, profile.zone), (fact,),
                                       profile)
        if window is not None:
            broken.append((activity, window))
    return EditEffects(windows=windows, broken_by=tuple(broken))


class LadderSession(Struct, frozen=True):
    state: LadderState
    session: LadderRun


def on_ladder(records: Records, profile: Profile, row: Any) -> LadderSession | None:
    """The ladder session a run is, when a ladder holds: the rung it was run as, and what
    it went past (skipped rungs, longer than the rung, a rest day)."""
    from runrecover.questions.ladder import state_at

    state = state_at(records, profile, at=row.at)
    found = None if state is None else next(
        (s for s in state.sessions if s.run.id == row.id), None)
    return None if found is None else LadderSession(state, found)
