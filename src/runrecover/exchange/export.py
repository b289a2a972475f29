"""Export of the record: runrecover's versioned JSON (for import), and a zip of one CSV per
entry kind (for spreadsheets, with cells that would be read as formulas neutralised)."""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from runrecover import clock, store, units
from runrecover.models import Activity, Injury, entry_json
from runrecover.units import Units

if TYPE_CHECKING:
    pass
from runrecover.exchange.records import FORMAT_NAME, FORMAT_VERSION, SECTIONS, TABLE_OF, Selection


def select_entries(session: Session, *, since: datetime | None,
                   until: datetime | None) -> Selection:
    selection: Selection = {}
    for kind, table in TABLE_OF.items():
        if kind == "injury":
            continue
        selection[kind] = store.between(session, table, since=since, until=until)
    linked = {r.injury_id for kind in ("treatment", "pain") for r in selection[kind]}
    injuries = store.all_rows(session, Injury)
    selection["injury"] = [
        i for i in injuries if i.id in linked or _onset_within(i, since, until)]
    return selection


def _onset_within(injury: Injury, since: datetime | None, until: datetime | None) -> bool:
    if injury.onset_on is None:
        return since is None and until is None
    start = clock.start_of_day(injury.onset_on)
    return (since is None or start >= since) and (until is None or start < until)


# -- JSON ---------------------------------------------------------------------------------

def _exported(row: Any, injury_uids: dict[int, str]) -> dict[str, Any]:
    data = entry_json(row)
    data.pop("id")
    if "injury_id" in data:
        injury_id = data.pop("injury_id")
        data["injury_uid"] = injury_uids.get(injury_id) if injury_id is not None else None
    return data


def to_json(selection: Selection) -> bytes:
    injury_uids = {i.id: i.uid for i in selection["injury"]}
    document: dict[str, Any] = {
        "format": FORMAT_NAME, "version": FORMAT_VERSION,
        "exported_at": clock.iso(clock.now()),
    }
    for section, kind in SECTIONS.items():
        document[section] = [_exported(r, injury_uids) for r in selection[kind]]
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def _day_and_time(row: Any) -> tuple[str, str]:
    at = clock.local(row.at)
    return at.date().isoformat(), at.strftime("%H:%M") if row.time_known else ""


def _distance(row: Any, shown: Units) -> float | str:
    return shown.of(row.distance_km) if row.distance_km else ""


def _pace(row: Activity, shown: Units) -> str:
    pace = units.pace_s_per_km(row.distance_km, row.moving_s or row.duration_s) \
        if row.distance_km and row.duration_s else None
    return shown.pace(pace).removesuffix(f"/{shown.name}") if pace else ""


# Each column: its header ({unit} is the runner's distance unit) and its value, given the row
# and the runner's units.
CSV_COLUMNS: dict[str, list[tuple[str, Callable[[Any, Units], Any]]]] = {
    "injury": [
        ("Name", lambda r, _: r.name), ("Body part", lambda r, _: r.part or ""),
        ("Side", lambda r, _: r.side or ""), ("Onset", lambda r, _: r.onset_on or ""),
        ("Cause", lambda r, _: r.cause or ""), ("Diagnosis", lambda r, _: r.diagnosis or ""),
        ("Resolved", lambda r, _: r.resolved_on or ""),
    ],
    "treatment": [
        ("Date", lambda r, _: _day_and_time(r)[0]), ("Time", lambda r, _: _day_and_time(r)[1]),
        ("Kind", lambda r, _: r.kind), ("Clinician", lambda r, _: r.clinician or ""),
        ("Injury id", lambda r, _: r.injury_id or ""),
        ("No running (days)", lambda r, _: r.no_run_days if r.no_run_days is not None else ""),
        ("Rest (hours)", lambda r, _: r.rest_hours if r.rest_hours is not None else ""),
    ],
    "pain": [
        ("Date", lambda r, _: _day_and_time(r)[0]), ("Time", lambda r, _: _day_and_time(r)[1]),
        ("Pain (0-10)", lambda r, _: r.score), ("Context", lambda r, _: r.context or ""),
        ("Injury id", lambda r, _: r.injury_id or ""),
    ],
    "activity": [
        ("Date", lambda r, _: _day_and_time(r)[0]), ("Time", lambda r, _: _day_and_time(r)[1]),
        ("Activity", lambda r, _: r.kind), ("Distance ({unit})", _distance),
        ("Duration", lambda r, _: units.format_duration(r.duration_s) if r.duration_s else ""),
        ("Pace (per {unit})", _pace), ("Run type", lambda r, _: r.run_type or ""),
        ("Effort (RPE)", lambda r, _: r.rpe or ""),
        ("Pain during", lambda r, _: r.pain_during if r.pain_during is not None else ""),
        ("Pain after", lambda r, _: r.pain_after if r.pain_after is not None else ""),
        ("Avg HR", lambda r, _: r.avg_hr or ""), ("Source", lambda r, _: r.source or ""),
    ],
    "race": [
        ("Date", lambda r, _: _day_and_time(r)[0]), ("Time", lambda r, _: _day_and_time(r)[1]),
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
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in (
            row.id, *(value(row, shown) for _, value in columns), row.note or "", row.uid)])
    return out.getvalue()


def to_csv_zip(selection: Selection, shown: Units) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, filename in CSV_FILES.items():
            archive.writestr(filename, _csv_text(kind, selection[kind], shown))
    return out.getvalue()
