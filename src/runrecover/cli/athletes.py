"""`runrecover athletes`: the clinician's view across athletes, and adding, setting and
renaming them. Changes to the athletes themselves are not in the undo journal (each
athlete's journal holds their own entries' changes)."""

from typing import TYPE_CHECKING, Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.options import JsonOption, NoteOption

if TYPE_CHECKING:
    from runrecover.settings import Database

athletes_app = typer.Typer(
    help="The athletes of a shared database: today's verdict for each, or add, set and "
    "rename them.")
app.add_typer(athletes_app, name="athletes")

ZoneOption = Annotated[str | None, typer.Option(
    "--zone", metavar="IANA_ZONE", help="The zone the athlete's days are counted in, e.g. "
    "Europe/Paris (beats TZ; '' clears it).")]
UnitsOption = Annotated[str | None, typer.Option(
    "--units", metavar="km|mi", help="Distances in kilometres or miles for this athlete (beats "
    "the settings file; RUNRECOVER_UNITS still beats it; '' clears it).")]


@athletes_app.callback(invoke_without_command=True)
def athletes(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """One line per athlete: today's verdict (in their zone), the next course session due,
    any advice to see a clinician."""
    if ctx.invoked_subcommand is not None or ctx.resilient_parsing:
        return
    from runrecover import athletes as stored
    from runrecover import clock
    from runrecover.cli.context import act_for, chosen_database, profile, records
    from runrecover.questions import athletes as question
    from runrecover.render import athletes as view
    from runrecover.render import console

    database = chosen_database(ctx, write=False)
    found = stored.on_database(database) if database is not None else []
    lines, documents = [], []
    for athlete in found:
        act_for(ctx, athlete)  # their zone and units, while their line is made
        now = clock.now()
        with records(ctx, write=False) as r:
            answer = question.ask(r, profile(), athlete, now=now)
        documents.append(view.athlete_json(answer))
        lines.append(view.athlete_line(answer))
    if as_json:
        console.emit_json({"athletes": documents})
    else:
        console.show(view.athletes_view(lines))


@athletes_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The athlete's name (unique, whatever its case).")],
    zone: ZoneOption = None,
    units: UnitsOption = None,
    note: NoteOption = None,
) -> None:
    """Add an athlete (not undone by 'undo')."""
    from runrecover import athletes as stored
    from runrecover.cli.context import chosen_database
    from runrecover.render import console

    stored.check_name(name)  # before the database is made: a refusal writes nothing
    zone_name, unit = stored.check_zone(zone), stored.check_units(units)
    with stored.writing(chosen_database(ctx, write=True)) as conn:
        athlete = stored.add(conn, name, time_zone=zone_name, units=unit, note=note)
    console.show(f"Added athlete {athlete.name}{_settings(athlete)}.")


@athletes_app.command("set")
def set_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The athlete's name.")],
    zone: ZoneOption = None,
    units: UnitsOption = None,
) -> None:
    """Set an athlete's zone or units (not undone by 'undo')."""
    from runrecover import athletes as stored
    from runrecover.errors import InputError
    from runrecover.render import console

    values = {}
    if zone is not None:
        values["time_zone"] = stored.check_zone(zone)
    if units is not None:
        values["units"] = stored.check_units(units)
    if not values:
        raise InputError("Give --zone or --units to set (an empty value clears it).")
    with stored.writing(_existing(ctx, name, where="NAME")) as conn:
        athlete = stored.change(conn, stored.pick(stored.all_of(conn), name, where="NAME"),
                                **values)
    shown = _settings(athlete) or ": no zone or units of their own"
    console.show(f"Athlete {athlete.name}{shown}.")


@athletes_app.command("rename")
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The athlete's name now.")],
    new: Annotated[str, typer.Argument(help="The new name.")],
) -> None:
    """Rename an athlete (not undone by 'undo')."""
    from runrecover import athletes as stored
    from runrecover.render import console

    stored.check_name(new)
    with stored.writing(_existing(ctx, old, where="OLD")) as conn:
        athlete = stored.pick(stored.all_of(conn), old, where="OLD")
        renamed = stored.change(conn, athlete, name=new)
    console.show(f"Renamed athlete {athlete.name} to {renamed.name}.")


def _existing(ctx: typer.Context, name: str, *, where: str) -> "Database":
    """The database holding the athlete to change: none yet is refused as a name not there,
    and makes no file."""
    from runrecover import athletes as stored
    from runrecover.cli.context import chosen_database

    database = chosen_database(ctx, write=False)
    if database is None:
        stored.pick([], name, where=where)  # refuses it
    return database


def _settings(athlete) -> str:
    shown = [f"zone {athlete.time_zone}"] if athlete.time_zone else []
    shown += [f"units {athlete.units}"] if athlete.units else []
    return f" ({', '.join(shown)})" if shown else ""
