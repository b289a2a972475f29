"""The entries as plain rows: what the everyday commands read and write without importing
SQLAlchemy, SQLModel or pydantic (half a second of every start).

SQLModel (`models.py`) stays the one definition of the schema, and `migrations.py` of how
a file gets it: `COLUMNS` lists each table's columns in the models' field order, with the
Python type SQLite's value becomes and whether it may be empty, and `LIMITS` the models'
bounds; tests/test_fast_path.py proves both agree with the SQLModel metadata, so they
cannot drift. What is shared by both ways of storing (text checks, the day-only moment,
JSON of an entry) lives here, once.
"""

import functools
import operator
import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import msgspec

from runrecover import clock, units
from runrecover.errors import InputError
from runrecover.vocab import (
    TREATMENT_KIND,
    ActivityKind,
    LadderAction,
    PainContext,
    RunType,
    Side,
)

# How SQLAlchemy writes a DATETIME into SQLite (UTC, as SQLModel's UTCDateTime stores it).
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"

SCOPE = "athlete_id"
"""The column saying whose entry a row is: matched and set by the records' scope
(`records/sqlite.py`, `store.scope`), not one of an entry's fields (not in COLUMNS)."""

_STORED = (("id", int, False), ("uid", str, False), ("created_at", datetime, False),
           ("note", str, True))
COLUMNS: dict[str, tuple[tuple[str, type, bool], ...]] = {
    "injury": (*_STORED, ("name", str, False), ("part", str, True), ("side", Side, True),
               ("onset_on", date, True), ("onset_at", datetime, True),
               ("cause", str, True), ("diagnosis", str, True),
               ("resolved_on", date, True)),
    "treatment": (*_STORED, ("kind", str, False), ("at", datetime, False),
                  ("time_known", bool, False), ("injury_id", int, True),
                  ("clinician", str, True), ("no_run_days", int, True),
                  ("rest_hours", float, True), ("ladder", str, True), ("rung", int, True)),
    "pain": (*_STORED, ("score", int, False), ("at", datetime, False),
             ("time_known", bool, False), ("injury_id", int, True),
             ("context", PainContext, True)),
    "activity": (*_STORED, ("kind", ActivityKind, False), ("at", datetime, False),
                 ("time_known", bool, False), ("distance_km", float, True),
                 ("duration_s", float, True), ("moving_s", float, True),
                 ("run_type", RunType, True), ("rpe", int, True), ("pain_during", int, True),
                 ("pain_after", int, True), ("avg_hr", float, True), ("source", str, True),
                 ("source_id", str, True), ("rung", int, True)),
    "race": (*_STORED, ("name", str, False), ("at", datetime, False),
             ("time_known", bool, False), ("distance_km", float, True)),
    "ladder_event": (*_STORED, ("action", LadderAction, False), ("at", datetime, False),
                     ("time_known", bool, False), ("injury_id", int, True),
                     ("ladder", str, True), ("rung", int, True)),
}
"""(column, Python type, may be empty) of each entry table, in the models' field order."""

LIMITS: dict[tuple[str, str], dict[str, float]] = {
    **{(table, "note"): {"max_length": 10_000} for table in COLUMNS},
    ("pain", "score"): {"ge": 0, "le": 10},
    ("activity", "distance_km"): {"gt": 0, "le": 1000},
    ("activity", "duration_s"): {"gt": 0, "le": 7 * 86400},
    ("activity", "moving_s"): {"gt": 0, "le": 7 * 86400},
    ("activity", "rpe"): {"ge": 1, "le": 10},
    ("activity", "pain_during"): {"ge": 0, "le": 10},
    ("activity", "pain_after"): {"ge": 0, "le": 10},
    ("activity", "avg_hr"): {"gt": 0, "le": 300},
    ("activity", "source"): {"max_length": 40},
    ("activity", "source_id"): {"max_length": 200},
    ("activity", "rung"): {"ge": 1, "le": 100},
    ("injury", "name"): {"min_length": 1, "max_length": 200},
    ("injury", "part"): {"max_length": 100},
    ("injury", "cause"): {"max_length": 1000},
    ("injury", "diagnosis"): {"max_length": 1000},
    ("treatment", "kind"): {"min_length": 1, "max_length": 60},
    ("treatment", "clinician"): {"max_length": 200},
    ("treatment", "no_run_days"): {"ge": 0, "le": 365},
    ("treatment", "rest_hours"): {"ge": 0, "le": 24 * 365},
    ("treatment", "ladder"): {"max_length": 60},
    ("treatment", "rung"): {"ge": 1, "le": 100},
    ("race", "name"): {"min_length": 1, "max_length": 200},
    ("race", "distance_km"): {"gt": 0, "le": 1000},
    ("ladder_event", "ladder"): {"max_length": 60},
    ("ladder_event", "rung"): {"ge": 1, "le": 100},
}
"""The validating models' bounds on the fields of the tables the fast path writes (gt, ge,
le on numbers; min_length, max_length on text)."""

