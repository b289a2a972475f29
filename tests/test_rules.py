from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from runrecover.profile import Profile
from runrecover.protocols import Offset, load_advice, load_protocols
from runrecover.render.advice import advice_message
from runrecover.render.status import race_reason
from runrecover.rules import (
    VISIT,
    ActivityFact,
    History,
    InjuryFact,
    PainFact,
    RaceFact,
    TreatmentFact,
    breaking_window,
    broken_by,
    course_position,
    evaluate,
    level_at,
    run_allowed_from,
    windows,
)
from runrecover.units import KM
from runrecover.vocab import LEVELS, allowed_activities

PARIS = ZoneInfo("Europe/Paris")
PROTOCOLS = load_protocols()
ADVICE = load_advice()
PROFILE = Profile(PROTOCOLS, ADVICE, PARIS)


@pytest.fixture(autouse=True, scope="module")
def paris_time():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/Paris")
        yield


def local(y, m, d, h=0, mi=0, fold=0):
    return datetime(y, m, d, h, mi, tzinfo=PARIS, fold=fold)


def treat(kind, at, known=True, tid=1, injury=None, **overrides):
    return TreatmentFact(tid, kind, at, known, injury, **overrides)


def run(at, km=8.0, pain=None, aid=1, known=True):
    return ActivityFact(aid, "run", at, known, km, km * 360, pain)


def pain(score, at, context=None, pid=1, injury=None):
    return PainFact(pid, score, at, True, context, injury)


def status(at, *, treatments=(), pain=(), activities=(), races=(), injuries=(), **kw):
    history = History(
        tuple(treatments), tuple(pain), tuple(activities), tuple(races), tuple(injuries)
    )
    return evaluate(history, at, PROFILE, **kw)


# A Tuesday, 10:00, or the same day with no time of day.
TUE = local(2016, 6, 14, 10)
TUE_DAY = local(2016, 6, 14)

LEVEL_TABLE = [
    # kind, time known, moment, level
    ("mesotherapy", True, local(2016, 6, 14, 9, 59), "run"),
    ("mesotherapy", True, TUE, "cross"),
    ("mesotherapy", True, local(2016, 6, 17, 23, 59), "cross"),
    ("mesotherapy", True, local(2016, 6, 18), "run"),
    ("mesotherapy", False, local(2016, 6, 13, 23, 59), "run"),
    ("mesotherapy", False, TUE_DAY, "cross"),
    ("mesotherapy", False, local(2016, 6, 18), "run"),
    ("prolotherapy", True, TUE, "walk"),
    ("prolotherapy", True, local(2016, 6, 15, 10), "walk"),
    ("prolotherapy", True, local(2016, 6, 15, 23, 59), "walk"),
    ("prolotherapy", True, local(2016, 6, 16), "cross"),
    ("prolotherapy", True, local(2016, 6, 20, 23, 59), "cross"),
    ("prolotherapy", True, local(2016, 6, 21), "run-easy"),
    ("prolotherapy", True, local(2016, 6, 27, 23, 59), "run-easy"),
    ("prolotherapy", True, local(2016, 6, 28), "run"),
    ("prolotherapy", False, TUE_DAY, "walk"),
    ("prolotherapy", False, local(2016, 6, 15, 23, 59), "walk"),
    ("prolotherapy", False, local(2016, 6, 16), "cross"),
    ("prolotherapy", False, local(2016, 6, 21), "run-easy"),
    ("cortisone", True, local(2016, 6, 16, 9, 59), "walk"),
    ("cortisone", True, local(2016, 6, 16, 10), "cross"),
    ("cortisone", True, local(2016, 6, 28), "run-easy"),
    ("cortisone", True, local(2016, 7, 4, 23), "run-easy"),
    ("cortisone", True, local(2016, 7, 5), "run"),
    ("cortisone", False, local(2016, 6, 16, 23, 59), "walk"),
    ("cortisone", False, local(2016, 6, 17), "cross"),
    ("prp", True, local(2016, 6, 17, 9, 59), "walk"),
    ("prp", True, local(2016, 6, 17, 10), "cross"),
    ("prp", True, local(2016, 7, 12), "run-easy"),
    ("prp", True, local(2016, 9, 5, 23, 59), "run-easy"),
    ("prp", True, local(2016, 9, 6), "run"),
    ("prp", False, local(2016, 6, 17, 23, 59), "walk"),
    ("prp", False, local(2016, 6, 18), "cross"),
    ("shockwave", True, TUE, "cross"),
    ("shockwave", True, local(2016, 6, 16, 10), "run-easy"),
    ("shockwave", True, local(2016, 6, 21), "run"),
    ("shockwave", False, local(2016, 6, 16, 23, 59), "cross"),
    ("shockwave", False, local(2016, 6, 17), "run-easy"),
    ("dry-needling", True, TUE, "cross"),
    ("dry-needling", True, local(2016, 6, 15, 10), "run-easy"),
    ("dry-needling", True, local(2016, 6, 16, 10), "run"),
    ("dry-needling", False, local(2016, 6, 15, 23, 59), "cross"),
    ("dry-needling", False, local(2016, 6, 16), "run-easy"),
    ("dry-needling", False, local(2016, 6, 17), "run"),
    ("acupuncture", True, TUE, "walk"),
    ("acupuncture", True, local(2016, 6, 14, 16), "cross"),
    ("acupuncture", True, local(2016, 6, 15, 10), "run"),
    ("acupuncture", False, local(2016, 6, 15, 5, 59), "walk"),
    ("acupuncture", False, local(2016, 6, 15, 6), "cross"),
    ("acupuncture", False, local(2016, 6, 16), "run"),
    ("massage", True, TUE, "cross"),
    ("massage", True, local(2016, 6, 15, 10), "run-easy"),
    ("massage", True, local(2016, 6, 15, 22), "run"),
    ("massage", False, local(2016, 6, 16, 11, 59), "run-easy"),
    ("massage", False, local(2016, 6, 16, 12), "run"),
    ("osteopath", True, TUE, "run-easy"),
    ("osteopath", True, local(2016, 6, 16, 10), "run"),
    ("osteopath", False, local(2016, 6, 16, 23, 59), "run-easy"),
    ("chiropractor", True, local(2016, 6, 16, 9, 59), "run-easy"),
    ("chiropractor", False, local(2016, 6, 17), "run"),
    ("physio", True, TUE, "run"),
    ("consult", False, TUE_DAY, "run"),
    ("imaging", True, TUE, "run"),
    ("b12", True, TUE, "run"),
    ("reiki", True, TUE, "run"),
    ("Dry Needling", True, TUE, "cross"),
]


