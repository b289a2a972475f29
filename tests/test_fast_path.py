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
import zipfile
from datetime import UTC, date, datetime
from enum import StrEnum

import annotated_types
import pytest
from sqlalchemy import Boolean, Date, Enum, Float, Integer, String
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from runrecover import clock, rows, store
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
    # Whose entry it is (`rows.SCOPE`) is the scope's column, not one of the entry's.
    assert [name for name, _, _ in rows.COLUMNS[table]] == [
        name for name in model.model_fields if name != rows.SCOPE]
    assert [name for name, _, _ in rows.COLUMNS[table]] == [
        c.name for c in columns if c.name != rows.SCOPE]
    assert columns[rows.SCOPE].nullable
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
    # A validator of the model's own would be skipped by the fast check, unless it checks
    # the model's pattern (a treatment's kind), which `rows.PATTERNS` checks alike.
    validated_fields = {name for decorator in create.__pydantic_decorators__.field_validators
                        .values() for name in decorator.info.fields}
    assert validated_fields == {name for kind, name in rows.PATTERNS if kind == table}
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
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "distance_km": float("nan")}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "avg_hr": float("inf")}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "rpe": True}),
    ("activity", {"kind": ["run"], "at": NOON, "time_known": True}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "note": "caf\udce9"}),
    ("activity", {"kind": "run", "time_known": True}),
    ("activity", {"kind": "run", "at": NOON, "time_known": True, "colour": "red"}),
    ("pain", {"score": 0, "at": NOON, "time_known": True, "context": "morning"}),
    ("pain", {"score": 10, "at": NOON, "time_known": False, "injury_id": 3}),
    ("pain", {"score": 11, "at": NOON, "time_known": True}),
    ("pain", {"score": -1, "at": NOON, "time_known": True}),
    ("pain", {"score": 3, "at": NOON, "time_known": True, "context": "lunch"}),
    ("pain", {"score": 3.0, "at": NOON, "time_known": True}),
    ("injury", {"name": "left calf", "part": "calf", "side": "left", "onset_on": "2016-05-01",
                "resolved_on": date(2016, 6, 1), "note": None}),
    ("injury", {"name": "left calf", "onset_on": "2016-02-30"}),
    ("injury", {"name": "left calf", "onset_on": "20160501"}),
    ("injury", {"name": "left calf", "onset_on": "2016-05-01T00:00:00"}),
    ("injury", {"name": "left calf", "onset_on": "２０１６-05-01"}),
    ("injury", {"name": "x" * 200, "side": "left"}),
    ("injury", {"name": "x" * 201}),
    ("injury", {"name": "hip", "side": "middle"}),
    ("treatment", {"kind": "dry-needling", "at": NOON, "time_known": True, "injury_id": 2,
                   "clinician": "Dr Martin", "no_run_days": 2, "rest_hours": 48,
                   "ladder": "calf", "rung": 3}),
    ("treatment", {"kind": "Dry needling", "at": NOON, "time_known": True}),
    ("treatment", {"kind": "-x", "at": NOON, "time_known": True}),
    ("treatment", {"kind": "physio", "at": NOON, "time_known": True, "no_run_days": 366}),
    ("treatment", {"kind": "physio", "at": NOON, "time_known": True, "rest_hours": 10**400}),
    ("treatment", {"kind": "physio", "at": NOON, "time_known": True, "rung": 0}),
    ("treatment", {"kind": "physio", "at": NOON}),
    ("race", {"name": "Paris 10K", "at": NOON, "time_known": False, "distance_km": 10}),
    ("race", {"name": "Paris 10K", "at": NOON, "time_known": True, "distance_km": 0}),
    ("race", {"name": "Paris 10K", "at": NOON}),
    ("ladder_event", {"action": "start", "at": NOON, "time_known": True, "ladder": "calf",
                      "rung": 1, "injury_id": 1}),
    ("ladder_event", {"action": "jump", "at": NOON, "time_known": True}),
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


