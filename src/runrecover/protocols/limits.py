"""Values no activity can have (limits.toml): what `log` and `edit` refuse and `import`
flags."""

import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from runrecover.errors import InputError

if TYPE_CHECKING:
    from runrecover.units import Units

_DATA = Path(__file__).parent


class Fastest(Struct, frozen=True):
    """The fastest plausible average speed from a distance on, and the record behind it."""

    from_km: float
    kmh: float
    record: str
    source: str


class Limits(Struct, frozen=True):
    fastest: dict[str, tuple[Fastest, ...]]  # by activity kind, shortest distance first
    shortest_run_km: float
    longest_run_km: float

    def fastest_for(self, kind: str, distance_km: float) -> Fastest | None:
        """The speed limit of that kind over that distance, or None when it has none."""
        bands = [b for b in self.fastest.get(kind, ()) if b.from_km <= distance_km]
        return bands[-1] if bands else None


@cache
def load_limits() -> Limits:
    data = tomllib.loads((_DATA / "limits.toml").read_text(encoding="utf-8"))
    return Limits(
        fastest={kind: tuple(sorted((Fastest(**band) for band in bands),
                                    key=lambda b: b.from_km))
                 for kind, bands in data["fastest"].items()},
        shortest_run_km=data["log"]["shortest_run_km"],
        longest_run_km=data["log"]["longest_run_km"])


def refuse_implausible(kind: str, distance_km: float | None, duration_s: float | None,
                       shown: "Units", *, typed: str | None = None, long_ok: bool = False) -> None:
    """Refuse what no activity of `kind` can be (a typo caught before it doubles a week's
    volume): a run under the shortest, a run over the longest unless `long_ok`, a pace
    faster than the world record. `typed` is the distance as the runner wrote it."""
    from runrecover import units

    limits = load_limits()
    if kind == "run" and distance_km is not None:
        if distance_km < limits.shortest_run_km:
            written = units.quoted(typed) if typed is not None else shown.distance(distance_km)
            raise InputError(f"A run of {written} is {distance_km * 1000:.0f} metres: did you "
                             "mean minutes? Give the distance first (log 5k 30m) or the time "
                             "alone with --duration 30m.")
        if distance_km > limits.longest_run_km and not long_ok:
            raise InputError(f"A run of {shown.distance(distance_km)} is longer than the "
                             f"longest races ({limits.longest_run_km:.0f} km): check it, or "
                             "add --yes if it is right.")
    if distance_km is not None and duration_s is not None:
        fastest = limits.fastest_for(kind, distance_km)
        if fastest is not None and distance_km / (duration_s / 3600) > fastest.kmh:
            pace = units.pace_s_per_km(distance_km, duration_s)
            raise InputError(
                f"{shown.distance(distance_km)} in {units.format_duration(duration_s)} is "
                f"{shown.pace(pace)}, faster than the world record, {fastest.record}: check "
                "the distance and the time (45:10 is minutes:seconds, 1:02:03 adds hours).")
