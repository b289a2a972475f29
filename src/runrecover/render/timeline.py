"""`runrecover timeline`: the record day by day, restriction bands beside it, and the charts.

The answer comes from `questions.timeline` (the JSON list and the view show the same events);
the pain chart and distance bars are drawn by `render/charts.py`, shared with `injury show`.
Everything fits 80 columns and reads without colour: bands, marks and bars are symbols
whose shapes carry the meaning, colour only repeats it.
"""

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from msgspec import Struct
from rich._wrap import divide_line  # Text.wrap's own line breaking
from rich.cells import _SINGLE_CELL_UNICODE_RANGES, cell_len, set_cell_size
from rich.console import Group, RenderableType
from rich.control import STRIP_CONTROL_CODES, strip_control_codes
from rich.segment import Segment
from rich.text import Text

from runrecover import clock, units
from runrecover.questions.timeline import Event, Timeline
from runrecover.render.charts import day_month, distance_bars, pain_chart, pain_scale, pain_style
from runrecover.render.effects import broken_json
from runrecover.render.entries import activity_summary
from runrecover.render.ladder import (
    MOVE_WORDS,
    RESPONSE_STYLE,
    plan_json,
    session_json,
    session_text,
)
from runrecover.rows import entry_json
from runrecover.rules import Window
from runrecover.vocab import LEVEL_RANK, LEVEL_TEXT, allowed_activities

QUIET_RUN = 3
"""Days without entries from this many in a row on collapse into one line."""

# Denser shade, tighter restriction: the band reads without colour.
BAND = {"rest": "█", "walk": "▓", "cross": "▒", "run-easy": "░"}
BAND_STYLE = {"rest": "bold red", "walk": "red", "cross": "yellow", "run-easy": "cyan"}


# -- JSON -----------------------------------------------------------------------------------

def timeline_json(timeline: Timeline) -> list[dict[str, Any]]:
    return [event_json(e) for e in timeline.events]


def event_json(event: Event) -> dict[str, Any]:
    """`kind`, the moment(s), then the entry's own fields; an entry's own kind (run,
    mesotherapy) is named after the event's kind: `{"kind": "activity", "activity": "run"}`."""
    if event.kind == "restriction":
        w = event.window
        return {"kind": "restriction", "start": clock.iso(w.start), "end": clock.iso(w.end),
                "level": w.level, "allowed": allowed_activities(w.level),
                "treatment": {"id": w.treatment.id, "kind": w.treatment.kind,
                              "at": clock.iso(w.treatment.at)},
                "injury_id": w.treatment.injury_id, "source": w.source}
    if event.kind == "ladder":
        if event.plan is not None:
            return {"kind": "ladder", "event": "due", "at": clock.iso(event.at),
                    "time_known": False, "due": event.plan.due.isoformat(),
                    "plan": plan_json(event.plan)}
        return {"kind": "ladder", "event": event.step.kind, "at": clock.iso(event.at),
                "time_known": True, "rung": event.step.rung,
                "by_clinician": event.step.by_clinician}
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
        data["ladder"] = session_json(event.rung) if event.rung else None
    return data | tail


# -- the day-by-day view --------------------------------------------------------------------

def _day_label(day: date) -> str:
    """`Wed  1 Jun`: the weekday and date, aligned, without the year (the header has it)."""
    weekday, number, month, _ = clock.format_day(day).split()
    return f"{weekday} {number:>2} {month}"


def short_at(moment: datetime) -> str:
    """`Sat 18 Jun 00:00`: a moment within the view's year."""
    return f"{clock.format_day(moment).rsplit(' ', 1)[0]} {clock.local(moment):%H:%M}"


Spans = list[tuple[str, str]]
"""A line as (text, Rich style) pieces, "" for no style: without styles (NO_COLOR, a pipe)
they are joined as they are, and only a terminal's lines become Rich Texts (years of lines
as Texts cost seconds)."""


NO_BAND = (" ", "")


def _band(level: str | None) -> tuple[str, str]:
    return (BAND[level], BAND_STYLE[level]) if level else NO_BAND


