"""Reading and writing entries over a Session; every write is journalled for `undo`.

Functions take the session first and the rest by keyword. `get_*` raises InputError when
nothing matches; `find_*` may return None.
"""

import json
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlmodel import Session, SQLModel, col, func, select

from runrecover import clock, units
from runrecover.errors import InputError
from runrecover.models import (
    ENTRY_KINDS,
    Activity,
    Injury,
    JournalEntry,
    LadderEvent,
    Pain,
    Race,
    Treatment,
    new_uid,
    utc_now,
)
from runrecover.rows import (
    COLUMNS,
    DATED,
    DAY_ONLY_SLACK,
    LOADERS,
    MAX_ID,
    REPEAT_READ,
    SCOPE,
    check_own_entries,
    check_text,
    check_within_injury,
    injury_in_days,
    label,
    only_open_injury,
    pick_named,
    repeats,
    stored_moment,
    writer,
)

Row = TypeVar("Row", bound=SQLModel)
# The word `runrecover list` takes for each entry kind.
LIST_WORDS = {"injury": "injuries", "treatment": "treatments", "pain": "pain",
              "activity": "runs", "race": "races"}
TABLES: dict[str, type[SQLModel]] = {cls.__tablename__: cls for cls, _ in ENTRY_KINDS.values()}
SCOPED: tuple[type[SQLModel], ...] = (*TABLES.values(), JournalEntry)
"""The tables whose every row belongs to one athlete (`athlete_id`)."""


# -- one athlete's record -------------------------------------------------------------------

def scope(session: Session, athlete_id: int | None) -> None:
    """Make `session` one athlete's, in one place: every ORM statement it runs (a SELECT of
    rows or of columns, `get`, an UPDATE or DELETE) matches only that athlete's rows of the
    entry tables and the journal, and every row it adds is stamped as theirs. None, for a
    command that only reads a database with no athlete yet, matches nothing.

    The few statements that bypass the ORM (`_insert_many`, `_read_back`) read
    `scope_of(session)` themselves."""
    from sqlalchemy import event, false
    from sqlalchemy.orm import with_loader_criteria

    session.info[SCOPE] = athlete_id
    options = [with_loader_criteria(cls, false() if athlete_id is None
                                    else cls.athlete_id == athlete_id,  # type: ignore[attr-defined]
                                    include_aliases=True)
               for cls in SCOPED]

    @event.listens_for(session, "do_orm_execute")
    def _scoped(state: Any) -> None:
        if state.execution_options.get("unscoped"):  # `uids_elsewhere` alone
            return
        if state.is_select or state.is_update or state.is_delete:
            state.statement = state.statement.options(*options)

    @event.listens_for(session, "before_flush")
    def _stamped(flushing: Session, _context: Any, _instances: Any) -> None:
        for row in (*flushing.new, *flushing.dirty):
            if not isinstance(row, SCOPED):
                continue
            if row.athlete_id is None:  # type: ignore[attr-defined]
                if athlete_id is None:
                    raise RuntimeError("a write with no athlete to write for")
                row.athlete_id = athlete_id  # type: ignore[attr-defined]
            elif row.athlete_id != athlete_id:  # type: ignore[attr-defined]
                raise RuntimeError("a row of another athlete in this athlete's session")


def _refuse_unscoped(session: Session, _context: Any, _instances: Any) -> None:
    """No session writes an entry or a journal row before it is one athlete's (`scope`)."""
    if SCOPE not in session.info and any(isinstance(row, SCOPED)
                                         for row in (*session.new, *session.dirty)):
        raise RuntimeError("a write through a session not scoped to an athlete")


def _listen_once() -> None:
    from sqlalchemy import event

    if not event.contains(Session, "before_flush", _refuse_unscoped):
        event.listen(Session, "before_flush", _refuse_unscoped)


_listen_once()


def scope_of(session: Session) -> int | None:
    """The athlete `scope` made the session's."""
    if SCOPE not in session.info:
        raise RuntimeError("a session used before it was scoped to an athlete")
    return session.info[SCOPE]


