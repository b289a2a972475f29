"""Garmin TCX files, read as an XML stream (see `base.xml_events`).

Not with tcxreader: it returns naive times and drops a last trackpoint that has a time but no
position (the Forerunner 410 fixture then lasts 1991 s instead of 1992 s).
"""

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime

from runrecover.activity_files.kinds import kind_from
from runrecover.activity_files.reading import (
    NotAnActivity,
    ParsedActivity,
    Reading,
    Unreadable,
    km,
    local_name,
    positive,
    required_number,
    utc,
    xml_events,
)


def read_tcx(data: bytes, default_kind: str | None) -> Reading:
    """Each TCX Activity is one activity, also each leg of a MultiSportSession (its
    transitions are not workouts of their own): start from its Id, distance and moving time
    summed over its laps, elapsed from its first to its last trackpoint time, heart rate
    averaged over the laps weighted by their time."""
    activities: list[ParsedActivity] = []
    courses = 0
    points = _Points()
    open_elements: list[ET.Element] = []
    for event, element in xml_events(data, "TCX"):
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        name = local_name(element.tag)
        if name == "Trackpoint" and open_elements:
            points.add(element)
            # Drop the points read so far, so that memory does not grow with the track.
            open_elements[-1].clear()
        elif name == "Activity":
            activities.append(_activity(element, points, default_kind))
            element.clear()
            points = _Points()
        elif name == "Course":
            courses += 1
            element.clear()
            points = _Points()
        elif name == "Transition":  # its laps' points belong to no activity
            points = _Points()
    if not activities:
        if courses:
            raise NotAnActivity("it is a TCX course (a planned route), not a recorded activity")
        raise NotAnActivity("the TCX file holds no activity")
    return Reading(activities)


class _Points:
    """What an activity's trackpoints say, gathered as they are read: their times and the
    largest distance."""

    def __init__(self) -> None:
        self.times: list[datetime] = []
        self.metres: float | None = None

    def add(self, point: ET.Element) -> None:
        if text := _child_text(point, "Time"):
            self.times.append(_instant(text))
        if text := _child_text(point, "DistanceMeters"):
            metres = required_number(text, "trackpoint distance")
            self.metres = metres if self.metres is None else max(self.metres, metres)


def _activity(activity: ET.Element, points: _Points, default_kind: str | None) -> ParsedActivity:
    laps = _children(activity, "Lap")
    times = points.times

    start_text = _child_text(activity, "Id") or next(
        (lap.get("StartTime") for lap in laps if lap.get("StartTime")), None
    )
    if start_text:
        start = _instant(start_text)
    elif times:
        start = min(times)
    else:
        raise Unreadable("a TCX activity has no start time")

    lap_seconds = _numbers(laps, "TotalTimeSeconds", "lap time")
    lap_metres = _numbers(laps, "DistanceMeters", "lap distance")
    metres = sum(lap_metres) if lap_metres else points.metres

    sport = activity.get("Sport")
    kind, said = kind_from(sport, None, default_kind)
    return ParsedActivity(
        kind=kind,
        kind_said=said,
        sport=sport,
        start=start,
        distance_km=km(metres),
        elapsed_s=(max(times) - min(times)).total_seconds() if times else None,
        moving_s=sum(lap_seconds) if lap_seconds else None,
        avg_hr=_avg_hr(laps),
        rpe=None,
        name=None,
        source="tcx",
        source_id=None,
    )


def _avg_hr(laps: Sequence[ET.Element]) -> float | None:
    weighted = total = 0.0
    for lap in laps:
        seconds = _child_text(lap, "TotalTimeSeconds")
        averages = _children(lap, "AverageHeartRateBpm")
        rate = _child_text(averages[0], "Value") if averages else None
        if seconds and rate:
            lap_seconds = required_number(seconds, "lap time")
            weighted += required_number(rate, "lap heart rate") * lap_seconds
            total += lap_seconds
    return positive(weighted / total) if total > 0 else None


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child.tag) == name]


def _child_text(element: ET.Element, name: str) -> str | None:
    for child in _children(element, name):
        if child.text and child.text.strip():
            return child.text.strip()
    return None


def _numbers(elements: Sequence[ET.Element], name: str, what: str) -> list[float]:
    return [
        required_number(text, what)
        for element in elements
        if (text := _child_text(element, name)) is not None
    ]


def _instant(text: str) -> datetime:
    text = text.strip()
    try:
        return utc(datetime.fromisoformat(text))
    except ValueError:
        raise Unreadable(f"its time {text!r} cannot be read") from None
