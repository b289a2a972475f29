"""Values as activity exports write them: durations (`1:02:03`, decimal commas) and dates in
the six languages Strava and Garmin Connect write them in."""

import re
from datetime import UTC, datetime

from runrecover import clock
from runrecover.activity_files.reading import (
    folded,
    number,
)

_CLOCK_DURATION = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)")


def duration(text: str) -> float | None:
    """Seconds from `1428`, `1428.0`, `45:10`, `03:13:22` or `00:28:10.5`; None otherwise."""
    clock_text = _CLOCK_DURATION.fullmatch(text.strip())
    if clock_text is None:
        seconds = number(text)
        return seconds if seconds is not None and seconds >= 0 else None
    hours, minutes, seconds_text = clock_text.groups()
    seconds = float(seconds_text.replace(",", "."))
    if (hours is not None and int(minutes) >= 60) or seconds >= 60:
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + seconds


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    # French, as Strava abbreviates them
    "janv": 1, "fevr": 2, "mars": 3, "avr": 4, "mai": 5, "juin": 6,
    "juil": 7, "aout": 8, "sept": 9,
    # German, Spanish, Italian, Dutch and Portuguese abbreviations that English lacks
    "mae": 3, "okt": 10, "dez": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12, "gen": 1,
    "mag": 5, "giu": 6, "lug": 7, "set": 9, "ott": 10, "mrt": 3, "mei": 5, "fev": 2,
    "out": 10,
}  # fmt: skip
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
_STRAVA_DATES = (
    # English: May 29, 2022, 3:53:35 PM
    re.compile(
        r"(?P<month>[^\W\d_]+)\.? (?P<day>\d{1,2}), (?P<year>\d{4}),? "
        + _TIME
        + r"(?: ?(?P<half>[ap])\.?m\.?)?",
        re.IGNORECASE,
    ),
    # German: 29.05.2022, 15:53:35
    re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}),? " + _TIME),
    # French, Spanish, Italian, Dutch, Portuguese, and Garmin Connect's older German dates:
    # 29 mai 2022, 15:53:35 · Fr, 25 Mai 2012 20:31 · 29 de mayo de 2022 15:53
    re.compile(
        r"(?:[^\W\d_]+\.?,? )?(?P<day>\d{1,2})\.? (?:de )?(?P<month>[^\W\d_]+)\.? (?:de )?"
        r"(?P<year>\d{4}),? (?:à |um |a las |alle |om |às )?" + _TIME,
        re.IGNORECASE,
    ),
)


def strava_date(text: str) -> datetime | None:
    """Strava's `Activity Date`, in UTC, written in the account's language; or ISO 8601."""
    text = " ".join(text.split())
    for pattern in _STRAVA_DATES:
        match = pattern.fullmatch(text)
        if match is not None:
            return _date_from(match)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _date_from(match: re.Match[str]) -> datetime | None:
    fields = match.groupdict()
    month_text = fields["month"]
    if month_text.isdigit():
        month: int | None = int(month_text)
    else:
        key = folded(month_text)
        month = _MONTHS.get(key) or _MONTHS.get(key[:3])
    hour = int(fields["hour"])
    half = fields.get("half")
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if month is None:
        return None
    try:
        return datetime(
            int(fields["year"]),
            month,
            int(fields["day"]),
            hour,
            int(fields["minute"]),
            int(fields["second"] or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def connect_date(text: str) -> datetime | None:
    """Garmin Connect's own export: ISO 8601, or a date in the account's language
    ("Fr, 25 Mai 2012 20:31"), in wall-clock time of the runner's zone."""
    moment = iso_or_local(text)
    if moment is not None:
        return moment
    written = strava_date(text)  # read as UTC: the same wall-clock numbers
    if written is None:
        return None
    return written.replace(tzinfo=clock.local_zone()).astimezone(UTC)


def iso_or_local(text: str) -> datetime | None:
    """An ISO 8601 time in UTC; one without an offset is wall-clock time in the runner's zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.local_zone())
    return moment.astimezone(UTC)
