"""`runrecover edit`, `delete` and `undo`: change the record, and take changes back."""

from enum import StrEnum
from typing import Annotated, Any

import typer

from runrecover.cli.app import app
from runrecover.cli.context import confirm, profile, session
from runrecover.cli.options import AthleteOption, JsonOption, YesOption, activity_option
from runrecover.vocab import ActivityKind, EntryKind, PainContext, RunType, Side


class KindWord(StrEnum):
    """The entry kinds, and `run` for an activity: `delete run last` reads as meant."""

    injury = "injury"
    treatment = "treatment"
    pain = "pain"
    activity = "activity"
    run = "run"
    race = "race"


KindArgument = Annotated[KindWord, typer.Argument(help="What to change ('run': an activity).")]


def _entry_kind(word: KindWord) -> str:
    return EntryKind.activity.value if word is KindWord.run else EntryKind(word.value).value


IdArgument = Annotated[str, typer.Argument(
    metavar="ID", help="Its id (shown when it was added, and by 'runrecover list'), or 'last' "
    "for the newest of its kind.")]

# Which `edit` options apply to which kind of entry.
EDIT_OPTIONS: dict[str, set[str]] = {
    "injury": {"name", "part", "side", "since", "cause", "diagnosis", "resolved", "note"},
    "treatment": {"kind", "on", "injury", "by", "no_run_days", "rest_hours", "note"},
    "pain": {"score", "on", "injury", "context", "note"},
    "activity": {"activity", "on", "distance", "duration", "type", "pain", "rpe", "note"},
    "race": {"name", "on", "distance", "note"},
}


# The field each option sets, where its name differs.
FIELD_OF = {"on": "at", "since": "onset_on", "resolved": "resolved_on", "injury": "injury_id",
            "distance": "distance_km", "duration": "duration_s", "by": "clinician",
            "activity": "kind", "type": "run_type", "pain": "pain_during"}
# What every entry of its kind must have, so `--clear` cannot take it away.
REQUIRED = {"name", "kind", "on", "score", "activity"}


def _flags(options: Any) -> str:
    return ", ".join("--" + o.replace("_", "-") for o in sorted(options))


def _changes(session: Any, kind: str, given: dict[str, Any],
             cleared: list[str]) -> dict[str, Any]:
    """Turn the options given into field changes, refusing those that do not fit `kind`."""
    from runrecover import dates, store, units
    from runrecover.errors import InputError

    misfits = sorted(set(given) - EDIT_OPTIONS[kind])
    if misfits:
        raise InputError(f"{_flags(misfits)} does not apply to a {kind}; "
                         f"a {kind} takes {_flags(EDIT_OPTIONS[kind])}.")
    changes: dict[str, Any] = {}
    clearable = EDIT_OPTIONS[kind] - REQUIRED
    for name in cleared:
        option = name.removeprefix("--").replace("-", "_")
        if option not in clearable:
            raise InputError(f"--clear {name!r} is not accepted for a {kind}: "
                             f"it clears one of {', '.join(sorted(clearable))}.")
        changes[FIELD_OF.get(option, option)] = None
        if option == "since":
            changes["onset_at"] = None  # its time goes with its day
    for option, value in given.items():
        if option == "on":
            moment = dates.parse_when(value, lean="future" if kind == "race" else "past")
            if kind in ("pain", "activity"):
                dates.refuse_future(moment, value, "pain score" if kind == "pain" else "activity")
            changes |= {"at": moment.at, "time_known": moment.time_known}
        elif option == "since":
            changes |= dates.onset(value)
        elif option == "resolved":
            changes["resolved_on"] = dates.resolved_day(value)
        elif option == "injury":
            changes["injury_id"] = store.get_injury(session, ref=value).id
        elif option == "distance":
            changes["distance_km"] = units.parse_distance(value, profile().units)
        elif option == "duration":
            changes["duration_s"] = units.parse_duration(value)
        elif option == "kind":
            changes["kind"] = profile().recorded_kind(value)
        else:
            changes[FIELD_OF.get(option, option)] = value
    return changes