def uids_elsewhere(session: Session, cls: type[SQLModel], uids: Collection[str]) -> set[str]:
    """Which of `uids` are stored in `cls`'s table for another athlete: deliberately
    unscoped, and saying no more than the uids given."""
    from sqlalchemy import or_, true

    theirs = scope_of(session)
    found: set[str] = set()
    wanted = sorted(uids)
    for first in range(0, len(wanted), 500):
        found |= set(session.exec(
            select(cls.uid).where(col(cls.uid).in_(wanted[first:first + 500]))
            .where(or_(col(cls.athlete_id).is_(None),  # type: ignore[attr-defined]
                       col(cls.athlete_id) != theirs) if theirs is not None else true())
            .execution_options(unscoped=True)))
    return found


# -- validation ---------------------------------------------------------------------------

def describe_validation_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = str(error["loc"][-1]) if error["loc"] else "value"
    value = error.get("input")
    shown = f" {units.quoted(str(value))}" if isinstance(value, str | int | float) else ""
    message = error["msg"][0].lower() + error["msg"][1:]
    return f"The {label(field)}{shown} is not accepted: {message}."


def validated(create_cls: type[SQLModel], data: dict[str, Any]) -> dict[str, Any]:
    """User input reaches a table only through its validating `XCreate` model."""
    for field, value in data.items():
        if isinstance(value, str):
            check_text(field, value)
    try:
        return create_cls.model_validate(data).model_dump()
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None


def _check_dates(session: Session, table_cls: type[SQLModel], values: dict[str, Any]) -> None:
    injury_id = values.get("injury_id") if table_cls in (Pain, Treatment) else None
    injury = session.get(Injury, injury_id) if injury_id is not None else None
    kind = next(k for k, (t, _) in ENTRY_KINDS.items() if t is table_cls)
    check_within_injury(kind, values, injury)


# -- journal ------------------------------------------------------------------------------

def _journal(session: Session) -> list[dict[str, Any]]:
    return session.info.setdefault("journal", [])


def _snapshot(row: SQLModel) -> dict[str, Any]:
    data = row.model_dump(mode="json", exclude={SCOPE})
    if data.get("time_known") is False and getattr(row, "at", None) is not None:
        data["at"] = clock.local(row.at).date().isoformat()  # a date stays a date
    return data


def _restored(cls: type[Row], before: dict[str, Any]) -> Row:
    """A journalled row as it was. The moment of an entry with no time of day is the date it
    was written with (an older journal wrote it with an offset): read as an instant, it would
    move to another day in another zone."""
    if before.get("time_known") is False and isinstance(before.get("at"), str):
        day = datetime.fromisoformat(before["at"]).date()
        before = before | {"at": clock.start_of_day(day)}
    return cls.model_validate(before)


def flush_journal(session: Session, *, command: str) -> None:
    changes = session.info.pop("journal", [])
    if changes:
        # The moment comes from the clock, like every other: `undo` names it.
        session.add(JournalEntry(command=command, changes=json.dumps(changes), at=clock.now()))


def add(session: Session, row: Row) -> Row:
    session.add(row)
    session.flush()
    _journal(session).append({"op": "insert", "table": row.__tablename__, "uid": row.uid})
    return row


def insert_all(session: Session, table: type[Row], rows: list[dict[str, Any]], *,
               read_back: bool = True) -> list[Any]:
    """`add` for many validated rows of one table in one INSERT (an import of a whole export,
    where building each row object costs more than storing it); returns the rows stored, in
    order, as plain rows (none without `read_back`). Their uids and creation times are given
    here, as the row's own defaults would."""
    if not rows:
        return []
    created_at = utc_now()
    # A uid is drawn only for a row that brings none (an export's entries bring theirs).
    athlete_id = scope_of(session)
    values = [{"uid": row.get("uid") or new_uid(), "created_at": created_at} | row
              | {SCOPE: athlete_id} for row in rows]
    for value in values:  # what the mapper's before_insert does for one row (models.py)
        if "at" in value:
            value["at"] = stored_moment(value["at"], value["time_known"])
    # One executemany, then the new rows read back: SQLAlchemy's INSERT ... RETURNING of
    # many rows in order ran one statement per row on SQLite, and merged their results in
    # quadratic time (60 s for ten years of entries). Ids grow in insertion order, and the
    # command's write lock keeps every other writer out meanwhile.
    last = session.exec(select(func.max(table.id))).one() or 0
    _insert_many(session, table, values)
    stored = _read_back(session, table.__tablename__, after=last) if read_back else []
    _journal(session).extend(
        {"op": "insert", "table": table.__tablename__, "uid": value["uid"]} for value in values)
    return stored


