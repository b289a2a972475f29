"""Import of runrecover's JSON: all-or-nothing (the caller's one transaction), idempotent
by uid, types checked strictly, dates kept as dates. It reads and writes through `Records`:
the local file through sqlite3 (no SQLAlchemy, SQLModel or pydantic for a plainly valid
export), a database server through SQLAlchemy, with the same behaviour."""

import codecs
import functools
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from runrecover import clock, dates, units
from runrecover.activity_files import Note, ParsedActivity
from runrecover.errors import InputError
from runrecover.exchange.matching import SameDay, StoredActivities, entry_improvements, nearness
from runrecover.exchange.records import FORMAT_NAME, FORMAT_VERSION, MAX_UID, SECTIONS, ImportCount
from runrecover.records import Records, validated
from runrecover.rows import COLUMNS, entry_fields, label, onset_text


def _parse_moment(value: Any, where: str, *, date_only: bool = False,
                  field: str = "at") -> datetime:
    """A moment from an export; with `date_only` (an entry whose time of day is not known)
    the calendar date it names, as written, whatever offset an older export gave it: read as
    an instant, it would move to another day in a zone west or east of the one it came from."""
    if not isinstance(value, str):
        raise InputError(f"{where}: '{field}' must be an ISO date and time, not {value!r}.")
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


def read_json_document(data: bytes, name: str, *, parsed: Any = None) -> dict[str, Any]:
    """A runrecover export read and checked; `parsed` is `data` already parsed (by
    `activity_files.identify`), used unless `data` opens with a byte order mark, which is
    refused here as before."""
    try:
        document = (parsed if parsed is not None and not data.startswith(codecs.BOM_UTF8)
                    else json.loads(data.decode("utf-8")))
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


