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
from typing import Any

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
    zone = clock.local_zone()
    timed, injuries = _stored_selection(records, since=since, until=until)
    uids = {i.id: i.uid for i in injuries}
    return _document({
        section: _section_json(_json_keys(kind), (
            _row_values(kind, injuries, uids, zone) if kind == "injury"
            else _stored_entries(kind, timed[kind], zone=zone, injury_uids=uids)))
        for section, kind in SECTIONS.items()})


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
        for row in records.stored_between(kind, since=since, until=until):
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
    linked = {row[_stored_picks(kind)[3]] for kind in ("treatment", "pain", "ladder_event")
              for _, _, row in timed[kind]}
    injuries = [i for i in records.all_rows("injury")
                if i.id in linked or _onset_within(i, since, until)]
    return timed, injuries


@functools.cache
def _stored_picks(kind: str) -> tuple[Callable[[tuple[Any, ...]], tuple[Any, ...]], int, int,
                                      int]:
    """How a stored row of a timed `kind` is read: the function picking the values of
    `_json_keys` in order from the row followed by its `at` and `time_known` as exported
    and its injury's uid; the places of `at`, `time_known` and `injury_id` (or -1) in the
    row. Every other value is written as SQLite holds it: a number, a text, or an enum
    member's name, which is its value (as the loaders read it, `rows.LOADERS`)."""
    names = [name for name, _, _ in COLUMNS[kind]]
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
            # `clock.iso` of the moment, unless its offset has seconds (a zone's local mean
            # time, before 1912 or so): then 3 more characters, and `clock.iso` rounds it.
            at = moment.astimezone(zone).isoformat("T", "seconds")
            if len(at) != 25:
                at = clock.iso(moment, zone)
            more = (at, True)
        else:  # a calendar date, in any zone
            more = (moment.astimezone(zone).date().isoformat(), False)
        uid = injury_uids.get(row[injury_stored]) if injury_stored >= 0 else None
        entries.append(pick(row + more + (uid,)))
    return entries


def _day(row: Any, at: datetime | None = None) -> str:
    """The entry's local day; `at` is its moment in local time when known already."""
    return (at or clock.local(row.at)).date().isoformat()


def _time(row: Any, at: datetime | None = None) -> str:
    """`18:30` (as strftime's `%H:%M` writes it, without its cost), or nothing for an entry
    whose time of day is not known; `at` is its moment in local time when known already."""
    if not row.time_known:
        return ""
    at = at or clock.local(row.at)
    return f"{at.hour:02}:{at.minute:02}"


def _onset_time(row: Any) -> str:
    """An injury's onset time, `18:00`, or nothing when only its day is known."""
    if row.onset_at is None:
        return ""
    at = clock.local(row.onset_at)
    return f"{at.hour:02}:{at.minute:02}"


def _distance(row: Any, shown: Units) -> float | str:
    return shown.of(row.distance_km) if row.distance_km else ""


def _pace(row: Any, shown: Units) -> str:
    pace = units.pace_s_per_km(row.distance_km, row.moving_s or row.duration_s) \
        if row.distance_km and row.duration_s else None
    return shown.pace(pace).removesuffix(f"/{shown.name}") if pace else ""


# Each column: its header ({unit} is the runner's distance unit) and its value, given the row
# and the runner's units.
CSV_COLUMNS: dict[str, list[tuple[str, Callable[[Any, Units], Any]]]] = {
    "injury": [
        ("Name", lambda r, _: r.name), ("Body part", lambda r, _: r.part or ""),
        ("Side", lambda r, _: r.side or ""), ("Onset", lambda r, _: r.onset_on or ""),
        ("Onset time", lambda r, _: _onset_time(r)),
        ("Cause", lambda r, _: r.cause or ""), ("Diagnosis", lambda r, _: r.diagnosis or ""),
        ("Resolved", lambda r, _: r.resolved_on or ""),
    ],
    "treatment": [
        ("Date", lambda r, _: _day(r)), ("Time", lambda r, _: _time(r)),
        ("Kind", lambda r, _: r.kind), ("Clinician", lambda r, _: r.clinician or ""),
        ("Injury id", lambda r, _: r.injury_id or ""),
        ("No running (days)", lambda r, _: r.no_run_days if r.no_run_days is not None else ""),
        ("Rest (hours)", lambda r, _: r.rest_hours if r.rest_hours is not None else ""),
    ],
    "pain": [
        ("Date", lambda r, _: _day(r)), ("Time", lambda r, _: _time(r)),
        ("Pain (0-10)", lambda r, _: r.score), ("Context", lambda r, _: r.context or ""),
        ("Injury id", lambda r, _: r.injury_id or ""),
    ],
    "activity": [
        ("Date", lambda r, _: _day(r)), ("Time", lambda r, _: _time(r)),
        ("Activity", lambda r, _: r.kind), ("Distance ({unit})", _distance),
        ("Duration", lambda r, _: units.format_duration(r.duration_s) if r.duration_s else ""),
        ("Pace (per {unit})", _pace), ("Run type", lambda r, _: r.run_type or ""),
        ("Effort (RPE)", lambda r, _: r.rpe or ""),
        ("Pain during", lambda r, _: r.pain_during if r.pain_during is not None else ""),
        ("Pain after", lambda r, _: r.pain_after if r.pain_after is not None else ""),
        ("Avg HR", lambda r, _: r.avg_hr or ""), ("Source", lambda r, _: r.source or ""),
    ],
    "race": [
        ("Date", lambda r, _: _day(r)), ("Time", lambda r, _: _time(r)),
        ("Name", lambda r, _: r.name), ("Distance ({unit})", _distance),
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


def _csv_text(kind: str, rows: list[Any], shown: Units) -> str:
    """One CSV; distances and paces in the runner's units, which the headers name."""
    columns = CSV_COLUMNS[kind]
    head = ["Id", *(title.format(unit=shown.name) for title, _ in columns), "Note", "Uid"]
    # Date and Time (first, where there are) from one local moment per row, the zone read
    # once: ten years are twelve thousand rows.
    timed = [title for title, _ in columns[:2]] == ["Date", "Time"]
    values = [value for _, value in (columns[2:] if timed else columns)]
    zone = clock.local_zone()
    table = []
    for row in rows:
        if timed:
            at = row.at.astimezone(zone).isoformat()  # (`_day` and `_time`, at once)
            cells = [row.id, at[:10], at[11:16] if row.time_known else ""]
        else:
            cells = [row.id]
        cells += [value(row, shown) for value in values]
        cells += (row.note or "", row.uid)
        table.append(cells)
    text = _csv_table(head, table)
    if _MAY_START_A_FORMULA.search(text, len(text.partition("\n")[0])):
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
    import zipfile  # (4 ms, not on the path of the other exports)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, filename in CSV_FILES.items():
            archive.writestr(filename, _csv_text(kind, selection[kind], shown))
    return out.getvalue()
