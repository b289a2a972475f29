"""`runrecover export` and `runrecover import`."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, records
from runrecover.cli.options import AthleteOption, JsonOption, activity_option
from runrecover.vocab import ActivityKind


class Format(StrEnum):
    json = "json"
    csv = "csv"
    ics = "ics"


class Units(StrEnum):
    km = "km"
    mi = "mi"


@contextmanager
def _no_collection() -> Iterator[None]:
    """The garbage collector paused: what an export reads is kept until it is written and
    makes no cycles, so its passes over ten years of rows (10 ms) would free nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option(
        "--format", help="json (everything, for import), csv (a zip of one CSV per entry "
        "kind, for spreadsheets), ics (restrictions, course sessions and races for a "
        "calendar).")] = Format.json,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="File to write, replaced whole once complete; a "
        "pipe or device is written in place; - is stdout (the default).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only entries from this moment on.")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Only entries before this moment.")] = None,
    athlete: AthleteOption = None,
) -> None:
    """Export your record (file mode 0600)."""
    from runrecover import clock, dates, private_files
    from runrecover.cli.context import shown_units
    from runrecover.errors import InputError
    from runrecover.render import console

    if fmt == "csv" and output is None:
        raise InputError("A CSV export is a zip of one CSV per entry kind: "
                         "give --output, e.g. --output runrecover.zip.")
    since_at = dates.parse_when(since, lean="past").at if since is not None else None
    until_at = dates.parse_when(until, lean="past").at if until is not None else None
    if since_at is not None and until_at is not None and since_at >= until_at:
        raise InputError(f"--since {since!r} is not before --until {until!r}: "
                         "give the earlier moment first.")
    with _no_collection(), records(ctx, write=False) as r:
        r.check_sound()  # a damaged page would be exported as whatever it now holds
        if fmt == "ics":
            from runrecover.questions import plan as plan_question
            from runrecover.render.ics import to_ics

            plan = plan_question.ask(r, profile(), since=since_at, until=until_at,
                                      now=clock.now())
            data = to_ics(plan)
        else:
            from runrecover.exchange import export as exporting

            data = (exporting.json_export(r, since=since_at, until=until_at) if fmt == "json"
                    else exporting.csv_export(r, since=since_at, until=until_at,
                                              shown=shown_units()))
    if output is None:
        console.emit_utf8(data)
    else:
        private_files.write(output, data)


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE",
        help="runrecover JSON exports, FIT/GPX/TCX activity files (also gzipped), Strava "
        "activities.csv, Garmin Connect activity CSVs (recognised by content); folders (a "
        "watch's GARMIN/Activity, an unpacked Strava export) and zip archives (Strava's bulk "
        "export) are read whole.")],
    activity: Annotated[ActivityKind | None, activity_option(
        "The kind of activity for files that do not say (a GPX with no type).")] = None,
    units: Annotated[Units | None, typer.Option(
        "--units", help="The unit of CSV distances when the file does not say it (Garmin "
        "Connect's own export).")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Refuse a file at its first implausible row or value, instead of "
        "leaving it out and saying so.")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="When an export's entry is stored with other content (edited on "
        "another device), take the file's version ('undo' puts the stored one back).")] = False,
    keep: Annotated[bool, typer.Option(
        "--keep", help="When an export's entry is stored with other content, keep the stored "
        "one. Without --replace or --keep, such an import writes nothing and names the "
        "entry.")] = False,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Import files, folders and exports: all of them or nothing; what is already there is
    skipped and counted, or improved by a richer file. An entry stored with other content
    than the export's stops the import unless --replace or --keep says which to keep."""
    from runrecover.errors import InputError
    from runrecover.exchange import files as exchange
    from runrecover.exchange.json_import import entry_count
    from runrecover.questions.imports import broken_restrictions
    from runrecover.render import console
    from runrecover.render import imports as view

    if replace and keep:
        raise InputError("--replace and --keep cannot be given together: --replace takes the "
                         "file's versions, --keep the ones stored.")
    found = exchange.files_to_read(files)
    with view.progress(len(found), "Reading", at_least=view.PROGRESS_FROM_FILES) as advance:
        plan = exchange.read_files(found, default_kind=activity, units=units, strict=strict,
                                   advance=advance)
    total = sum(entry_count(f.content) if f.fmt == "runrecover-json"
                else len(f.content.activities) for f in plan.files)
    with records(ctx, command="import") as r, view.progress(total, "Importing") as advance:
        added = exchange.store_files(r, plan, advance, clashes="replace" if replace
                                     else "keep" if keep else "refuse")
        settings = profile()
        broken = broken_restrictions(r, settings, added)
    if as_json:
        console.emit_json(view.summary_json(plan, broken))
        return
    console.show(view.summary(plan))
    for line in view.notes(plan):
        console.warn(line)
    for row, window in broken[:view.BROKEN_SHOWN]:
        console.warn(view.broken_line(row, window, settings.units))
    if len(broken) > view.BROKEN_SHOWN:
        console.warn(view.more_broken(len(broken) - view.BROKEN_SHOWN))
