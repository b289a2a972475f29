"""What `treat` and `log` show about the entry just recorded: the restrictions a treatment
starts, or the restriction an activity broke."""

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

from runrecover import clock
from runrecover.questions.effects import EditEffects, LadderSession, TreatmentEffects
from runrecover.render import ladder as ladder_view
from runrecover.render.layout import hanging
from runrecover.render.status import at_text, session_json, session_text, treatment_json
from runrecover.rules import CourseWarning, Window, merge_adjacent
from runrecover.vocab import LEVEL_TEXT

if TYPE_CHECKING:
    from runrecover.units import Units


def course_warning_text(w: CourseWarning, kind: str) -> str:
    if w.rule == "too-soon":
        last = clock.format_day(w.previous.at, year=False)
        return (f"Warning: {w.days} days after the last {kind} ({last}); the usual minimum is "
                f"{w.limit} days [{w.source}].")
    if w.rule == "per-year":
        return (f"Warning: {w.days} sessions of {kind} for this injury in 12 months; the usual "
                f"limit is {w.limit} [{w.source}].")
    return f"Session {w.days} goes beyond the usual course of at most {w.limit} [{w.source}]."


def treatment_effects_json(effects: TreatmentEffects) -> dict[str, Any]:
    position = effects.position
    return {
        "protocol": effects.protocol.kind if effects.protocol else None,
        "restrictions": _windows_json(effects.windows),
        "course": {"session": position[0], "of": position[1]} if position else None,
        "next_sessions": [session_json(s) for s in effects.next_sessions],
        "warnings": [{"rule": w.rule, "value": w.days, "limit": w.limit, "source": w.source,
                      "message": course_warning_text(w, effects.treatment.kind)}
                     for w in effects.warnings],
    }


def treatment_effects_view(effects: TreatmentEffects) -> RenderableType:
    treatment, protocol = effects.treatment, effects.protocol
    parts: list[RenderableType] = []
    if not effects.windows:
        if protocol is None:
            parts.append(Text(
                f"No protocol is known for '{treatment.kind}', so it starts no restriction. "
                "Give the clinician's instruction with --no-run-days / --rest-hours, or add "
                "the kind to protocols.toml (see 'runrecover rules').", style="dim"))
        else:
            parts.append(Text("No restriction follows this treatment."))
    parts += _window_lines(effects.windows)
    beyond = next((w for w in effects.warnings if w.rule == "beyond"), None)
    if beyond is not None:
        parts.append(Text(f"  Session {beyond.days}: beyond the usual course of at most "
                          f"{beyond.limit} [{beyond.source}].", style="bold yellow"))
    elif effects.position:
        parts.append(Text(f"  Session {effects.position[0]} of {effects.position[1]} "
                          "of the course."))
    parts += [Text(f"  {course_warning_text(w, treatment.kind)} Stored all the same.",
                   style="bold yellow")
              for w in effects.warnings if w.rule != "beyond"]
    parts += [session_text(s, treatment.at) for s in effects.next_sessions]
    if protocol is not None:
        # Contraindications are checked before a course starts, not at each of its sessions.
        first = effects.position is None or effects.position[0] == 1
        notes = [(Text(f"  {title} ", style="dim"), Text("; ".join(items), style="dim"))
                 for title, items in (("Not with:", protocol.contraindications if first else ()),
                                      ("Aftercare:", protocol.aftercare),
                                      ("Expect:", protocol.side_effects))
                 if items]
        if notes:
            parts.append(hanging(notes))
    return Group(*parts)


def _windows_json(windows: tuple[Window, ...]) -> list[dict[str, Any]]:
    return [{"level": w.level, "from": clock.iso(w.start), "until": clock.iso(w.end),
             "source": w.source} for w in windows]


def _window_lines(windows: tuple[Window, ...]) -> list[Text]:
    return [Text.assemble("  ", (LEVEL_TEXT[w.level], "bold"), f" until {at_text(w.end)} ",
                          (f"[{w.source}]", "dim")) for w in merge_adjacent(windows)]


def edit_effects_json(effects: EditEffects) -> dict[str, Any]:
    return {
        "restrictions": _windows_json(effects.windows),
        "broken_by": [{"activity_id": row.id, "at": clock.iso(row.at)} | broken_json(w)
                      for row, w in effects.broken_by],
        "breaks_restriction": broken_json(effects.broke) if effects.broke else None,
    }


def edit_effects_view(effects: EditEffects) -> RenderableType | None:
    """What an edited treatment now holds back, as `treat` says it."""
    return Group(Text("Now:"), *_window_lines(effects.windows)) if effects.windows else None


def edit_warnings(effects: EditEffects, edited: Any, shown: "Units") -> list[Text]:
    """What the edited entry now breaks, or what now breaks it, as `log` warns of it."""
    from runrecover.render.entries import activity_summary

    if effects.broke is not None:
        return [broken_view(effects.broke, f"this {edited.kind}")]
    return [Text(f"Warning: {row.kind} {activity_summary(row, shown)} of "
                 f"{at_text(row.at, row.time_known)} now breaks it: {LEVEL_TEXT[w.level]} "
                 f"until {at_text(w.end)} [{w.source}].", style="bold yellow")
            for row, w in effects.broken_by]


def broken_json(window: Window) -> dict[str, Any]:
    return {"treatment": treatment_json(window.treatment), "level": window.level,
            "until": clock.iso(window.end), "source": window.source}


def broken_view(window: Window, activity: str) -> Text:
    """The warning for an activity ("this run", "the imported run of …") that broke a rule."""
    t = window.treatment
    return Text(
        f"Warning: {activity} broke a restriction: {LEVEL_TEXT[window.level]} "
        f"after {t.kind} on {at_text(t.at, t.time_known)}, until "
        f"{at_text(window.end)} [{window.source}]. It is stored all the same.",
        style="bold yellow")


def ladder_session_json(found: LadderSession | None) -> dict[str, Any] | None:
    if found is None:
        return None
    s = found.session
    message = ladder_view.session_warning(s, found.state)
    return ladder_view.session_json(s) | {
        "ladder": found.state.ladder.name, "of": found.state.of,
        "warning": message.plain if message is not None else None}


def ladder_session_view(found: LadderSession) -> tuple[Text, Text | None]:
    """The rung a run was, and a warning when it went past the ladder."""
    s, state = found.session, found.state
    said = Text(f"  Ladder: rung {s.rung} of {state.of} ({state.ladder.name}); tomorrow's "
                "morning pain decides the next rung.")
    short = ladder_view.short_note(s, state)
    return (Text.assemble(said, "\n", short) if short is not None else said,
            ladder_view.session_warning(s, state))
