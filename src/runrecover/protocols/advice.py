"""The advice thresholds and pain gates as data (advice.toml), and what the source keys of
all the data stand for (sources.toml)."""

import re
import tomllib
from functools import cache
from pathlib import Path

from msgspec import Struct

_DATA = Path(__file__).parent


class PainDuringRun(Struct, frozen=True):
    above: int
    source: str


class TrafficLight(Struct, frozen=True):
    green: tuple[int, int]
    amber: tuple[int, int]
    red: tuple[int, int]
    source: str

    def band(self, score: int) -> str:
        for name in ("red", "amber", "green"):
            low, high = getattr(self, name)
            if low <= score <= high:
                return name
        raise ValueError(f"pain score {score} is outside 0-10")


class RecentRule(Struct, frozen=True):
    recent_days: int
    source: str


class SpikeRate(Struct, frozen=True):
    above_percent: float
    injury_rate: float


class RunSpike(Struct, frozen=True):
    above_percent: float
    lookback_days: int
    recent_days: int
    rates: tuple[SpikeRate, ...]
    source: str


class TimeOffStep(Struct, frozen=True):
    min_days_off: int
    volume: str


class ReturnAfterTimeOff(Struct, frozen=True):
    full_up_to_days: int
    show_days: int
    steps: tuple[TimeOffStep, ...]
    source: str

    def step_for(self, days_off: int) -> TimeOffStep | None:
        """The row of the table for that many days off; None while full volume is fine."""
        if days_off <= self.full_up_to_days:
            return None
        fitting = [s for s in self.steps if days_off >= s.min_days_off]
        return max(fitting, key=lambda s: s.min_days_off) if fitting else None


class SeeClinician(Struct, frozen=True):
    pain_days: int
    window_days: int
    source: str


class InjectionSoreness(Struct, frozen=True):
    """Pain expected after an injection, left out when judging whether a treatment helped."""

    hours: float
    source: str


class RaceWindow(Struct, frozen=True):
    minutes_per_km: float
    hours_without_distance: float
    source: str


class PainGates(Struct, frozen=True):
    """The pain gates' thresholds (advice.toml explains each)."""

    hold_hours: float
    hold_source: str
    red_score: int
    red_source: str
    night_score: int
    night_source: str
    morning_score: int
    morning_source: str
    rise_points: int
    rise_source: str
    during_above: int
    during_source: str


class LadderMoves(Struct, frozen=True):
    """How the return-to-run ladder moves by the pain response (advice.toml explains each)."""

    repeat_after_hours: float
    move_source: str
    red_rest_days: int
    red_rest_source: str
    reds_to_clinician: int
    reds_source: str
    entry_walk_min: float
    entry_pain_max: int
    entry_source: str


class AdviceThresholds(Struct, frozen=True):
    pain_during_run: PainDuringRun
    traffic_light: TrafficLight
    red_pain: RecentRule
    morning_rise: RecentRule
    run_spike: RunSpike
    return_after_time_off: ReturnAfterTimeOff
    see_clinician: SeeClinician
    race_window: RaceWindow
    pain_gates: PainGates
    ladder: LadderMoves
    injection_soreness: InjectionSoreness

    @property
    def history_days(self) -> int:
        """How many days of pain and activities before the moment the advice looks at."""
        spike = self.run_spike.recent_days + self.run_spike.lookback_days
        return max(spike, self.see_clinician.window_days)


@cache
def load_advice() -> AdviceThresholds:
    data = tomllib.loads((_DATA / "advice.toml").read_text(encoding="utf-8"))
    spike = data["run_spike"]
    back = data["return_after_time_off"]
    light = data["traffic_light"]
    return AdviceThresholds(
        pain_during_run=PainDuringRun(**data["pain_during_run"]),
        traffic_light=TrafficLight(
            green=tuple(light["green"]),
            amber=tuple(light["amber"]),
            red=tuple(light["red"]),
            source=light["source"],
        ),
        red_pain=RecentRule(**data["red_pain"]),
        morning_rise=RecentRule(**data["morning_rise"]),
        run_spike=RunSpike(
            above_percent=spike["above_percent"],
            lookback_days=spike["lookback_days"],
            recent_days=spike["recent_days"],
            rates=tuple(SpikeRate(**rate) for rate in spike["rates"]),
            source=spike["source"],
        ),
        return_after_time_off=ReturnAfterTimeOff(
            full_up_to_days=back["full_up_to_days"],
            show_days=back["show_days"],
            steps=tuple(TimeOffStep(**step) for step in back["steps"]),
            source=back["source"],
        ),
        see_clinician=SeeClinician(**data["see_clinician"]),
        race_window=RaceWindow(**data["race_window"]),
        pain_gates=PainGates(**data["pain_gates"]),
        ladder=LadderMoves(**data["ladder"]),
        injection_soreness=InjectionSoreness(**data["injection_soreness"]),
    )


@cache
def load_sources() -> dict[str, str]:
    """What each source key stands for (sources.toml): S27, clinic, D, visit…"""
    return tomllib.loads((_DATA / "sources.toml").read_text(encoding="utf-8"))["sources"]


def source_keys(source: str) -> list[str]:
    """The keys a source string names: "clinic/S11" → clinic, S11; "S27-S29" → S27, S28, S29."""
    keys: list[str] = []
    for part in re.split(r"[/,\s]+", source.strip()):
        span = re.fullmatch(r"S(\d+)-S(\d+)", part)
        if span:
            keys += [f"S{n}" for n in range(int(span[1]), int(span[2]) + 1)]
        elif part:
            keys.append(part)
    return keys
