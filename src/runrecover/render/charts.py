"""Small pictures made of Rich text: the two-row pain sparkline, the pain scale, the pain
chart and the running distance bars (shared by `timeline` and `injury show`).

A two-row sparkline has 16 heights, so each of the 11 pain levels gets its own (a single
row of eight block characters merges 7 and 8). Colours follow the physios' traffic light,
whose bands the advice data sets (and answers carry); the heights carry the same information
without colour.
"""

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from runrecover import clock
from runrecover.protocols import TrafficLight
from runrecover.questions.tally import Period, Running, worst_per_column
from runrecover.units import Units

BLOCKS = " ▁▂▃▄▅▆▇█"
NO_SCORE = "·"
BAND_STYLES = {"green": "green", "amber": "yellow", "red": "red"}
CHART_LABEL = 16
CHART_COLUMNS = 62
"""Columns of the pain chart; 80 minus the label and a space. Longer spans share columns."""
BAR_WIDTH = 34
EIGHTHS = " ▏▎▍▌▋▊▉█"


@functools.lru_cache(maxsize=64)
def pain_style(score: int, bands: TrafficLight) -> str:
    """The colour of a score's traffic-light band (cached: years of timeline lines ask for
    the same eleven)."""
    return BAND_STYLES[bands.band(score)]


def _height(score: int) -> int:
    return round(score * 16 / 10)


def sparkline(scores: Sequence[int | None], bands: TrafficLight) -> tuple[Text, Text]:
    """Top and bottom rows, one column per day; None is a day with no score."""
    top, bottom = Text(), Text()
    for score in scores:
        if score is None:
            top.append(" ")
            bottom.append(NO_SCORE, style="dim")
            continue
        height = _height(score)
        style = pain_style(score, bands)
        top.append(BLOCKS[max(0, height - 8)], style=style)
        bottom.append(BLOCKS[min(8, height)] if height else "_", style=style)
    return top, bottom


def pain_scale(score: int, bands: TrafficLight,
               width: int = 10) -> list[tuple[str, str]]:
    """`▰▰▰▱▱▱▱▱▱▱ 3`: the score on a 0–10 bar, coloured by its band, as (text, style) spans
    (the timeline makes a Rich Text of them only when styles are shown)."""
    style = pain_style(score, bands)
    return [("▰" * score, style), ("▱" * (width - score), "dim"), (f" {score}", style)]


# -- the pain chart and the distance bars ---------------------------------------------------

def _labelled(label: str, picture: Text, style: str = "") -> Text:
    if len(label) > CHART_LABEL:
        label = label[:CHART_LABEL - 1] + "…"
    line = Text(f"{label:<{CHART_LABEL}} ", style=style) + picture
    line.rstrip()
    return line


def treatment_letters(kinds: Iterable[str]) -> dict[str, str]:
    """One capital per kind, its own initial where free: M mesotherapy, P prolotherapy."""
    letters: dict[str, str] = {}
    for kind in kinds:
        if kind in letters:
            continue
        taken = set(letters.values())
        letters[kind] = next((c for c in kind.upper() + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              if c.isalpha() and c not in taken), "?")
    return letters


class _Fitted:
    """A picture drawn for the width it is shown at: narrower than 80 columns, charts draw
    fewer columns and bars grow shorter rather than wrap."""

    def __init__(self, draw: Callable[[int], RenderableType]) -> None:
        self.draw = draw

    def __rich_console__(self, console: Any, options: Any) -> Iterable[RenderableType]:
        yield self.draw(options.max_width)


def pain_chart(first_day: date, series: Sequence[tuple[str, Sequence[int | None]]],
               treatments: Sequence[Any], bands: TrafficLight) -> RenderableType:
    """Pain by day as a two-row sparkline per injury, treatments lettered under it, and
    Mondays along the bottom; a span longer than the chart shares columns between days."""
    return _Fitted(lambda width: _pain_chart(first_day, series, treatments, bands,
                                             min(CHART_COLUMNS, width - CHART_LABEL - 2)))


def _pain_chart(first_day: date, series: Sequence[tuple[str, Sequence[int | None]]],
                treatments: Sequence[Any], bands: TrafficLight, width: int) -> RenderableType:
    days = len(series[0][1]) if series else 1
    per = max(1, math.ceil(days / width))
    columns = math.ceil(days / per)
    what = "each day" if per == 1 else f"every {per} days"
    lines = [Text.assemble(("Pain", "bold"), (f", worst of {what} (0–10; · none logged)",
                                              "dim"))]
    if not series:
        lines.append(Text("No pain scores in these days.", style="dim"))
    for label, worst in series:
        top, bottom = sparkline(worst_per_column(worst, per), bands)
        lines += [_labelled(label, top), _labelled("", bottom)]
    letters = treatment_letters(t.kind for t in treatments)
    if treatments:
        marks = [" "] * columns
        for t in treatments:
            column = (clock.local(t.at).date() - first_day).days // per
            if 0 <= column < columns:
                letter = letters[t.kind]
                marks[column] = letter if marks[column] in (" ", letter) else "*"
        lines.append(_labelled("treatments", Text("".join(marks), style="bold magenta")))
        if "*" in marks:
            letters["several"] = "*"
    lines.append(_labelled("", Text(_axis(first_day, per, columns, width), style="dim")))
    if letters:
        lines.append(_labelled("", Text("  ".join(f"{c} {k}" for k, c in letters.items()),
                                        style="dim")))
    return Group(*lines)


def _axis(first_day: date, per: int, columns: int, width: int) -> str:
    """Dates under the columns they fall in: Mondays, as many as fit, or the first day when
    no Monday does. A label starts at its day's column and may run past the last one."""
    axis = ""
    for column in range(columns):
        start = first_day + timedelta(days=column * per)
        monday = start + timedelta(days=-start.weekday() % 7)
        if len(axis) <= column and monday < start + timedelta(days=per):
            label = day_month(monday)
            if column + len(label) > width:
                break
            axis = f"{axis:<{column}}{label} "
    return axis.rstrip() or day_month(first_day)


def _week_label(first: date, last: date) -> str:
    if first == last:
        return day_month(first)
    if first.month == last.month:
        return f"{first.day}–{day_month(last)}"
    return f"{day_month(first)}–{day_month(last)}"


def _period_label(period: Period, unit: str) -> str:
    if unit == "week":
        return _week_label(period.first_day, period.last_day)
    if unit == "month":
        return clock.format_day(period.first_day).split(" ", 2)[2]
    return str(period.first_day.year)


def _bar(fraction: float, width: int) -> str:
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


BAR_BESIDE = 31
"""Columns beside a bar: its label (14), the distance (9) and the runs (8)."""


def distance_bars(running: Running, shown: Units) -> RenderableType:
    return _Fitted(lambda width: _distance_bars(running, shown,
                                                min(BAR_WIDTH, width - BAR_BESIDE)))


def _distance_bars(running: Running, shown: Units, width: int) -> RenderableType:
    lines = [Text(f"Running distance by {running.unit}", style="bold")]
    longest = max((p.distance_km for p in running.periods), default=0)
    for period in running.periods:
        line = Text(f"{_period_label(period, running.unit):>13} ")
        line.append(_bar(period.distance_km / longest if longest else 0, width), style="cyan")
        line.append(f" {shown.of(period.distance_km):5.1f} {shown.name}")
        if period.runs:
            line.append(f"  {period.runs} run{'s' if period.runs > 1 else ''}", style="dim")
        lines.append(line)
    return Group(*lines)


def day_month(day: date) -> str:
    return " ".join(clock.format_day(day).split()[1:3])
