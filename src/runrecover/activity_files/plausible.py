"""Judging each activity a file gives, before anything is stored: a value no activity can
have is dropped (the rest of the activity kept), an activity that cannot be placed is left
out, and a pace no one holds in that sport is said. Each judgment is a `Note`."""

from msgspec.structs import replace

from runrecover import units
from runrecover.activity_files.reading import Note, ParsedActivity, Reading
from runrecover.protocols.limits import load_limits
from runrecover.vocab import ActivityKind

HEART_RATES = (25, 250)  # beats per minute an average can be


def judged(reading: Reading, *, first_year: int, last_year: int) -> Reading:
    """The reading with each activity judged; its notes and the new ones, in file order."""
    notes = list(reading.notes)
    kept = []
    for activity in reading.activities:
        result = _judge(activity, notes, years=(first_year, last_year))
        if result is not None:
            kept.append(result)
    notes.sort(key=lambda note: note.line or 0)
    return Reading(kept, notes)


def _judge(activity: ParsedActivity, notes: list[Note], *,
           years: tuple[int, int]) -> ParsedActivity | None:
    def note(text: str, skipped: bool = False) -> None:
        notes.append(Note(text, activity.line, activity.source_id, skipped))

    if not years[0] <= activity.start.year <= years[1]:
        note(f"its date ({activity.start:%Y-%m-%d}) is out of range "
             f"(years {years[0]} to {years[1]})", skipped=True)
        return None
    changes: dict[str, object] = {}
    for field, label in (("elapsed_s", "elapsed time"), ("moving_s", "moving time")):
        seconds = getattr(activity, field)
        if seconds is not None and seconds <= 0:
            changes[field] = None  # how exports write "not recorded"
        elif seconds is not None and seconds > units.MAX_DURATION_S:
            changes[field] = None
            note(f"its {label} ({_days(seconds)}) is dropped: over 7 days, a recording left "
                 "running")
    if activity.distance_km is not None and activity.distance_km > units.MAX_DISTANCE_KM:
        changes["distance_km"] = None
        note(f"its distance ({activity.distance_km:,.0f} km) is dropped: over "
             f"{units.MAX_DISTANCE_KM:,.0f} km")
    if activity.avg_hr is not None and not HEART_RATES[0] <= activity.avg_hr <= HEART_RATES[1]:
        changes["avg_hr"] = None
        note(f"its average heart rate ({activity.avg_hr:.0f}) is dropped: no heart beats so")
    activity = replace(activity, **changes) if changes else activity
    return _pace_judged(activity, note)


def _pace_judged(activity: ParsedActivity, note) -> ParsedActivity:
    seconds = activity.moving_s or activity.elapsed_s
    # Under a kilometre a track's few points say little about its speed.
    if not activity.distance_km or not seconds or activity.distance_km < 1:
        return activity
    fastest = load_limits().fastest_for(activity.kind, activity.distance_km)
    kmh = activity.distance_km / (seconds / 3600)
    if fastest is None or kmh <= fastest.kmh:
        return activity
    # Files measure in kilometres, and the import summary says so.
    pace = units.KM.pace(units.pace_s_per_km(activity.distance_km, seconds))
    if not activity.kind_said:
        note(f"at {pace} ({kmh:.0f} km/h) it cannot have been a {activity.kind}: stored as "
             "other (--activity says what it was)")
        return replace(activity, kind=ActivityKind.other.value)
    note(f"its pace, {pace} ({kmh:.0f} km/h), is not a {activity.kind}'s: check its "
         "distance and time")
    return activity


def _days(seconds: float) -> str:
    days = seconds / 86400
    return f"{days:.0f} days" if days >= 2 else units.format_duration(seconds)
