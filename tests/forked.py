"""runrecover commands in processes of their own that start in milliseconds.

A fresh `python -m runrecover` spends most of a second of CPU importing SQLAlchemy, SQLModel
and Pydantic before it touches the database: the tests that start dozens of processes spent
most of their minutes there. Here a server process imports runrecover once (multiprocessing's
forkserver, one per test worker) and each process is a fork of it: a process of its own, with
its own SQLite connections, opened after the fork as a fresh start opens them, and killed like
any process. What a fork skips is the interpreter's own start-up, so the tests of that (argv
bytes, a closed stdout) still run `python -m runrecover`.
"""

import contextlib
import io
import json
import multiprocessing
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_forks = multiprocessing.get_context("forkserver")
# What the commands import lazily, so that every fork starts with it loaded; and pytest, which
# a fork imports again when it re-runs the test run's main script (the `pytest` command).
_forks.set_forkserver_preload(
    ["runrecover.cli", "runrecover.db", "runrecover.store", "runrecover.exchange", "pytest"])


@dataclass
class Result:
    args: list[str]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def _run(commands: list[list[str]], env: dict[str, str], results: str, barrier) -> None:
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    from runrecover.cli import app

    if barrier is not None:
        barrier.wait()
    done = []
    for args in commands:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                app(args=args, prog_name="runrecover")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            except Exception:  # past the CLI's error boundary: keep it for the test to show
                code = 1
                err.write(traceback.format_exc())
        done.append({"args": args, "code": code, "stdout": out.getvalue(),
                     "stderr": err.getvalue()})
    Path(results).write_text(json.dumps(done))


class Commands:
    """One process running `commands` one after another through the CLI, as `runrecover ARGS`
    would; with a `barrier` (see `barrier()`) it starts them when every party is ready."""

    def __init__(self, commands: list[list[str]], env: dict[str, str], results: Path,
                 barrier=None) -> None:
        self.results = results
        self.results.unlink(missing_ok=True)
        self.process = _forks.Process(target=_run,
                                      args=(commands, env, str(results), barrier), daemon=True)
        self.process.start()

    def kill(self) -> None:
        self.process.kill()

    def poll(self) -> int | None:
        return self.process.exitcode

    def wait(self, timeout: float = 300) -> int:
        self.process.join(timeout)
        if self.process.exitcode is None:
            self.process.kill()
            raise TimeoutError(f"still running after {timeout} s")
        return self.process.exitcode

    def outcome(self, timeout: float = 300) -> list[Result]:
        """Each command's exit code and output; the process must have ended normally."""
        assert self.wait(timeout) == 0, f"process ended with {self.process.exitcode}"
        return [Result(**r) for r in json.loads(self.results.read_text())]


def barrier(parties: int):
    """For `parties` processes and the test: all start at once when the test is ready too."""
    return _forks.Barrier(parties + 1)


def warm_up() -> None:
    """Start the server now, so that a test timing its processes does not time the server's
    own start (the imports) with the first of them."""
    process = _forks.Process(target=int)
    process.start()
    process.join()