def import_json(records: Records, document: dict[str, Any], name: str,
                advance: Callable[[], None] = lambda: None, *,
                clashes: str = "refuse") -> tuple[ImportCount, list[Any], list[Note]]:
    """Store a runrecover export's entries; returns the counts, the activities added, and
    notes. An entry whose uid is stored with other content refuses the import (`clashes`
    "refuse": the stored one may be the newer instruction, or the older), else the file's
    replaces it ("replace", journalled for `undo`) or the stored one is kept and noted
    ("keep").

    Each section is checked entry by entry, then stored in one INSERT. What is stored
    before is read once per section for all its entries: the rows with their uids, the
    injuries they point at, the activities around theirs; then each entry is looked up
    in those, never queried for on its own."""
    count, notes = ImportCount(), []
    injury_ids: dict[str, int] = {}
    injuries: dict[int, Any] = {}  # by id: those the file's pain and treatments point at
    current = _latest_now(document)
    latest_today = _days_anywhere(current)[1]
    added_activities: list[Any] = []
    changed_activities: list[Any] = []  # improved or replaced: checked like those added
    clashing: list[str] = []  # each entry stored with other content, in words
    for section, kind in SECTIONS.items():
        entries = document.get(section, [])
        uids = {entry.get("uid") for entry in entries if isinstance(entry.get("uid"), str)}
        stored = records.stored_by_uid(kind, uids)
        elsewhere = records.uids_elsewhere(kind, uids - stored.keys())
        if elsewhere:
            # An entry belongs to one athlete: the same export imported for two would make
            # one entry theirs both. Whose it is stays unsaid.
            raise InputError(f"{name}: {len(elsewhere)} of its {section} (uid "
                             f"{min(elsewhere)}{', …' if len(elsewhere) > 1 else ''}) "
                             "belong to another athlete in this database, so nothing was "
                             "imported (an export goes back into the athlete it was made "
                             "from).")
        referred = {entry.get("injury_uid") for entry in entries
                    if isinstance(entry.get("injury_uid"), str)} - injury_ids.keys()
        if referred:
            found = records.stored_by_uid("injury", referred)
            injury_ids |= {uid: row.id for uid, row in found.items()}
            injuries |= {row.id: row for row in found.values()}
        allowed = set(entry_fields(kind)) | {"injury_uid"}
        new: dict[str, dict[str, Any]] = {}  # by uid, in the file's order
        matcher = (_ActivityMatcher(records, entries, {row.id for row in stored.values()})
                   if kind == "activity" else None)
        for index, raw in enumerate(entries):
            advance()
            where = f"{name}: {section}[{index}]"
            entry = dict(raw)
            uid = entry.pop("uid", None)
            if not isinstance(uid, str) or not uid:
                raise InputError(f"{where} has no uid.")
            if len(uid) > MAX_UID or not uid.isprintable():
                raise InputError(f"{where} has an unreadable uid {units.quoted(uid)}: "
                                 f"a uid is printable text of at most {MAX_UID} characters.")
            unknown = () if allowed.issuperset(entry) else entry.keys() - allowed
            if unknown:
                raise InputError(f"{where} has fields runrecover does not know: "
                                 f"{', '.join(sorted(unknown))}.")
            _check_json_types(kind, entry, where)
            if "injury_uid" in entry:
                entry["injury_id"] = _injury_id(entry.pop("injury_uid"), injury_ids, where)
            if "at" in entry:
                entry["at"] = _parse_moment(entry["at"], where,
                                            date_only=entry.get("time_known") is False)
            if entry.get("onset_at") is not None:  # an injury's onset with its time known
                entry["onset_at"] = _parse_moment(entry["onset_at"], where, field="onset_at")
            try:
                values = validated(kind, entry)
            except InputError as exc:
                raise InputError(f"{where}: {exc}") from None
            existing: Any = None
            found_by_time = False
            if uid in new or uid in stored:
                existing = new.get(uid) or stored[uid]
                differing = _differing(existing, values)
                if differing and uid not in new and clashes == "refuse":
                    # Every one is named, then the import refused: not the first alone.
                    clashing.append(_clash_text(kind, existing, values, differing))
                    if kind == "injury":
                        injury_ids[uid] = existing.id
                        injuries[existing.id] = existing
                    continue
                if differing and uid not in new and clashes == "replace":
                    _check_as_commands_do(kind, values, injuries, current, where)
                    notes.append(Note(f"{section}[{index}] replaced "
                                      + _clash_text(kind, existing, values, differing,
                                                    replaced=True)
                                      + _loosened(kind, existing, values, differing)))
                    row = records.update_row(kind, existing,
                                             changes={field: values[field] for field in differing})
                    if kind == "activity":
                        changed_activities.append(row)
                    count.replaced += 1
                    if kind == "injury":
                        injury_ids[uid] = existing.id
                        injuries[existing.id] = existing
                    continue
                if differing:
                    before, kept = (("an entry read before", "the first one") if uid in new
                                    else (f"a stored {kind}", "the stored one"))
                    notes.append(Note(f"{section}[{index}] has the uid {uid} of {before} with "
                                      f"another {', '.join(map(label, differing))}: "
                                      f"{kept} is kept"))
            elif matcher is not None:
                # Stored under another uid (another device, a watch file): skipped. Two
                # entries of this file never are: in one export, two uids are two entries,
                # and this file's entries are stored only once all are read. A stored row
                # is the same as one entry at most, the nearest (`_ActivityMatcher`).
                existing = matcher.find(index, values)
                found_by_time = existing is not None
            if found_by_time:
                # The same activity from another device: what it adds is kept, and a pain
                # or an effort never lowered.
                changes, said = entry_improvements(existing, values)
                if (existing.distance_km is not None and values["distance_km"] is not None
                        and "distance_km" not in changes
                        and existing.distance_km != values["distance_km"]):
                    said.append(f"its distance differs ({existing.distance_km:g} km stored, "
                                f"{values['distance_km']:g} km in the file): the stored one "
                                "is kept")
                if said:
                    when = clock.format_at(existing.at, existing.time_known)
                    notes.append(Note(f"{section}[{index}] is the {existing.kind} of {when} "
                                      f"already stored: {'; '.join(said)}"))
                if changes:
                    changed_activities.append(records.update_row("activity", existing,
                                                                 changes=changes))
                    count.improved += 1
                else:
                    count.already += 1
                continue
            if existing is not None:
                count.already += 1
                if kind == "injury" and uid not in new:
                    injury_ids[uid] = existing.id
                    injuries[existing.id] = existing
                continue
            outside = _check_as_commands_do(kind, values, injuries, current, where,
                                            latest_today=latest_today)
            if outside is not None:
                notes.append(Note(f"{section}[{index}] {outside}"))
            new[uid] = values
        # Only injuries (their ids) and activities (checked against restrictions) are
        # needed back: reading back ten years of pain scores as rows costs a second.
        for uid, values in new.items():
            values["uid"] = uid  # (each entry's own dict, made by `validated`)
        added = records.insert_rows(kind, list(new.values()),
                                    read_back=kind in ("injury", "activity"))
        if kind == "injury":
            injury_ids |= {row.uid: row.id for row in added}
            injuries |= {row.id: row for row in added}
        elif kind == "activity":
            added_activities = added
        count.added += len(new)
    if clashing:
        more = len(clashing) - CLASHES_SHOWN
        listed = "; ".join(clashing[:CLASHES_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        raise InputError(f"{name}: {listed}; nothing was imported: add --replace to take the "
                         "file's versions or --keep to keep the ones stored.")
    # What an import changed can break a restriction as much as what it adds: a day-only
    # run given its time of day, in the hours a treatment forbade running.
    return count, [*added_activities, *changed_activities], notes


class _ActivityMatcher:
    """The stored activity an export's entry under an unknown uid repeats: one of the same
    kind that day (no time of day) or overlapping in time. A stored row is matched by one
    entry of the file at most (`taken`, by id: those whose uid the file holds too), and when
    a later entry of the file is nearer to it (in time, then distance) the later one takes
    it and this one looks further, else is added."""

    def __init__(self, records: Records, entries: list[dict[str, Any]], taken: set[int]) -> None:
        self.records, self.entries, self.taken = records, entries, taken
        self._same_day: SameDay | None = None
        self._stored: StoredActivities | None = None
        self._by_day: dict[date, list[tuple[int, dict[str, Any]]]] | None = None

    def _find(self, values: dict[str, Any], taken: set[int]) -> Any:
        if not values["time_known"]:
            if self._same_day is None:
                self._same_day = SameDay(self.records, _untimed_days(self.entries))
            return self._same_day.find(values["kind"], clock.local(values["at"]).date(),
                                       values["distance_km"], taken)
        if self._stored is None:
            self._stored = StoredActivities(self.records, _timed_activities(self.entries))
        return None if self._stored.empty else self._stored.find(_parsed(values), taken)

    def _rivals(self, index: int, day: date) -> list[dict[str, Any]]:
        """The file's later activities of that day, read leniently (what cannot be read is
        left to the validation that names it), those whose uid is stored left out."""
        if self._by_day is None:
            self._by_day = {}
            for number, entry in enumerate(self.entries):
                try:
                    timed = entry.get("time_known") is not False
                    at = _parse_moment(entry.get("at"), "", date_only=not timed)
                    distance = entry.get("distance_km")
                    rival = {"kind": entry.get("kind"), "at": at, "time_known": timed,
                             "distance_km": float(distance) if isinstance(
                                 distance, int | float) and not isinstance(distance, bool)
                             else None,
                             "uid": entry.get("uid")} | {
                        name: entry.get(name) for name in (
                            "duration_s", "moving_s", "avg_hr", "rpe", "note", "source",
                            "source_id")}
                    rival["source"] = rival["source"] or ""
                    for name in ("duration_s", "moving_s"):  # as `_timed_activities` reads them
                        seconds = rival[name]
                        if not (isinstance(seconds, int | float) and not isinstance(seconds, bool)
                                and 0 < seconds <= units.MAX_DURATION_S):
                            rival[name] = None
                except (InputError, TypeError, ValueError):
                    continue
                self._by_day.setdefault(clock.local(at).date(), []).append((number, rival))
        return [rival for number, rival in self._by_day.get(day, []) if number > index]

    def find(self, index: int, values: dict[str, Any]) -> Any:
        passed: set[int] = set()
        rivals = None  # read once a stored row is found: a first import finds none
        while True:
            row = self._find(values, self.taken | passed)
            if row is None:
                return None
            if rivals is None:
                rivals = self._rivals(index, clock.local(values["at"]).date())
            mine = nearness(row, values["at"], values["time_known"], values["distance_km"])
            nearer = False
            for rival in rivals:
                if rival["kind"] != values["kind"]:
                    continue
                try:
                    theirs = nearness(row, rival["at"], rival["time_known"],
                                      rival["distance_km"])
                    if theirs < mine:
                        found = self._find(rival, self.taken | passed)
                        nearer = found is not None and found.id == row.id
                except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
                    continue  # an entry that cannot be read: its validation names it
                if nearer:
                    break
            if not nearer:
                self.taken.add(row.id)
                return row
            passed.add(row.id)


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


def _untimed_days(entries: list[dict[str, Any]]) -> list[date]:
    """The days of an export's activities with no time of day, for loading what they may
    repeat; an entry that cannot be read is left to the validation that names it."""
    found = []
    for entry in entries:
        if entry.get("time_known") is False:
            try:
                found.append(_parse_moment(entry.get("at"), "", date_only=True).date())
            except InputError:
                continue
    return found


# The JSON type each field must have, by its Python type: JSON has no dates, so they are text.
_JSON_TYPES = {bool: (bool,), int: (int,), float: (int, float)}
_JSON_NAMES = {bool: "true or false", int: "a whole number", float: "a number"}


@functools.cache
def _python_types(kind: str) -> dict[str, tuple[type, tuple[type, ...], frozenset[type]]]:
    """Each field's Python type, as far as JSON tells them apart (bool, int, float or str),
    the types its JSON value may have, and those types exactly (what `json` makes)."""
    fields = entry_fields(kind)
    found = {}
    for name, python_type, _ in COLUMNS[kind]:
        if name in fields:
            python_type = python_type if python_type in (bool, int, float) else str
            allowed = _JSON_TYPES.get(python_type, (str,))
            found[name] = (python_type, allowed, frozenset(allowed))
    return found


@functools.cache
def _exact_types(kind: str) -> dict[str, frozenset[type]]:
    """Each field's JSON types exactly, and none (`type(None)`): what passes at once."""
    return {name: exactly | {type(None)} for name, (_, _, exactly) in _python_types(kind).items()}


@functools.cache
def _plain_pairs(kind: str) -> frozenset[tuple[str, type]]:
    """(field, type) of each value that passes at once: `_exact_types`, and an injury's uid
    as text or none (what it names is asked by `_injury_id`)."""
    return frozenset({(name, found) for name, types in _exact_types(kind).items()
                      for found in types} | {("injury_uid", str), ("injury_uid", type(None))})


def _check_json_types(kind: str, entry: dict[str, Any], where: str) -> None:
    """Refuse what a lenient validation would coerce: `true` as a score of 1, "3" as 3 days,
    "yes" as true. Booleans are not numbers and text is neither."""
    if _plain_pairs(kind).issuperset(zip(entry, map(type, entry.values()), strict=True)):
        return  # every field of its exact JSON type or none, asked at once
    exact = _exact_types(kind)
    types = _python_types(kind)
    for field_name, value in entry.items():
        quick = exact.get(field_name)
        if quick is None or type(value) in quick:
            continue  # what JSON gives (or none), or a field not typed here: as before
        python_type, allowed, _ = types[field_name]  # (a subclass, e.g. of int or str)
        if isinstance(value, bool) and python_type is not bool or not isinstance(value, allowed):
            wanted = _JSON_NAMES.get(python_type, "text")
            raise InputError(f"{where}: '{field_name}' must be {wanted}, not "
                             f"{json.dumps(value, ensure_ascii=False)[:40]}.")


def _differing(stored: Any, values: dict[str, Any]) -> list[str]:
    """The fields `values` gives otherwise than a stored row (or an entry read before)."""
    get = stored.get if isinstance(stored, dict) else lambda name: getattr(stored, name)
    return [field_name for field_name, value in values.items()
            if _to_the_second(get(field_name)) != _to_the_second(value)]


def _to_the_second(value: Any) -> Any:
    """A moment as the export writes it (`clock.iso`, to the second): an entry recorded
    "now" keeps its microseconds here, and its own export is the same entry."""
    return value.replace(microsecond=0) if isinstance(value, datetime) else value


# How far ahead of this machine's clock another device's may be (a phone's, set by hand).
CLOCK_SKEW = timedelta(minutes=10)


def _latest_now(document: dict[str, Any]) -> datetime:
    """Now, or the moment the file says it was exported when that is later by no more than
    `CLOCK_SKEW`: what had happened when the export was made is not in the future here
    because this machine's clock is a minute behind the phone's. A later `exported_at` (a
    clock a year ahead, a file written by hand) moves nothing: a pain score to come would
    lift a gate before the runner ever gave it."""
    current = clock.now()
    try:
        exported = datetime.fromisoformat(document.get("exported_at"))
    except (TypeError, ValueError):
        return current
    if exported.tzinfo is None:
        return current
    return max(current, min(exported, current + CLOCK_SKEW))


# What each kind of entry is in words, for what cannot be in the future.
_THAT_HAPPENED = {"pain": "a pain score", "activity": "an activity"}
# The calendar day of one instant differs by zone: 12 hours west of UTC to 14 hours east.
_WEST, _EAST = timedelta(hours=12), timedelta(hours=14)


def _days_anywhere(at: datetime) -> tuple[date, date]:
    """The first and last calendar day an instant is on, in some zone."""
    utc = at.astimezone(UTC)
    return (utc - _WEST).date(), (utc + _EAST).date()


def _check_as_commands_do(kind: str, values: dict[str, Any], injuries: dict[int, Any],
                          current: datetime, where: str, *,
                          latest_today: date | None = None) -> str | None:
    """Refuse a pain score or an activity in the future, as the commands always have
    (`dates.refuse_future`). What the commands refuse today but older versions stored (an
    injury begun or resolved in the future or resolved before it began, a pain score or a
    treatment outside its injury's dates, `rows.check_within_injury`) must travel all the
    same: it is said, in words, as a note. Instants are compared as instants; a day with an
    instant or another day as the days they may be in any zone, since the file may come
    from another zone: an export made in Tokyo at 08:00 is not in the future in Los
    Angeles, nor is its pain of 23:30 on an injury's last day after it. The injuries are
    those read for the batch (`injuries`, by id): no query of its own. `latest_today` is
    `current`'s last day anywhere, when the caller worked it out once for the batch."""
    if latest_today is None:
        latest_today = _days_anywhere(current)[1]

    def future(value: datetime | date, time_known: bool) -> bool:
        return dates.is_future(value, time_known, current, today=latest_today)

    if kind in _THAT_HAPPENED and dates.is_future(values["at"], values["time_known"], current,
                                                  today=latest_today):
        raise InputError(f"{where} ({clock.format_at(values['at'], values['time_known'])}) is "
                         f"in the future, and {_THAT_HAPPENED[kind]} cannot be; nothing was "
                         "imported.")
    if kind == "injury":
        onset_at, onset_on = values["onset_at"], values["onset_on"]
        resolved = values["resolved_on"]
        for field_name, value, time_known in (
                ("onset", onset_at or onset_on, onset_at is not None),
                ("resolved day", resolved, False)):
            if value is not None and future(value, time_known):
                shown = clock.format_at(value) if time_known else clock.format_day(value)
                return (f"({values['name']}) has its {field_name} in the future ({shown}): "
                        f"imported all the same")
        first = _days_anywhere(onset_at)[0] if onset_at is not None else onset_on
        if resolved is not None and first is not None and resolved < first:
            return (f"({values['name']}) is resolved on {clock.format_day(resolved)}, before "
                    f"it began ({clock.format_day(onset_on)}): imported all the same")
        return None
    injury = injuries.get(values.get("injury_id")) if kind in ("pain", "treatment") else None
    if injury is None:
        return None
    at, timed = values["at"], values["time_known"]
    # The days (and the words) only where they are needed, once: eight thousand pain
    # scores of an import are within their injury's dates, and said in no note.
    days = None
    if timed and injury.onset_at is not None:
        before = at < injury.onset_at
    else:
        onset_day = (_days_anywhere(injury.onset_at)[0] if injury.onset_at is not None
                     else injury.onset_on)
        days = _days_of(at, timed) if onset_day is not None else None
        before = days is not None and days[1] < onset_day
    if before:
        return (f"({clock.format_at(at, timed)}) is before {injury.name} began "
                f"({onset_text(injury)}): imported all the same")
    if kind == "pain" and injury.resolved_on is not None \
            and (days or _days_of(at, timed))[0] > injury.resolved_on:
        return (f"({clock.format_at(at, timed)}) is after {injury.name} was resolved "
                f"({clock.format_day(injury.resolved_on)}): imported all the same")
    return None


def _days_of(at: datetime, timed: bool) -> tuple[date, date]:
    """The first and last calendar day an entry may be on: in some zone for an instant, its
    own day (local, as read) for an entry with no time of day."""
    return _days_anywhere(at) if timed else (clock.local(at).date(),) * 2


# The entries stored with other content a refusal names, then "and N more".
CLASHES_SHOWN = 10


def _loosened(kind: str, stored: Any, values: dict[str, Any], differing: list[str]) -> str:
    """What a replacement loosens, said plainly: a restriction shortened or a treatment's kind
    changed (its restrictions with it), a pain score lowered."""
    said = []
    for field in differing:
        old, new = getattr(stored, field), values[field]
        if kind == "treatment" and field in ("no_run_days", "rest_hours") and old is not None \
                and (new is None or new < old):
            said.append(f"it loosens a restriction ({label(field)} lowered from {old} to "
                        f"{_worded(field, new, values)})")
        elif kind == "treatment" and field == "kind":
            said.append("it changes the treatment's kind, and the restrictions with it")
        elif field in ("score", "pain_during", "pain_after") and old is not None \
                and (new is None or new < old):
            said.append(f"it lowers a {label(field)} from {old} to {_worded(field, new, values)}")
    return "".join(f"; WARNING: {text}" for text in said)


def _clash_text(kind: str, stored: Any, values: dict[str, Any], differing: list[str], *,
                replaced: bool = False) -> str:
    """"treatment 3 (physio on Wed 8 Jun 2016) differs from the file's: number of days without
    running none here, 10 in the file" (several fields joined by "and"); `replaced`:
    "treatment 3 (…): number of days without running none before, 10 now"."""
    what = kind.replace("_", " ")
    if kind == "injury":
        named = f"{stored.name}" + (f" since {onset_text(stored)}" if onset_text(stored) else "")
    else:
        said = (f"{stored.score}/10" if kind == "pain" else
                getattr(stored, "name", None) or _word(getattr(stored, "kind", None)
                                                       or getattr(stored, "action", "")))
        named = f"{said} on {clock.format_at(stored.at, stored.time_known)}"
    here, there = ("before", "now") if replaced else ("here", "in the file")
    return (f"{what} {stored.id} ({named})" + (": " if replaced else " differs from the file's: ")
            + " and ".join(f"{label(field)} {_worded(field, getattr(stored, field), stored)} "
                           f"{here}, {_worded(field, values[field], values)} {there}"
                           for field in differing))


def _word(value: Any) -> str:
    return str(getattr(value, "value", value))


def _worded(field: str, value: Any, entry: Any) -> str:
    """A value as a person reads it: none, a day, a moment, yes or no."""
    get = entry.get if isinstance(entry, dict) else lambda name: getattr(entry, name, True)
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return clock.format_at(value, get("time_known") if field == "at" else True)
    if isinstance(value, date):
        return clock.format_day(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and not isinstance(value, StrEnum):
        return units.quoted(value)
    return _word(value)


def _injury_id(uid: Any, known: dict[str, int], where: str) -> int | None:
    """The id of the injury `uid` names: one of the file's, or one stored before (all those
    a section names are read in one lookup before it)."""
    if uid is None:
        return None
    if not isinstance(uid, str):
        raise InputError(f"{where}: injury_uid must be a string, not {uid!r}.")
    if uid not in known:
        raise InputError(f"{where} refers to an injury ({uid}) that is neither in the file "
                         "nor in the database.")
    return known[uid]
