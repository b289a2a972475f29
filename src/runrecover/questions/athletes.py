"""The clinician's view: each athlete's answer of the day, as `status` gives it to them."""

from dataclasses import dataclass
from datetime import datetime

from runrecover import clock
from runrecover.athletes import Athlete
from runrecover.profile import Profile
from runrecover.questions import status
from runrecover.records import Records


@dataclass(frozen=True)
class AthleteAnswer:
    athlete: Athlete
    status: status.StatusAnswer
    zone: str  # the zone the athlete's days are counted in, by name


def ask(records: Records, profile: Profile, athlete: Athlete, *,
        now: datetime) -> AthleteAnswer:
    """`athlete`'s status now, from their own record (`records`, scoped to them) in their
    zone and units (`profile`)."""
    answer = status.ask(records, profile, asked=clock.Moment(now.astimezone(profile.zone), True),
                        now=now)
    return AthleteAnswer(athlete, answer, getattr(profile.zone, "key", None) or str(profile.zone))