EXPORT_WINDOWS = [[], ["--since", "2016-06-10"], ["--until", "2016-06-10"],
                  ["--since", "2016-06-09 23:30", "--until", "2016-06-10 01:00"],
                  ["--since", "1905-06-01", "--until", "1905-06-02"], ["--since", "2099-01-01"]]


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Los_Angeles", "Asia/Kathmandu"])
def test_the_exports_are_the_same_both_ways(cli, tmp_path, monkeypatch, zone):
    """From a local file the JSON and CSV exports write what SQLite holds without loading a
    row (`export.json_export`, `csv_export`): byte for byte what SQLAlchemy's rows give,
    for day-only entries (stored at UTC midnight, shown at local midnight, so ordered among
    the timed ones of the evening before or the night after), an offset in local mean time
    (Paris and Kathmandu in 1905: +00:09:21, +05:41:16), a watch's fraction of a second,
    notes to escape, in every window."""
    monkeypatch.setenv("TZ", zone)
    db = tmp_path / "history.db"
    assert cli("demo", "--keep", str(db)).exit_code == 0
    gpx = tmp_path / "fraction.gpx"
    gpx.write_text('<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>'
                   'running</type><trkseg><trkpt lat="48.0" lon="2.0"><time>2016-06-08T06:30'
                   ':00.750Z</time></trkpt><trkpt lat="48.01" lon="2.0"><time>2016-06-08T06:'
                   '40:00.250Z</time></trkpt></trkseg></trk></gpx>')
    assert cli("--db", str(db), "import", str(gpx)).exit_code == 0
    for args in (["log", "3k", "--on", "2016-06-10", "--note", "« day » \"q\" \\ 🙂"],
                 ["log", "2k", "--on", "2016-06-09 23:30", "--note", "}, {\n ], ["],
                 ["log", "4k", "--on", "2016-06-10 00:30", "--activity", "walk"],
                 ["log", "5k", "--on", "2016-06-10 16:59"], ["race", "add", "Mile", "2016-06-10"],
                 ["log", "6k", "30:00", "--on", "1905-06-01 12:00", "--type", "tempo"],
                 ["pain", "2", "--injury", "none", "--on", "2016-06-10", "--context", "night"],
                 ["ladder", "pause"]):
        assert cli("--db", str(db), *args).exit_code == 0, args
    found, tables = {}, {}
    for through_sqlite3 in (True, False):
        monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", through_sqlite3)
        found[through_sqlite3] = [cli("--db", str(db), "export", *window).stdout
                                  for window in EXPORT_WINDOWS]
        tables[through_sqlite3] = []
        for n, window in enumerate(EXPORT_WINDOWS):
            target = tmp_path / f"{through_sqlite3}-{n}.zip"
            assert cli("--db", str(db), "export", "--format", "csv", "--output", str(target),
                       *window).exit_code == 0
            with zipfile.ZipFile(target) as archive:
                tables[through_sqlite3].append({name: archive.read(name)
                                                for name in archive.namelist()})
    assert found[True] == found[False]
    assert tables[True] == tables[False]
    whole, since, until, night, long_ago, none = (json.loads(text) for text in found[True])
    assert [a["at"] for a in whole["activities"]].count("2016-06-10") == 1
    assert len(whole["injuries"]) > 1 and any(p["injury_uid"] for p in whole["pain"])
    assert any(t["injury_uid"] for t in whole["treatments"]) and whole["ladder"]
    assert all(len(a["at"]) in (10, 25) for a in whole["activities"])  # to the second
    started = {"Europe/Paris": "2016-06-08T08:30:00+02:00",  # 06:30:00.750 UTC, cut
               "America/Los_Angeles": "2016-06-07T23:30:00-07:00",
               "Asia/Kathmandu": "2016-06-08T12:15:00+05:45"}[zone]
    assert started in [a["at"] for a in whole["activities"]]
    assert [a["at"][:16] for a in night["activities"]] == ["2016-06-09T23:30", "2016-06-10",
                                                          "2016-06-10T00:30"]
    offset = {"Europe/Paris": "+00:10", "America/Los_Angeles": "-08:00",
              "Asia/Kathmandu": "+05:42"}[zone]
    assert [a["at"][-6:] for a in long_ago["activities"]] == [offset]
    assert since["activities"] and until["activities"] and none["activities"] == []


