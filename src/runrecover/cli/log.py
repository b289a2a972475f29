"""`runrecover log DISTANCE [DURATION]`: a run (or other activity) after it is done."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, records
from runrecover.cli.options import JsonOption, NoteOption, OnOption
from runrecover.vocab import ActivityKind, RunType


@app.command()
def log(
    ctx: typer.Context,
    distance: Annotated[str, typer.Argument(
        help="How far: 8k, 5mi, 800m, 15K, half, marathon.")],
    duration: Annotated[str | None, typer.Argument(
        help="How long: 45:10, 1:02:03, 45m, 1h05m.")] = None,
    on: OnOption = None,
    activity: Annotated[ActivityKind, typer.Option(
        "--activity", help="What it was.")] = ActivityKind.run,
    run_type: Annotated[RunType | None, typer.Option("--type", help="Kind of run.")] = None,
    pain: Annotated[int | None, typer.Option(
        "--pain", help="Pain during it, 0–10.")] = None,
    rpe: Annotated[int | None, typer.Option(
        "--rpe", help="Effort, 1 (very easy) to 10 (maximal).")] = None,
    rung: Annotated[int | None, typer.Option(
        "--rung", help="The return-to-run ladder rung it was (default: the one "
        "due).")] = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log a run or other activity; warns when it broke a restriction."""
    from runrecover import clock, units
    from runrecover.questions import effects as question
    from runrecover.render import console, entries
    from runrecover.render import effects as view
    from runrecover.rows import entry_json

    moment = (clock.parse_when(on, lean="past") if on is not None
              else clock.Moment(clock.now(), True))
    if on is not None:
        clock.refuse_future(moment, on, "logged activity")
    data = {
        "kind": activity, "at": moment.at, "time_known": moment.time_known,
        "distance_km": units.parse_distance(distance),
        "duration_s": units.parse_duration(duration) if duration is not None else None,
        "run_type": run_type, "pain_during": pain, "rpe": rpe, "note": note,
    }
    if rung is not None:
        from runrecover.errors import InputError

        if rung < 1:
            raise InputError(f"--rung {rung} is not a ladder rung; rungs count from 1.")
        if activity != ActivityKind.run:
            raise InputError(f"--rung {rung} is a return-to-run ladder rung: it goes with a "
                             f"run, not a {activity.value}.")
        data["rung"] = rung
    with records(ctx, command="log") as r:
        row = r.add_entry(kind="activity", data=data)
        broken = question.of_activity(r, profile(), row)
        on_ladder = question.on_ladder(r, profile(), row)
        result = entry_json(row)
    if as_json:
        console.emit_json(result | {
            "breaks_restriction": view.broken_json(broken) if broken else None,
            "ladder": view.ladder_session_json(on_ladder)})
        return
    console.show(entries.logged(row))
    if broken:
        console.warn(view.broken_view(broken, f"this {row.kind}"))
    if on_ladder is not None:
        rung, warning = view.ladder_session_view(on_ladder)
        console.show(rung)
        if warning is not None:
            console.warn(warning)
