"""The rules engine: from a history, a moment and a profile to what the runner may do, and why.

Pure: no database, no clock and no environment reads (the moment and the zone are given), and
no sentences (facts with their source keys; words are the views'), so that tables and
property tests can drive it. One module per job:

- `facts`: what the rules read from the record;
- `windows`: each treatment's phases, what they forbid, and the runs that broke them;
- `courses`: a session's place in its course, and the sessions due;
- `races`: when a race is run and whether it is clear;
- `gates`: pain that holds running back or down today;
- `ladder`: where the runner stands on the return-to-run ladder, and today's session;
- `advice`: what pain and training load suggest;
- `verdict`: all of it about one moment, as `status` answers.
"""

from runrecover.rules.advice import Advice
from runrecover.rules.courses import (
    YEAR_DAYS,
    CourseWarning,
    SessionDue,
    course_position,
    course_warnings,
    next_sessions,
)
from runrecover.rules.facts import (
    ActivityFact,
    History,
    InjuryFact,
    LadderEventFact,
    PainFact,
    RaceFact,
    TreatmentFact,
)
from runrecover.rules.gates import PainGate, Reading, pain_gates
from runrecover.rules.ladder import LadderPlan, LadderState
from runrecover.rules.ladder import first_rung as ladder_first_rung
from runrecover.rules.ladder import position as ladder_position
from runrecover.rules.races import RACE_HORIZON, RaceCheck, race_window
from runrecover.rules.verdict import Restriction, Verdict, evaluate
from runrecover.rules.windows import (
    EASY,
    RUN,
    VISIT,
    Window,
    breaking_window,
    broken_by,
    course_reach_days,
    first_run_block,
    level_at,
    merge_adjacent,
    reach_days,
    run_allowed_from,
    windows,
)

__all__ = [
    "EASY", "RACE_HORIZON", "RUN", "VISIT", "YEAR_DAYS", "ActivityFact", "Advice",
    "CourseWarning", "History",
    "InjuryFact", "LadderEventFact", "LadderPlan", "LadderState", "ladder_first_rung",
    "ladder_position",
    "PainFact", "PainGate", "RaceCheck", "RaceFact", "Reading", "Restriction", "SessionDue",
    "TreatmentFact", "Verdict", "Window", "breaking_window", "broken_by", "course_position",
    "course_reach_days", "course_warnings", "evaluate", "first_run_block", "level_at",
    "merge_adjacent", "next_sessions", "pain_gates", "race_window", "reach_days",
    "run_allowed_from", "windows",
]
