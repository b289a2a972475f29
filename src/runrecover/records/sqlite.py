"""`Records` over the local SQLite file through the standard library's sqlite3.

The queries are those SQLAlchemy sends for `store`'s functions (same SQL, same order), and
values are read and written as SQLModel's column types do (`rows`), so that answers are
byte for byte the same; tests/test_fast_path.py runs the commands both ways to prove it.
The file is opened, checked and migrated by `db.connect`, like the SQLAlchemy engine.

One athlete's record: every statement goes through `_select`, `_insert` and `_update`,
which match and stamp `athlete_id` (`rows.SCOPE`), so no query here can name a row of
another athlete. An athlete of None (a command that only reads a database with no athlete
yet) matches nothing.
"""

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from runrecover import athletes, clock, db, rows
from runrecover.records import validated
from runrecover.rows import COLUMNS, LOADERS, ROW_CLASSES, SCOPE

ENTRY_TABLES = tuple(COLUMNS)
_SELECT = {table: f"SELECT {', '.join(name for name, _, _ in columns)} FROM {table}"
           for table, columns in COLUMNS.items()}


def _window(since: datetime | None, until: datetime | None) -> tuple[str, list[str]]:
    """The condition (or nothing) and its values for the stored moments of rows that may be
    within [since, until): widened for a day-only row, stored at UTC midnight of its day."""
    where, params = [], []
    if since is not None:
        where.append("at >= ?")
        params.append(rows.sqlite_datetime(since - rows.DAY_ONLY_SLACK))
    if until is not None:
        where.append("at < ?")
        params.append(rows.sqlite_datetime(until + rows.DAY_ONLY_SLACK))
    return " AND ".join(where), params


