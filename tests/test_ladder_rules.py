"""The return-to-run ladder's moves, one table row per transition (rules.ladder, pure), and
the hypothesis attacks on it: it never moves up after an amber or red response, never
proposes a run while a no-running window or a pain gate holds, and never lets status say
normal running while it holds."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrecover import clock
from runrecover.profile import Profile
from runrecover.protocols import load_advice, load_protocols
from runrecover.rules import (
    ActivityFact,
    History,
    LadderEventFact,
    PainFact,
    RaceFact,
    TreatmentFact,
    evaluate,
    ladder_position,
    level_at,
    pain_gates,
)
from runrecover.rules.races import race_window

PARIS = ZoneInfo("Europe/Paris")
PROFILE = Profile(load_protocols(), load_advice(), PARIS)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2016, 6, day, hour, tzinfo=PARIS)


def start(rung: int | None = 2, day: int = 1, ladder: str | None = "walk-run", *,
          event_id: int = 1, action: str = "start", treatment_id: int | None = None):
    return LadderEventFact(event_id, action, at(day, 7), True, 1, ladder, rung,
                           treatment_id=treatment_id)


def run(day: int, pain: int | None = 2, *, run_id: int | None = None, rung: int | None = None,
        minutes: float | None = 25, hour: int = 8, run_type: str | None = None):
    return ActivityFact(run_id or day, "run", at(day, hour), True, 4.0,
                        minutes * 60 if minutes is not None else None, pain,
                        run_type=run_type, rung=rung)


def morning(day: int, score: int, pain_id: int | None = None):
    return PainFact(pain_id or 100 + day, score, at(day, 7), True, "morning", 1)


def history(events=(), runs=(), pain=(), treatments=()):
    return History(treatments=tuple(treatments), pain=tuple(pain), activities=tuple(runs),
                   ladder=tuple(events))


# (name, history, moment, rung after, state, last move, first day the next session is due)
TRANSITIONS = [
    ("up: green during, settled next morning",
     history([start(2)], [run(1)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     3, "active", "up", "2016-06-03"),
    ("repeat: amber pain during it",
     history([start(2)], [run(1, pain=4)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     2, "active", "repeat", "2016-06-03"),
    ("repeat: next morning not quite back",
     history([start(2)], [run(1)], [morning(1, 1, 1), morning(2, 2)]), at(2),
     2, "active", "repeat", "2016-06-03"),
    ("repeat: no next-morning score by the end of the next day",
     history([start(2)], [run(1)], [morning(1, 1, 1)]), at(3),
     2, "active", "repeat", "2016-06-03"),
    ("pending: the next morning has not come yet",
     history([start(2)], [run(1, hour=18)], [morning(1, 1, 1)]), at(1, 20),
     2, "active", "pending", "2016-06-03"),
    ("down: pain above the limit during it",
     history([start(2)], [run(1, pain=6)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     1, "active", "down", "2016-06-04"),
    ("down: next morning up by the rise gate's points",
     history([start(3)], [run(1)], [morning(1, 1, 1), morning(2, 3)]), at(2),
     2, "active", "down", "2016-06-04"),
    ("down: a red pain gate holds that morning",
     history([start(3)], [run(1)], [morning(1, 1, 1), morning(2, 1),
                                     PainFact(99, 7, at(1, 20), True, "rest", 1)]), at(2),
     2, "active", "down", "2016-06-04"),
    ("never below the first rung",
     history([start(1)], [run(1, pain=8)], [morning(2, 1)]), at(2),
     1, "active", "down", "2016-06-04"),
    ("clinician-set start: the visit's ladder and rung",
     history([start(4, treatment_id=7, event_id=-7)]), at(2),
     4, "active", None, "2016-06-01"),
    ("pause",
     history([start(2), start(None, 2, None, event_id=2, action="pause")]), at(3),
     2, "paused", None, "2016-06-01"),
    ("resume: a start without a rung goes on where it was",
     history([start(2), start(None, 2, None, event_id=2, action="pause"),
              start(None, 4, None, event_id=3)], [run(1)], [morning(1, 1, 1), morning(2, 1)]),
     at(5), 3, "active", "up", "2016-06-04"),
    ("reset: back to the rung given",
     history([start(5), start(1, 2, "walk-run", event_id=2, action="reset")]), at(3),
     1, "active", None, "2016-06-02"),
    ("leave",
     history([start(2), start(None, 2, None, event_id=2, action="leave")]), at(3),
     2, "left", None, "2016-06-01"),
    ("finish: the last rung settled",
     history([start(8)], [run(1, minutes=30)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     8, "finished", "finish", "2016-06-03"),
    ("a rung done twice where the ladder says so (bone stress)",
     history([start(1, ladder="bone-stress")], [run(1, minutes=20)],
             [morning(1, 1, 1), morning(2, 1)]), at(2),
     1, "active", "stay", "2016-06-03"),
    ("skipped rungs never move it up",
     history([start(2)], [run(1, rung=4)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     2, "active", "stay", "2016-06-03"),
    ("a session longer than the rung never moves it up",
     history([start(2)], [run(1, minutes=45)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     2, "active", "stay", "2016-06-03"),
    ("a session below the rung due never moves it up",
     history([start(3)], [run(1, rung=1)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     3, "active", "stay", "2016-06-03"),
    ("a session shorter than the rung never moves it up (nor finishes the ladder)",
     history([start(8)], [run(1, minutes=10)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     8, "active", "stay", "2016-06-03"),
    ("a session of unknown length never moves it up",
     history([start(2)], [run(1, minutes=None)], [morning(1, 1, 1), morning(2, 1)]), at(2),
     2, "active", "stay", "2016-06-03"),
    ("a session on a rest day never moves it up",
     history([start(2)], [run(1), run(2, run_id=9)],
             [morning(1, 1, 1), morning(2, 1), morning(3, 1)]), at(3),
     3, "active", "stay", "2016-06-04"),
]


@pytest.mark.parametrize(("name", "record", "moment", "rung", "state", "move", "due"),
                         TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_transition(name, record, moment, rung, state, move, due):
    found = ladder_position(record, moment, PROFILE)
    assert (found.rung, found.state, found.due.isoformat()) == (rung, state, due)
    sessions = found.sessions
    assert (sessions[-1].move if sessions else None) == move


def test_the_bone_stress_ladder_moves_on_after_the_second_settled_session():
    record = history([start(1, ladder="bone-stress")], [run(1, minutes=20), run(3, minutes=20)],
                     [morning(1, 1, 1), morning(2, 1), morning(4, 1)])
    found = ladder_position(record, at(4), PROFILE)
    assert [s.move for s in found.sessions] == ["stay", "up"]
    assert found.rung == 2


def test_two_reds_in_a_row_say_see_a_clinician():
    record = history([start(4)], [run(1, pain=6), run(4, pain=7)],
                     [morning(1, 1, 1), morning(2, 1), morning(5, 1)])
    verdict = evaluate(record, at(5, 12), PROFILE)
    assert verdict.ladder.rung == 2
    assert verdict.ladder.reds_in_row == 2
    assert [(a.level, a.rule) for a in verdict.advice if a.rule.startswith("ladder")] == [
        ("see-clinician", "ladder-reds")]


def test_after_the_last_rung_normal_running_is_back_with_the_spike_rule():
    record = history([start(8)], [run(1, minutes=30)], [morning(1, 1, 1), morning(2, 1)])
    verdict = evaluate(record, at(2, 12), PROFILE)
    assert verdict.run_level == "normal"
    assert verdict.plan is None
    (done,) = [a for a in verdict.advice if a.rule == "ladder-done"]
    assert done.source == "S52"
    assert done.facts["above_percent"] == 10
    assert done.facts["longest_km"] == 4.0


def test_a_clinician_set_ladder_waits_for_the_window_then_proposes_its_rung():
    meso = TreatmentFact(7, "mesotherapy", at(14), True, 1)
    record = history([LadderEventFact(-7, "start", at(14), True, 1, "walk-run", 3,
                                      treatment_id=7)], treatments=[meso])
    during = evaluate(record, at(15), PROFILE)
    assert during.run_level == "none"
    assert during.plan.today is False
    assert during.plan.held_by == "restriction"
    assert during.plan.due.isoformat() == "2016-06-18"
    after = evaluate(record, at(18, 9), PROFILE)
    assert after.run_level == "easy"
    assert after.plan.today is True
    assert (after.plan.state.rung, after.plan.state.of) == (3, 8)
    assert [r.source for r in after.restrictions] == ["ladder"]
    assert after.normal_run_from is None


VISIT = start(1, 2, treatment_id=7, event_id=-7)


@pytest.mark.parametrize(("record", "ended"), [
    (history([VISIT]), None),
    (history([VISIT, start(None, 3, None, event_id=2, action="pause")]), None),
    (history([VISIT, start(None, 3, None, event_id=2, action="leave")]), ("leave", at(3, 7))),
    (history([VISIT, start(4, 3, event_id=2)]), ("start", at(3, 7))),
    (history([start(8, 2, treatment_id=7, event_id=-7)], [run(3, minutes=30)],
             [morning(3, 1, 1), morning(4, 1)]), ("finish", at(3, 8))),
], ids=["in force", "paused", "left", "replaced", "finished"])
def test_what_ends_a_visits_ladder(record, ended):
    from runrecover.rules.ladder import overtaken

    found = overtaken(record, 7, at(5), PROFILE)
    assert (None if found is None else (found.kind, found.at)) == ended
    assert overtaken(record, 7, at(1), PROFILE) is None  # before the visit: not begun


# -- properties -----------------------------------------------------------------------------

AT = at(20, 10)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def moment(draw, hours_back: int) -> datetime:
    minutes = draw(st.integers(0, hours_back * 60))
    return (AT.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(PARIS)


@st.composite
def ladder_histories(draw):
    ladder = draw(st.sampled_from(["walk-run", "bone-stress"]))
    events = [LadderEventFact(1, "start", moment(draw, 24 * 19), True, 1, ladder,
                              draw(st.integers(1, 6)))]
    for i in range(2, draw(st.integers(2, 4)) + 1):
        action = draw(st.sampled_from(["start", "pause", "reset", "leave"]))
        events.append(LadderEventFact(i, action, moment(draw, 24 * 19), True, 1, None,
                                      draw(st.one_of(st.none(), st.integers(1, 6)))))
    runs = tuple(
        ActivityFact(i, "run", moment(draw, 24 * 19), True, 4.0,
                     draw(st.sampled_from([None, 15 * 60, 20 * 60, 25 * 60, 60 * 60])),
                     draw(st.one_of(st.none(), st.integers(0, 3), st.integers(0, 10))),
                     run_type=draw(st.sampled_from([None, None, "easy", "tempo"])),
                     rung=draw(st.sampled_from([None, None, None, 1, 3, 8])))
        for i in range(1, draw(st.integers(0, 6)) + 1))
    pain = tuple(
        PainFact(i, draw(st.integers(0, 10)), moment(draw, 24 * 19), True,
                 draw(st.sampled_from([None, "morning", "rest", "during", "night"])),
                 draw(st.sampled_from([None, 1])))
        for i in range(1, draw(st.integers(0, 10)) + 1))
    # Most runs get their next morning's score, so that every response is tried.
    mornings = tuple(
        PainFact(100 + r.id, draw(st.integers(0, 5)),
                 datetime.combine(r.at.date() + timedelta(days=1), datetime.min.time(),
                                  PARIS) + timedelta(hours=7), True, "morning", 1)
        for r in runs if draw(st.booleans()) or draw(st.booleans()))
    pain += tuple(m for m in mornings if m.at <= AT)
    treatments = tuple(
        TreatmentFact(i, draw(st.sampled_from(["mesotherapy", "prolotherapy", "shockwave"])),
                      moment(draw, 24 * 19), draw(st.booleans()), 1)
        for i in range(1, draw(st.integers(0, 2)) + 1))
    return History(treatments=treatments, pain=pain, activities=runs, ladder=tuple(events))


@SETTINGS
@given(record=ladder_histories())
def test_the_ladder_never_moves_up_after_an_amber_or_red_response(record):
    found = ladder_position(record, AT, PROFILE)
    for session in (found.sessions if found else ()):
        if session.response != "green" or session.warnings:
            assert session.rung_after <= session.expected, session
        if session.response == "red":
            assert session.rung_after == max(1, session.expected - 1)


def ahead(draw, hours: int) -> datetime:
    minutes = draw(st.integers(1, hours * 60))
    return (AT.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(PARIS)


@st.composite
def ladder_race_histories(draw):
    """A ladder history with races ahead, and what is already booked before them: a visit
    that starts a ladder (with its window or none), a runner's pause or leave."""
    record = draw(ladder_histories())
    visits = tuple(
        TreatmentFact(10 + i, draw(st.sampled_from(["physio", "mesotherapy", "shockwave"])),
                      ahead(draw, 24 * 12), draw(st.booleans()), 1,
                      no_run_days=draw(st.one_of(st.none(), st.integers(0, 3))))
        for i in range(draw(st.integers(0, 2))))
    events = tuple(LadderEventFact(-t.id, "start", t.at, t.time_known, 1,
                                   draw(st.sampled_from(["walk-run", "bone-stress"])),
                                   draw(st.integers(1, 8)), treatment_id=t.id)
                   for t in visits)
    events += tuple(LadderEventFact(50 + i, draw(st.sampled_from(["pause", "leave", "start"])),
                                    ahead(draw, 24 * 12), True, 1, None, None)
                    for i in range(draw(st.integers(0, 1))))
    races = tuple(RaceFact(i, f"race {i}", ahead(draw, 24 * 14), draw(st.booleans()),
                           draw(st.sampled_from([None, 5.0, 10.0, 42.195])))
                  for i in range(1, draw(st.integers(1, 3)) + 1))
    return History(treatments=record.treatments + visits, pain=record.pain,
                   activities=record.activities, races=races,
                   ladder=record.ladder + events)


