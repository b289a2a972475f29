"""`Records` over a SQLAlchemy session: each method is `store`'s function of that name."""

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from runrecover import db, store
from runrecover.models import ENTRY_KINDS


class SessionRecords:
    def __init__(self, session: Session) -> None:
        self.session = session

    def between(self, table: str, *, since: datetime | None,
                until: datetime | None) -> list[Any]:
        return store.between(self.session, ENTRY_KINDS[table][0], since=since, until=until)

    def all_rows(self, table: str) -> list[Any]:
        return store.all_rows(self.session, ENTRY_KINDS[table][0])

    def injuries_for(self, *, first_day: date, last_day: date,
                     ids: Iterable[int] = ()) -> list[Any]:
        return store.injuries_for(self.session, first_day=first_day, last_day=last_day, ids=ids)

    def injuries_open(self, *, since_day: date, ids: Iterable[int] = ()) -> list[Any]:
        return store.injuries_open(self.session, since_day=since_day, ids=ids)

    def longest_instructions(self) -> tuple[int | None, float | None]:
        return store.longest_instructions(self.session)

    def ladder_entries(self, *, until: datetime | None,
                       since: datetime | None = None) -> tuple[list[Any], list[Any]]:
        return store.ladder_entries(self.session, until=until, since=since)

    def last_ladder_start(self, *, until: datetime) -> datetime | None:
        return store.last_ladder_start(self.session, until=until)

    def last_run_before(self, *, until: datetime) -> Any:
        return store.last_run_before(self.session, until=until)

    def repeated_logs(self, *, kind: str, at: datetime, distance_km: float | None,
                      duration_s: float | None) -> list[Any]:
        return store.repeated_logs(self.session, kind=kind, at=at, distance_km=distance_km,
                                   duration_s=duration_s)

    def nothing_recorded(self) -> bool:
        return store.nothing_recorded(self.session)

    def get_injury(self, *, ref: str) -> Any:
        return store.get_injury(self.session, ref=ref)

    def get_race(self, *, ref: str) -> Any:
        return store.get_race(self.session, ref=ref)

    def injury_for_entry(self, *, ref: str | None) -> Any:
        return store.injury_for_entry(self.session, ref=ref)

    def check_sound(self) -> None:
        db.check_session(self.session)

    def add_entry(self, *, kind: str, data: dict[str, Any]) -> Any:
        return store.add_entry(self.session, kind=kind, data=data)

    def stored_by_uid(self, table: str, uids: Collection[str]) -> dict[str, Any]:
        return store.stored_by_uid(self.session, ENTRY_KINDS[table][0], uids)

    def stored_activities(self, *, since: datetime, until: datetime,
                          timed_only: bool) -> list[Any]:
        return store.stored_activities(self.session, since=since, until=until,
                                       timed_only=timed_only)

    def insert_rows(self, table: str, values: list[dict[str, Any]], *,
                    read_back: bool) -> list[Any]:
        return store.insert_all(self.session, ENTRY_KINDS[table][0], values,
                                read_back=read_back)

    def update_row(self, table: str, row: Any, *, changes: dict[str, Any]) -> Any:
        return store.update(self.session, row, changes=changes)

    def uids_elsewhere(self, table: str, uids: Collection[str]) -> set[str]:
        return store.uids_elsewhere(self.session, ENTRY_KINDS[table][0], uids)