@pytest.mark.parametrize(("kind", "known", "moment", "level"), LEVEL_TABLE)
def test_level_after_each_kind(kind, known, moment, level):
    treatment = treat(kind, TUE if known else TUE_DAY, known)
    assert level_at([treatment], PROFILE, moment) == level


def test_every_built_in_kind_is_in_the_table():
    assert set(PROTOCOLS) <= {row[0] for row in LEVEL_TABLE}


@pytest.mark.parametrize(
    ("level", "activities"),
    [
        ("rest", []),
        ("walk", ["walk"]),
        ("cross", ["walk", "cycle", "swim", "strength", "yoga", "other"]),
        ("run-easy", ["run", "walk", "cycle", "swim", "strength", "yoga", "other"]),
        ("run", ["run", "walk", "cycle", "swim", "strength", "yoga", "other"]),
    ],
)
def test_allowed_activities(level, activities):
    assert allowed_activities(level) == activities


# --- the seeds' stories ---------------------------------------------------------------------


def test_mesotherapy_story():
    meso = treat("mesotherapy", TUE)
    sunday_15k = RaceFact(1, "Sunday 15K", local(2016, 6, 19), False, 15)
    friday = RaceFact(2, "Friday 10K", local(2016, 6, 17, 19), True, 10)
    verdict = status(local(2016, 6, 15, 8), treatments=[meso], races=[sunday_15k, friday])
    assert not verdict.can_run
    assert verdict.run_level == "none"
    assert verdict.run_allowed_from == local(2016, 6, 18)
    assert verdict.run_allowed_from.utcoffset() == timedelta(hours=2)
    assert [(r.activity, r.until, r.source) for r in verdict.restrictions] == [
        ("run", local(2016, 6, 18), "clinic")
    ]
    assert verdict.restrictions[0].treatment == meso
    assert "cycle" in verdict.allowed_activities and "run" not in verdict.allowed_activities
    by_name = {check.race.name: check for check in verdict.races}
    assert by_name["Sunday 15K"].cleared
    assert by_name["Sunday 15K"].margin == timedelta(days=1)
    assert race_reason(by_name["Sunday 15K"]) == (
        "clear by 1 day (from Sat 18 Jun 2016 00:00)")
    assert not by_name["Friday 10K"].cleared
    assert "mesotherapy" in race_reason(by_name["Friday 10K"])
    assert "Sat 18 Jun 2016 00:00" in race_reason(by_name["Friday 10K"])
    assert [(s.kind, s.due, s.session, s.of) for s in verdict.next_sessions] == [
        ("mesotherapy", date(2016, 6, 21), 2, 3)
    ]
    after = status(local(2016, 6, 18), treatments=[meso])
    assert after.can_run and after.run_level == "normal" and after.run_allowed_from is None


