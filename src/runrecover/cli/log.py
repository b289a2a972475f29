"""`runrecover log [DISTANCE] [DURATION]`: a run (or other activity) after it is done."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, records
from runrecover.cli.options import AthleteOption, JsonOption, NoteOption, OnOption, activity_option
from runrecover.vocab import ActivityKind, RunType

if TYPE_CHECKING:
    from runrecover.units import Units

DURATION_ONLY = {ActivityKind.strength, ActivityKind.yoga, ActivityKind.other}
"""Kinds whose one value, when it reads as a duration, is the duration: `yoga 45m`."""


@app.command()
def log(
    ctx: typer.Context,
    distance: Annotated[str | None, typer.Argument(
        help="How far: 8k, 5.5km, 5mi, 800m, half, marathon; a bare number is in your "
        "units. Strength, yoga and other may give a duration alone: 45m.")] = None,
    duration: Annotated[str | None, typer.Argument(
        help="How long: 45:10, 1:02:03, 45m, 1h05m.")] = None,
    on: OnOption = None,
    activity: Annotated[ActivityKind, activity_option("What it was.")] = ActivityKind.run,
    run_type: Annotated[RunType | None, typer.Option("--type", help="Kind of run.")] = None,
    duration_option: Annotated[str | None, typer.Option(
        "--duration", help="How long, for an activity logged without a distance: 45m, 1h.")
    ] = None,
    pain: Annotated[int | None, typer.Option(
        "--pain", help="Pain during it, 0–10.")] = None,
    rpe: Annotated[int | None, typer.Option(
        "--rpe", help="Effort, 1 (very easy) to 10 (maximal).")] = None,
    rung: Annotated[int | None, typer.Option(
        "--rung", help="The return-to-run ladder rung it was (default: the one "
        "due).")] = None,
    again: Annotated[bool, typer.Option(
        "--again", help="Log it even if the same activity was logged within 10 minutes.")
    ] = False,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Log a run over 250 km all the same.")] = False,
    note: NoteOption = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Log a run or other activity; warns when it broke a restriction."""
    from runrecover import clock, dates
    from runrecover.questions import effects as question
    from runrecover.render import console, entries
    from runrecover.render import effects as view
    from runrecover.rows import entry_json

    settings = profile()
    distance_km, duration_s = _measures(distance, duration, duration_option, activity,
                                        settings.units, long_ok=yes)
    moment = (dates.parse_when(on, lean="past") if on is not None
              else clock.Moment(clock.now(), True))
    if on is not None:
        dates.refuse_future(moment, on, "logged activity")
    data = {
        "kind": activity, "at": moment.at, "time_known": moment.time_known,
        "distance_km": distance_km, "duration_s": duration_s,
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
    on_ladder, rung_warning = None, None
    with records(ctx, command="log") as r:
        if rung is not None:
            rung_warning = _check_rung(r, settings, rung, moment)
        alike = [] if again else r.repeated_logs(
            kind=activity, at=moment.at, distance_km=distance_km, duration_s=duration_s)
        repeated = next((row for row in alike if _adds_nothing(data, row)), None)
        like = alike[0] if alike else None
        if repeated is not None:
            result = entry_json(repeated)
        else:
            row = r.add_entry(kind="activity", data=data)
            broken = question.of_activity(r, settings, row)
            on_ladder = question.on_ladder(r, settings, row)
            result = entry_json(row)
    if rung_warning is not None:
        console.warn(rung_warning)
    if repeated is not None:
        # Not an error: the activity is in the record once, as the runner meant.
        if as_json:
            console.emit_json(result | {"already_logged": True})
        else:
            console.warn(entries.already_logged(repeated, settings.units))
        return
    if as_json:
        console.emit_json(result | {
            "already_logged": False, "like_id": like.id if like is not None else None,
            "breaks_restriction": view.broken_json(broken) if broken else None,
            "ladder": view.ladder_session_json(on_ladder)})
        return
    console.show(entries.logged(row, settings.units))
    if like is not None:
        console.warn(entries.logged_like(like, settings.units))
    if broken:
        console.warn(view.broken_view(broken, f"this {row.kind}"))
    if on_ladder is not None:
        rung_text, warning = view.ladder_session_view(on_ladder)
        console.show(rung_text)
        if warning is not None:
            console.warn(warning)


def _adds_nothing(data: dict[str, Any], stored: Any) -> bool:
    """Whether a log that repeats `stored` says nothing it does not. A pain score, effort,
    run type or ladder rung it lacks is stored, not dropped as a repeat: a pain gate or the
    ladder may hang on it."""
    from runrecover.rows import within_share

    for field in ("pain_during", "rpe", "run_type", "note", "rung"):
        if data.get(field) is not None and data[field] != getattr(stored, field):
            return False
    return data["duration_s"] is None or within_share(stored.duration_s, data["duration_s"])


def _check_rung(records: Any, settings: Any, rung: int, moment: Any) -> str | None:
    """Refuse a rung past the last of the ladder on at `moment` (with none on, past the last
    of every ladder known); with none on, the warning that the rung counts for nothing yet."""
    from runrecover import clock
    from runrecover.errors import InputError
    from runrecover.questions.ladder import state_at

    state = state_at(records, settings, at=moment.at)
    if state is not None and state.holds:
        if rung > state.of:
            raise InputError(f"--rung {rung} is past the last rung of the {state.ladder.name} "
                             f"ladder you are on: give a rung from 1 to {state.of}.")
        return None
    longest = max((len(ladder.rungs) for ladder in settings.ladders.values()), default=0)
    if rung > longest:
        raise InputError(f"--rung {rung} is past the last rung of every return-to-run ladder "
                         f"(the longest has {longest}): give a rung from 1 to {longest}.")
    return (f"No return-to-run ladder is on at {clock.format_at(moment.at, moment.time_known)}, "
            f"so rung {rung} is recorded but counts only once a ladder starts before it "
            "('runrecover ladder start --on WHEN').")


def _measures(distance: str | None, duration: str | None, duration_option: str | None,
              kind: ActivityKind, shown: "Units", *,
              long_ok: bool) -> tuple[float | None, int | None]:
    """Distance (km) and duration (s) from what was typed, refusing what no activity of
    `kind` can be: a typo is caught here, before it doubles a week's volume."""
    from runrecover import units
    from runrecover.errors import InputError
    from runrecover.protocols.limits import refuse_implausible

    if duration is not None and duration_option is not None:
        raise InputError(f"Two durations given ({units.quoted(duration)} and --duration "
                         f"{units.quoted(duration_option)}): give one.")
    duration = duration if duration is not None else duration_option
    if distance is not None and duration is None and kind in DURATION_ONLY:
        try:
            return None, units.parse_duration(distance)
        except InputError:
            pass  # not a duration: a distance, then
    if distance is None and duration is None:
        raise InputError("Give a distance (log 8k), a distance and a duration (log 8k 45:10), "
                         "or a duration alone (log --activity yoga 45m, or --duration 45m).")
    distance_km = units.parse_distance(distance, shown) if distance is not None else None
    duration_s = units.parse_duration(duration) if duration is not None else None
    refuse_implausible(kind, distance_km, duration_s, shown, typed=distance, long_ok=long_ok)
    return distance_km, duration_s
