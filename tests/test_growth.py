"""`status`, `log` and the ladder read a slice of the record bounded by what the rules can
use, not every entry ever (issue 15: cost grows with what is shown, not with the years of
history): the injuries open on the day asked or named by the treatments read, and the
ladder's entries from its last fresh start before the moment asked. Whatever is left out
must change no answer: an injury open for years, a course of an injury resolved since, a
ladder started long ago and still held are all still found."""

import importlib.util
import json
import re
import shutil
import sqlite3
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session
from typer.testing import CliRunner

from conftest import PARIS, POSTGRES
from runrecover import athletes, clock, db, store
from runrecover.cli.app import app
from runrecover.profile import Profile
from runrecover.protocols import load_advice, load_protocols
from runrecover.questions import ladder as ladder_question
from runrecover.questions import status as status_question
from runrecover.records.session import SessionRecords
from runrecover.records.sqlite import SqliteRecords

# -- through the CLI ----------------------------------------------------------------------


def injuries_shown(cli, *args: str) -> list[str]:
    """The names in status's Injuries section."""
    lines = cli("status", *args).stdout.splitlines()
    first = lines.index("Injuries (pain, last 14 days)") + 1 if any(
        line.startswith("Injuries") for line in lines) else len(lines)
    shown = []
    for line in lines[first:]:
        if not line.strip():
            break
        if not line.startswith(" "):
            shown.append(line.split("  ")[0])
    return shown


def test_an_injury_open_for_years_is_still_shown_among_many_resolved(cli, now):
    now(datetime(2016, 6, 15, 10, 0, tzinfo=PARIS))
    assert cli("injury", "add", "old knee", "--since", "2010-03-01").exit_code == 0
    for year in range(2011, 2016):
        assert cli("injury", "add", f"calf {year}", "--since", f"{year}-04-01").exit_code == 0
        assert cli("injury", "resolve", f"calf {year}", "--on", f"{year}-05-01"
                   ).exit_code == 0
    assert cli("pain", "3", "--injury", "old knee", "--on", "2016-06-14 08:00").exit_code == 0
    assert injuries_shown(cli) == ["old knee"]
    assert "pain 3/10" in cli("status").stdout
    # A day asked for in the past shows what was open then, resolved since or not.
    assert injuries_shown(cli, "--at", "2013-04-20 12:00") == ["old knee", "calf 2013"]


def test_a_course_of_an_injury_resolved_before_the_day_asked_is_not_due(cli, now):
    # The injury is resolved two days before the day asked: no session of its course is
    # due, though its last session is recent enough for the course to run on.
    now(datetime(2016, 6, 15, 10, 0, tzinfo=PARIS))
    assert cli("injury", "add", "heel", "--since", "2016-04-01").exit_code == 0
    for day in ("2016-06-01", "2016-06-08"):
        assert cli("treat", "shockwave", "--injury", "heel", "--on", f"{day} 09:00"
                   ).exit_code == 0
    assert cli("status", "--at", "2016-06-12 12:00", "--json").json()["next_sessions"]
    assert cli("injury", "resolve", "heel", "--on", "2016-06-13").exit_code == 0
    assert cli("status", "--json").json()["next_sessions"] == []
    assert cli("status", "--at", "2016-06-12 12:00", "--json").json()["next_sessions"]