def test_prolotherapy_story():
    prolo = treat("prolotherapy", TUE, injury=4)
    ts = [prolo]
    first_day = status(local(2016, 6, 14, 20), treatments=ts)
    assert first_day.allowed_activities == ("walk",)
    assert {r.activity: r.until for r in first_day.restrictions} == {
        "run": local(2016, 6, 21),
        "cycle": local(2016, 6, 16),
        "swim": local(2016, 6, 16),
        "strength": local(2016, 6, 16),
        "yoga": local(2016, 6, 16),
        "other": local(2016, 6, 16),
    }
    assert level_at(ts, PROFILE, local(2016, 6, 16, 8)) == "cross"
    easy = status(local(2016, 6, 22), treatments=ts)
    assert easy.can_run and easy.run_level == "easy"
    assert easy.normal_run_from == local(2016, 6, 28)
    assert easy.next_sessions[0].due == date(2016, 7, 12)
    assert (easy.next_sessions[0].session, easy.next_sessions[0].of) == (2, 3)
    assert easy.next_sessions[0].injury_id == 4
    second = treat("prolotherapy", local(2016, 7, 12, 9), tid=2, injury=4)
    assert course_position(second, [prolo, second], PROFILE) == (2, 3)


# --- time -----------------------------------------------------------------------------------


def test_day_rule_across_spring_forward_ends_at_local_midnight():
    meso = treat("mesotherapy", local(2016, 3, 25, 10))
    assert run_allowed_from([meso], PROFILE, local(2016, 3, 26)) == local(2016, 3, 29)
    assert local(2016, 3, 29).utcoffset() == timedelta(hours=2)


def test_hour_rule_across_spring_forward_is_exact_elapsed_time():
    cortisone = treat("cortisone", local(2016, 3, 26, 10))
    walk = windows([cortisone], PROFILE)[0]
    assert walk.level == "walk"
    assert walk.end - walk.start == timedelta(hours=49)  # wall clock
    assert walk.end.astimezone(UTC) - walk.start.astimezone(UTC) == timedelta(hours=48)
    assert walk.end == local(2016, 3, 28, 11)


def test_hour_rule_across_fall_back_is_exact_elapsed_time():
    prolo = treat("prolotherapy", local(2016, 10, 29, 10))
    first = windows([prolo], PROFILE)[0]
    assert first.end == local(2016, 10, 30, 9)
    assert first.end.astimezone(UTC) - first.start.astimezone(UTC) == timedelta(hours=24)


def test_a_moment_in_the_repeated_hour_is_ordered_by_real_time():
    # 02:20 on the second pass (CET) is 40 minutes after 02:40 on the first (CEST).
    massage = treat("massage", local(2016, 10, 30, 2, 40, fold=0))
    assert level_at([massage], PROFILE, local(2016, 10, 30, 2, 20, fold=1)) == "cross"
    assert level_at([massage], PROFILE, local(2016, 10, 30, 2, 20, fold=0)) == "run"


def test_unknown_time_hour_rule_runs_from_the_end_of_the_day():
    needling = treat("dry-needling", TUE_DAY, known=False)
    cross = windows([needling], PROFILE)[0]
    assert (cross.start, cross.end, cross.level) == (TUE_DAY, local(2016, 6, 16), "cross")


# --- per-visit overrides --------------------------------------------------------------------


def spans(treatment):
    return [(w.start, w.end, w.level, w.source) for w in windows([treatment], PROFILE)]


@pytest.mark.parametrize(
    ("days", "allowed"), [(2, local(2016, 6, 16)), (6, local(2016, 6, 20)), (0, TUE)]
)
def test_no_run_days_replaces_mesotherapy_days(days, allowed):
    meso = treat("mesotherapy", TUE, no_run_days=days)
    at = TUE + timedelta(minutes=1)
    assert run_allowed_from([meso], PROFILE, at) == (None if allowed == TUE else allowed)
    if allowed != TUE:
        assert spans(meso) == [(TUE, allowed, "cross", VISIT)]


def test_no_run_days_shorter_than_prolotherapy_clips_the_cross_phase():
    assert spans(treat("prolotherapy", TUE, no_run_days=3)) == [
        (TUE, local(2016, 6, 15, 10), "walk", "clinic"),
        (local(2016, 6, 15, 10), local(2016, 6, 16), "walk", "clinic"),
        (local(2016, 6, 16), local(2016, 6, 17), "cross", VISIT),
        (local(2016, 6, 17), local(2016, 6, 28), "run-easy", "clinic"),
    ]


def test_no_run_days_before_an_intermediate_phase_clips_it_away():
    assert spans(treat("prolotherapy", TUE, no_run_days=1)) == [
        (TUE, local(2016, 6, 15), "walk", VISIT),
        (local(2016, 6, 15), local(2016, 6, 28), "run-easy", "clinic"),
    ]


