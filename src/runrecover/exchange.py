"""Export and import of the whole record: runrecover's versioned JSON, and CSV.

Export formats are chosen by name in `cli/exchange.py`. Import is all-or-nothing (the
caller's one transaction) and idempotent: an entry whose uid is already stored is skipped
and counted.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from runrecover import clock, store, units
from runrecover.activity_files import ParsedActivity
from runrecover.errors import InputError
from runrecover.models import ENTRY_KINDS, Activity, Injury
from runrecover.render.entries import entry_json

FORMAT_NAME = "runrecover"
FORMAT_VERSION = 1
# JSON list name → entry kind, in the order entries must be imported (injuries first).
SECTIONS = {"injuries": "injury", "treatments": "treatment", "pain": "pain",
            "activities": "activity", "races": "race"}
TABLE_OF = {kind: table for kind, (table, _create) in ENTRY_KINDS.items()}
MAX_UID = 100  # ours are UUIDs (36 characters); others' ids may be longer, not unbounded


# The entries an export covers, by entry kind: timed entries by moment, injuries by onset
# (and every injury those entries point at).
Selection = dict[str, list[Any]]


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


@dataclass
class ImportCount:
    added: int = 0
    already: int = 0


def _parse_moment(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{where}: 'at' must be an ISO date and time, not {value!r}.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where}: cannot read the moment {value!r} (ISO 8601 expected).") \
            from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.local_zone())
    # The years the command line accepts; year 1 at +14:00 is not even a UTC instant.
    if not clock.FIRST_YEAR <= moment.year <= clock.LAST_YEAR:
        raise InputError(f"{where}: the moment {value!r} is out of range "
                         f"(years {clock.FIRST_YEAR} to {clock.LAST_YEAR}).")
    return moment


def entry_count(document: dict[str, Any]) -> int:
    return sum(len(document.get(section, [])) for section in SECTIONS)


def read_json_document(data: bytes, name: str) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{name} is not readable JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise InputError(f"{name} is not a runrecover export (no \"format\": \"runrecover\").")
    version = document.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):  # true == 1 in Python
        raise InputError(f"{name} is a runrecover export of version {version!r}; "
                         f"this runrecover reads version {FORMAT_VERSION}.")
    unknown = set(document) - set(SECTIONS) - {"format", "version", "exported_at"}
    if unknown:
        raise InputError(f"{name} has sections runrecover does not know: "
                         f"{', '.join(sorted(unknown))}.")
    for section in SECTIONS:
        entries = document.get(section, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise InputError(f"{name}: '{section}' must be a list of objects.")
    return document


def import_json(session: Session, document: dict[str, Any], name: str,
                advance: Callable[[], None] = lambda: None) -> tuple[
        ImportCount, list[Activity]]:
    """Store a runrecover export's entries; returns the counts and the activities added."""
    count = ImportCount()
    injury_ids: dict[str, int] = {}
    added_activities: dict[int, Activity] = {}
    for section, kind in SECTIONS.items():
        table, create = ENTRY_KINDS[kind]
        for index, raw in enumerate(document.get(section, [])):
            advance()
            where = f"{name}: {section}[{index}]"
            entry = dict(raw)
            uid = entry.pop("uid", None)
            if not isinstance(uid, str) or not uid:
                raise InputError(f"{where} has no uid.")
            if len(uid) > MAX_UID or not uid.isprintable():
                raise InputError(f"{where} has an unreadable uid {units.quoted(uid)}: "
                                 f"a uid is printable text of at most {MAX_UID} characters.")
            allowed = set(create.model_fields) | {"injury_uid"}
            unknown = set(entry) - allowed
            if unknown:
                raise InputError(f"{where} has fields runrecover does not know: "
                                 f"{', '.join(sorted(unknown))}.")
            if "injury_uid" in entry:
                entry["injury_id"] = _injury_id(session, entry.pop("injury_uid"), injury_ids,
                                                where)
            if "at" in entry:
                entry["at"] = _parse_moment(entry["at"], where)
            existing = session.exec(select(table).where(col(table.uid) == uid)).first()
            if existing is None:
                try:
                    values = store.validated(create, entry)
                except InputError as exc:
                    raise InputError(f"{where}: {exc}") from None
                if kind == "activity":
                    # Stored under another uid (another device, a watch file): skipped. Two
                    # entries of this file never are: in one export, two uids are two entries.
                    existing = store.find_duplicate_activity(
                        session, at=values["at"], distance_km=values["distance_km"],
                        exclude=added_activities)
            if existing is not None:
                count.already += 1
                if kind == "injury":
                    injury_ids[uid] = existing.id
                continue
            row = store.add(session, table(uid=uid, **values))
            if kind == "injury":
                injury_ids[uid] = row.id
            elif kind == "activity":
                added_activities[row.id] = row
            count.added += 1
    return count, list(added_activities.values())


def _injury_id(session: Session, uid: Any, known: dict[str, int], where: str) -> int | None:
    if uid is None:
        return None
    if not isinstance(uid, str):
        raise InputError(f"{where}: injury_uid must be a string, not {uid!r}.")
    if uid in known:
        return known[uid]
    row = session.exec(select(Injury).where(Injury.uid == uid)).first()
    if row is None:
        raise InputError(f"{where} refers to an injury ({uid}) that is neither in the file "
                         "nor in the database.")
    known[uid] = row.id
    return row.id


