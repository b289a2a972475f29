"""Distances, durations and paces: reading what the runner types and showing it back."""

import math
import re

from msgspec import Struct

from runrecover.errors import InputError

KM_PER_MILE = 1.609344
HALF_MARATHON_KM = 21.0975
MARATHON_KM = 42.195
MAX_DISTANCE_KM = 1000.0
MAX_DURATION_S = 7 * 24 * 3600
BARE_NUMBER_MAX = 100
"""A number typed without a unit above this is refused: 400 is 400 m as often as 400 km."""


class Units(Struct, frozen=True):
    """The unit the runner reads and types distances in. Storage and JSON stay in km."""

    name: str  # "km" or "mi": as shown after a number, and as set in config.toml
    km_each: float
    speed_name: str

    def of(self, distance_km: float) -> float:
        """A distance in kilometres as a number of this unit."""
        return distance_km / self.km_each

    def distance(self, distance_km: float) -> str:
        """`8.0 km`, `5.0 mi`."""
        return f"{self.of(distance_km):.1f} {self.name}"

    def pace(self, s_per_km: float) -> str:
        """`5:30/km`, `8:51/mi`; rounding happens before splitting so that 359.6 s shows as
        6:00, not 5:60."""
        minutes, seconds = divmod(_round_half_up(s_per_km * self.km_each), 60)
        return f"{minutes}:{seconds:02d}/{self.name}"

    def speed(self, s_per_km: float) -> str:
        """`24.0 km/h`, `14.9 mph`: a ride's pace, as cyclists read it."""
        return f"{3600 / (s_per_km * self.km_each):.1f} {self.speed_name}"


KM = Units("km", 1.0, "km/h")
MI = Units("mi", KM_PER_MILE, "mph")
UNITS = {units.name: units for units in (KM, MI)}

_NAMED_DISTANCES_KM = {
    "half": HALF_MARATHON_KM,
    "half-marathon": HALF_MARATHON_KM,
    "half marathon": HALF_MARATHON_KM,
    "marathon": MARATHON_KM,
}
_KM_PER_UNIT = {
    "": 1.0,
    "k": 1.0,
    "km": 1.0,
    "kms": 1.0,
    "mi": KM_PER_MILE,
    "mile": KM_PER_MILE,
    "miles": KM_PER_MILE,
    "m": 0.001,
}
# ASCII digits only, and few of them: this keeps nan, inf, exponents and signs out.
_DISTANCE = re.compile(r"(?P<number>\d{1,7}(?:\.\d{0,6})?|\.\d{1,6}) ?(?P<unit>[a-z]*)", re.ASCII)
# A decimal comma, as most of Europe writes it ("5,5km"); three digits after it could as well
# be a thousands separator ("1,500m"), so that is refused rather than guessed.
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d{1,2}(?!\d))|^,(?=\d)", re.ASCII)

_CLOCK_DURATION = re.compile(r"(?:(?P<h>\d{1,6}):)?(?P<m>\d{1,6}):(?P<s>\d{2})", re.ASCII)
_DURATION_PART = re.compile(r"(?P<number>\d{1,6}) ?(?P<unit>[a-z]*) ?", re.ASCII)
_SECONDS_PER_UNIT = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
}


def quoted(text: str) -> str:
    """The user's value as an error message names it: quoted, printable and short."""
    shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    if len(shown) > 40:
        shown = shown[:39] + "…"
    return f"'{shown}'"


def parse_distance(text: str, units: Units = KM) -> float:
    """Kilometres from `8k`, `5mi`, `800m`, `5,5km`, `half`, `marathon`...; a bare number is
    in the runner's `units`, up to `BARE_NUMBER_MAX` of them."""
    words = _DECIMAL_COMMA.sub(".", " ".join(text.lower().split()))
    distance_km = _NAMED_DISTANCES_KM.get(words)
    if distance_km is None:
        match = _DISTANCE.fullmatch(words)
        factor = _KM_PER_UNIT.get(match["unit"]) if match else None
        if match is None or factor is None:
            raise _unreadable_distance(text)
        number = float(match["number"])
        if not match["unit"]:
            if number > BARE_NUMBER_MAX:
                shown = match["number"]
                raise InputError(f"The distance {quoted(text)} has no unit: {shown} m or "
                                 f"{shown} {units.name}? Write it like {shown}m or "
                                 f"{shown}{units.name}.")
            factor = units.km_each
        distance_km = number * factor
    if distance_km <= 0:
        raise _unreadable_distance(text)
    if distance_km > MAX_DISTANCE_KM:
        raise InputError(
            f"The distance {quoted(text)} is too long: use at most {MAX_DISTANCE_KM:.0f} km."
        )
    return distance_km


def _unreadable_distance(text: str) -> InputError:
    return InputError(
        f"Cannot read the distance {quoted(text)}: "
        "use a positive distance like 8k, 5.5km, 5mi, 800m, half or marathon."
    )


def parse_duration(text: str) -> int:
    """Seconds from `45:10`, `1:02:03`, `45m`, `1h05m`, `90s`..."""
    words = " ".join(text.lower().split())
    duration_s = _read_clock_duration(words)
    if duration_s is None:
        duration_s = _read_unit_duration(words)
    if duration_s is None or duration_s <= 0:
        raise InputError(
            f"Cannot read the duration {quoted(text)}: use minutes:seconds like 45:10, "
            "hours:minutes:seconds like 1:02:03, or 45m, 1h05m or 90s."
        )
    if duration_s >= MAX_DURATION_S:
        raise InputError(f"The duration {quoted(text)} is too long: use less than 7 days.")
    return duration_s


def _read_clock_duration(words: str) -> int | None:
    match = _CLOCK_DURATION.fullmatch(words)
    if match is None:
        return None
    hours, minutes, seconds = int(match["h"] or 0), int(match["m"]), int(match["s"])
    # Only the leading field may overflow its unit: "75:00" is 75 minutes, "1:75:00" a typo.
    if seconds >= 60 or (match["h"] is not None and (minutes >= 60 or len(match["m"]) != 2)):
        return None
    return hours * 3600 + minutes * 60 + seconds


def _read_unit_duration(words: str) -> int | None:
    """`1h05m30s`, `45 min`, and `1h05` / `45m30` where the unit after the last is implied."""
    parts = list(_DURATION_PART.finditer(words))
    if not parts or sum(len(part[0]) for part in parts) != len(words):
        return None
    total_s = 0
    previous_s = None  # seconds per unit of the previous part; units must strictly shrink
    for part in parts:
        if part["unit"]:
            unit_s = _SECONDS_PER_UNIT.get(part["unit"])
        elif previous_s in (3600, 60) and part is parts[-1]:
            unit_s = previous_s // 60
        else:
            unit_s = None
        if unit_s is None or (previous_s is not None and unit_s >= previous_s):
            return None
        value = int(part["number"])
        if previous_s is not None and value >= 60:
            return None
        total_s += value * unit_s
        previous_s = unit_s
    return total_s


def pace_s_per_km(distance_km: float | None, duration_s: float | None) -> float | None:
    """Seconds per kilometre, or None when either side is missing or zero."""
    if not distance_km or not duration_s or distance_km <= 0 or duration_s <= 0:
        return None
    return duration_s / distance_km


def format_duration(duration_s: float) -> str:
    """`55:00` under an hour, `1:02:03` from an hour on."""
    hours, rest = divmod(_round_half_up(duration_s), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def _round_half_up(value: float) -> int:
    # round() goes to even: 90.5 s would show as 1:30 but 91.5 s as 1:32.
    return math.floor(value + 0.5)