def test_no_run_days_equal_to_the_protocol_is_still_the_clinicians():
    # The clinician said it: their instruction, even where it matches the default.
    assert spans(treat("mesotherapy", TUE, no_run_days=4)) == [
        (TUE, local(2016, 6, 18), "cross", VISIT)
    ]


def test_no_run_days_longer_than_prolotherapy_extends_and_pushes_later_phases():
    assert spans(treat("prolotherapy", TUE, no_run_days=10))[-2:] == [
        (local(2016, 6, 16), local(2016, 6, 24), "cross", VISIT),
        (local(2016, 6, 24), local(2016, 6, 28), "run-easy", "clinic"),
    ]
    assert spans(treat("prolotherapy", TUE, no_run_days=20))[-1] == (
        local(2016, 6, 16),
        local(2016, 7, 4),
        "cross",
        VISIT,
    )


@pytest.mark.parametrize(
    ("treatment", "expected"),
    [
        (treat("consult", TUE, no_run_days=3), [(TUE, local(2016, 6, 17), "cross", VISIT)]),
        (treat("reiki", TUE, rest_hours=12), [(TUE, local(2016, 6, 14, 22), "walk", VISIT)]),
        (
            treat("consult", TUE_DAY, known=False, rest_hours=12),
            [(TUE_DAY, local(2016, 6, 15, 12), "walk", VISIT)],
        ),
        (
            treat("reiki", TUE, no_run_days=1, rest_hours=48),
            [(TUE, local(2016, 6, 16, 10), "walk", VISIT)],
        ),
        (
            treat("consult", TUE, no_run_days=3, rest_hours=24),
            [
                (TUE, local(2016, 6, 15, 10), "walk", VISIT),
                (local(2016, 6, 15, 10), local(2016, 6, 17), "cross", VISIT),
            ],
        ),
        (
            treat("mesotherapy", TUE, rest_hours=24),
            [
                (TUE, local(2016, 6, 15, 10), "walk", VISIT),
                (local(2016, 6, 15, 10), local(2016, 6, 18), "cross", "clinic"),
            ],
        ),
        (
            treat("cortisone", TUE, rest_hours=24),
            [
                (TUE, local(2016, 6, 15, 10), "walk", VISIT),
                (local(2016, 6, 15, 10), local(2016, 6, 28), "cross", "D"),
                (local(2016, 6, 28), local(2016, 7, 5), "run-easy", "S2/S3"),
            ],
        ),
        (
            treat("prolotherapy", TUE, rest_hours=60),
            [
                (TUE, local(2016, 6, 16, 22), "walk", VISIT),
                (local(2016, 6, 16, 22), local(2016, 6, 21), "cross", "clinic"),
                (local(2016, 6, 21), local(2016, 6, 28), "run-easy", "clinic"),
            ],
        ),
        (
            treat("osteopath", TUE, rest_hours=6),
            [
                (TUE, local(2016, 6, 14, 16), "walk", VISIT),
                (local(2016, 6, 14, 16), local(2016, 6, 16, 10), "run-easy", "D"),
            ],
        ),
    ],
)
def test_overrides(treatment, expected):
    assert spans(treatment) == expected


# --- combining treatments -------------------------------------------------------------------


def test_treatments_combine_at_the_lowest_level():
    meso = treat("mesotherapy", TUE)
    prolo = treat("prolotherapy", local(2016, 6, 16, 10), tid=2)
    both = [meso, prolo]
    assert level_at(both, PROFILE, local(2016, 6, 15)) == "cross"
    assert level_at(both, PROFILE, local(2016, 6, 17)) == "walk"
    assert level_at(both, PROFILE, local(2016, 6, 18, 12)) == "cross"
    assert run_allowed_from(both, PROFILE, local(2016, 6, 15)) == local(2016, 6, 23)


def test_running_is_allowed_in_the_gap_between_two_restrictions():
    meso = treat("mesotherapy", TUE)
    massage = treat("massage", local(2016, 6, 18, 10), tid=2)
    both = [meso, massage]
    assert run_allowed_from(both, PROFILE, local(2016, 6, 15)) == local(2016, 6, 18)
    assert run_allowed_from(both, PROFILE, local(2016, 6, 18, 5)) is None
    assert run_allowed_from(both, PROFILE, local(2016, 6, 18, 12)) == local(2016, 6, 19, 10)


def test_restriction_names_the_treatment_whose_rule_lifts_last():
    meso = treat("mesotherapy", TUE)
    needling = treat("dry-needling", local(2016, 6, 15, 9), tid=2)
    verdict = status(local(2016, 6, 15, 12), treatments=[meso, needling])
    (restriction,) = verdict.restrictions
    assert restriction.treatment == meso
    assert restriction.until == local(2016, 6, 18)


