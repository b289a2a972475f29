"""Counting what was recorded, for the questions that show it: the worst pain of each day and
running distance by week (or month, or year)."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta, tzinfo
from typing import Any

from msgspec import Struct

from runrecover import clock

MAX_BARS = 16
"""Periods of running distance at most: weeks become months, months years, beyond it."""


def daily_worst(pain: Iterable[Any], first_day: date, days: int,
                zone: tzinfo | None = None) -> tuple[int | None, ...]:
    """The worst score of each day from `first_day` in `zone` (by default the runner's), None
    for days with none."""
    worst: list[int | None] = [None] * days
    for p in pain:
        index = (clock.local(p.at, zone).date() - first_day).days
        if 0 <= index < days:
            worst[index] = max(worst[index] or 0, p.score)
    return tuple(worst)


class Period(Struct, frozen=True):
    first_day: date  # cut to the first day asked for
    last_day: date  # cut to the last day asked for
    distance_km: float
    runs: int


class Running(Struct, frozen=True):
    unit: str  # "week" | "month" | "year"
    periods: tuple[Period, ...]


def _next_start(day: date, unit: str) -> date:
    """The first day of the period after the one `day` is in."""
    if unit == "week":
        return day + timedelta(days=7 - day.weekday())
    if unit == "month":
        return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return date(day.year + 1, 1, 1)


def running_periods(activities: Iterable[Any], first_day: date, last_day: date,
                    zone: tzinfo | None = None) -> Running:
    """Running distance per calendar week (Monday to Sunday) from `first_day` to
    `last_day`, or per month or year when weeks would not fit a screen; the periods at
    either end are cut to the days inside. Days are those of `zone`, by default the
    runner's."""
    runs = [(clock.local(a.at, zone).date(), a.distance_km or 0) for a in activities
            if a.kind == "run"]
    weeks = ((last_day - first_day).days + first_day.weekday()) // 7 + 1
    months = (last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1
    unit = "week" if weeks <= MAX_BARS else "month" if months <= MAX_BARS else "year"
    periods = []
    first = first_day
    while first <= last_day:
        last = min(_next_start(first, unit) - timedelta(days=1), last_day)
        inside = [km for day, km in runs if first <= day <= last]
        periods.append(Period(first, last, sum(inside), len(inside)))
        first = last + timedelta(days=1)
    return Running(unit, tuple(periods))


def worst_per_column(worst: Sequence[int | None], per: int) -> list[int | None]:
    """Days' worst scores shared into columns of `per` days each."""
    columns = -(-len(worst) // per)
    return [max((s for s in worst[i * per:(i + 1) * per] if s is not None), default=None)
            for i in range(columns)]
