"""`runrecover timeline`: the record day by day, restriction bands beside it, and the charts.

The events come from `events.build` (the JSON list and the view show the same ones); the
pain chart and weekly distance bars are shared with `injury show`.
Everything fits 80 columns and reads without colour: bands, marks and bars are symbols
whose shapes carry the meaning, colour only repeats it.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.text import Text

from runrecover import clock, rules, units
from runrecover.events import Event, Timeline
from runrecover.protocols import LEVELS
from runrecover.render.charts import pain_scale, sparkline
from runrecover.render.entries import activity_summary, entry_json
from runrecover.render.status import LEVEL_TEXT, broken_json, daily_worst
from runrecover.rules import Window

QUIET_RUN = 3
"""Days without entries from this many in a row on collapse into one line."""

# Denser shade, tighter restriction: the band reads without colour.
BAND = {"rest": "█", "walk": "▓", "cross": "▒", "run-easy": "░"}
BAND_STYLE = {"rest": "bold red", "walk": "red", "cross": "yellow", "run-easy": "cyan"}
_RANK = {level: rank for rank, level in enumerate(LEVELS)}

CHART_LABEL = 16
CHART_COLUMNS = 62
"""Columns of the pain chart; 80 minus the label and a space. Longer spans share columns."""
BAR_WIDTH = 34
EIGHTHS = " ▏▎▍▌▋▊▉█"


class Trimmed:
    """A renderable whose lines end at their last mark: Rich pads table cells to the
    column width, and trailing blanks only get in the way of copies and comparisons."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Segment]:
        for line in console.render_lines(self.renderable, options, pad=False):
            while line and not line[-1].control and not line[-1].text.strip():
                line.pop()
            if line:
                last = line[-1]
                line[-1] = Segment(last.text.rstrip(), last.style, last.control)
            yield from line
            yield Segment.line()



def windows_by_day(windows: Iterable[Window], first_day: date,
           last_day: date) -> dict[date, list[Window]]:
    """The windows touching each day from `first_day` to `last_day`: what a moment of that
    day needs to look at, rather than every window."""
    days: dict[date, list[Window]] = {}
    for w in windows:
        day = max(clock.local(w.start).date(), first_day)
        last = min((clock.local(w.end) - timedelta(microseconds=1)).date(), last_day)
        while day <= last:
            days.setdefault(day, []).append(w)
            day += timedelta(days=1)
    return days


# -- JSON -----------------------------------------------------------------------------------

def timeline_json(timeline: Timeline) -> list[dict[str, Any]]:
    return [event_json(e) for e in timeline.events]


def event_json(event: Event) -> dict[str, Any]:
    """`kind`, the moment(s), then the entry's own fields; an entry's own kind (run,
    mesotherapy) is named after the event's kind: `{"kind": "activity", "activity": "run"}`."""
    if event.kind == "restriction":
        w = event.window
        return {"kind": "restriction", "start": clock.iso(w.start), "end": clock.iso(w.end),
                "level": w.level, "allowed": rules.allowed_activities(w.level),
                "treatment": {"id": w.treatment.id, "kind": w.treatment.kind,
                              "at": clock.iso(w.treatment.at)},
                "injury_id": w.treatment.injury_id, "source": w.source}
    fields = entry_json(event.entry)
    own_kind = fields.pop("kind", None)
    for name in ("at", "time_known"):
        fields.pop(name, None)
    data: dict[str, Any] = {"kind": event.kind, "at": clock.iso(event.at),
                            "time_known": event.time_known, "id": fields.pop("id")}
    if event.kind == "injury":
        data["event"] = "resolved" if event.resolved else "onset"
    elif event.kind == "treatment":
        data["treatment"] = own_kind
        data["course"] = ({"session": event.course[0], "of": event.course[1]}
                          if event.course else None)
    elif event.kind == "activity":
        row = event.entry
        pace = units.pace_s_per_km(row.distance_km, row.moving_s or row.duration_s)
        data["activity"] = own_kind
        data["pace_s_per_km"] = round(pace, 1) if pace is not None else None
    # The runner's own words and the stable id last, where a reader's eye expects them.
    tail = {name: fields.pop(name) for name in ("note", "uid")}
    data |= fields
    if event.kind == "activity":
        data["breaks_restriction"] = broken_json(event.broke) if event.broke else None
    return data | tail


# -- the day-by-day view --------------------------------------------------------------------

def _day_label(day: date) -> str:
    """`Wed  1 Jun`: the weekday and date, aligned, without the year (the header has it)."""
    weekday, number, month, _ = clock.format_day(day).split()
    return f"{weekday} {number:>2} {month}"