def test_a_ladder_started_years_ago_after_others_still_holds(cli, now):
    now(datetime(2016, 6, 15, 10, 0, tzinfo=PARIS))
    # Earlier ladders, left; then one started two years ago, paused, resumed, still held.
    for year in (2011, 2012, 2013):
        assert cli("ladder", "start", "--on", f"{year}-03-01 09:00", "--rung", "2"
                   ).exit_code == 0
        assert cli("ladder", "leave", "--on", f"{year}-04-01 09:00").exit_code == 0
    assert cli("ladder", "start", "--on", "2014-06-01 09:00", "--rung", "3").exit_code == 0
    assert cli("ladder", "pause", "--on", "2014-06-05 09:00").exit_code == 0
    assert cli("ladder", "start", "--on", "2014-06-10 09:00").exit_code == 0  # resumes
    position = cli("ladder", "--json").json()["position"]
    assert (position["rung"], position["state"]) == (3, "active")
    assert cli("status", "--json").json()["run_level"] == "easy"
    logged = cli("log", "3k", "20:00", "--json").json()
    assert (logged["ladder"]["rung"], logged["ladder"]["ladder"]) == (3, position["ladder"])
    # Asked about a day when an earlier ladder held, the answer is that ladder's.
    then = cli("status", "--at", "2012-03-10 12:00", "--json").json()
    assert then["plan"]["rung"] == 2 and then["run_level"] == "easy"
    assert cli("status", "--at", "2012-05-10 12:00", "--json").json()["run_level"] == "normal"


def test_a_race_begun_before_the_moment_asked_sees_the_ladder_that_held_at_its_start(
        cli, now):
    # A 100 km race since last evening (16 h 40 at 10 min/km): at its start the ladder
    # started last week held it, though a new one started after the gun was left since.
    now(datetime(2016, 6, 15, 10, 0, tzinfo=PARIS))
    assert cli("ladder", "start", "--on", "2016-06-08 09:00", "--rung", "2").exit_code == 0
    assert cli("ladder", "start", "--on", "2016-06-14 19:30", "--rung", "4").exit_code == 0
    assert cli("ladder", "leave", "--on", "2016-06-14 19:45").exit_code == 0
    assert cli("race", "add", "Ultra", "2016-06-14 19:00", "--distance", "100k"
               ).exit_code == 0
    answer = cli("status", "--json").json()
    assert answer["run_level"] == "normal"
    [race] = answer["races"]
    assert race["cleared"] is False
    assert "8 Jun" in race["reason"], race


# -- every answer as from the whole record ------------------------------------------------

PROFILE = Profile(load_protocols(), load_advice(), PARIS)
LADDERS = sorted(PROFILE.ladders)
KINDS = ["physio", "shockwave", "cortisone", "massage", "mesotherapy"]
START = datetime(2014, 1, 1, tzinfo=PARIS)
SPAN_HOURS = 3 * 365 * 24


class Unbounded:
    """The reads as they were: every injury, every ladder entry (the oracle)."""

    def injuries_open(self, *, since_day, ids=()):
        return self.all_rows("injury")

    def last_ladder_start(self, *, until):
        return None


class UnboundedSqlite(Unbounded, SqliteRecords):
    pass


class UnboundedSession(Unbounded, SessionRecords):
    pass


@st.composite
def moments(draw, *, day_only: bool = True):
    at = START + timedelta(minutes=draw(st.integers(0, SPAN_HOURS * 60)))
    at = at.astimezone(UTC).astimezone(PARIS)
    known = not day_only or draw(st.booleans())
    if not known:
        at = datetime.combine(at.date(), time(), tzinfo=PARIS)
    return at, known


