"""The words users type for entry fields. Light on purpose: the CLI builds its choices
from these at import time, before any database module is loaded."""

import re
from enum import StrEnum

# A treatment kind is one lower-case word, dashes allowed: "dry-needling".
TREATMENT_KIND = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Side(StrEnum):
    left = "left"
    right = "right"
    both = "both"


# Body parts a runner's injury name may hold ("left calf strain", "plantar fasciitis"), by
# the start of the word that says them; `injury add` fills --part from them.
BODY_PARTS = {"plantar": "plantar fascia", "it band": "it band", "itb": "it band",
              "achilles": "achilles", "hamstring": "hamstring", "glute": "glute",
              "groin": "groin", "quad": "quad", "calf": "calf", "calves": "calf", "shin": "shin",
              "knee": "knee", "hip": "hip", "ankle": "ankle", "foot": "foot", "feet": "foot",
              "heel": "heel", "toe": "toe", "back": "back", "thigh": "thigh"}
SIDE_WORDS = {"left": Side.left, "right": Side.right, "both": Side.both,
              "bilateral": Side.both}


def part_and_side(name: str) -> tuple[str | None, Side | None]:
    """The body part and side an injury's name says: 'left calf strain' → calf, left."""
    words = re.findall(r"[a-z]+", name.lower())
    text = " ".join(words)
    part = next((part for start, part in BODY_PARTS.items() if re.search(rf"\b{start}", text)),
                None)
    side = next((SIDE_WORDS[w] for w in words if w in SIDE_WORDS), None)
    return part, side


class PainContext(StrEnum):
    morning = "morning"
    rest = "rest"
    during = "during"
    after = "after"
    night = "night"


class ActivityKind(StrEnum):
    run = "run"
    walk = "walk"
    cycle = "cycle"
    swim = "swim"
    strength = "strength"
    yoga = "yoga"
    other = "other"


class RunType(StrEnum):
    easy = "easy"
    long = "long"
    tempo = "tempo"
    intervals = "intervals"
    hills = "hills"
    race = "race"
    treadmill = "treadmill"


class LadderAction(StrEnum):
    start = "start"
    pause = "pause"
    reset = "reset"
    leave = "leave"


class EntryKind(StrEnum):
    injury = "injury"
    treatment = "treatment"
    pain = "pain"
    activity = "activity"
    race = "race"


def normalise_treatment_kind(text: str) -> str:
    """'Dry Needling' and 'dry-needling' are one kind."""
    return "-".join(text.strip().lower().replace("_", " ").split())


LEVELS = ("rest", "walk", "cross", "run-easy", "run")
"""Activity levels, lowest first; a protocol phase names the highest level it allows."""
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

LEVEL_TEXT = {"rest": "rest only", "walk": "walking only", "cross": "no running",
              "run-easy": "easy running only", "run": "normal running"}
"""How a level reads when it is what a restriction allows ("no running until …")."""

ACTIVITY_LEVEL = {
    ActivityKind.run: "run-easy",
    ActivityKind.walk: "walk",
    ActivityKind.cycle: "cross",
    ActivityKind.swim: "cross",
    ActivityKind.strength: "cross",
    ActivityKind.yoga: "cross",
    ActivityKind.other: "cross",
}
"""The lowest level at which each kind of activity is allowed."""


HARD_RUN_TYPES = frozenset({RunType.long, RunType.tempo, RunType.intervals, RunType.hills,
                            RunType.race})
HARD_RPE = 7
"""A run of one of these types, or with an effort (RPE) this high, is harder than easy: it
needs normal running, and breaks an easy-only window."""


def allowed_activities(level: str) -> list[str]:
    """The kinds of activity allowed at that level."""
    return [kind.value for kind, lowest in ACTIVITY_LEVEL.items()
            if LEVEL_RANK[lowest] <= LEVEL_RANK[level]]
