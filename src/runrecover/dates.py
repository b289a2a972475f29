"""Reading a WHEN as the runner types it: `yesterday 18:30`, `tue 7am`, `3d ago`, `+7d`,
`this morning`, ISO dates, and what dateutil reads; never silently "now".

This module is on the `--help` path: dateutil is imported only when needed.
"""

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

from runrecover import clock
from runrecover.clock import Moment
from runrecover.errors import InputError
from runrecover.units import quoted

_WEEKDAYS = {name: index for index, full in enumerate(clock.WEEKDAY_NAMES)
             for name in (full, full[:3])}
_DAYS_FROM_TODAY = {"today": 0, "yesterday": -1, "tomorrow": 1}
# Times of day said in words. A part of the day stands for a typical hour of it [D]: it is
# read as that time, known, because a morning score is told apart by its hour.
_TIMES_IN_WORDS = {"noon": time(12), "midday": time(12), "midnight": time(0),
                   "morning": time(8), "afternoon": time(15), "evening": time(19),
                   "night": time(22)}
_THIS_PART = re.compile(r"this (?P<part>morning|afternoon|evening)|tonight")
# When each part of the day runs: said while it runs, before its typical hour, it means now
# ("pain 8 --on morning" at 07:30 is this morning, never yesterday's).
_PART_SPANS = {"morning": (time(4), time(12)), "afternoon": (time(12), time(18)),
               "evening": (time(18), time(22)), "night": (time(22), time(4))}
_HOURS_PER_UNIT = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1 / 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 1),
}
_DAYS_PER_UNIT = {
    **dict.fromkeys(("d", "day", "days"), 1),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 7),
}

_MAX_WHEN_LENGTH = 64
_DAY_WORD = re.compile(r"(?P<word>[a-z]+)(?: (?:at )?(?P<time>.+))?")
_AGO = re.compile(r"(?P<count>\d{1,5}) ?(?P<unit>[a-z]+) ago(?: (?:at )?(?P<time>.+))?", re.ASCII)
# `in 2 days`, `+7d`, `-3d`: a count of units from now, after it (or before it, with -).
_FROM_NOW = re.compile(
    r"(?:in |(?P<sign>[+-]) ?)(?P<count>\d{1,5}) ?(?P<unit>[a-z]+)(?: (?:at )?(?P<time>.+))?",
    re.ASCII)
# `last tuesday` is the one before today, `next sunday` the one after: never today itself.
_LAST_NEXT = re.compile(r"(?P<which>last|next) (?P<word>[a-z]+)(?: (?:at )?(?P<time>.+))?")
_TIME_OF_DAY = re.compile(
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?|h(?P<h_minute>\d{2}))?"
    r" ?(?P<half>[ap]\.?m\.?)?",
    re.ASCII,
)
_YEAR_FIRST = re.compile(r"\d{4}", re.ASCII)
# dateutil reads "GMT+3" the POSIX way, as three hours *behind* UTC.
_NAMED_OFFSET = re.compile(r"\b(?:utc|gmt|z) ?[+-] ?\d", re.ASCII)
# dateutil fills whatever the text does not say from its default. Reading the text twice, with
# defaults that differ in every field (both leap years, for 29 Feb), shows what was said.
_FILLS = (datetime(2000, 1, 1, 0, 0, 0), datetime(2004, 2, 2, 1, 1, 1))
_FIELDS = ("year", "month", "day", "hour", "minute", "second")