def _day_month(day: date) -> str:
    return " ".join(clock.format_day(day).split()[1:3])


def short_at(moment: datetime) -> str:
    """`Sat 18 Jun 00:00`: a moment within the view's year."""
    return f"{clock.format_day(moment).rsplit(' ', 1)[0]} {clock.local(moment):%H:%M}"


def _level_at(windows: Sequence[Window], moment: datetime) -> str | None:
    """The tightest restriction at that instant; None when nothing is restricted."""
    at = clock.utc(moment)
    ranks = [_RANK[w.level] for w in windows if clock.utc(w.start) <= at < clock.utc(w.end)]
    return LEVELS[min(ranks)] if ranks else None


def _level_on(windows: Sequence[Window]) -> str | None:
    """The tightest restriction at any time of a day, given the windows touching it."""
    return LEVELS[min(_RANK[w.level] for w in windows)] if windows else None


def _band(level: str | None) -> Text:
    return Text(BAND[level], style=BAND_STYLE[level]) if level else Text(" ")


def _with_note(text: Text, row: Any) -> Text:
    if getattr(row, "note", None):
        text.append(f" · {row.note}", style="dim")
    return text


def _restriction_text(w: Window, first_day: date) -> Text:
    t = w.treatment
    # A treatment before the first day shown is not on the page: say which one it was.
    cause = t.kind if clock.local(t.at).date() >= first_day else f"{t.kind} of {_day_month(t.at)}"
    return Text.assemble(
        (BAND[w.level], BAND_STYLE[w.level]), " ", (LEVEL_TEXT.get(w.level, w.level), "bold"),
        f" until {short_at(w.end)} · {cause} ", (f"[{w.source}]", "dim"))


def _broke_text(w: Window) -> Text:
    return Text.assemble(
        ("✗ broke: ", "bold red"), LEVEL_TEXT.get(w.level, w.level),
        f" ({w.treatment.kind} until {short_at(w.end)})")


def _event_lines(event: Event, timeline: Timeline, several: bool) -> list[Text]:
    row = event.entry
    if event.kind == "restriction":
        return [_restriction_text(event.window, timeline.first_day)]
    if event.kind == "injury":
        if event.resolved:
            return [Text.assemble(("✓ ", "bold green"), (row.name, "bold"), " resolved")]
        where = " ".join(str(p) for p in (row.side, row.part) if p)
        text = Text.assemble(("◆ ", "bold red"), (row.name, "bold"), " began")
        if where and not set(where.lower().split()) <= set(row.name.lower().split()):
            text.append(f" · {where}")
        text.append(f" · {row.diagnosis}" if row.diagnosis else "")
        return [_with_note(text, row)]
    if event.kind == "treatment":
        text = Text.assemble(("✚ ", "bold magenta"), (row.kind, "bold"))
        if event.course:
            text.append(f" {event.course[0]} of {event.course[1]}")
        if row.clinician:
            text.append(f" · {row.clinician}")
        if several and row.injury_id in timeline.injury_names:
            text.append(f" · {timeline.injury_names[row.injury_id]}")
        return [_with_note(text, row)]
    if event.kind == "race":
        text = Text.assemble(("⚑ ", "bold cyan"), (row.name, "bold"))
        if row.distance_km:
            text.append(f" · {units.format_distance(row.distance_km)}")
        return [_with_note(text, row)]
    if event.kind == "pain":
        text = pain_scale(row.score)
        text.append(f" {row.context}" if row.context else "")
        if several and row.injury_id in timeline.injury_names:
            text.append(f" · {timeline.injury_names[row.injury_id]}", style="dim")
        return [_with_note(text, row)]
    text = Text.assemble((str(row.kind), "bold"), " ", activity_summary(row))
    if row.run_type:
        text.append(f" · {row.run_type}")
    if row.pain_during is not None:
        text.append(" · pain ")
        text.append(str(row.pain_during), style=BAND_STYLE["cross"] if 4 <= row.pain_during <= 6
                    else "red" if row.pain_during > 6 else "green")
    lines = [_with_note(text, row)]
    if event.broke:
        lines.append(_broke_text(event.broke))
    return lines


PREFIX = 19
"""Cells before an entry's text: the date (10), the band (1) and the time (5), spaced."""


@dataclass(frozen=True)
class _Row:
    day: str
    band: Text
    time: str
    content: Text
    style: str = "bold"