def _read_back(session: Session, table: str, *, after: int) -> list[Any]:
    """The rows of `table` after the id `after`, in order, as plain rows (`rows.LOADERS`):
    the same values as the models', without building four thousand mapped objects."""
    if not _on_sqlite(session):  # the driver's values are Python's already: the models'
        cls = TABLES[table]
        return list(session.exec(select(cls).where(col(cls.id) > after).order_by(col(cls.id))))
    names = ", ".join(name for name, _, _ in COLUMNS[table])
    load = LOADERS[table]
    return [load(values) for values in session.connection().exec_driver_sql(
        f"SELECT {names} FROM {table} WHERE {SCOPE} = ? AND id > ? ORDER BY id",
        (scope_of(session), after))]


def _on_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _insert_many(session: Session, table: type[SQLModel], values: list[dict[str, Any]]) -> None:
    """One executemany of `values` (rows of `table`, in order) in the session's transaction."""
    from sqlalchemy import insert

    name = table.__tablename__
    names = ("uid", "created_at", *(column for column, _, _ in COLUMNS[name][3:]), SCOPE)
    if _on_sqlite(session) and all(value.keys() == set(names) for value in values):
        # Every column given (as the models and `rows.checked` give them): the driver's own
        # executemany, with the values as SQLAlchemy binds them (`rows.writer`), skips
        # compiling parameters row by row (a third of an import of ten years).
        write = writer(name, names[:-1])
        session.connection().exec_driver_sql(
            f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [(*write(value), value[SCOPE]) for value in values])
    else:
        session.connection().execute(insert(table.__table__), values)  # Core: no per-row ORM


def add_entry(session: Session, *, kind: str, data: dict[str, Any]) -> SQLModel:
    table_cls, create_cls = ENTRY_KINDS[kind]
    values = validated(create_cls, data)
    _check_dates(session, table_cls, values)
    return add(session, table_cls(**values))


def update(session: Session, row: Row, *, changes: dict[str, Any]) -> Row:
    create_cls = next(c for t, c in ENTRY_KINDS.values() if isinstance(row, t))
    current = {name: getattr(row, name) for name in create_cls.model_fields}
    merged = validated(create_cls, current | changes)
    # Dates are checked when they change: a score edited on an old entry that is already
    # outside its injury's dates is not refused for them.
    if DATED & changes.keys():
        _check_dates(session, type(row), merged)
        if isinstance(row, Injury) and {"onset_on", "onset_at", "resolved_on"} & changes.keys():
            own = [("pain", p) for p in session.exec(select(Pain).where(Pain.injury_id == row.id))]
            own += [("treatment", t) for t in session.exec(
                select(Treatment).where(Treatment.injury_id == row.id))]
            # Its entries are checked against its onset only when the onset moves: resolved
            # in another zone, a timed onset's day may read a day later than a day-only entry
            # recorded on it, and resolving it moves nothing.
            moved = any(merged.get(name) != getattr(row, name)
                        for name in ("onset_on", "onset_at"))
            check_own_entries(merged, own, onset=moved)
    _journal(session).append(
        {"op": "update", "table": row.__tablename__, "uid": row.uid, "before": _snapshot(row)})
    for name, value in merged.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return row


