"""Treatment protocols and advice thresholds as data.

The shipped `builtin.toml` and `advice.toml` hold the numbers with their source keys; a user
protocol file (TOML, same shape) adds kinds or overrides any key of a built-in kind, merged
per kind, with `[kind.course]` merged key by key. Files are read only when asked for.
"""

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from msgspec import Struct

from runrecover.errors import InputError
from runrecover.protocols.advice import (
    AdviceThresholds,
    InjectionSoreness,
    PainDuringRun,
    PainGates,
    RaceWindow,
    RecentRule,
    ReturnAfterTimeOff,
    RunSpike,
    SeeClinician,
    SpikeRate,
    TimeOffStep,
    TrafficLight,
    load_advice,
    load_sources,
    source_keys,
)
from runrecover.vocab import LEVELS, TREATMENT_KIND, normalise_treatment_kind

__all__ = [
    "AdviceThresholds", "BUILT_IN", "Course", "InjectionSoreness", "Offset", "PainDuringRun",
    "PainGates", "Phase",
    "Protocol", "RaceWindow", "RecentRule", "ReturnAfterTimeOff", "RunSpike", "SeeClinician",
    "SpikeRate", "TimeOffStep", "TrafficLight", "USER_SOURCE", "close_kinds", "kind_of",
    "load_advice", "load_protocols", "load_sources", "source_keys",
]

BUILT_IN = "built-in"
USER_SOURCE = "user"
"""Source key of a phase or course from a user file that does not give one."""

_DATA = Path(__file__).parent
_OFFSET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([hd])\s*$", re.IGNORECASE)
_PROTOCOL_KEYS = {"summary", "aliases", "phases", "course", "contraindications", "aftercare",
                  "side_effects", "injection"}
_PHASE_KEYS = {"from", "until", "level", "source"}
_COURSE_KEYS = {
    "sessions",
    "sessions_min",
    "sessions_max",
    "interval_days",
    "min_interval_days",
    "max_per_year",
    "source",
}
_LIST_KEYS = ("contraindications", "aftercare", "side_effects")

_Bad = Callable[[str, str], InputError]


class Offset(Struct, frozen=True):
    """A time after a treatment: `h` hours of exact elapsed time, or `d` local calendar days."""

    amount: float
    unit: Literal["h", "d"]

    def __str__(self) -> str:
        return f"{self.amount:g}{self.unit}"

    @property
    def nominal_hours(self) -> float:
        """Only for ordering offsets of mixed units; a day boundary is really a midnight."""
        return self.amount * (24 if self.unit == "d" else 1)


class Phase(Struct, frozen=True):
    start: Offset
    end: Offset | None
    level: str
    source: str


class Course(Struct, frozen=True):
    sessions: int
    sessions_min: int
    sessions_max: int
    interval_days: int
    min_interval_days: int | None
    source: str
    max_per_year: int | None = None  # sessions in any 365 days, for one injury


class Protocol(Struct, frozen=True):
    kind: str
    summary: str
    phases: tuple[Phase, ...]
    course: Course | None
    contraindications: tuple[str, ...]
    aftercare: tuple[str, ...]
    side_effects: tuple[str, ...]
    # Key ("summary", "phases", "course.interval_days", ...) -> "built-in" or the user file.
    origin: dict[str, str]
    aliases: tuple[str, ...] = ()  # other names of the kind, normalised ("prp-injection")
    injection: bool = False  # its own soreness follows: left out of pain before / after


def kind_of(text: str, protocols: Mapping[str, Protocol]) -> str:
    """The kind a name stands for: a protocol's kind when it is one or one of its aliases
    ("PRP injection" → prp, "eswt" → shockwave), else the name normalised."""
    kind = normalise_treatment_kind(text)
    if kind in protocols:
        return kind
    return next((p.kind for p in protocols.values() if kind in p.aliases), kind)


