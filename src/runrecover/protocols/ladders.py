"""Return-to-run ladders as data (ladders.toml): rungs of walk-run sessions with their sources,
how many times each is done and the rest days between, and which ladder and first rung fit
an injury and a time off. A user's ladders.toml adds ladders or overrides built-in keys, as
a user's protocols.toml does for protocols."""

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from msgspec import Struct

from runrecover.errors import InputError
from runrecover.vocab import TREATMENT_KIND, normalise_treatment_kind

_DATA = Path(__file__).parent
_LADDER_KEYS = {"summary", "default", "injury_words", "source", "rules", "rungs", "start"}
_RULE_KEYS = {"times", "times_source", "rest_days", "rest_source", "longer_percent",
              "longer_source"}
_RUNG_KEYS = {"sets", "run_min", "walk_min", "source"}
_START_KEYS = {"min_days_off", "rung", "source"}
USER_SOURCE = "user"


class Rung(Struct, frozen=True):
    sets: int
    run_min: float
    walk_min: float
    source: str

    @property
    def minutes(self) -> float:
        """How long the whole session lasts, walking included."""
        return self.sets * (self.run_min + self.walk_min)


class LadderRules(Struct, frozen=True):
    times: int  # settled sessions of a rung before the next one
    times_source: str
    rest_days: int  # days without a session between two
    rest_source: str
    longer_percent: float  # a session this much longer than its rung runs ahead of it
    longer_source: str


class StartRow(Struct, frozen=True):
    min_days_off: int
    rung: int
    source: str


class Ladder(Struct, frozen=True):
    name: str
    summary: str
    source: str
    rungs: tuple[Rung, ...]
    rules: LadderRules
    start: tuple[StartRow, ...] = ()
    injury_words: tuple[str, ...] = ()
    default: bool = False

    def first_rung(self, days_off: int | None) -> StartRow | None:
        """The row of the start table for that time off; None: the first rung."""
        if days_off is None:
            return None
        fitting = [row for row in self.start if days_off >= row.min_days_off]
        return max(fitting, key=lambda row: row.min_days_off) if fitting else None


def choose_ladder(ladders: Mapping[str, Ladder], injury_text: str) -> Ladder:
    """The ladder for an injury described by `injury_text` (name, part, diagnosis): the
    first whose words it holds, else the default one."""
    text = injury_text.lower()
    for ladder in ladders.values():
        if any(word in text for word in ladder.injury_words):
            return ladder
    return next((ladder for ladder in ladders.values() if ladder.default),
                next(iter(ladders.values())))


def load_ladders(user_file: Path | None = None) -> dict[str, Ladder]:
    """The built-in ladders with the user's file merged over them, by name."""
    raw = {name: dict(table) for name, table in _builtin().items()}
    where = "built-in"
    if user_file is not None and user_file.is_file():
        where = str(user_file)
        try:
            data = tomllib.loads(user_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as err:
            raise InputError(f"Cannot read ladder file {user_file}: {err}.") from None
        for name, table in data.items():
            key = normalise_treatment_kind(name)
            if not TREATMENT_KIND.match(key) or not isinstance(table, dict):
                raise InputError(f"In {where}, {name!r} must be a ladder table like [{key}] "
                                 "(letters, digits and '-').")
            merged = raw.setdefault(key, {})
            for field, value in table.items():
                if field == "rules" and isinstance(value, dict):
                    merged["rules"] = {**merged.get("rules", {}), **value}
                else:
                    merged[field] = value
    return {name: _ladder(name, table, where) for name, table in raw.items()}


@cache
def _builtin() -> dict[str, Any]:
    return tomllib.loads((_DATA / "ladders.toml").read_text(encoding="utf-8"))


def _ladder(name: str, table: dict[str, Any], where: str) -> Ladder:
    def bad(key: str, problem: str) -> InputError:
        return InputError(f"In {where}, [{name}] {key}: {problem}.")

    unknown = set(table) - _LADDER_KEYS
    if unknown:
        raise bad(sorted(unknown)[0], f"unknown key; accepted: {', '.join(sorted(_LADDER_KEYS))}")

    def number(item: dict[str, Any], key: str, where_key: str, *, minimum: float,
               whole: bool = True) -> Any:
        value = item.get(key)
        kinds = (int,) if whole else (int, float)
        if not isinstance(value, kinds) or isinstance(value, bool) or value < minimum:
            kind = "a whole number" if whole else "a number"
            raise bad(f"{where_key}.{key}", f"{value!r} must be {kind} of at least {minimum:g}")
        return value

    def text(item: dict[str, Any], key: str, default: str) -> str:
        value = item.get(key, default)
        if not isinstance(value, str):
            raise bad(key, "must be a string")
        return value

    def rows(key: str, keys: set[str]) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise bad(key, f"must be an array of tables ([[{name}.{key}]])")
        for index, item in enumerate(value):
            extra = set(item) - keys
            if extra:
                raise bad(f"{key}[{index}]", f"unknown key {sorted(extra)[0]!r}; accepted: "
                          f"{', '.join(sorted(keys))}")
        return value

    rungs = tuple(
        Rung(number(r, "sets", f"rungs[{i}]", minimum=1),
             number(r, "run_min", f"rungs[{i}]", minimum=0.5, whole=False),
             number(r, "walk_min", f"rungs[{i}]", minimum=0, whole=False),
             text(r, "source", USER_SOURCE))
        for i, r in enumerate(rows("rungs", _RUNG_KEYS)))
    if not rungs:
        raise bad("rungs", "a ladder needs at least one rung")
    start = tuple(
        StartRow(number(r, "min_days_off", f"start[{i}]", minimum=0),
                 number(r, "rung", f"start[{i}]", minimum=1), text(r, "source", USER_SOURCE))
        for i, r in enumerate(rows("start", _START_KEYS)))
    for row in start:
        if row.rung > len(rungs):
            raise bad("start", f"rung {row.rung} is past the last rung ({len(rungs)})")
    rules = table.get("rules", {})
    if not isinstance(rules, dict) or set(rules) - _RULE_KEYS:
        raise bad("rules", f"must be a table with {', '.join(sorted(_RULE_KEYS))}")
    words = table.get("injury_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise bad("injury_words", "must be a list of strings")
    return Ladder(
        name=name, summary=text(table, "summary", ""), source=text(table, "source", USER_SOURCE),
        rungs=rungs,
        rules=LadderRules(
            times=number(rules, "times", "rules", minimum=1),
            times_source=text(rules, "times_source", USER_SOURCE),
            rest_days=number(rules, "rest_days", "rules", minimum=0),
            rest_source=text(rules, "rest_source", USER_SOURCE),
            longer_percent=number(rules, "longer_percent", "rules", minimum=0, whole=False),
            longer_source=text(rules, "longer_source", USER_SOURCE)),
        start=start, injury_words=tuple(w.lower() for w in words),
        default=table.get("default", False) is True)
