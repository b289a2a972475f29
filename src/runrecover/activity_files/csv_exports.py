"""Activity lists exported as CSV by Strava and Garmin Connect: one activity per row.

Read with `csv.reader` and the header kept as a list, because Strava repeats some headers
(`Distance` in km, then in metres) and a dict keyed by header would keep only one of each.
"""

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime

from msgspec import Struct

from runrecover.activity_files.csv_values import connect_date, duration, iso_or_local, strava_date
from runrecover.activity_files.kinds import kind_from
from runrecover.activity_files.reading import (
    Note,
    ParsedActivity,
    Reading,
    Unreadable,
    clean_name,
    km,
    number,
    positive,
    text_of,
)
from runrecover.units import KM_PER_MILE
from runrecover.vocab import ActivityKind

Columns = dict[str, tuple[str, ...]]

# Column names per layout and field, in lower case. Strava and Garmin Connect write their
# headers in the account's language: English, German and French names are those of real
# exports; Spanish, Italian, Dutch and Portuguese follow the services' own words for them.
STRAVA_COLUMNS: Columns = {
    "id": ("activity id", "aktivitäts-id", "id de l'activité", "id de actividad",
           "id de la actividad", "id attività", "activiteit-id", "activiteits-id",
           "id da atividade"),
    "date": ("activity date", "aktivitätsdatum", "date de l'activité",
             "fecha de la actividad", "data attività", "data dell'attività",
             "activiteitsdatum", "datum van activiteit", "data da atividade"),
    "name": ("activity name", "name der aktivität", "nom de l'activité",
             "nombre de la actividad", "nome attività", "nome dell'attività",
             "activiteitsnaam", "naam van activiteit", "nome da atividade"),
    "type": ("activity type", "aktivitätsart", "type d'activité", "tipo de actividad",
             "tipo di attività", "tipo attività", "activiteitstype", "type activiteit",
             "tipo de atividade"),
    "elapsed": ("elapsed time", "verstrichene zeit", "temps écoulé", "tiempo transcurrido",
                "tempo trascorso", "verstreken tijd", "tempo decorrido"),
    "moving": ("moving time", "bewegungszeit", "durée de déplacement",
               "tiempo en movimiento", "tempo in movimento", "beweegtijd",
               "tijd in beweging", "tempo em movimento"),
    "distance": ("distance", "distanz", "distancia", "distanza", "afstand", "distância"),
    "avg_hr": (
        "average heart rate",
        "durchschnittliche herzfrequenz",
        "fréquence cardiaque moyenne",
        "frecuencia cardiaca media",
        "frequenza cardiaca media",
        "gemiddelde hartslag",
        "frequência cardíaca média",
    ),
    "rpe": ("perceived exertion",),
}
# Written by the garmin-connect-export script. Its column template is configurable; these are
# the names of its stock templates.
GCEXPORT_COLUMNS: Columns = {
    "id": ("activity id",),
    "start": ("start time", "begin timestamp"),
    "name": ("activity name",),
    "type": ("activity type",),
    "distance_km": ("distance (km)",),
    "elapsed": ("elapsed duration (h:m:s)", "duration (h:m:s)"),
    "moving": ("moving duration (h:m:s)",),
    "avg_hr": ("average heart rate (bpm)",),
}
# Garmin Connect's own "Export CSV" button on its activity list.
CONNECT_COLUMNS: Columns = {
    "type": ("activity type", "aktivitätstyp", "type d'activité", "tipo de actividad",
             "tipo di attività", "activiteittype", "activiteitstype", "tipo de atividade"),
    "date": ("date", "start", "datum", "fecha", "data", "inicio", "début"),
    "name": ("title", "activity name", "titel", "titre", "título", "titolo", "naam"),
    "distance": ("distance", "distanz", "distancia", "distanza", "afstand", "distância"),
    "elapsed": ("elapsed time", "time", "activity time", "verstrichene zeit", "zeit",
                "temps écoulé", "temps", "tiempo transcurrido", "tiempo", "tempo trascorso",
                "tempo", "verstreken tijd", "tijd", "tempo decorrido"),
    "moving": ("moving time", "bewegungszeit", "temps de déplacement",
               "tiempo en movimiento", "tempo in movimento", "tijd in beweging",
               "tempo em movimento"),
    "avg_hr": ("avg hr", "ø herzfrequenz", "fc moyenne", "fc media", "gem. hartslag",
               "fc média"),
    "steps": ("steps",),
    "stride": ("avg stride length",),
}


class HeaderIndex:
    """Where each column is; every position of a repeated name is kept, in order."""

    def __init__(self, header: Sequence[str]) -> None:
        self._positions: dict[str, list[int]] = {}
        for position, title in enumerate(header):
            key = " ".join(title.replace("\ufeff", "").replace("\u2019", "'").split()).casefold()
            self._positions.setdefault(key, []).append(position)

    def positions(self, names: Sequence[str]) -> list[int]:
        for name in names:
            if name in self._positions:
                return self._positions[name]
        return []