def close_kinds(text: str, protocols: Mapping[str, Protocol]) -> list[str]:
    """Known kinds a name that is none of them looks like ("mesoterapy" → mesotherapy)."""
    kind = normalise_treatment_kind(text)
    names = {name: p.kind for p in protocols.values() for name in (p.kind, *p.aliases)}
    matches = difflib.get_close_matches(kind, names, n=3, cutoff=0.75)
    return list(dict.fromkeys(names[m] for m in matches))


def load_protocols(user_file: Path | None = None) -> dict[str, Protocol]:
    """The built-in protocols with the user's file merged over them, by normalised kind."""
    raw = {kind: dict(table) for kind, table in _builtin_tables().items()}
    origin = {kind: dict.fromkeys(_origin_keys(table), BUILT_IN) for kind, table in raw.items()}
    where = BUILT_IN
    if user_file is not None and user_file.is_file():
        where = str(user_file)
        for name, table in _read_toml(user_file).items():
            kind = _kind_name(name, where)
            if not isinstance(table, dict):
                raise InputError(f"In {where}, {name!r} must be a table like [{kind}].")
            unknown = set(table) - _PROTOCOL_KEYS
            if unknown:
                raise InputError(
                    f"In {where}, [{kind}] has unknown key {sorted(unknown)[0]!r}; "
                    f"accepted: {', '.join(sorted(_PROTOCOL_KEYS))}."
                )
            merged = raw.setdefault(kind, {})
            for key, value in table.items():
                if key == "course" and isinstance(value, dict):
                    merged["course"] = {**merged.get("course", {}), **value}
                else:
                    merged[key] = value
            origin.setdefault(kind, {}).update(dict.fromkeys(_origin_keys(table), where))
    return {kind: _protocol(kind, table, origin[kind], where) for kind, table in raw.items()}


@cache
def _builtin_tables() -> dict[str, dict[str, Any]]:
    return tomllib.loads((_DATA / "builtin.toml").read_text(encoding="utf-8"))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"Cannot read protocol file {path}: {err}.") from None
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or "it is not UTF-8 text"
        raise InputError(f"Cannot read protocol file {path}: {reason}.") from None


def _origin_keys(table: dict[str, Any]) -> list[str]:
    keys = [key for key in table if key != "course"]
    course = table.get("course")
    if isinstance(course, dict):
        keys += [f"course.{key}" for key in course]
    return keys


def _kind_name(name: str, where: str) -> str:
    kind = normalise_treatment_kind(name)
    if not TREATMENT_KIND.match(kind):
        raise InputError(
            f"In {where}, {name!r} is not a treatment kind name; use letters, digits and '-'."
        )
    return kind


def _protocol(kind: str, table: dict[str, Any], origin: dict[str, str], where: str) -> Protocol:
    def bad(key: str, problem: str) -> InputError:
        return InputError(f"In {where}, [{kind}] {key}: {problem}.")

    summary = table.get("summary", "")
    if not isinstance(summary, str):
        raise bad("summary", "must be a string")
    lists = {}
    for key in _LIST_KEYS:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise bad(key, "must be a list of strings")
        lists[key] = tuple(value)
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise bad("aliases", "must be a list of strings")
    injection = table.get("injection", False)
    if not isinstance(injection, bool):
        raise bad("injection", "must be true or false")
    course = table.get("course")
    return Protocol(
        kind=kind,
        injection=injection,
        summary=summary,
        aliases=tuple(_kind_name(a, where) for a in aliases),
        phases=_phases(table.get("phases", []), bad),
        course=None if course is None else _course(course, origin, bad),
        origin=origin,
        **lists,
    )