# --- breaking a restriction -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("activity", "broken"),
    [
        (run(local(2016, 6, 16, 7)), ("mesotherapy", "cross")),
        (run(local(2016, 6, 17), known=False), ("mesotherapy", "cross")),
        (run(local(2016, 6, 18), known=False), None),
        (ActivityFact(1, "walk", local(2016, 6, 14, 12), True, 3, None, None), None),
        (
            ActivityFact(1, "cycle", local(2016, 6, 14, 12), True, 20, None, None),
            ("acupuncture", "walk"),
        ),
        (run(local(2016, 6, 14, 9)), None),
    ],
)
def test_breaking_window(activity, broken):
    treatments = [treat("mesotherapy", TUE), treat("acupuncture", local(2016, 6, 14, 11), tid=2)]
    found = breaking_window(activity, treatments, PROFILE)
    assert (None if found is None else (found.treatment.kind, found.level)) == broken


# --- courses --------------------------------------------------------------------------------


def mesos(*days, injury=None):
    return [
        treat("mesotherapy", local(2016, 5, day, 10), tid=i, injury=injury)
        for i, day in enumerate(days, start=1)
    ]


@pytest.mark.parametrize(
    ("days", "at", "due"),
    [
        ((2,), local(2016, 5, 3), [(date(2016, 5, 9), 2, 3)]),
        ((2, 9), local(2016, 5, 10), [(date(2016, 5, 16), 3, 3)]),
        ((2, 9, 16), local(2016, 5, 17), []),
        ((2, 9, 16, 23), local(2016, 5, 24), [(date(2016, 5, 30), 5, 6)]),
        ((2, 9, 16, 23, 24, 25), local(2016, 5, 26), []),
        ((2, 9), local(2016, 5, 25), []),  # lapsed: more than two intervals since
        ((2, 9), local(2016, 5, 5), [(date(2016, 5, 9), 2, 3)]),  # sessions after `at` ignored
    ],
)
def test_next_session(days, at, due):
    verdict = status(at, treatments=mesos(*days))
    assert [(s.due, s.session, s.of) for s in verdict.next_sessions] == due


def test_a_gap_over_twice_the_interval_starts_a_new_course():
    ts = mesos(2, 9, 25)
    assert [course_position(t, ts, PROFILE) for t in ts] == [(1, 3), (2, 3), (1, 3)]


def test_courses_are_per_injury_and_kind_and_end_with_the_injury():
    ts = mesos(2, injury=1) + [treat("mesotherapy", local(2016, 5, 4), tid=9, injury=2)]
    assert course_position(ts[1], ts, PROFILE) == (1, 3)
    injuries = [InjuryFact(1, "calf", None, date(2016, 5, 5)), InjuryFact(2, "knee", None, None)]
    verdict = status(local(2016, 5, 6), treatments=ts, injuries=injuries)
    assert [(s.injury_id, s.due) for s in verdict.next_sessions] == [(2, date(2016, 5, 11))]


def test_kinds_with_no_course_have_no_position_or_due_session():
    cortisone = treat("cortisone", TUE)
    assert course_position(cortisone, [cortisone], PROFILE) == (1, 1)
    assert course_position(treat("physio", TUE), [], PROFILE) is None
    assert (
        status(local(2016, 6, 20), treatments=[cortisone, treat("physio", TUE)]).next_sessions == ()
    )


# --- races ----------------------------------------------------------------------------------


def test_races_within_thirty_days_or_the_named_ones():
    near = RaceFact(1, "near", local(2016, 6, 20), False, 10)
    far = RaceFact(2, "far", local(2016, 8, 1), False, 42.195)
    past = RaceFact(3, "past", local(2016, 6, 1), False, 5)
    races = [near, far, past]
    assert [c.race.id for c in status(TUE, races=races).races] == [1]
    assert [c.race.id for c in status(TUE, races=races, race_ids={2, 3}).races] == [3, 2]


def test_a_race_in_an_easy_only_window_is_not_clear_for_race_effort():
    prolo = treat("prolotherapy", TUE)
    race = RaceFact(1, "parkrun", local(2016, 6, 25, 9), True, None)
    (check,) = status(TUE, treatments=[prolo], races=[race]).races
    assert (check.start, check.end) == (local(2016, 6, 25, 9), local(2016, 6, 25, 12))
    assert not check.cleared and check.level == "easy"
    assert check.blocked_until == local(2016, 6, 28)
    assert race_reason(check) == (
        "prolotherapy on Tue 14 Jun 2016 10:00 allows easy running only until "
        "Tue 28 Jun 2016 00:00: a race needs normal running")
    later = RaceFact(3, "parkrun", local(2016, 7, 2, 9), True, 5)
    (check,) = status(TUE, treatments=[prolo], races=[later]).races
    assert check.cleared and check.margin == timedelta(days=4, hours=9)
    blocked = RaceFact(2, "half", local(2016, 6, 20, 23), True, 21.0975)
    (check,) = status(TUE, treatments=[prolo], races=[blocked]).races
    assert not check.cleared and "until Tue 21 Jun 2016 00:00" in race_reason(check)


