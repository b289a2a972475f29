"""The plan as an iCalendar file: restriction windows, course sessions due, races.

UIDs are derived from the entries' uids, so importing a newer export into a calendar
updates the events instead of duplicating them.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event

from runrecover.questions.plan import Plan
from runrecover.render.rungs import plan_rules, session_text
from runrecover.vocab import LEVEL_TEXT

REMINDER_BEFORE = timedelta(hours=6)  # 18:00 the day before an all-day session
FOLDED_FROM = 75  # bytes: icalendar folds a content line this long (RFC 5545, 3.1)


def _event(uid: str, summary: str, start: date | datetime, end: date | datetime,
           stamp: Any, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@runrecover")
    event.add("summary", summary)
    event.add("dtstart", start.astimezone(UTC) if isinstance(start, datetime) else start)
    event.add("dtend", end.astimezone(UTC) if isinstance(end, datetime) else end)
    event.add("dtstamp", stamp)
    if description:
        event.add("description", description)
    return event


def _encoded_stamp(stamp: datetime) -> Any:
    """Every event's DTSTAMP (the plan's moment) as icalendar encodes it, once: `add` keeps
    a value it has encoded as it is."""
    event = Event()
    event.add("dtstamp", stamp)
    return event["dtstamp"]


def _title(level: str) -> str:
    text = LEVEL_TEXT[level]
    return text[0].upper() + text[1:]


def to_ics(plan: Plan) -> bytes:
    """The plan's windows (each under its treatment's uid), sessions and races."""
    return _to_ical(plan_calendar(plan))


def plan_calendar(plan: Plan) -> Calendar:
    """`to_ics`'s calendar, as icalendar holds it."""
    stamp = _encoded_stamp(plan.stamp)
    calendar = Calendar()
    calendar.add("prodid", "-//runrecover//runrecover//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "runrecover")
    for treatment_uid, w in plan.windows:
        title = f"{_title(w.level)} — {w.treatment.kind}"
        calendar.add_component(_event(
            f"{treatment_uid}-{w.level}", title, w.start, w.end, stamp,
            f"After {w.treatment.kind}; source [{w.source}]. The clinician's instruction "
            "wins over this default."))
    for s in plan.sessions:
        event = _event(f"course-{s.kind}-{s.injury_id}-{s.session}",
                       f"{s.kind} session {s.session} of {s.of} due", s.due,
                       s.due + timedelta(days=1), stamp)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Tomorrow: {s.kind} session {s.session} of {s.of}")
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
        calendar.add_component(event)
    if plan.ladder is not None:
        ladder = plan.ladder
        state = ladder.state
        # One uid per ladder: re-importing a newer export moves the session, not adds one.
        uid = f"ladder-{state.ladder.name}-{state.started.astimezone(UTC):%Y%m%dT%H%M%S}"
        calendar.add_component(_event(
            uid, f"Return to run: rung {state.rung} of {state.of}, {session_text(ladder.rung)}",
            ladder.due, ladder.due + timedelta(days=1), stamp,
            f"{state.ladder.name} ladder; {'; '.join(plan_rules(ladder))}. The next rung "
            f"depends on how this one goes [{ladder.rung.source}]."))
    for planned in plan.races:
        uid, name = planned.uid, planned.race.name
        if planned.race.time_known:
            calendar.add_component(_event(uid, name, planned.start, planned.end, stamp))
        else:
            day = planned.start.date()
            calendar.add_component(_event(uid, name, day, day + timedelta(days=1), stamp))
    return calendar


def _to_ical(calendar: Calendar) -> bytes:
    """`calendar.to_ical()`, byte for byte: its content lines as icalendar makes them, each
    folded by icalendar (`Contentline.to_ical`) only when it is long enough to be: a
    shorter one is written as it is (icalendar's fold, character by character in Python,
    was a third of the calendar's time on ten years of treatments and races)."""
    return b"\r\n".join(
        written if len(written := line.encode()) < FOLDED_FROM else line.to_ical()
        for line in calendar.content_lines() if line) + b"\r\n"
