"""GPX tracks, read as an XML stream (see `base.xml_events`); distances with gpxpy's geometry,
so that they agree with what gpxpy-based tools show."""

from datetime import datetime

from msgspec import Struct

from runrecover.activity_files.kinds import kind_from
from runrecover.activity_files.reading import (
    NotAnActivity,
    Note,
    ParsedActivity,
    Reading,
    Unreadable,
    clean_name,
    km,
    local_name,
    positive,
    required_number,
    utc,
    xml_events,
)

# A file whose points mostly have no time cannot say how long it lasted (5 timed points of
# 296 would make a 4.6 km run in 57 s). Untimed points in a file that is mostly timed are
# common: before the first fix, or a track saved on the device beside its active log.
MIN_TIMED_SHARE = 0.5


class _Segment(Struct):
    track: int
    number: int
    last: tuple[float, float] | None = None
    last_time: datetime | None = None
    metres: float = 0.0


class _Recording(Struct):
    """What the file's tracks say together, gathered point by point."""

    points: int = 0
    timed: int = 0
    first: datetime | None = None
    last: datetime | None = None
    metres: float = 0.0
    rate_sum: float = 0.0  # of the heart rates in Garmin's TrackPointExtension
    rates: int = 0
    sport: str | None = None
    name: str | None = None
    routes: int = 0
    file_name: str | None = None


def read_gpx(data: bytes, default_kind: str | None) -> Reading:
    """One GPX file is one activity.

    Devices split one recording into several tracks or segments at pauses and power cycles
    (GPSBabel writes a day's active log as several tracks), so every track in the file is taken
    together: distance is the 2D length of its segments (not joined), start is the earliest
    point time, and elapsed runs from the earliest to the latest point time. GPX records no
    moving time. Point times without a zone are UTC, as the GPX specification says. Within a
    segment, time must not go backwards.
    """
    from gpxpy.geo import distance

    whole = _Recording()
    tracks = 0
    typed = True
    stack: list[str] = []
    open_elements = []
    segment: _Segment | None = None
    point: tuple[float, float] | None = None
    point_time: datetime | None = None
    for event, element in xml_events(data, "GPX"):
        name = local_name(element.tag)
        if event == "start":
            stack.append(name)
            open_elements.append(element)
            if name == "gpx":
                # GPX 1.0 has no track type: what GPSBabel writes there is not a sport.
                typed = element.get("version") != "1.0"
            elif name == "trk":
                tracks += 1
            elif name == "trkseg":
                same_track = segment is not None and segment.track == tracks
                segment = _Segment(tracks, segment.number + 1 if same_track else 1)
            elif name == "trkpt":
                point, point_time = _position(element), None
            continue
        stack.pop()
        open_elements.pop()
        parent = stack[-1] if stack else ""
        text = (element.text or "").strip()
        if name == "trkpt" and segment is not None:
            whole.points += 1
            if point_time is not None:
                _check_order(segment, point_time)
                whole.timed += 1
                whole.first = min(whole.first or point_time, point_time)
                whole.last = max(whole.last or point_time, point_time)
                segment.last_time = point_time
            if point is not None:
                if segment.last is not None:
                    segment.metres += distance(*segment.last, None, *point, None)
                segment.last = point
            # Drop the points read so far, so that memory does not grow with the track.
            open_elements[-1].clear()
        elif name == "trkseg" and segment is not None:
            whole.metres += segment.metres
        elif name == "rtept":
            whole.routes += 1
        elif not text:
            pass
        elif name == "time" and parent == "trkpt":
            point_time = _instant(text)
        elif name == "hr" and "trkpt" in stack:
            whole.rate_sum += required_number(text, "heart rate")
            whole.rates += 1
        elif parent == "trk" and name == "type" and typed:
            whole.sport = whole.sport or text
        elif parent == "trk" and name == "name":
            whole.name = whole.name or text
        elif parent in ("metadata", "gpx") and name == "name":
            whole.file_name = text
        if name in ("trk", "rte", "wpt", "metadata"):
            element.clear()
    return _activity(whole, default_kind)


def _activity(whole: _Recording, default_kind: str | None) -> Reading:
    if whole.first is None or whole.last is None:
        if whole.points or whole.routes:
            raise NotAnActivity(
                "it holds a route with no times, so nothing to place on a date "
                "(a planned route, not a recorded activity)"
            )
        raise NotAnActivity("it holds no track points: nothing was recorded")
    if whole.timed < MIN_TIMED_SHARE * whole.points:
        raise NotAnActivity(
            f"only {whole.timed} of its {whole.points} track points have a time, so "
            "it cannot say how long the activity lasted"
        )
    notes: list[Note] = []
    name = clean_name(whole.name or whole.file_name, notes)
    kind, said = kind_from(whole.sport, name, default_kind)
    start = whole.first
    return Reading(
        [
            ParsedActivity(
                kind=kind,
                sport=whole.sport,
                start=start,
                distance_km=km(whole.metres),
                elapsed_s=(whole.last - start).total_seconds(),
                moving_s=None,
                avg_hr=positive(whole.rate_sum / whole.rates) if whole.rates else None,
                rpe=None,
                name=name,
                source="gpx",
                source_id=None,
                kind_said=said,
            )
        ],
        notes,
    )


def _position(element) -> tuple[float, float] | None:
    lat, lon = element.get("lat"), element.get("lon")
    if lat is None or lon is None:
        return None
    latitude, longitude = required_number(lat, "latitude"), required_number(lon, "longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Unreadable(f"it has a track point off the globe (latitude {lat}, longitude {lon})")
    return latitude, longitude


def _check_order(segment: _Segment, moment: datetime) -> None:
    if segment.last_time is not None and moment < segment.last_time:
        where = f"segment {segment.number} of track {segment.track}"
        raise Unreadable(
            f"its track points go back in time in {where} ({moment:%Y-%m-%d %H:%M:%S} UTC "
            f"comes after {segment.last_time:%Y-%m-%d %H:%M:%S} UTC), so its duration "
            "cannot be trusted"
        )


def _instant(text: str) -> datetime:
    text = text.strip()
    try:
        return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise Unreadable(f"its time {text!r} cannot be read") from None