def test_race_ending_just_as_a_later_treatment_starts_is_clear():
    race = RaceFact(1, "10K", local(2016, 6, 14, 8), True, 10)
    (check,) = status(
        local(2016, 6, 13), treatments=[treat("mesotherapy", TUE)], races=[race]
    ).races
    assert check.cleared and check.margin is None


# --- advice ---------------------------------------------------------------------------------

NOW = local(2016, 6, 20, 9)


def advice_for(**history):
    return [(a.level, a.source, advice_message(a, KM)) for a in status(NOW, **history).advice]


def test_no_history_no_advice():
    assert advice_for() == []


@pytest.mark.parametrize(("score", "advised"), [(5, False), (6, True)])
def test_pain_during_the_last_run(score, advised):
    found = advice_for(activities=[run(local(2016, 6, 19, 8), pain=score)])
    assert bool(found) == advised
    if advised:
        level, source, message = found[0]
        assert (level, source) == ("caution", "S27-S29")
        assert "6/10" in message and "Sun 19 Jun 2016" in message


def test_during_pain_logged_on_its_own_counts_for_that_run():
    found = advice_for(
        activities=[run(local(2016, 6, 19, 8))],
        pain=[pain(6, local(2016, 6, 19, 8, 30), "during")],
    )
    assert [source for _, source, _ in found] == ["S27-S29"]


@pytest.mark.parametrize(("day", "advised"), [(18, True), (17, False)])
def test_red_pain_in_the_last_three_days(day, advised):
    found = advice_for(pain=[pain(8, local(2016, 6, day, 20), "rest")])
    assert [source for _, source, _ in found] == (["S32"] if advised else [])


def test_morning_pain_rising_after_yesterdays_run():
    found = advice_for(
        activities=[run(local(2016, 6, 19, 18))],
        pain=[
            pain(2, local(2016, 6, 19, 7), "morning", pid=1),
            pain(4, local(2016, 6, 20, 7), "morning", pid=2),
        ],
    )
    ((level, source, message),) = found
    assert (level, source) == ("caution", "S28/S30")
    assert "4/10, up from 2/10" in message and "after yesterday's run" in message


def test_morning_pain_compares_within_one_injury_and_only_when_recent():
    calf_then_knee = [
        pain(2, local(2016, 6, 19, 7), "morning", pid=1, injury=1),
        pain(4, local(2016, 6, 20, 7), "morning", pid=2, injury=2),
    ]
    assert advice_for(pain=calf_then_knee) == []
    old = [
        pain(2, local(2016, 6, 10, 7), "morning", pid=1),
        pain(4, local(2016, 6, 11, 7), "morning", pid=2),
    ]
    assert advice_for(pain=old) == []


@pytest.mark.parametrize(("km", "percent"), [(12.0, "20%"), (10.5, None), (25.0, "150%")])
def test_single_run_spike(km, percent):
    activities = [
        run(local(2016, 5, 25, 8), 10.0, aid=1),
        run(local(2016, 6, 5, 8), 8.0, aid=2),
        run(local(2016, 6, 19, 8), km, aid=3),
    ]
    found = advice_for(activities=activities)
    if percent is None:
        assert found == []
    else:
        ((_, source, message),) = found
        assert source == "S52" and percent in message and "Frandsen 2025" in message


def test_a_run_longer_than_anything_over_a_month_ago_is_no_spike():
    activities = [run(local(2016, 5, 1, 8), 10.0, aid=1), run(local(2016, 6, 19, 8), 20.0, aid=2)]
    assert advice_for(activities=activities) == []


def test_back_after_a_run_restriction():
    prolo = treat("prolotherapy", local(2016, 6, 6, 10))
    last_run = run(local(2016, 6, 5, 8))
    found = advice_for(treatments=[prolo], activities=[last_run])
    ((_, source, message),) = found
    assert source == "S42" and "7 days without running" in message and "half" in message


def test_a_short_restriction_needs_no_return_advice():
    meso = treat("mesotherapy", local(2016, 6, 14, 10))
    assert advice_for(treatments=[meso], activities=[run(local(2016, 6, 13, 8))]) == []


