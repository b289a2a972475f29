"""Export of the record: runrecover's versioned JSON (for import), and a zip of one CSV per
entry kind (for spreadsheets, with cells that would be read as formulas neutralised)."""

import csv
import functools
import io
import json
import operator
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import Annotated, Any

import msgspec

from runrecover import clock, rows, units
from runrecover.exchange.records import FORMAT_NAME, FORMAT_VERSION, SECTIONS, Selection
from runrecover.records import Records
from runrecover.records.sqlite import SqliteRecords
from runrecover.rows import COLUMNS
from runrecover.units import Units


def select_entries(records: Records, *, since: datetime | None,
                   until: datetime | None) -> Selection:
    selection: Selection = {}
    for kind in SECTIONS.values():
        if kind != "injury":
            selection[kind] = records.between(kind, since=since, until=until)
    linked = {r.injury_id for kind in ("treatment", "pain", "ladder_event")
              for r in selection[kind]}
    selection["injury"] = [i for i in records.all_rows("injury")
                           if i.id in linked or _onset_within(i, since, until)]
    return selection


def _onset_within(injury: Any, since: datetime | None, until: datetime | None) -> bool:
    if injury.onset_on is None:
        return since is None and until is None
    start = (injury.onset_at if injury.onset_at is not None
             else clock.start_of_day(injury.onset_on))
    return (since is None or start >= since) and (until is None or start < until)


# -- JSON ---------------------------------------------------------------------------------

encode = json.JSONEncoder(ensure_ascii=False).encode
# Entries as arrays of their values, by the C encoder: `[[v1,\nv2],\n[v1,\nv2]]`. A string
# holds no raw newline (it is written `\n`), so ",\n" is only ever between two values and
# "],\n[" between two entries.
_encode_entries = json.JSONEncoder(ensure_ascii=False, separators=(",\n", ": ")).encode


