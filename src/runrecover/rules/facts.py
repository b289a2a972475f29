"""What the rules read: plain, frozen facts from the record, with local moments."""

from datetime import date, datetime, tzinfo
from typing import Any

from msgspec import Struct


class TreatmentFact(Struct, frozen=True):
    id: int
    kind: str
    at: datetime
    time_known: bool
    injury_id: int | None
    no_run_days: int | None = None
    rest_hours: float | None = None

    @classmethod
    def from_row(cls, row: Any, zone: tzinfo) -> "TreatmentFact":
        """From a stored treatment (any object with its fields), its moment in `zone`."""
        return cls(id=row.id, kind=row.kind, at=row.at.astimezone(zone),
                   time_known=row.time_known, injury_id=row.injury_id,
                   no_run_days=row.no_run_days, rest_hours=row.rest_hours)


class PainFact(Struct, frozen=True):
    id: int
    score: int
    at: datetime
    time_known: bool
    context: str | None
    injury_id: int | None

    @classmethod
    def from_row(cls, row: Any, zone: tzinfo) -> "PainFact":
        return cls(id=row.id, score=row.score, at=row.at.astimezone(zone),
                   time_known=row.time_known, context=row.context, injury_id=row.injury_id)


class ActivityFact(Struct, frozen=True):
    id: int
    kind: str
    at: datetime
    time_known: bool
    distance_km: float | None
    duration_s: float | None
    pain: int | None
    run_type: str | None = None
    rpe: int | None = None
    rung: int | None = None  # the ladder rung the runner said it was

    @classmethod
    def from_row(cls, row: Any, zone: tzinfo) -> "ActivityFact":
        return cls(id=row.id, kind=row.kind, at=row.at.astimezone(zone),
                   time_known=row.time_known, distance_km=row.distance_km,
                   duration_s=row.duration_s, pain=row.pain_during,
                   run_type=row.run_type, rpe=row.rpe, rung=row.rung)


class RaceFact(Struct, frozen=True):
    id: int
    name: str
    at: datetime
    time_known: bool
    distance_km: float | None

    @classmethod
    def from_row(cls, row: Any, zone: tzinfo) -> "RaceFact":
        return cls(id=row.id, name=row.name, at=row.at.astimezone(zone),
                   time_known=row.time_known, distance_km=row.distance_km)


class InjuryFact(Struct, frozen=True):
    id: int
    name: str
    onset: date | None
    resolved_on: date | None

    @classmethod
    def from_row(cls, row: Any) -> "InjuryFact":
        return cls(id=row.id, name=row.name, onset=row.onset_on, resolved_on=row.resolved_on)


class LadderEventFact(Struct, frozen=True):
    """A ladder start, pause, reset or leave: the runner's (`ladder` command), or a start
    the clinician set at a visit (`treatment_id`). A start with a rung begins afresh; one
    without resumes a paused ladder."""

    id: int
    action: str
    at: datetime
    time_known: bool
    injury_id: int | None
    ladder: str | None
    rung: int | None
    treatment_id: int | None = None

    @classmethod
    def from_row(cls, row: Any, zone: tzinfo) -> "LadderEventFact":
        return cls(id=row.id, action=row.action, at=row.at.astimezone(zone),
                   time_known=row.time_known, injury_id=row.injury_id, ladder=row.ladder,
                   rung=row.rung)

    @classmethod
    def from_treatment(cls, row: Any, zone: tzinfo) -> "LadderEventFact":
        return cls(id=-row.id, action="start", at=row.at.astimezone(zone),
                   time_known=row.time_known, injury_id=row.injury_id, ladder=row.ladder,
                   rung=row.rung, treatment_id=row.id)


class History(Struct, frozen=True):
    treatments: tuple[TreatmentFact, ...] = ()
    pain: tuple[PainFact, ...] = ()
    activities: tuple[ActivityFact, ...] = ()
    races: tuple[RaceFact, ...] = ()
    injuries: tuple[InjuryFact, ...] = ()
    ladder: tuple[LadderEventFact, ...] = ()