def parse_when(
    text: str, *, lean: Literal["past", "future"], now: datetime | None = None,
    weekdays: Literal["past", "future"] | None = None,
) -> Moment:
    """Read a WHEN as typed by the runner, relative to `now` (the clock's, when not given).

    `lean` is where a bare weekday name points: the most recent one ("past") or the next one
    ("future"); today's own weekday name is today either way. `weekdays`, when given, points
    weekday names alone another way (the end of a span asked for: `--until sat`).
    """
    words = " ".join(text.split())
    if not words or len(words) > _MAX_WHEN_LENGTH or not words.isprintable():
        raise _unreadable(text)
    current = _current(now)
    try:
        moment = _read_relative(words.lower(), current, lean, weekdays or lean)
        if moment is None:
            moment = _read_absolute(words, current, text, lean)
    except OverflowError as error:
        raise _out_of_range(text) from error
    if not clock.FIRST_YEAR <= moment.at.year <= clock.LAST_YEAR:
        raise _out_of_range(text)
    return moment


def is_future(at: datetime | date, time_known: bool, current: datetime, *,
              today: date | None = None) -> bool:
    """Whether a moment comes after `current` (aware, local): by the instant when its time
    of day is known, else by the day: a day alone is in the future after `today` (by
    default the local day of `current`; an import gives the latest day anywhere, since an
    export made in Tokyo at 08:00 is not in the future in Los Angeles)."""
    if time_known:
        return at > current
    day = clock.local(at).date() if isinstance(at, datetime) else at
    return day > (today if today is not None else clock.local(current).date())


def refuse_future(moment: Moment, text: str, what: str) -> None:
    """Refuse a moment after now for something that has already happened (a pain score, a
    run): a date alone is refused from tomorrow on."""
    if is_future(moment.at if moment.time_known else moment.day, moment.time_known,
                 clock.now()):
        article = "an" if what[:1] in "aeiou" else "a"
        raise InputError(f"{quoted(text)} is in the future, and {article} {what} cannot be: give "
                         "when it happened (now, today 7am, yesterday 18:30…).")


def onset(text: str) -> dict[str, date | datetime | None]:
    """An injury's onset as typed (`--since`): its day, and its instant when a time of day is
    given; refused in the future (`today 23:00` at 10:00 too)."""
    moment = parse_when(text, lean="past")
    refuse_future(moment, text, "injury's onset")
    # To the minute, as it is shown and typed back: `--since now` at 10:53:27 is 10:53, so
    # that pain `--on 'today 10:53'` is not before it.
    return {"onset_on": moment.day,
            "onset_at": moment.at.replace(second=0, microsecond=0) if moment.time_known
            else None}


def resolved_day(text: str) -> date:
    """The day an injury was resolved (`--resolved`, `injury resolve --on`): a day that has
    come, since a resolved injury leaves `status`'s list of what still hurts."""
    moment = parse_when(text, lean="past")
    refuse_future(moment, text, "injury's resolution")
    return moment.day


def _current(given: datetime | None) -> datetime:
    # Through the clock module: tests replace clock.now.
    return (given if given is not None else clock.now()).astimezone(clock.local_zone())


def _read_relative(words: str, current: datetime, lean: str, weekdays: str) -> Moment | None:
    """`now`, `2h ago`, `3d ago`, `in 2 days`, `+7d`, `yesterday 18:30`, `tue 7am`,
    `last tue`, `next sun`, `this morning`, `18:30`, `18h30`, `noon`; None for anything else."""
    if words == "now":
        return Moment(current, True)
    ago = _AGO.fullmatch(words)
    if ago:
        return _shifted(current, -int(ago["count"]), ago["unit"], ago["time"])
    ahead = _FROM_NOW.fullmatch(words)
    if ahead:
        sign = -1 if ahead["sign"] == "-" else 1
        return _shifted(current, sign * int(ahead["count"]), ahead["unit"], ahead["time"])
    last_next = _LAST_NEXT.fullmatch(words)
    if last_next:
        weekday = _WEEKDAYS.get(last_next["word"])
        if weekday is None:
            return None
        today = current.date()
        if last_next["which"] == "last":
            day = today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
        else:
            day = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
        return _on_day(day, last_next["time"])
    this = _THIS_PART.fullmatch(words)
    if this:
        return _today(current, this["part"] or "night")
    named = _DAY_WORD.fullmatch(words)
    if named:
        day = _named_day(named["word"], current.date(), weekdays)
        if day == current.date() and named["time"] is not None:
            return _today(current, named["time"])
        if day is not None:
            return _on_day(day, named["time"])
    # A time alone is today, or, leaning to the past, its last such moment: a bare "7pm" at
    # 03:00 is last night. Read here, not by dateutil, which takes "13pm" for 13:00.
    moment = _today(current, words)
    if moment is not None and lean == "past" and moment.at > current:
        moment = _on_day(current.date() - timedelta(days=1), words)
    return moment


