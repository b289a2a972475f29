"""From the sport a file names, in its own words, to runrecover's activity kind.

- a known sport word maps to its kind (Running, Trail Run, "running" → run; Hike → walk; …);
- a file that does not say (no type, "unknown", FIT "generic") gets `default_kind` (the
  `--activity` option) or, without it, "run": this is a running diary, and an unlabelled
  track is most often a run;
- a placeholder that says nothing specific ("Other", "Uncategorized") gets `default_kind` or,
  without it, "other";
- any other word is a sport runrecover does not track: "other".
"""

from runrecover.activity_files.base import folded
from runrecover.vocab import ActivityKind

_SPORT_WORDS = {
    # English words from Strava, Garmin Connect, FIT, TCX and GPX apps; German and French words
    # from Strava exports in those languages.
    ActivityKind.run: """run running trailrun trailrunning treadmillrunning indoorrunning
        virtualrun virtualrunning streetrunning trackrunning obstaclerun obstaclerunning
        lauf laufen courseapied""",
    ActivityKind.walk: """walk walking hike hiking casualwalking speedwalking nordicwalking
        indoorwalking wandern wanderung spaziergang gehen marche randonnee""",
    ActivityKind.cycle: """ride cycling biking bike virtualride ebikeride emountainbikeride
        gravelride mountainbikeride roadcycling roadbiking mountainbiking gravelcycling
        gravelunpavedcycling indoorcycling virtualcycling cyclocross recumbentcycling
        trackcycling downhillbiking ebiking ebikefitness ebikemountain
        radfahrt radfahren velo sortieavelo""",
    ActivityKind.swim: """swim swimming lapswimming poolswim poolswimming openwater
        openwaterswim openwaterswimming schwimmen natation""",
    ActivityKind.strength: """weighttraining workout crossfit strengthtraining strength
        krafttraining musculation""",
    ActivityKind.yoga: "yoga",
}
_KIND_OF_SPORT = {
    word: kind.value for kind, words in _SPORT_WORDS.items() for word in words.split()
}
_NOT_SAID = frozenset({"", "unknown", "generic", "none", "null", "undefined"})
_PLACEHOLDER = frozenset({"other", "uncategorized", "uncategorised"})


def known_kind(sport: str) -> str | None:
    """The kind a sport word names, or None when it is not one runrecover knows."""
    return _KIND_OF_SPORT.get(folded(sport))


def kind_for_sport(sport: str | None, default_kind: str | None = None) -> str:
    """The activity kind for a sport as a file writes it (see the module docstring)."""
    key = folded(sport or "")
    if key in _NOT_SAID:
        return default_kind or ActivityKind.run.value
    if key in _PLACEHOLDER:
        return default_kind or ActivityKind.other.value
    return _KIND_OF_SPORT.get(key, ActivityKind.other.value)
