"""Export and import of the whole record: runrecover's versioned JSON, and CSV.

Export formats are chosen by name in `cli/exchange.py`. Import is all-or-nothing (the
caller's one transaction) and idempotent: an entry whose uid is already stored is skipped
and counted.
"""

import bisect
import csv
import io
import json
import typing
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from runrecover import clock, store, units
from runrecover.activity_files import Note, ParsedActivity
from runrecover.errors import InputError
from runrecover.models import ENTRY_KINDS, Activity, ActivityCreate, Injury, entry_json

if TYPE_CHECKING:
    from runrecover.activity_files.sources import Source

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
    improved: int = 0  # stored before, and made better by a richer file


def _parse_moment(value: Any, where: str, *, date_only: bool = False) -> datetime:
    """A moment from an export; with `date_only` (an entry whose time of day is not known)
    the calendar date it names, as written, whatever offset an older export gave it: read as
    an instant, it would move to another day in a zone west or east of the one it came from."""
    if not isinstance(value, str):
        raise InputError(f"{where}: 'at' must be an ISO date and time, not {value!r}.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where}: cannot read the moment {value!r} (ISO 8601 expected).") \
            from None
    if date_only:
        moment = moment.replace(tzinfo=None)
        moment = datetime(moment.year, moment.month, moment.day)
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
        ImportCount, list[Activity], list[Note]]:
    """Store a runrecover export's entries; returns the counts, the activities added, and a
    note for each entry whose uid is stored with other content (the stored one is kept)."""
    count, notes = ImportCount(), []
    injury_ids: dict[str, int] = {}
    added_activities: dict[int, Activity] = {}
    stored_before: _StoredActivities | None = None
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
            _check_json_types(create, entry, where)
            if "injury_uid" in entry:
                entry["injury_id"] = _injury_id(session, entry.pop("injury_uid"), injury_ids,
                                                where)
            if "at" in entry:
                entry["at"] = _parse_moment(entry["at"], where,
                                            date_only=entry.get("time_known") is False)
            try:
                values = store.validated(create, entry)
            except InputError as exc:
                raise InputError(f"{where}: {exc}") from None
            existing = session.exec(select(table).where(col(table.uid) == uid)).first()
            if existing is not None:
                differing = _differing(existing, values)
                if differing:
                    notes.append(Note(f"{section}[{index}] has the uid {uid} of a stored "
                                      f"{kind} with another {', '.join(differing)}: the stored "
                                      "one is kept"))
            elif kind == "activity":
                # Stored under another uid (another device, a watch file): skipped. Two
                # entries of this file never are: in one export, two uids are two entries,
                # so the matcher holds only what was stored before this file.
                if not values["time_known"]:
                    existing = store.find_duplicate_activity(
                        session, at=values["at"], distance_km=values["distance_km"],
                        exclude=added_activities)
                else:
                    if stored_before is None:
                        stored_before = _StoredActivities(
                            session, _timed_activities(document.get(section, [])))
                    existing = stored_before.find(_parsed(values))
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
    return count, list(added_activities.values()), notes


def _parsed(values: dict[str, Any]) -> ParsedActivity:
    """A JSON entry's activity, as the matcher of activity files reads one."""
    return ParsedActivity(
        kind=values["kind"], sport=None, start=values["at"],
        distance_km=values["distance_km"], elapsed_s=values["duration_s"],
        moving_s=values["moving_s"], avg_hr=values["avg_hr"], rpe=values["rpe"],
        name=values["note"], source=values["source"], source_id=values["source_id"])


def _timed_activities(entries: list[dict[str, Any]]) -> list[ParsedActivity]:
    """The span of an export's timed activities, for loading what they may meet; an entry
    that cannot be read is left to the validation that names it."""
    found = []
    for entry in entries:
        try:
            start = _parse_moment(entry.get("at"), "")
        except InputError:
            continue
        seconds = entry.get("duration_s")
        plausible = isinstance(seconds, int | float) and 0 < seconds <= units.MAX_DURATION_S
        found.append(ParsedActivity(
            kind="", sport=None, start=start, distance_km=None,
            elapsed_s=seconds if plausible else None, moving_s=None,
            avg_hr=None, rpe=None, name=None, source="", source_id=None))
    return found