def _today(current: datetime, time_text: str) -> Moment | None:
    """Today at that time; a part of the day said while it runs, before its typical hour, is
    now."""
    moment = _on_day(current.date(), time_text)
    span = _PART_SPANS.get(time_text)
    if moment is not None and span is not None and moment.at > current:
        start, end = span
        now_time = current.time()
        inside = start <= now_time < end if start < end else (now_time >= start or now_time < end)
        if inside:
            return Moment(current, True)
    return moment


def _shifted(current: datetime, count: int, unit: str, time_text: str | None) -> Moment | None:
    """`count` units after now (before it when negative): hours and minutes exactly, days and
    weeks as calendar days (with a time, or as the whole day)."""
    if unit in _HOURS_PER_UNIT and time_text is None:
        return Moment(clock.add_hours(current, count * _HOURS_PER_UNIT[unit]), True)
    if unit in _DAYS_PER_UNIT:
        return _on_day(current.date() + timedelta(days=count * _DAYS_PER_UNIT[unit]), time_text)
    return None


def _named_day(word: str, today: date, lean: str) -> date | None:
    if word in _DAYS_FROM_TODAY:
        return today + timedelta(days=_DAYS_FROM_TODAY[word])
    weekday = _WEEKDAYS.get(word)
    if weekday is None:
        return None
    if lean == "past":
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _on_day(day: date, time_text: str | None) -> Moment | None:
    """That day, at that time if one is given; None when the rest is not a time ("sat 21 may")."""
    if time_text is None:
        return Moment(clock.start_of_day(day), False)
    time_of_day = _read_time_of_day(time_text)
    if time_of_day is None:
        return None
    return Moment(clock.settle(datetime.combine(day, time_of_day, tzinfo=clock.local_zone())), True)


def _read_time_of_day(text: str) -> time | None:
    """`18:30`, `18:30:15`, `18h30`, `7am`, `7:15 pm`, `noon`, `morning`."""
    if text in _TIMES_IN_WORDS:
        return _TIMES_IN_WORDS[text]
    match = _TIME_OF_DAY.fullmatch(text)
    if match is None:
        return None
    hour, second = int(match["hour"]), int(match["second"] or 0)
    minute = int(match["minute"] or match["h_minute"] or 0)
    if match["h_minute"] is not None and match["half"]:
        return None  # "7h30pm" mixes two ways of writing a time
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"].startswith("p") else 0)
    elif match["minute"] is None and match["h_minute"] is None:
        return None  # a bare "18" reads as a day of the month as easily as an hour
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _read_absolute(words: str, current: datetime, text: str, lean: str) -> Moment:
    try:
        return Moment(clock.start_of_day(date.fromisoformat(words)), False)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(words)
    except ValueError:
        return _read_with_dateutil(words, current, text, lean)
    return Moment(_localise(parsed), True)