@functools.cache
def _key_heads(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    """What `indent=2` writes before each value of an entry in its section (`keys` in
    order), that of the first key closing the entry before."""
    heads = [f",\n      {encode(key)}: " for key in keys]
    heads[0] = f"\n    }},\n    {{\n      {encode(keys[0])}: "
    return tuple(head.encode() for head in heads)


def _section_json(keys: tuple[str, ...], entries: list[Sequence[Any]]) -> bytes:
    """A section as `json.dumps(indent=2, ensure_ascii=False)` writes it in the document,
    in UTF-8, from the values of its entries (`keys` of each, in order; every one a
    scalar): all of them through the C encoder at once (json's indent falls back to its
    pure-Python one, three times slower on ten years of entries), then set between their
    keys."""
    if not entries:
        return b"[]"
    written = (_encode_entries(entries)[2:-2].encode().replace(b"],\n[", b",\n")
               .split(b",\n"))
    parts: list[bytes] = [b""] * (2 * len(written))
    parts[::2] = _key_heads(keys) * len(entries)
    parts[1::2] = written
    parts[0] = f"[\n    {{\n      {encode(keys[0])}: ".encode()
    parts.append(b"\n    }\n  ]")
    return b"".join(parts)


def _iso_at(value: datetime, row: Any, zone: tzinfo) -> str:
    if not row.time_known:
        return clock.local(value, zone).date().isoformat()  # a calendar date, in any zone
    return clock.iso(value, zone)


def _iso_instant(value: datetime | None, row: Any, zone: tzinfo) -> str | None:
    """An instant that is there only when its time is known (an injury's `onset_at`)."""
    return clock.iso(value, zone) if value is not None else None


def _iso_date(value: date | None, row: Any, zone: tzinfo) -> str | None:
    return value.isoformat() if value is not None else None


def _enum_value(value: Any, row: Any, zone: tzinfo) -> Any:
    return value.value if isinstance(value, Enum) else value


Converter = Callable[[Any, Any, tzinfo], Any]


@functools.cache
def _json_fields(kind: str) -> tuple[tuple[str, Converter | None], ...]:
    """What `entry_json` gives of an entry of `kind`, worked out once: each field's name on
    the row and the function turning its value into what `entry_json` gives (None: the
    value itself); `injury_id` is left out (written last, as `injury_uid`)."""
    found = []
    for name, kind_of, _ in COLUMNS[kind]:
        if name in ("id", "created_at", "injury_id"):
            continue
        convert = (_iso_at if name == "at" else _iso_instant if kind_of is datetime
                   else _iso_date if kind_of is date
                   else _enum_value if issubclass(kind_of, Enum) else None)
        found.append((name, convert))
    return tuple(found)


@functools.cache
def _json_keys(kind: str) -> tuple[str, ...]:
    """The keys of an entry of `kind` in the export, in order."""
    linked = any(name == "injury_id" for name, _, _ in COLUMNS[kind])
    return (*(name for name, _ in _json_fields(kind)), *(("injury_uid",) if linked else ()))


def _row_values(kind: str, found: list[Any], injury_uids: dict[int, str],
                zone: tzinfo) -> list[list[Any]]:
    """The values in the export (`_json_keys`) of each row of `kind`, as `Records` loads
    them."""
    fields = _json_fields(kind)
    linked = _json_keys(kind)[-1] == "injury_uid"
    entries = []
    for row in found:
        values = [getattr(row, name) if convert is None
                  else convert(getattr(row, name), row, zone) for name, convert in fields]
        if linked:
            values.append(injury_uids.get(row.injury_id) if row.injury_id is not None
                          else None)
        entries.append(values)
    return entries


def _document(sections: dict[str, bytes]) -> bytes:
    """The document as `json.dumps(document, indent=2, ensure_ascii=False)` writes it, byte
    for byte, given each section as `_section_json` writes it."""
    head = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
            "exported_at": clock.iso(clock.now())}
    items = [*((name, encode(value).encode()) for name, value in head.items()),
             *((section, sections[section]) for section in SECTIONS)]
    parts = [b"{\n"]
    for name, written in items:  # (a section is long: one join rather than copies of it)
        parts += (f"  {encode(name)}: ".encode(), written, b",\n")
    parts[-1] = b"\n}\n"
    return b"".join(parts)


def to_json(selection: Selection) -> bytes:
    """The document of `selection`: `rows.entry_json` of each entry (its `injury_id` as the
    `injury_uid` last), in the sections of `SECTIONS`."""
    injury_uids = {i.id: i.uid for i in selection["injury"]}
    zone = clock.local_zone()
    return _document({
        section: _section_json(_json_keys(kind),
                               _row_values(kind, selection[kind], injury_uids, zone))
        for section, kind in SECTIONS.items()})


def json_export(records: Records, *, since: datetime | None,
                until: datetime | None) -> bytes:
    """`to_json(select_entries(…))`, byte for byte; from a local SQLite file, from what it
    holds (`_stored_selection`) without loading a row (ten years are 12,000)."""
    if not isinstance(records, SqliteRecords):
        return to_json(select_entries(records, since=since, until=until))
    entries = stored_entries(records, since=since, until=until)
    if _numbers_written_alike(entries):
        return _msgspec_document(entries)
    return _document({section: _section_json(_json_keys(kind), entries[kind])
                      for section, kind in SECTIONS.items()})


def stored_entries(records: SqliteRecords, *, since: datetime | None,
                   until: datetime | None) -> dict[str, list[Sequence[Any]]]:
    """The values in the export (`_json_keys`) of each entry of `select_entries`, by kind,
    from what SQLite holds."""
    zone = clock.local_zone()
    timed, injuries = _stored_selection(records, since=since, until=until)
    uids = {i.id: i.uid for i in injuries}
    return {kind: _row_values(kind, injuries, uids, zone) if kind == "injury"
            else _stored_entries(kind, timed[kind], zone=zone, injury_uids=uids)
            for kind in SECTIONS.values()}


