"""A crash leaves all of a command's writes or none: SIGKILL `runrecover import` at random.

One uninterrupted import shows how long the import takes and what "all of it" looks like; then
the same import into the same starting database is killed at random moments within that time,
mostly while the database is open, and after every kill the file must open, pass
`PRAGMA integrity_check`, and hold exactly the starting rows or exactly the full import.
"""

import json
import os
import random
import signal
import sqlite3
import time
import uuid
from pathlib import Path

import forked

KILLS = 20
SEED = 20160615
TABLES = ("injury", "treatment", "pain", "activity", "race")


def big_export(rng: random.Random) -> dict:
    """A JSON export of 600 entries of every kind (about 2.5 MB), linked to its injuries."""
    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def at(day: int, minute: int) -> str:
        return f"2015-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T{minute // 60 % 24:02d}:" \
               f"{minute % 60:02d}:00+01:00"

    injuries = [{"uid": uid(), "name": f"injury {i} «{i}»", "part": "calf", "side": "left",
                 "onset_on": f"2015-{1 + i % 12:02d}-01", "note": "x" * rng.randrange(200)}
                for i in range(10)]
    links = [i["uid"] for i in injuries] + [None]
    treatments = [{"uid": uid(), "kind": rng.choice(["physio", "mesotherapy", "prp"]),
                   "at": at(i, 600 + i), "time_known": True,
                   "injury_uid": rng.choice(links), "no_run_days": rng.choice([None, 3])}
                  for i in range(30)]
    pain = [{"uid": uid(), "score": rng.randint(0, 10), "at": at(i, 420 + i % 60),
             "time_known": True, "context": "morning", "injury_uid": rng.choice(links)}
            for i in range(200)]
    activities = [{"uid": uid(), "kind": "run", "at": at(i, 1080 + i // 336),
                   "time_known": True, "distance_km": round(rng.uniform(3, 30), 3),
                   "duration_s": rng.randint(900, 9000), "rpe": rng.randint(1, 10),
                   # Long notes make the transaction outgrow SQLite's page cache, so that its
                   # pages spill into the WAL before the commit: kills then find them there.
                   "note": "calf tight, " * rng.randrange(500, 830)}
                  for i in range(300)]
    races = [{"uid": uid(), "name": f"race {i}", "at": at(i * 3, 570), "time_known": True,
              "distance_km": 10.0} for i in range(20)]
    return {"format": "runrecover", "version": 1, "injuries": injuries,
            "treatments": treatments, "pain": pain, "activities": activities, "races": races}


def snapshot(db: Path) -> dict[str, object]:
    """The integrity check's answer and every row, after SQLite's own crash recovery."""
    conn = sqlite3.connect(db)  # read-write: a hot WAL is recovered as the CLI would
    try:
        state: dict[str, object] = {
            "integrity": conn.execute("PRAGMA integrity_check").fetchall()}
        for table in TABLES:
            state[table] = frozenset(r[0] for r in conn.execute(f"SELECT uid FROM {table}"))
        state["journal"] = frozenset(conn.execute("SELECT id, command FROM journal"))
        return state
    finally:
        conn.close()


def reset(db: Path, image: bytes) -> None:
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    db.write_bytes(image)


def start_import(db: Path, export: Path) -> forked.Commands:
    return forked.Commands([["import", str(export)]], os.environ | {"RUNRECOVER_DB": str(db)},
                           db.with_name("import-result.json"))


def test_sigkill_during_import_leaves_all_or_nothing(cli, db_path, tmp_path):
    rng = random.Random(SEED)
    export = tmp_path / "big.json"
    export.write_text(json.dumps(big_export(rng), ensure_ascii=False))
    # The starting database: a small history, checkpointed into one file.
    assert cli("injury", "add", "left calf strain", "--since", "2016-06-01").exit_code == 0
    assert cli("log", "8k", "45:10", "--on", "2016-06-10").exit_code == 0
    assert cli("pain", "3", "--on", "2016-06-11 07:00").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    image = db_path.read_bytes()
    nothing = snapshot(db_path)

    # Imports to the end, two at a time as below: how long they take, when they open the file.
    lanes = [db_path, tmp_path / "lane-2" / "runrecover.db"]  # two at a time: CI has 2 cores
    lanes[1].parent.mkdir(mode=0o700)
    reset(lanes[1], image)
    forked.warm_up()
    started = time.monotonic()
    running = {db: start_import(db, export) for db in lanes}
    opened: dict[Path, float] = {}
    finished: dict[Path, float] = {}
    while len(finished) < len(lanes):
        for db, process in running.items():
            if db not in opened and db.with_name(db.name + "-wal").exists():
                opened[db] = time.monotonic() - started
            if db not in finished and process.poll() is not None:
                finished[db] = time.monotonic() - started
        time.sleep(0.002)
    for process in running.values():
        [result] = process.outcome()
        assert result.code == 0, result.stderr
    duration = max(finished.values())
    open_at = min(opened.values(), default=duration / 2)
    everything = snapshot(db_path)
    assert snapshot(lanes[1]) == everything
    assert len(everything["pain"]) == len(nothing["pain"]) + 200
    assert len(everything["journal"]) == len(nothing["journal"]) + 1

    outcomes = []
    for round_ in range(KILLS // len(lanes)):
        runs = []
        for lane, db in enumerate(lanes):
            reset(db, image)
            # Most kills land after the database is open, some during start-up or at the end.
            low = 0.0 if (round_ + lane) % 4 == 0 else open_at
            runs.append((db, rng.uniform(low, duration * 1.05), start_import(db, export)))
        began = time.monotonic()
        for _db, delay, process in sorted(runs, key=lambda run: run[1]):
            time.sleep(max(0.0, began + delay - time.monotonic()))
            process.kill()
        for db, delay, process in runs:
            if process.wait() != -signal.SIGKILL:  # it had finished first
                [result] = process.outcome()
                assert result.code == 0, result.stderr
            wal_bytes = db.with_name(db.name + "-wal").stat().st_size \
                if db.with_name(db.name + "-wal").exists() else 0

            state = snapshot(db)

            assert state["integrity"] == [("ok",)], (db, delay)
            assert state in (nothing, everything), (db, delay, process.poll())
            outcomes.append(("all" if state == everything else "none", wal_bytes > 0))
            # And runrecover itself opens it and answers.
            result = cli("--db", str(db), "status", "--json")
            assert result.exit_code == 0, (db, delay, result.stderr)

    # After the last kill the import can simply be run again.
    rerun = cli("import", str(export))
    assert rerun.exit_code == 0, rerun.stderr
    assert snapshot(db_path)["pain"] == everything["pain"]
    print(f"{KILLS} kills over {duration:.2f} s (database open at {open_at:.2f} s): "  # noqa: T201
          f"{sorted(outcomes)}")