class _Rows:
    """The day-by-day lines. Text that wraps stays in its column with the day's band still
    beside it, and no line ends in blanks (a Table pads every cell to its column)."""

    def __init__(self, rows: Sequence[_Row]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Text]:
        width = max(20, options.max_width - PREFIX)
        for row in self.rows:
            lines = row.content.wrap(console, width, overflow="fold") if row.content else [Text()]
            for index, line in enumerate(lines):
                first = index == 0
                text = Text.assemble(
                    (f"{row.day if first else '':<10} ", row.style), row.band, " ",
                    (f"{row.time if first else '':<5} ", "dim"), line)
                text.rstrip()
                yield text


def _days(timeline: Timeline) -> _Rows:
    touching = windows_by_day(timeline.windows, timeline.first_day, timeline.last_day)
    several = timeline.several_injuries
    events_on: dict[date, list[Event]] = {}
    for event in timeline.events:
        events_on.setdefault(max(event.day, timeline.first_day), []).append(event)
    rows: list[_Row] = []

    def band_on(day: date) -> str | None:
        return _level_on(touching.get(day, []))

    quiet: list[date] = []
    shown_year = timeline.first_day.year

    def year_mark(day: date) -> None:
        nonlocal shown_year
        if day.year != shown_year:
            rows.append(_Row(str(day.year), Text(" "), "", Text()))
            shown_year = day.year

    def flush() -> None:
        if len(quiet) >= QUIET_RUN:
            year_mark(quiet[-1])
            rows.append(_Row("", _band(band_on(quiet[0])), "",
                             Text(f"… {len(quiet)} quiet days, {_day_month(quiet[0])} – "
                                  f"{_day_month(quiet[-1])} …", style="dim")))
        else:
            for day in quiet:
                year_mark(day)
                rows.append(_Row(_day_label(day), _band(band_on(day)), "", Text(), style="dim"))
        quiet.clear()

    day = timeline.first_day
    while day <= timeline.last_day:
        events = events_on.get(day)
        if not events:
            if quiet and band_on(quiet[0]) != band_on(day):
                flush()
            quiet.append(day)
            day += timedelta(days=1)
            continue
        flush()
        year_mark(day)
        label = _day_label(day)
        today = touching.get(day, [])
        for event in events:
            if event.kind == "restriction":
                level = _level_at(today, max(clock.utc(event.at),
                                             clock.utc(clock.start_of_day(day))))
            elif event.time_known:
                level = _level_at(today, event.at)
            else:
                level = _level_on(today)
            time = (f"{clock.local(event.at):%H:%M}"
                    if event.time_known and event.kind != "restriction" else "")
            for line in _event_lines(event, timeline, several):
                rows.append(_Row(label, _band(level), time, line))
                label, time = "", ""
        day += timedelta(days=1)
    flush()
    return _Rows(rows)


def _span_text(first_day: date, last_day: date) -> str:
    first, last = clock.format_day(first_day), clock.format_day(last_day)
    if first_day.year == last_day.year:
        first = first.rsplit(" ", 1)[0]
    return f"{first} – {last}"


def _legend(timeline: Timeline) -> Text | None:
    levels = sorted({w.level for w in timeline.windows}, key=_RANK.get)
    broke = any(e.broke for e in timeline.events)
    if not levels and not broke:
        return None
    text = Text()
    for level in levels:
        text.append(BAND[level], style=BAND_STYLE[level])
        text.append(f" {LEVEL_TEXT.get(level, level)}  ", style="dim")
    if broke:
        text.append("✗", style="bold red")
        text.append(" broke a restriction", style="dim")
    text.rstrip()
    return text


def timeline_view(timeline: Timeline, *, chart: bool = False) -> RenderableType:
    span = _span_text(timeline.first_day, timeline.last_day)
    title = Text.assemble(("Timeline", "bold"), f" {span}")
    if timeline.injury is not None:
        title.append(f" · {timeline.injury.name}", style="bold")
    parts: list[RenderableType] = [title]
    legend = _legend(timeline)
    if legend is not None:
        parts.append(legend)
    parts.append(Text(""))
    if timeline.events:
        parts.append(_days(timeline))
    else:
        parts.append(Text("Nothing recorded in these days; widen them with --since and "
                          "--until.", style="dim"))
    if chart:
        series: dict[int | None, list[Any]] = {}
        for p in timeline.pain:
            series.setdefault(p.injury_id, []).append(p)
        named = [(timeline.injury_names.get(key, "other pain"), rows)
                 for key, rows in sorted(series.items(), key=lambda s: s[0] or 0)]
        parts += [Text(""), pain_chart(timeline.first_day, timeline.last_day, named,
                                       timeline.treatments),
                  Text(""), distance_bars(*running_periods(
                      timeline.activities, timeline.first_day, timeline.last_day))]
    return Group(*parts)