def _with_note(line: Spans, row: Any) -> Spans:
    if getattr(row, "note", None):
        line.append((f" · {row.note}", "dim"))
    return line


def _restriction_line(w: Window, first_day: date) -> Spans:
    t = w.treatment
    # A treatment before the first day shown is not on the page: say which one it was.
    cause = t.kind if clock.local(t.at).date() >= first_day else f"{t.kind} of {day_month(t.at)}"
    return [(BAND[w.level], BAND_STYLE[w.level]), (" ", ""), (LEVEL_TEXT[w.level], "bold"),
            (f" until {short_at(w.end)} · {cause} ", ""), (f"[{w.source}]", "dim")]


def _broke_line(w: Window) -> Spans:
    return [("✗ broke: ", "bold red"), (LEVEL_TEXT[w.level], ""),
            (f" ({w.treatment.kind} until {short_at(w.end)})", "")]


@functools.lru_cache(maxsize=64)
def _pain_spans(score: int, bands: Any) -> tuple[tuple[str, str], ...]:
    """`pain_scale(score, bands)`, made once for each of the eleven scores: years of pain
    lines begin with the same few bars."""
    return tuple(pain_scale(score, bands))


def _event_lines(event: Event, timeline: Timeline, several: bool, ids: bool) -> list[Spans]:
    lines = _entry_lines(event, timeline, several)
    if ids and event.entry is not None:
        # What `edit` and `delete` take, e.g. "pain 12": the entry's kind and its id.
        lines[0].append((f" ({event.kind} {event.entry.id})", "dim"))
    return lines


def _ladder_lines(event: Event) -> list[Spans]:
    if event.plan is not None:
        plan = event.plan
        return [[("▶ ", "bold cyan"), ("ladder session due", "bold"),
                 (f": rung {plan.state.rung} of {plan.state.of}, {session_text(plan.rung)}",
                  "")]]
    step = event.step
    who = " (clinician)" if step.by_clinician else ""
    return [[("▶ ", "bold cyan"), (f"ladder {step.kind}", "bold"),
             (f"{who} at rung {step.rung}", "")]]


def _entry_lines(event: Event, timeline: Timeline, several: bool) -> list[Spans]:
    row = event.entry
    if event.kind == "pain":  # most entries: asked first
        line = list(_pain_spans(row.score, timeline.bands))
        if row.context:
            line.append((f" {row.context}", ""))
        if several and row.injury_id in timeline.injury_names:
            line.append((f" · {timeline.injury_names[row.injury_id]}", "dim"))
        return [_with_note(line, row)]
    if event.kind == "ladder":
        return _ladder_lines(event)
    if event.kind == "restriction":
        return [_restriction_line(event.window, timeline.first_day)]
    if event.kind == "injury":
        if event.resolved:
            return [[("✓ ", "bold green"), (row.name, "bold"), (" resolved", "")]]
        where = " ".join(str(p) for p in (row.side, row.part) if p)
        line = [("◆ ", "bold red"), (row.name, "bold"), (" began", "")]
        if where and not set(where.lower().split()) <= set(row.name.lower().split()):
            line.append((f" · {where}", ""))
        if row.diagnosis:
            line.append((f" · {row.diagnosis}", ""))
        return [_with_note(line, row)]
    if event.kind == "treatment":
        line = [("✚ ", "bold magenta"), (row.kind, "bold")]
        if event.course:
            line.append((f" {event.course[0]} of {event.course[1]}", ""))
        if row.clinician:
            line.append((f" · {row.clinician}", ""))
        if several and row.injury_id in timeline.injury_names:
            line.append((f" · {timeline.injury_names[row.injury_id]}", ""))
        return [_with_note(line, row)]
    if event.kind == "race":
        line = [("⚑ ", "bold cyan"), (row.name, "bold")]
        if row.distance_km:
            line.append((f" · {timeline.units.distance(row.distance_km)}", ""))
        return [_with_note(line, row)]
    line = [(str(row.kind), "bold"), (" ", ""), (activity_summary(row, timeline.units), "")]
    if row.run_type:
        line.append((f" · {row.run_type}", ""))
    if row.pain_during is not None:
        line += [(" · pain ", ""),
                 (str(row.pain_during), pain_style(row.pain_during, timeline.bands))]
    lines = [_with_note(line, row)]
    if event.broke:
        lines.append(_broke_line(event.broke))
    if event.rung:
        r = event.rung
        lines.append([
            ("✓ " if r.move in ("up", "finish", "stay") else "↺ " if r.move != "down" else "↓ ",
             RESPONSE_STYLE.get(r.response, "dim")),
            (f"rung {r.rung}: ", ""), (r.response, RESPONSE_STYLE.get(r.response, "dim")),
            (f" → {MOVE_WORDS[r.move]}", "")])
    return lines


