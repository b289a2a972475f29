"""How far back a question must read the record: worked out from the protocols in force and
the longest instruction a clinician gave, never a fixed number (a fixed 400 days once let a
user's 450-day restriction end early)."""

from datetime import datetime, timedelta

from sqlmodel import Session

from runrecover import rules, store
from runrecover.models import Treatment
from runrecover.profile import Profile
from runrecover.rules import TreatmentFact


def treatment_reach(session: Session, profile: Profile, *, courses: bool = True) -> timedelta:
    """How long before a moment a treatment can still restrict it (and, with `courses`,
    still count in the course of a later session)."""
    days, hours = store.longest_instructions(session)
    reach = rules.reach_days(profile.protocols, no_run_days=days, rest_hours=hours)
    if courses:
        reach = max(reach, rules.course_reach_days(profile.protocols))
    return timedelta(days=reach)


def treatments_reaching(session: Session, profile: Profile, *, since: datetime | None,
                        until: datetime | None, courses: bool = True) -> list[Treatment]:
    """The treatments whose restrictions (or courses) may reach into [since, until)."""
    first = None if since is None else since - treatment_reach(session, profile,
                                                                courses=courses)
    return store.between(session, Treatment, since=first, until=until)


def facts(rows: list[Treatment], profile: Profile) -> tuple[TreatmentFact, ...]:
    return tuple(TreatmentFact.from_row(t, profile.zone) for t in rows)