@st.composite
def records(draw):
    """(kind, data) entries of a few years: injuries opened and resolved, treatments (some
    setting a ladder), ladder moves, runs, pain and races."""
    entries = []
    injuries = draw(st.integers(0, 4))
    for n in range(injuries):
        onset, _ = draw(moments())
        resolved = draw(st.one_of(st.none(), st.integers(0, 400)))
        entries.append(("injury", {
            "name": f"injury {n}", "onset_on": onset.date(),
            "resolved_on": None if resolved is None else onset.date() + timedelta(resolved)}))
    for _ in range(draw(st.integers(0, 8))):
        at, known = draw(moments())
        ladder = draw(st.one_of(st.none(), st.sampled_from(LADDERS)))
        entries.append(("treatment", {
            "kind": draw(st.sampled_from(KINDS)), "at": at, "time_known": known,
            "injury_id": draw(st.one_of(st.none(), st.integers(1, injuries)))
            if injuries else None,
            "ladder": ladder, "rung": draw(st.one_of(st.none(), st.integers(1, 4)))
            if ladder else None}))
    for _ in range(draw(st.integers(0, 10))):
        at, known = draw(moments())
        action = draw(st.sampled_from(["start", "start", "pause", "reset", "leave"]))
        entries.append(("ladder_event", {
            "action": action, "at": at, "time_known": known,
            "ladder": draw(st.sampled_from(LADDERS)) if action == "start" else None,
            "rung": draw(st.one_of(st.none(), st.integers(1, 5)))
            if action in ("start", "reset") else None}))
    for _ in range(draw(st.integers(0, 12))):
        at, known = draw(moments())
        entries.append(("activity", {
            "kind": "run", "at": at, "time_known": known,
            "distance_km": float(draw(st.integers(1, 15))),
            "duration_s": float(draw(st.integers(5, 90)) * 60),
            "rung": draw(st.one_of(st.none(), st.integers(1, 5)))}))
    for _ in range(draw(st.integers(0, 8))):
        at, known = draw(moments())
        entries.append(("pain", {
            "score": draw(st.integers(0, 10)), "at": at, "time_known": known,
            "context": draw(st.sampled_from([None, "morning", "during", "night"])),
            "injury_id": None}))
    for n in range(draw(st.integers(0, 3))):
        at, known = draw(moments())
        entries.append(("race", {"name": f"race {n}", "at": at, "time_known": known,
                                 "distance_km": 10.0}))
    return entries


def _filled(records_, entries) -> None:
    for kind, data in entries:
        try:
            records_.add_entry(kind=kind, data=data)
        except Exception as exc:  # an entry the record refuses (outside its injury): skip
            if type(exc).__name__ != "InputError":
                raise


def _answers(records_, asked, race):
    at, known = asked
    named = None if race is None else f"race {race}"
    try:
        status = status_question.ask(records_, PROFILE, asked=clock.Moment(at, known),
                                     now=at, race=named)
    except Exception as exc:  # no such race among those kept
        if type(exc).__name__ != "InputError":
            raise
        status = "no race"
    ended = [ladder_question.visit_ladder_end(records_, PROFILE, treatment_id=n, at=at)
             for n in range(1, 9)]
    return status, ladder_question.state_at(records_, PROFILE, at=at), ended


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entries=records(), asked=st.lists(moments(), min_size=1, max_size=3),
       race=st.one_of(st.none(), st.integers(0, 2)))
def test_the_bounded_reads_answer_as_the_whole_record(now, entries, asked, race):
    now(START + timedelta(hours=SPAN_HOURS + 24))  # every entry is in the past
    with SqliteRecords.opened(None, write=True, athlete=None) as fast:
        _filled(fast, entries)
        whole = UnboundedSqlite(fast.connection, athlete_id=fast.athlete_id)
        engine = db.open_empty()
        try:
            with Session(engine) as session:
                store.scope(session, athletes.confirmed_in(session, None, write=True).id)
                _filled(SessionRecords(session), entries)
                session.flush()
                for moment in asked:
                    expected = _answers(whole, moment, race)
                    assert _answers(fast, moment, race) == expected
                    assert _answers(SessionRecords(session), moment, race) == expected
                    assert _answers(UnboundedSession(session), moment, race) == expected
                session.rollback()
        finally:
            engine.dispose()


# -- what a command asks of SQLite ---------------------------------------------------------
# The bench times whole processes, whose run-to-run noise on a shared machine is larger than
# a ten-year history's cost: this fence counts SQLite's work instead, which does not vary.

# What may cost more on ten years than on the last year, by design: the injuries are read
# whole (a few a year, unindexed), and so are the treatments for three questions (the longest
# instruction on record, which sets how far back a window can reach; the ladder's treatments;
# its last rung); and a command that writes first has SQLite check every page of the file
# (`db.check_sound`: a damaged file is refused, never written to). Every other statement,
# a treatment window among them, must ask the same work. (Bench's history holds no ladder
# entries: the ladder's own reads are not fenced here.)
GROWS_WITH_THE_YEARS = {"injury", "treatment, whole", "quick_check"}
WHOLE_TREATMENTS = ("max(no_run_days)", "ladder IS NOT NULL OR rung IS NOT NULL",
                    "rung IS NOT NULL AND at <=")