# msgspec writes a float as `repr` does (the shortest text that reads back as it) in this
# range, and zero; outside it, with another exponent form (`1e16`, not `1e+16`; `0.00001`,
# not `1e-05`), and an infinity as `null` (json: `Infinity`).
PLAIN_FLOATS = (1e-4, 1e16)


def _numbers_written_alike(entries: dict[str, list[Sequence[Any]]]) -> bool:
    """Whether msgspec writes every value of these entries as json does: each a text, a
    whole number, a truth value, None or a float in `PLAIN_FLOATS` (or zero). SQLite holds
    any value in any column: a blob (json refuses it, msgspec writes it in base64) or an odd
    float is left to json. Asked of msgspec first (in C), which refuses a zero or a
    negative float too; then column by column, in C but for a column's floats."""
    try:
        for found in entries.values():
            msgspec.convert(found, _PLAIN_ENTRIES)
        return True
    except msgspec.ValidationError:
        pass
    low, high = PLAIN_FLOATS
    for found in entries.values():
        for column in zip(*found, strict=True):
            kinds = set(map(type, column))
            if not kinds <= _WRITTEN_ALIKE:
                return False
            if float in kinds:
                sizes = [abs(value) for value in column if type(value) is float and value]
                # (A NaN, which SQLite never holds, makes the sum one: not in the range.)
                if sizes and not (low <= min(sizes) and max(sizes) < high
                                  and sum(sizes) == sum(sizes)):
                    return False
    return True


_WRITTEN_ALIKE = {str, int, float, bool, type(None)}
_PLAIN_ENTRIES = list[tuple[str | int | bool | None | Annotated[
    float, msgspec.Meta(ge=PLAIN_FLOATS[0], lt=PLAIN_FLOATS[1])], ...]]


@functools.cache
def _entry_struct(kind: str) -> type[msgspec.Struct]:
    """An entry of `kind` as msgspec writes it: an object of `_json_keys`, in order."""
    return msgspec.defstruct(f"{kind}_entry", [(key, Any) for key in _json_keys(kind)])


def _msgspec_document(entries: dict[str, list[Sequence[Any]]]) -> bytes:
    """`_document` of the sections of these entries (each as `_json_keys` of its kind),
    byte for byte, written by msgspec (in C: the encoder, then its indentation) when
    `_numbers_written_alike`: its strings are json's with `ensure_ascii=False`, its
    layout `indent=2`'s (tests/test_exchange.py proves both on hostile text)."""
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                                "exported_at": clock.iso(clock.now())}
    for section, kind in SECTIONS.items():
        entry = _entry_struct(kind)
        document[section] = [entry(*values) for values in entries[kind]]
    return msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"


Kept = list[tuple[datetime, int, tuple[Any, ...]]]
"""Rows of a timed table as SQLite holds them, each after its moment as read back and its
id, in that order (`_stored_selection`)."""


def _stored_selection(records: SqliteRecords, *, since: datetime | None,
                      until: datetime | None) -> tuple[dict[str, Kept], list[Any]]:
    """`select_entries` from what SQLite holds: the rows of each timed kind that `between`
    keeps (their moment as read back, a day-only one at its local midnight, in [since,
    until)), in its order (by that moment, then id), each as stored; and the injuries,
    loaded (a few dozen)."""
    timed = {}
    parse = datetime.fromisoformat
    every = since is None and until is None
    for kind in SECTIONS.values():
        if kind == "injury":
            continue
        at_stored, known_stored = _stored_picks(kind)[1:3]
        kept = []
        for row in records.stored_between(kind, _stored_names(kind), since=since,
                                          until=until):
            try:  # (rows.read_datetime, inline: twelve thousand rows)
                moment = parse(row[at_stored] + "+00:00")
            except ValueError:
                moment = rows.read_datetime(row[at_stored])
            if not row[known_stored]:
                moment = rows.shown_moment(moment, False)
            if every or ((since is None or moment >= since)
                         and (until is None or moment < until)):
                kept.append((moment, row[0], row))
        kept.sort()  # by moment, then id (ids differ: the rows are never compared)
        timed[kind] = kept
    linked = set()
    for kind in ("treatment", "pain", "ladder_event"):
        injury_stored = _stored_picks(kind)[3]
        linked.update(row[injury_stored] for _, _, row in timed[kind])
    injuries = [i for i in records.all_rows("injury")
                if i.id in linked or _onset_within(i, since, until)]
    return timed, injuries


