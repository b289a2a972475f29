"""Reading and writing entries over a Session; every write is journalled for `undo`.

Functions take the session first and the rest by keyword. `get_*` raises InputError when
nothing matches; `find_*` may return None.
"""

import json
import unicodedata
from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError
from sqlmodel import Session, SQLModel, col, select

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
)

if TYPE_CHECKING:
    from runrecover.rules import History, TreatmentFact

Row = TypeVar("Row", bound=SQLModel)
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
    return row.model_dump(mode="json")


def flush_journal(session: Session, *, command: str) -> None:
    changes = session.info.pop("journal", [])
    if changes:
        session.add(JournalEntry(command=command, changes=json.dumps(changes)))


def add(session: Session, row: Row) -> Row:
    session.add(row)
    session.flush()
    _journal(session).append({"op": "insert", "table": row.__tablename__, "uid": row.uid})
    return row


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


def undo(session: Session, entry: JournalEntry) -> None:
    """Reverse one journalled command, newest change first, and forget it."""
    for change in reversed(json.loads(entry.changes)):
        cls = TABLES[change["table"]]
        row = session.exec(select(cls).where(cls.uid == change["uid"])).first()
        if change["op"] == "insert":
            if row is not None:
                session.delete(row)
        else:
            before = cls.model_validate(change["before"])
            if row is None:
                session.add(before)
            else:
                for name in cls.model_fields:
                    setattr(row, name, getattr(before, name))
                session.add(row)
        session.flush()
    session.delete(entry)


# -- lookups ------------------------------------------------------------------------------

def get_entry(session: Session, *, kind: str, entry_id: int) -> SQLModel:
    table_cls, _ = ENTRY_KINDS[kind]
    row = session.get(table_cls, entry_id) if 0 < entry_id <= MAX_ID else None
    if row is None:
        raise InputError(f"There is no {kind} with id {entry_id}; "
                         f"see the ids with 'runrecover export' or the list commands.")
    return row


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
    if ref.isascii() and ref.isdigit() and 0 < int(ref) <= MAX_ID:
        row = session.get(cls, int(ref))
        if row is not None:
            return row
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


# -- history for the rules ----------------------------------------------------------------

TREATMENT_LOOKBACK_DAYS = 400  # longer than any protocol phase or course gap
RECENT_LOOKBACK_DAYS = 90  # pain and activity advice look at most this far back
RACE_LOOKAHEAD_DAYS = 400


def treatments_in_force(session: Session, *, since: datetime,
                        until: datetime) -> list["TreatmentFact"]:
    """Treatments whose restrictions may reach into [since, until], a day's margin after it
    (an activity with no time of day is checked at noon)."""
    from runrecover.rules import TreatmentFact

    return [TreatmentFact.from_row(t) for t in between(
        session, Treatment, since=since - timedelta(days=TREATMENT_LOOKBACK_DAYS),
        until=until + timedelta(days=1))]


def with_race(session: Session, history: "History", race: Race) -> "History":
    """`history` with `race` in it, and every treatment up to its day, however far ahead."""
    from dataclasses import replace

    from runrecover.rules import RaceFact, TreatmentFact

    known = {t.id for t in history.treatments}
    later = [TreatmentFact.from_row(t) for t in between(
        session, Treatment, since=race.at - timedelta(days=TREATMENT_LOOKBACK_DAYS),
        until=race.at + timedelta(days=2)) if t.id not in known]
    races = history.races if any(r.id == race.id for r in history.races) \
        else (*history.races, RaceFact.from_row(race))
    return replace(history, treatments=(*history.treatments, *later), races=races)


def load_history(session: Session, *, around: datetime) -> "History":
    """The slice of the record the rules need for an answer about `around`.

    Bounded windows keep the cost tied to what is shown, not to years of history.
    """
    from runrecover.rules import (
        ActivityFact,
        History,
        InjuryFact,
        PainFact,
        RaceFact,
        TreatmentFact,
    )

    def window(cls, back_days: int, ahead_days: int):
        return between(session, cls, since=around - timedelta(days=back_days),
                       until=around + timedelta(days=ahead_days))

    local = clock.local
    return History(
        treatments=tuple(
            TreatmentFact.from_row(t)
            for t in window(Treatment, TREATMENT_LOOKBACK_DAYS, RACE_LOOKAHEAD_DAYS)),
        pain=tuple(
            PainFact(id=p.id, score=p.score, at=local(p.at), time_known=p.time_known,
                     context=p.context, injury_id=p.injury_id)
            for p in window(Pain, RECENT_LOOKBACK_DAYS, RACE_LOOKAHEAD_DAYS)),
        activities=tuple(
            ActivityFact.from_row(a)
            for a in window(Activity, RECENT_LOOKBACK_DAYS, RACE_LOOKAHEAD_DAYS)),
        races=tuple(RaceFact.from_row(r) for r in window(Race, RECENT_LOOKBACK_DAYS,
                                                 RACE_LOOKAHEAD_DAYS)),
        injuries=tuple(
            InjuryFact(id=i.id, name=i.name, onset=i.onset_on, resolved_on=i.resolved_on)
            for i in all_rows(session, Injury)),
    )


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
