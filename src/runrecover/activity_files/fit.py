"""FIT activity files, read with fitdecode: one activity per session message."""

import io
import math
from datetime import datetime

from runrecover.activity_files.base import (
    NotAnActivity,
    ParsedActivity,
    Reading,
    Unreadable,
    brief,
    km,
    positive,
    utc,
)
from runrecover.activity_files.kinds import kind_from, known_kind

# What a FIT file's type names, for refusals; the others are named by their FIT word.
_FILE_TYPES = {
    "course": "a FIT course (a planned route)",
    "workout": "a FIT workout (planned steps)",
    "settings": "a FIT settings file",
    "device": "a FIT device description",
}


def read_fit(data: bytes, default_kind: str | None) -> Reading:
    """One activity per session, in file order; a multisport file's transitions (from the
    swim to the bike, …) are not workouts of their own and are left out."""
    import fitdecode

    file_ids: list[dict[str, object]] = []
    sessions: list[dict[str, object]] = []
    wanted = {"file_id": file_ids, "session": sessions}
    try:
        # A wrong checksum means damaged bytes: refuse rather than import damaged numbers.
        # Unknown developer fields are common in real files and harmless: ignore them quietly.
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name in wanted:
                    wanted[frame.name].append({field.name: field.value for field in frame.fields})
    except fitdecode.FitEOFError:
        raise Unreadable("the FIT file is truncated (it ends in the middle of a record)") from None
    except fitdecode.FitCRCError:
        raise Unreadable("the FIT file is damaged (its checksum does not match)") from None
    except Exception as error:
        # On malformed bytes fitdecode fails in many ways besides its own errors (struct.error,
        # TypeError, …) before the checksum at the end can be checked: all mean the same.
        raise Unreadable(f"it is not a readable FIT file ({brief(error)})") from None

    if not file_ids:
        raise Unreadable("the FIT file does not say what it holds (it has no file_id message)")
    for file_id in file_ids:
        file_type = file_id.get("type")
        if file_type != "activity":
            what = _FILE_TYPES.get(str(file_type), f"a FIT {file_type} file")
            raise NotAnActivity(f"it is {what}, not a recorded activity")
    if not sessions:
        raise Unreadable("the FIT activity has no session summary (the recording is incomplete)")

    file_key = _file_key(file_ids[0])
    activities = []
    for number, session in enumerate(sessions, start=1):
        if session.get("sport") == "transition":
            continue
        source_id = file_key
        if file_key is not None and len(sessions) > 1:
            source_id = f"{file_key}/{number}"
        activities.append(_session(session, default_kind, source_id))
    return Reading(activities)


def _file_key(file_id: dict[str, object]) -> str | None:
    """The device's serial number and the file's creation time: the same recording keeps them
    however often it is copied or exported."""
    serial, created = file_id.get("serial_number"), file_id.get("time_created")
    if serial is None or not isinstance(created, datetime):
        return None
    return f"{serial}-{utc(created):%Y%m%dT%H%M%SZ}"


def _session(
    session: dict[str, object], default_kind: str | None, source_id: str | None
) -> ParsedActivity:
    start = session.get("start_time")
    if not isinstance(start, datetime):
        # Before its clock is set a device writes seconds since power-on, not a date.
        raise Unreadable("a session of the FIT file has no start date")
    sport = session.get("sport")
    sport_text = None if sport is None else str(sport)
    sub_sport = session.get("sub_sport")
    # The sub-sport is the more precise word (training/strength_training, training/yoga).
    sub_kind = known_kind(str(sub_sport)) if sub_sport is not None else None
    kind, said = (sub_kind, True) if sub_kind else kind_from(sport_text, None, default_kind)
    return ParsedActivity(
        kind=kind,
        kind_said=said,
        sport=sport_text,
        start=utc(start),
        distance_km=km(_number(session.get("total_distance"))),
        elapsed_s=_number(session.get("total_elapsed_time")),
        moving_s=_number(session.get("total_timer_time")),
        avg_hr=positive(_number(session.get("avg_heart_rate"))),
        rpe=_rpe(session.get("workout_rpe")),
        name=None,
        source="fit",
        source_id=source_id,
    )


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _rpe(value: object) -> int | None:
    """FIT's workout_rpe is the Borg CR10 scale times ten; 0 and out-of-scale values mean no
    answer. (workout_feel is how good the runner felt, not how hard it was: not an RPE.)"""
    tenths = _number(value)
    if tenths is None:
        return None
    rpe = math.floor(tenths / 10 + 0.5)
    return rpe if 1 <= rpe <= 10 else None