# The JSON type each field must have, by its Python type: JSON has no dates, so they are text.
_JSON_TYPES = {bool: (bool,), int: (int,), float: (int, float)}
_JSON_NAMES = {bool: "true or false", int: "a whole number", float: "a number"}


def _check_json_types(create: type, entry: dict[str, Any], where: str) -> None:
    """Refuse what a lenient validation would coerce: `true` as a score of 1, "3" as 3 days,
    "yes" as true. Booleans are not numbers and text is neither."""
    for field_name, value in entry.items():
        info = create.model_fields.get(field_name)
        if value is None or info is None:
            continue
        python_type = next((t for t in (bool, int, float) if t in _types_of(info.annotation)),
                           str)
        allowed = _JSON_TYPES.get(python_type, (str,))
        if isinstance(value, bool) and python_type is not bool or not isinstance(value, allowed):
            wanted = _JSON_NAMES.get(python_type, "text")
            raise InputError(f"{where}: '{field_name}' must be {wanted}, not "
                             f"{json.dumps(value, ensure_ascii=False)[:40]}.")


def _types_of(annotation: Any) -> tuple[Any, ...]:
    return typing.get_args(annotation) or (annotation,)


def _differing(row: Any, values: dict[str, Any]) -> list[str]:
    return [field_name for field_name, value in values.items()
            if getattr(row, field_name) != value]


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

# Which source wins when two files hold the same activity: the device's own file, then the
# formats that keep less of it. Entries logged by hand and JSON imports rank lowest.
RICHNESS = {"fit": 4, "tcx": 3, "gpx": 2, "strava-csv": 1, "garmin-csv": 1}
SAME_START = timedelta(minutes=2)  # for activities whose duration is not known
SAME_MOMENT = timedelta(seconds=10)  # with SAME_LENGTH: one activity, whatever the kinds say
SAME_LENGTH = 0.1
# Of the longer record's time, for two records to be one activity: a FIT file and its GPX
# differ by seconds; a ride of two minutes inside another's three hours is another ride.
MIN_OVERLAP = 0.5


@dataclass
class FileImport:
    """One file read for import: its format, what it holds, and what became of it."""

    name: str
    fmt: str
    content: Any  # a runrecover JSON document, or an activity file's `Reading`
    notes: list[Note] = field(default_factory=list)  # what was left out, dropped or kept
    count: ImportCount = field(default_factory=ImportCount)


@dataclass
class ImportPlan:
    files: list[FileImport]
    passed_over: list[tuple[str, str]]  # (name, why) of files in folders and archives


def files_to_read(paths: list[Path]) -> list["Source"]:
    """Each file given, and the activity files in each folder and zip archive given."""
    from runrecover.activity_files.sources import sources

    found = sources(paths)
    for path in paths:
        if path.is_dir() and not any(s.name.startswith(f"{path}/") for s in found):
            raise InputError(f"Cannot import {path}: the folder holds no activity files "
                             "(.fit, .gpx, .tcx, .csv, .json, or those gzipped).")
    return found


def read_files(found: list["Source"], *, default_kind: str | None, units: str | None,
               strict: bool, advance: Callable[[], None] = lambda: None) -> ImportPlan:
    """Read and judge every file before anything is written: one file that cannot be read
    refuses the whole import. In a folder or an archive, files that hold no activity (a
    course, a photo's sidecar, Strava's other CSVs) are passed over and listed."""
    from runrecover.activity_files import NotAnActivityError, read, sniff
    from runrecover.activity_files.plausible import judged

    plan = ImportPlan([], [])
    for source in found:
        advance()
        try:
            data = source.load()
            fmt = sniff(data, source.name)
            if fmt == "runrecover-json":
                plan.files.append(FileImport(source.name, fmt,
                                             read_json_document(data, source.name)))
                continue
            reading = judged(read(data, source.name, default_kind=default_kind, units=units),
                             first_year=clock.FIRST_YEAR, last_year=clock.LAST_YEAR)
        except NotAnActivityError as refusal:
            if not source.in_collection:
                raise
            why = str(refusal).removeprefix(f"Cannot import {source.name}: ").removesuffix(".")
            plan.passed_over.append((source.name, why))
            continue
        if strict and reading.notes:
            raise InputError(f"Cannot import {source.name} with --strict: "
                             f"{note_text(reading.notes[0])}.")
        plan.files.append(FileImport(source.name, fmt, reading, list(reading.notes)))
    return plan


