"""`runrecover status`: can I run today, and can I race on Sunday?"""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, records
from runrecover.cli.options import AthleteOption, JsonOption, RaceOption
from runrecover.errors import ExitCode


@app.command()
def status(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option(
        "--at", help="Answer as of this moment: 'sat 9:00', tomorrow 7am… A day without a "
        "time (sat, 2016-06-18) is answered for the whole day (default: now).")] = None,
    race: RaceOption = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Exit 1 when running is not allowed, 0 when it is; with --race, "
        "exit by whether the race is clear for race effort.")] = False,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Whether you may run now, what instead, pain trend, courses, races, advice."""
    from runrecover import clock, dates
    from runrecover.questions import status as question
    from runrecover.render import console
    from runrecover.render import status as view

    now = clock.now()
    asked = dates.parse_when(at, lean="future") if at is not None else clock.Moment(now, True)
    with records(ctx, write=False) as r:
        answer = question.ask(r, profile(), asked=asked, now=now, race=race)
    if as_json:
        console.emit_json(view.status_json(answer))
    else:
        console.show(view.status_view(answer))
    if check:
        verdict = answer.verdict
        allowed = all(r.cleared for r in verdict.races) if race is not None else verdict.can_run
        if not allowed:
            raise typer.Exit(int(ExitCode.NOT_ALLOWED))