FAST_WRITES = ("injury", "treatment", "pain", "activity", "race", "ladder_event")
"""The tables whose new rows are checked here (`checked`) when plainly valid; the rest goes
through their pydantic model. (Every entry table: an import of an export checks them all.)"""

PATTERNS = {("treatment", "kind"): TREATMENT_KIND}
"""The models' own validators (a treatment's kind is one word), checked here alike."""


def _row_class(table: str) -> type:
    fields = [(name, kind | None if empty else kind) for name, kind, empty in COLUMNS[table]]
    return msgspec.defstruct(f"{table.title()}Row", fields)


ROW_CLASSES: dict[str, type] = {table: _row_class(table) for table in COLUMNS}
"""A plain row class per table, with the fields (and field order) of its SQLModel class."""


def new_uid() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


# -- moments ------------------------------------------------------------------------------

# A day-only entry is stored at UTC midnight of its day: up to 14 hours from its local
# midnight, the moment it stands for. Queries by moment look that much wider, then keep
# the rows whose moment, as read back, is in the window.
DAY_ONLY_SLACK = timedelta(hours=14)


def stored_moment(at: datetime, time_known: bool) -> datetime:
    """The instant stored for an entry: a calendar date (no time of day) is stored as UTC
    midnight of its day, so that it stays that day when the runner's zone changes."""
    return at if time_known else datetime.combine(clock.local(at).date(), time(), tzinfo=UTC)


def shown_moment(stored: datetime, time_known: bool) -> datetime:
    """The moment an entry stands for, from the instant stored: a calendar date is local
    midnight of its day, in whatever zone the runner is in now."""
    return stored if time_known else clock.start_of_day(stored.astimezone(UTC).date())


def onset_day(onset_on: date | None, onset_at: datetime | None) -> date | None:
    """An injury's onset day: with its time known, the local day of that instant (it follows
    the runner's zone, as any timed entry's day does); else the calendar date given, which
    stays that date in any zone."""
    return clock.local(onset_at).date() if onset_at is not None else onset_on


def injury_in_days(injury: Any, first_day: date, last_day: date, ids: Any = ()) -> bool:
    """Whether an injury began or was resolved from `first_day` to `last_day` (its onset's
    day as read back), or is one of `ids`."""
    return injury.id in ids or any(day is not None and first_day <= day <= last_day
                                   for day in (injury.onset_on, injury.resolved_on))


def onset_text(injury: Any, *, year: bool = True) -> str:
    """`Tue 14 Jun 2016 18:00` when the onset's time is known, else `Tue 14 Jun 2016`; empty
    with no onset."""
    if injury.onset_at is not None:
        return clock.format_at(injury.onset_at, year=year)
    return clock.format_day(injury.onset_on, year=year) if injury.onset_on is not None else ""


def sqlite_datetime(moment: datetime) -> str:
    """A moment as SQLAlchemy writes it into SQLite (`SQLITE_DATETIME` in UTC): ISO with a
    space and microseconds, without the offset (isoformat is three times quicker than
    strftime, for the twelve thousand moments of an import)."""
    return moment.astimezone(UTC).isoformat(" ", "microseconds")[:-6]


def read_datetime(text: str) -> datetime:
    """A DATETIME as SQLite holds it, aware in UTC (as SQLModel's UTCDateTime reads it)."""
    # SQLAlchemy writes no offset: parsing UTC's along is ten times quicker than
    # replace(tzinfo=UTC), and years of rows read tens of thousands of moments.
    try:
        return datetime.fromisoformat(text + "+00:00")
    except ValueError:  # a text with an offset of its own: its wall time, in UTC
        return datetime.fromisoformat(text).replace(tzinfo=UTC)