class Context(Struct):
    """What reading a row needs besides the row: the `--activity` option, the file's notes to
    add to, and the unit of its distances."""

    default_kind: str | None
    notes: list[Note]
    km_per_unit: float = 1.0  # Garmin Connect's own export: its distance column's unit


class Row:
    """One data row, read field by field; a problem raises `Unreadable`, which costs the row,
    not the file."""

    def __init__(self, cells: Sequence[str], line: int, index: HeaderIndex, columns: Columns):
        self.line = line
        self._cells = cells
        self._index = index
        self._columns = columns

    def cells(self, field: str) -> list[str | None]:
        """Every cell of the field's column(s), in header order; None for an empty cell."""
        values = []
        for position in self._index.positions(self._columns.get(field, ())):
            text = self._cells[position].strip() if position < len(self._cells) else ""
            values.append(None if text in ("", "--") else text)
        return values

    def text(self, field: str) -> str | None:
        return next((value for value in self.cells(field) if value is not None), None)

    def name(self, notes: list[Note]) -> str | None:
        """The activity's name, with only spaces trimmed (see `clean_name`)."""
        positions = self._index.positions(self._columns.get("name", ()))
        if not positions or positions[0] >= len(self._cells):
            return None
        return clean_name(self._cells[positions[0]], notes, line=self.line,
                          source_id=self.text("id"))

    def number(self, field: str, what: str) -> float | None:
        return self.read_number(self.text(field), what)

    def read_number(self, text: str | None, what: str) -> float | None:
        if text is None:
            return None
        value = number(text)
        if value is None or value < 0:
            raise Unreadable(f"its {what} {text!r} cannot be read")
        return value

    def duration(self, field: str, what: str) -> float | None:
        text = self.text(field)
        if text is None:
            return None
        seconds = duration(text)
        if seconds is None:
            raise Unreadable(f"its {what} {text!r} cannot be read")
        return seconds

    def moment(self, field: str, parse: Callable[[str], datetime | None]) -> datetime:
        text = self.text(field)
        if text is None:
            raise Unreadable("it has no date")
        moment = parse(text)
        if moment is None:
            raise Unreadable(f"its date {text!r} cannot be read")
        return moment


def strava_row(row: Row, context: Context) -> ParsedActivity:
    """Strava's bulk-export activities.csv. `Activity Date` is in UTC."""
    sport = row.text("type")
    distances = row.cells("distance")
    # With two Distance columns the first is in the account's unit (km or miles, metres for
    # swims, nautical miles for sailing) and the second always in metres: prefer the second.
    if len(distances) > 1 and distances[-1] is not None:
        distance_km = km(row.read_number(distances[-1], "distance"))
    else:
        distance_km = positive(row.number("distance", "distance"))
        if distance_km is not None:
            distance_km *= context.km_per_unit
    rpe = row.number("rpe", "perceived exertion")
    name = row.name(context.notes)
    kind, said = kind_from(sport, name, context.default_kind)
    return ParsedActivity(
        kind=kind,
        kind_said=said,
        sport=sport,
        start=row.moment("date", strava_date),
        distance_km=distance_km,
        elapsed_s=row.duration("elapsed", "elapsed time"),
        moving_s=row.duration("moving", "moving time"),
        avg_hr=positive(row.number("avg_hr", "average heart rate")),
        rpe=round(rpe) if rpe is not None and 1 <= round(rpe) <= 10 else None,
        name=name,
        source="strava-csv",
        source_id=row.text("id"),
        line=row.line,
    )


def gcexport_row(row: Row, context: Context) -> ParsedActivity:
    """The garmin-connect-export script's activities.csv: start times in ISO 8601 with the
    local offset, distances in km, durations as h:m:s, `--` for a missing value."""
    sport = row.text("type")
    name = row.name(context.notes)
    kind, said = kind_from(sport, name, context.default_kind)
    return ParsedActivity(
        kind=kind,
        kind_said=said,
        sport=sport,
        start=row.moment("start", iso_or_local),
        distance_km=positive(row.number("distance_km", "distance")),
        elapsed_s=row.duration("elapsed", "elapsed time"),
        moving_s=row.duration("moving", "moving time"),
        avg_hr=positive(row.number("avg_hr", "average heart rate")),
        rpe=None,
        name=name,
        source="garmin-csv",
        source_id=row.text("id"),
        line=row.line,
    )


def connect_row(row: Row, context: Context) -> ParsedActivity:
    """Garmin Connect's own "Export CSV": dates are wall-clock times without a zone (read in
    the runner's zone), and distances are in the account's display unit (see `connect_units`),
    swims in metres or yards."""
    sport = row.text("type")
    name = row.name(context.notes)
    kind, said = kind_from(sport, name, context.default_kind)
    distance = row.number("distance", "distance")
    if kind == ActivityKind.swim and distance is not None:
        distance_km = km(distance * (YARD_M if context.km_per_unit != 1 else 1.0))
    else:
        distance_km = positive(distance * context.km_per_unit if distance else None)
    return ParsedActivity(
        kind=kind,
        kind_said=said,
        sport=sport,
        start=row.moment("date", connect_date),
        distance_km=distance_km,
        elapsed_s=row.duration("elapsed", "time"),
        moving_s=row.duration("moving", "moving time"),
        avg_hr=positive(row.number("avg_hr", "average heart rate")),
        rpe=None,
        name=name,
        source="garmin-csv",
        source_id=None,
        line=row.line,
    )


