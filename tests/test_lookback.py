"""A question reads treatments as far back as any restriction can reach: the protocols in
force (the user's included) and the longest per-visit instruction decide, never a fixed
number. A fixed 400 days once let a 450-day restriction end at day 400."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from runrecover import athletes, clock, db, rules, store
from runrecover.models import Treatment
from runrecover.profile import Profile
from runrecover.protocols import load_advice, load_protocols
from runrecover.questions import status as status_question
from runrecover.records.session import SessionRecords

LONG_REST = """
[long-rest]
summary = "A very long time off running."
phases = [
  { from = "0h", until = "450d", level = "cross", source = "my surgeon" },
  { from = "450d", level = "run" },
]
"""


def write_protocols(text: str) -> Path:
    path = clock_config_dir() / "protocols.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def clock_config_dir() -> Path:
    from runrecover import settings

    return settings.config_dir()


def test_a_user_protocol_of_450_days_holds_running_back_until_its_end(cli):
    write_protocols(LONG_REST)
    assert cli("treat", "long-rest", "--on", "2016-01-04 09:00").exit_code == 0
    for day in ("2016-03-01", "2016-12-30", "2017-03-11", "2017-03-28"):
        run = cli("status", "--at", f"{day} 12:00", "--check", "--json")
        assert run.exit_code == 1, day
        assert run.json()["run_allowed_from"] == "2017-03-29T00:00:00+02:00"
    assert cli("status", "--at", "2017-03-29 08:00", "--check").exit_code == 0


def test_a_clinicians_instruction_longer_than_any_protocol_is_read_back_as_far(cli):
    # --no-run-days beyond every protocol: the look-back follows the longest given.
    assert cli("treat", "mesotherapy", "--on", "2016-01-04", "--no-run-days", "365"
               ).exit_code == 0
    assert cli("status", "--at", "2017-01-02 12:00", "--check").exit_code == 1
    assert cli("status", "--at", "2017-01-03 12:00", "--check").exit_code == 0


def test_a_run_late_in_a_long_restriction_is_flagged_by_log_and_timeline(cli, now):
    write_protocols(LONG_REST)
    cli("treat", "long-rest", "--on", "2016-01-04 09:00")
    now(datetime(2017, 3, 21, 9, 0, tzinfo=clock.local_zone()))
    logged = cli("log", "5k", "30:00", "--on", "2017-03-20 18:00", "--json")
    assert logged.json()["breaks_restriction"]["level"] == "cross"
    events = cli("timeline", "--since", "2017-03-19", "--until", "2017-03-21", "--json").json()
    [run] = [e for e in events if e["kind"] == "activity"]
    assert run["breaks_restriction"] is not None


PARIS = clock.local_zone  # resolved per example: the autouse fixture sets TZ=Europe/Paris


@st.composite
def user_protocols(draw):
    """A user protocol file of any shape: one to four phases of hours or days, any levels,
    ending in running."""
    count = draw(st.integers(1, 4))
    offsets, at = [], 0
    for _ in range(count):
        at += draw(st.integers(1, 2000))
        offsets.append(f"{at}{draw(st.sampled_from('hd'))}")
    # Offsets of mixed units must still grow: order them by nominal hours.
    offsets.sort(key=lambda o: int(o[:-1]) * (24 if o[-1] == "d" else 1))
    levels = [draw(st.sampled_from(["rest", "walk", "cross", "run-easy"])) for _ in offsets]
    starts = ["0h", *offsets[:-1]]
    phases = [f'{{ from = "{start}", until = "{end}", level = "{level}", source = "u" }}'
              for start, end, level in zip(starts, offsets, levels, strict=True)]
    phases.append(f'{{ from = "{offsets[-1]}", level = "run" }}')
    return "[generated]\nphases = [\n  " + ",\n  ".join(phases) + "\n]\n"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=user_protocols(), treated=st.datetimes(
    datetime(2015, 1, 1), datetime(2017, 1, 1)), time_known=st.booleans(),
    fraction=st.floats(0, 1, exclude_max=True), noise=st.integers(0, 3))
def test_no_user_protocol_loses_a_restriction_through_the_status_question(
        tmp_path: Path, text, treated, time_known, fraction, noise):
    zone = PARIS()
    path = tmp_path / "protocols.toml"
    path.write_text(text, encoding="utf-8")
    profile = Profile(load_protocols(path), load_advice(), zone)
    treated = treated.replace(tzinfo=zone)
    fact = rules.TreatmentFact(1, "generated", treated, time_known, None)
    run_windows = [w for w in rules.windows([fact], profile) if w.level in ("rest", "walk",
                                                                           "cross")]
    if not run_windows:
        return
    window = run_windows[-1]
    # Rounding to microseconds can land a fraction just under 1 on the end itself.
    inside = min(window.start + (window.end - window.start) * fraction,
                 window.end - timedelta(microseconds=1))
    database = tmp_path / "lookback.db"
    engine = db.open_database(database, write=True)
    try:
        with Session(engine) as s:
            store.scope(s, athletes.confirmed_in(s, None, write=True).id)
            s.add(Treatment(kind="generated", at=treated.astimezone(UTC), time_known=time_known))
            # Older treatments of other kinds, to be outnumbered by: they change nothing.
            for n in range(noise):
                s.add(Treatment(kind="physio", at=(treated - timedelta(days=30 * (n + 1)))
                                .astimezone(UTC), time_known=True))
            s.flush()
            answer = status_question.ask(SessionRecords(s), profile,
                                         asked=clock.Moment(inside, True), now=inside)
            s.rollback()
    finally:
        engine.dispose()
    assert not answer.verdict.can_run, (text, treated, inside)
