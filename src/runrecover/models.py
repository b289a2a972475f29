"""The entries a runner records, as SQLModel families.

Each entry has a `XBase` with the validated fields, an `XCreate` that user input goes
through (a `table=True` class does not validate), and the table class `X`. Instants
(`*_at`) are aware datetimes, which SQLModel stores as UTC and returns as UTC, with
`time_known`; dates (`*_on`) are local calendar days.
The tables themselves are created by `migrations.py`, never by `create_all`.
"""

from datetime import date, datetime
from typing import Any

from pydantic import field_validator, model_validator
from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Field, SQLModel

from runrecover import clock
from runrecover.rows import new_uid, onset_day, shown_moment, stored_moment, utc_now
from runrecover.vocab import (
    TREATMENT_KIND,
    ActivityKind,
    LadderAction,
    PainContext,
    RunType,
    Side,
)

Note = str | None
NOTE_MAX = 10_000


class Entry(SQLModel):
    note: Note = Field(default=None, max_length=NOTE_MAX)


class Stored(SQLModel):
    """Fields every table row carries besides its own. `athlete_id` is whose entry it is:
    set and matched by the session's scope (`store.scope`), never by the code that adds or
    reads entries, and never shown, exported or journalled."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    created_at: datetime = Field(default_factory=utc_now)
    athlete_id: int | None = Field(default=None, foreign_key="athlete.id")


class Athlete(SQLModel, table=True):
    """Whose record: a clinic's or a club's database holds many (`--athlete NAME`)."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    created_at: datetime = Field(default_factory=utc_now)
    note: Note = None
    name: str
    time_zone: str | None = None
    units: str | None = None


class InjuryBase(Entry):
    name: str = Field(min_length=1, max_length=200)
    part: str | None = Field(default=None, max_length=100)
    side: Side | None = None
    onset_on: date | None = None
    # The onset's instant when its time of day is known (`injury add --since 'yesterday
    # 18:00'`); then `onset_on` is that instant's local day (`rows.onset_day`).
    onset_at: datetime | None = None
    cause: str | None = Field(default=None, max_length=1000)
    diagnosis: str | None = Field(default=None, max_length=1000)
    resolved_on: date | None = None


class InjuryCreate(InjuryBase):
    @model_validator(mode="after")
    def _onset_day_is_the_day_of_its_time(self) -> "InjuryCreate":
        if self.onset_at is not None:
            if self.onset_at.utcoffset() is None:  # a wall time with no offset is local
                self.onset_at = clock.settle(self.onset_at.replace(tzinfo=clock.local_zone()))
            self.onset_on = onset_day(self.onset_on, self.onset_at)
        return self


class Injury(InjuryBase, Stored, table=True):
    pass


class TreatmentBase(Entry):
    kind: str = Field(min_length=1, max_length=60)
    at: datetime
    time_known: bool = True
    injury_id: int | None = Field(default=None, foreign_key="injury.id")
    clinician: str | None = Field(default=None, max_length=200)
    no_run_days: int | None = Field(default=None, ge=0, le=365)
    rest_hours: float | None = Field(default=None, ge=0, le=24 * 365)
    # The clinician's return-to-run ladder: it starts with this visit, at this rung.
    ladder: str | None = Field(default=None, max_length=60)
    rung: int | None = Field(default=None, ge=1, le=100)


class TreatmentCreate(TreatmentBase):
    @field_validator("kind")
    @classmethod
    def _a_kind_is_one_word(cls, kind: str) -> str:
        # SQLModel's Field(regex=...) is silently ignored under pydantic 2: check here.
        if not TREATMENT_KIND.match(kind):
            raise ValueError("a kind is letters, digits and dashes, like dry-needling")
        return kind


class Treatment(TreatmentBase, Stored, table=True):
    pass


class PainBase(Entry):
    score: int = Field(ge=0, le=10)
    at: datetime
    time_known: bool = True
    injury_id: int | None = Field(default=None, foreign_key="injury.id")
    context: PainContext | None = None


class PainCreate(PainBase):
    pass


class Pain(PainBase, Stored, table=True):
    pass


