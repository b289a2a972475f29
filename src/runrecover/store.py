"""Reading and writing entries over a Session; every write is journalled for `undo`.

Functions take the session first and the rest by keyword. `get_*` raises InputError when
nothing matches; `find_*` may return None.
"""

import json
import unicodedata
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
    Pain,
    Race,
    Treatment,
    new_uid,
    utc_now,
)

Row = TypeVar("Row", bound=SQLModel)
# The word `runrecover list` takes for each entry kind.
LIST_WORDS = {"injury": "injuries", "treatment": "treatments", "pain": "pain",
              "activity": "runs", "race": "races"}
TABLES: dict[str, type[SQLModel]] = {cls.__tablename__: cls for cls, _ in ENTRY_KINDS.values()}


# -- validation ---------------------------------------------------------------------------

# How fields are named in messages, where the attribute name would not say it.
FIELD_LABELS = {"score": "pain score", "rpe": "effort (RPE)", "pain_during": "pain",
                "pain_after": "pain after", "distance_km": "distance (km)",
                "duration_s": "duration (s)", "moving_s": "moving time (s)",
                "avg_hr": "average heart rate", "no_run_days": "number of days without running",
                "rest_hours": "number of rest hours", "kind": "kind"}


def describe_validation_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = str(error["loc"][-1]) if error["loc"] else "value"
    label = FIELD_LABELS.get(field, field.replace("_", " "))
    value = error.get("input")
    shown = f" {units.quoted(str(value))}" if isinstance(value, str | int | float) else ""
    message = error["msg"][0].lower() + error["msg"][1:]
    return f"The {label}{shown} is not accepted: {message}."


# Free text that may run over several lines; every other text field is one line.
MULTILINE_FIELDS = {"note", "cause", "diagnosis"}
MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id cannot even be looked up


# Text that names an entry: blank (spaces, a no-break space, invisible format
# characters) it would name nothing a person could see or type back.
NAMING_FIELDS = {"name", "kind"}


def is_blank(value: str) -> bool:
    """Only spaces, separators, control and format characters (a zero-width space):
    nothing shows. Unassigned and private-use characters may show, and count as text."""
    return all(c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc", "Cf")
               for c in value)


def _check_text(field: str, value: str) -> None:
    """Refuse control characters (escape sequences, NUL...): tabs and line breaks only in
    notes; and blank names."""
    if field in NAMING_FIELDS and is_blank(value):
        label = FIELD_LABELS.get(field, field.replace("_", " "))
        raise InputError(f"The {label} {units.quoted(value)} is blank; give one with at "
                         "least one visible character.")
    allowed = "\t\n\r" if field in MULTILINE_FIELDS else ""
    bad = next((c for c in value if unicodedata.category(c) == "Cc" and c not in allowed), None)
    if bad is not None:
        label = FIELD_LABELS.get(field, field.replace("_", " "))
        raise InputError(f"The {label} {units.quoted(value)} is not accepted: it holds the "
                         f"control character {bad!r}.")


def validated(create_cls: type[SQLModel], data: dict[str, Any]) -> dict[str, Any]:
    """User input reaches a table only through its validating `XCreate` model."""
    for field, value in data.items():
        if isinstance(value, str):
            _check_text(field, value)
    try:
        return create_cls.model_validate(data).model_dump()
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None


# -- journal ------------------------------------------------------------------------------

def _journal(session: Session) -> list[dict[str, Any]]:
    return session.info.setdefault("journal", [])


def _snapshot(row: SQLModel) -> dict[str, Any]:
    data = row.model_dump(mode="json")
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


def insert_all(session: Session, table: type[Row], rows: list[dict[str, Any]]) -> list[Row]:
    """`add` for many validated rows of one table in one INSERT (an import of a whole export,
    where building each row object costs more than storing it); returns the rows stored, in
    order. Their uids and creation times are given here, as the row's own defaults would."""
    from sqlalchemy import insert

    if not rows:
        return []
    created_at = utc_now()
    values = [{"uid": new_uid(), "created_at": created_at} | row for row in rows]
    stored = list(session.scalars(
        insert(table).returning(table, sort_by_parameter_order=True), values))
    _journal(session).extend(
        {"op": "insert", "table": table.__tablename__, "uid": value["uid"]} for value in values)
    return stored


def add_entry(session: Session, *, kind: str, data: dict[str, Any]) -> SQLModel:
    table_cls, create_cls = ENTRY_KINDS[kind]
    return add(session, table_cls(**validated(create_cls, data)))


def update(session: Session, row: Row, *, changes: dict[str, Any]) -> Row:
    create_cls = next(c for t, c in ENTRY_KINDS.values() if isinstance(row, t))
    current = {name: getattr(row, name) for name in create_cls.model_fields}
    merged = validated(create_cls, current | changes)
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
        for cls in (Treatment, Pain):
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
    return type(row).model_validate(_snapshot(row))