def delete(session: Session, row: SQLModel) -> None:
    if isinstance(row, Injury):
        # Entries that point at the injury keep existing, unlinked; undo relinks them.
        for cls in (Treatment, Pain, LadderEvent):
            for linked in session.exec(select(cls).where(cls.injury_id == row.id)):
                update(session, linked, changes={"injury_id": None})
    _journal(session).append(
        {"op": "delete", "table": row.__tablename__, "uid": row.uid, "before": _snapshot(row)})
    session.delete(row)
    session.flush()


def last_journal_entry(session: Session) -> JournalEntry | None:
    return session.exec(select(JournalEntry).order_by(col(JournalEntry.id).desc())).first()


def copy_of(row: Row) -> Row:
    """A detached copy of a row as it is now, to show after the row has changed or gone."""
    copy = type(row).model_validate(_snapshot(row))
    if getattr(row, "time_known", True) is False:
        # The snapshot keeps a day as its date, read back as UTC midnight: west of UTC that
        # is the day before, shown as such ("when Mon 13 Jun → Tue 14 Jun" for no change).
        copy.at = row.at
    return copy


def undo(session: Session, entry: JournalEntry) -> list[tuple[str, str, SQLModel]]:
    """Reverse one journalled command, newest change first, and forget it.

    Returns what was reversed, once per entry: (the op undone, the entry's kind, the entry
    as restored, or as it was when undoing its insertion removed it)."""
    undone: dict[tuple[str, str], tuple[str, str, SQLModel]] = {}
    moved = _Moved()
    for change in reversed(json.loads(entry.changes)):
        cls = TABLES[change["table"]]
        uid = moved.uids.get(change["uid"], change["uid"])
        row = session.exec(select(cls).where(cls.uid == uid)).first()
        shown: SQLModel | None = None
        if change["op"] == "insert":
            if row is not None:
                shown = copy_of(row)
                session.delete(row)
        else:
            before = _restored(cls, moved.applied(change["before"]))
            if getattr(before, "injury_id", None) is not None and \
                    session.get(Injury, before.injury_id) is None:  # type: ignore[attr-defined]
                # The injury it named is gone, or its id is now another's (ids are the whole
                # database's, and a freed one is given again): unlinked, never another's.
                before.injury_id = None  # type: ignore[attr-defined]
            if row is None:
                shown = _bring_back(session, cls, before, moved)
            else:
                for name in cls.model_fields:
                    if name not in (SCOPE, "id"):  # found by uid: its id stays its own
                        setattr(row, name, getattr(before, name))
                session.add(row)
                shown = row
        session.flush()
        if shown is not None:
            # An entry changed twice by one command: the change reversed last (its first)
            # says what undo did to it, in the place of the change reversed first.
            undone[(change["table"], change["uid"])] = (change["op"], change["table"], shown)
    session.delete(entry)
    if moved.uids:
        # The athlete's earlier commands name the entry by its new uid from now on. (Not by
        # its new id: an earlier command's injury id may have meant another injury, given
        # that id before; a link found stale when undone is dropped, above.)
        for earlier in session.exec(select(JournalEntry)):
            changes = [change | {"uid": moved.uids.get(change["uid"], change["uid"])}
                       | ({"before": change["before"] | {"uid": moved.uids.get(
                           change["before"]["uid"], change["before"]["uid"])}}
                          if "before" in change else {})
                       for change in json.loads(earlier.changes)]
            earlier.changes = json.dumps(changes)
            session.add(earlier)
    return list(undone.values())


class _Moved:
    """The uids and injury ids that entries brought back by one `undo` were given anew."""

    def __init__(self) -> None:
        self.uids: dict[str, str] = {}
        self.injury_ids: dict[int, int] = {}

    def applied(self, before: dict[str, Any]) -> dict[str, Any]:
        """A row the undone command changed, as it was, naming what moved by its new uid
        and injury id (an injury deleted with its entries unlinked comes back with them)."""
        found = before.get("injury_id")
        return (before | {"uid": self.uids.get(before["uid"], before["uid"])}
                | ({"injury_id": self.injury_ids[found]} if found in self.injury_ids else {}))