@functools.cache
def _stored_names(kind: str) -> tuple[str, ...]:
    """The columns the exports read of a timed `kind` as SQLite holds them: all but
    `created_at`, which no export writes (reading it was a tenth of reading ten years)."""
    return tuple(name for name, _, _ in COLUMNS[kind] if name != "created_at")


@functools.cache
def _stored_picks(kind: str) -> tuple[Callable[[tuple[Any, ...]], tuple[Any, ...]], int, int,
                                      int]:
    """How a stored row of a timed `kind` is read: the function picking the values of
    `_json_keys` in order from the row followed by its `at` and `time_known` as exported
    and its injury's uid; the places of `at`, `time_known` and `injury_id` (or -1) in the
    row. Every other value is written as SQLite holds it: a number, a text, or an enum
    member's name, which is its value (as the loaders read it, `rows.LOADERS`)."""
    names = list(_stored_names(kind))
    for name, kind_of, _ in COLUMNS[kind]:
        if name in _json_keys(kind) and name not in ("at", "time_known") and kind_of not in (
                int, float, str):
            if not issubclass(kind_of, Enum) or any(m.name != m.value for m in kind_of):
                raise TypeError(f"{kind}.{name} is not written as stored: convert it here")
    given = [*names, "at", "time_known", "injury_uid"]  # (the row with what is added)
    places = [len(given) - 3 if key == "at" else len(given) - 2 if key == "time_known"
              else given.index(key) for key in _json_keys(kind)]
    return (operator.itemgetter(*places), names.index("at"), names.index("time_known"),
            names.index("injury_id") if "injury_id" in names else -1)


def _stored_entries(kind: str, kept: Kept, *, zone: tzinfo,
                    injury_uids: dict[int, str]) -> list[tuple[Any, ...]]:
    """The values in the export (`_json_keys`) of each row kept, as `to_json` writes them
    of the rows `between` loads."""
    pick, _, known_stored, injury_stored = _stored_picks(kind)
    entries = []
    for moment, _, row in kept:
        if row[known_stored]:
            # `clock.iso` of the moment, unless it has microseconds or its offset has seconds
            # (a zone's local mean time, before 1912 or so): then more characters, and
            # `clock.iso` cuts or rounds them. (Quicker than asking for seconds.)
            at = moment.astimezone(zone).isoformat()
            if len(at) != 25:
                at = clock.iso(moment, zone)
            more = (at, True)
        else:  # a calendar date, in any zone
            more = (moment.astimezone(zone).date().isoformat(), False)
        uid = injury_uids.get(row[injury_stored]) if injury_stored >= 0 else None
        entries.append(pick(row + more + (uid,)))
    return entries


# -- CSV ----------------------------------------------------------------------------------

