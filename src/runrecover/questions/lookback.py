"""How far back a question must read the record: worked out from the protocols in force and
the longest instruction a clinician gave, never a fixed number (a fixed 400 days once let a
user's 450-day restriction end early)."""

from datetime import datetime, timedelta
from typing import Any

from runrecover import rules
from runrecover.profile import Profile
from runrecover.records import Records
from runrecover.rules import TreatmentFact


def treatment_reach(records: Records, profile: Profile, *, courses: bool = True) -> timedelta:
    """How long before a moment a treatment can still restrict it (and, with `courses`,
    still count in the course of a later session)."""
    days, hours = records.longest_instructions()
    reach = rules.reach_days(profile.protocols, no_run_days=days, rest_hours=hours)
    if courses:
        reach = max(reach, rules.course_reach_days(profile.protocols))
    return timedelta(days=reach)


def treatments_reaching(records: Records, profile: Profile, *, since: datetime | None,
                        until: datetime | None, courses: bool = True) -> list[Any]:
    """The treatments whose restrictions (or courses) may reach into [since, until)."""
    first = None if since is None else since - treatment_reach(records, profile,
                                                                courses=courses)
    return records.between("treatment", since=first, until=until)


def facts(rows: list[Any], profile: Profile) -> tuple[TreatmentFact, ...]:
    return tuple(TreatmentFact.from_row(t, profile.zone) for t in rows)

