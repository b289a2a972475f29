"""What `edit` changed (field by field, before → after) and what `undo` took back, in words a
runner recognises: "pain 5/10 of Tue 14 Jun 2016 07:00, left calf strain"."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from runrecover import clock, units
from runrecover.render.entries import activity_summary, when
from runrecover.rows import entry_json, onset_text
from runrecover.units import Units

# How each field is named on screen (the edit option that sets it, mostly).
LABELS = {"at": "when", "onset_on": "since", "resolved_on": "resolved", "injury_id": "injury",
          "distance_km": "distance", "duration_s": "duration", "moving_s": "moving time",
          "clinician": "by", "run_type": "type", "pain_during": "pain", "pain_after": "pain after",
          "rpe": "effort (RPE)", "no_run_days": "no-run days", "rest_hours": "rest hours",
          "avg_hr": "average heart rate"}
# Fields never shown as changed: `time_known` goes with `at`, the others are bookkeeping.
HIDDEN = {"id", "uid", "created_at", "time_known", "athlete_id"}
VERBS = {"insert": "removed", "update": "restored", "delete": "brought back"}
SHOWN_MAX = 3


def recognise(kind: str, row: Any, injury_names: Mapping[int, str], shown: Units) -> str:
    """A few words that say which entry it is: its kind, what it holds, when, its injury."""
    injury = injury_names.get(getattr(row, "injury_id", None) or 0)
    tail = f", {injury}" if injury else ""
    if kind == "injury":
        return f"injury '{row.name}'"
    if kind == "race":
        return f"race '{row.name}' of {when(row)}"
    if kind == "pain":
        return f"pain {row.score}/10 of {when(row)}{tail}"
    if kind == "treatment":
        return f"{row.kind} of {when(row)}{tail}"
    if kind == "ladder_event":
        rung = f" at rung {row.rung}" if row.rung else ""
        return f"ladder {row.action}{rung} of {when(row)}{tail}"
    return f"{row.kind} {activity_summary(row, shown)} of {when(row)}".replace("  ", " ")


def _value(row: Any, field: str, injury_names: Mapping[int, str], shown: Units) -> str:
    value = getattr(row, field)
    if field == "at":
        return when(row)
    if field == "onset_on":
        return onset_text(row) or "—"
    if value is None:
        return "—"
    if field == "injury_id":
        return injury_names.get(value, f"injury {value}")
    if field in ("score", "pain_during", "pain_after"):
        return f"{value}/10"
    if field == "distance_km":
        return shown.distance(value)
    if field in ("duration_s", "moving_s"):
        return units.format_duration(value)
    if isinstance(value, date):
        return clock.format_day(value)
    return str(getattr(value, "value", value))


def changed_fields(before: Any, after: Any) -> list[str]:
    """The fields whose value an edit changed (a moment's `time_known` counts with `at`, an
    onset's time with its day)."""
    fields = [name for name in type(after).model_fields if name not in HIDDEN
              and getattr(before, name) != getattr(after, name)]
    if "at" not in fields and "time_known" in type(after).model_fields \
            and before.time_known != after.time_known:
        fields.append("at")
    # A day with no time of day is that day however it is held (local midnight, or UTC
    # midnight as stored): changed only when the day shown is another.
    if "at" in fields and not before.time_known and not after.time_known \
            and when(before) == when(after):
        fields.remove("at")
    if "onset_at" in fields:  # an injury's onset time is shown with its day, as `since`
        fields.remove("onset_at")
        if "onset_on" not in fields:
            fields.append("onset_on")
    return sorted(fields, key=lambda name: name == "note")  # the runner's words last


def edit_view(kind: str, before: Any, after: Any,
              injury_names: Mapping[int, str], shown: Units) -> RenderableType:
    fields = changed_fields(before, after)
    title = Text.assemble("Updated ", (f"{kind} {after.id}", "bold"))
    if not fields:
        title.append(": nothing changed, it already held those values.")
        return title
    title.append(":")
    width = max(len(LABELS.get(f, f)) for f in fields)
    lines: list[RenderableType] = [title]
    for field in fields:
        label = LABELS.get(field, field)
        lines.append(Text.assemble(
            f"  {label:<{width}}  ", (_value(before, field, injury_names, shown), "dim"),
            " → ", (_value(after, field, injury_names, shown), "bold")))
    return Group(*lines)


def edit_json(before: Any, after: Any) -> dict[str, Any]:
    """The entry as it is now, and `changes`: each field changed, with its value before and
    after (JSON values, as in the entry)."""
    old, new = entry_json(before), entry_json(after)
    fields = [f for f in new if f not in HIDDEN and old.get(f) != new[f]]
    if "time_known" in fields:
        fields.remove("time_known")
        fields = (["at"] if "at" not in fields else []) + fields + ["time_known"]
    return new | {"changes": [{"field": f, "before": old.get(f), "after": new[f]}
                              for f in fields]}


def undo_text(command: str, at: Any, undone: Sequence[tuple[str, str, Any]],
              injury_names: Mapping[int, str], shown: Units) -> Text:
    """`Undid 'pain' of Wed 15 Jun 2016 10:00: removed pain 5/10 of …, left calf strain.`"""
    text = Text(f"Undid '{command}' of {clock.format_at(at)}")
    if not undone:
        return text.append(".")
    said = [f"{VERBS[op]} {recognise(kind, row, injury_names, shown)}"
            for op, kind, row in undone[:SHOWN_MAX]]
    more = len(undone) - SHOWN_MAX
    if more > 0:
        said.append(f"and {more} more {'entry' if more == 1 else 'entries'}")
    return text.append(": " + "; ".join(said) + ".")


def undo_json(command: str, at: Any, undone: Sequence[tuple[str, str, Any]]) -> dict[str, Any]:
    return {"command": command, "at": clock.iso(at),
            "undone": [{"change": op, "undid": VERBS[op], "kind": kind, "entry": entry_json(row)}
                       for op, kind, row in undone]}