PREFIX = 19
"""Cells before an entry's text: the date (10), the band (1) and the time (5), spaced."""


# The control codes Rich's Text drops (STRIP_CONTROL_CODES), looked for first:
# translating every line costs more than finding the rare one that holds one.
_CONTROL = re.compile(f"[{re.escape(''.join(map(chr, STRIP_CONTROL_CODES)))}]")


# A character outside the ranges Rich counts one cell each (`rich.cells`'s own test of a text,
# a set's issuperset, takes twice as long): a text without one is as wide as it is long,
# and holds no control code, newline or tab.
_not_single_cell = re.compile("[^" + "".join(
    f"{re.escape(chr(first))}-{re.escape(chr(last))}"
    for first, last in _SINGLE_CELL_UNICODE_RANGES) + "]").search


class _Row(Struct, frozen=True):
    day: str
    band: tuple[str, str]
    time: str
    content: Spans
    style: str = "bold"  # the day's
    under: str = ""  # the style under the whole content (a pain line is in its score's colour)


def _wrapped(plain: str, width: int, console: Any) -> list[str]:
    """A line of text without styles wrapped as Rich wraps a Text with `overflow="fold"`
    (`Text.wrap`: the same breaks, each line cut to the width), without making the Texts: a
    tenth of years of lines wrap. One with a newline or a tab goes through Rich itself."""
    if "\n" in plain or "\t" in plain:
        return [line.plain for line in Text(plain).wrap(console, width,
                                                          overflow="fold")] or [""]
    if not _not_single_cell(plain):
        breaks = _single_cell_breaks(plain, width)
        if breaks is not None:
            offsets = [0, *breaks, len(plain)]
            return [plain[start:end][:width] for start, end in itertools.pairwise(offsets)]
    offsets = [0, *divide_line(plain, width, fold=True), len(plain)]
    lines = [plain[start:end] for start, end in itertools.pairwise(offsets)]
    return [set_cell_size(line, width) if cell_len(line) > width else line for line in lines]


def _single_cell_breaks(plain: str, width: int) -> list[int] | None:
    """`divide_line(plain, width)` for a text whose every character takes one cell (no
    `_not_single_cell`), found from the line's edge rather than word by word: its only
    blanks are spaces and no-break spaces, and a line breaks before the first word that
    ends past its width. None when Rich would fold a word wider than a line, or when the
    text begins with blanks (its first word holds them): left to Rich."""
    if plain.startswith((" ", "\xa0")):
        return None
    breaks: list[int] = []
    size = len(plain)
    line = 0  # where the current line starts: a word's first character
    while line + width < size:
        edge = line + width  # the first character past the line's width
        if plain[edge] in " \xa0":
            # Every word before the edge ends by it: the next word begins the next line.
            rest = plain[edge:].lstrip(" \xa0")
            if not rest:
                break
            line = size - len(rest)
        else:
            # The word across the edge begins the next line (a word as wide as a line
            # and wider begins this one: Rich folds it).
            start = max(plain.rfind(" ", line, edge), plain.rfind("\xa0", line, edge)) + 1
            if start <= line:
                return None
            ends = [end for end in (plain.find(" ", edge), plain.find("\xa0", edge)) if end >= 0]
            if min(ends, default=size) - start > width:
                return None
            line = start
        breaks.append(line)
    return breaks