def _bring_back(session: Session, cls: type[Row], before: Row, moved: _Moved) -> Row:
    """A deleted entry back, with its id and uid when they are free. Ids and uids are the
    whole database's: since the delete, another athlete's new entry may have been given the
    id, or an import the uid; the entry then gets a new one (`moved`), never another's."""
    def taken(column: Any, value: Any) -> bool:
        return session.exec(select(column).where(column == value)
                            .execution_options(unscoped=True)).first() is not None

    old_id, old_uid = before.id, before.uid  # type: ignore[attr-defined]
    if taken(cls.uid, old_uid):  # type: ignore[attr-defined]
        before.uid = moved.uids[old_uid] = new_uid()  # type: ignore[attr-defined]
    if old_id is not None and taken(cls.id, old_id):  # type: ignore[attr-defined]
        before.id = None  # type: ignore[attr-defined]
    session.add(before)
    session.flush()
    if cls is Injury and before.id != old_id:  # type: ignore[attr-defined]
        moved.injury_ids[old_id] = before.id  # type: ignore[attr-defined]
    return before


# -- lookups ------------------------------------------------------------------------------

def get_entry(session: Session, *, kind: str, entry_id: int) -> SQLModel:
    table_cls, _ = ENTRY_KINDS[kind]
    row = session.get(table_cls, entry_id) if 0 < entry_id <= MAX_ID else None
    if row is None:
        raise InputError(f"There is no {kind} with id {entry_id}; "
                         f"see the ids with 'runrecover list {LIST_WORDS[kind]}'.")
    return row


def injury_order(row: Injury) -> tuple[date, int]:
    """Where an injury stands among others in time: its onset (else the day it was added)."""
    return (row.onset_on or row.created_at.date(), row.id or 0)


def newest_entry(session: Session, *, kind: str) -> SQLModel | None:
    """The newest entry of `kind`: the latest moment (an injury: the latest onset), the last
    added among equals; the last line of `runrecover list`."""
    table_cls, _ = ENTRY_KINDS[kind]
    if table_cls is Injury:
        return max(all_rows(session, Injury), key=injury_order, default=None)
    latest = session.exec(select(table_cls).order_by(col(table_cls.at).desc())).first()
    if latest is None:
        return None
    # A day-only entry is stored at UTC midnight of its day: look that much around the last
    # stored moment and compare the moments as read back.
    near = session.exec(select(table_cls).where(
        col(table_cls.at) >= latest.at - 2 * DAY_ONLY_SLACK))
    return max(near, key=lambda row: (row.at.astimezone(UTC), row.id))


def get_entry_ref(session: Session, *, kind: str, ref: str) -> SQLModel:
    """An entry by its id (plain ASCII digits, as the runner read it: not `1_0`, `" 1"` or
    other scripts' digits), or `last` for the newest of its kind."""
    text = ref.lower()
    if text == "last":
        row = newest_entry(session, kind=kind)
        if row is None:
            raise InputError(f"There is no {kind} recorded yet, so no last one to change.")
        return row
    if not (text.isascii() and text.isdigit()):
        raise InputError(f"{units.quoted(ref)} is not an id: give the {kind}'s id (see "
                         f"'runrecover list {LIST_WORDS[kind]}') or 'last' for the newest.")
    return get_entry(session, kind=kind, entry_id=int(text))


def _get_named(session: Session, cls: type[Row], ref: str, what: str) -> Row:
    """An entry by id or by a unique, case-insensitive part of its name (see
    `rows.pick_named`)."""
    return pick_named(
        ref, what,
        by_id=lambda n: session.get(cls, n),
        named=lambda text: list(session.exec(select(cls).where(func.lower(cls.name) == text))),
        containing=lambda text: list(session.exec(
            select(cls).where(col(cls.name).icontains(text, autoescape=True)))))


def get_injury(session: Session, *, ref: str) -> Injury:
    return _get_named(session, Injury, ref, "injury")


def get_race(session: Session, *, ref: str) -> Race:
    return _get_named(session, Race, ref, "race")