@SETTINGS
@given(record=ladder_race_histories())
def test_no_session_while_a_window_or_gate_holds_and_never_normal_on_the_ladder(record):
    verdict = evaluate(record, AT, PROFILE)
    if verdict.ladder is not None and verdict.ladder.holds:
        assert verdict.run_level != "normal"
        assert not any(r.cleared for r in verdict.races)
    # A race cleared now is one that no ladder recorded (a booked visit's included) holds
    # at any moment of: status asked during it never says the ladder.
    for check in verdict.races:
        if not check.cleared:
            continue
        start, end = (clock.utc(m) for m in race_window(check.race, PROFILE))
        moments = {start, end - timedelta(minutes=1),
                   *(clock.utc(e.at) for e in record.ladder if start < clock.utc(e.at) < end)}
        for m in moments:
            during = evaluate(record, m, PROFILE)
            assert during.ladder is None or not during.ladder.holds, (check.race, m)
            assert not any(r.source == "ladder" for r in during.restrictions)
    if verdict.plan is not None and verdict.plan.today:
        assert level_at(record.treatments, PROFILE, AT) in ("run-easy", "run")
        assert not pain_gates(record, clock.utc(AT), PROFILE)
        assert verdict.run_level == "easy"


@st.composite
def climbs(draw):
    """A ladder climbed by the book (a session every other day), with pain of any kind:
    the path where moving up is possible at all."""
    ladder = draw(st.sampled_from(["walk-run", "bone-stress"]))
    events = (LadderEventFact(1, "start", at(1, 7), True, 1, ladder, draw(st.integers(1, 3))),)
    count = draw(st.integers(1, 8))
    runs = tuple(run(1 + 2 * i, draw(st.integers(0, 6)), minutes=15) for i in range(count))
    pain = tuple(morning(day, draw(st.integers(0, 4))) for day in range(1, 2 * count + 2))
    return History(pain=pain, activities=runs, ladder=events)


@SETTINGS
@given(record=climbs())
def test_climbing_by_the_book_moves_up_only_on_green(record):
    found = ladder_position(record, at(2 * len(record.activities) + 2, 12), PROFILE)
    for session in found.sessions:
        if session.rung_after > session.expected:
            assert session.response == "green" and not session.warnings
        if session.response in ("amber", "red", "unknown"):
            assert session.rung_after <= session.expected


def test_every_number_of_the_ladders_has_a_source_that_resolves():
    from runrecover.protocols import load_sources, source_keys
    from runrecover.protocols.ladders import load_ladders

    known = load_sources()
    cited = [PROFILE.advice.ladder.move_source, PROFILE.advice.ladder.red_rest_source,
             PROFILE.advice.ladder.reds_source, PROFILE.advice.ladder.entry_source]
    for ladder in load_ladders().values():
        cited += [ladder.source, ladder.rules.times_source, ladder.rules.rest_source,
                  ladder.rules.longer_source]
        cited += [r.source for r in ladder.rungs] + [r.source for r in ladder.start]
    missing = {key for source in cited for key in source_keys(source)} - set(known)
    assert not missing