class _Rows:
    """The day-by-day lines. Text that wraps stays in its column with the day's band still
    beside it, and no line ends in blanks (a Table pads every cell to its column)."""

    def __init__(self, rows: Sequence[_Row]) -> None:
        self.rows = rows

    def plain_lines(self, console: Any, width: int | None = None) -> Iterator[str]:
        """The lines as they show without styles (NO_COLOR, a pipe), each ending in a
        newline: `console.show_parts` writes them as they are, without Rich's layout."""
        shown = console.width if width is None else width
        width = max(20, shown - PREFIX)
        if width + PREFIX <= shown:
            yield from self._plain_lines(console, width)
            return
        for line in self._plain_lines(console, width):
            # Narrower than the prefix and 20 columns: cut at the edge, as Rich cuts lines.
            yield set_cell_size(line[:-1], shown).rstrip() + "\n"

    def _plain_lines(self, console: Any, width: int) -> Iterator[str]:
        for row in self.rows:
            plain = "".join([text for text, _ in row.content])
            band = row.band[0]
            # Most lines are of characters of one cell each (Rich's own test): then none is
            # a control code, a newline or a tab, and the line's length is its width.
            if not _not_single_cell(plain):
                if len(plain) <= width:
                    yield f"{row.day:<10} {band} {row.time:<5} {plain}".rstrip() + "\n"
                    continue
            else:
                if _CONTROL.search(plain):  # what a Rich Text holds: it drops them
                    plain = strip_control_codes(plain)
                # Wrapping is most of the cost of years of lines: a line that fits is itself
                # (one of half the width fits, whatever its characters: none takes 3 cells).
                if not plain or ((len(plain) * 2 <= width or cell_len(plain) <= width)
                                 and "\n" not in plain and "\t" not in plain):
                    yield f"{row.day:<10} {band} {row.time:<5} {plain}".rstrip() + "\n"
                    continue
            for index, line in enumerate(_wrapped(plain, width, console)):
                if index == 0:
                    yield f"{row.day:<10} {band} {row.time:<5} {line}".rstrip() + "\n"
                else:
                    yield f"{'':<10} {band} {'':<5} {line}".rstrip() + "\n"

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Segment]:
        if console.color_system is None:  # NO_COLOR or a pipe: text alone
            for line in self.plain_lines(console, options.max_width):
                yield Segment(line)
            return
        width = max(20, options.max_width - PREFIX)
        for row in self.rows:
            content = Text.assemble(*row.content, style=row.under)
            plain = content.plain
            fits = cell_len(plain) <= width and "\n" not in plain and "\t" not in plain
            lines = ([content] if fits or not content
                     else content.wrap(console, width, overflow="fold"))
            for index, line in enumerate(lines or [Text()]):
                first = index == 0
                text = Text.assemble(
                    (f"{row.day if first else '':<10} ", row.style), row.band, " ",
                    (f"{row.time if first else '':<5} ", "dim"), line)
                text.rstrip()
                # Its segments, not the Text: a line that fits needs no wrapping by Rich.
                yield from text.render(console, end="\n")


_ONE_DAY = timedelta(days=1)


