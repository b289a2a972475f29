"""Time runrecover's commands on a ten-year and a one-month history, and check the budgets.

    uv run python bench/run.py [--runs 15] [--heavy-runs 5] [--warmup 2] [--json out.json]

Each figure is the median wall time of a fresh `runrecover` process (as a user starts it),
over several runs after a warm-up, printed with its difference from the floor: the time
Python takes to import the stack (`python -c "import typer, rich, sqlmodel, dateutil"`).
Runs go round-robin over every command and both histories, so that a change in the
machine's load shifts all of them alike.

Budgets (SPEC.md, "Performance"):
  * `--help`, shell completion and `rules` never import SQLAlchemy;
  * `status`, `log` and an 8-week `timeline` add at most 150 ms to the floor on ten years,
    and at most 20 ms to their own one-month figures (cost follows what is shown).

Bytecode is compiled first (`compileall` over site-packages and src/), and children run
without PYTHONDONTWRITEBYTECODE: without cached bytecode every start recompiles every module
and the figures mean nothing. The histories come from `bench/generate.py` (run it first, or
this script runs it).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
HISTORIES = ("ten-years", "one-month")
BUDGET_FLOOR_MS = 150
BUDGET_GROWTH_MS = 20
BUDGETED = ("status", "log", "timeline 8 weeks")
NO_SQLALCHEMY = ("--help", "completion", "rules")


@dataclass
class Command:
    name: str
    args: list[str]
    history: str | None = None  # None: does not read a history
    heavy: bool = False  # slow: fewer runs
    env: dict[str, str] = field(default_factory=dict)
    setup: str | None = None  # "fresh-db": the database file is removed before each run
    expect: str | None = None  # text the output must hold
    times: list[float] = field(default_factory=list)
    skipped: str | None = None


def runrecover() -> str:
    script = Path(sys.executable).with_name("runrecover")
    if not script.exists():
        sys.exit(f"{script} not found: run this with the project's environment (uv run).")
    return str(script)


def compile_bytecode() -> None:
    started = time.perf_counter()
    paths = [sysconfig.get_paths()["purelib"], str(SRC)]
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j0", *paths], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"compiled bytecode in {' and '.join(paths)} "
          f"({time.perf_counter() - started:.1f} s)")


def child_env(config_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("RUNRECOVER_DB", None)
    env |= {"NO_COLOR": "1", "COLUMNS": "80", "RUNRECOVER_CONFIG_DIR": str(config_dir)}
    return env


def commands(work: Path, out: Path) -> list[Command]:
    rr = runrecover()
    ten_years_ago = (date.today() - timedelta(days=3660)).isoformat()
    found = [
        Command("floor", [sys.executable, "-c", "import typer, rich, sqlmodel, dateutil"]),
        Command("--help", [rr, "--help"], expect="Commands"),
        Command("completion", [rr], expect="treat", env={
            "_RUNRECOVER_COMPLETE": "complete_bash", "COMP_WORDS": "runrecover tr",
            "COMP_CWORD": "1"}),
        Command("rules", [rr, "rules"]),
    ]
    for history in HISTORIES:
        db = work / f"{history}.db"
        log_db = work / f"{history}-log.db"
        found += [
            Command("status", [rr, "--db", str(db), "status"], history),
            Command("log", [rr, "--db", str(log_db), "log", "5k", "25:00"], history),
            Command("timeline 8 weeks", [rr, "--db", str(db), "timeline", "--since",
                                         "8 weeks ago"], history),
            Command("timeline 10 years", [rr, "--db", str(db), "timeline", "--since",
                                          ten_years_ago], history, heavy=True),
            Command("export", [rr, "--db", str(db), "export"], history, heavy=True),
            Command("import", [rr, "--db", str(work / f"{history}-import.db"), "import",
                               str(out / f"{history}.json")], history, heavy=True,
                    setup="fresh-db"),
        ]
    return found


def prepare(out: Path, work: Path) -> None:
    missing = [h for h in HISTORIES if not (out / f"{h}.db").exists()]
    if missing:
        print(f"no {', '.join(missing)} history yet: running bench/generate.py")
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(out)],
                       check=True)
    for history in HISTORIES:
        # Timed commands read a copy (and `log` writes to its own), never the generated file.
        shutil.copyfile(out / f"{history}.db", work / f"{history}.db")
        shutil.copyfile(out / f"{history}.db", work / f"{history}-log.db")


def run_once(command: Command, env: dict[str, str]) -> float | None:
    """Seconds for one run, or None when the command does not exist (yet)."""
    if command.setup == "fresh-db":
        db = Path(command.args[2])
        for path in db.parent.glob(db.name + "*"):
            path.unlink()
    started = time.perf_counter()
    result = subprocess.run(command.args, env=env | command.env, capture_output=True,
                            text=True)
    elapsed = time.perf_counter() - started
    if result.returncode == 2 and "No such command" in result.stderr:
        command.skipped = result.stderr.strip()
        return None
    if result.returncode != 0:
        sys.exit(f"{command.name} failed ({result.returncode}): {result.stderr.strip()}")
    if command.expect and command.expect not in result.stdout:
        sys.exit(f"{command.name}: expected {command.expect!r} in its output, got "
                 f"{result.stdout[:200]!r}")
    return elapsed


def imports_sqlalchemy(command: Command, env: dict[str, str]) -> bool:
    """Whether the command imports sqlalchemy, from Python's own import log."""
    result = subprocess.run(command.args, env=env | command.env | {
        "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, text=True)
    modules = (line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
               if line.startswith("import time:"))
    return any(m == "sqlalchemy" or m.startswith("sqlalchemy.") for m in modules)


def measure(all_commands: list[Command], env: dict[str, str], runs: int, heavy_runs: int,
            warmup: int) -> None:
    rounds = warmup + runs
    for round_ in range(rounds):
        for command in all_commands:
            if command.skipped:
                continue
            if command.heavy and round_ >= warmup + heavy_runs:
                continue
            if command.heavy and round_ < warmup - 1:  # one warm-up is enough for these
                continue
            elapsed = run_once(command, env)
            if elapsed is not None and round_ >= warmup:
                command.times.append(elapsed)
        print(f"\rround {round_ + 1}/{rounds}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def report(all_commands: list[Command], env: dict[str, str]) -> list[tuple[str, bool]]:
    floor = statistics.median(next(c for c in all_commands if c.name == "floor").times)
    by_key = {(c.name, c.history): c for c in all_commands}
    names = list(dict.fromkeys(c.name for c in all_commands))
    print(f"\n{'':22}{'ten years':>24}{'one month':>24}")
    print(f"{'command':22}{'median':>12}{'- floor':>12}{'median':>12}{'- floor':>12}  runs")
    for name in names:
        row = f"{name:22}"
        counts = []
        for history in (("ten-years", "one-month") if (name, "ten-years") in by_key
                        else (None,)):
            command = by_key[(name, history)]
            if command.skipped:
                row += f"{'skipped':>24}"
                continue
            median = statistics.median(command.times)
            delta = "" if name == "floor" else f"{(median - floor) * 1000:+9.0f} ms"
            row += f"{ms(median):>12}{delta:>12}"
            counts.append(str(len(command.times)))
        print(f"{row}  {'/'.join(counts)}")
    for name in dict.fromkeys(c.name for c in all_commands if c.skipped):
        print(f"note: {name} skipped: no such command in this version of runrecover")

    checks: list[tuple[str, bool]] = []
    for name in NO_SQLALCHEMY:
        command = by_key[(name, None)]
        checks.append((f"{name} does not import sqlalchemy",
                       not imports_sqlalchemy(command, env)))
    for name in BUDGETED:
        ten, month = by_key[(name, "ten-years")], by_key[(name, "one-month")]
        if ten.skipped or month.skipped:
            continue
        ten_ms = (statistics.median(ten.times) - floor) * 1000
        growth_ms = (statistics.median(ten.times) - statistics.median(month.times)) * 1000
        checks.append((f"{name}: ten years - floor = {ten_ms:.0f} ms "
                       f"(budget {BUDGET_FLOOR_MS} ms)", ten_ms <= BUDGET_FLOOR_MS))
        checks.append((f"{name}: ten years - one month = {growth_ms:+.0f} ms "
                       f"(budget {BUDGET_GROWTH_MS} ms)", growth_ms <= BUDGET_GROWTH_MS))
    print("\nbudgets")
    for text, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--heavy-runs", type=int, default=5,
                        help="timed runs of import, export and the ten-year timeline")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first")
    parser.add_argument("--out", type=Path, default=HERE / "out",
                        help="where generate.py wrote the histories")
    parser.add_argument("--no-compile", action="store_true",
                        help="skip compileall (bytecode already compiled)")
    parser.add_argument("--json", type=Path, help="also write the raw times here")
    args = parser.parse_args()

    if not args.no_compile:
        compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="runrecover-bench-") as tmp:
        work = Path(tmp)
        (work / "config").mkdir()
        env = child_env(work / "config")
        prepare(args.out, work)
        all_commands = commands(work, args.out)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {load}; "
              f"{args.runs} runs ({args.heavy_runs} for heavy ones) after {args.warmup} "
              "warm-up")
        measure(all_commands, env, args.runs, args.heavy_runs, args.warmup)
        checks = report(all_commands, env)
    if args.json:
        args.json.write_text(json.dumps({
            "commands": [{"name": c.name, "history": c.history, "times_s": c.times,
                          "skipped": c.skipped} for c in all_commands],
            "checks": [{"check": text, "pass": passed} for text, passed in checks],
        }, indent=2) + "\n")
    sys.exit(0 if all(passed for _, passed in checks) else 1)


if __name__ == "__main__":
    main()
