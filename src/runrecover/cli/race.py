"""`runrecover race add / list`."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, session
from runrecover.cli.options import AthleteOption, JsonOption, NoteOption

race_app = typer.Typer(help="Record and list races.", no_args_is_help=True)
app.add_typer(race_app, name="race")


@race_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The race, e.g. 'City 15K'.")],
    when: Annotated[str, typer.Argument(
        help="Its date and, if known, start time: 2016-06-19, 'sun 9:30', '19 June 2016'.")],
    distance: Annotated[str | None, typer.Option(
        "--distance", help="8k, 15K, 10mi, half, marathon…")] = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Record a race you plan to run."""
    from runrecover import dates, store, units
    from runrecover.render import console, entries
    from runrecover.rows import entry_json

    moment = dates.parse_when(when, lean="future")
    with session(ctx, command="race add") as s:
        row = store.add_entry(s, kind="race", data={
            "name": name, "at": moment.at, "time_known": moment.time_known,
            "distance_km": (units.parse_distance(distance, profile().units)
                            if distance is not None else None),
            "note": note})
        result = entry_json(row)
    if as_json:
        console.emit_json(result)
    else:
        console.show(entries.confirmation("Added race", row.name, row))


@race_app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False,
        athlete: AthleteOption = None) -> None:
    """List races."""
    from runrecover import store
    from runrecover.render import console, tables
    from runrecover.rows import entry_json

    with session(ctx, write=False) as s:
        rows = store.list_races(s)
    if as_json:
        console.emit_json([entry_json(r) for r in rows])
    else:
        console.show(tables.races(rows, profile().units))
