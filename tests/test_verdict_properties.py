"""Hypothesis attacks the verdict with pain, hard runs and races (SPEC, "Safety invariant"):
status never says running is allowed inside a red pain gate or a no-running window, never
normal running inside an amber gate or an easy-only window, and a race is never cleared for
race effort while anything holds normal running back in it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrecover import clock
from runrecover.profile import Profile
from runrecover.protocols import load_advice, load_protocols
from runrecover.rules import (
    ActivityFact,
    History,
    PainFact,
    RaceFact,
    TreatmentFact,
    breaking_window,
    evaluate,
    level_at,
)

PARIS = ZoneInfo("Europe/Paris")
PROFILE = Profile(load_protocols(), load_advice(), PARIS)
GATES = PROFILE.advice.pain_gates
AT = datetime(2016, 6, 15, 10, tzinfo=PARIS)
KINDS = ["mesotherapy", "prolotherapy", "cortisone", "prp", "shockwave", "massage", "physio"]
CONTEXTS = [None, "morning", "rest", "during", "after", "night"]
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def moment(draw, hours_back: int) -> datetime:
    minutes = draw(st.integers(0, hours_back * 60))
    return (AT.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(PARIS)


@st.composite
def histories(draw):
    treatments = tuple(
        TreatmentFact(i, draw(st.sampled_from(KINDS)), moment(draw, 24 * 30),
                      draw(st.booleans()), None)
        for i in range(1, draw(st.integers(0, 3)) + 1))
    pain = tuple(
        PainFact(i, draw(st.integers(0, 10)), moment(draw, 72), True,
                 draw(st.sampled_from(CONTEXTS)), draw(st.sampled_from([None, 1, 2])))
        for i in range(1, draw(st.integers(0, 6)) + 1))
    runs = tuple(  # a walk's or a ride's pain is a pain score too
        ActivityFact(i, draw(st.sampled_from(["run", "run", "walk", "cycle"])), moment(draw, 72),
                     True, 5.0, 1800.0,
                     draw(st.one_of(st.none(), st.integers(0, 10))),
                     draw(st.sampled_from([None, "easy", "tempo", "long"])),
                     draw(st.one_of(st.none(), st.integers(1, 10))))
        for i in range(1, draw(st.integers(0, 3)) + 1))
    return History(treatments=treatments, pain=pain, activities=runs)


def scores(history: History) -> list[tuple[int, datetime, str | None, int | None]]:
    """Every score: pain entries, and an activity's pain during it (which belongs to no
    injury; only a run's counts as "during" one)."""
    return [(p.score, p.at, p.context, p.injury_id) for p in history.pain] + [
        (a.pain, a.at, "during" if a.kind == "run" else None, None)
        for a in history.activities if a.pain is not None]


def later_scores(history: History, reading, same_context: bool):
    _, at, context, injury = reading
    return [o for o in scores(history) if clock.utc(o[1]) > clock.utc(at) and o[3] == injury
            and (not same_context or o[2] == context)]


@SETTINGS
@given(history=histories())
def test_no_run_inside_a_red_gate_or_a_no_running_window(history):
    verdict = evaluate(history, AT, PROFILE)
    day_ago = AT - timedelta(hours=GATES.hold_hours)
    for reading in scores(history):
        score, at, context, _ = reading
        if not day_ago < at <= AT:
            continue
        if score >= GATES.red_score and all(
                o[0] >= GATES.red_score for o in later_scores(history, reading, False)):
            assert not verdict.can_run, reading
        if context == "night" and score >= GATES.night_score and all(
                o[0] >= GATES.night_score for o in later_scores(history, reading, True)):
            assert not verdict.can_run, reading
    if verdict.can_run:
        assert level_at(history.treatments, PROFILE, AT) in ("run-easy", "run")


@SETTINGS
@given(history=histories())
def test_no_normal_running_inside_an_amber_gate_or_an_easy_only_window(history):
    verdict = evaluate(history, AT, PROFILE)
    if verdict.run_level == "normal":
        assert level_at(history.treatments, PROFILE, AT) == "run"
        assert verdict.gates == ()
        day_ago = AT - timedelta(hours=GATES.hold_hours)
        mornings = [r for r in scores(history) if r[2] == "morning" and day_ago < r[1] <= AT
                    and not later_scores(history, r, True)]
        assert all(not GATES.morning_score <= r[0] < GATES.red_score for r in mornings)


@SETTINGS
@given(history=histories())
def test_running_is_allowed_when_status_says_it_will_be(history):
    """run_allowed_from and normal_run_from are promises: nothing known now holds running
    back at that moment."""
    verdict = evaluate(history, AT, PROFILE)
    if verdict.run_allowed_from is not None:
        assert verdict.run_allowed_from > AT
        assert evaluate(history, verdict.run_allowed_from, PROFILE).can_run
    if verdict.normal_run_from is not None:
        assert evaluate(history, verdict.normal_run_from, PROFILE).run_level == "normal"


@SETTINGS
@given(history=histories(), start_in=st.integers(0, 24 * 40), hours=st.integers(1, 6),
       known=st.booleans())
def test_a_cleared_race_has_normal_running_from_its_start_to_its_end(history, start_in, hours,
                                                                     known):
    start = AT + timedelta(hours=start_in)
    race = RaceFact(1, "race", start, known, hours * 6.0)
    verdict = evaluate(History(history.treatments, history.pain, history.activities, (race,)),
                       AT, PROFILE, race_ids={1})
    (check,) = verdict.races
    if check.cleared:
        assert check.gate is None
        step = (check.end - check.start) / 12
        for n in range(12):
            assert level_at(history.treatments, PROFILE, check.start + step * n) == "run"
    else:
        assert check.blocked_until is not None and check.blocked_until > check.start or \
            check.gate is not None


@SETTINGS
@given(history=histories(), run_type=st.sampled_from(["long", "tempo", "intervals", "hills",
                                                       "race"]),
       minutes=st.integers(0, 30 * 24 * 60))
def test_a_hard_run_in_an_easy_only_window_always_breaks_it(history, run_type, minutes):
    when = (AT.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(PARIS)
    hard = ActivityFact(99, "run", when, True, 10.0, 3000.0, None, run_type, None)
    if level_at(history.treatments, PROFILE, when) != "run":
        assert breaking_window(hard, history.treatments, PROFILE) is not None


@st.composite
def user_profiles(draw):
    """A profile whose protocols hold a user kind of any shape: one to four phases of hours
    or days, any levels, ending in running (as protocols.toml allows)."""
    import tempfile
    from pathlib import Path

    offsets, at = [], 0
    for _ in range(draw(st.integers(1, 4))):
        at += draw(st.integers(1, 400))
        offsets.append(f"{at}{draw(st.sampled_from('hd'))}")
    offsets.sort(key=lambda o: int(o[:-1]) * (24 if o[-1] == "d" else 1))
    levels = [draw(st.sampled_from(["rest", "walk", "cross", "run-easy"])) for _ in offsets]
    phases = [f'{{ from = "{start}", until = "{end}", level = "{level}", source = "u" }}'
              for start, end, level in zip(["0h", *offsets[:-1]], offsets, levels, strict=True)]
    phases.append(f'{{ from = "{offsets[-1]}", level = "run" }}')
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "protocols.toml"
        path.write_text("[generated]\nphases = [\n  " + ",\n  ".join(phases) + "\n]\n",
                        encoding="utf-8")
        return Profile(load_protocols(path), load_advice(), PARIS)


@SETTINGS
@given(profile=user_profiles(), history=histories(), treated_hours=st.integers(0, 24 * 60),
       known=st.booleans(), probe_hours=st.integers(0, 24 * 60))
def test_user_protocols_of_any_shape_never_clear_a_run_they_forbid(profile, history,
                                                                   treated_hours, known,
                                                                   probe_hours):
    treated = (AT.astimezone(UTC) - timedelta(hours=treated_hours)).astimezone(PARIS)
    mine = TreatmentFact(50, "generated", treated, known, None)
    history = History((*history.treatments, mine), history.pain, history.activities)
    at = (treated.astimezone(UTC) + timedelta(hours=probe_hours)).astimezone(PARIS)
    verdict = evaluate(history, at, profile)
    level = level_at(history.treatments, profile, at)
    if level in ("rest", "walk", "cross"):
        assert not verdict.can_run
    if level != "run":
        assert verdict.run_level != "normal"