def test_the_json_export_is_written_in_the_encoding_of_stdout(cli, tmp_path):
    """Written straight to stdout's bytes when they are UTF-8, else through its text, as
    before: the same document either way."""
    db = tmp_path / "history.db"
    assert cli("demo", "--keep", str(db)).exit_code == 0
    assert cli("--db", str(db), "log", "3k", "--note", "très bien").exit_code == 0
    written = {}
    for encoding in ("utf-8", "latin-1"):
        result = subprocess.run([sys.executable, "-m", "runrecover", "--db", str(db), "export"],
                                env=os.environ | {"PYTHONIOENCODING": encoding},
                                capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr
        written[encoding] = result.stdout.decode(encoding)
    assert "très bien" in written["utf-8"]
    assert json.loads(written["utf-8"])["activities"] == json.loads(written["latin-1"])[
        "activities"]
    assert len(written["utf-8"].encode()) > len(written["latin-1"].encode("latin-1"))


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
    ["import", "nowhere.json", "nor-here.gpx"], ["import", ""], ["import", "."],
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
    """An import through sqlite3 (`rows.inserted`), and `store.insert_all` handing whole rows
    to the driver's executemany (`rows.writer`): the same values, of the same SQLite types,
    as SQLAlchemy's Core insert stores."""
    from sqlalchemy import insert

    base = tmp_path / "base.db"
    assert cli("demo", "--keep", str(base)).exit_code == 0
    assert cli("--db", str(base), "log", "3k", "--activity", "walk", "--type", "easy",
               "--note", "« slow » 🙂").exit_code == 0
    export = tmp_path / "export.json"
    assert cli("--db", str(base), "export", "--output", str(export)).exit_code == 0
    stored = {}
    for through_driver in ("sqlite3", "session", "core"):
        monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", through_driver == "sqlite3")
        if through_driver == "core":
            monkeypatch.setattr(store, "_insert_many", lambda session, table, values: (
                session.connection().execute(insert(table.__table__), values)))
        db = tmp_path / f"{through_driver}.db"
        assert cli("--db", str(db), "import", str(export)).exit_code == 0
        stored[through_driver] = _stored(db)
        assert cli("--db", str(db), "undo", "--yes").exit_code == 0
        assert not any(_stored(db).values())
    assert stored["sqlite3"] == stored["session"] == stored["core"]
    assert all(stored["sqlite3"][table] for table in ("injury", "treatment", "pain", "activity"))


# -- an import, both ways -------------------------------------------------------------------

IMPORT_GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><type>running</type><trkseg>
  <trkpt lat="46.80" lon="7.15"><time>2016-06-14T16:00:00Z</time></trkpt>
  <trkpt lat="46.81" lon="7.15"><time>2016-06-14T16:06:00Z</time></trkpt>
  <trkpt lat="46.82" lon="7.15"><time>2016-06-14T16:12:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""


def _import_files(cli, tmp_path):
    """A history (the demo's, and a run logged by hand) and the files imported into it and
    into an empty file: its own export, the export changed (a uid's content, the same runs
    under other uids, a pain score pointing at a stored injury), files that are refused, a
    GPX file of a stored run (it improves it) and of a new one."""
    base = tmp_path / "base.db"
    assert cli("demo", "--keep", str(base)).exit_code == 0
    assert cli("--db", str(base), "log", "2k", "12:00", "--on", "2016-06-14 18:00").exit_code == 0
    assert cli("--db", str(base), "log", "3k", "--on", "2016-06-10 00:00").exit_code == 0
    export = tmp_path / "export.json"
    assert cli("--db", str(base), "export", "--output", str(export)).exit_code == 0
    document = json.loads(export.read_text())
    changed = json.loads(export.read_text())
    changed["pain"][0]["note"] = "another note"
    for n, activity in enumerate(changed["activities"][:6]):
        activity["uid"] = f"00000000-0000-4000-8000-{n:012d}"  # the same run, another device
        if n % 2:
            activity["time_known"] = False
            activity["at"] = activity["at"][:10]
    changed["pain"].append({**changed["pain"][-1], "uid": "00000000-0000-4000-9000-000000000001",
                            "note": "a new score for a stored injury"})
    midnight = next(a for a in changed["activities"] if a["at"].startswith("2016-06-10T00:00"))
    changed["activities"].append({**midnight, "uid": "00000000-0000-4000-9000-000000000002",
                                  "time_known": False, "at": "2016-06-10"})  # a second run
    changed["injuries"] = []
    files = {"export.json": document, "changed.json": changed,
             "bad-type.json": {**document, "pain": [{**document["pain"][0], "score": "3"}]},
             "bad-injury.json": {**changed, "pain": [{**changed["pain"][0],
                                                      "injury_uid": "nowhere"}]}}
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content))
    (tmp_path / "stored-run.gpx").write_text(IMPORT_GPX)
    (tmp_path / "new-run.gpx").write_text(IMPORT_GPX.replace("2016-06-14", "2016-06-12"))
    return base, {uid for section in ("injuries", "treatments", "pain", "activities", "races",
                                      "ladder") for uid in (e["uid"] for e in
                                                            document.get(section, []))}


