"""The clinician's view: each athlete's answer of the day, as `status` gives it to them."""

from datetime import datetime

from msgspec import Struct

from runrecover import clock
from runrecover.athletes import Athlete
from runrecover.profile import Profile
from runrecover.questions import status
from runrecover.records import Records


class AthleteAnswer(Struct, frozen=True):
    athlete: Athlete
    status: status.StatusAnswer
    zone: str | None  # the zone their days are counted in, by name (None: the system's)


def ask(records: Records, profile: Profile, athlete: Athlete, *,
        now: datetime) -> AthleteAnswer:
    """`athlete`'s status now, from their own record (`records`, scoped to them) in their
    zone and units (`profile`)."""
    answer = status.ask(records, profile, asked=clock.Moment(now.astimezone(profile.zone), True),
                        now=now)
    name = getattr(profile.zone, "key", None)
    # The system's zone file has no name of its own ("localtime"): it says nothing to a reader.
    return AthleteAnswer(athlete, answer, None if name in (None, "localtime") else name)
