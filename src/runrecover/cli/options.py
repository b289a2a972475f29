"""The options several commands share, typed once."""

from typing import Annotated

import typer

from runrecover.cli.complete import injury_names, race_names

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of the view.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Free text to keep with it.")]
OnOption = Annotated[str | None, typer.Option(
    "--on", help="When: 2016-06-14, '14 June 2016 11:30', yesterday 18:30, 3d ago, tue 7am… "
    "(default: now).")]
InjuryOption = Annotated[str | None, typer.Option(
    "--injury", help="The injury it is for: its id or part of its name "
    "(default: your only open injury).", autocompletion=injury_names)]
InjuryArgument = Annotated[str, typer.Argument(
    help="The injury's id or part of its name.", autocompletion=injury_names)]
RaceOption = Annotated[str | None, typer.Option(
    "--race", help="Answer for this race (its id or part of its name).",
    autocompletion=race_names)]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