IMPORTS = [
    ["import", "export.json"], ["import", "export.json", "--json"], ["import", "changed.json"],
    ["import", "changed.json", "--keep"], ["import", "changed.json", "--replace", "--json"],
    ["import", "bad-type.json"], ["import", "bad-injury.json"],
    ["import", "stored-run.gpx", "new-run.gpx", "--json"], ["import", "new-run.gpx"],
    ["export"], ["undo", "--yes"], ["undo", "--yes"], ["export"],
]


def _masked(text, known):
    """Uids drawn by this run (an activity file's rows) as <uid>; the files' own kept."""
    return UID.sub(lambda found: found.group() if found.group() in known else "<uid>", text)


def _journal(db, known):
    import sqlite3

    with sqlite3.connect(db) as connection:
        return [(at, command, _masked(changes, known)) for at, command, changes
                in connection.execute("SELECT at, command, changes FROM journal ORDER BY id")]


@pytest.mark.parametrize("start", ["history", "empty"])
def test_an_import_behaves_alike_both_ways(cli, tmp_path, monkeypatch, start):
    """The same imports, through sqlite3 and through SQLAlchemy (as a database server will
    be): the same output, the same rows stored with the same values and types, the same undo
    journal (a stored run improved by a GPX file journalled as `store.update` does), and the
    same record after undoing them."""
    base, known = _import_files(cli, tmp_path)
    monkeypatch.chdir(tmp_path)
    found = {}
    for through_sqlite3 in (True, False):
        monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", through_sqlite3)
        db = tmp_path / f"{through_sqlite3}.db"
        if start == "history":
            shutil.copyfile(base, db)
        answers = [(args, result.exit_code, _masked(result.stdout, known),
                    _masked(result.stderr, known))
                   for args in IMPORTS for result in [cli("--db", str(db), *args)]]
        stored = {table: [tuple(_masked(v, known) if isinstance(v, str) else v for v in row)
                          for row in found_rows] for table, found_rows in _stored(db).items()}
        found[through_sqlite3] = answers, stored, _journal(db, known)
    (fast, fast_rows, fast_journal), (slow, slow_rows, slow_journal) = found[True], found[False]
    for one, other in zip(fast, slow, strict=True):
        assert one == other
    assert fast_rows == slow_rows
    assert fast_journal == slow_journal
    # Not vacuous: every kind of answer is there.
    codes = {" ".join(args): code for args, code, _, _ in fast}
    assert codes["import bad-type.json"] == 2 and codes["import bad-injury.json"] == 2
    summaries = {" ".join(args): out for args, _, out, _ in fast}
    files = json.loads(summaries["import stored-run.gpx new-run.gpx --json"])["files"]
    assert [(f["added"], f["improved"], f["already"]) for f in files] == [(0, 1, 0), (1, 0, 0)]
    counts = json.loads(summaries["import export.json --json"])["files"][0]
    assert (counts["added"], counts["already"]) == (0, len(known))
    # Of the changed export: 3 runs under other uids found by their time, 3 others now with
    # no time of day found by their kind, day and distance; 1 new pain score for a stored
    # injury, and the copy of the midnight run under another uid added: the stored run is
    # that of the file's entry under its uid, and one stored run is never two of a file's.
    changed = next(out for args, _, out, _ in fast if args == ["import", "changed.json",
                                                                  "--keep"])
    assert f"2          0        {len(known) - 2 + 2 - 2}" in changed
    # Without --keep, the pain score whose note differs stops it; --replace takes its note.
    assert codes["import changed.json"] == 2
    replaced = json.loads(summaries["import changed.json --replace --json"])["files"][0]
    assert (replaced["added"], replaced["replaced"]) == (0, 1)
    assert json.loads(summaries["import stored-run.gpx new-run.gpx --json"])["breaks_restriction"]


def test_an_import_of_an_export_or_a_gpx_never_imports_sqlalchemy(cli, tmp_path):
    """Nor SQLModel or pydantic: plainly valid entries are checked by `rows.checked`, stored
    through sqlite3; and again, all of them found already stored."""
    _import_files(cli, tmp_path)
    environment = os.environ | {"RUNRECOVER_DB": str(tmp_path / "imported.db")}
    for args in (["import", "export.json"], ["import", "export.json", "new-run.gpx"],
                 ["import", "stored-run.gpx"]):
        result = subprocess.run([sys.executable, "-c", PROBE, *args], env=environment,
                                capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.splitlines()[-1]) == [], args


