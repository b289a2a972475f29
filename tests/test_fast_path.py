"""The everyday commands read and write the local file through sqlite3 (`records/sqlite.py`)
instead of SQLAlchemy: the same answers, byte for byte, on the same schema.

- the columns the fast path reads and writes (`rows.COLUMNS`) exist, in order, with the same
  type and nullability in the SQLModel metadata; its bounds (`rows.LIMITS`) are the models';
- the same commands, run both ways on copies of one history, print the same and leave the
  same record (and the same undo journal);
- those commands import neither SQLAlchemy, SQLModel nor pydantic.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from enum import StrEnum

import annotated_types
import pytest
from sqlalchemy import Boolean, Date, Enum, Float, Integer, String
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from runrecover import rows, store
from runrecover.cli import context
from runrecover.errors import InputError
from runrecover.models import ENTRY_KINDS, JournalEntry

# The sqlite3 fast path against SQLAlchemy, both on local files: a PostgreSQL database always
# goes through SQLAlchemy, and the rest of the suite checks its answers there.
pytestmark = pytest.mark.sqlite_only("the sqlite3 fast path, which only local files take")

SQL_TYPES = {int: Integer, str: (String, AutoString), float: Float, bool: Boolean, date: Date,
             datetime: UTCDateTime}


@pytest.mark.parametrize("table", list(rows.COLUMNS))
def test_columns_are_the_models(table):
    model, create = ENTRY_KINDS[table]
    columns = model.__table__.columns
    assert [name for name, _, _ in rows.COLUMNS[table]] == list(model.model_fields)
    assert [name for name, _, _ in rows.COLUMNS[table]] == [c.name for c in columns]
    for name, kind, empty in rows.COLUMNS[table]:
        column = columns[name]
        assert column.nullable == empty, name
        if issubclass(kind, StrEnum):
            assert isinstance(column.type, Enum) and column.type.enum_class is kind, name
            # SQLAlchemy stores an enum member's name; the fast path reads it back by value.
            assert all(member.name == member.value for member in kind), name
        else:
            assert isinstance(column.type, SQL_TYPES[kind]), name
        if empty and name in create.model_fields:
            assert create.model_fields[name].default is None, name


def test_the_journal_is_the_models():
    columns = JournalEntry.__table__.columns
    assert isinstance(columns["at"].type, UTCDateTime)
    assert isinstance(columns["command"].type, AutoString)
    assert isinstance(columns["changes"].type, AutoString)


BOUNDS = {annotated_types.Gt: "gt", annotated_types.Ge: "ge", annotated_types.Lt: "lt",
          annotated_types.Le: "le", annotated_types.MaxLen: "max_length",
          annotated_types.MinLen: "min_length"}


@pytest.mark.parametrize("table", rows.FAST_WRITES)
def test_limits_are_the_models(table):
    _, create = ENTRY_KINDS[table]
    # A validator of the model's own would be skipped by the fast check.
    assert not create.__pydantic_decorators__.field_validators
    for name, field in create.model_fields.items():
        found = {BOUNDS[type(m)]: getattr(m, BOUNDS[type(m)]) for m in field.metadata
                 if type(m) in BOUNDS}
        assert rows.LIMITS.get((table, name), {}) == found, name


NOON = datetime(2016, 6, 14, 10, tzinfo=UTC)


@pytest.mark.parametrize(("table", "data"), [
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "distance_km": 8.0}),
    ("activity", {"kind": "cycle", "at": NOON, "time_known": False, "distance_km": 30,
                  "duration_s": 3600, "run_type": "easy", "pain_during": 0, "rpe": 10,
                  "note": "line\nbreak"}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "distance_km": 1000.0}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "distance_km": 1000.5}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "distance_km": 0.0}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "rpe": 0}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "pain_during": 11}),
    ("activity", {"kind": "skate", "at": NOON, "time_known": True}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "run_type": "jog"}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "note": "x" * 10_001}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "rpe": "7"}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "note": "caf\udce9"}),
    ("activity", {"kind": "run", "time_known": True}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "colour": "red"}),
    ("pain", {"score": 0, "at": NOON, "time_known": True, "context": "morning"}),
    ("pain", {"score": 10, "at": NOON, "time_known": False, "injury_id": 3}),
    ("pain", {"score": 11, "at": NOON, "time_known": True}),
    ("pain", {"score": -1, "at": NOON, "time_known": True}),
    ("pain", {"score": 3, "at": NOON, "time_known": True, "context": "lunch"}),
    ("pain", {"score": 3.0, "at": NOON, "time_known": True}),
])
def test_the_fast_check_accepts_only_what_the_model_accepts_alike(table, data):
    """What `rows.checked` passes, the model passes unchanged; what it does not, the model
    coerces or refuses (in its own words: the fast path asks it)."""
    fast = rows.checked(table, data)
    try:
        model = store.validated(ENTRY_KINDS[table][1], data)
    except InputError:
        assert fast is None
        return
    if fast is not None:
        assert fast == model
        assert [type(v) for v in fast.values()] == [type(v) for v in model.values()]


UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

READS = [
    ["status"], ["status", "--json"], ["status", "--check"], ["status", "--at", "sat 9:00"],
    ["status", "--at", "sat"], ["status", "--at", "yesterday 8:00", "--json"],
    ["status", "--race", "15K"], ["status", "--race", "15k", "--check", "--json"],
    ["status", "--race", "9"], ["status", "--race", "nothing like it"],
    ["timeline"], ["timeline", "--json"], ["timeline", "--chart", "--ids"],
    ["timeline", "--injury", "calf"], ["timeline", "--injury", "%"],
    ["timeline", "--since", "2016-01-01", "--until", "2016-07-01", "--json"],
]
WRITES = [
    ["log", "5k", "25:00"], ["log", "10k", "--on", "yesterday", "--type", "tempo", "--rpe", "8",
                             "--json"],
    ["log", "3k", "--activity", "walk", "--on", "2 days ago", "--note", "« slow » 🙂"],
    ["log", "5k", "--pain", "42"], ["log", "5k", "--rpe", "0"], ["log", "2000k"],
    ["log", "5k", "--note", "bad\x1bnote"], ["log", "8k", "--on", "tomorrow"],
    ["pain", "5"], ["pain", "4", "--injury", "calf", "--context", "morning", "--json"],
    ["pain", "2", "--injury", "hip", "--on", "yesterday"], ["pain", "42", "--injury", "hip"],
    ["pain", "3", "--injury", "knee"], ["pain", "3", "--injury", "1"],
    ["pain", "3", "--injury", "calf", "--on", "30 days ago"],
    ["log", "3k", "40:00", "--activity", "walk", "--pain", "9", "--on", "today 07:00"],
    ["log", "3k", "20:00", "--rung", "99"], ["log", "3k", "20:00", "--rung", "2"],
    ["treat", "massage", "--injury", "calf", "--json"], ["treat", "physio", "--injury", "h"],
    ["undo", "--yes"], ["undo", "--yes"],
    ["injury", "resolve", "hip", "--on", "today"], ["pain", "1", "--context", "night"],
    ["list", "runs", "--json"], ["list", "pain", "--json"], ["list", "treatments", "--json"],
    ["export"],
]


def run_all(cli, db, commands):
    found = []
    for args in commands:
        result = cli("--db", str(db), *args)
        found.append((args, result.exit_code, UID.sub("<uid>", result.stdout), result.stderr))
    return found


def test_both_ways_answer_and_write_alike(cli, tmp_path, monkeypatch):
    base = tmp_path / "base.db"
    assert cli("demo", "--keep", str(base)).exit_code == 0
    answers = {}
    for through_sqlite3 in (True, False):
        monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", through_sqlite3)
        db = tmp_path / f"{through_sqlite3}.db"
        shutil.copyfile(base, db)
        answers[through_sqlite3] = run_all(cli, db, READS + WRITES)
    fast, sqlalchemy = answers[True], answers[False]
    for one, other in zip(fast, sqlalchemy, strict=True):
        assert one == other
    # Not vacuous: every kind of answer is there.
    codes = {tuple(args): code for args, code, _, _ in fast}
    assert codes[("status", "--check")] == 1 and codes[("log", "5k", "25:00")] == 0
    assert codes[("log", "5k", "--pain", "42")] == 2 and codes[("pain", "42", "--injury",
                                                                "hip")] == 2
    before_onset = ("pain", "3", "--injury", "calf", "--on", "30 days ago")
    assert codes[before_onset] == 2
    assert "'runrecover edit injury " in {tuple(args): err for args, _, _, err in fast}[
        before_onset]
    shown = {tuple(args): out for args, _, out, _ in fast}
    assert "(activity " in shown[("timeline", "--chart", "--ids")]
    exported = json.loads(fast[-1][2])
    assert any(a["note"] == "« slow » 🙂" for a in exported["activities"])


def test_nothing_recorded_and_no_such_file_alike(cli, tmp_path, monkeypatch):
    for through_sqlite3 in (True, False):
        monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", through_sqlite3)
        welcome = cli("status")
        assert welcome.exit_code == 0 and "runrecover" in welcome.stdout
        missing = cli("--db", str(tmp_path / "typo.db"), "status")
        assert missing.exit_code == 3 and not (tmp_path / "typo.db").exists()


PROBE = """
import contextlib, io, json, sys
from runrecover.cli import app
with contextlib.redirect_stdout(io.StringIO()):
    try:
        app(args=sys.argv[1:], prog_name="runrecover")
    except SystemExit as exc:
        assert exc.code in (0, 1, None), exc.code
