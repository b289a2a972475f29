"""What happened from one day to another, as time-ordered events: the timeline's content.

`build` turns the rows of a window into events (injury onsets and resolutions, treatments
with their course position, restriction windows, races, pain, activities with the
restriction they broke); `render/timeline.py` shows them and `timeline --json` lists them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from runrecover import clock, rules
from runrecover.protocols import Protocol
from runrecover.rules import ActivityFact, TreatmentFact, Window

KIND_ORDER = ("injury", "treatment", "restriction", "race", "pain", "activity")



@dataclass(frozen=True)
class Event:
    kind: str
    at: datetime  # local; a restriction's start
    time_known: bool
    entry: Any = None  # the stored row; None for a restriction
    resolved: bool = False  # an injury's resolution rather than its onset
    window: Window | None = None  # a restriction
    course: tuple[int, int] | None = None  # a treatment's place in its course
    broke: Window | None = None  # the restriction an activity broke

    @property
    def day(self) -> date:
        return clock.local(self.at).date()


@dataclass(frozen=True)
class Timeline:
    first_day: date
    last_day: date
    events: tuple[Event, ...]
    windows: tuple[Window, ...]  # the restrictions drawn as bands
    injury_names: Mapping[int, str]
    injury: Any = None  # the injury the timeline is narrowed to
    treatments: tuple[Any, ...] = ()  # shown, for the chart's marks
    pain: tuple[Any, ...] = ()
    activities: tuple[Any, ...] = ()

    @property
    def several_injuries(self) -> bool:
        """Whether lines must name their injury: pain and treatments of more than one."""
        return len({row.injury_id for row in (*self.pain, *self.treatments)}) > 1


def build(*, since: datetime, until: datetime, injuries: Sequence[Any],
          treatments: Sequence[Any], pain: Sequence[Any], activities: Sequence[Any],
          races: Sequence[Any], protocols: Mapping[str, Protocol],
          injury: Any = None) -> Timeline:
    """The events from `since` to `until`. `treatments` reach back far enough for every
    restriction and course that touches the window; `injury` narrows injuries, treatments,
    restrictions and pain to that injury (activities and races belong to no injury)."""
    start, end = clock.utc(since), clock.utc(until)
    first_day = clock.local(since).date()
    last_day = (clock.local(until) - timedelta(microseconds=1)).date()

    def shown(row: Any) -> bool:
        return start <= clock.utc(row.at) < end

    def mine(row: Any) -> bool:
        return injury is None or row.injury_id == injury.id

    facts = [TreatmentFact.from_row(t) for t in treatments]
    every_window = sorted(rules.merge_adjacent(rules.windows(facts, protocols)),
                          key=lambda w: (clock.utc(w.start), w.treatment.id))
    windows = [w for w in every_window if mine(w.treatment)
               and clock.utc(w.start) < end and clock.utc(w.end) > start]
    events: list[Event] = []
    for row in injuries:
        if injury is not None and row.id != injury.id:
            continue
        for day, resolved in ((row.onset_on, False), (row.resolved_on, True)):
            if day is not None and first_day <= day <= last_day:
                events.append(Event("injury", clock.start_of_day(day), False, row,
                                    resolved=resolved))
    shown_treatments = [t for t in treatments if shown(t) and mine(t)]
    for row, fact in zip(treatments, facts, strict=True):
        if shown(row) and mine(row):
            events.append(Event("treatment", clock.local(row.at), row.time_known, row,
                                course=rules.course_position(fact, facts, protocols)))
    events += [Event("restriction", w.start, True, window=w) for w in windows]
    events += [Event("race", clock.local(r.at), r.time_known, r) for r in races if shown(r)]
    shown_pain = [p for p in pain if shown(p) and mine(p)]
    events += [Event("pain", clock.local(p.at), p.time_known, p) for p in shown_pain]
    shown_activities = [row for row in activities if shown(row)]
    broken = rules.broken_by([ActivityFact.from_row(a) for a in shown_activities], facts,
                             protocols)
    events += [Event("activity", clock.local(a.at), a.time_known, a, broke=broken.get(a.id))
               for a in shown_activities]
    events.sort(key=lambda e: (clock.utc(e.at), KIND_ORDER.index(e.kind),
                               e.entry.id if e.entry is not None else e.window.treatment.id))
    named = {i.id: i.name for i in injuries}
    return Timeline(
        first_day=first_day, last_day=last_day, events=tuple(events),
        windows=tuple(windows),
        injury_names=named, injury=injury, treatments=tuple(shown_treatments),
        pain=tuple(shown_pain), activities=tuple(shown_activities))