class _Members(dict[str, StrEnum]):
    """An enum's members by value; a value that is none of them is refused by the enum, in
    its own words."""

    def __init__(self, kind: type[StrEnum]) -> None:
        super().__init__((member.value, member) for member in kind)
        self.kind = kind

    def __missing__(self, value: str) -> StrEnum:
        return self.kind(value)


def _reader(kind: type) -> Any:
    """The function turning SQLite's value of a non-empty column into the Python value."""
    if kind is datetime:
        return read_datetime
    if kind is date:
        return date.fromisoformat
    if issubclass(kind, StrEnum):
        # As `kind(value)`, ten times quicker (a dict's lookup, in C).
        return _Members(kind).__getitem__
    if kind is bool:
        return kind
    return None  # int, float and str come out of SQLite as they are


def _make_loader(table: str) -> Any:
    cls = ROW_CLASSES[table]
    readers = [(i, _reader(kind)) for i, (_, kind, _) in enumerate(COLUMNS[table])]
    readers = [(i, read) for i, read in readers if read is not None]
    names = [name for name, _, _ in COLUMNS[table]]
    timed = "at" in names
    onset = "onset_at" in names

    def load(values: tuple[Any, ...]) -> Any:
        values = list(values)
        for i, read in readers:
            if values[i] is not None:
                values[i] = read(values[i])
        row = cls(*values)
        if timed and not row.time_known:
            row.at = shown_moment(row.at, False)
        if onset and row.onset_at is not None:
            row.onset_on = onset_day(row.onset_on, row.onset_at)
        return row

    return load


LOADERS = {table: _make_loader(table) for table in COLUMNS}
"""For each table, the function making a row from SQLite's values of `COLUMNS`, in order."""


def sqlite_value(value: Any) -> Any:
    """A Python value as SQLAlchemy would bind it into SQLite."""
    if isinstance(value, datetime):
        return sqlite_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.name  # SQLAlchemy's Enum stores the member's name
    return value


def _writer(kind: type) -> Any:
    """The function turning a non-empty value of a column of `kind` into SQLite's value, as
    `sqlite_value` does for any value."""
    if kind is datetime:
        return sqlite_datetime
    if kind is date:
        return date.isoformat
    if issubclass(kind, StrEnum):
        # `_name_` is what the `name` property reads, without the property's call.
        return lambda value: value._name_ if isinstance(value, StrEnum) else value
    return None


