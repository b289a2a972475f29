"""`runrecover pain SCORE`: a pain score from 0 to 10."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.complete import NO_INJURY, pain_injury_names
from runrecover.cli.context import records
from runrecover.cli.options import AthleteOption, JsonOption, NoteOption, OnOption
from runrecover.vocab import PainContext


@app.command()
def pain(
    ctx: typer.Context,
    score: Annotated[int, typer.Argument(
        min=0, max=10, metavar="SCORE", help="0 (none) to 10 (worst imaginable).")],
    injury: Annotated[str | None, typer.Option(
        "--injury", help="The injury it is for: its id or part of its name (default: your "
        "only open injury), or 'none' for a score linked to no injury (pain before the "
        "onset you gave, or from elsewhere); it holds running back all the same.",
        autocompletion=pain_injury_names)] = None,
    on: OnOption = None,
    context: Annotated[PainContext | None, typer.Option(
        "--context", help="When it was felt: morning (on waking), rest, during or after a "
        "run, night. Without it, the first score of a day logged before noon counts as the "
        "morning score.")] = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Record a pain score. A score of 7 or more, or night pain of 4 or more, holds running
    back for the day; morning pain of 4 to 6 lowers it to easy running (see status)."""
    from runrecover import clock, dates
    from runrecover.render import console, entries
    from runrecover.rows import entry_json

    moment = (dates.parse_when(on, lean="past") if on is not None
              else clock.Moment(clock.now(), True))
    if on is not None:
        dates.refuse_future(moment, on, "pain score")
    with records(ctx, command="pain") as r:
        injury_row = (None if injury is not None and injury.strip().lower() == NO_INJURY
                      else r.injury_for_entry(ref=injury))
        row = r.add_entry(kind="pain", data={
            "score": score, "at": moment.at, "time_known": moment.time_known,
            "injury_id": injury_row.id if injury_row else None, "context": context,
            "note": note})
        result = entry_json(row)
    if as_json:
        console.emit_json(result)
    else:
        where = f" ({injury_row.name})" if injury_row else ""
        context_text = f", {row.context}" if row.context else ""
        console.show(entries.confirmation(
            "Pain", f"{row.score}/10{context_text}{where}", row))
