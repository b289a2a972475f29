"""`runrecover injury add / list / resolve` (and `show`, the story of one injury)."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, session
from runrecover.cli.options import AthleteOption, InjuryArgument, JsonOption, NoteOption
from runrecover.vocab import Side, part_and_side

injury_app = typer.Typer(help="Record, list, show and resolve injuries.", no_args_is_help=True)
app.add_typer(injury_app, name="injury")



@injury_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What it is, e.g. 'left calf strain'.")],
    part: Annotated[str | None, typer.Option(
        "--part", help="Body part, e.g. calf (default: the one the name says).")] = None,
    side: Annotated[Side | None, typer.Option(
        "--side", help="Which side (default: the one the name says).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="When it started: a day, or a day and time like 'yesterday 18:00' "
        "(default: today).")] = None,
    cause: Annotated[str | None, typer.Option("--cause", help="What brought it on.")] = None,
    diagnosis: Annotated[str | None, typer.Option(
        "--diagnosis", help="The clinician's diagnosis.")] = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Record an injury."""
    from runrecover import clock, dates, store
    from runrecover.render import console, entries
    from runrecover.rows import entry_json, onset_text

    onset = {"onset_on": clock.now().date(), "onset_at": None}
    if since is not None:
        onset = dates.onset(since)
    said_part, said_side = part_and_side(name)
    part, side = part or said_part, side or said_side
    with session(ctx, command="injury add") as s:
        row = store.add_entry(s, kind="injury", data={
            "name": name, "part": part, "side": side, **onset,
            "cause": cause, "diagnosis": diagnosis, "note": note})
        result = entry_json(row)
    if as_json:
        console.emit_json(result)
    else:
        console.show(entries.confirmation(
            "Recorded injury", f"{row.name}", row).append(f", since {onset_text(row)}"))


@injury_app.command("list")
def list_(
    ctx: typer.Context,
    include_resolved: Annotated[bool, typer.Option(
        "--all", help="Include resolved injuries.")] = False,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """List open injuries (all of them with --all)."""
    from runrecover import store
    from runrecover.render import console, tables
    from runrecover.rows import entry_json

    with session(ctx, write=False) as s:
        rows = store.list_injuries(s, include_resolved=include_resolved)
        # Nothing open: say whether that is because every injury was resolved.
        hidden = (0 if rows or include_resolved
                  else len(store.list_injuries(s, include_resolved=True)))
    if as_json:
        console.emit_json([entry_json(r) for r in rows])
    else:
        console.show(tables.injuries(rows, resolved_hidden=hidden))


@injury_app.command("resolve")
def resolve(
    ctx: typer.Context,
    ref: InjuryArgument,
    on: Annotated[str | None, typer.Option(
        "--on", help="The day it was resolved (default: today).")] = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Mark an injury as resolved."""
    from runrecover import clock, dates, store
    from runrecover.render import console
    from runrecover.rows import entry_json

    day = dates.resolved_day(on) if on is not None else clock.now().date()
    with session(ctx, command="injury resolve") as s:
        row = store.get_injury(s, ref=ref)
        store.update(s, row, changes={"resolved_on": day})
        result = entry_json(row)
    if as_json:
        console.emit_json(result)
    else:
        console.show(f"Resolved {row.name} on {clock.format_day(day)}.")


@injury_app.command("show")
def show(ctx: typer.Context, ref: InjuryArgument, as_json: JsonOption = False,
        athlete: AthleteOption = None) -> None:
    """One injury's story: did treatments help, pain, running volume."""
    from runrecover import clock
    from runrecover.questions import story as question
    from runrecover.render import console
    from runrecover.render import injury as view

    with session(ctx, write=False) as s:
        told = question.ask(s, profile(), ref=ref, now=clock.now())
    if as_json:
        console.emit_json(view.story_json(told))
    else:
        console.show(view.story_view(told))
