"""Every test runs the real CLI on its own temporary database, at a frozen moment, in
Europe/Paris, at 80 columns without colour."""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import typer.testing
from typer.testing import CliRunner

from runrecover import clock
from runrecover.cli import app

PARIS = ZoneInfo("Europe/Paris")
# Wednesday 15 June 2016, 10:00 in Paris: the seeds' stories happen around this week.
FROZEN_NOW = datetime(2016, 6, 15, 10, 0, tzinfo=PARIS)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    # The default place, moved: a command that only reads finds nothing there at first and
    # welcomes, as on a new machine (an explicit --db that does not exist is an error).
    db = tmp_path / "data" / "runrecover.db"
    monkeypatch.delenv("RUNRECOVER_DB", raising=False)
    monkeypatch.setenv("RUNRECOVER_DATA_DIR", str(db.parent))
    monkeypatch.setenv("RUNRECOVER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TZ", "Europe/Paris")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("RUNRECOVER_DEBUG", raising=False)
    monkeypatch.delenv("RUNRECOVER_UNITS", raising=False)  # a runner in miles runs tests too
    return db


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Freeze the clock; tests call it again to move time."""

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment.astimezone(clock.local_zone()))

    set_now(FROZEN_NOW)
    return set_now


# Typer builds the Click command from the app on every CliRunner.invoke: about 40% of a
# typical test's time. The installed program builds it once per process; so do the tests,
# once per worker (the command holds no state between invocations).
typer.testing._get_command = functools.cache(typer.testing._get_command)


@pytest.fixture
def cli(now) -> Callable[..., Run]:
    """Run `runrecover ARGS...`; `input` answers prompts."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated
