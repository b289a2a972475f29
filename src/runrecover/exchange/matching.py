"""The same activity stored once: an imported activity matched to a stored one (the same
kind and overlapping time, or the file's own id), and the stored row improved by a richer
source."""

import bisect
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from runrecover import clock, units
from runrecover.activity_files import ParsedActivity
from runrecover.records import Records
from runrecover.rows import DAY_ONLY_SLACK, label
from runrecover.vocab import HARD_RUN_TYPES

# Which source wins when two files hold the same activity: the device's own file, then the
# formats that keep less of it. Entries logged by hand and JSON imports rank lowest.
RICHNESS = {"fit": 4, "tcx": 3, "gpx": 2, "strava-csv": 1, "garmin-csv": 1}
SAME_START = timedelta(minutes=2)  # for activities whose duration is not known
SAME_MOMENT = timedelta(seconds=10)  # with SAME_LENGTH: one activity, whatever the kinds say
SAME_LENGTH = 0.1
SAME_DAY_SHARE = 0.03  # two entries of one day with no time: the distances typed the same
# Of the longer record's time, for two records to be one activity: a FIT file and its GPX
# differ by seconds; a ride of two minutes inside another's three hours is another ride.
MIN_OVERLAP = 0.5


class Pending:
    """An activity this import will add, read like a stored row while the file is matched."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


class StoredActivities:
    """The activities an import may meet again, loaded in one query (those around the
    file's time span) and kept in start order, by kind, with what the import adds: each
    activity of the file is then matched by its source id (a dict) or its start (bisection
    in a kind's list), never by a query of its own."""

    def __init__(self, records: Records, parsed: list[ParsedActivity]) -> None:
        self._by_kind: dict[str, list[Any]] = {}
        self._by_source_id: dict[tuple[str, str], Any] = {}
        # Activities logged with no time of day, by kind and day: a file's activity of that
        # day and kind, of a similar distance, is the same one (the file brings its time).
        self._day_only: dict[tuple[str, date], list[Any]] = {}
        if not parsed:
            return
        first = min(a.start for a in parsed) - timedelta(seconds=units.MAX_DURATION_S)
        last = max(a.start + timedelta(seconds=a.elapsed_s or a.moving_s or 0)
                   for a in parsed) + SAME_START
        for row in records.stored_activities(since=first - DAY_ONLY_SLACK,
                                             until=last + DAY_ONLY_SLACK, timed_only=False):
            if row.time_known:
                self.insert(row)
            else:
                self._day_only.setdefault((row.kind, clock.local(row.at).date()),
                                          []).append(row)

    def insert(self, row: Any) -> None:
        rows = self._by_kind.setdefault(row.kind, [])
        bisect.insort(rows, row, key=lambda r: r.at)
        if row.source and row.source_id:
            self._by_source_id[(row.source, row.source_id)] = row

    @property
    def empty(self) -> bool:
        """Whether nothing is there to meet (a first import into a new file)."""
        return not self._by_kind and not self._day_only

    def find(self, activity: ParsedActivity, taken: set[int] | frozenset[int] = frozenset()
             ) -> Any:
        """The same activity by the file's own id, else one of the same kind (any kind, when
        runrecover guessed this one's) overlapping it in time by half the longer one at
        least, or starting within two minutes of it when a duration is not known. A stored
        row whose id is in `taken` (matched by another entry of the file) is not met again:
        one stored run never swallows two of the file's."""
        if activity.source_id is not None:
            known = self._by_source_id.get((activity.source, activity.source_id))
            if known is not None and not is_taken(known, taken):
                return known
        start = activity.start
        seconds = activity.elapsed_s or activity.moving_s
        end = start + timedelta(seconds=seconds or 0)
        # A kind runrecover guessed (a FIT file that says "generic") is no reason to store
        # Strava's ride twice: then any kind matches, and the stored one stays.
        kinds = [activity.kind] if activity.kind_said else list(self._by_kind)
        for kind in kinds:
            found = self._overlapping(activity, self._by_kind.get(kind, []), start, end, seconds,
                                      taken)
            if found is not None:
                return found
        found = self._same_moment(activity, start, seconds, taken)
        if found is not None:
            return found
        day = clock.local(start).date()
        return closest([row for kind in kinds for row in self._day_only.get((kind, day), [])
                        if similar_distance(row.distance_km, activity.distance_km, SAME_LENGTH)
                        and not is_taken(row, taken)], activity.distance_km)

    def _same_moment(self, activity: ParsedActivity, start: datetime,
                     seconds: float | None, taken: set[int] | frozenset[int]) -> Any:
        """One of another kind that started the same moment and lasted as long: files name
        one activity's sport differently (Strava's "Workout" is a FIT file's "training"),
        and no one starts two activities in the same second."""
        for rows in self._by_kind.values():
            low = bisect.bisect_left(rows, start - SAME_MOMENT, key=lambda r: r.at)
            high = bisect.bisect_right(rows, start + SAME_MOMENT, key=lambda r: r.at)
            for row in rows[low:high]:
                if is_taken(row, taken):
                    continue
                row_seconds = row.duration_s or row.moving_s
                if seconds and row_seconds and abs(seconds - row_seconds) <= (
                        SAME_LENGTH * max(seconds, row_seconds)) and not _two_ids(row, activity):
                    return row
        return None

    @staticmethod
    def _overlapping(activity: ParsedActivity, rows: list[Any],
                     start: datetime, end: datetime,
                     seconds: float | None, taken: set[int] | frozenset[int]) -> Any:
        low = bisect.bisect_left(rows, start - timedelta(seconds=units.MAX_DURATION_S),
                                 key=lambda r: r.at)
        high = bisect.bisect_right(rows, end + SAME_START, key=lambda r: r.at)
        for row in rows[low:high]:
            if _two_ids(row, activity) or is_taken(row, taken):
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


class SameDay:
    """Stored activities an import's entry with no time of day may repeat: one of the same
    kind on the same calendar day, of the same distance (within 3 %), its time of day known
    or not. Days are compared as days in every zone: a day-only row's own date, a timed
    row's local day. Read in one query around all of them."""

    def __init__(self, records: Records, days: list[date]) -> None:
        self._by_day: dict[tuple[str, date], list[Any]] = {}
        if days:
            # A day-only row is stored at UTC midnight of its day; a timed one on a local
            # day is within DAY_ONLY_SLACK of that day's UTC midnights.
            since = datetime.combine(min(days), time(), tzinfo=UTC) - DAY_ONLY_SLACK
            until = datetime.combine(max(days) + timedelta(days=1), time(),
                                     tzinfo=UTC) + DAY_ONLY_SLACK
            for row in records.stored_activities(since=since, until=until, timed_only=False):
                self._by_day.setdefault((row.kind, clock.local(row.at).date()), []).append(row)

    def find(self, kind: str, day: date, distance_km: float | None,
             taken: set[int] | frozenset[int] = frozenset()) -> Any:
        """The closest in distance of those not `taken` (matched by another entry)."""
        return closest([row for row in self._by_day.get((kind, day), [])
                        if similar_distance(row.distance_km, distance_km, SAME_DAY_SHARE)
                        and not is_taken(row, taken)], distance_km)


def is_taken(row: Any, taken: set[int] | frozenset[int]) -> bool:
    """Whether a stored row is already matched by another entry of the file (an activity
    this import adds has no id yet, and is never taken)."""
    row_id = getattr(row, "id", None)
    return row_id is not None and row_id in taken


def closest(rows: list[Any], distance_km: float | None) -> Any:
    """Of rows that may be the same activity, the one of the closest distance, else the first."""
    if distance_km is None:
        return rows[0] if rows else None
    return min(rows, key=lambda row: abs((row.distance_km or 0) - distance_km), default=None)


def nearness(row: Any, at: datetime, time_known: bool, distance_km: float | None
             ) -> tuple[float, float]:
    """How far an entry is from a stored row it may be: in time (when both have one), then
    in distance; the nearest entry of a file takes the row."""
    seconds = abs((row.at - at).total_seconds()) if row.time_known and time_known else 0.0
    km = (abs(row.distance_km - distance_km)
          if row.distance_km is not None and distance_km is not None else 0.0)
    return seconds, km


def similar_distance(one: float | None, other: float | None, share: float) -> bool:
    """Two distances within `share` of the longer, or both not known."""
    if one is None or other is None:
        return one is None and other is None
    return abs(one - other) <= share * max(one, other)


def _two_ids(row: Any, activity: ParsedActivity) -> bool:
    """Whether one source gives them two ids: two activities (a tour and its daily rides)."""
    return bool(row.source == activity.source and row.source_id and activity.source_id
                and row.source_id != activity.source_id)


def activity_values(activity: ParsedActivity) -> dict[str, Any]:
    return {"kind": activity.kind, "at": activity.start, "time_known": True,
            "distance_km": activity.distance_km, "duration_s": activity.elapsed_s,
            "moving_s": activity.moving_s, "avg_hr": activity.avg_hr, "rpe": activity.rpe,
            "source": activity.source, "source_id": activity.source_id,
            "note": activity.name}


_MEASURED = ("distance_km", "duration_s", "moving_s", "avg_hr", "source", "source_id")
_FILLED = ("note", "rpe", "avg_hr", "distance_km", "duration_s", "moving_s")


def improvements(row: Any, values: dict[str, Any]) -> dict[str, Any]:
    richer = RICHNESS.get(values["source"], 0) > RICHNESS.get(row.source or "", 0)
    changes = {}
    for name in _MEASURED if richer else ():
        if values[name] is not None and values[name] != getattr(row, name):
            changes[name] = values[name]
    if (richer or not row.time_known) and values["at"] != row.at:
        changes["at"] = values["at"]
    if not row.time_known:
        changes["time_known"] = True  # a file's activity has its time: the day-only log gains it
    for name in _FILLED:
        if getattr(row, name) is None and values[name] is not None and name not in changes:
            changes[name] = values[name]
    return changes


# What an export's entry brings to the same activity stored under another uid (the run
# logged on the phone and on the laptop): what the stored row lacks is filled, and where
# both say how much it hurt or how hard it was, the stricter is kept, never the lower.
_FILLED_BY_ENTRY = ("note", "run_type", "rpe", "pain_during", "pain_after", "avg_hr",
                    "distance_km", "duration_s", "moving_s")
_STRICTER = ("pain_during", "pain_after", "rpe")


def _shown_value(name: str, value: Any) -> str:
    return str(getattr(value, "value", value))


def entry_improvements(row: Any, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The changes an export's entry makes to the same activity stored under another uid,
    and, in words, where both gave a pain or effort that differ (the higher is kept) or a run
    type (the harder is kept)."""
    changes: dict[str, Any] = {}
    said: list[str] = []
    if not row.time_known and values["time_known"]:
        changes |= {"at": values["at"], "time_known": True}  # its time of day, now known
    for name in _FILLED_BY_ENTRY:
        new, old = values.get(name), getattr(row, name)
        if new is None or new == old:
            continue
        if old is None:
            changes[name] = new
            continue
        if name in _STRICTER:
            kept = max(new, old)
            if kept == new:
                changes[name] = new
            said.append(f"{label(name)} {_shown_value(name, old)} stored, "
                        f"{_shown_value(name, new)} in the file: {_shown_value(name, kept)}"
                        " (the higher) is kept")
        elif name == "run_type":
            harder = new in HARD_RUN_TYPES and old not in HARD_RUN_TYPES
            if harder:
                changes[name] = new
            said.append(f"run type {_shown_value(name, old)} stored, "
                        f"{_shown_value(name, new)} in the file: "
                        f"{_shown_value(name, new if harder else old)} is kept")
    return changes, said
