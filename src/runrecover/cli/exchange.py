"""`runrecover export` and `runrecover import`."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.common import JsonOption, session
from runrecover.vocab import ActivityKind

FORMATS = ("json", "csv")


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option(
        "--format", help="json (everything, for import), csv (a zip of one CSV per entry "
        "kind, for spreadsheets).")] = "json",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="File to write (default: stdout).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only entries from this moment on.")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Only entries before this moment.")] = None,
) -> None:
    """Export your record (file mode 0600)."""
    from runrecover import clock, exchange
    from runrecover.errors import InputError

    if fmt not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if fmt == "csv" and output is None:
        raise InputError("A CSV export is a zip of one CSV per entry kind: "
                         "give --output, e.g. --output runrecover.zip.")
    since_at = clock.parse_when(since, lean="past").at if since else None
    until_at = clock.parse_when(until, lean="past").at if until else None
    with session(ctx, write=False) as s:
        selection = exchange.select_entries(s, since=since_at, until=until_at)
    data = exchange.to_json(selection) if fmt == "json" else exchange.to_csv_zip(selection)
    if output is None:
        sys.stdout.write(data.decode())
    else:
        exchange.write_private(output, data)


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        help="runrecover JSON exports (and, later, activity files).", dir_okay=False)],
    activity: Annotated[ActivityKind | None, typer.Option(
        "--activity", help="The kind of activity for files that do not say.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Import files; all of them or nothing, and what is already there is skipped."""
    from runrecover import exchange
    from runrecover.errors import InputError
    from runrecover.render import console

    documents = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"Cannot read {path}: {exc.strerror}.") from None
        documents.append((path, exchange.read_json_document(data, str(path))))
    counts = {}
    with session(ctx, command="import") as s:
        for path, document in documents:
            counts[str(path)] = exchange.import_json(s, document, str(path))
    if as_json:
        console.emit_json({name: {"added": c.added, "already": c.already}
                           for name, c in counts.items()})
        return
    for name, c in counts.items():
        console.show(f"{name}: {c.added} added, {c.already} already there.")
