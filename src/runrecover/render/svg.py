"""A small SVG chart of days: bands (restriction windows), a 0–10 line (pain, left scale),
bars with a second scale (distance, right scale), vertical markers (treatments, races,
today). Plain strings with no script, no font file and no external reference, so that the
page it goes in stays one self-contained file.

Standalone (an .svg file) it needs `xmlns="http://www.w3.org/2000/svg"` added; the page
draws it inline, where HTML needs none. Positions are in days from the chart's first day
(0.5 is noon of the first day). The palette is Okabe–Ito's, readable by colour-blind
people; bands that forbid running are also hatched, and broken runs outlined, so the
picture survives grey print.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from msgspec import Struct

WIDTH, HEIGHT = 720, 270
LEFT, RIGHT, TOP, BOTTOM = 34, 46, 42, 34
LABEL_GAP = 12  # the height of a row of marker labels
MAX_LABEL_ROW = 2
PAIN_MAX = 10

BLUE, VERMILLION, ORANGE, SKY, GREY = "#0072B2", "#D55E00", "#E69F00", "#56B4E9", "#555555"


class Band(Struct, frozen=True):
    start: float
    end: float
    strict: bool  # True: no running at all (hatched); False: easy running only
    label: str


class Bar(Struct, frozen=True):
    at: float
    value: float
    broke: bool
    label: str
    rung: int | None = None  # the return-to-run ladder rung the run was


class Marker(Struct, frozen=True):
    at: float
    label: str
    kind: str  # "treatment", "race", "ladder", "today"


class Score(Struct, frozen=True):
    """One pain score: where it stands, and its context (its symbol)."""

    at: float
    score: int
    context: str | None
    label: str


SYMBOLS = {"morning": "circle", "during": "triangle", "after": "triangle-down",
           "night": "square", "rest": "diamond"}
"""The symbol of each pain context; a score with no context is a hollow circle."""


def symbol(context: str | None, x: float, y: float, label: str) -> str:
    """A pain score's mark: black, its shape telling its context (readable in grey)."""
    shape = SYMBOLS.get(context or "", "hollow")
    title = f"<title>{escape(label)}</title>"
    cls = f'class="pain {shape}"'
    if shape == "circle":
        return f'<circle {cls} cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#000000">{title}</circle>'
    if shape == "hollow":
        return (f'<circle {cls} cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#ffffff" '
                f'stroke="#000000" stroke-width="1.2">{title}</circle>')
    points = {"triangle": ((0, -4.5), (4, 3), (-4, 3)),
              "triangle-down": ((0, 4.5), (4, -3), (-4, -3)),
              "square": ((-3.2, -3.2), (3.2, -3.2), (3.2, 3.2), (-3.2, 3.2)),
              "diamond": ((0, -4.2), (4.2, 0), (0, 4.2), (-4.2, 0))}[shape]
    drawn = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in points)
    return f'<polygon {cls} points="{drawn}" fill="#000000">{title}</polygon>'