# -- activity files -----------------------------------------------------------------------

def import_activities(session: Session, parsed: list[ParsedActivity], name: str,
                      advance: Callable[[], None] = lambda: None) -> tuple[
        ImportCount, list[Activity]]:
    """Store activities read from watch or app files, skipping those already stored.

    An activity is already stored when its source id matches, or when one starts within
    two minutes with a distance within 3 %: the same run from a FIT file and from Strava.
    """
    count, added = ImportCount(), []
    for activity in parsed:
        advance()
        existing = None
        if activity.source_id is not None:
            existing = session.exec(select(Activity).where(
                Activity.source == activity.source,
                Activity.source_id == activity.source_id)).first()
        if existing is None:
            existing = store.find_duplicate_activity(
                session, at=activity.start, distance_km=activity.distance_km)
        if existing is not None:
            count.already += 1
            continue
        try:
            added.append(store.add_entry(session, kind="activity", data={
                "kind": activity.kind, "at": activity.start, "time_known": True,
                "distance_km": activity.distance_km, "duration_s": activity.elapsed_s,
                "moving_s": activity.moving_s, "avg_hr": activity.avg_hr, "rpe": activity.rpe,
                "source": activity.source, "source_id": activity.source_id,
                "note": activity.name}))
        except InputError as exc:
            raise InputError(f"Cannot import {name}: the activity of "
                             f"{clock.format_at(activity.start)}: {exc}") from None
        count.added += 1
    return count, added


# -- CSV ----------------------------------------------------------------------------------

def _day_and_time(row: Any) -> tuple[str, str]:
    at = clock.local(row.at)
    return at.date().isoformat(), at.strftime("%H:%M") if row.time_known else ""


CSV_COLUMNS: dict[str, list[tuple[str, Callable[[Any], Any]]]] = {
    "injury": [
        ("Name", lambda r: r.name), ("Body part", lambda r: r.part or ""),
        ("Side", lambda r: r.side or ""), ("Onset", lambda r: r.onset_on or ""),
        ("Cause", lambda r: r.cause or ""), ("Diagnosis", lambda r: r.diagnosis or ""),
        ("Resolved", lambda r: r.resolved_on or ""),
    ],
    "treatment": [
        ("Date", lambda r: _day_and_time(r)[0]), ("Time", lambda r: _day_and_time(r)[1]),
        ("Kind", lambda r: r.kind), ("Clinician", lambda r: r.clinician or ""),
        ("Injury id", lambda r: r.injury_id or ""),
        ("No running (days)", lambda r: r.no_run_days if r.no_run_days is not None else ""),
        ("Rest (hours)", lambda r: r.rest_hours if r.rest_hours is not None else ""),
    ],
    "pain": [
        ("Date", lambda r: _day_and_time(r)[0]), ("Time", lambda r: _day_and_time(r)[1]),
        ("Pain (0-10)", lambda r: r.score), ("Context", lambda r: r.context or ""),
        ("Injury id", lambda r: r.injury_id or ""),
    ],
    "activity": [
        ("Date", lambda r: _day_and_time(r)[0]), ("Time", lambda r: _day_and_time(r)[1]),
        ("Activity", lambda r: r.kind), ("Distance (km)", lambda r: r.distance_km or ""),
        ("Duration", lambda r: units.format_duration(r.duration_s) if r.duration_s else ""),
        ("Pace (per km)", lambda r: _pace(r)), ("Run type", lambda r: r.run_type or ""),
        ("Effort (RPE)", lambda r: r.rpe or ""),
        ("Pain during", lambda r: r.pain_during if r.pain_during is not None else ""),
        ("Pain after", lambda r: r.pain_after if r.pain_after is not None else ""),
        ("Avg HR", lambda r: r.avg_hr or ""), ("Source", lambda r: r.source or ""),
    ],
    "race": [
        ("Date", lambda r: _day_and_time(r)[0]), ("Time", lambda r: _day_and_time(r)[1]),
        ("Name", lambda r: r.name), ("Distance (km)", lambda r: r.distance_km or ""),
    ],
}
CSV_FILES = {"injury": "injuries.csv", "treatment": "treatments.csv", "pain": "pain.csv",
             "activity": "activities.csv", "race": "races.csv"}


def _pace(row: Activity) -> str:
    pace = units.pace_s_per_km(row.distance_km, row.moving_s or row.duration_s) \
        if row.distance_km and row.duration_s else None
    return units.format_pace(pace).removesuffix("/km") if pace else ""


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


def _csv_text(kind: str, rows: list[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = CSV_COLUMNS[kind]
    writer.writerow(["Id", *(title for title, _ in columns), "Note", "Uid"])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in (
            row.id, *(value(row) for _, value in columns), row.note or "", row.uid)])
    return out.getvalue()


def to_csv_zip(selection: Selection) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, filename in CSV_FILES.items():
            archive.writestr(filename, _csv_text(kind, selection[kind]))
    return out.getvalue()

