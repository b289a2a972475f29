"""The options several commands share, typed once."""

from typing import Annotated

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of the view.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Free text to keep with it.")]
OnOption = Annotated[str | None, typer.Option(
    "--on", help="When: 2016-06-14, '14 June 2016 11:30', yesterday 18:30, 3d ago, tue 7am… "
    "(default: now).")]
InjuryOption = Annotated[str | None, typer.Option(
    "--injury", help="The injury it is for: its id or part of its name "
    "(default: your only open injury).")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
