"""`runrecover treat KIND`: a clinic visit, and what it now puts off limits."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.common import InjuryOption, JsonOption, NoteOption, OnOption, session


def _complete_kind(incomplete: str) -> list[str]:
    from runrecover.protocols import load_protocols

    return [kind for kind in load_protocols() if kind.startswith(incomplete.lower())]


@app.command()
def treat(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(
        help="What was done: mesotherapy, prolotherapy, cortisone, prp, shockwave, physio… "
        "or any other word.", autocompletion=_complete_kind)],
    injury: InjuryOption = None,
    on: OnOption = None,
    by: Annotated[str | None, typer.Option("--by", help="The clinician.")] = None,
    no_run_days: Annotated[int | None, typer.Option(
        "--no-run-days", help="The clinician's 'no running for N days' (replaces the default).",
    )] = None,
    rest_hours: Annotated[float | None, typer.Option(
        "--rest-hours", help="The clinician's 'rest H hours' (replaces the default).")] = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a treatment or clinic visit and show the restrictions it starts."""
    from runrecover import clock, rules, store
    from runrecover.cli.common import protocols_file
    from runrecover.protocols import load_advice, load_protocols
    from runrecover.render import console, entries, status
    from runrecover.vocab import normalise_treatment_kind

    moment = (clock.parse_when(on, lean="past") if on is not None
              else clock.Moment(clock.now(), True))
    protocols = load_protocols(protocols_file())
    with session(ctx, command="treat") as s:
        injury_row = store.injury_for_entry(s, ref=injury)
        row = store.add_entry(s, kind="treatment", data={
            "kind": normalise_treatment_kind(kind), "at": moment.at,
            "time_known": moment.time_known, "injury_id": injury_row.id if injury_row else None,
            "clinician": by, "no_run_days": no_run_days, "rest_hours": rest_hours,
            "note": note})
        history = store.load_history(s, around=moment.at)
        result = entries.entry_json(row)
    fact = next(t for t in history.treatments if t.id == row.id)
    windows = rules.windows([fact], protocols)
    position = rules.course_position(fact, history.treatments, protocols)
    verdict = rules.evaluate(history, moment.at, protocols, load_advice())
    next_sessions = [n for n in verdict.next_sessions
                     if n.kind == fact.kind and n.injury_id == fact.injury_id]
    if as_json:
        console.emit_json(result | status.treatment_effects_json(windows, position,
                                                                  next_sessions))
        return
    subject = row.kind + (f" for {injury_row.name}" if injury_row else "")
    console.show(entries.confirmation("Recorded", subject, row),
                 status.treatment_effects_view(fact, windows, protocols.get(fact.kind),
                                               position, next_sessions))