def test_pain_on_most_days_with_no_clinician_seen():
    daily = [pain(3, local(2016, 6, d, 8), "rest", pid=d) for d in range(9, 21)]
    ((level, source, message),) = advice_for(pain=daily)
    assert (level, source) == ("see-clinician", "clinic/S53-S60")
    assert "12 of the last 14 days" in message
    assert advice_for(pain=daily, treatments=[treat("physio", local(2016, 6, 10, 9))]) == []
    assert advice_for(pain=daily[-7:]) == []


def test_advice_ignores_what_comes_after_the_moment():
    later = [pain(9, NOW + timedelta(hours=1), "rest")]
    assert advice_for(pain=later, activities=[run(NOW + timedelta(hours=2), pain=9)]) == []


# --- properties -----------------------------------------------------------------------------

# Two seasons that each hold a daylight-saving change, so that rules straddle it.
SEASONS = [date(2016, 3, 20), date(2016, 10, 23)]
KINDS = [*PROTOCOLS, "reiki", "Dry Needling"]


def local_instant(day, minute, fold):
    wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=PARIS).replace(fold=fold)
    return wall.astimezone(UTC).astimezone(PARIS)


@st.composite
def treatment_lists(draw, max_size=5):
    season = draw(st.sampled_from(SEASONS))
    found = []
    for tid in range(1, draw(st.integers(0, max_size)) + 1):
        day = season + timedelta(days=draw(st.integers(0, 14)))
        known = draw(st.booleans())
        minute = draw(st.integers(0, 24 * 60 - 1)) if known else 0
        at = local_instant(day, minute, draw(st.integers(0, 1)))
        found.append(
            TreatmentFact(
                tid,
                draw(st.sampled_from(KINDS)),
                at,
                known,
                draw(st.sampled_from([None, 1])),
                draw(st.none() | st.integers(0, 20)),
                draw(st.none() | st.floats(0, 120, allow_nan=False)),
            )
        )
    return season, found


@st.composite
def moments(draw, season, treatments):
    """Instants at and around the edges of every window, where mistakes live, or anywhere."""
    edges = [edge for w in windows(treatments, PROFILE) for edge in (w.start, w.end)]
    if edges and draw(st.booleans()):
        nudge = draw(
            st.sampled_from([timedelta(0), timedelta(microseconds=1), timedelta(seconds=1)])
            | st.timedeltas(timedelta(hours=-3), timedelta(hours=3))
        )
        edge = utc(draw(st.sampled_from(edges)))
        return (edge + draw(st.sampled_from([1, -1])) * nudge).astimezone(PARIS)
    start = datetime.combine(season, time(), tzinfo=PARIS).astimezone(UTC)
    offset = draw(st.timedeltas(timedelta(days=-1), timedelta(days=40)))
    return (start + offset).astimezone(PARIS)


def utc(moment):
    # Aware datetimes sharing one zone compare and subtract by wall clock: compare in UTC.
    return moment.astimezone(UTC)


def rank(level):
    return LEVELS.index(level)


def running(treatments, at):
    return rank(level_at(treatments, PROFILE, at)) >= rank("run-easy")


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data(), drawn=treatment_lists())
def test_status_never_says_run_inside_a_run_restriction(data, drawn):
    season, treatments = drawn
    at = data.draw(moments(season, treatments))
    verdict = evaluate(History(tuple(treatments)), at, PROFILE)
    assert (verdict.run_allowed_from is None) == verdict.can_run
    for treatment in treatments:
        for window in windows([treatment], PROFILE):
            if utc(window.start) <= utc(at) < utc(window.end):
                assert rank(verdict.level) <= rank(window.level)
                if rank(window.level) < rank("run-easy"):
                    assert not verdict.can_run, (treatment, window, at)


@PROPERTY
@given(data=st.data(), drawn=treatment_lists())
def test_run_allowed_from_is_the_first_moment_every_rule_allows_running(data, drawn):
    season, treatments = drawn
    at = data.draw(moments(season, treatments))
    first = run_allowed_from(treatments, PROFILE, at)
    if first is None:
        assert running(treatments, at)
        return
    assert utc(first) > utc(at)
    assert running(treatments, first)
    assert not running(treatments, max(utc(at), utc(first) - timedelta(seconds=1)))
    # The level only changes at window edges: none of them between `at` and `first` allows it.
    edges = {edge for w in windows(treatments, PROFILE) for edge in (w.start, w.end)}
    for edge in edges:
        if utc(at) <= utc(edge) < utc(first):
            assert not running(treatments, edge), edge