EVERYDAY = {"status": ("status",), "status --check": ("status", "--check"),
            "log": ("log", "5k", "25:00"), "pain": ("pain", "2"),
            "timeline 8 weeks": ("timeline", "--since", "8 weeks ago")}
SHORT_DAYS = 400  # more than any everyday command looks back (a treatment window: ~9 months)
HISTORY_END = datetime(2016, 6, 15, 8, 0, tzinfo=PARIS)


def bench_history() -> type:
    """bench/generate.py's `History`: the ten years every speed budget is measured on."""
    path = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.History


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bench's ten-year history and its last SHORT_DAYS days, each imported into a file."""
    if POSTGRES:  # before `isolated` skips the tests that use these files: not worth building
        pytest.skip("SQLite only: counts the SQLite file's own work")
    folder = tmp_path_factory.mktemp("histories")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/Paris")
        patch.setenv("RUNRECOVER_DATA_DIR", str(folder / "data"))
        patch.setenv("RUNRECOVER_CONFIG_DIR", str(folder / "config"))
        history = bench_history()(HISTORY_END, 2016)
        files = {}
        for name, since in (("ten years", None),
                            ("short", HISTORY_END - timedelta(days=SHORT_DAYS))):
            export = folder / f"{len(files)}.json"
            export.write_text(json.dumps(history.document(since)))
            files[name] = folder / f"{len(files)}.db"
            result = CliRunner().invoke(app, ["--db", str(files[name]), "import", str(export)])
            assert result.exit_code == 0, result.stderr
    return files


def sqlite_work(monkeypatch: pytest.MonkeyPatch, database: Path, args: tuple[str, ...]
                ) -> Counter[str]:
    """SQLite's virtual-machine steps (in tens) for `runrecover ARGS` on `database`, by each
    statement's `_subject`."""
    work: Counter[str] = Counter()
    current = [""]
    connect = sqlite3.connect

    def counted(*args_: object, **kwargs: object) -> sqlite3.Connection:
        connection = connect(*args_, **kwargs)
        connection.set_trace_callback(lambda sql: current.__setitem__(0, _subject(sql)))
        connection.set_progress_handler(lambda: work.update((current[0],)), 10)
        return connection

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", counted)
        result = CliRunner().invoke(app, ["--db", str(database), *args],
                                    catch_exceptions=False)
    assert result.exit_code == (1 if "--check" in args else 0), result.stderr
    return work


def _subject(sql: str) -> str:
    """A PRAGMA's name, "treatment, whole" for WHOLE_TREATMENTS, else the first table named."""
    pragma = re.match(r"\s*PRAGMA\s+(\w+)", sql)
    table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", sql)
    if pragma:
        return pragma.group(1)
    if table and table.group(1) == "treatment" and any(w in sql for w in WHOLE_TREATMENTS):
        return "treatment, whole"
    return table.group(1) if table else sql.split()[0]


@pytest.mark.sqlite_only("counts the SQLite file's own work")
@pytest.mark.parametrize("command", EVERYDAY)
def test_everyday_commands_read_the_window_asked_not_the_years_behind_it(
        command, histories, now, monkeypatch, tmp_path):
    """SPEC: cost grows with what is shown, not with the size of the history. Every everyday
    command asks SQLite the same work of the activity and pain tables, and of every other
    but GROWS_WITH_THE_YEARS, whether nine years lie behind its last one or none do."""
    now(HISTORY_END)
    work = {}
    for name, database in histories.items():
        copy = tmp_path / f"{name}.db"  # log and pain write
        shutil.copyfile(database, copy)
        work[name] = sqlite_work(monkeypatch, copy, EVERYDAY[command])
    assert all(work.values()), "no statement was counted"
    for subject in (work["ten years"].keys() | work["short"].keys()) - GROWS_WITH_THE_YEARS:
        assert work["ten years"][subject] == work["short"][subject], (subject, work)
