"""`runrecover ladder [start|pause|reset|leave]`: the return-to-run ladder, where you stand on
it, and starting, pausing, resetting or leaving it."""

from enum import StrEnum
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, records
from runrecover.cli.options import AthleteOption, JsonOption, NoteOption, OnOption


class Action(StrEnum):
    start = "start"
    pause = "pause"
    reset = "reset"
    leave = "leave"


@app.command()
def ladder(
    ctx: typer.Context,
    action: Annotated[Action | None, typer.Argument(
        help="start (or resume a paused ladder), pause, reset (back to the first rung, or "
        "--rung), leave (back to normal running). Without it: where you stand.")] = None,
    injury: Annotated[str | None, typer.Option(
        "--injury", help="The injury the ladder is for, at start: its id or part of its name "
        "(default: your only open injury).")] = None,
    rung: Annotated[int | None, typer.Option(
        "--rung", min=1, help="The rung to start or reset at (default: from your time "
        "without running).")] = None,
    name: Annotated[str | None, typer.Option(
        "--ladder", help="Which ladder to start (default: the one for the injury).")] = None,
    on: OnOption = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """The return-to-run ladder: today's session, and start, pause, reset or leave it."""
    from runrecover import clock, dates
    from runrecover.errors import InputError
    from runrecover.questions import ladder as question
    from runrecover.render import console
    from runrecover.render import ladder as view
    from runrecover.rows import entry_json

    settings = profile()
    moment = (dates.parse_when(on, lean="past") if on is not None
              else clock.Moment(clock.now(), True))
    if action is None:
        with records(ctx, write=False) as r:
            answer = question.ask(r, settings, at=moment.at)
        if as_json:
            console.emit_json({"position": view.state_json(answer.state),
                               "plan": view.plan_json(answer.plan),
                               "ladders": list(answer.names)})
        else:
            console.show(view.ladder_view(answer.state, answer.plan, answer.at, answer.names))
        return
    if on is not None:
        dates.refuse_future(moment, on, f"ladder {action}")
    if (rung is not None or name is not None) and action in (Action.pause, Action.leave):
        raise InputError(f"--rung and --ladder go with start or reset, not with {action}.")
    if name is not None:
        settings.ladder(name)
    with records(ctx, command=f"ladder {action}") as r:
        current = question.state_at(r, settings, at=moment.at)
        holds = current is not None and current.holds
        if action in (Action.pause, Action.leave) and not holds:
            raise InputError(f"No return-to-run ladder is on to {action}; start one with "
                             "'runrecover ladder start'.")
        if action == Action.pause and current.state == "paused":
            raise InputError("The ladder is already paused; 'runrecover ladder start' "
                             "resumes it.")
        if action == Action.start and current is not None and current.state == "active" \
                and rung is None and name is None:
            raise InputError(f"You are already on rung {current.rung} of the "
                             f"{current.ladder.name} ladder; 'runrecover ladder reset --rung N' "
                             "moves you, or give --rung / --ladder to start afresh.")
        if action == Action.reset and current is None:
            raise InputError("No return-to-run ladder was started to reset; start one with "
                             "'runrecover ladder start'.")
        # Only a start names the injury; the other moves are the ladder's own.
        injury_row = r.injury_for_entry(ref=injury) if action == Action.start else None
        injury_id = injury_row.id if injury_row else current.injury_id if current else None
        data = {"action": action.value, "at": moment.at, "time_known": moment.time_known,
                "injury_id": injury_id, "note": note}
        if action == Action.start:
            start = question.starting(r, settings, at=moment.at, injury=injury_row,
                                      ladder=name, rung=rung)
            data |= {"ladder": start.ladder, "rung": start.rung}
        elif action == Action.reset:
            if rung is not None and rung > current.of:
                raise InputError(f"--rung {rung} is past the last rung of the "
                                 f"{current.ladder.name} ladder; give 1 to {current.of}.")
            data |= {"ladder": current.ladder.name, "rung": rung or 1}
        row = r.add_entry(kind="ladder_event", data=data)
        answer = question.ask(r, settings, at=max(moment.at, clock.now()))
        result = entry_json(row)
    if as_json:
        console.emit_json(result | {"position": view.state_json(answer.state),
                                    "plan": view.plan_json(answer.plan)})
        return
    console.show(view.ladder_view(answer.state, answer.plan, answer.at, answer.names))
