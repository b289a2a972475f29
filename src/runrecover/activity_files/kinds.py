"""From the sport a file names, in its own words, to runrecover's activity kind.

- a known sport word maps to its kind (Running, Trail Run, "running" → run; Hike → walk;
  Strava's GPX numbers: 1 → cycle, 9 → run; …);
- a file that does not say (no type, "unknown", FIT "generic") gets `default_kind` (the
  `--activity` option); without it, the activity's name as a last resort ("Cycling to work"
  → cycle); without that, "run": this is a running diary, and an unlabelled track is most
  often a run — a guess, which `ParsedActivity.kind_said` records;
- a placeholder that says nothing specific ("Other", "Uncategorized") is what the file says:
  its name may tell more, else "other";
- any other word is a sport runrecover does not track: "other".
"""

import re

from runrecover.activity_files.reading import folded
from runrecover.vocab import ActivityKind

_SPORT_WORDS = {
    # English words from Strava, Garmin Connect, FIT, TCX and GPX apps; the words of Strava and
    # Garmin Connect exports in German, French, Spanish, Italian, Dutch and Portuguese.
    ActivityKind.run: """run running trailrun trailrunning treadmillrunning indoorrunning
        virtualrun virtualrunning streetrunning trackrunning obstaclerun obstaclerunning
        lauf laufen courseapied carrera correr corsa hardlopen corrida""",
    ActivityKind.walk: """walk walking hike hiking casualwalking speedwalking nordicwalking
        indoorwalking wandern wanderung spaziergang gehen marche randonnee caminata
        senderismo camminata escursionismo wandelen wandeling caminhada""",
    ActivityKind.cycle: """ride cycling biking bike virtualride ebikeride emountainbikeride
        gravelride mountainbikeride roadcycling roadbiking mountainbiking gravelcycling
        gravelunpavedcycling indoorcycling virtualcycling cyclocross recumbentcycling
        trackcycling downhillbiking ebiking ebikefitness ebikemountain
        radfahrt radfahren velo sortieavelo ciclismo bicicleta fietsen fietsrit""",
    ActivityKind.swim: """swim swimming lapswimming poolswim poolswimming openwater
        openwaterswim openwaterswimming schwimmen natation natacion nuoto zwemmen natacao""",
    ActivityKind.strength: """weighttraining workout crossfit strengthtraining strength
        krafttraining musculation""",
    ActivityKind.yoga: "yoga",
}
_KIND_OF_SPORT = {
    word: kind.value for kind, words in _SPORT_WORDS.items() for word in words.split()
}
# The numbers Strava writes in a GPX `<type>`; the others are sports runrecover does not track.
_STRAVA_GPX_TYPES = {"1": ActivityKind.cycle.value, "4": ActivityKind.walk.value,
                     "9": ActivityKind.run.value, "10": ActivityKind.walk.value,
                     "17": ActivityKind.cycle.value, "53": ActivityKind.run.value}
_NOT_SAID = frozenset({"", "unknown", "generic", "none", "null", "undefined"})
_PLACEHOLDER = frozenset({"other", "uncategorized", "uncategorised"})


def known_kind(sport: str) -> str | None:
    """The kind a sport word names, or None when it is not one runrecover knows."""
    return _KIND_OF_SPORT.get(folded(sport))


def kind_for_sport(sport: str | None, default_kind: str | None = None) -> str:
    """The activity kind for a sport as a file writes it (see the module docstring)."""
    return kind_from(sport, None, default_kind)[0]


_WORD = re.compile(r"[^\W_]+")


def kind_from(sport: str | None, name: str | None,
              default_kind: str | None = None) -> tuple[str, bool]:
    """The activity kind from a file's sport word and the activity's name, and whether the
    file (or the runner, through `default_kind`) said it rather than runrecover guessing."""
    key = folded(sport or "")
    if key in _STRAVA_GPX_TYPES:
        return _STRAVA_GPX_TYPES[key], True
    if key in _NOT_SAID:
        if default_kind:
            return default_kind, True
        named = _kind_in_name(name)
        return (named, True) if named else (ActivityKind.run.value, False)
    if key in _PLACEHOLDER:
        return _kind_in_name(name) or ActivityKind.other.value, True
    if key.isdigit():
        return ActivityKind.other.value, True
    return _KIND_OF_SPORT.get(key, ActivityKind.other.value), True


def _kind_in_name(name: str | None) -> str | None:
    """The kind a sport word in the name says, whole words only ("Runkeeper" is no run); two
    words together first ("Trail Run")."""
    words = [folded(word) for word in _WORD.findall(name or "")]
    for pair in zip(words, words[1:], strict=False):
        if "".join(pair) in _KIND_OF_SPORT:
            return _KIND_OF_SPORT["".join(pair)]
    return next((_KIND_OF_SPORT[word] for word in words if word in _KIND_OF_SPORT), None)
