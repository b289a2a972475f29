"""Import speed of activity files: seconds per MB of FIT, per 1,000 rows of a Strava CSV, and
a whole Strava-style export folder, read in-process and imported by a fresh `runrecover`.

    uv run python bench/import_files.py [--fit-records 40000] [--csv-rows 10000]
                                        [--folder-files 100] [--runs 5]

The files are written here (FIT with fit-tool, a dev dependency): a FIT of one-second
records with position, distance and heart rate (40,000 records is about 1 MB, an 11-hour
recording), a Strava activities.csv of distinct runs, and a folder of FIT files of ten
minutes each as a watch or a Strava export holds them. fit-tool writes about 1 ms per
record: the files take a few minutes to make. Where `../shared/fixtures/real/` is present,
its FIT files are read too. Issue 12's aim: a 1 MB FIT "in well under 0.5 s".
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parents[1] / "shared" / "fixtures" / "real"
START = datetime(2024, 3, 5, 6, 30, tzinfo=UTC)


def fit_bytes(records: int, start: datetime = START) -> bytes:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    def ms(moment: datetime) -> int:
        return round(moment.timestamp() * 1000)

    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1234
    file_id.time_created = ms(start)
    builder.add(file_id)
    for second in range(records):
        record = RecordMessage()
        record.timestamp = ms(start + timedelta(seconds=second))
        record.position_lat = 46.8 + second * 1e-5
        record.position_long = 7.15
        record.distance = second * 2.8
        record.heart_rate = 140 + second % 20
        builder.add(record)
    session = SessionMessage()
    session.timestamp = ms(start + timedelta(seconds=records))
    session.start_time = ms(start)
    session.sport = Sport.RUNNING
    session.total_elapsed_time = float(records)
    session.total_timer_time = float(records)
    session.total_distance = records * 2.8
    builder.add(session)
    return builder.build().to_bytes()


def strava_csv(rows: int) -> str:
    lines = ["Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
             "Elapsed Time,Moving Time,Distance"]
    for number in range(rows):
        moment = START - timedelta(days=number)
        date = f"{moment:%b} {moment.day}, {moment.year}, 6:30:00 AM"
        lines.append(f'{number + 1},"{date}",Morning Run,Run,2700,8.1,2700.0,2650.0,8100.0')
    return "\n".join(lines) + "\n"


def median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cli_import(path: Path, db: Path) -> float:
    for old in db.parent.glob(db.name + "*"):
        old.unlink()
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("runrecover")), "--db", str(db),
                    "import", str(path)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit-records", type=int, default=40_000)
    parser.add_argument("--csv-rows", type=int, default=10_000)
    parser.add_argument("--folder-files", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from runrecover.activity_files import read_activities

    with tempfile.TemporaryDirectory(prefix="runrecover-import-bench-") as tmp:
        work = Path(tmp)
        fit = work / "long.fit"
        fit.write_bytes(fit_bytes(args.fit_records))
        megabytes = fit.stat().st_size / 1024 / 1024
        seconds = median_seconds(lambda: read_activities(fit), args.runs)
        print(f"FIT, {megabytes:.2f} MB ({args.fit_records} records): read in "
              f"{seconds * 1000:.0f} ms = {seconds / megabytes:.3f} s per MB")
        if REAL.is_dir():
            real = sorted(REAL.glob("*.fit"))
            size = sum(p.stat().st_size for p in real) / 1024 / 1024

            def read_real() -> None:
                for path in real:
                    try:
                        read_activities(path)
                    except Exception:  # the fixtures' courses and workouts are refused
                        pass

            seconds = median_seconds(read_real, args.runs)
            print(f"FIT, the {len(real)} real fixtures ({size:.2f} MB): "
                  f"{seconds / size:.3f} s per MB")

        csv_file = work / "activities.csv"
        csv_file.write_text(strava_csv(args.csv_rows))
        seconds = median_seconds(lambda: read_activities(csv_file), args.runs)
        print(f"Strava CSV, {args.csv_rows} rows: read at {seconds / args.csv_rows * 1000:.3f} s "
              "per 1,000 rows")

        db = work / "bench.db"
        runs = max(1, args.runs // 2)
        seconds = statistics.median(cli_import(fit, db) for _ in range(runs))
        print(f"runrecover import of the {megabytes:.2f} MB FIT (a fresh process): "
              f"{seconds:.2f} s")
        seconds = statistics.median(cli_import(csv_file, db) for _ in range(runs))
        print(f"runrecover import of {args.csv_rows} CSV rows (a fresh process): {seconds:.2f} s"
              f" = {seconds / args.csv_rows * 1000:.3f} s per 1,000 rows")

        folder = work / "export" / "activities"
        folder.mkdir(parents=True)
        for number in range(args.folder_files):
            start = START - timedelta(days=number)
            (folder / f"{number}.fit").write_bytes(fit_bytes(600, start))
        seconds = statistics.median(cli_import(folder.parent, db) for _ in range(runs))
        print(f"runrecover import of a folder of {args.folder_files} ten-minute FIT files: "
              f"{seconds:.2f} s")


if __name__ == "__main__":
    main()