@functools.cache
def writer(table: str, names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The function turning a new row of `table` (a dict of `names`, as `rows.checked` or the
    model gives it) into SQLite's values of `names` in order: `sqlite_value` for each, with
    each column's conversion chosen once rather than value by value (and only the columns
    that need one converted: an import writes twelve thousand rows)."""
    kinds = {name: kind for name, kind, _ in (*COLUMNS[table], ("created_at", datetime, False))}
    converters = [(i, convert) for i, name in enumerate(names)
                  if (convert := _writer(kinds[name])) is not None]
    get = operator.itemgetter(*names)
    one = len(names) == 1

    def write(row: dict[str, Any]) -> tuple[Any, ...]:
        values = (get(row),) if one else get(row)
        if not converters:
            return values
        values = list(values)
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])
        return tuple(values)

    return write


def entry_fields(table: str) -> tuple[str, ...]:
    """The columns a new row of `table` is given (its model's `XCreate` fields): `note` on."""
    return _ENTRY_FIELDS[table]


_ENTRY_FIELDS = {table: tuple(name for name, _, _ in columns[len(_STORED) - 1:])
                 for table, columns in COLUMNS.items()}


def inserted(table: str, values: list[dict[str, Any]], *,
             created_at: datetime) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The columns, and SQLite's values of each new row, of an INSERT of `values` (validated
    rows of `table`, each with every column of `entry_fields` and maybe a `uid`), all made at
    `created_at`: as SQLAlchemy binds them, a uid drawn for a row that brings none, a moment
    with no time of day stored as its day (`stored_moment`)."""
    names = ("uid", "created_at", *_ENTRY_FIELDS[table])
    kinds = {name: kind for name, kind, _ in COLUMNS[table]}
    # Column by column, as `writer` converts each (twelve thousand rows for an import of
    # ten years): only the values that need converting are touched one by one.
    columns = []
    for name in _ENTRY_FIELDS[table]:
        column = list(map(operator.itemgetter(name), values))
        if name == "at":
            column = [None if at is None else sqlite_datetime(
                at if value["time_known"] else stored_moment(at, False))
                for at, value in zip(column, values, strict=True)]
        elif (convert := _writer(kinds[name])) is not None:
            column = [None if found is None else convert(found) for found in column]
        columns.append(column)
    uids = [value.get("uid") or new_uid() for value in values]
    created = [sqlite_datetime(created_at)] * len(values)
    return names, list(zip(uids, created, *columns, strict=True))


def as_read_back(values: dict[str, Any]) -> dict[str, Any]:
    """A new row's validated columns (`entry_fields`, and maybe its uid, left out) as they
    read back once stored (`LOADERS`): its moment in UTC, or the day shown for one with no
    time of day."""
    found = {name: value for name, value in values.items() if name != "uid"}
    if "at" in found:
        at = found["at"]
        found["at"] = (at.astimezone(UTC) if found["time_known"]
                       else shown_moment(stored_moment(at, False), False))
    return found


DATED = {"at", "time_known", "injury_id", "onset_on", "onset_at", "resolved_on"}
"""The fields whose change moves an entry against its injury's dates (or an injury's)."""


def _json_moment(value: datetime) -> str:
    """A moment as pydantic writes it in JSON: ISO, with `Z` for UTC."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") and not value.utcoffset() else text


def snapshot(row: Any) -> dict[str, Any]:
    """A stored row as the undo journal keeps it before a change: its model's JSON dump
    (`model_dump(mode="json")`, as `store` writes it), a moment with no time of day as
    that date."""
    data: dict[str, Any] = {}
    for name in field_names(type(row)):
        value = getattr(row, name)
        if isinstance(value, datetime):
            value = _json_moment(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, StrEnum):
            value = value.value
        data[name] = value
    if data.get("time_known") is False and getattr(row, "at", None) is not None:
        data["at"] = clock.local(row.at).date().isoformat()  # a date stays a date
    return data


# -- checking input -------------------------------------------------------------------------

# How fields are named in messages, where the attribute name would not say it.
FIELD_LABELS = {"score": "pain score", "rpe": "effort (RPE)", "pain_during": "pain",
                "pain_after": "pain after", "distance_km": "distance (km)",
                "duration_s": "duration (s)", "moving_s": "moving time (s)",
                "avg_hr": "average heart rate", "no_run_days": "number of days without running",
                "rest_hours": "number of rest hours", "kind": "kind"}

# Free text that may run over several lines; every other text field is one line.
MULTILINE_FIELDS = {"note", "cause", "diagnosis"}

# Text that names an entry: blank (spaces, a no-break space, invisible format
# characters) it would name nothing a person could see or type back.
NAMING_FIELDS = {"name", "kind"}


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))


def is_blank(value: str) -> bool:
    """Only spaces, separators, control and format characters (a zero-width space):
    nothing shows. Unassigned and private-use characters may show, and count as text."""
    return all(c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc", "Cf")
               for c in value)


# Unicode's control characters (category Cc) are exactly these two ranges; notes may hold
# tabs and line breaks. One regular expression scans a text in C, rather than asking
# `unicodedata` character by character (an import of ten years checks 12,000 texts).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_NOTE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_text(field: str, value: str) -> None:
    """Refuse control characters (escape sequences, NUL...): tabs and line breaks only in
    notes; and blank names."""
    if value.isascii() and value.isprintable() and (field not in NAMING_FIELDS
                                                    or value.strip(" ")):
        return  # (printable ASCII holds no control character, and is blank only as spaces)
    if field in NAMING_FIELDS and is_blank(value):
        raise InputError(f"The {label(field)} {units.quoted(value)} is blank; give one with at "
                         "least one visible character.")
    found = (_CONTROL_IN_NOTE if field in MULTILINE_FIELDS else _CONTROL).search(value)
    if found is not None:
        bad = found.group()
        raise InputError(f"The {label(field)} {units.quoted(value)} is not accepted: it holds "
                         f"the control character {bad!r}.")


