"""Time runrecover's commands on a ten-year and a one-month history, and check the budgets.

    uv run python bench/run.py [--runs 15] [--heavy-runs 15] [--warmup 2] [--json out.json]

Each figure is the median wall time of a fresh `runrecover` process (as a user starts it),
over several runs after a warm-up, printed with its difference from the floor: the time
Python takes to import the stack (`python -c "import typer, rich, sqlmodel, dateutil"`).
Runs go round-robin over every command and both histories, so that a change in the
machine's load shifts all of them alike.

Budgets (SPEC.md, "Performance"), each printed PASS or FAIL (exit status 1 on any FAIL):
  * `--help`, shell completion and `rules` never import SQLAlchemy, and take at most 1.2x
    a bare Typer app's `--help` (bench/bare_typer.py) in this run;
  * `status`, `log` and an 8-week `timeline` add at most 150 ms to the floor on ten years;
  * as ratios within this one run (a loaded machine slows all alike), on ten years:
    `status`, `status --check`, `log`, `pain` and the 8-week `timeline` at most 0.6x the
    floor and at most 3x a bare `python -c "import typer"`; `import` of the whole export at
    most 4x `status`, `export` (JSON) 1.3x and its CSV and ICS formats 1.5x (see
    OTHER_FORMATS), the ten-year `timeline` 3x;
  * every command's peak memory (its maxrss) under 100 MB.

What `status`, `log` and the 8-week `timeline` cost on ten years beyond their one-month
figures is printed, not budgeted: here one median moves by 15 to 30 ms from run to run, more
than that difference.
tests/test_growth.py holds "cost grows with what is shown" instead, by counting SQLite's
work, which does not vary.

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
BUDGETED = ("status", "log", "timeline 8 weeks")
NO_SQLALCHEMY = ("--help", "completion", "rules")
BARE_TYPER = 1.2  # --help, completion and rules: at most this many times a bare app's --help
EVERYDAY = ("status", "status --check", "log", "pain", "timeline 8 weeks")
# Each at most OF_FLOOR times the floor (SPEC's; issue 15 allowed the timeline 0.7x) and
# OF_TYPER times `import typer`.
OF_FLOOR = 0.6
OF_TYPER = 3
# The CSV and ICS exports' budget: SPEC.md holds only the JSON export (the one for import) to
# 1.3x. CSV also puts every moment in the runner's zone, every distance, pace and duration in
# the units shown and every text past a spreadsheet's formula check, then zips five tables
# (about 1.30x here); ICS builds its calendar with icalendar (the stack welcomes such a
# library), whose import and 198 events on ten years take about 100 ms (about 1.26x).
OTHER_FORMATS = 1.5
# (command, at most this many times `status`), on ten years
HEAVY = (("import", 4), ("export", 1.3), ("export csv", OTHER_FORMATS),
         ("export ics", OTHER_FORMATS), ("timeline 10 years", 3))
MEMORY_MB = 100


@dataclass
class Command:
    name: str
    args: list[str]
    history: str | None = None  # None: does not read a history
    heavy: bool = False  # slow: one warm-up round, and --heavy-runs timed ones
    env: dict[str, str] = field(default_factory=dict)
    setup: str | None = None  # "fresh-db": the database file is removed before each run
    expect: str | None = None  # text the output must hold
    times: list[float] = field(default_factory=list)
    skipped: str | None = None
    maxrss_mb: float | None = None


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
        Command("import typer", [sys.executable, "-c", "import typer"]),
        Command("bare typer --help", [sys.executable, str(HERE / "bare_typer.py"), "--help"],
                expect="hello"),
        Command("--help", [rr, "--help"], expect="Every day:"),
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
            # Exit 1 when running is not allowed: the answer, not a failure.
            Command("status --check", [rr, "--db", str(db), "status", "--check"], history),
            # --again: each run stores a new activity, not "already logged" (the same run).
            Command("log", [rr, "--db", str(log_db), "log", "5k", "25:00", "--again"], history),
            # Pain for the one open injury (the generator leaves only the last one open).
            Command("pain", [rr, "--db", str(log_db), "pain", "2"], history),
            Command("timeline 8 weeks", [rr, "--db", str(db), "timeline", "--since",
                                         "8 weeks ago"], history),
            Command("timeline 10 years", [rr, "--db", str(db), "timeline", "--since",
                                          ten_years_ago], history, heavy=True),
            Command("export", [rr, "--db", str(db), "export"], history, heavy=True),
            Command("export csv", [rr, "--db", str(db), "export", "--format", "csv", "--output",
                                   str(work / f"{history}-csv.zip")], history, heavy=True),
            Command("export ics", [rr, "--db", str(db), "export", "--format", "ics"], history,
                    heavy=True),
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
    # Its output goes to a file, as `runrecover export > file` writes it: read through a pipe
    # and decoded here, the four megabytes of a JSON export cost this script, not the command.
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        result = subprocess.run(command.args, env=env | command.env, stdout=out,
                                stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        out.seek(0)
        stdout = out.read().decode()
    if result.returncode == 2 and "No such command" in result.stderr:
        command.skipped = result.stderr.strip()
        return None
    if result.returncode != 0 and not (command.name == "status --check"
                                       and result.returncode == 1):
        sys.exit(f"{command.name} failed ({result.returncode}): {result.stderr.strip()}")
    if command.expect and command.expect not in stdout:
        sys.exit(f"{command.name}: expected {command.expect!r} in its output, got "
                 f"{stdout[:200]!r}")
    return elapsed


def imports_sqlalchemy(command: Command, env: dict[str, str]) -> bool:
    """Whether the command imports sqlalchemy, from Python's own import log."""
    result = subprocess.run(command.args, env=env | command.env | {
        "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, text=True)
    modules = (line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
               if line.startswith("import time:"))
    return any(m == "sqlalchemy" or m.startswith("sqlalchemy.") for m in modules)


# Forks the command from a fresh, small interpreter and prints its maxrss: a child forked
# from this script itself would count this script's own memory as its peak.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.execv(sys.argv[1], sys.argv[1:])
print(os.wait4(pid, 0)[2].ru_maxrss)
"""


def peak_memory(command: Command, env: dict[str, str]) -> float:
    """The command's peak memory (maxrss) in MB, as the kernel counted it."""
    if command.setup == "fresh-db":
        db = Path(command.args[2])
        for path in db.parent.glob(db.name + "*"):
            path.unlink()
    result = subprocess.run([sys.executable, "-c", LAUNCHER, *command.args],
                            env=env | command.env, capture_output=True, text=True, check=True)
    return int(result.stdout) / 1024  # kilobytes on Linux


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


def report(all_commands: list[Command], env: dict[str, str],
           markdown: Path | None = None) -> list[tuple[str, bool]]:
    """Print the table (and write it as Markdown, for the README) and the budgets."""
    floor = statistics.median(next(c for c in all_commands if c.name == "floor").times)
    by_key = {(c.name, c.history): c for c in all_commands}
    names = list(dict.fromkeys(c.name for c in all_commands))
    rows = []
    for name in names:
        cells = [name]
        for history in (("ten-years", "one-month") if (name, "ten-years") in by_key
                        else (None,)):
            command = by_key[(name, history)]
            if command.skipped:
                cells += ["skipped", "", ""]
                continue
            median = statistics.median(command.times)
            cells += [f"{median * 1000:.0f} ms", f"{median / floor:.2f}x",
                      f"{command.maxrss_mb:.0f} MB" if command.maxrss_mb else ""]
        rows.append(cells + [""] * (7 - len(cells)))
    heads = ["command", "ten years", "x floor", "memory", "one month", "x floor", "memory"]
    print()
    for cells in [heads, *rows]:
        print(f"{cells[0]:20}" + "".join(f"{c:>10}" for c in cells[1:]))
    if markdown is not None:
        lines = ["| " + " | ".join(heads) + " |", "| --- |" + " ---: |" * 6]
        lines += ["| " + " | ".join([f"`{r[0]}`", *r[1:]]) + " |" for r in rows]
        markdown.write_text("\n".join(lines) + "\n")
    for name in dict.fromkeys(c.name for c in all_commands if c.skipped):
        print(f"note: {name} skipped: no such command in this version of runrecover")

    checks: list[tuple[str, bool]] = []
    growth: list[str] = []
    bare = statistics.median(by_key[("bare typer --help", None)].times)
    for name in NO_SQLALCHEMY:
        command = by_key[(name, None)]
        checks.append((f"{name} does not import sqlalchemy",
                       not imports_sqlalchemy(command, env)))
        median = statistics.median(command.times)
        checks.append((f"{name}: {median / bare:.2f}x a bare Typer app's --help "
                       f"(budget {BARE_TYPER}x)", median <= BARE_TYPER * bare))
    for name in BUDGETED:
        ten, month = by_key[(name, "ten-years")], by_key[(name, "one-month")]
        if ten.skipped or month.skipped:
            continue
        ten_ms = (statistics.median(ten.times) - floor) * 1000
        growth_ms = (statistics.median(ten.times) - statistics.median(month.times)) * 1000
        checks.append((f"{name}: ten years - floor = {ten_ms:.0f} ms "
                       f"(budget {BUDGET_FLOOR_MS} ms)", ten_ms <= BUDGET_FLOOR_MS))
        growth.append(f"{name}: ten years - one month = {growth_ms:+.0f} ms")
    typer_only = statistics.median(by_key[("import typer", None)].times)

    def ten_years(name: str) -> float | None:
        command = by_key.get((name, "ten-years"))
        return None if command is None or command.skipped else statistics.median(command.times)

    for name in EVERYDAY:
        median = ten_years(name)
        if median is None:
            continue
        checks.append((f"{name}: {median / floor:.2f}x the floor (budget {OF_FLOOR}x)",
                       median <= OF_FLOOR * floor))
        checks.append((f"{name}: {median / typer_only:.2f}x import typer (budget {OF_TYPER}x)",
                       median <= OF_TYPER * typer_only))
    status = ten_years("status")
    for name, of_status in HEAVY:
        median = ten_years(name)
        if median is None or status is None:
            continue
        checks.append((f"{name}: {median / status:.2f}x status (budget {of_status}x)",
                       median <= of_status * status))
    for command in all_commands:
        if command.maxrss_mb is not None and command.history != "one-month":
            checks.append((f"{command.name}: peak memory {command.maxrss_mb:.0f} MB "
                           f"(budget {MEMORY_MB} MB)", command.maxrss_mb < MEMORY_MB))
    print("\nbudgets")
    for text, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    print("\ngrowth (not budgeted here: tests/test_growth.py counts SQLite's work instead)")
    for text in growth:
        print(f"  {text}")
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--heavy-runs", type=int, default=15,
                        help="timed runs of import, export and the ten-year timeline")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first")
    parser.add_argument("--out", type=Path, default=HERE / "out",
                        help="where generate.py wrote the histories")
    parser.add_argument("--no-compile", action="store_true",
                        help="skip compileall (bytecode already compiled)")
    parser.add_argument("--json", type=Path, help="also write the raw times here")
    parser.add_argument("--markdown", type=Path,
                        help="also write the table here in Markdown (the README's table)")
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
        for command in all_commands:
            if not command.skipped:
                command.maxrss_mb = peak_memory(command, env)
        checks = report(all_commands, env, args.markdown)
    if args.json:
        args.json.write_text(json.dumps({
            "commands": [{"name": c.name, "history": c.history, "times_s": c.times,
                          "maxrss_mb": c.maxrss_mb, "skipped": c.skipped}
                         for c in all_commands],
            "checks": [{"check": text, "pass": passed} for text, passed in checks],
        }, indent=2) + "\n")
    sys.exit(0 if all(passed for _, passed in checks) else 1)


if __name__ == "__main__":
    main()