def _days(timeline: Timeline, ids: bool) -> Iterator[_Row]:
    """The rows, day by day, made as they are shown."""
    several = timeline.several_injuries
    # Each event with its moment in the zone read once (event.day's, and its time's).
    events_on: dict[date, list[tuple[Event, datetime]]] = {}
    for event in timeline.events:
        shown = clock.local(event.at, timeline.zone)
        events_on.setdefault(max(shown.date(), timeline.first_day), []).append((event, shown))

    band_on = timeline.level_on

    quiet: list[date] = []
    shown_year = timeline.first_day.year

    def year_mark(day: date) -> list[_Row]:
        nonlocal shown_year
        if day.year == shown_year:
            return []
        shown_year = day.year
        return [_Row(str(day.year), (" ", ""), "", [])]

    def flush() -> list[_Row]:
        rows: list[_Row] = []
        if len(quiet) >= QUIET_RUN:
            rows += year_mark(quiet[-1])
            rows.append(_Row("", _band(band_on(quiet[0])), "",
                             [(f"… {len(quiet)} quiet days, {day_month(quiet[0])} – "
                               f"{day_month(quiet[-1])} …", "dim")]))
        else:
            for day in quiet:
                rows += year_mark(day)
                rows.append(_Row(_day_label(day), _band(band_on(day)), "", [], style="dim"))
        quiet.clear()
        return rows

    day = timeline.first_day
    while day <= timeline.last_day:
        events = events_on.get(day)
        if not events:
            if quiet and band_on(quiet[0]) != band_on(day):
                yield from flush()
            quiet.append(day)
            day += _ONE_DAY
            continue
        yield from flush()
        yield from year_mark(day)
        label = _day_label(day)
        # A day no restriction touches has no band (on the first day, an event may be from
        # before it: that one is looked up).
        unrestricted = day not in timeline.day_windows and day != timeline.first_day
        for event, shown in events:
            kind = event.kind
            if unrestricted:
                band = NO_BAND
            elif kind == "restriction":
                band = _band(timeline.level_at(max(clock.utc(event.at),
                                                   clock.utc(clock.start_of_day(day)))))
            elif event.time_known:
                band = _band(timeline.level_at(event.at))
            else:
                band = _band(timeline.level_on(day))
            if event.time_known and kind != "restriction":
                time = clock.clock_text(shown.hour, shown.minute)
            else:
                time = ""
            under = pain_style(event.entry.score, timeline.bands) if kind == "pain" else ""
            for line in _event_lines(event, timeline, several, ids):
                yield _Row(label, band, time, line, under=under)
                label, time = "", ""
        day += _ONE_DAY
    yield from flush()


def _span_text(first_day: date, last_day: date) -> str:
    first, last = clock.format_day(first_day), clock.format_day(last_day)
    if first_day.year == last_day.year:
        first = first.rsplit(" ", 1)[0]
    return f"{first} – {last}"


def _legend(timeline: Timeline) -> Text | None:
    levels = sorted({w.level for w in timeline.windows}, key=LEVEL_RANK.get)
    broke = any(e.broke for e in timeline.events)
    if not levels and not broke:
        return None
    text = Text()
    for level in levels:
        text.append(BAND[level], style=BAND_STYLE[level])
        text.append(f" {LEVEL_TEXT[level]}  ", style="dim")
    if broke:
        text.append("✗", style="bold red")
        text.append(" broke a restriction", style="dim")
    text.rstrip()
    return text


ROWS_AT_ONCE = 50
"""Rows printed together: the first lines show at once, whatever the span asked."""


def timeline_parts(timeline: Timeline, *, chart: bool = False,
                   ids: bool = False) -> Iterator[RenderableType]:
    """The day-by-day view in parts, made as they are printed (a reader that stops reading
    stops the work); with `ids`, each entry says what `edit` and `delete` take."""
    span = _span_text(timeline.first_day, timeline.last_day)
    title = Text.assemble(("Timeline", "bold"), f" {span}")
    if timeline.injury is not None:
        title.append(f" · {timeline.injury.name}", style="bold")
    yield title
    legend = _legend(timeline)
    if legend is not None:
        yield legend
    yield Text("")
    if timeline.events:
        rows = _days(timeline, ids)
        while chunk := list(itertools.islice(rows, ROWS_AT_ONCE)):
            yield _Rows(chunk)
    else:
        yield Text("Nothing recorded in these days; widen them with --since and --until.",
                   style="dim")
    if chart:
        yield from (Text(""), pain_chart(timeline.first_day, timeline.pain_by_day,
                                         timeline.treatments, timeline.bands),
                    Text(""), distance_bars(timeline.running, timeline.units))


def timeline_view(timeline: Timeline, *, chart: bool = False, ids: bool = False) -> RenderableType:
    """The day-by-day view as one renderable (the demo shows it among others)."""
    return Group(*timeline_parts(timeline, chart=chart, ids=ids))
