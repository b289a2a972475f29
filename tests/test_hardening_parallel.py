"""Parallel use: many processes logging, scoring pain, recording treatments, undoing and
asking for status on one file; nothing fails for a lock, and nothing is lost or invented.

Each worker, a process of its own (forked: see forked.py), runs its commands through the CLI
one after another, released at the same moment as the others. Every writing command prints the
uid it created (`--json`); `undo` removes one command's entry, whichever was last. The check is
exact: the rows left are the starting rows plus every uid created, minus one entry per
successful undo, and every row left has its journal entry (so a later undo can still reverse it).
"""

import json
import os
import random

import forked
from conftest import POSTGRES

WORKERS = 12
COMMANDS_PER_WORKER = 6
SEED = 15062016
WRITERS = ("log", "pain", "treat")


def plan(rng: random.Random, worker: int) -> list[list[str]]:
    """Each worker's commands: writes of every kind, a status and an undo, shuffled."""
    kinds = ["log", "pain", "treat", "status", "undo"]
    kinds += rng.choices(["log", "pain", "treat", "status"], k=COMMANDS_PER_WORKER - len(kinds))
    rng.shuffle(kinds)
    commands = []
    for n, kind in enumerate(kinds):
        on = f"2016-06-{1 + (worker + n) % 14:02d} {6 + n}:{worker:02d}"
        commands.append({
            "log": ["log", f"{5 + n}k", "30:00", "--on", on, "--note", f"w{worker}c{n}",
                    "--json"],
            "pain": ["pain", str(n % 11), "--on", on, "--context", "morning", "--json"],
            "treat": ["treat", rng.choice(["physio", "mesotherapy", "massage"]), "--on", on,
                      "--json"],
            "status": ["status", "--json"],
            "undo": ["undo", "--yes"],
        }[kind])
    return commands


def rows_and_journal(query) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    rows = {(table, uid) for table in ("injury", "treatment", "pain", "activity", "race")
            for (uid,) in query(f"SELECT uid FROM {table}")}
    journalled = [(change["table"], change["uid"])
                  for (changes,) in query("SELECT changes FROM journal")
                  for change in json.loads(changes)]
    if not POSTGRES:
        assert query("PRAGMA integrity_check") == [("ok",)]
    return rows, journalled


def test_parallel_log_pain_treat_undo_status(cli, isolated, database_query, tmp_path):
    """On a SQLite file, or on PostgreSQL (RUNRECOVER_TEST_POSTGRES) the test's schema."""
    # A starting history with more undoable commands than there are undos to come.
    assert cli("injury", "add", "left calf strain", "--since", "2016-05-20").exit_code == 0
    for n in range(WORKERS):
        assert cli("pain", str(n % 6), "--on", f"2016-06-{1 + n:02d} 07:00").exit_code == 0
    start_rows, start_journal = rows_and_journal(database_query)
    assert len(start_journal) == len(start_rows) == WORKERS + 1

    rng = random.Random(SEED)
    plans = [plan(rng, worker) for worker in range(WORKERS)]
    env = os.environ | ({} if POSTGRES else {"RUNRECOVER_DB": str(isolated)})
    start = forked.barrier(WORKERS)  # everyone starts at once
    workers = [forked.Commands(commands, env, tmp_path / f"worker-{n}.json", start)
               for n, commands in enumerate(plans)]
    start.wait(timeout=120)
    results = [vars(result) for worker in workers for result in worker.outcome()]

    everything = json.dumps(results)
    assert "locked" not in everything
    assert "Traceback" not in everything
    created, undone = set(), 0
    for result in results:
        command = result["args"][0]
        assert result["code"] == 0, result
        if command in WRITERS:
            table = {"log": "activity", "treat": "treatment"}.get(command, command)
            created.add((table, json.loads(result["stdout"])["uid"]))
        elif command == "undo":
            undone += 1
        else:
            assert "can_run" in json.loads(result["stdout"])
    writes = sum(r["args"][0] in WRITERS for r in results)
    assert len(created) == writes  # every write succeeded with its own uid

    rows, journalled = rows_and_journal(database_query)
    # Nothing invented, nothing lost: what is left is the start plus what was created, less
    # exactly one entry for each successful undo...
    assert rows <= start_rows | created
    assert len(start_rows | created) - len(rows) == undone
    # ...and each entry left can still be undone, each one undone has left the journal.
    assert sorted(journalled) == sorted(rows)
    assert undone == WORKERS