# -- charts ---------------------------------------------------------------------------------

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


def pain_chart(first_day: date, last_day: date, series: Sequence[tuple[str, Sequence[Any]]],
               treatments: Sequence[Any]) -> RenderableType:
    """Pain by day as a two-row sparkline per injury, treatments lettered under it, and
    Mondays along the bottom; a span longer than the chart shares columns between days."""
    days = (last_day - first_day).days + 1
    per = max(1, math.ceil(days / CHART_COLUMNS))
    columns = math.ceil(days / per)
    what = "each day" if per == 1 else f"every {per} days"
    lines = [Text.assemble(("Pain", "bold"), (f", worst of {what} (0–10; · none logged)",
                                              "dim"))]
    if not series:
        lines.append(Text("No pain scores in these days.", style="dim"))
    for label, rows in series:
        worst = daily_worst(rows, first_day, days)
        scores = [max((s for s in worst[i * per:(i + 1) * per] if s is not None), default=None)
                  for i in range(columns)]
        top, bottom = sparkline(scores)
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
    lines.append(_labelled("", Text(_axis(first_day, per, columns), style="dim")))
    if letters:
        lines.append(_labelled("", Text("  ".join(f"{c} {k}" for k, c in letters.items()),
                                        style="dim")))
    return Group(*lines)


def _axis(first_day: date, per: int, columns: int) -> str:
    """Dates under the columns they fall in: Mondays, as many as fit, or the first day when
    no Monday does. A label starts at its day's column and may run past the last one."""
    axis = ""
    for column in range(columns):
        start = first_day + timedelta(days=column * per)
        monday = start + timedelta(days=-start.weekday() % 7)
        if len(axis) <= column and monday < start + timedelta(days=per):
            label = _day_month(monday)
            if column + len(label) > CHART_COLUMNS:
                break
            axis = f"{axis:<{column}}{label} "
    return axis.rstrip() or _day_month(first_day)


MAX_BARS = 16
"""Bars of running distance at most: weeks become months, months years, beyond it."""


@dataclass(frozen=True)
class Period:
    first_day: date  # cut to the first day asked for
    last_day: date  # cut to the last day asked for
    label: str
    distance_km: float
    runs: int


def _week_label(first: date, last: date) -> str:
    if first == last:
        return _day_month(first)
    if first.month == last.month:
        return f"{first.day}–{_day_month(last)}"
    return f"{_day_month(first)}–{_day_month(last)}"


def _next_start(day: date, unit: str) -> date:
    """The first day of the period after the one `day` is in."""
    if unit == "week":
        return day + timedelta(days=7 - day.weekday())
    if unit == "month":
        return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return date(day.year + 1, 1, 1)


def running_periods(activities: Iterable[Any], first_day: date,
                    last_day: date) -> tuple[str, list[Period]]:
    """Running distance per calendar week (Monday to Sunday) from `first_day` to
    `last_day`, or per month or year when weeks would not fit a screen; the periods at
    either end are cut to the days inside."""
    runs = [(clock.local(a.at).date(), a.distance_km or 0) for a in activities
            if a.kind == "run"]
    weeks = ((last_day - first_day).days + first_day.weekday()) // 7 + 1
    months = (last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1
    unit = "week" if weeks <= MAX_BARS else "month" if months <= MAX_BARS else "year"
    periods = []
    first = first_day
    while first <= last_day:
        last = min(_next_start(first, unit) - timedelta(days=1), last_day)
        inside = [km for day, km in runs if first <= day <= last]
        label = (_week_label(first, last) if unit == "week"
                 else clock.format_day(first).split(" ", 2)[2] if unit == "month"
                 else str(first.year))
        periods.append(Period(first, last, label, sum(inside), len(inside)))
        first = last + timedelta(days=1)
    return unit, periods


def _bar(fraction: float) -> str:
    eighths = round(fraction * BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(BAR_WIDTH)


def distance_bars(unit: str, periods: Sequence[Period]) -> RenderableType:
    lines = [Text(f"Running distance by {unit}", style="bold")]
    longest = max((p.distance_km for p in periods), default=0)
    for period in periods:
        line = Text(f"{period.label:>13} ")
        line.append(_bar(period.distance_km / longest if longest else 0), style="cyan")
        line.append(f" {period.distance_km:5.1f} km")
        if period.runs:
            line.append(f"  {period.runs} run{'s' if period.runs > 1 else ''}", style="dim")
        lines.append(line)
    return Group(*lines)