@app.command()
def edit(
    ctx: typer.Context,
    kind: KindArgument,
    entry_id: IdArgument,
    name: Annotated[str | None, typer.Option(help="injury, race: the name.")] = None,
    part: Annotated[str | None, typer.Option(help="injury: body part.")] = None,
    side: Annotated[Side | None, typer.Option(help="injury: side.")] = None,
    since: Annotated[str | None, typer.Option(
        help="injury: onset, a day or a day and time.")] = None,
    cause: Annotated[str | None, typer.Option(help="injury: cause.")] = None,
    diagnosis: Annotated[str | None, typer.Option(help="injury: diagnosis.")] = None,
    resolved: Annotated[str | None, typer.Option(help="injury: day resolved.")] = None,
    treatment_kind: Annotated[str | None, typer.Option(
        "--kind", help="treatment: its kind.")] = None,
    on: Annotated[str | None, typer.Option(help="treatment, pain, activity, race: when.")] = None,
    injury: Annotated[str | None, typer.Option(
        help="treatment, pain: the injury (id or part of its name).")] = None,
    by: Annotated[str | None, typer.Option(help="treatment: the clinician.")] = None,
    no_run_days: Annotated[int | None, typer.Option(
        help="treatment: no running for N days.")] = None,
    rest_hours: Annotated[float | None, typer.Option(help="treatment: rest H hours.")] = None,
    score: Annotated[int | None, typer.Option(help="pain: 0–10.")] = None,
    context: Annotated[PainContext | None, typer.Option(help="pain: when it was felt.")] = None,
    activity: Annotated[ActivityKind | None, activity_option("activity: what it was.")] = None,
    distance: Annotated[str | None, typer.Option(help="activity, race: distance.")] = None,
    duration: Annotated[str | None, typer.Option(help="activity: duration.")] = None,
    run_type: Annotated[RunType | None, typer.Option("--type", help="activity: run type.")] = None,
    pain: Annotated[int | None, typer.Option(help="activity: pain during, 0–10.")] = None,
    rpe: Annotated[int | None, typer.Option(help="activity: effort 1–10.")] = None,
    note: Annotated[str | None, typer.Option(help="any: the note.")] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="OPTION", help="Remove a value, e.g. --clear no-run-days to drop a "
        "visit's override (repeatable).")] = None,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Change fields of an entry (only the options given)."""
    from runrecover import store
    from runrecover.errors import InputError
    from runrecover.questions import effects as question
    from runrecover.records.session import SessionRecords
    from runrecover.render import changes, console
    from runrecover.render import effects as view

    settings = profile()

    kind_name = _entry_kind(kind)
    given = {key: value for key, value in {
        "name": name, "part": part, "side": side, "since": since, "cause": cause,
        "diagnosis": diagnosis, "resolved": resolved, "kind": treatment_kind, "on": on,
        "injury": injury, "by": by, "no_run_days": no_run_days, "rest_hours": rest_hours,
        "score": score, "context": context, "activity": activity, "distance": distance,
        "duration": duration, "type": run_type, "pain": pain, "rpe": rpe, "note": note,
    }.items() if value is not None}
    if not given and not clear:
        raise InputError(f"Nothing to change: give at least one of "
                         f"{_flags(EDIT_OPTIONS[kind_name])} or --clear.")
    with session(ctx) as s:
        row = store.get_entry_ref(s, kind=kind_name, ref=entry_id)
        before = store.copy_of(row)
        found = _changes(s, kind_name, given, clear or [])
        if kind_name == "activity" and {"kind", "distance_km", "duration_s"} & set(found):
            from runrecover.protocols.limits import refuse_implausible

            # As `log` refuses them (a long run is not asked about again: it was logged).
            after = {field: found.get(field, getattr(row, field))
                     for field in ("kind", "distance_km", "duration_s")}
            refuse_implausible(str(after["kind"]), after["distance_km"], after["duration_s"],
                               settings.units, typed=distance, long_ok=True)
        store.update(s, row, changes=found)
        # Journalled under the id, so that undo names the entry even after `last` moved on.
        store.flush_journal(s, command=f"edit {kind_name} {row.id}")
        names = _injury_names(s)
        effects = question.of_edit(SessionRecords(s), settings, kind_name, row)
    if as_json:
        console.emit_json(changes.edit_json(before, row)
                          | (view.edit_effects_json(effects) if effects else {}))
        return
    console.show(changes.edit_view(kind_name, before, row, names, settings.units))
    if effects is not None:
        held = view.edit_effects_view(effects)
        if held is not None:
            console.show(held)
        for warning in view.edit_warnings(effects, row, settings.units):
            console.warn(warning)


@app.command()
def delete(
    ctx: typer.Context,
    kind: KindArgument,
    entry_id: IdArgument,
    yes: YesOption = False,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Delete an entry (undo brings it back)."""
    from runrecover import store
    from runrecover.render import console, entries
    from runrecover.rows import entry_json

    # Ask before taking the write lock, so a pending question never blocks other commands.
    kind_name = _entry_kind(kind)
    with session(ctx, write=False) as s:
        row = store.get_entry_ref(s, kind=kind_name, ref=entry_id)
        described, row_id = entries.describe(kind_name, row, profile().units), row.id
    confirm(f"Delete {described}?", yes=yes)
    # The entry confirmed, by its id: `last` might name another one by now.
    with session(ctx, command=f"delete {kind_name} {row_id}") as s:
        row = store.get_entry(s, kind=kind_name, entry_id=row_id)
        deleted = {"deleted": kind_name, "entry": entry_json(row)}
        store.delete(s, row)
    if as_json:
        console.emit_json(deleted)
    else:
        console.show(f"Deleted {described}. 'runrecover undo' brings it back.")


@app.command()
def undo(ctx: typer.Context, yes: YesOption = False, as_json: JsonOption = False,
        athlete: AthleteOption = None) -> None:
    """Reverse the last command that changed your data, and say what it took back."""
    from runrecover import clock, store
    from runrecover.errors import InputError
    from runrecover.render import changes, console

    entry = None
    if not yes:  # ask before taking the write lock, so a pending question blocks no one
        with session(ctx, write=False) as s:
            entry = store.last_journal_entry(s)
        if entry is None:
            raise InputError("There is nothing to undo.")
        confirm(f"Undo '{entry.command}' of {clock.format_at(entry.at)}?", yes=False)
    # With --yes the last command is read and reversed under one write lock: another process
    # committing meanwhile can neither slip in between nor make the undo fail.
    with session(ctx) as s:
        latest = store.last_journal_entry(s)
        if latest is None:
            raise InputError("There is nothing to undo.")
        if entry is not None and latest.id != entry.id:
            raise InputError("Another command changed the data meanwhile; run undo again.")
        command, at = latest.command, latest.at
        undone = store.undo(s, latest)
        names = _injury_names(s) | {row.id: row.name for _, kind, row in undone
                                    if kind == "injury"}
    if as_json:
        console.emit_json(changes.undo_json(command, at, undone))
    else:
        console.show(changes.undo_text(command, at, undone, names, profile().units))


def _injury_names(session: Any) -> dict[int, str]:
    from runrecover import store

    return {row.id: row.name for row in store.list_injuries(session, include_resolved=True)}
