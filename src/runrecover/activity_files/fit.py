"""FIT activity files: one activity per session message.

Only the file_id and session messages are decoded (with fitdecode's profile for the names
of their values): the thousands of per-second records are stepped over by their size, which
makes a 1 MB file a matter of milliseconds instead of the seconds a full decode takes.
"""

import math
import struct
from datetime import UTC, datetime, timedelta

from runrecover.activity_files.kinds import kind_from, known_kind
from runrecover.activity_files.reading import (
    NotAnActivity,
    Note,
    ParsedActivity,
    Reading,
    Unreadable,
    km,
    positive,
    utc,
)

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
    file_ids: list[dict[str, object]] = []
    sessions: list[dict[str, object]] = []
    messages, damage = summary_messages(data)
    for number, message in messages:
        (file_ids if number == _FILE_ID else sessions).append(message)

    if not file_ids:
        raise Unreadable("the FIT file does not say what it holds (it has no file_id message)")
    for file_id in file_ids:
        file_type = file_id.get("type")
        if file_type != "activity":
            what = _FILE_TYPES.get(str(file_type), f"a FIT {file_type} file")
            raise NotAnActivity(f"it is {what}, not a recorded activity")
    if not sessions:
        if damage is not None:
            raise Unreadable(damage)
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
    notes = [] if damage is None else [Note(f"{damage}; its summary was read all the same")]
    return Reading(activities, notes)


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


# -- the FIT protocol's framing ---------------------------------------------------------------

_FILE_ID, _SESSION = 0, 18
_FIELDS = {
    _FILE_ID: {0: "type", 1: "manufacturer", 3: "serial_number", 4: "time_created"},
    _SESSION: {2: "start_time", 5: "sport", 6: "sub_sport", 7: "total_elapsed_time",
               8: "total_timer_time", 9: "total_distance", 16: "avg_heart_rate",
               193: "workout_rpe"},
}
_SCALES = {"total_elapsed_time": 1000, "total_timer_time": 1000, "total_distance": 100}
_ENUMS = {"type": "file", "sport": "sport", "sub_sport": "sub_sport",
          "manufacturer": "manufacturer"}
_DATES = {"start_time", "time_created"}
_FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
_FIRST_DATE = 0x10000000  # smaller date_time values count seconds since the device started


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _crc_table()


def _crc(data: bytes | memoryview) -> int:
    """The FIT file checksum (CRC-16/ARC)."""
    crc, table = 0, _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def summary_messages(data: bytes) -> tuple[list[tuple[int, dict[str, object]]], str | None]:
    """(message number, {field: value}) of every file_id and session message, in order, for
    each FIT file chained in `data`; and what is wrong with the file's end, if anything.

    A file cut short, or followed by bytes that are not FIT, gives the messages of its
    complete records and says so: its summary usually survives. A wrong checksum over a
    whole file means damaged numbers anywhere, and raises `Unreadable`, as does a file that
    does not start as FIT.
    """
    messages: list[tuple[int, dict[str, object]]] = []
    position = 0
    while position < len(data):
        header_size = data[position]
        if header_size < 12 or data[position + 8:position + 12] != b".FIT":
            if position == 0:
                raise Unreadable("it is not a readable FIT file (no FIT header)")
            return messages, "the FIT file ends with bytes that are not FIT"
        data_size = int.from_bytes(data[position + 4:position + 8], "little")
        end = position + header_size + data_size
        cut = end + 2 > len(data)
        if not cut and _crc(memoryview(data)[position:end]) != int.from_bytes(
                data[end:end + 2], "little"):
            raise Unreadable("the FIT file is damaged (its checksum does not match)")
        try:
            _messages(data, position + header_size, min(end, len(data)), messages)
        except (IndexError, struct.error):
            if not cut:
                raise Unreadable("the FIT file is damaged (a record runs past its end)") from None
        if cut:
            return messages, "the FIT file is truncated (it ends in the middle of a record)"
        position = end + 2
    return messages, None


def _messages(data: bytes, position: int, end: int,
              messages: list[tuple[int, dict[str, object]]]) -> None:
    """Add the file_id and session messages of the records between position and end."""
    from fitdecode.profile import BASE_TYPES

    definitions: dict[int, tuple[int, str, list[tuple[int, int, int, int]], int]] = {}
    while position < end:
        header = data[position]
        position += 1
        if header & 0x80:  # a data record with a compressed timestamp
            local, is_definition = (header >> 5) & 0x03, False
        else:
            local, is_definition = header & 0x0F, bool(header & 0x40)
        if is_definition:
            big_endian = data[position + 1] == 1
            number = int.from_bytes(data[position + 2:position + 4],
                                    "big" if big_endian else "little")
            count = data[position + 4]
            position += 5
            fields, size = [], 0
            for _ in range(count):
                field_number, field_size, base = data[position:position + 3]
                fields.append((field_number, size, field_size, base))
                size += field_size
                position += 3
            if header & 0x20:  # developer fields: only their sizes matter here
                developer_count = data[position]
                position += 1
                for _ in range(developer_count):
                    size += data[position + 1]
                    position += 3
            definitions[local] = (number, ">" if big_endian else "<", fields, size)
            continue
        if local not in definitions:
            raise Unreadable("the FIT file is damaged (a record of an undefined kind)")
        number, order, fields, size = definitions[local]
        if position + size > end:
            raise IndexError
        if number in _FIELDS:
            wanted, message = _FIELDS[number], {}
            for field_number, offset, field_size, base in fields:
                name = wanted.get(field_number)
                base_type = BASE_TYPES.get(base)
                if name is None or base_type is None or base_type.size != field_size:
                    continue
                raw = struct.unpack_from(order + base_type.fmt, data, position + offset)[0]
                value = base_type.parse(raw)
                if value is not None:
                    message[name] = _value(name, value)
            messages.append((number, message))
        position += size


def _value(name: str, raw: object) -> object:
    from fitdecode.profile import FIELD_TYPES

    if name in _ENUMS:
        # A value newer than fitdecode's profile is still a word, never a bare number.
        return FIELD_TYPES[_ENUMS[name]].enum.get(raw, f"{_ENUMS[name]} {raw}")
    if name in _DATES:
        return _FIT_EPOCH + timedelta(seconds=raw) if raw >= _FIRST_DATE else raw
    if name in _SCALES:
        return raw / _SCALES[name]
    return raw
