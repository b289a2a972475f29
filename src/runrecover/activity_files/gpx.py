"""GPX tracks, read with gpxpy."""

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from runrecover.activity_files.base import (
    ParsedActivity,
    Unreadable,
    brief,
    km,
    local_name,
    positive,
    required_number,
    strip_xml_lead,
    utc,
)
from runrecover.activity_files.kinds import kind_for_sport

if TYPE_CHECKING:
    from gpxpy.gpx import GPXTrackPoint

_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def read_gpx(data: bytes, default_kind: str | None) -> list[ParsedActivity]:
    """One GPX file is one activity.

    Devices split one recording into several tracks or segments at pauses and power cycles
    (GPSBabel writes a day's active log as several tracks), so every track in the file is taken
    together: distance is the 2D length of all its tracks, start is the earliest point time,
    and elapsed runs from the earliest to the latest point time. GPX records no moving time.
    Point times without a zone are UTC, as the GPX specification says.
    """
    import gpxpy
    import gpxpy.gpx

    try:
        gpx = gpxpy.parse(_decoded(data))
    except gpxpy.gpx.GPXException as error:
        raise Unreadable(f"it is not valid GPX ({brief(error)})") from None

    points = [p for track in gpx.tracks for segment in track.segments for p in segment.points]
    times = [utc(point.time) for point in points if point.time is not None]
    if not times:
        if points or any(route.points for route in gpx.routes):
            raise Unreadable(
                "it holds a route with no times, so nothing to place on a date "
                "(a planned route, not a recorded activity)"
            )
        raise Unreadable("it holds no track points: nothing was recorded")

    sport = next((track.type for track in gpx.tracks if track.type), None)
    name = next((track.name for track in gpx.tracks if track.name), None) or gpx.name
    return [
        ParsedActivity(
            kind=kind_for_sport(sport, default_kind),
            sport=sport,
            start=min(times),
            distance_km=km(gpx.length_2d()),
            elapsed_s=(max(times) - min(times)).total_seconds(),
            moving_s=None,
            avg_hr=_avg_hr(points),
            rpe=None,
            name=name,
            source="gpx",
            source_id=None,
        )
    ]


def _decoded(data: bytes) -> str:
    # gpxpy wants text and decodes bytes as UTF-8 whatever the file declares.
    body = strip_xml_lead(data)
    declared = _XML_ENCODING.match(body)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return body.decode(encoding)
    except LookupError:
        raise Unreadable(f"it declares an unknown text encoding ({encoding})") from None
    except UnicodeDecodeError as error:
        raise Unreadable(f"it is not valid {encoding} text (byte {error.start})") from None


def _avg_hr(points: Sequence["GPXTrackPoint"]) -> float | None:
    """Mean of the heart rates in Garmin's TrackPointExtension (`gpxtpx:hr`), where present."""
    rates = [
        required_number(element.text, "heart rate")
        for point in points
        for extension in point.extensions
        for element in extension.iter()
        if local_name(element.tag) == "hr" and element.text and element.text.strip()
    ]
    return positive(sum(rates) / len(rates)) if rates else None