def store_files(session: Session, plan: ImportPlan,
                advance: Callable[[], None] = lambda: None) -> list[Activity]:
    """Store every file of the plan in the caller's one transaction; returns the activities
    added (for the rules to judge)."""
    added = []
    for imported in plan.files:
        if imported.fmt == "runrecover-json":
            imported.count, rows, clashes = import_json(session, imported.content,
                                                        imported.name, advance)
            imported.notes += clashes
        else:
            imported.count, rows = import_activities(session, imported.content.activities,
                                                     imported.name, advance)
        added += rows
    return added


def note_text(note: Note) -> str:
    """A note as the reader sees it: "line 5 (id 203707851): its elapsed time … dropped"."""
    where = " ".join(part for part in (
        f"line {note.line}" if note.line is not None else "",
        f"(id {note.source_id})" if note.source_id else "") if part)
    return f"{where}: {note.text}" if where else note.text


def import_activities(session: Session, parsed: list[ParsedActivity], name: str,
                      advance: Callable[[], None] = lambda: None) -> tuple[
        ImportCount, list[Activity]]:
    """Store activities read from watch or app files, once each.

    An activity is already stored when its source id matches, or when one of the same kind
    overlaps it in time: the same run from a FIT file, its GPX and Strava's CSV. When the new
    file is the richer source, its numbers improve the stored row (same id and uid, journalled
    for undo); either way it fills what the stored row lacks (a name, a heart rate).
    """
    count, pending = ImportCount(), []
    stored = _StoredActivities(session, parsed)
    for activity in parsed:
        advance()
        values = _values(activity)
        try:
            existing = stored.find(activity)
            if existing is None:
                row = _Pending(store.validated(ActivityCreate, values))
                stored.insert(row)
                pending.append(row)
                count.added += 1
                continue
            changes = _improvements(existing, values)
            if not changes:
                count.already += 1
            elif isinstance(existing, _Pending):  # added by this file, not yet stored
                existing.values = store.validated(ActivityCreate, existing.values | changes)
                count.improved += 1
            else:
                store.update(session, existing, changes=changes)
                count.improved += 1
        except InputError as exc:
            where = f"line {activity.line}" if activity.line else \
                f"the activity of {clock.format_at(activity.start)}"
            raise InputError(f"Cannot import {name}: {where}: {exc}") from None
    return count, store.insert_all(session, Activity, [row.values for row in pending])


