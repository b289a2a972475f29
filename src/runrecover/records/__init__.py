"""The record as the questions read it: one small interface, two ways to store it.

`Records` is everything `status`, `timeline`, `log` and `pain` ask of the database, by
table name ("injury", "treatment", "pain", "activity", "race"), returning rows that have
the fields of the SQLModel classes (`rows.COLUMNS`). Only row loading and writing differ
between the implementations; the questions, rules and answers are the same code:

- `sqlite.SqliteRecords`: the local SQLite file through the standard library's sqlite3,
  without importing SQLAlchemy, SQLModel or pydantic (half a second of each start);
- `session.SessionRecords`: the same over a SQLAlchemy session, for what already holds
  one (`treat`, the demo, the import) and for a database that only SQLAlchemy can reach.

An import writes through the batch methods (`stored_by_uid`, `stored_activities`,
`insert_rows`, `update_row`): what is already stored is read once for the whole file, and
the new rows are written in one statement per table.

Both are one athlete's record: whose is decided where they are made (`store.scope`, the
sqlite3 statements' helpers), never by the questions.

Adding a loader (a new table, a new lookup) means one method here and its two bodies:
a query in each, the rule-free rest in the question that calls it.
"""

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any, Protocol

from runrecover import rows


class Records(Protocol):
    def between(self, table: str, *, since: datetime | None,
                until: datetime | None) -> list[Any]:
        """Rows of a timed table with `at` in [since, until), oldest first (aware bounds)."""

    def all_rows(self, table: str) -> list[Any]:
        """Every row of `table`, by id."""

    def injuries_for(self, *, first_day: date, last_day: date,
                     ids: Iterable[int] = ()) -> list[Any]:
        """Injuries that began or were resolved from `first_day` to `last_day`, and those
        `ids` name, by id."""

    def injuries_open(self, *, since_day: date, ids: Iterable[int] = ()) -> list[Any]:
        """Injuries not resolved before `since_day` (an open one however old), and those
        `ids` name, by id: what `status` shows and what its courses ask about."""

    def longest_instructions(self) -> tuple[int | None, float | None]:
        """The longest --no-run-days and --rest-hours ever given (see `lookback`)."""

    def ladder_entries(self, *, until: datetime | None,
                       since: datetime | None = None) -> tuple[list[Any], list[Any]]:
        """The ladder events with `at` in [since, until) (since None: from the first), and
        the treatments in it at which a clinician set a ladder (`treat --ladder/--rung`),
        each oldest first (`store.ladder_entries`)."""

    def last_ladder_start(self, *, until: datetime) -> datetime | None:
        """The moment of a ladder start that names its rung (a `ladder start --rung`, or a
        visit's `treat --rung`) surely at or before `until`: the last one stored at least
        `rows.DAY_ONLY_SLACK` before it; None when there is none (`store.last_ladder_start`)."""

    def last_run_before(self, *, until: datetime) -> Any:
        """The last run before `until`, or None: how long the runner has gone without."""

    def repeated_logs(self, *, kind: str, at: datetime, distance_km: float | None,
                      duration_s: float | None) -> list[Any]:
        """The activities a new `log` would repeat, by id (`rows.repeats`)."""

    def nothing_recorded(self) -> bool:
        """Whether no entry of any kind is stored."""

    def get_injury(self, *, ref: str) -> Any:
        """An injury by id or unique part of its name (`rows.pick_named`)."""

    def get_race(self, *, ref: str) -> Any:
        """A race by id or unique part of its name (`rows.pick_named`)."""

    def injury_for_entry(self, *, ref: str | None) -> Any:
        """The injury named, else the only open one, else None (`rows.only_open_injury`)."""

    def check_sound(self) -> None:
        """Refuse a damaged file before copying the record out (`db.check_sound`)."""

    def add_entry(self, *, kind: str, data: dict[str, Any]) -> Any:
        """A new entry from user input, validated, stored and journalled for `undo`."""

    # -- an import, batch by batch -----------------------------------------------------------

    def stored_by_uid(self, table: str, uids: Collection[str]) -> dict[str, Any]:
        """The rows of `table` stored with one of `uids`, by uid: one lookup for a batch."""

    def stored_activities(self, *, since: datetime, until: datetime,
                          timed_only: bool) -> list[Any]:
        """The activities stored with `at` from `since` to `until` (both included, compared
        as stored: a day-only one at UTC midnight of its day), by moment; with
        `timed_only`, only those whose time of day is known."""

    def insert_rows(self, table: str, values: list[dict[str, Any]], *,
                    read_back: bool) -> list[Any]:
        """New rows of `table` (validated: every column from `note` on, and a `uid`), in one
        statement, journalled for `undo`; the rows stored, in order, with `read_back`."""

    def update_row(self, table: str, row: Any, *, changes: dict[str, Any]) -> Any:
        """A stored row (as this record returned it) changed, validated and journalled."""

    def uids_elsewhere(self, table: str, uids: Collection[str]) -> set[str]:
        """Which of `uids` are stored in `table` for another athlete (an entry belongs to
        one athlete: an import refuses them)."""


def validated(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """A new entry's every column from user input: plainly valid values are checked here
    (`rows.checked`); anything else goes through its model, which coerces it or says what
    is wrong in its own words (and only then loads pydantic)."""
    values = rows.checked(kind, data) if kind in rows.FAST_WRITES else None
    if values is None:
        from runrecover import store
        from runrecover.models import ENTRY_KINDS

        values = store.validated(ENTRY_KINDS[kind][1], data)
    return values
