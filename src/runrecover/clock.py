"""The one door time comes in by: the runner's zone, "now", moments and showing them
(reading a WHEN as typed is `dates.py`).

Instants are stored as UTC (SQLModel hands them back aware, in UTC) and are aware local time
everywhere else. This module is on the `--help` path.
"""

import functools
import math
import os
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from msgspec import Struct

FIRST_YEAR = 1900
LAST_YEAR = 2100

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Our own names rather than %a / %b, which follow the C library's locale.
_DAY_ABBR = tuple(name[:3].title() for name in WEEKDAY_NAMES)
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_athlete_zone: str | None = None


def use_athlete_zone(name: str | None) -> None:
    """The zone of the athlete the command acts for (`athletes`), which beats `TZ`; None
    for an athlete with no zone of their own."""
    global _athlete_zone
    _athlete_zone = name or None


def local_zone() -> tzinfo:
    """The runner's zone: the athlete's own when set (`use_athlete_zone`), else `TZ` when it
    names a zone (read on every call), else the system's."""
    return _zone(_athlete_zone or os.environ.get("TZ", ""))


@functools.lru_cache(maxsize=8)
def _zone(tz: str) -> tzinfo:
    # Cached: years of entries ask for the zone tens of thousands of times.
    name = tz.removeprefix(":")
    if name:
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # not a zone name: fall back, as the C library does
            pass
    return _system_zone()


@functools.cache
def _system_zone() -> tzinfo:
    # One instance, as ZoneInfo keeps one per key: datetime arithmetic treats two datetimes as
    # in the same zone (wall-clock differences) only when their tzinfo is the same object.
    # The system's zone file, read by zoneinfo (in C, with the zone's whole history), where
    # there is one: dateutil's tzlocal converts in Python, 20x slower over years of entries.
    try:
        with open("/etc/localtime", "rb") as zone_file:
            return ZoneInfo.from_file(zone_file, key="localtime")
    except (OSError, ValueError):
        from dateutil import tz as dateutil_tz

        return dateutil_tz.tzlocal()


def now() -> datetime:
    """The current instant in the runner's zone; tests replace this function."""
    return datetime.now(local_zone())


class Moment(Struct, frozen=True):
    """A moment the runner named; with no time of day, `at` is local midnight of that day."""

    at: datetime
    time_known: bool

    @property
    def day(self) -> date:
        return self.at.date()

def settle(local: datetime) -> datetime:
    # A wall time skipped by a daylight-saving change (02:30 on a spring-forward night) becomes
    # the instant it names, shown at its real local time (03:30).
    return local.astimezone(UTC).astimezone(local.tzinfo)


def utc(moment: datetime) -> datetime:
    """The same instant in UTC: aware datetimes sharing one zone compare by wall clock, so
    across a fall-back hour only UTC keeps instants in order."""
    return moment.astimezone(UTC)


def local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """The same instant in `zone`, by default the runner's (the database hands back UTC)."""
    return moment.astimezone(zone or local_zone())


def start_of_day(day: date, zone: tzinfo | None = None) -> datetime:
    """00:00 of that day in `zone`, by default the runner's (or the first instant of it where
    midnight is skipped)."""
    return settle(datetime(day.year, day.month, day.day, tzinfo=zone or local_zone()))


def add_hours(moment: datetime, hours: float, zone: tzinfo | None = None) -> datetime:
    """Exactly that many elapsed hours later, in local time.

    Aware arithmetic inside one zone is wall-clock arithmetic: 24 hours after 00:00 on a
    spring-forward day would land at 00:00 the next day, only 23 hours later.
    """
    return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(zone or local_zone())


def _local_date(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        return local(moment).date()
    return moment


def format_day(day: date | datetime, *, year: bool = True) -> str:
    """`Sun 22 May 2016` (`Sun 22 May` without the year, for views about the weeks around now)."""
    day = _local_date(day)
    shown = f"{_DAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]}"
    return f"{shown} {day.year}" if year else shown


def format_at(moment: datetime, time_known: bool = True, *, year: bool = True) -> str:
    """`Sun 22 May 2016 18:30`, or only the day when the time of day is not known."""
    shown = local(moment)
    if not time_known:
        return format_day(shown, year=year)
    return f"{format_day(shown, year=year)} {shown:%H:%M}"


@functools.cache
def clock_text(hour: int, minute: int) -> str:
    """`18:30` (`%H:%M`), made once for each time of day: years of entries are at a few
    hundred."""
    return f"{hour:02d}:{minute:02d}"


def iso(moment: datetime, zone: tzinfo | None = None) -> str:
    """`2016-06-18T00:00:00+02:00`: local (in `zone`, by default the runner's), to the
    second, with the offset."""
    shown = local(moment, zone)
    offset = shown.utcoffset() or timedelta(0)
    if offset % timedelta(minutes=1):
        # Local mean time, before zones were standardised (Paris until 1911: +00:09:21):
        # an ISO 8601 offset has no seconds, so the same instant is written at the next
        # whole minute of offset (+00:10), its clock time moved forward by under a minute:
        # a day's midnight stays on that day.
        minutes = math.ceil(offset / timedelta(minutes=1))
        shown = shown.astimezone(timezone(timedelta(minutes=minutes)))
    return shown.isoformat(timespec="seconds")


def iso_day(day: date | datetime) -> str:
    """`2016-06-18`."""
    return _local_date(day).isoformat()


def humanize_delta(from_moment: datetime, to_moment: datetime) -> str:
    """`in 2 days`, `in 5 hours`, `in 40 min`, or `... ago` for a moment before.

    From a day apart on, this counts local calendar days, as a person does on a calendar:
    from Wednesday 10:00, Saturday 00:00 is "in 3 days".
    """
    elapsed_s = (to_moment.astimezone(UTC) - from_moment.astimezone(UTC)).total_seconds()
    span_s = abs(elapsed_s)
    if span_s >= 24 * 3600:
        # max(): 24 hours from midnight on a fall-back day still ends on that same date.
        days = max(1, abs((_local_date(to_moment) - _local_date(from_moment)).days))
        amount = _plural(days, "day")
    elif span_s >= 3600 - 30:
        amount = _plural(round(span_s / 3600), "hour")
    elif span_s >= 30:
        amount = f"{max(1, round(span_s / 60))} min"
    else:
        return "now"
    return f"in {amount}" if elapsed_s > 0 else f"{amount} ago"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