def test_the_rows_an_import_adds_are_as_they_read_back(cli, tmp_path):
    """`SqliteRecords.insert_rows` makes the rows it added from what it wrote (`rows.
    as_read_back`) instead of reading them back: the same values, of the same types, as
    reading them gives (moments in UTC, a day-only one as its day shown)."""
    from runrecover.records.sqlite import SqliteRecords

    base, _ = _import_files(cli, tmp_path)
    values = [{"uid": f"00000000-0000-4000-8000-{n:012d}", "note": "« n »" if n else None,
               "kind": kind, "at": datetime(2016, 6, 1 + n, 7, 30, 15, 250 * n,
                                             tzinfo=clock.local_zone()),
               "time_known": n % 2 == 0, "distance_km": 5.0 + n, "duration_s": None,
               "moving_s": 1800.5, "run_type": "easy" if n else None, "rpe": n + 1,
               "pain_during": 0, "pain_after": None, "avg_hr": 150.0, "source": "fit",
               "source_id": str(n), "rung": None}
              for n, kind in enumerate(("run", "walk", "cycle", "run"))]
    with SqliteRecords.opened(base, write=True, athlete=None) as records:
        added = records.insert_rows(
            "activity", [rows.checked("activity", {k: v for k, v in value.items() if k != "uid"})
                         | {"uid": value["uid"]} for value in values], read_back=True)
        read = [row for row in records.all_rows("activity") if row.id >= added[0].id]
        injuries = records.insert_rows("injury", [rows.checked("injury", {
            "name": "left knee", "side": "left", "onset_on": "2016-06-01"})], read_back=True)
        assert injuries == records.all_rows("injury")[-1:]
    assert added == read
    for one, other in zip(added, read, strict=True):
        assert [(type(getattr(one, f)), getattr(one, f).tzinfo if isinstance(
            getattr(one, f), datetime) else None) for f in rows.field_names(type(one))] == [
            (type(getattr(other, f)), getattr(other, f).tzinfo if isinstance(
                getattr(other, f), datetime) else None) for f in rows.field_names(type(other))]


@pytest.mark.parametrize("moment", [
    datetime(2016, 6, 14, 10, tzinfo=UTC), datetime(1900, 1, 1, tzinfo=UTC),
    datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2016, 3, 27, 2, 30, 0, 5, tzinfo=clock.local_zone()),
    datetime.fromisoformat("2016-12-03T07:26:00.5+05:45")])
def test_moments_are_written_as_sqlalchemy_writes_them(moment):
    assert rows.sqlite_datetime(moment) == moment.astimezone(UTC).strftime(rows.SQLITE_DATETIME)


def test_a_number_too_big_for_a_float_is_refused_both_ways(cli, tmp_path, monkeypatch):
    """A whole number no float can hold (JSON allows any) is refused by the model's words,
    exit 2, not an overflow (exit 70)."""
    source = tmp_path / "huge.json"
    source.write_text(json.dumps({"format": "runrecover", "version": 1, "activities": [
        {"uid": "u1", "kind": "run", "at": "2016-06-01T07:00:00+00:00", "time_known": True,
         "distance_km": 10**400}]}))
    for through_sqlite3 in (True, False):
        monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", through_sqlite3)
        result = cli("--db", str(tmp_path / f"{through_sqlite3}.db"), "import", str(source))
        assert result.exit_code == 2
        assert "activities[0]: The distance (km)" in result.stderr


# Text json escapes (quotes, backslashes, every control character) or writes as it is with
# ensure_ascii=False (U+007F, U+2028/9, non-ASCII, emoji), and floats written alike.
HOSTILE_NOTES = ['"q" \\ \\n /', "".join(map(chr, range(32))) + "\x7f", "\u2028\u2029 «é» 🙂👍🏽",
                 "}, {\"x\": 1} ],\n  [ ", "\ud7ff\ue000\uffff\U0010ffff", ": 1e16, 0.00001"]
PLAIN_DISTANCES = [0.1 + 0.2, 1e-4, 9999.999999999998, 123.456789012345, 5.0, 1 / 3, 0.0,
                   9.999999999999998e15]  # (-0.0: SQLite stores 0.0)


def _exports_both_ways(cli, db, monkeypatch):
    found = []
    for through_sqlite3 in (True, False):
        monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", through_sqlite3)
        result = cli("--db", str(db), "export")
        assert result.exit_code == 0, result.stderr
        found.append(result.stdout)
    assert found[0] == found[1]
    return found[0]