def injury_for_entry(session: Session, *, ref: str | None) -> Injury | None:
    """The injury an entry is for: the one named, else the only open one, else none.

    With several open injuries and none named, guessing would file pain under the wrong
    injury, so the runner is asked to say which.
    """
    if ref is not None:
        return get_injury(session, ref=ref)
    return only_open_injury(list(session.exec(
        select(Injury).where(col(Injury.resolved_on).is_(None)).order_by(col(Injury.id))
        .limit(6))))


def list_injuries(session: Session, *, include_resolved: bool) -> list[Injury]:
    query = select(Injury).order_by(col(Injury.id))
    if not include_resolved:
        query = query.where(col(Injury.resolved_on).is_(None))
    return list(session.exec(query))


def list_races(session: Session) -> list[Race]:
    return list(session.exec(select(Race).order_by(col(Race.at))))


def between(session: Session, cls: type[Row], *, since: datetime | None,
            until: datetime | None) -> list[Row]:
    """Rows of a timed table with `at` in [since, until), oldest first (aware bounds)."""
    query = select(cls).order_by(col(cls.at), col(cls.id))
    if since is not None:
        query = query.where(col(cls.at) >= since - DAY_ONLY_SLACK)
    if until is not None:
        query = query.where(col(cls.at) < until + DAY_ONLY_SLACK)
    rows = [row for row in session.exec(query)
            if (since is None or row.at >= since) and (until is None or row.at < until)]
    return sorted(rows, key=lambda row: (row.at, row.id))


def all_rows(session: Session, cls: type[Row]) -> list[Row]:
    return list(session.exec(select(cls).order_by(col(cls.id))))


def stored_by_uid(session: Session, cls: type[Row], uids: Collection[str]) -> dict[str, Row]:
    """The rows of `cls` stored with one of `uids`, by uid: one query per 500 uids rather
    than one per entry (all of them, when the same export is imported again)."""
    stored = set(session.exec(select(cls.uid)))
    wanted = sorted(uid for uid in uids if uid in stored)
    found: dict[str, Row] = {}
    for first in range(0, len(wanted), 500):
        chunk = wanted[first:first + 500]
        found |= {row.uid: row for row in session.exec(select(cls).where(col(cls.uid).in_(chunk)))}
    return found


def stored_activities(session: Session, *, since: datetime, until: datetime,
                      timed_only: bool) -> list[Activity]:
    """The activities stored with `at` from `since` to `until` (both included, as stored),
    by moment (then id); with `timed_only`, those whose time of day is known."""
    timed = [col(Activity.time_known).is_(True)] if timed_only else []
    return list(session.exec(select(Activity).where(
        *timed, col(Activity.at) >= since, col(Activity.at) <= until)
        .order_by(col(Activity.at), col(Activity.id))))


def find_duplicate_activity(session: Session, *, at: datetime, distance_km: float | None,
                            exclude: Collection[int] = ()) -> Activity | None:
    """An activity already stored with the same start (±2 min) and distance (±3 %).

    Rows whose id is in `exclude` do not count (those an import has just added itself)."""
    window = timedelta(minutes=2)
    candidates = session.exec(select(Activity).where(
        col(Activity.at) >= at - window, col(Activity.at) <= at + window))
    for row in candidates:
        if row.id in exclude:
            continue
        if distance_km is None or row.distance_km is None:
            if distance_km == row.distance_km:
                return row
        elif abs(row.distance_km - distance_km) <= 0.03 * max(distance_km, row.distance_km):
            return row
    return None


def repeated_logs(session: Session, *, kind: str, at: datetime, distance_km: float | None,
                  duration_s: float | None) -> list[Activity]:
    """The activities a `log` would repeat (up-arrow, Enter), by id (`rows.repeats`)."""
    candidates = session.exec(select(Activity).where(
        col(Activity.kind) == kind, col(Activity.at) >= at - REPEAT_READ,
        col(Activity.at) <= at + REPEAT_READ).order_by(col(Activity.id)))
    return repeats(list(candidates), at=at, distance_km=distance_km, duration_s=duration_s)


# -- what the rules need ------------------------------------------------------------------

def nothing_recorded(session: Session) -> bool:
    """Whether no entry of any kind is stored."""
    return all(session.exec(select(cls.id).limit(1)).first() is None for cls in TABLES.values())


