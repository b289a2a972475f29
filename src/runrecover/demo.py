"""The built-in demo history: the seeds' two stories, placed around today.

A right hip treated with prolotherapy (24 h walking only, cycling from day 3, no running
for a week, repeat every 4 weeks) and brought back to running on the walk-run ladder (one
step back on the way), and a left calf strain, strained in an interval session the ladder
did not allow, treated with mesotherapy yesterday (no running for 4 days) before a 15K race
this week.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from runrecover import clock, store


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.local_zone())


def fill(session: Session, *, today: date) -> None:
    """Write the demo history into an empty database."""
    def add(entry: str, /, **data: Any) -> Any:
        return store.add_entry(session, kind=entry, data=data)

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    hip = add("injury", name="right hip tendinopathy", part="hip", side="right",
              onset_on=day(-60), cause="hill repeats", diagnosis="gluteus medius tendinopathy")
    # At the first visit the clinician set the way back: the walk-run ladder from rung 1.
    for offset, ladder in ((-36, "walk-run"), (-8, None)):
        add("treatment", kind="prolotherapy", at=_at(day(offset), 10), injury_id=hip.id,
            clinician="Dr Martin", note="dextrose injections, right hip", ladder=ladder,
            rung=1 if ladder else None)
    hip_morning = {-42: 5, -39: 5, -36: 4, -33: 4, -30: 3, -28: 2, -26: 2, -24: 4, -23: 2,
                   -21: 2, -19: 2, -17: 2, -15: 2, -13: 2, -11: 3, -9: 3, -6: 3, -3: 2}
    for offset, score in hip_morning.items():
        add("pain", score=score, at=_at(day(offset), 7), injury_id=hip.id, context="morning")

    # Steady running before the hip, then the ladder's sessions on alternate days: rung 3
    # left the hip sore the next morning (a step back), then rung by rung up to 7.
    runs = [(-41, 6, 36, None), (-39, 8, 47, None), (-29, 3, 25, 1), (-27, 3.5, 25, 2),
            (-25, 4, 25, 3), (-22, 3.5, 25, 1), (-20, 4, 25, 2), (-18, 4.5, 25, 2),
            (-16, 5.5, 30, 2), (-14, 5, 26, 2)]
    for offset, km, minutes, pain in runs:
        add("activity", kind="run", at=_at(day(offset), 18, 30), distance_km=km,
            duration_s=minutes * 60, run_type="easy", pain_during=pain)
    for offset in (-34, -33, -6):
        add("activity", kind="cycle", at=_at(day(offset), 17), distance_km=25,
            duration_s=3600)

    # Rung 7 was due; the runner ran intervals instead, and the calf gave way.
    calf = add("injury", name="left calf strain", part="calf", side="left", onset_on=day(-12),
               cause="speed session on the track")
    add("activity", kind="run", at=_at(day(-12), 19), distance_km=8, duration_s=41 * 60,
        run_type="intervals", pain_during=6, rpe=8, note="calf tightened on rep 5")
    # Three days after the second prolotherapy: the runner cheated.
    add("activity", kind="run", at=_at(day(-5), 7, 15), distance_km=5, duration_s=29 * 60,
        pain_during=4, note="just a short one")
    add("activity", kind="walk", at=_at(day(-3), 12), distance_km=4, duration_s=50 * 60)
    calf_scores = [(-12, 7), (-11, 6), (-10, 6), (-9, 5), (-8, 5), (-7, 5), (-6, 4), (-5, 5),
                   (-4, 5), (-3, 4), (-2, 4), (-1, 3), (0, 3)]
    for offset, score in calf_scores:
        add("pain", score=score, at=_at(day(offset), 7, 30), injury_id=calf.id,
            context="morning")
    add("treatment", kind="mesotherapy", at=_at(day(-1), 9, 30), injury_id=calf.id,
        clinician="Dr Rossi", note="3 injection points, compression advised")
    add("race", name="City 15K", at=_at(day(5), 9, 30), time_known=True, distance_km=15)