class SqliteRecords:
    """The record in one transaction on a sqlite3 connection; `opened` makes one."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None, *,
                 athlete_id: int | None) -> None:
        self.connection = connection
        self.path = path
        self.athlete_id = athlete_id
        self.journal: list[dict[str, Any]] = []

    @classmethod
    @contextmanager
    def opened(cls, path: Path | None, *, write: bool, athlete: athletes.Athlete | None,
               command: str | None = None) -> Iterator["SqliteRecords"]:
        """The command's one transaction on the database at `path` (None: an empty one in
        memory), for `athlete` as picked (`athletes.confirmed` checks it again in the
        transaction; None: none yet, and a command that writes makes the first); `command`
        names it in the undo journal."""
        with db.connection_transaction(path, write=write) as connection:
            athlete = athletes.confirmed(athletes.Step(connection, "sqlite"), athlete,
                                         write=write)
            records = cls(connection, path, athlete_id=athlete.id if athlete else None)
            yield records
            if command is not None:
                records.flush_journal(command=command)

    # -- every statement, scoped to the athlete ----------------------------------------------

    def _select(self, sql: str, where: str = "", params: Iterable[Any] = (),
                tail: str = "") -> sqlite3.Cursor:
        """`sql` (SELECT ... FROM one table) over the athlete's rows meeting `where`."""
        condition = f"{SCOPE} = ?" + (f" AND ({where})" if where else "")
        return self.connection.execute(f"{sql} WHERE {condition} {tail}",
                                       (self.athlete_id, *params))

    def _rows(self, table: str, where: str = "", params: Iterable[Any] = (), tail: str = "",
              load: Callable[[tuple[Any, ...]], Any] | None = None) -> list[Any]:
        load = load or LOADERS[table]
        return [load(values) for values in self._select(_SELECT[table], where, params, tail)]

    def _insert_sql(self, table: str, names: Iterable[str]) -> str:
        """An INSERT of `names` whose rows are the athlete's: their id is written into the
        statement (an int, or NULL), not copied into each of an import's twelve thousand."""
        names = tuple(names)
        scope = "NULL" if self.athlete_id is None else str(int(self.athlete_id))
        return (f"INSERT INTO {table} ({', '.join((*names, SCOPE))}) "
                f"VALUES ({', '.join('?' * len(names))}, {scope})")

    def _insert(self, table: str, names: Iterable[str], values: Iterable[Any]) -> sqlite3.Cursor:
        return self.connection.execute(self._insert_sql(table, names), tuple(values))

    def _insert_many(self, table: str, names: Iterable[str],
                     params: list[tuple[Any, ...]]) -> None:
        self.connection.executemany(self._insert_sql(table, names), params)

    def _update(self, table: str, names: Iterable[str], values: Iterable[Any],
                row_id: int) -> None:
        self.connection.execute(
            f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in names)} "
            f"WHERE id = ? AND {SCOPE} = ?", (*values, row_id, self.athlete_id))

    # -- reading ----------------------------------------------------------------------------

    def between(self, table: str, *, since: datetime | None,
                until: datetime | None) -> list[Any]:
        where, params = _window(since, until)
        found = self._rows(table, where, params, "ORDER BY at, id")
        found = [row for row in found
                 if (since is None or row.at >= since) and (until is None or row.at < until)]
        return sorted(found, key=lambda row: (row.at, row.id))

    def stored_between(self, table: str, names: Sequence[str], *, since: datetime | None,
                       until: datetime | None) -> list[tuple[Any, ...]]:
        """SQLite's own values (of the columns `names`, unconverted) of the rows `between`
        reads for [since, until), by stored moment: the window is widened for day-only rows,
        which the caller keeps or not by their moment as read back, as `between` does (for
        the exports, which write most values as stored)."""
        where, params = _window(since, until)
        return self._select(f"SELECT {', '.join(names)} FROM {table}", where, params,
                            "ORDER BY at, id").fetchall()

    def all_rows(self, table: str) -> list[Any]:
        return self._rows(table, tail="ORDER BY id")

    def injuries_for(self, *, first_day: date, last_day: date,
                     ids: Iterable[int] = ()) -> list[Any]:
        first, last = first_day.isoformat(), last_day.isoformat()
        wanted = sorted(set(ids))
        named = f" OR id IN ({', '.join('?' * len(wanted))})" if wanted else ""
        # A timed onset's day follows the zone: stored as the day it was in when written, it
        # may be a day off now; read a day wider, then kept by its day as read back.
        found = self._rows("injury", "onset_on BETWEEN ? AND ? OR resolved_on BETWEEN ? "
                           f"AND ?{named}",
                           [(first_day - timedelta(days=1)).isoformat(),
                            (last_day + timedelta(days=1)).isoformat(),
                            first, last, *wanted], "ORDER BY id")
        return [row for row in found if rows.injury_in_days(row, first_day, last_day, wanted)]

    def injuries_open(self, *, since_day: date, ids: Iterable[int] = ()) -> list[Any]:
        wanted = sorted(set(ids))
        named = f" OR id IN ({', '.join('?' * len(wanted))})" if wanted else ""
        return self._rows("injury", f"resolved_on IS NULL OR resolved_on >= ?{named}",
                          [since_day.isoformat(), *wanted], "ORDER BY id")

    def longest_instructions(self) -> tuple[int | None, float | None]:
        return self._select("SELECT max(no_run_days), max(rest_hours) FROM treatment").fetchone()

    def ladder_entries(self, *, until: datetime | None,
                       since: datetime | None = None) -> tuple[list[Any], list[Any]]:
        events = self.between("ladder_event", since=since, until=until)
        where, params = _window(since, None)
        treatments = [t for t in self._rows("treatment", "(ladder IS NOT NULL OR rung IS "
                                            "NOT NULL)" + (f" AND {where}" if where else ""),
                                            params)
                      if (since is None or t.at >= since) and (until is None or t.at < until)]
        return events, sorted(treatments, key=lambda t: (t.at, t.id))

    def last_ladder_start(self, *, until: datetime) -> datetime | None:
        before = [rows.sqlite_datetime(until - rows.DAY_ONLY_SLACK)]
        found = [*self._rows("ladder_event", "action = 'start' AND rung IS NOT NULL AND at <= ?",
                             before, "ORDER BY at DESC, id DESC LIMIT 1"),
                 *self._rows("treatment", "rung IS NOT NULL AND at <= ?", before,
                             "ORDER BY at DESC, id DESC LIMIT 1")]
        return max((row.at for row in found), default=None)

    def last_run_before(self, *, until: datetime) -> Any:
        found = self._rows("activity", "kind = 'run' AND at < ?",
                           [rows.sqlite_datetime(until + rows.DAY_ONLY_SLACK)],
                           "ORDER BY at DESC, id DESC LIMIT 3")
        return next((a for a in found if a.at < until), None)

    def repeated_logs(self, *, kind: str, at: datetime, distance_km: float | None,
                      duration_s: float | None) -> list[Any]:
        candidates = self._rows("activity", "kind = ? AND at >= ? AND at <= ?",
                                [str(kind), rows.sqlite_datetime(at - rows.REPEAT_READ),
                                 rows.sqlite_datetime(at + rows.REPEAT_READ)], "ORDER BY id")
        return rows.repeats(candidates, at=at, distance_km=distance_km, duration_s=duration_s)

    def nothing_recorded(self) -> bool:
        return all(self._select(f"SELECT id FROM {table}", tail="LIMIT 1").fetchone() is None
                   for table in ENTRY_TABLES)

    def _get_named(self, table: str, ref: str, what: str) -> Any:
        def by_id(entry_id: int) -> Any:
            found = self._rows(table, "id = ?", [entry_id])
            return found[0] if found else None

        # SQLAlchemy's icontains(autoescape=True): `/` escapes `%`, `_` and itself.
        escaped = ref.replace("/", "//").replace("%", "/%").replace("_", "/_")
        return rows.pick_named(
            ref, what, by_id=by_id,
            named=lambda text: self._rows(table, "lower(name) = ?", [text]),
            containing=lambda _text: self._rows(
                table, "lower(name) LIKE '%' || lower(?) || '%' ESCAPE '/'", [escaped]))

    def get_injury(self, *, ref: str) -> Any:
        return self._get_named("injury", ref, "injury")

    def get_race(self, *, ref: str) -> Any:
        return self._get_named("race", ref, "race")

    def injury_for_entry(self, *, ref: str | None) -> Any:
        if ref is not None:
            return self.get_injury(ref=ref)
        return rows.only_open_injury(
            self._rows("injury", "resolved_on IS NULL", tail="ORDER BY id LIMIT 6"))

    def check_sound(self) -> None:
        if self.path is not None:
            db.check_sound(self.connection, self.path)

    # -- writing ----------------------------------------------------------------------------

    def add_entry(self, *, kind: str, data: dict[str, Any]) -> Any:
        values = validated(kind, data)
        injury_id = values.get("injury_id") if kind in ("pain", "treatment") else None
        injury = self._rows("injury", "id = ?", [injury_id]) if injury_id else []
        rows.check_within_injury(kind, values, injury[0] if injury else None)
        row = ROW_CLASSES[kind](id=None, uid=rows.new_uid(), created_at=rows.utc_now(),
                                **values)
        stored = dict(values)
        if "at" in stored:
            stored["at"] = rows.stored_moment(row.at, row.time_known)
            row.at = rows.shown_moment(stored["at"], row.time_known)
        cursor = self._insert(kind, ["uid", "created_at", *stored],
                              [rows.sqlite_value(v)
                               for v in (row.uid, row.created_at, *stored.values())])
        row.id = cursor.lastrowid
        self.journal.append({"op": "insert", "table": kind, "uid": row.uid})
        return row

    # -- an import ---------------------------------------------------------------------------

    def stored_by_uid(self, table: str, uids: Collection[str]) -> dict[str, Any]:
        # One query for the whole batch: the uids go in as one JSON array.
        if not uids:
            return {}
        return {row.uid: row for row in self._rows(
            table, "uid IN (SELECT value FROM json_each(?))", [json.dumps(list(uids))])}

    def stored_activities(self, *, since: datetime, until: datetime,
                          timed_only: bool) -> list[Any]:
        timed = "time_known IS 1 AND " if timed_only else ""
        return self._rows("activity", f"{timed}at >= ? AND at <= ?",
                          [rows.sqlite_datetime(since), rows.sqlite_datetime(until)],
                          "ORDER BY at, id")

    def insert_rows(self, table: str, values: list[dict[str, Any]], *,
                    read_back: bool) -> list[Any]:
        if not values:
            return []
        created_at = rows.utc_now()
        names, params = rows.inserted(table, values, created_at=created_at)
        last = self._select(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
        self._insert_many(table, names, params)
        self.journal.extend({"op": "insert", "table": table, "uid": value[0]}
                            for value in params)
        if not read_back:
            return []
        # Only the ids are read back: the rest is what was written, as it reads back.
        ids = dict(self._select(f"SELECT uid, id FROM {table}", "id > ?", (last,)))
        made = ROW_CLASSES[table]
        stored = [made(id=ids[param[0]], uid=param[0], created_at=created_at,
                       **rows.as_read_back(value))
                  for param, value in zip(params, values, strict=True)]
        return sorted(stored, key=lambda row: row.id)

    def uids_elsewhere(self, table: str, uids: Collection[str]) -> set[str]:
        # Deliberately not `_select`: the one question asked across athletes, answered with
        # no more than the uids given.
        if not uids:
            return set()
        return {uid for (uid,) in self.connection.execute(
            f"SELECT uid FROM {table} WHERE uid IN (SELECT value FROM json_each(?)) "
            f"AND {SCOPE} IS NOT ?", (json.dumps(list(uids)), self.athlete_id))}

    def update_row(self, table: str, row: Any, *, changes: dict[str, Any]) -> Any:
        current = {name: getattr(row, name) for name in rows.entry_fields(table)}
        merged = validated(table, current | changes)
        if rows.DATED & changes.keys():
            injury_id = merged.get("injury_id") if table in ("pain", "treatment") else None
            injury = self._rows("injury", "id = ?", [injury_id]) if injury_id else []
            rows.check_within_injury(table, merged, injury[0] if injury else None)
            if table == "injury" and {"onset_on", "onset_at", "resolved_on"} & changes.keys():
                # As `store.update`: its own entries, against its onset only when it moves.
                own = [(kind, found) for kind in ("pain", "treatment")
                       for found in self._rows(kind, "injury_id = ?", [row.id])]
                moved = any(merged.get(name) != getattr(row, name)
                            for name in ("onset_on", "onset_at"))
                rows.check_own_entries(merged, own, onset=moved)
        self.journal.append({"op": "update", "table": table, "uid": row.uid,
                             "before": rows.snapshot(row)})
        stored = dict(merged)
        if "at" in stored:
            stored["at"] = rows.stored_moment(merged["at"], merged["time_known"])
            merged["at"] = rows.shown_moment(stored["at"], merged["time_known"])
        names = tuple(stored)
        self._update(table, names, rows.writer(table, names)(stored), row.id)
        for name, value in merged.items():
            setattr(row, name, value)
        return row

    def flush_journal(self, *, command: str) -> None:
        """What this command wrote, as one journal entry that `undo` reverses (as
        `store.flush_journal` writes it)."""
        if self.journal:
            self._insert("journal", ("at", "command", "changes"),
                         (rows.sqlite_datetime(clock.now()), command, json.dumps(self.journal)))
            self.journal = []