def _written_alike(db):
    from runrecover import athletes
    from runrecover.exchange import export
    from runrecover.records.sqlite import SqliteRecords

    with SqliteRecords.opened(db, write=False, athlete=athletes.on_file(db)[0]) as records:
        return export._numbers_written_alike(export.stored_entries(records, since=None,
                                                                  until=None))


def test_the_json_export_writes_hostile_values_as_json_does(cli, tmp_path, monkeypatch):
    """The JSON export from a local file is written by msgspec when every number would be
    written as json writes it (`export.PLAIN_FLOATS`), else by json: byte for byte what
    SQLAlchemy's rows give through json (`to_json`), and what `json.dumps(indent=2,
    ensure_ascii=False)` writes of what it reads back, for hostile text and floats either
    way."""
    import sqlite3

    db = tmp_path / "history.db"
    assert cli("demo", "--keep", str(db)).exit_code == 0
    with sqlite3.connect(db) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM activity ORDER BY id")]
        for row_id, note in zip(ids, HOSTILE_NOTES, strict=False):
            connection.execute("UPDATE activity SET note = ? WHERE id = ?", (note, row_id))
        for row_id, km in zip(ids[len(HOSTILE_NOTES):], PLAIN_DISTANCES, strict=False):
            connection.execute("UPDATE activity SET distance_km = ? WHERE id = ?", (km, row_id))
    assert _written_alike(db)  # msgspec writes it
    written = _exports_both_ways(cli, db, monkeypatch)
    document = json.loads(written)
    assert written == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    notes = [a["note"] for a in document["activities"]]
    assert all(note in notes for note in HOSTILE_NOTES)
    assert {repr(km) for km in PLAIN_DISTANCES} <= {
        repr(a["distance_km"]) for a in document["activities"]}
    for odd in (1e-05, 1e16, 2.5e-300, float("inf"), float("-inf")):
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE activity SET distance_km = ? WHERE id = ?",
                               (odd, ids[-1]))
        assert not _written_alike(db)  # json writes it
        written = _exports_both_ways(cli, db, monkeypatch)
        assert json.dumps(odd) in written
        assert written == json.dumps(json.loads(written), indent=2, ensure_ascii=False) + "\n"
    with sqlite3.connect(db) as connection:  # a blob is left to json, which refuses it
        connection.execute("UPDATE activity SET distance_km = 5.0, note = x'00ff' WHERE id = ?",
                           (ids[-1],))
    assert not _written_alike(db)


def test_msgspec_writes_every_character_and_plain_float_as_json_does(now):
    """`_msgspec_document` is `_document` of `_section_json`, byte for byte, over every
    character (but lone surrogates, which no UTF-8 text holds) and floats of every magnitude
    `PLAIN_FLOATS` lets msgspec write, at and beside its bounds."""
    import math
    import random

    from runrecover.exchange import export
    from runrecover.exchange.records import SECTIONS

    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    notes = [text[i:i + 997] for i in range(0, len(text), 997)]
    low, high = export.PLAIN_FLOATS
    rng = random.Random(15)
    floats = [low, high, math.nextafter(high, 0), -low, 0.0, -0.0, 1 / 3, 2 ** 53 + 0.0,
              *(10 ** rng.uniform(-4, 16) * rng.choice((1, -1)) for _ in range(20000))]
    floats = [f for f in floats if f == 0 or low <= abs(f) < high]
    assert high not in floats and len(floats) > 19000
    keys = export._json_keys("activity")
    entries: dict[str, list] = {kind: [] for kind in SECTIONS.values()}
    for n, (note, km) in enumerate(zip(notes * 20, floats, strict=False)):
        values = dict.fromkeys(keys)
        values |= {"note": note, "distance_km": km, "uid": f"u{n}", "time_known": n % 2 == 0,
                   "rpe": n % 11, "source": "\u2028" * (n % 3)}
        entries["activity"].append(tuple(values[key] for key in keys))
    assert len(entries["activity"]) >= len(notes)
    expected = export._document({section: export._section_json(export._json_keys(kind),
                                                                entries[kind])
                                 for section, kind in SECTIONS.items()})
    assert export._numbers_written_alike(entries)
    assert export._msgspec_document(entries) == expected
    for odd in (float("nan"), float("inf"), 1e-05, high, b"blob", date(2016, 6, 1)):
        assert not export._numbers_written_alike({"pain": [("a", 5.0, None), ("b", odd, 1)]})
    for plain in (0.0, -0.0, -low, -5.5, 2 ** 70, True):  # (msgspec's check refuses some)
        assert export._numbers_written_alike({"pain": [("a", 5.0, None), ("b", plain, 1)]})
