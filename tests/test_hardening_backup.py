"""`backup` copies a consistent, private database even while another process writes;
`restore` checks the file first, refuses anything unsound untouched, and keeps what it replaces.
"""

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from runrecover import db, migrations
from sqlite_files import connect, dump, query

WRITER = textwrap.dedent("""
    import contextlib, io, sys
    from pathlib import Path
    from runrecover.cli import app

    stop = Path(sys.argv[1])
    for n in range(2000):
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                app(args=["log", "5k", "30:00", "--on", f"2016-06-01 08:{n % 60:02d}",
                          "--note", "x" * (n % 300)], prog_name="runrecover")
            except SystemExit as exc:
                if exc.code:
                    sys.exit(f"log {n} failed with {exc.code}")
        if n == 0:
            print("ready", flush=True)
        if stop.exists():
            break
    print(n + 1, flush=True)
""")


def files_in(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def entries(export: dict) -> dict:
    return {k: v for k, v in export.items() if k != "exported_at"}


def history(cli, tmp_path: Path) -> None:
    assert cli("injury", "add", "left calf strain", "--since", "2016-06-01").exit_code == 0
    assert cli("treat", "mesotherapy", "--on", "2016-06-14 10:00").exit_code == 0
    pain = [{"uid": f"00000000-0000-4000-8000-{n:012d}", "score": n % 11,
             "at": f"2016-06-{1 + n % 14:02d}T07:{n:02d}:00+02:00", "time_known": True,
             "note": f"note {n} " * 20}
            for n in range(40)]  # enough rows for several pages, so that damage can hit one
    scores = tmp_path / "scores.json"
    scores.write_text(json.dumps({"format": "runrecover", "version": 1, "pain": pain}))
    assert cli("import", str(scores)).exit_code == 0
    assert cli("race", "add", "City 15K", "2016-06-19 09:30").exit_code == 0


def checkpoint(path: Path) -> None:
    conn = connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


# -- backup -------------------------------------------------------------------------------

def test_backup_while_another_process_writes(cli, db_path, tmp_path):
    assert cli("injury", "add", "left calf strain").exit_code == 0
    stop = tmp_path / "stop"
    env = os.environ | {"RUNRECOVER_DB": str(db_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(stop)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "ready\n", writer.stderr.read()
        copies = []
        for n in range(6):
            copy = tmp_path / "backups" / f"copy-{n}.db"
            result = cli("backup", str(copy))
            assert result.exit_code == 0, result.stderr
            copies.append(copy)
            time.sleep(0.05)
        assert writer.poll() is None  # every copy was made while the writer was writing
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    logged = int(out.strip())

    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
    sizes = []
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert query(copy, "PRAGMA integrity_check") == "ok"
        # Consistent: each `log` commits one activity and its journal entry together.
        activities = query(copy, "SELECT count(*) FROM activity")
        assert query(copy, "SELECT count(*) FROM journal") == activities + 1
        assert 1 <= activities <= logged
        sizes.append(activities)
        # A copy is one self-contained file, and runrecover opens it.
        assert query(copy, "PRAGMA journal_mode") == "delete"
        opened = tmp_path / "opened.db"
        shutil.copyfile(copy, opened)
        exported = cli("--db", str(opened), "export")
        assert exported.exit_code == 0, exported.stderr
        assert len(exported.json()["activities"]) == activities
        opened.unlink()
    assert sizes == sorted(sizes)
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == \
        sorted(c.name for c in copies)


def test_backup_goes_beside_the_database_by_default(cli, db_path, tmp_path):
    history(cli, tmp_path)
    result = cli("backup")
    assert result.exit_code == 0, result.stderr
    copy = db_path.parent / "backups" / "runrecover-2016-06-15-100000.db"
    assert str(copy) in result.stdout.replace("\n", "")
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert dump(copy) == dump(db_path)


# -- restore ------------------------------------------------------------------------------

def _text(path: Path, good: Path) -> None:
    path.write_bytes(b"my shopping list\n")


def _empty(path: Path, good: Path) -> None:
    path.write_bytes(b"")


def _empty_sqlite(path: Path, good: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()


def _header_only(path: Path, good: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4080)


def _truncated(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[:3 * 4096 + 100])


def _damaged_pages(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for start in range(page_size, len(data), page_size):  # every page but the first
        data[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def _other_program(path: Path, good: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


def _newer_schema(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


REFUSED = [  # a file offered to restore is the user's input: exit 2, and no --db advice
    ("text", _text, 2, "not a runrecover backup (not an SQLite file)"),
    ("empty", _empty, 2, "not a runrecover backup"),
    ("empty-sqlite", _empty_sqlite, 2, "not a runrecover backup"),
    ("header-only", _header_only, 2, "not a runrecover backup"),
    ("truncated", _truncated, 2, ""),
    ("damaged-pages", _damaged_pages, 2, ""),
    ("other-program", _other_program, 2, "another program"),
    ("newer-schema", _newer_schema, 2, "newer runrecover"),
]


@pytest.mark.parametrize(("name", "make", "code", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_restore_refuses_an_unsound_file_untouched(cli, db_path, tmp_path, name, make, code,
                                                   says):
    history(cli, tmp_path)
    good = tmp_path / "good.db"
    assert cli("backup", str(good)).exit_code == 0
    checkpoint(db_path)
    offered_dir = tmp_path / "offered"
    offered_dir.mkdir()
    make(offered_dir / f"{name}.db", good)
    offered = files_in(offered_dir)
    before = dump(db_path)
    database_dir = files_in(db_path.parent)

    result = cli("restore", str(offered_dir / f"{name}.db"), "--yes")

    assert result.exit_code == code, result.stderr
    assert says in result.stderr
    assert "--db" not in result.stderr
    assert str(offered_dir / f"{name}.db") in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert files_in(offered_dir) == offered  # not a byte written, nothing added beside it
    assert files_in(db_path.parent) == database_dir  # no copy kept: nothing was replaced
    assert dump(db_path) == before


def test_restore_asks_first(cli, db_path, tmp_path):
    history(cli, tmp_path)
    good = tmp_path / "good.db"
    assert cli("backup", str(good)).exit_code == 0
    assert cli("pain", "9").exit_code == 0
    before = dump(db_path)
    for answer in (None, "n\n"):
        result = cli("restore", str(good), input=answer)
        assert result.exit_code == 1
        assert "Not confirmed" in result.stderr
        assert dump(db_path) == before
    missing = cli("restore", str(tmp_path / "nowhere.db"), "--yes")
    assert missing.exit_code == 2
    assert "no backup file" in missing.stderr
    assert dump(db_path) == before


def test_restore_replaces_the_database_and_keeps_what_it_replaced(cli, db_path, tmp_path):
    history(cli, tmp_path)
    backed_up = entries(cli("export").json())
    good = tmp_path / "good.db"
    assert cli("backup", str(good)).exit_code == 0
    good_bytes = good.read_bytes()
    assert cli("log", "8k", "45:10", "--on", "2016-06-15 08:00").exit_code == 0
    assert cli("delete", "race", "1", "--yes").exit_code == 0
    replaced = entries(cli("export").json())

    result = cli("restore", str(good), "--yes")

    assert result.exit_code == 0, result.stderr
    assert entries(cli("export").json()) == backed_up
    assert good.read_bytes() == good_bytes
    kept = db_path.with_name("runrecover.db.before-restore-2016-06-15-100000")
    assert str(kept) in result.stdout.replace("\n", "")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert query(kept, "PRAGMA integrity_check") == "ok"
    reopened = tmp_path / "kept.db"
    shutil.copyfile(kept, reopened)
    assert entries(cli("--db", str(reopened), "export").json()) == replaced
    assert query(db_path, "PRAGMA journal_mode") == "wal"
    assert query(db_path, "PRAGMA integrity_check") == "ok"
    # And the restored record goes on as before: undo reverses its last command.
    assert cli("undo", "--yes").exit_code == 0
    assert cli("race", "list", "--json").json() == []


def test_restoring_an_older_backup_brings_it_up_to_date(cli, db_path, tmp_path, monkeypatch):
    fixture = Path(__file__).parent / "fixtures" / f"schema-v{migrations.CURRENT_VERSION}.db"
    old = tmp_path / "old.db"
    shutil.copyfile(fixture, old)
    steps = [*migrations.MIGRATIONS, ("m999_probe", "CREATE TABLE hardening_probe (x)")]
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    monkeypatch.setattr(migrations, "CURRENT_VERSION", len(steps))
    monkeypatch.setattr(db, "CURRENT_VERSION", len(steps))
    assert cli("pain", "1").exit_code == 0

    result = cli("restore", str(old), "--yes")

    assert result.exit_code == 0, result.stderr
    assert query(db_path, "PRAGMA user_version") == len(steps)
    expected = json.loads(fixture.with_suffix(".json").read_text())
    assert entries(cli("export").json()) == expected
    copy = db_path.with_name(f"runrecover.db.bak-{len(steps) - 1}-2016-06-15")
    assert query(copy, "PRAGMA user_version") == len(steps) - 1