def _phases(value: Any, bad: _Bad) -> tuple[Phase, ...]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise bad("phases", "must be an array of tables ([[kind.phases]])")
    phases: list[Phase] = []
    for index, item in enumerate(value):
        key = f"phases[{index}]"
        unknown = set(item) - _PHASE_KEYS
        if unknown:
            accepted = ", ".join(sorted(_PHASE_KEYS))
            raise bad(key, f"unknown key {sorted(unknown)[0]!r}; accepted: {accepted}")
        for required in ("from", "level"):
            if required not in item:
                raise bad(key, f"'{required}' is missing")
        level = item["level"]
        if level not in LEVELS:
            raise bad(f"{key}.level", f"{level!r} is not a level; use {', '.join(LEVELS)}")
        source = item.get("source", USER_SOURCE)
        if not isinstance(source, str):
            raise bad(f"{key}.source", "must be a string")
        start = _offset(item["from"], f"{key}.from", bad)
        end = _offset(item["until"], f"{key}.until", bad) if "until" in item else None
        last = index == len(value) - 1
        if index == 0 and start.amount != 0:
            raise bad(f"{key}.from", f"the first phase must start at '0h', not '{start}'")
        if index > 0 and start != phases[-1].end:
            raise bad(
                f"{key}.from",
                f"'{start}' must equal the previous phase's until '{phases[-1].end}' "
                "(phases are contiguous)",
            )
        if last and end is not None:
            raise bad(f"{key}.until", "the last phase has no 'until': it lasts")
        if not last and end is None:
            raise bad(key, "'until' is missing (only the last phase has none)")
        if end is not None and end.nominal_hours <= start.nominal_hours:
            raise bad(f"{key}.until", f"'{end}' must come after from '{start}'")
        if last and level != "run":
            raise bad(f"{key}.level", "the last phase must be 'run': a restriction has to end")
        phases.append(Phase(start=start, end=end, level=level, source=source))
    return tuple(phases)


def _offset(value: Any, key: str, bad: _Bad) -> Offset:
    match = _OFFSET.match(value) if isinstance(value, str) else None
    if match is None:
        raise bad(key, f"{value!r} is not an offset; use hours like '24h' or days like '4d'")
    amount, unit = float(match[1]), match[2].lower()
    if unit == "d" and not amount.is_integer():
        raise bad(key, f"{value!r}: days are calendar days, give a whole number or use hours")
    return Offset(amount, unit)


def _course(value: Any, origin: dict[str, str], bad: _Bad) -> Course:
    if not isinstance(value, dict):
        raise bad("course", "must be a table ([kind.course])")
    unknown = set(value) - _COURSE_KEYS
    if unknown:
        accepted = ", ".join(sorted(_COURSE_KEYS))
        raise bad(f"course.{sorted(unknown)[0]}", f"unknown key; accepted: {accepted}")

    def whole(key: str, minimum: int, default: int | None = None) -> int | None:
        if key not in value:
            if key in ("sessions", "interval_days"):
                raise bad(f"course.{key}", "is missing")
            return default
        got = value[key]
        if not isinstance(got, int) or isinstance(got, bool) or got < minimum:
            raise bad(f"course.{key}", f"{got!r} must be a whole number of at least {minimum}")
        return got

    sessions = whole("sessions", 1)
    interval = whole("interval_days", 1)
    low = whole("sessions_min", 1, sessions)
    high = whole("sessions_max", 1, sessions)
    # A user who sets only `sessions` moves the built-in range with it, not against it.
    if origin.get("course.sessions_min") == BUILT_IN and low > sessions:
        low, origin["course.sessions_min"] = sessions, origin["course.sessions"]
    if origin.get("course.sessions_max") == BUILT_IN and high < sessions:
        high, origin["course.sessions_max"] = sessions, origin["course.sessions"]
    if not low <= sessions <= high:
        raise bad(
            "course",
            f"sessions {sessions} must lie within sessions_min {low} and sessions_max {high}",
        )
    shortest = whole("min_interval_days", 0)
    if shortest is not None and shortest > interval:
        raise bad("course.min_interval_days", f"{shortest} is longer than interval_days {interval}")
    source = value.get("source", USER_SOURCE)
    if not isinstance(source, str):
        raise bad("course.source", "must be a string")
    return Course(
        sessions=sessions,
        sessions_min=low,
        sessions_max=high,
        interval_days=interval,
        min_interval_days=shortest,
        source=source,
        max_per_year=whole("max_per_year", 1),
    )