class DayChart(Struct, frozen=True):
    first_day: date
    days: int
    pain: Sequence[int | None]  # the worst of each day, None when no score: the line
    pain_at: Sequence[float | None] = ()  # where each day's vertex stands (default: noon)
    scores: Sequence[Score] = ()  # every score, marked by context (default: the vertices)
    bars: Sequence[Bar] = ()
    bands: Sequence[Band] = ()
    markers: Sequence[Marker] = ()
    bar_unit: str = "km"
    title: str = "Chart"
    description: str = ""


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _x(chart: DayChart, at: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * max(0.0, min(at, chart.days)) / chart.days


def _y_pain(score: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / PAIN_MAX)


def bar_scale(values: Sequence[float]) -> float:
    """The top of the bars' scale: a round number at or above the largest bar."""
    top = max(values, default=0.0)
    for step in (5, 10, 20, 25, 50, 100, 200, 500):
        if top <= step:
            return float(step)
    return float(int(top / 100 + 1) * 100)


def tick_days(days: int) -> int:
    """Every how many days the axis names a day."""
    for every in (1, 2, 7, 14, 28):
        if days / every <= 16:
            return every
    return 56


def label_rows(labels: Sequence[tuple[float, int]], char_px: float = 6.0) -> list[int]:
    """The row (0 lowest) of each marker's label, given its centre and its length in
    characters: a label goes on the lowest row where it overlaps no other."""
    placed: list[list[tuple[float, float]]] = []
    rows = []
    for centre, length in labels:
        half = length * char_px / 2 + 3
        span = (centre - half, centre + half)
        for row, taken in enumerate(placed):
            if all(span[1] <= a or span[0] >= b for a, b in taken):
                taken.append(span)
                rows.append(row)
                break
        else:
            placed.append([span])
            rows.append(len(placed) - 1)
    return [min(row, MAX_LABEL_ROW) for row in rows]


def render(chart: DayChart) -> str:
    """The chart as one `<svg>` element."""
    plot_h = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h
    scale = bar_scale([b.value for b in chart.bars])
    day_w = (WIDTH - LEFT - RIGHT) / chart.days
    # No xmlns: inline in HTML it is not needed, and the page names no URL at all.
    out = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-labelledby="chart-title chart-desc" class="chart">',
           f'<title id="chart-title">{escape(chart.title)}</title>',
           f'<desc id="chart-desc">{escape(chart.description)}</desc>',
           '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe3c0"/>'
           f'<line x1="0" y1="0" x2="0" y2="6" stroke="{ORANGE}" stroke-width="1.5"/>'
           '</pattern></defs>']
    for band in chart.bands:
        x0, x1 = _x(chart, band.start), _x(chart, band.end)
        fill = 'url(#hatch)' if band.strict else "#fdf1dc"
        out.append(f'<rect class="band" x="{x0:.1f}" y="{TOP}" width="{max(x1 - x0, 1):.1f}" '
                   f'height="{plot_h}" fill="{fill}"><title>{escape(band.label)}</title></rect>')
    # Grid and the two scales.
    for score in range(0, PAIN_MAX + 1, 2):
        y = _y_pain(score)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                   f'stroke="#dddddd" stroke-width="0.6"/>')
        out.append(f'<text x="{LEFT - 5}" y="{y + 3.5:.1f}" text-anchor="end" '
                   f'class="tick">{score}</text>')
        value = scale * score / PAIN_MAX
        out.append(f'<text x="{WIDTH - RIGHT + 5}" y="{y + 3.5:.1f}" class="tick" '
                   f'fill="{BLUE}">{_num(value)}</text>')
    out.append(f'<text x="{LEFT - 5}" y="{TOP - 8}" text-anchor="end" '
               'class="axis">pain</text>')
    out.append(f'<text x="{WIDTH - RIGHT + 5}" y="{TOP - 8}" class="axis" '
               f'fill="{BLUE}">{escape(chart.bar_unit)}</text>')
    every = tick_days(chart.days)
    for offset in range(0, chart.days, every):
        day = chart.first_day + timedelta(days=offset)
        x = _x(chart, offset + 0.5)
        out.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" '
                   f'stroke="{GREY}"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" '
                   f'class="tick">{day.day} {day.strftime("%b")}</text>')
    # Bars on the right scale, broken ones outlined.
    for bar in chart.bars:
        h = plot_h * min(bar.value, scale) / scale
        x = _x(chart, bar.at) - day_w * 0.3
        colour = VERMILLION if bar.broke else BLUE
        stroke = ' stroke="#000000" stroke-width="1.5"' if bar.broke else ""
        cls = "bar broke" if bar.broke else "bar"
        out.append(f'<rect class="{cls}" x="{x:.1f}" y="{bottom - h:.1f}" '
                   f'width="{max(day_w * 0.6, 2):.1f}" height="{h:.1f}" fill="{colour}"'
                   f'{stroke}><title>{escape(bar.label)}</title></rect>')
        out.append(f'<text x="{_x(chart, bar.at):.1f}" y="{bottom - h - 3:.1f}" '
                   f'text-anchor="middle" class="value" fill="{colour}">'
                   f'{_num(bar.value)}{"!" if bar.broke else ""}</text>')
        if bar.rung is not None:
            out.append(f'<text x="{_x(chart, bar.at):.1f}" y="{bottom - h - 13:.1f}" '
                       f'text-anchor="middle" class="value rung" fill="{GREY}">'
                       f'R{bar.rung}</text>')
    # The pain line on the left scale, broken where a day has no score; a vertex stands at
    # the moment of the day's worst score when `pain_at` says it, else at noon.
    runs: list[list[str]] = [[]]
    dots = []
    for offset, score in enumerate(chart.pain):
        if score is None:
            runs.append([])
            continue
        at = chart.pain_at[offset] if chart.pain_at else None
        x, y = _x(chart, offset + 0.5 if at is None else at), _y_pain(score)
        runs[-1].append(f"{x:.1f},{y:.1f}")
        if not chart.scores:
            day = (chart.first_day + timedelta(days=offset)).isoformat()
            dots.append(symbol("morning", x, y, f"{day}: pain {score}"))
    dots += [symbol(s.context, _x(chart, s.at), _y_pain(s.score), s.label)
             for s in chart.scores]
    out += [f'<polyline class="pain-line" points="{" ".join(points)}" fill="none" '
            'stroke="#000000" stroke-width="1.6"/>' for points in runs if len(points) > 1]
    out += dots
    rows = label_rows([(_x(chart, m.at), len(m.label)) for m in chart.markers])
    for marker, row in zip(chart.markers, rows, strict=True):
        x = _x(chart, marker.at)
        dash = {"treatment": "", "race": ' stroke-dasharray="2 2"',
                "today": ' stroke-dasharray="5 3"'}.get(marker.kind, "")
        colour = {"treatment": VERMILLION, "race": "#009E73",
                  "ladder": SKY}.get(marker.kind, GREY)
        out.append(f'<line class="marker {marker.kind}" x1="{x:.1f}" y1="{TOP - 4}" '
                   f'x2="{x:.1f}" y2="{bottom}" stroke="{colour}" stroke-width="1.5"{dash}/>')
        out.append(f'<text x="{x:.1f}" y="{TOP - 7 - LABEL_GAP * row}" text-anchor="middle" '
                   'class="label" '
                   f'fill="{colour}">{escape(marker.label)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{plot_h}" '
               f'fill="none" stroke="{GREY}" stroke-width="0.8"/>')
    out.append("</svg>")
    return "\n".join(out)