def checked(table: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """Every column of a new row of `table` (one of FAST_WRITES) from `data`, when each value
    is plainly valid: of its column's type, within its model's bounds; None when one is not
    (or a required one is missing), for the model to coerce it or to say what is wrong in
    its own words. Text is checked first, as `store.validated` does."""
    for field, value in data.items():
        # `check_text`'s own first test, asked here: a plain text of twelve thousand an
        # import checks is then no call at all.
        if isinstance(value, str) and not (value.isascii() and value.isprintable() and (
                field not in NAMING_FIELDS or value.strip(" "))):
            check_text(field, value)
    row: dict[str, Any] = {}
    for name, kind, empty, members, bounds, pattern in _checks(table):
        value = data.get(name)
        if value is None:
            if not empty:
                return None
            row[name] = None
            continue
        if members is not None:
            value = members.get(value) if isinstance(value, str) else None
            if value is None:
                return None
        elif type(value) is kind:
            if kind is str and not value.isascii() and not _is_text(value):
                return None  # (bytes of argv that were not UTF-8 are not text)
        elif kind is float and type(value) is int:
            if not -_FLOAT_INT <= value <= _FLOAT_INT:
                return None  # (a float cannot hold it: the model says so)
            value = float(value)
        elif kind is date and type(value) is str:
            if _ISO_DAY.fullmatch(value) is None:
                return None
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return None
        else:
            return None
        if bounds is not None:
            low, strict, high = bounds
            measure = len(value) if kind is str else value
            # Written so that NaN is outside every bound, as for the model.
            if not ((high is None or measure <= high)
                    and (low is None or (measure > low if strict else measure >= low))):
                return None
        if pattern is not None and pattern.match(value) is None:
            return None
        row[name] = value
    if data.keys() > row.keys():
        return None
    if table == "injury" and row["onset_at"] is not None:
        # As the model's validator: a timed onset's day is the local day of its instant,
        # whatever day the input said (or none); a wall time with no offset is the model's.
        if row["onset_at"].utcoffset() is None:
            return None
        row["onset_on"] = onset_day(row["onset_on"], row["onset_at"])
    return row


_ISO_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")  # a day as JSON gives it: the model reads it
_FLOAT_INT = 2**1023


def _bounds(table: str, name: str) -> tuple[float | None, bool, float | None] | None:
    """A column's bounds as (lowest, whether the lowest is excluded, highest): of its value,
    or of its length for text; None when it has none."""
    limits = LIMITS.get((table, name), {})
    if not limits:
        return None
    low = limits.get("gt", limits.get("ge", limits.get("min_length")))
    return low, "gt" in limits, limits.get("le", limits.get("max_length"))


@functools.cache
def _checks(table: str) -> tuple[tuple[str, type, bool, Any, Any, Any], ...]:
    """What `checked` asks of each column of `table` from note onwards, worked out once:
    (name, type, may be empty, the enum's members by value or None, the model's bounds
    (`_bounds`), its pattern)."""
    return tuple(
        (name, kind, empty,
         {member.value: member for member in kind} if issubclass(kind, StrEnum) else None,
         _bounds(table, name), PATTERNS.get((table, name)))
        for name, kind, empty in COLUMNS[table][len(_STORED) - 1:])


# -- naming entries ------------------------------------------------------------------------

MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id cannot even be looked up


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def pick_named(ref: str, what: str, *, by_id: Callable[[int], Any],
               named: Callable[[str], list[Any]], containing: Callable[[str], list[Any]]) -> Any:
    """An entry by id (plain ASCII digits) or by a unique, case-insensitive part of its
    name, taken literally: `%` and `_` match only names that hold them. The storage gives
    the lookups: `by_id` (or None), `named` (lower(name) equal to the text, as SQLite
    lowers it), `containing` (name holding the text, case-insensitively, as SQLite's LIKE)."""
    if is_blank(ref):
        raise InputError(f"The {what} reference {units.quoted(ref)} is blank; give its id or "
                         f"part of its name (see 'runrecover {what} list').")
    if ref.isascii() and ref.isdigit():
        row = by_id(int(ref)) if 0 < int(ref) <= MAX_ID else None
        if row is not None:
            return row
        # A number is an id: "3" must not pick "Trail 35K" because no race 3 exists. Only a
        # name that is that number itself still names its entry.
        exactly = named(ref)
        if len(exactly) == 1:
            return exactly[0]
        raise InputError(f"There is no {what} with id {ref} (see 'runrecover {what} list').")
    # A reference that is not text (bytes that were not UTF-8, in argv) names nothing, nor
    # one holding a control character, which no name may hold (and PostgreSQL refuses NUL).
    matches = containing(ref) if _is_text(ref) and not _CONTROL.search(ref) else []
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


def only_open_injury(open_injuries: list[Any]) -> Any:
    """The injury an entry is for when none is named: the only open one, else none (given
    the first six open ones, by id). With several, guessing would file pain under the wrong
    injury, so the runner is asked to say which."""
    if len(open_injuries) > 1:
        names = ", ".join(f"{i.id} {i.name!r}" for i in open_injuries[:5])
        raise InputError(f"You have several open injuries ({names}); say which with --injury.")
    return open_injuries[0] if open_injuries else None


def check_within_injury(kind: str, values: dict[str, Any], injury: Any | None) -> None:
    """An injury is resolved on or after its onset; its pain falls between the two, and its
    treatments from its onset on (a follow-up visit may come after it was resolved). Both
    ways of storing call this before writing `values` of `kind`, `injury` being the row
    its `injury_id` names."""
    if kind == "injury":
        onset, resolved = values.get("onset_on"), values.get("resolved_on")
        if onset is not None and resolved is not None and resolved < onset:
            raise InputError(f"{values['name']} cannot be resolved on "
                             f"{clock.format_day(resolved)}, before it began "
                             f"({clock.format_day(onset)}): give a day from its onset on.")
        return
    if kind not in ("pain", "treatment") or injury is None:
        return
    day = clock.local(values["at"]).date()
    what = "pain" if kind == "pain" else "a treatment"
    if _before_onset(values["at"], values["time_known"], day, injury.onset_on,
                     injury.onset_at):
        # By the time when both are known (pain at 17:00 before an 18:00 onset), else by day.
        timed = values["time_known"] and injury.onset_at is not None
        given = clock.format_at(values["at"], timed)
        since = _since_text(values["at"]) if timed else day.isoformat()
        raise InputError(f"{given} is before {injury.name} began "
                         f"({onset_text(injury)}): give {what} a moment from "
                         f"then on, another --injury{_OR_NONE if kind == 'pain' else ''}, or "
                         "move the onset with 'runrecover edit "
                         f"injury {injury.id} --since {since}'.")
    if kind == "pain" and injury.resolved_on is not None and day > injury.resolved_on:
        raise InputError(f"{clock.format_day(day)} is after {injury.name} was resolved "
                         f"({clock.format_day(injury.resolved_on)}): give pain a moment up "
                         f"to then, another --injury{_OR_NONE}, or move the day it was "
                         "resolved with "
                         f"'runrecover edit injury {injury.id} --resolved {day.isoformat()}'.")


_OR_NONE = " (or --injury none)"  # a pain score can be for no injury; a treatment cannot


def _before_onset(at: datetime, time_known: bool, day: date, onset_on: date | None,
                  onset_at: datetime | None) -> bool:
    """Whether an entry at `at` (its local `day`) comes before an injury's onset: by the
    instant when both times are known, else by the day (a pain score with no time on the
    onset's day, or at 17:00 on the day of an onset with no time, is within it)."""
    if time_known and onset_at is not None:
        return at < onset_at
    return onset_on is not None and day < onset_on


def _since_text(at: datetime) -> str:
    """A moment as `edit injury --since` reads it back, to the minute (never after it)."""
    return f"{clock.local(at):%Y-%m-%dT%H:%M}"


def check_own_entries(values: dict[str, Any], own: list[tuple[str, Any]], *,
                      onset: bool = True) -> None:
    """An injury's new onset or resolved day (`values`) must leave its own pain scores and
    treatments (`own`: (kind, row) of each, in any order) within its dates, as
    `check_within_injury` asks of each new one; else the first left outside is named.
    Without `onset` (the onset did not move) only the resolved day is checked."""
    onset_on, resolved = values.get("onset_on"), values.get("resolved_on")
    onset_at = values.get("onset_at")
    dated = sorted(((clock.local(row.at).date(), kind, row) for kind, row in own),
                   key=lambda found: (found[0], found[2].at, found[1], found[2].id))

    def named(kind: str, row: Any, day: date, timed: bool = False) -> str:
        said = f"{row.score}/10" if kind == "pain" else row.kind
        when = clock.format_at(row.at) if timed else clock.format_day(day)
        return f"{kind} {row.id} ({said} on {when})"

    before = [(day, kind, row) for day, kind, row in dated
              if _before_onset(row.at, row.time_known, day, onset_on, onset_at)] if onset else []
    if before:
        day, kind, row = before[0]
        timed = row.time_known and onset_at is not None
        began = (clock.format_at(onset_at) if onset_at is not None
                 else clock.format_day(onset_on))
        latest = clock.format_at(row.at, timed)
        raise InputError(f"{values['name']} cannot begin on {began}: its "
                         f"{named(kind, row, day, timed)} would come before; give an onset "
                         f"{'at' if timed else 'on'} or before {latest}, or first move that "
                         f"entry with 'runrecover edit {kind} {row.id} --on WHEN'.")
    after = [(day, row) for day, kind, row in dated
             if kind == "pain" and resolved is not None and day > resolved]
    if after:
        (day, row), last = after[0], after[-1][0]
        raise InputError(f"{values['name']} cannot be resolved on {clock.format_day(resolved)}: "
                         f"its {named('pain', row, day)} would come after; give a day on or "
                         f"after {clock.format_day(last)}, or first move that pain with "
                         f"'runrecover edit pain {row.id} --on WHEN'.")


# -- JSON -----------------------------------------------------------------------------------

@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    """A row class's fields in the models' order, for a SQLModel row or a plain one."""
    fields = getattr(cls, "model_fields", None)
    if fields is not None:  # whose entry it is is the scope's, never the entry's (SCOPE)
        return tuple(name for name in fields if name != SCOPE)
    return cls.__struct_fields__


PLAIN_JSON = (str, int, float, bool, type(None))


def entry_json(row: Any) -> dict[str, Any]:
    """An entry with local ISO moments (and `time_known`), dates as YYYY-MM-DD (a moment
    whose time of day is not known too), kilometres; without its creation time."""
    zone = clock.local_zone()
    data: dict[str, Any] = {}
    # In the models' field order, so that two exports of the same data read the same.
    for name in field_names(type(row)):
        if name == "created_at":
            continue
        value = getattr(row, name)
        if type(value) in PLAIN_JSON:
            pass
        elif isinstance(value, datetime) and name == "at" and not getattr(row, "time_known",
                                                                          True):
            value = clock.local(value, zone).date().isoformat()  # a calendar date, in any zone
        elif isinstance(value, datetime):
            value = clock.iso(value, zone)
        elif isinstance(value, date):
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = value.value
        data[name] = value
    return data


# -- the same log twice (up-arrow, Enter) ---------------------------------------------------

REPEAT_WINDOW = timedelta(minutes=10)
REPEAT_SHARE = 0.02
REPEAT_READ = REPEAT_WINDOW + DAY_ONLY_SLACK
"""How far either side of a new log stored activities are read: widened for day-only rows,
which are then judged by their moment as read back."""


def within_share(stored: float | None, given: float | None) -> bool:
    """Whether two measures of a repeated log agree (both missing, or within 2 %)."""
    if stored is None or given is None:
        return stored == given
    return abs(stored - given) <= REPEAT_SHARE * max(stored, given)


def repeats(candidates: list[Any], *, at: datetime, distance_km: float | None,
            duration_s: float | None) -> list[Any]:
    """Those of `candidates` (of the same kind, read about `at`) that a new log would repeat:
    within 10 minutes, the distance within 2 % (or, with no distance on either, the
    duration)."""
    return [row for row in candidates if abs(row.at - at) <= REPEAT_WINDOW and (
        within_share(row.distance_km, distance_km)
        if distance_km is not None or row.distance_km is not None
        else within_share(row.duration_s, duration_s))]
