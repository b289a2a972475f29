"""The return-to-run ladder: the entries its position is worked out from, and where the
runner stands on it (`runrecover ladder`, and the plan in `status`)."""

from datetime import datetime, timedelta
from typing import Any

from msgspec import Struct

from runrecover import clock, rules
from runrecover.profile import Profile
from runrecover.records import Records
from runrecover.rules import ActivityFact, History, LadderEventFact, PainFact
from runrecover.rules.ladder import (
    USUAL_DAYS,
    LadderPlan,
    LadderState,
    Step,
    fresh_start,
    overtaken,
)

AFTER = timedelta(days=2)  # a run's next morning is read up to the end of the day after it


def ladder_facts(records: Records, profile: Profile, *, until: datetime,
                 asked_from: datetime | None = None) -> tuple[LadderEventFact, ...]:
    """The ladder events up to `until`, the clinician's starts at visits included: every
    one, or, for a question that asks where the runner stands at `asked_from` or later
    only, those from the last start that names its rung at or before it (such a start
    begins afresh, `rules.ladder.position`: nothing before it counts then), however long
    ago it was."""
    zone = profile.zone
    since = None if asked_from is None else records.last_ladder_start(until=asked_from)
    events, treatments = records.ladder_entries(since=since, until=until)
    return tuple([LadderEventFact.from_row(e, zone) for e in events]
                 + [LadderEventFact.from_treatment(t, zone) for t in treatments])


def reach(events: tuple[LadderEventFact, ...], at: datetime) -> datetime | None:
    """From when runs and pain count for the ladder in force at `at`: its fresh start, less
    the days a usual morning score may come from; None with no ladder."""
    start = fresh_start(History(ladder=events), at)
    return None if start is None else start.at - timedelta(days=USUAL_DAYS + 1)


class LadderAnswer(Struct, frozen=True):
    state: LadderState | None
    plan: LadderPlan | None
    at: datetime
    names: tuple[str, ...]  # the ladders known, to start one
    injury_names: dict[int, str]


def ask(records: Records, profile: Profile, *, at: datetime) -> LadderAnswer:
    """Where the runner stands on the ladder at `at`: the status verdict's own ladder."""
    from runrecover.questions import status

    answer = status.ask(records, profile, asked=clock.Moment(at, True), now=at)
    verdict = answer.verdict
    return LadderAnswer(verdict.ladder, verdict.plan, verdict.at, tuple(profile.ladders),
                        {i.injury.id: i.injury.name for i in answer.injuries})


def history_for(records: Records, profile: Profile, *, since: datetime, until: datetime,
                every_event: bool = False) -> History:
    """Runs, pain and ladder events from `since` to `until`, for the ladder's position at
    `since` or later (with `every_event`, the ladder events from the first, for what asks
    about an earlier one). No injuries: the ladder's rules read none."""
    zone = profile.zone
    events = ladder_facts(records, profile, until=until,
                          asked_from=None if every_event else since)
    first = min(since, reach(events, until) or since)
    return History(
        pain=tuple(PainFact.from_row(p, zone)
                   for p in records.between("pain", since=first, until=until + AFTER)),
        activities=tuple(ActivityFact.from_row(a, zone)
                         for a in records.between("activity", since=first, until=until)),
        ladder=events)


def state_at(records: Records, profile: Profile, *, at: datetime) -> LadderState | None:
    """The ladder at `at` alone (for `log` and `ladder start`), without the whole status."""
    # Up to just after `at`: a run logged at `at` is one of the sessions.
    until = at + timedelta(seconds=1)
    return rules.ladder_position(history_for(records, profile, since=at, until=until), at,
                                 profile)


def visit_ladder_end(records: Records, profile: Profile, *, treatment_id: int,
                     at: datetime) -> Step | None:
    """What, as of `at`, already ends the ladder a visit started (a later leave or start,
    or the runs that finished it): `treat` says so, as status will; None while it is the
    ladder in force."""
    until = at + timedelta(seconds=1)
    # Every event: the visit's own start may be older than the last fresh start.
    return overtaken(history_for(records, profile, since=at, until=until, every_event=True),
                     treatment_id, at, profile)


class Start(Struct, frozen=True):
    """What a start records: the ladder and first rung (None to resume a paused ladder),
    and the days without running they were chosen from."""

    ladder: str | None
    rung: int | None
    days_off: int | None


def starting(records: Records, profile: Profile, *, at: datetime, injury: Any,
             ladder: str | None, rung: int | None, resume: bool = True) -> Start:
    """The ladder and rung a start at `at` records: the ones given; else, with a paused
    ladder (and `resume`), none (it resumes); else the ladder for the injury and the first
    rung for the days without running."""
    from runrecover.errors import InputError

    if resume and ladder is None and rung is None:
        state = state_at(records, profile, at=at)
        if state is not None and state.state == "paused":
            return Start(None, None, None)
    last = records.last_run_before(until=at)
    days_off = None if last is None else (
        clock.local(at, profile.zone).date() - clock.local(last.at, profile.zone).date()).days
    text = " ".join(filter(None, (injury.name, injury.part, injury.diagnosis))) if injury else ""
    chosen, first = rules.ladder_first_rung(profile, injury_text=text, days_off=days_off,
                                            ladder_name=ladder)
    if rung is not None and rung > len(chosen.rungs):
        raise InputError(f"--rung {rung} is past the last rung of the {chosen.name} ladder; "
                         f"give 1 to {len(chosen.rungs)}.")
    return Start(chosen.name, rung or first, days_off)
