"""Import of activity files (FIT, GPX, TCX, CSV exports, folders and archives): every file
read first, then stored in the caller's one transaction, each activity once."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from runrecover import clock, dates
from runrecover.activity_files import Note, ParsedActivity
from runrecover.errors import InputError
from runrecover.exchange.json_import import import_json, read_json_document
from runrecover.exchange.matching import (
    Pending,
    StoredActivities,
    activity_values,
    improvements,
)
from runrecover.exchange.records import ImportCount
from runrecover.records import Records, validated

if TYPE_CHECKING:
    from runrecover.activity_files.sources import Source


class FileImport(Struct):
    """One file read for import: its format, what it holds, and what became of it."""

    name: str
    fmt: str
    content: Any  # a runrecover JSON document, or an activity file's `Reading`
    notes: list[Note] = field(default_factory=list)  # what was left out, dropped or kept
    count: ImportCount = field(default_factory=ImportCount)


class ImportPlan(Struct):
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
    from runrecover.activity_files import NotAnActivityError, identify, read
    from runrecover.activity_files.plausible import judged

    plan = ImportPlan([], [])
    for source in found:
        advance()
        try:
            data = source.load()
            fmt, document = identify(data, source.name)
            if fmt == "runrecover-json":
                plan.files.append(FileImport(source.name, fmt, read_json_document(
                    data, source.name, parsed=document)))
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


def store_files(records: Records, plan: ImportPlan,
                advance: Callable[[], None] = lambda: None, *,
                clashes: str = "refuse") -> list[Any]:
    """Store every file of the plan in the caller's one transaction; returns the activities
    added (for the rules to judge). `clashes` says what becomes of an export's entry whose
    uid is stored with other content (`json_import.import_json`)."""
    added = []
    for imported in plan.files:
        if imported.fmt == "runrecover-json":
            imported.count, rows, clashes = import_json(records, imported.content,
                                                        imported.name, advance,
                                                        clashes=clashes)
            imported.notes += clashes
        else:
            imported.count, rows = import_activities(records, imported.content.activities,
                                                     imported.name, advance)
        added += rows
    return added


def note_text(note: Note) -> str:
    """A note as the reader sees it: "line 5 (id 203707851): its elapsed time … dropped"."""
    where = " ".join(part for part in (
        f"line {note.line}" if note.line is not None else "",
        f"(id {note.source_id})" if note.source_id else "") if part)
    return f"{where}: {note.text}" if where else note.text


def import_activities(records: Records, parsed: list[ParsedActivity], name: str,
                      advance: Callable[[], None] = lambda: None) -> tuple[
        ImportCount, list[Any]]:
    """Store activities read from watch or app files, once each.

    An activity is already stored when its source id matches, or when one of the same kind
    overlaps it in time: the same run from a FIT file, its GPX and Strava's CSV. When the new
    file is the richer source, its numbers improve the stored row (same id and uid, journalled
    for undo); either way it fills what the stored row lacks (a name, a heart rate).
    """
    count, pending, changed = ImportCount(), [], []
    current = clock.now()
    stored = StoredActivities(records, parsed)
    taken: set[int] = set()  # stored rows matched: one never swallows two of the file's
    for activity in parsed:
        advance()
        values = activity_values(activity)
        try:
            if dates.is_future(activity.start, True, current):
                raise InputError("it is in the future, and an activity cannot be; nothing "
                                 "was imported.")
            existing = stored.find(activity, taken)
            if existing is not None and not isinstance(existing, Pending):
                taken.add(existing.id)
            if existing is None:
                row = Pending(validated("activity", values))
                stored.insert(row)
                pending.append(row)
                count.added += 1
                continue
            changes = improvements(existing, values)
            if not changes:
                count.already += 1
            elif isinstance(existing, Pending):  # added by this file, not yet stored
                existing.values = validated("activity", existing.values | changes)
                count.improved += 1
            else:  # checked against restrictions like those added (a day-only run timed)
                changed.append(records.update_row("activity", existing, changes=changes))
                count.improved += 1
        except InputError as exc:
            where = f"line {activity.line}" if activity.line else \
                f"the activity of {clock.format_at(activity.start)}"
            raise InputError(f"Cannot import {name}: {where}: {exc}") from None
    return count, [*records.insert_rows("activity", [row.values for row in pending],
                                        read_back=True), *changed]
