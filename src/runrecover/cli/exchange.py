"""`runrecover export` and `runrecover import`."""

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.common import JsonOption, session
from runrecover.vocab import ActivityKind

FORMATS = ("json", "csv", "ics")


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option(
        "--format", help="json (everything, for import), csv (a zip of one CSV per entry "
        "kind, for spreadsheets), ics (restrictions, course sessions and races for a "
        "calendar).")] = "json",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="File to write, replaced whole once complete; a "
        "pipe or device is written in place; - is stdout (the default).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only entries from this moment on.")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Only entries before this moment.")] = None,
) -> None:
    """Export your record (file mode 0600)."""
    from runrecover import clock, db, exchange, private_files
    from runrecover.errors import InputError
    from runrecover.render import console

    if fmt not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if fmt == "csv" and output is None:
        raise InputError("A CSV export is a zip of one CSV per entry kind: "
                         "give --output, e.g. --output runrecover.zip.")
    since_at = clock.parse_when(since, lean="past").at if since is not None else None
    until_at = clock.parse_when(until, lean="past").at if until is not None else None
    if since_at is not None and until_at is not None and since_at >= until_at:
        raise InputError(f"--since {since!r} is not before --until {until!r}: "
                         "give the earlier moment first.")
    with session(ctx, write=False) as s:
        db.check_session(s)  # a damaged page would be exported as whatever it now holds
        if fmt == "ics":
            data = _calendar(s, since=since_at, until=until_at)
        else:
            selection = exchange.select_entries(s, since=since_at, until=until_at)
            data = (exchange.to_json(selection) if fmt == "json"
                    else exchange.to_csv_zip(selection))
    if output is None:
        console.emit(data.decode())
    else:
        private_files.write(output, data)


def _calendar(s, *, since, until) -> bytes:
    """Every restriction window, due course session and race between since and until."""
    from runrecover import clock, rules, store
    from runrecover.cli.common import protocols_file
    from runrecover.ics import to_ics
    from runrecover.models import Race, Treatment
    from runrecover.protocols import load_advice, load_protocols

    protocols, advice, now = load_protocols(protocols_file()), load_advice(), clock.now()
    since_treatments = None if since is None else since - timedelta(
        days=store.TREATMENT_LOOKBACK_DAYS)
    treatments = store.between(s, Treatment, since=since_treatments, until=until)
    uids = {t.id: t.uid for t in treatments}
    windows = [(uids[w.treatment.id], w) for w in rules.merge_adjacent(rules.windows(
        [rules.TreatmentFact.from_row(t) for t in treatments], protocols))
        if (since is None or w.end > since) and (until is None or w.start < until)]
    history = store.load_history(s, around=now)
    sessions = [n for n in rules.evaluate(history, now, protocols, advice).next_sessions
                if (since is None or clock.start_of_day(n.due) >= since)
                and (until is None or clock.start_of_day(n.due) < until)]
    races = []
    for race in store.between(s, Race, since=since, until=until):
        fact = rules.RaceFact.from_row(race)
        races.append((race.uid, fact, *rules.race_window(fact, advice)))
    return to_ics(windows=windows, sessions=sessions, races=races, stamp=now)


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        help="runrecover JSON exports, FIT/GPX/TCX activity files, Strava activities.csv, "
        "Garmin Connect activity CSVs (recognised by content).", dir_okay=False)],
    activity: Annotated[ActivityKind | None, typer.Option(
        "--activity", help="The kind of activity for files that do not say (a GPX with no "
        "type).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Import files: all of them or nothing; what is already there is skipped and counted."""
    from runrecover import exchange, rules, store
    from runrecover.activity_files import read_activities, sniff
    from runrecover.cli.common import protocols_file
    from runrecover.errors import InputError
    from runrecover.protocols import load_protocols
    from runrecover.render import console
    from runrecover.render import imports as view

    # Read and check every file before writing anything: one bad file, nothing written.
    readings = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"Cannot read {path}: {exc.strerror}.") from None
        fmt = sniff(data, str(path))
        if fmt == "runrecover-json":
            readings.append((path, fmt, exchange.read_json_document(data, str(path))))
        else:
            readings.append((path, fmt, read_activities(path, default_kind=activity)))
    counts: dict[str, tuple[str, exchange.ImportCount]] = {}
    added = []
    total = sum(exchange.entry_count(content) if fmt == "runrecover-json" else len(content)
                for _, fmt, content in readings)
    with session(ctx, command="import") as s, view.progress(total) as advance:
        for path, fmt, content in readings:
            if fmt == "runrecover-json":
                count, rows = exchange.import_json(s, content, str(path), advance)
            else:
                count, rows = exchange.import_activities(s, content, str(path), advance)
            added += rows
            counts[str(path)] = (fmt, count)
        broken = []
        if added:
            first, last = min(a.at for a in added), max(a.at for a in added)
            treatments = store.treatments_in_force(s, since=first, until=last)
            flags = rules.broken_by([rules.ActivityFact.from_row(a) for a in added],
                                    treatments, load_protocols(protocols_file()))
            broken = [(row, flags[row.id]) for row in added if row.id in flags]
    if as_json:
        console.emit_json(view.summary_json(counts, broken))
        return
    console.show(view.summary(counts))
    for row, window in broken[:view.BROKEN_SHOWN]:
        console.warn(view.broken_line(row, window))
    if len(broken) > view.BROKEN_SHOWN:
        console.warn(view.more_broken(len(broken) - view.BROKEN_SHOWN))