class _Pending:
    """An activity this import will add, read like a stored row while the file is matched."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


class _StoredActivities:
    """The activities an import may meet again, loaded in one query (those around the
    file's time span) and kept in start order, by kind, with what the import adds."""

    def __init__(self, session: Session, parsed: list[ParsedActivity]) -> None:
        self._by_kind: dict[str, list[Activity | _Pending]] = {}
        self._by_source_id: dict[tuple[str, str], Activity | _Pending] = {}
        if not parsed:
            return
        first = min(a.start for a in parsed) - timedelta(seconds=units.MAX_DURATION_S)
        last = max(a.start + timedelta(seconds=a.elapsed_s or a.moving_s or 0)
                   for a in parsed) + SAME_START
        rows = session.exec(select(Activity).where(
            col(Activity.time_known).is_(True), col(Activity.at) >= first,
            col(Activity.at) <= last).order_by(col(Activity.at)))
        for row in rows:
            self.insert(row)

    def insert(self, row: "Activity | _Pending") -> None:
        rows = self._by_kind.setdefault(row.kind, [])
        bisect.insort(rows, row, key=lambda r: r.at)
        if row.source and row.source_id:
            self._by_source_id[(row.source, row.source_id)] = row

    def find(self, activity: ParsedActivity) -> "Activity | _Pending | None":
        """The same activity by the file's own id, else one of the same kind (any kind, when
        runrecover guessed this one's) overlapping it in time by half the longer one at
        least, or starting within two minutes of it when a duration is not known."""
        if activity.source_id is not None:
            known = self._by_source_id.get((activity.source, activity.source_id))
            if known is not None:
                return known
        start = activity.start
        seconds = activity.elapsed_s or activity.moving_s
        end = start + timedelta(seconds=seconds or 0)
        # A kind runrecover guessed (a FIT file that says "generic") is no reason to store
        # Strava's ride twice: then any kind matches, and the stored one stays.
        kinds = [activity.kind] if activity.kind_said else list(self._by_kind)
        for kind in kinds:
            found = self._overlapping(activity, self._by_kind.get(kind, []), start, end, seconds)
            if found is not None:
                return found
        return self._same_moment(activity, start, seconds)

    def _same_moment(self, activity: ParsedActivity, start: datetime,
                     seconds: float | None) -> "Activity | _Pending | None":
        """One of another kind that started the same moment and lasted as long: files name
        one activity's sport differently (Strava's "Workout" is a FIT file's "training"),
        and no one starts two activities in the same second."""
        for rows in self._by_kind.values():
            low = bisect.bisect_left(rows, start - SAME_MOMENT, key=lambda r: r.at)
            high = bisect.bisect_right(rows, start + SAME_MOMENT, key=lambda r: r.at)
            for row in rows[low:high]:
                row_seconds = row.duration_s or row.moving_s
                if seconds and row_seconds and abs(seconds - row_seconds) <= (
                        SAME_LENGTH * max(seconds, row_seconds)) and not _two_ids(row, activity):
                    return row
        return None

    @staticmethod
    def _overlapping(activity: ParsedActivity, rows: list["Activity | _Pending"],
                     start: datetime, end: datetime,
                     seconds: float | None) -> "Activity | _Pending | None":
        low = bisect.bisect_left(rows, start - timedelta(seconds=units.MAX_DURATION_S),
                                 key=lambda r: r.at)
        high = bisect.bisect_right(rows, end + SAME_START, key=lambda r: r.at)
        for row in rows[low:high]:
            if _two_ids(row, activity):
                continue
            row_seconds = row.duration_s or row.moving_s
            if not seconds or not row_seconds:
                if abs(row.at - start) <= SAME_START:
                    return row
                continue
            row_end = row.at + timedelta(seconds=row_seconds)
            shared = (min(end, row_end) - max(start, row.at)).total_seconds()
            if shared >= MIN_OVERLAP * max(seconds, row_seconds):
                return row
        return None


def _two_ids(row: "Activity | _Pending", activity: ParsedActivity) -> bool:
    """Whether one source gives them two ids: two activities (a tour and its daily rides)."""
    return bool(row.source == activity.source and row.source_id and activity.source_id
                and row.source_id != activity.source_id)


def _values(activity: ParsedActivity) -> dict[str, Any]:
    return {"kind": activity.kind, "at": activity.start, "time_known": True,
            "distance_km": activity.distance_km, "duration_s": activity.elapsed_s,
            "moving_s": activity.moving_s, "avg_hr": activity.avg_hr, "rpe": activity.rpe,
            "source": activity.source, "source_id": activity.source_id,
            "note": activity.name}


_MEASURED = ("distance_km", "duration_s", "moving_s", "avg_hr", "source", "source_id")
_FILLED = ("note", "rpe", "avg_hr", "distance_km", "duration_s", "moving_s")


def _improvements(row: Activity, values: dict[str, Any]) -> dict[str, Any]:
    richer = RICHNESS.get(values["source"], 0) > RICHNESS.get(row.source or "", 0)
    changes = {}
    for name in _MEASURED if richer else ():
        if values[name] is not None and values[name] != getattr(row, name):
            changes[name] = values[name]
    if richer and values["at"] != row.at:
        changes["at"] = values["at"]
    for name in _FILLED:
        if getattr(row, name) is None and values[name] is not None and name not in changes:
            changes[name] = values[name]
    return changes


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

