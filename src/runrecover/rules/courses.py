"""Courses of treatment: which session of its course a treatment is, and which are due."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from runrecover import clock
from runrecover.profile import Profile
from runrecover.protocols import Protocol
from runrecover.rules.facts import History, TreatmentFact
from runrecover.rules.windows import local_day


@dataclass(frozen=True)
class SessionDue:
    kind: str
    due: date
    session: int
    of: int
    injury_id: int | None


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
