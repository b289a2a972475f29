"""The plan: what the calendar holds between two moments (restriction windows, course
sessions due, races), as the ICS export shows it."""

from datetime import datetime

from msgspec import Struct

from runrecover import clock, rules
from runrecover.profile import Profile
from runrecover.questions import status as status_question
from runrecover.questions.lookback import facts, treatments_reaching
from runrecover.records import Records
from runrecover.rules import History, InjuryFact, LadderPlan, RaceFact, SessionDue, Window


class PlannedRace(Struct, frozen=True):
    uid: str
    race: RaceFact
    start: datetime
    end: datetime


class Plan(Struct, frozen=True):
    windows: tuple[tuple[str, Window], ...]  # with the uid of the treatment behind each
    sessions: tuple[SessionDue, ...]
    races: tuple[PlannedRace, ...]
    stamp: datetime  # when the plan was made
    ladder: LadderPlan | None = None  # the return-to-run ladder's next session


def ask(records: Records, profile: Profile, *, since: datetime | None, until: datetime | None,
        now: datetime) -> Plan:
    """Everything planned in [since, until) (either end open when None), as of `now`."""
    rows = treatments_reaching(records, profile, since=since, until=until)
    uids = {t.id: t.uid for t in rows}
    known = facts(rows, profile)
    windows = [(uids[w.treatment.id], w)
               for w in rules.merge_adjacent(rules.windows(known, profile))
               if (since is None or w.end > since) and (until is None or w.start < until)]
    # The sessions due now: the courses running up to now, whatever the window asked.
    current = facts(treatments_reaching(records, profile, since=now, until=now), profile)
    history = History(treatments=current, injuries=tuple(
        InjuryFact.from_row(i) for i in records.all_rows("injury")))
    sessions = [n for n in rules.next_sessions(history, clock.utc(now), profile)
                if (since is None or clock.start_of_day(n.due, profile.zone) >= since)
                and (until is None or clock.start_of_day(n.due, profile.zone) < until)]
    races = []
    for race in records.between("race", since=since, until=until):
        fact = RaceFact.from_row(race, profile.zone)
        races.append(PlannedRace(race.uid, fact, *rules.race_window(fact, profile)))
    # The ladder's next session, as status gives it: the same day, the same rung.
    ladder = status_question.ask(records, profile, asked=clock.Moment(now, True),
                                 now=now).verdict.plan
    if ladder is not None and not (
            (since is None or clock.start_of_day(ladder.due, profile.zone) >= since)
            and (until is None or clock.start_of_day(ladder.due, profile.zone) < until)):
        ladder = None
    return Plan(tuple(windows), tuple(sessions), tuple(races), now, ladder)