class _Columns:
    """The rows of one CSV, column by column: `columns("name")` is each row's value of that
    column, in order (a column of ten years is made by one loop, not a call per cell)."""

    def __init__(self, column: Callable[[str], list[Any]]) -> None:
        self._column = column

    def __call__(self, name: str) -> list[Any]:
        return self._column(name)

    @classmethod
    def of_rows(cls, found: list[Any]) -> "_Columns":
        """Of rows as `Records` loads them."""
        return cls(lambda name: [getattr(row, name) for row in found])

    @classmethod
    def of_stored(cls, kind: str, kept: Kept) -> "_Columns":
        """Of rows of a timed `kind` as SQLite holds them (`_stored_selection`), as the
        columns read them loaded: `at` is the moment as read back; an enum member is its
        stored name, its value; `time_known` is 0 or 1 (only ever true or not)."""
        place = {name: i for i, name in enumerate(_stored_names(kind))}
        stored = [row for _, _, row in kept]
        return cls(lambda name: [moment for moment, _, _ in kept] if name == "at"
                   else list(map(operator.itemgetter(place[name]), stored)))

    @functools.cached_property
    def local_at(self) -> list[datetime]:
        """Each row's moment in the runner's zone: its day and time of day from one local
        moment."""
        zone = clock.local_zone()
        return [at.astimezone(zone) for at in self("at")]


def _or_blank(values: list[Any]) -> list[Any]:
    return [value or "" for value in values]


def _none_blank(values: list[Any]) -> list[Any]:
    return ["" if value is None else value for value in values]


def _days(columns: _Columns, shown: Units) -> list[str]:
    """The entry's local day."""
    return [at.date().isoformat() for at in columns.local_at]


def _times(columns: _Columns, shown: Units) -> list[str]:
    """`18:30` (as strftime's `%H:%M` writes it), or nothing for an entry whose time of day
    is not known."""
    return [clock.clock_text(at.hour, at.minute) if known else ""
            for at, known in zip(columns.local_at, columns("time_known"), strict=True)]


def _onset_times(columns: _Columns, shown: Units) -> list[str]:
    """An injury's onset time, `18:00`, or nothing when only its day is known."""
    return ["" if at is None else clock.local(at).isoformat()[11:16]
            for at in columns("onset_at")]


def _distances(columns: _Columns, shown: Units) -> list[float | str]:
    return [shown.of(km) if km else "" for km in columns("distance_km")]


def _paces(columns: _Columns, shown: Units) -> list[str]:
    found = []
    for km, moving_s, duration_s in zip(columns("distance_km"), columns("moving_s"),
                                        columns("duration_s"), strict=True):
        pace = units.pace_s_per_km(km, moving_s or duration_s) if km and duration_s else None
        found.append(shown.pace(pace).removesuffix(f"/{shown.name}") if pace else "")
    return found


def _durations(columns: _Columns, shown: Units) -> list[str]:
    return [units.format_duration(s) if s else "" for s in columns("duration_s")]


# Each column: its header ({unit} is the runner's distance unit) and its values, given the
# rows' columns and the runner's units.
CSV_COLUMNS: dict[str, list[tuple[str, Callable[[_Columns, Units], list[Any]]]]] = {
    "injury": [
        ("Name", lambda c, _: c("name")), ("Body part", lambda c, _: _or_blank(c("part"))),
        ("Side", lambda c, _: _or_blank(c("side"))),
        ("Onset", lambda c, _: _or_blank(c("onset_on"))), ("Onset time", _onset_times),
        ("Cause", lambda c, _: _or_blank(c("cause"))),
        ("Diagnosis", lambda c, _: _or_blank(c("diagnosis"))),
        ("Resolved", lambda c, _: _or_blank(c("resolved_on"))),
    ],
    "treatment": [
        ("Date", _days), ("Time", _times),
        ("Kind", lambda c, _: c("kind")), ("Clinician", lambda c, _: _or_blank(c("clinician"))),
        ("Injury id", lambda c, _: _or_blank(c("injury_id"))),
        ("No running (days)", lambda c, _: _none_blank(c("no_run_days"))),
        ("Rest (hours)", lambda c, _: _none_blank(c("rest_hours"))),
    ],
    "pain": [
        ("Date", _days), ("Time", _times),
        ("Pain (0-10)", lambda c, _: c("score")), ("Context", lambda c, _: _or_blank(c("context"))),
        ("Injury id", lambda c, _: _or_blank(c("injury_id"))),
    ],
    "activity": [
        ("Date", _days), ("Time", _times),
        ("Activity", lambda c, _: c("kind")), ("Distance ({unit})", _distances),
        ("Duration", _durations), ("Pace (per {unit})", _paces),
        ("Run type", lambda c, _: _or_blank(c("run_type"))),
        ("Effort (RPE)", lambda c, _: _or_blank(c("rpe"))),
        ("Pain during", lambda c, _: _none_blank(c("pain_during"))),
        ("Pain after", lambda c, _: _none_blank(c("pain_after"))),
        ("Avg HR", lambda c, _: _or_blank(c("avg_hr"))),
        ("Source", lambda c, _: _or_blank(c("source"))),
    ],
    "race": [
        ("Date", _days), ("Time", _times),
        ("Name", lambda c, _: c("name")), ("Distance ({unit})", _distances),
    ],
}
CSV_FILES = {"injury": "injuries.csv", "treatment": "treatments.csv", "pain": "pain.csv",
             "activity": "activities.csv", "race": "races.csv"}


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV
# Injection"): `=HYPERLINK(...)` in a note would be a live link, `=cmd|...` a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe,
    which spreadsheets show as text and do not display. Numbers are written as numbers:
    a negative number is a value, never a formula (and none of ours is negative)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Where a text cell starting a formula (FORMULA_STARTS) would be in a table as csv writes it,