YARD_M = 0.9144
FOOT_M = 0.3048
# Steps times stride length, over the distance, by (distance unit, stride unit): the one
# thing in Garmin Connect's own export that tells kilometres from miles.
_STRIDE_RATIOS = {
    ("km", "m"): 1000.0,
    ("mi", "ft"): KM_PER_MILE * 1000 / FOOT_M,
    ("mi", "m"): KM_PER_MILE * 1000,
    ("km", "ft"): 1000 / FOOT_M,
}


def connect_units(rows: Sequence[Row], units: str | None) -> float:
    """Kilometres per unit of the `Distance` column of Garmin Connect's own export.

    The file does not name its unit, which is the account's (a US account writes miles under
    the same header). Its runs say it all the same: steps times the average stride length
    (in metres or feet, the account's other unit) is the distance. Without such rows the
    runner says it with `--units`; runrecover never guesses, because a wrong guess stores every
    run 38 % short or 61 % long."""
    ratios = []
    for row in rows:
        try:
            steps, stride = row.number("steps", "steps"), row.number("stride", "stride length")
            distance = row.number("distance", "distance")
        except Unreadable:
            continue
        if steps and stride and distance:
            ratios.append(steps * stride / distance)
    found = None
    if ratios:
        ratio = sorted(ratios)[len(ratios) // 2]
        found = next((unit for (unit, _), want in _STRIDE_RATIOS.items()
                      if abs(ratio - want) <= 0.08 * want), None)
    if found is None and units is None:
        raise Unreadable(
            "it is Garmin Connect's own CSV export, whose distances are in the account's unit "
            "(kilometres or miles) without saying which: give --units km or --units mi"
        )
    if found is not None and units is not None and found != units:
        raise Unreadable(
            f"its distances are in {_UNIT_NAMES[found]} (steps times stride length say so), "
            f"not in {_UNIT_NAMES[units]} as --units says"
        )
    return KM_PER_MILE if (found or units) == "mi" else 1.0


_UNIT_NAMES = {"km": "kilometres", "mi": "miles"}


class Layout(Struct, frozen=True):
    source: str
    columns: Columns
    required: tuple[str, ...]
    read_row: Callable[[Row, Context], ParsedActivity]


LAYOUTS = (
    Layout("strava-csv", STRAVA_COLUMNS, ("id", "date", "type"), strava_row),
    Layout("garmin-csv", GCEXPORT_COLUMNS, ("start", "type", "distance_km"), gcexport_row),
    Layout("garmin-csv", CONNECT_COLUMNS, ("date", "type", "distance"), connect_row),
)
HEADER_SEARCH_ROWS = 5  # some exports put a title line or two above the header


def layout_of(header: Sequence[str]) -> Layout | None:
    index = HeaderIndex(header)
    for layout in LAYOUTS:
        if all(index.positions(layout.columns[field]) for field in layout.required):
            return layout
    return None


def _header(reader) -> tuple[list[str], Layout] | None:
    for _ in range(HEADER_SEARCH_ROWS):
        header = next(reader, None)
        if header is None:
            return None
        layout = layout_of(header)
        if layout is not None:
            return header, layout
    return None


def sniff_csv(text: str) -> str | None:
    """ "strava-csv" or "garmin-csv" when one of the text's first rows is such a header."""
    try:
        found = _header(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    return found[1].source if found else None


def read_csv(data: bytes, default_kind: str | None, units: str | None = None) -> Reading:
    """Every row of the export that can be read; a row that cannot is left out with a note
    naming its line and the file's own id for it."""
    reader = csv.reader(io.StringIO(text_of(data), newline=""))
    notes: list[Note] = []
    try:
        found = _header(reader)
        if found is None:
            raise Unreadable("its header is not that of a Strava or Garmin activities export")
        header, layout = found
        index = HeaderIndex(header)
        rows, line = [], reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(Row(cells, line, index, layout.columns))
            line = reader.line_num + 1
    except csv.Error as error:
        raise Unreadable(f"its CSV cannot be read near line {reader.line_num} ({error})") from None
    context = Context(default_kind, notes)
    if layout.read_row is connect_row:
        context.km_per_unit = connect_units(rows, units)
    elif units is not None:
        context.km_per_unit = KM_PER_MILE if units == "mi" else 1.0
    activities = []
    for row in rows:
        try:
            activities.append(layout.read_row(row, context))
        except Unreadable as problem:
            notes.append(Note(str(problem), row.line, row.text("id"), skipped=True))
    return Reading(activities, notes)
