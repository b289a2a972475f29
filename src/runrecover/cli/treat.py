"""`runrecover treat KIND`: a clinic visit, and what it now puts off limits."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.complete import treatment_kinds
from runrecover.cli.context import profile, records
from runrecover.cli.options import AthleteOption, InjuryOption, JsonOption, NoteOption, OnOption


@app.command()
def treat(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(
        help="What was done: mesotherapy, prolotherapy, cortisone, prp, shockwave, physio… "
        "or any other word.", autocompletion=treatment_kinds)],
    injury: InjuryOption = None,
    on: OnOption = None,
    by: Annotated[str | None, typer.Option("--by", help="The clinician.")] = None,
    no_run_days: Annotated[int | None, typer.Option(
        "--no-run-days", help="The clinician's 'no running for N days' (replaces the default).",
    )] = None,
    rest_hours: Annotated[float | None, typer.Option(
        "--rest-hours", help="The clinician's 'rest H hours' (replaces the default).")] = None,
    new_kind: Annotated[bool, typer.Option(
        "--new-kind", help="KIND is a kind runrecover does not know: record it, with no "
        "restriction unless --no-run-days / --rest-hours give one.")] = False,
    ladder: Annotated[str | None, typer.Option(
        "--ladder", help="The clinician's return-to-run ladder, starting with this visit "
        "(its sessions once running is allowed).")] = None,
    rung: Annotated[int | None, typer.Option(
        "--rung", min=1, help="The rung of the ladder to start at (default: from the time "
        "without running).")] = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Record a treatment or clinic visit and show the restrictions it starts."""
    from runrecover import clock, dates
    from runrecover.questions import effects as question
    from runrecover.render import console, entries
    from runrecover.render import effects as view
    from runrecover.rows import entry_json

    moment = (dates.parse_when(on, lean="past") if on is not None
              else clock.Moment(clock.now(), True))
    settings = profile()
    recorded = settings.recorded_kind(kind, new_kind=new_kind)
    with records(ctx, command="treat") as r:
        injury_row = r.injury_for_entry(ref=injury)
        start = None
        if ladder is not None or rung is not None:
            from runrecover.questions.ladder import starting

            start = starting(r, settings, at=moment.at, injury=injury_row, ladder=ladder,
                             rung=rung, resume=False)
        row = r.add_entry(kind="treatment", data={
            "kind": recorded, "at": moment.at,
            "time_known": moment.time_known, "injury_id": injury_row.id if injury_row else None,
            "clinician": by, "no_run_days": no_run_days, "rest_hours": rest_hours,
            "ladder": start and start.ladder, "rung": start and start.rung, "note": note})
        effects = question.of_treatment(r, settings, row)
        ended = None
        if start is not None:
            from runrecover.questions.ladder import visit_ladder_end

            # As status will see it: a leave or start recorded at a later moment than a
            # past visit ends the visit's ladder.
            ended = visit_ladder_end(r, settings, treatment_id=row.id,
                                     at=max(clock.now(), row.at))
        result = entry_json(row)
    if as_json:
        extra = {}
        if start is not None:
            from runrecover.render.ladder import overtaken_json

            extra = {"ladder_ended": overtaken_json(ended)}
        console.emit_json(result | view.treatment_effects_json(effects) | extra)
        return
    subject = row.kind + (f" for {injury_row.name}" if injury_row else "")
    console.show(entries.confirmation("Recorded", subject, row),
                 view.treatment_effects_view(effects))
    if start is not None:
        from runrecover.render.ladder import start_line

        console.show(start_line(start.ladder, start.rung))
        if ended is not None:
            from runrecover.render.ladder import overtaken_warning

            console.warn(overtaken_warning(ended))
