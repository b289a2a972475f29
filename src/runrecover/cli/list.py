"""`runrecover list`: every entry with its id, newest last, to find what to edit or delete."""

from enum import StrEnum
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, session
from runrecover.cli.options import AthleteOption, JsonOption


class ListKind(StrEnum):
    runs = "runs"
    pain = "pain"
    treatments = "treatments"
    injuries = "injuries"
    races = "races"


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[ListKind | None, typer.Argument(
        help="Which entries (default: all kinds).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="From this day or moment: 2016-05-01, '3 weeks ago', mon… "
        "(default: the first entry).")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Up to this day (included) or moment (default: the last entry).")
    ] = None,
    injury: Annotated[str | None, typer.Option(
        "--injury", help="Only this injury, its treatments and its pain (its id or part "
        "of its name); runs and races stay.")] = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Every entry with its id, newest last: what to give edit and delete."""
    from runrecover import clock
    from runrecover.questions import listing as question
    from runrecover.render import console
    from runrecover.render import listing as view

    start, end = question.window(since, until, now=clock.now())
    with session(ctx, write=False) as s:
        answer = question.ask(s, kind=kind.value if kind else None, since=start, until=end,
                              injury=injury)
    if as_json:
        console.emit_json(view.listing_json(answer))
    else:
        console.show(view.listing_view(answer, profile().units))