@PROPERTY
@given(data=st.data(), drawn=treatment_lists(max_size=4), extra=treatment_lists(max_size=1))
def test_adding_a_treatment_never_allows_more(data, drawn, extra):
    season, treatments = drawn
    more = [*treatments, *(replace(t, id=99) for t in extra[1])]
    at = data.draw(moments(season, more))
    before = evaluate(History(tuple(treatments)), at, PROFILE)
    after = evaluate(History(tuple(more)), at, PROFILE)
    assert rank(after.level) <= rank(before.level)
    assert set(after.allowed_activities) <= set(before.allowed_activities)
    if after.can_run:
        assert before.can_run
    if before.run_allowed_from is not None:
        assert after.run_allowed_from is not None
        assert utc(after.run_allowed_from) >= utc(before.run_allowed_from)


def plain_reading(treatment):
    """Each rule of one treatment read straight from the protocol and the spec, as
    (start, end, highest level allowed) spans: an oracle independent of `windows()`."""
    day = treatment.at.date()

    def midnight(days):
        return datetime.combine(day + timedelta(days=days), time(), tzinfo=PARIS)

    begin = treatment.at if treatment.time_known else midnight(0)
    hours_from = treatment.at if treatment.time_known else midnight(1)

    def moment(offset):
        if offset.unit == "d":
            return midnight(int(offset.amount))
        return (hours_from.astimezone(UTC) + timedelta(hours=offset.amount)).astimezone(PARIS)

    rules = []
    if treatment.no_run_days is not None:
        rules.append((begin, midnight(treatment.no_run_days), "cross"))
    if treatment.rest_hours is not None:
        rules.append((begin, moment(Offset(treatment.rest_hours, "h")), "walk"))
    protocol = PROTOCOLS.get(treatment.kind.lower().replace(" ", "-"))
    if protocol is not None and treatment.no_run_days is None and treatment.rest_hours is None:
        for phase in protocol.phases[:-1]:
            rules.append(
                (max(utc(begin), utc(moment(phase.start))), moment(phase.end), phase.level)
            )
    return rules


@PROPERTY
@given(data=st.data(), drawn=treatment_lists())
def test_status_obeys_every_rule_as_the_spec_words_it(data, drawn):
    season, treatments = drawn
    at = data.draw(moments(season, treatments))
    verdict = evaluate(History(tuple(treatments)), at, PROFILE)
    for treatment in treatments:
        for start, end, level in plain_reading(treatment):
            if utc(start) <= utc(at) < utc(end):
                assert rank(verdict.level) <= rank(level), (treatment, start, end, level)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_broken_by_answers_as_breaking_window_does_one_by_one(data):
    season, treatments = data.draw(treatment_lists())
    activities = [
        ActivityFact(aid, data.draw(st.sampled_from(["run", "cycle", "walk"])),
                     data.draw(moments(season, treatments)), data.draw(st.booleans()), 5.0,
                     1800.0, None)
        for aid in range(1, data.draw(st.integers(1, 6)) + 1)]
    expected = {a.id: w for a in activities
                if (w := breaking_window(a, treatments, PROFILE)) is not None}
    assert broken_by(activities, treatments, PROFILE) == expected


def test_an_untimed_treatment_keeps_a_stricter_phase_that_follows_a_looser_one(tmp_path):
    """Never shorter than meant, per phase: treated at any time of the day, the no-running
    phase from 12 h to 36 h covers from noon that day to noon two days on."""
    path = tmp_path / "protocols.toml"
    path.write_text("""
[odd]
phases = [
  { from = "0h", until = "12h", level = "run-easy", source = "u" },
  { from = "12h", until = "36h", level = "cross", source = "u" },
  { from = "36h", level = "run" },
]
""", encoding="utf-8")
    profile = Profile(load_protocols(path), ADVICE, PARIS)
    odd = TreatmentFact(1, "odd", local(2016, 6, 14), False, None)
    for moment in (local(2016, 6, 14, 12), local(2016, 6, 15, 8), local(2016, 6, 16, 11, 59)):
        assert level_at([odd], profile, moment) == "cross", moment
    assert level_at([odd], profile, local(2016, 6, 14, 11)) == "run-easy"
    assert level_at([odd], profile, local(2016, 6, 16, 12)) == "run"


def test_see_clinician_names_the_last_visit_when_it_was_long_ago():
    old = treat("physio", local(2016, 5, 20, 9))
    scores = [pain(3, local(2016, 6, day, 8), "rest", pid=day) for day in range(2, 15)]
    verdict = status(local(2016, 6, 15, 10), treatments=[old], pain=scores)
    [advice] = [a for a in verdict.advice if a.rule == "see-clinician"]
    assert "and no clinician seen since Fri 20 May 2016:" in advice_message(advice, KM)
    never = status(local(2016, 6, 15, 10), pain=scores)
    [advice] = [a for a in never.advice if a.rule == "see-clinician"]
    assert "and no clinician visit recorded:" in advice_message(advice, KM)
