"""The options several commands share, typed once."""

from typing import Annotated, Any

import typer

from runrecover.cli.complete import athlete_names, injury_names, race_names
from runrecover.cli.context import athlete_option
from runrecover.vocab import ActivityKind

ATHLETE_HELP = ("Whose record: the athlete's name, any case (also RUNRECOVER_ATHLETE; "
                "none needed while the database holds one athlete).")
AthleteOption = Annotated[str | None, typer.Option(
    "--athlete", metavar="NAME", help=ATHLETE_HELP, callback=athlete_option,
    autocompletion=athlete_names)]
"""Every command that reads or writes a record takes it; its callback picks the athlete
while the options are parsed (`context.pick_athlete`), given or not."""
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


def _activity_kind(text: str) -> ActivityKind:
    """A kind of activity as typed, in any case; another word for one ("running") or a near
    miss is refused naming the kind it means."""
    word = str(text).strip().lower()
    if word in ActivityKind.__members__:
        return ActivityKind(word)
    # Only for a word that is not a kind: the activity files' sport words (and their
    # readers, which `activity_files` imports) would cost `log` tens of ms.
    import difflib

    from runrecover.activity_files.kinds import known_kind
    from runrecover.errors import InputError
    from runrecover.units import quoted

    meant = known_kind(word) or next(
        iter(difflib.get_close_matches(word, list(ActivityKind.__members__), n=1)), None)
    kinds = list(ActivityKind.__members__)
    hint = f"did you mean {meant}? The activities are" if meant else "use"
    raise InputError(f"Unknown activity {quoted(text)}: {hint} {', '.join(kinds[:-1])} or "
                     f"{kinds[-1]}.")


def _activity_kinds(incomplete: str) -> list[str]:
    return [kind for kind in ActivityKind.__members__ if kind.startswith(incomplete.lower())]


def activity_option(help_text: str) -> Any:
    """`--activity KIND`, read by `_activity_kind`."""
    return typer.Option("--activity", help=help_text, parser=_activity_kind,
                        metavar="<" + "|".join(ActivityKind.__members__) + ">",
                        autocompletion=_activity_kinds)