def longest_instructions(session: Session) -> tuple[int | None, float | None]:
    """The longest per-visit instructions ever given (--no-run-days, --rest-hours): how far
    back a question must read treatments depends on them as much as on the protocols."""
    days, hours = session.exec(
        select(func.max(Treatment.no_run_days), func.max(Treatment.rest_hours))).one()
    return days, hours


# -- timeline and the injury story --------------------------------------------------------

def injuries_for(session: Session, *, first_day: date, last_day: date,
                 ids: Iterable[int] = ()) -> list[Injury]:
    """Injuries that began or were resolved from `first_day` to `last_day`, and those `ids`
    name (the injuries that entries in a window point at), by id."""
    # A timed onset's day follows the zone: stored as the day it was in when written, it may
    # be a day off now; read a day wider, then kept by its day as read back.
    in_window = (col(Injury.onset_on).between(first_day - timedelta(days=1),
                                              last_day + timedelta(days=1))
                 | col(Injury.resolved_on).between(first_day, last_day))
    wanted = set(ids)
    if wanted:
        in_window = in_window | col(Injury.id).in_(wanted)
    return [row for row in session.exec(select(Injury).where(in_window).order_by(col(Injury.id)))
            if injury_in_days(row, first_day, last_day, wanted)]


def injuries_open(session: Session, *, since_day: date, ids: Iterable[int] = ()) -> list[Injury]:
    """Injuries not resolved before `since_day` (an open one however old), and those `ids`
    name, by id."""
    kept = col(Injury.resolved_on).is_(None) | (col(Injury.resolved_on) >= since_day)
    wanted = set(ids)
    if wanted:
        kept = kept | col(Injury.id).in_(wanted)
    return list(session.exec(select(Injury).where(kept).order_by(col(Injury.id))))


# -- the return-to-run ladder -------------------------------------------------------------

def ladder_entries(session: Session, *, until: datetime | None,
                   since: datetime | None = None) -> tuple[list[LadderEvent], list[Treatment]]:
    """What the ladder's position is worked out from besides runs and pain, with `at` in
    [since, until) (since None: from the first): the ladder events, and the treatments at
    which a clinician set a ladder (`treat --ladder/--rung`), oldest first. A ladder is a
    few weeks of a few entries."""
    events = between(session, LadderEvent, since=since, until=until)
    query = select(Treatment).where(col(Treatment.ladder).is_not(None)
                                    | col(Treatment.rung).is_not(None))
    if since is not None:
        query = query.where(col(Treatment.at) >= since - DAY_ONLY_SLACK)
    treatments = [t for t in session.exec(query)
                  if (since is None or t.at >= since) and (until is None or t.at < until)]
    return events, sorted(treatments, key=lambda t: (t.at, t.id))


def last_ladder_start(session: Session, *, until: datetime) -> datetime | None:
    """The moment of a ladder start that names its rung (an event's, or a visit's) surely
    at or before `until`: the last one stored at least `DAY_ONLY_SLACK` before it."""
    before = until - DAY_ONLY_SLACK
    found = [
        *session.exec(select(LadderEvent).where(
            col(LadderEvent.action) == "start", col(LadderEvent.rung).is_not(None),
            col(LadderEvent.at) <= before)
            .order_by(col(LadderEvent.at).desc(), col(LadderEvent.id).desc()).limit(1)),
        *session.exec(select(Treatment).where(
            col(Treatment.rung).is_not(None), col(Treatment.at) <= before)
            .order_by(col(Treatment.at).desc(), col(Treatment.id).desc()).limit(1))]
    return max((row.at for row in found), default=None)


def last_run_before(session: Session, *, until: datetime) -> Activity | None:
    """The last run before `until`: how long the runner has gone without running."""
    query = (select(Activity).where(col(Activity.kind) == "run",
                                    col(Activity.at) < until + DAY_ONLY_SLACK)
             .order_by(col(Activity.at).desc(), col(Activity.id).desc()).limit(3))
    return next((a for a in session.exec(query) if a.at < until), None)