# past its head: at a line's start or after a comma, quoted or not. (Elsewhere too, rarely:
# in a quoted cell holding a line break or a comma.)
_MAY_START_A_FORMULA = re.compile(r'[,\n]"?[=+\-@\t\r]')


def _csv_text(kind: str, columns: _Columns, shown: Units) -> str:
    """One CSV; distances and paces in the runner's units, which the headers name."""
    head = ["Id", *(title.format(unit=shown.name) for title, _ in CSV_COLUMNS[kind]), "Note",
            "Uid"]
    table = list(zip(columns("id"), *(values(columns, shown) for _, values in CSV_COLUMNS[kind]),
                     _or_blank(columns("note")), columns("uid"), strict=True))
    text = _csv_table(head, table)
    head_end = text.find("\n")  # (not partition: that copies the whole table after it)
    if head_end >= 0 and _MAY_START_A_FORMULA.search(text, head_end):
        # Then `csv_cell` of every cell (a hundred thousand in ten years: only when needed).
        text = _csv_table(head, [[csv_cell(cell) for cell in cells] for cells in table])
    return text


def _csv_table(head: list[str], table: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(head)
    writer.writerows(table)
    return out.getvalue()


def to_csv_zip(selection: Selection, shown: Units) -> bytes:
    return _csv_zip({kind: _Columns.of_rows(found) for kind, found in selection.items()},
                    shown)


def csv_export(records: Records, *, since: datetime | None, until: datetime | None,
               shown: Units) -> bytes:
    """`to_csv_zip(select_entries(…), shown)`, byte for byte; from a local SQLite file, from
    what it holds (`_stored_selection`) without loading a row."""
    if not isinstance(records, SqliteRecords):
        return to_csv_zip(select_entries(records, since=since, until=until), shown)
    timed, injuries = _stored_selection(records, since=since, until=until)
    return _csv_zip({"injury": _Columns.of_rows(injuries),
                     **{kind: _Columns.of_stored(kind, kept) for kind, kept in timed.items()}},
                    shown)


def _csv_zip(tables: dict[str, _Columns], shown: Units) -> bytes:
    import zipfile  # (4 ms, not on the path of the other exports)

    out = io.BytesIO()
    # Stored, not compressed: the zip carries five tables as one file. Ten years' tables are
    # 1 MB, which deflate's fastest level halves in 20 ms (7 % of a `status`).
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for kind, filename in CSV_FILES.items():
            archive.writestr(filename, _csv_text(kind, tables[kind], shown))
    return out.getvalue()