heavy = {"sqlalchemy", "sqlmodel", "pydantic"}
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


@pytest.mark.parametrize("args", [
    ["status"], ["status", "--check"], ["timeline"], ["log", "5k", "25:00"],
    ["pain", "3", "--injury", "hip"],
    ["pain", "2", "--injury", "calf"], ["log", "8k", "--on", "yesterday", "--json"],
])
def test_everyday_commands_never_import_sqlalchemy(cli, tmp_path, args):
    """Nor pydantic: neither for the record (`rows.checked`) nor for Typer's options
    (`cli/coercion.py`)."""
    db = tmp_path / "history.db"
    assert cli("demo", "--keep", str(db)).exit_code == 0
    environment = os.environ | {"RUNRECOVER_DB": str(db)}
    result = subprocess.run([sys.executable, "-c", PROBE, *args], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


OPTION_VALUES = [
    ["log", "5k", "--rpe", "7", "--pain", "0", "--activity", "walk", "--type", "easy"],
    ["log", "5k", "--rpe", "x"], ["log", "5k", "--rpe", "+5"], ["log", "5k", "--rpe", "٣"],
    ["log", "5k", "--rpe", "007"], ["log", "5k", "--rpe", " 7"], ["log", "5k", "--rpe", ""],
    ["log", "5k", "--activity", "RUN"], ["log", "5k", "--activity", "skate"],
    ["pain", "-1"], ["pain", "3.5"], ["pain", "99999999999999999999999"],
    ["treat", "physio", "--rest-hours", "1.5"], ["treat", "physio", "--rest-hours", "1e1"],
    ["treat", "physio", "--rest-hours", "x"], ["status", "--check"],
]


@pytest.mark.parametrize("args", OPTION_VALUES, ids=" ".join)
def test_options_read_as_typer_reads_them(cli, tmp_path, monkeypatch, args):
    """`cli/coercion.py` converts plain option values as Typer's pydantic adapters do, and
    leaves the rest (and every refusal) to them."""
    import typer.core
    from typer._coercion import build_runtime_param

    from runrecover.cli import coercion

    found = []
    for build in (coercion._runtime_param, build_runtime_param):
        monkeypatch.setattr(typer.core, "build_runtime_param", build)
        folder = tmp_path / build.__name__
        folder.mkdir()
        found.append([(code, out, err.replace(str(folder), "")) for _, code, out, err in run_all(
            cli, folder / "history.db", [args, ["--db", str(folder), "status"],
                                         ["list", "runs", "--json"]])])
    assert found[0] == found[1]


def test_a_long_timeline_streams_and_stops_quietly_when_its_reader_does(cli, tmp_path):
    """Years of lines are printed part by part: a reader that closes the pipe after the first
    lines (`| head`) stops the work, and the command ends as done, saying nothing."""
    export = {"format": "runrecover", "version": 1, "activities": [
        {"uid": f"00000000-0000-4000-8000-{n:012d}", "kind": "run",
         "at": f"2015-{1 + n % 12:02d}-{1 + n % 28:02d}T{6 + n % 12:02d}:{n % 60:02d}:00+02:00",
         "time_known": True, "distance_km": 5 + n % 7, "duration_s": 1800 + n}
        for n in range(3000)]}
    source = tmp_path / "history.json"
    source.write_text(json.dumps(export))
    db = tmp_path / "history.db"
    assert cli("--db", str(db), "import", str(source)).exit_code == 0
    environment = os.environ | {"RUNRECOVER_DB": str(db)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    reader = subprocess.Popen([sys.executable, "-m", "runrecover", "timeline", "--since",
                               "2015-01-01", "--until", "2016-01-01"], env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = reader.stdout.readline()
    reader.stdout.close()
    _, errors = reader.communicate(timeout=120)
    assert first.startswith(b"Timeline")
    assert reader.returncode == 0
    assert errors == b""


def _stored(db):
    import sqlite3

    with sqlite3.connect(db) as connection:
        return {table: connection.execute(
            f"SELECT {', '.join(f'{n}, typeof({n})' for n, _, _ in columns if n != 'created_at')}"
            f" FROM {table} ORDER BY id").fetchall() for table, columns in rows.COLUMNS.items()}


def test_an_import_stores_through_the_driver_as_through_sqlalchemy(cli, tmp_path, monkeypatch):
    """`store.insert_all` hands whole rows to sqlite3's executemany (`rows.writer`): the
    same values, of the same SQLite types, as SQLAlchemy's Core insert stores."""
    from sqlalchemy import insert

    base = tmp_path / "base.db"
    assert cli("demo", "--keep", str(base)).exit_code == 0
    assert cli("--db", str(base), "log", "3k", "--activity", "walk", "--type", "easy",
               "--note", "« slow » 🙂").exit_code == 0
    export = tmp_path / "export.json"
    assert cli("--db", str(base), "export", "--output", str(export)).exit_code == 0
    stored = {}
    for through_driver in (True, False):
        if not through_driver:
            monkeypatch.setattr(store, "_insert_many", lambda session, table, values: (
                session.connection().execute(insert(table.__table__), values)))
        db = tmp_path / f"{through_driver}.db"
        assert cli("--db", str(db), "import", str(export)).exit_code == 0
        stored[through_driver] = _stored(db)
        assert cli("--db", str(db), "undo", "--yes").exit_code == 0
        assert not any(_stored(db).values())
    assert stored[True] == stored[False]
    assert all(stored[True][table] for table in ("injury", "treatment", "pain", "activity"))