def _read_with_dateutil(words: str, current: datetime, text: str, lean: str) -> Moment:
    if _NAMED_OFFSET.search(words.lower()):
        raise InputError(
            f"The time zone in {quoted(text)} is ambiguous: give the offset like +02:00."
        )
    first, second = (_dateutil_parse(words, fill, text) for fill in _FILLS)
    missing = {field for field in _FIELDS if getattr(first, field) != getattr(second, field)}
    if not _YEAR_FIRST.match(words):
        day_first = _dateutil_parse(words, _FILLS[0], text, dayfirst=True)
        if day_first != first:
            raise InputError(
                f"The date {quoted(text)} is ambiguous ({_day_month(first)} or "
                f"{_day_month(day_first)}): write it like 2016-06-14 or '14 June 2016'."
            )
    time_known = "hour" not in missing
    # dateutil reads a month with no day ("June 2016"), a time with no date, minutes with no
    # hour, and two-digit years by the real clock's century ("jun74-4" is 4 June 2074).
    if (
        missing & {"month", "day"}
        or (not time_known and not {"minute", "second"} <= missing)
        or ("year" not in missing and f"{first.year:04d}" not in words)
    ):
        raise _unreadable(text)
    year = current.year if "year" in missing else first.year
    tokens = re.findall("[a-z]+", words.lower())
    named_weekday = any(token in _WEEKDAYS for token in tokens)
    if "year" in missing and lean == "future" and not named_weekday \
            and (first.month, first.day) < (current.month, current.day) \
            and not (first.month, first.day) == (2, 29):
        # A date with no year, looking ahead (a race), is its next one: "Jan 5" said in
        # November is the coming January. A weekday named with it checks the year instead.
        year += 1
    try:
        day = date(year, first.month, first.day)
    except ValueError as error:  # 29 Feb, when this year is not a leap year
        raise _unreadable(text) from error
    if {_WEEKDAYS[token] for token in tokens if token in _WEEKDAYS} - {day.weekday()}:
        raise InputError(
            f"The date {quoted(text)} names the wrong weekday: {_day_month(day)} {day.year} "
            f"is a {clock.WEEKDAY_NAMES[day.weekday()].title()}."
        )
    if not time_known:
        return Moment(clock.start_of_day(day), False)
    return Moment(_localise(datetime.combine(day, first.timetz())), True)


def _dateutil_parse(words: str, fill: datetime, text: str, *, dayfirst: bool = False) -> datetime:
    # Imported here: its ~15 ms are paid only by commands given a date to read.
    from dateutil import parser as dateutil_parser

    try:
        return dateutil_parser.parse(words, default=fill, dayfirst=dayfirst, tzinfos=_zone_for)
    except Exception as error:
        # dateutil's failures on odd text are not a closed set (ParserError, OverflowError,
        # TypeError...); each one means the same thing to the runner.
        raise _unreadable(text) from error


def _zone_for(name: str | None, offset_s: int | None) -> tzinfo | None:
    """dateutil's zone hook: numeric offsets and UTC only.

    Left alone, dateutil drops an abbreviation it does not know ("CEST") with a warning, and
    maps one that matches the process's start-up zone to that zone: both move the moment.
    """
    if offset_s is not None:
        return timezone(timedelta(seconds=offset_s))
    if name is not None:
        raise ValueError(f"unknown time zone {name}")
    return None


def _localise(parsed: datetime) -> datetime:
    """In the local zone: an explicit offset is converted, a naive wall time is taken as local."""
    if parsed.utcoffset() is None:
        return clock.settle(parsed.replace(tzinfo=clock.local_zone()))
    return parsed.astimezone(clock.local_zone())



def _day_month(day: date) -> str:
    return f"{day.day} {clock.MONTH_ABBR[day.month - 1]}"


def _unreadable(text: str) -> InputError:
    return InputError(
        f"Cannot read the date {quoted(text)}: use a date like 2016-06-14 or "
        "'14 June 2016 11:30', 'today', 'yesterday 18:30', '3d ago', 'in 2 days', "
        "'this morning' or a weekday like 'tue' or 'last tue'."
    )


def _out_of_range(text: str) -> InputError:
    return InputError(
        f"The date {quoted(text)} is out of range: use a year from {clock.FIRST_YEAR} to "
        f"{clock.LAST_YEAR}."
    )

