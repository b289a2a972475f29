"""Export of the record: runrecover's versioned JSON (for import), and a zip of one CSV per
entry kind (for spreadsheets, with cells that would be read as formulas neutralised)."""

import csv
import functools
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import Any

from runrecover import clock, units
from runrecover.exchange.records import FORMAT_NAME, FORMAT_VERSION, SECTIONS, Selection
from runrecover.records import Records
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
# A section's entries as `indent=2` writes them, by the C encoder (json's indent falls back
# to its pure-Python one, three times slower on ten years of entries): with this separator
# every field is on its own line, indented; what lies between two entries and around them is
# then set as indent=2 has it. Every value of an entry is a scalar, and a string holds no
# raw newline, so "},\n      {" is only ever between two entries.
_encode_entries = json.JSONEncoder(ensure_ascii=False, separators=(",\n      ", ": ")).encode


def _section_json(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return "[]"
    written = _encode_entries(entries)  # [{"uid": …,\n      "at": …},\n      {"uid": …}]
    return ("[\n    {\n      " + written[2:-2].replace("},\n      {", "\n    },\n    {\n      ")
            + "\n    }\n  ]")


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
def _json_fields(kind: str) -> tuple[tuple[str, str, Converter | None], ...]:
    """What `entry_json` gives of an entry of `kind`, worked out once: each field's name on
    the row, its line's start (`      "name": `) and the function turning its value into
    what `entry_json` gives (None: the value itself); `injury_id` comes last, as
    `injury_uid`."""
    found = []
    for name, kind_of, _ in COLUMNS[kind]:
        if name in ("id", "created_at", "injury_id"):
            continue
        convert = (_iso_at if name == "at" else _iso_instant if kind_of is datetime
                   else _iso_date if kind_of is date
                   else _enum_value if issubclass(kind_of, Enum) else None)
        found.append((name, f"      {encode(name)}: ", convert))
    return tuple(found)


def to_json(selection: Selection) -> bytes:
    """The document as `json.dumps(document, indent=2, ensure_ascii=False)` writes it, byte
    for byte, but each section through the C encoder (`_section_json`)."""
    injury_uids = {i.id: i.uid for i in selection["injury"]}
    head = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
            "exported_at": clock.iso(clock.now())}
    parts = [f"  {encode(name)}: {encode(value)}" for name, value in head.items()]
    zone = clock.local_zone()
    for section, kind in SECTIONS.items():
        entries = []
        fields = _json_fields(kind)
        linked = any(name == "injury_id" for name, _, _ in COLUMNS[kind])
        for row in selection[kind]:
            values = {name: getattr(row, name) if convert is None
                      else convert(getattr(row, name), row, zone)
                      for name, _, convert in fields}
            if linked:
                injury_id = row.injury_id
                values["injury_uid"] = (injury_uids.get(injury_id) if injury_id is not None
                                        else None)
            entries.append(values)
        parts.append(f"  {encode(section)}: {_section_json(entries)}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode()


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


def _csv_text(kind: str, rows: list[Any], shown: Units) -> str:
    """One CSV; distances and paces in the runner's units, which the headers name."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = CSV_COLUMNS[kind]
    writer.writerow(["Id", *(title.format(unit=shown.name) for title, _ in columns),
                     "Note", "Uid"])
    # Date and Time (first, where there are) from one local moment per row, the zone read
    # once: ten years are twelve thousand rows.
    timed = [title for title, _ in columns[:2]] == ["Date", "Time"]
    values = [value for _, value in (columns[2:] if timed else columns)]
    zone = clock.local_zone()
    for row in rows:
        if timed:
            at = row.at.astimezone(zone)
            cells = [row.id, _day(row, at), _time(row, at)]
        else:
            cells = [row.id]
        cells += [value(row, shown) for value in values]
        cells += (row.note or "", row.uid)
        # `csv_cell` of each text cell, inline: a hundred thousand cells in ten years.
        writer.writerow([
            "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
            for cell in cells])
    return out.getvalue()


def to_csv_zip(selection: Selection, shown: Units) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, filename in CSV_FILES.items():
            archive.writestr(filename, _csv_text(kind, selection[kind], shown))
    return out.getvalue()