class ActivityBase(Entry):
    kind: ActivityKind = ActivityKind.run
    at: datetime
    time_known: bool = True
    distance_km: float | None = Field(default=None, gt=0, le=1000)
    duration_s: float | None = Field(default=None, gt=0, le=7 * 86400)
    moving_s: float | None = Field(default=None, gt=0, le=7 * 86400)
    run_type: RunType | None = None
    rpe: int | None = Field(default=None, ge=1, le=10)
    pain_during: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)
    avg_hr: float | None = Field(default=None, gt=0, le=300)
    source: str | None = Field(default=None, max_length=40)
    source_id: str | None = Field(default=None, max_length=200)
    rung: int | None = Field(default=None, ge=1, le=100)  # the ladder rung it was run as


class ActivityCreate(ActivityBase):
    pass


class Activity(ActivityBase, Stored, table=True):
    pass


class RaceBase(Entry):
    name: str = Field(min_length=1, max_length=200)
    at: datetime
    time_known: bool = False
    distance_km: float | None = Field(default=None, gt=0, le=1000)


class RaceCreate(RaceBase):
    pass


class Race(RaceBase, Stored, table=True):
    pass


class LadderEventBase(Entry):
    """The runner starting, pausing, resetting or leaving the return-to-run ladder. Where
    the runner stands on it is worked out from these, the runs and the pain (rules.ladder),
    never stored."""

    action: LadderAction
    at: datetime
    time_known: bool = True
    injury_id: int | None = Field(default=None, foreign_key="injury.id")
    ladder: str | None = Field(default=None, max_length=60)
    rung: int | None = Field(default=None, ge=1, le=100)


class LadderEventCreate(LadderEventBase):
    pass


class LadderEvent(LadderEventBase, Stored, table=True):
    __tablename__ = "ladder_event"


class JournalEntry(SQLModel, table=True):
    """One writing command, with what `undo` needs to reverse it."""

    __tablename__ = "journal"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    command: str
    changes: str  # JSON list of {op, table, uid, before}
    athlete_id: int | None = Field(default=None, foreign_key="athlete.id")


# Entries with no time of day are calendar dates: stored as UTC midnight of their day, read
# back as local midnight of that same day in whatever zone the runner is in now. Stored as
# the instant of local midnight, they would move to another day when the zone changes.
DATED = (Treatment, Pain, Activity, Race, LadderEvent)


def _store_day(_mapper: Any, _connection: Any, row: Any) -> None:
    row.at = stored_moment(row.at, row.time_known)


def _show_day(row: Any) -> None:
    if not row.time_known and row.at is not None:
        set_committed_value(row, "at", shown_moment(row.at, row.time_known))


def _shown_after_write(_mapper: Any, _connection: Any, row: Any) -> None:
    _show_day(row)


def _shown_on_load(row: Any, *_context: Any) -> None:
    _show_day(row)


for _cls in DATED:
    event.listen(_cls, "before_insert", _store_day)
    event.listen(_cls, "before_update", _store_day)
    event.listen(_cls, "after_insert", _shown_after_write)
    event.listen(_cls, "after_update", _shown_after_write)
    event.listen(_cls, "load", _shown_on_load)
    event.listen(_cls, "refresh", _shown_on_load)


def _onset_on_load(row: Any, *_context: Any) -> None:
    """A timed onset's day is its local day in the zone the runner is in now."""
    if row.onset_at is not None:
        set_committed_value(row, "onset_on", onset_day(row.onset_on, row.onset_at))


event.listen(Injury, "load", _onset_on_load)
event.listen(Injury, "refresh", _onset_on_load)


# The entry kinds users name on the command line (`edit pain 3`), with their table and
# validating model. One home for the mapping that edit, delete, export and import share.
ENTRY_KINDS: dict[str, tuple[type[SQLModel], type[SQLModel]]] = {
    "injury": (Injury, InjuryCreate),
    "treatment": (Treatment, TreatmentCreate),
    "pain": (Pain, PainCreate),
    "activity": (Activity, ActivityCreate),
    "race": (Race, RaceCreate),
    "ladder_event": (LadderEvent, LadderEventCreate),
}
