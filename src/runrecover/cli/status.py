"""`runrecover status`: can I run today, and can I race on Sunday?"""

from datetime import timedelta
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.common import JsonOption, session
from runrecover.errors import ExitCode


@app.command()
def status(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option(
        "--at", help="Answer as of this moment: 'sat 9:00', tomorrow 7am… A day without a "
        "time (sat, 2016-06-18) is answered for the whole day (default: now).")] = None,
    race: Annotated[str | None, typer.Option(
        "--race", help="Answer for this race (its id or part of its name).")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Exit 1 when running is not allowed, 0 when it is.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Whether you may run now, what instead, pain trend, courses, races, advice."""
    from runrecover import clock, rules, store
    from runrecover.cli.common import protocols_file
    from runrecover.protocols import load_advice, load_protocols
    from runrecover.render import console
    from runrecover.render import status as view

    now = clock.now()
    asked = clock.parse_when(at, lean="future") if at is not None else clock.Moment(now, True)
    moment = asked.at
    if not asked.time_known and asked.day == now.date():
        moment = now  # "today" means from now on, not this morning's midnight
    protocols = load_protocols(protocols_file())
    with session(ctx, write=False) as s:
        history = store.load_history(s, around=moment)
        race_ids = None
        if race is not None:
            named = store.get_race(s, ref=race)
            race_ids = {named.id}
            history = store.with_race(s, history, named)
    if not asked.time_known:
        # A day, not a moment: answer at its first moment when running is not allowed.
        day_end = clock.start_of_day(asked.day + timedelta(days=1))
        moment = rules.first_run_block(history.treatments, protocols, moment, day_end) or moment
    verdict = rules.evaluate(history, moment, protocols, load_advice(), race_ids=race_ids)
    if as_json:
        console.emit_json(view.verdict_json(verdict))
    else:
        console.show(view.status_view(verdict, history))
    if check and not verdict.can_run:
        raise typer.Exit(int(ExitCode.NOT_ALLOWED))
