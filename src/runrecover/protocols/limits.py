"""Values no activity can have (limits.toml): what `log` refuses and `import` flags."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent


@dataclass(frozen=True)
class Fastest:
    """The fastest plausible average speed from a distance on, and the record behind it."""

    from_km: float
    kmh: float
    record: str
    source: str


@dataclass(frozen=True)
class Limits:
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
