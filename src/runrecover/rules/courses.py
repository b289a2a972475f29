"""Courses of treatment: which session of its course a treatment is, and which are due."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from msgspec import Struct

from runrecover import clock
from runrecover.profile import Profile
from runrecover.protocols import Protocol
from runrecover.rules.facts import History, TreatmentFact
from runrecover.rules.windows import local_day

YEAR_DAYS = 365  # the span a course's `max_per_year` counts in


class SessionDue(Struct, frozen=True):
    kind: str
    due: date
    session: int
    of: int
    injury_id: int | None


class CourseWarning(Struct, frozen=True):
    """A course limit a treatment goes past: `rule` is too-soon (`days` since the last
    session, under `limit`), per-year (`days` is the count in 365 days, over `limit`) or
    beyond (session `days` of a course of at most `limit`)."""

    rule: str
    days: int
    limit: int
    source: str
    previous: TreatmentFact | None = None


def course_warnings(treatment: TreatmentFact, treatments: Iterable[TreatmentFact],
                    profile: Profile) -> list[CourseWarning]:
    """The course limits of its protocol that this treatment goes past: a warning, never a
    refusal (the clinician decided)."""
    protocol = profile.protocol(treatment.kind)
    if protocol is None or protocol.course is None:
        return []
    course, zone = protocol.course, profile.zone
    same = sorted((t for t in treatments
                   if t.id != treatment.id and _same_course_group(t, treatment, profile)),
                  key=lambda t: clock.utc(t.at))
    day = local_day(treatment.at, zone)
    found = []
    before = [t for t in same if clock.utc(t.at) < clock.utc(treatment.at)]
    if before and course.min_interval_days is not None:
        gap = (day - local_day(before[-1].at, zone)).days
        if gap < course.min_interval_days:
            found.append(CourseWarning("too-soon", gap, course.min_interval_days,
                                       course.source, before[-1]))
    if course.max_per_year is not None:
        year = [t for t in before if (day - local_day(t.at, zone)).days < YEAR_DAYS]
        if len(year) + 1 > course.max_per_year:
            found.append(CourseWarning("per-year", len(year) + 1, course.max_per_year,
                                       course.source))
    position = course_position(treatment, [*same, treatment], profile)
    if position is not None and position[0] > course.sessions_max:
        found.append(CourseWarning("beyond", position[0], course.sessions_max, course.source))
    return found


def course_position(treatment: TreatmentFact, treatments: Iterable[TreatmentFact],
                    profile: Profile) -> tuple[int, int] | None:
    """(n, of) for "mesotherapy 2 of 3"; None for a kind with no course."""
    protocol = profile.protocol(treatment.kind)
    if protocol is None or protocol.course is None:
        return None
    same = {t.id: t for t in treatments if _same_course_group(t, treatment, profile)}
    same[treatment.id] = treatment
    courses = _courses(list(same.values()), protocol.course.interval_days, profile.zone)
    n = next(course.index(treatment) + 1 for course in courses if treatment in course)
    return n, _course_size(protocol, n)


def _same_course_group(one: TreatmentFact, other: TreatmentFact, profile: Profile) -> bool:
    return one.injury_id == other.injury_id and profile.kind(one.kind) == profile.kind(other.kind)


def _courses(treatments: list[TreatmentFact], interval_days: int,
             zone: tzinfo) -> list[list[TreatmentFact]]:
    """Split sessions of one kind and injury into courses: a gap over twice the interval
    ends a course."""
    courses: list[list[TreatmentFact]] = []
    for treatment in sorted(treatments, key=lambda t: (clock.utc(t.at), t.id)):
        if courses:
            gap = (local_day(treatment.at, zone) - local_day(courses[-1][-1].at, zone)).days
            if gap <= 2 * interval_days:
                courses[-1].append(treatment)
                continue
        courses.append([treatment])
    return courses


def _course_size(protocol: Protocol, n: int) -> int:
    course = protocol.course
    return course.sessions if n <= course.sessions else max(course.sessions_max, n)


def next_sessions(history: History, at: datetime, profile: Profile) -> list[SessionDue]:
    """The next session of every course still running at `at` (UTC)."""
    zone = profile.zone
    today = local_day(at, zone)
    resolved = {
        i.id for i in history.injuries if i.resolved_on is not None and i.resolved_on <= today
    }
    groups: dict[tuple[str, int | None], list[TreatmentFact]] = {}
    for treatment in history.treatments:
        if clock.utc(treatment.at) <= at and treatment.injury_id not in resolved:
            kind = profile.kind(treatment.kind)
            groups.setdefault((kind, treatment.injury_id), []).append(treatment)
    due: list[SessionDue] = []
    for (kind, injury_id), sessions in groups.items():
        protocol = profile.protocols.get(kind)
        if protocol is None or protocol.course is None:
            continue
        interval = protocol.course.interval_days
        current = _courses(sessions, interval, zone)[-1]
        n, last_day = len(current), local_day(current[-1].at, zone)
        lapsed = (today - last_day).days > 2 * interval
        if lapsed or n == protocol.course.sessions or n >= protocol.course.sessions_max:
            continue
        next_day = last_day + timedelta(days=interval)
        due.append(SessionDue(kind, next_day, n + 1, _course_size(protocol, n + 1), injury_id))
    return sorted(due, key=lambda s: (s.due, s.kind))