def undo(session: Session, entry: JournalEntry) -> list[tuple[str, str, SQLModel]]:
    """Reverse one journalled command, newest change first, and forget it.

    Returns what was reversed, once per entry: (the op undone, the entry's kind, the entry
    as restored, or as it was when undoing its insertion removed it)."""
    undone: dict[tuple[str, str], tuple[str, str, SQLModel]] = {}
    for change in reversed(json.loads(entry.changes)):
        cls = TABLES[change["table"]]
        row = session.exec(select(cls).where(cls.uid == change["uid"])).first()
        shown: SQLModel | None = None
        if change["op"] == "insert":
            if row is not None:
                shown = copy_of(row)
                session.delete(row)
        else:
            before = _restored(cls, change["before"])
            if row is None:
                session.add(before)
                shown = before
            else:
                for name in cls.model_fields:
                    setattr(row, name, getattr(before, name))
                session.add(row)
                shown = row
        session.flush()
        if shown is not None:
            # An entry changed twice by one command: the change reversed last (its first)
            # says what undo did to it, in the place of the change reversed first.
            undone[(change["table"], change["uid"])] = (change["op"], change["table"], shown)
    session.delete(entry)
    return list(undone.values())


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


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _get_named(session: Session, cls: type[Row], ref: str, what: str) -> Row:
    """An entry by id (plain ASCII digits) or by a unique, case-insensitive part of its
    name, taken literally: `%` and `_` match only names that hold them."""
    if is_blank(ref):
        raise InputError(f"The {what} reference {units.quoted(ref)} is blank; give its id or "
                         f"part of its name (see 'runrecover {what} list').")
    if ref.isascii() and ref.isdigit():
        row = session.get(cls, int(ref)) if 0 < int(ref) <= MAX_ID else None
        if row is not None:
            return row
        # A number is an id: "3" must not pick "Trail 35K" because no race 3 exists. Only a
        # name that is that number itself still names its entry.
        named = list(session.exec(select(cls).where(func.lower(cls.name) == ref)))
        if len(named) == 1:
            return named[0]
        raise InputError(f"There is no {what} with id {ref} (see 'runrecover {what} list').")
    # A reference that is not text (bytes that were not UTF-8, in argv) names nothing.
    matches = list(session.exec(select(cls).where(col(cls.name).icontains(ref, autoescape=True)))
                   ) if _is_text(ref) else []
    if len(matches) == 1:
        return matches[0]
    exact = [m for m in matches if m.name.lower() == ref.lower()]
    if len(exact) == 1:
        return exact[0]
    if not matches:
        raise InputError(f"No {what} matches {ref!r}; give its id or part of its name "
                         f"(see 'runrecover {what} list').")
    names = ", ".join(f"{m.id} {m.name!r}" for m in matches[:5])
    raise InputError(f"{ref!r} matches several {what} entries ({names}); give the id.")


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
    active = list(session.exec(select(Injury).where(col(Injury.resolved_on).is_(None))
                               .order_by(col(Injury.id)).limit(6)))
    if len(active) > 1:
        names = ", ".join(f"{i.id} {i.name!r}" for i in active[:5])
        raise InputError(f"You have several open injuries ({names}); say which with --injury.")
    return active[0] if active else None


def list_injuries(session: Session, *, include_resolved: bool) -> list[Injury]:
    query = select(Injury).order_by(col(Injury.id))
    if not include_resolved:
        query = query.where(col(Injury.resolved_on).is_(None))
    return list(session.exec(query))


def list_races(session: Session) -> list[Race]:
    return list(session.exec(select(Race).order_by(col(Race.at))))


# A day-only entry is stored at UTC midnight of its day: up to 14 hours from its local
# midnight, the moment it stands for. Queries by moment look that much wider, then keep
# the rows whose moment, as read back, is in the window.
DAY_ONLY_SLACK = timedelta(hours=14)


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


REPEAT_WINDOW = timedelta(minutes=10)
REPEAT_SHARE = 0.02


def repeated_logs(session: Session, *, kind: str, at: datetime, distance_km: float | None,
                  duration_s: int | None) -> list[Activity]:
    """The activities a `log` would repeat (up-arrow, Enter), by id: the same kind within 10
    minutes of `at`, the distance within 2 % (or, with no distance on either, the duration)."""
    window = REPEAT_WINDOW + DAY_ONLY_SLACK  # widened for day-only rows, then kept as read back
    rows = session.exec(select(Activity).where(
        col(Activity.kind) == kind, col(Activity.at) >= at - window,
        col(Activity.at) <= at + window).order_by(col(Activity.id)))
    return [row for row in rows if abs(row.at - at) <= REPEAT_WINDOW and (
        within_share(row.distance_km, distance_km)
        if distance_km is not None or row.distance_km is not None
        else within_share(row.duration_s, duration_s))]


def within_share(stored: float | None, given: float | None) -> bool:
    """Whether two measures of a repeated log agree (both missing, or within 2 %)."""
    if stored is None or given is None:
        return stored == given
    return abs(stored - given) <= REPEAT_SHARE * max(stored, given)


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
    in_window = (col(Injury.onset_on).between(first_day, last_day)
                 | col(Injury.resolved_on).between(first_day, last_day))
    wanted = set(ids)
    if wanted:
        in_window = in_window | col(Injury.id).in_(wanted)
    return list(session.exec(select(Injury).where(in_window).order_by(col(Injury.id))))
