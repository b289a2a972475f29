"""`runrecover report`: the report a clinician reads in a minute, as one HTML page.

A view of `questions.report.Report` (which carries `injury show`'s story): this module only
words and lays out its numbers, through the Jinja2 template beside it. Jinja2 is imported
here, and this module only by the command, so that `--help` stays fast.
"""

from datetime import date, datetime
from importlib import resources
from typing import Any

from runrecover import clock, units
from runrecover.questions.report import Report
from runrecover.render import svg
from runrecover.render.injury import around_words
from runrecover.render.protocols import LEVEL_WORDS
from runrecover.rows import onset_text
from runrecover.units import Units
from runrecover.vocab import LEVEL_TEXT

EASY_LEVELS = ("run-easy",)
"""Restriction levels that still allow easy running; the others allow none."""

PAIN_RULES = {
    "traffic-light": "traffic light: green {green[0]}–{green[1]}, amber {amber[0]}–{amber[1]}, "
                     "red {red[0]}–{red[1]}",
    "red": "no running for {hours:g} h after a score of {score} or more",
    "night": "no running after night pain of {score} or more",
    "morning": "easy running only after morning pain of {score} or more",
    "rise": "easy running only after a next-morning rise of {points} or more after a run",
    "during": "easy running only after pain above {above} during the last run",
}


def _offset(first_day: date, moment: datetime) -> float:
    """Days from the start of `first_day` to `moment`, in local wall-clock time."""
    at = clock.local(moment)
    return (at.date() - first_day).days + (at.hour * 3600 + at.minute * 60) / 86400


def _at(first_day: date, row: Any) -> float:
    """Where an entry stands: at its moment, or at noon of its day when its time is not
    known."""
    return _offset(first_day, row.at) if row.time_known else _day_offset(first_day, row.at)


def _day_offset(first_day: date, moment: datetime) -> float:
    """The middle of the moment's day: where a day's entry stands on the chart."""
    return (clock.local(moment).date() - first_day).days + 0.5


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _change(change: float | None) -> str:
    if change is None:
        return "–"
    if round(change, 1) == 0:
        return "same"
    return f"{-change:.1f} less" if change < 0 else f"{change:.1f} more"


def _distance(value: float | None, shown: Units) -> str:
    return "–" if value is None else shown.distance(value)


def _span(start: datetime, end: datetime) -> str:
    return f"{clock.format_at(start)} – {clock.format_at(end)}"


def _chart(report: Report) -> str:
    record = report.timeline
    shown = report.story.units
    first = report.first_day
    days = (report.chart_last_day - first).days + 1
    name = report.story.injury.name
    pain = next((series for label, series in record.pain_by_day if label == name),
                (None,) * days)
    pain_at: list[float | None] = [None] * days
    for row in report.worst_scores:
        pain_at[(clock.local(row.at).date() - first).days] = _at(first, row)
    scores = [svg.Score(_at(first, p), p.score, p.context,
                        f"{clock.format_at(p.at, p.time_known)}: pain {p.score}"
                        + (f" ({p.context})" if p.context else ""))
              for p in record.pain]
    bars = [svg.Bar(_day_offset(first, e.entry.at), shown.of(e.entry.distance_km or 0.0),
                    e.broke is not None,
                    f"{clock.format_at(e.entry.at, e.entry.time_known)}: run "
                    f"{_distance(e.entry.distance_km, shown)}"
                    + (" (broke a restriction)" if e.broke is not None else "")
                    + (f"; ladder rung {e.rung.rung}: {e.rung.response}" if e.rung else ""),
                    rung=e.rung.rung if e.rung else None)
            for e in record.events if e.kind == "activity" and e.entry.kind == "run"]
    bands = [svg.Band(_offset(first, w.start), _offset(first, w.end),
                      w.level not in EASY_LEVELS,
                      f"{w.treatment.kind}: {LEVEL_TEXT[w.level]}, {_span(w.start, w.end)}")
             for w in (i.window for i in report.instructions)]
    markers = [svg.Marker(_at(first, t), t.kind, "treatment") for t in record.treatments]
    markers += [svg.Marker(_offset(first, e.at), f"ladder {e.step.kind}", "ladder")
                for e in record.events if e.kind == "ladder" and e.step is not None]
    markers += [svg.Marker(_day_offset(first, r.at), r.name, "race")
                for r in report.races
                if first <= clock.local(r.at).date() <= report.chart_last_day]
    if report.story.today <= report.chart_last_day and not report.story.injury.resolved_on:
        markers.append(svg.Marker(_offset(first, report.now), "today", "today"))
    described = ("Pain scores by context and the worst of each day (0–10, left scale), "
                 f"runs as bars ({shown.name}, right scale), restriction windows as shaded bands, "
                 f"from {clock.format_day(first)} "
                 f"to {clock.format_day(report.chart_last_day)}. The same numbers are in the "
                 "tables below.")
    return svg.render(svg.DayChart(first_day=first, days=days, pain=pain, pain_at=pain_at,
                                   scores=scores, bars=bars, bar_unit=shown.name,
                                   bands=bands, markers=markers,
                                   title=f"{name}: pain, runs and restrictions",
                                   description=described))


def _entry(event: Any, shown: Units) -> dict[str, str]:
    row = event.entry
    when = clock.format_at(row.at, row.time_known) if event.kind != "injury" else \
        clock.format_day(event.at)
    if event.kind == "injury":
        what = f"{'resolved' if event.resolved else 'onset'}: {row.name}"
    elif event.kind == "treatment":
        what = row.kind + (f" {event.course[0]} of {event.course[1]}" if event.course else "")
        what += f", {row.clinician}" if row.clinician else ""
    elif event.kind == "pain":
        what = f"pain {row.score}" + (f" ({row.context})" if row.context else "")
    elif event.kind == "race":
        what = row.name + (f", {_distance(row.distance_km, shown)}" if row.distance_km else "")
    else:
        parts = [row.kind, row.run_type or "",
                 _distance(row.distance_km, shown) if row.distance_km else "",
                 units.format_duration(row.duration_s) if row.duration_s else ""]
        if row.pain_during is not None:
            parts.append(f"pain during {row.pain_during}")
        what = " ".join(p for p in parts if p)
        if event.broke is not None:
            what += f" — broke {event.broke.treatment.kind}'s {LEVEL_TEXT[event.broke.level]}"
    return {"when": when, "kind": event.kind, "what": what, "note": row.note or "",
            "broke": "yes" if event.kind == "activity" and event.broke is not None else ""}


def _rule(rule: Any) -> str:
    d = rule.detail
    if rule.topic == "pain":
        return PAIN_RULES[rule.rule].format(**d)
    if rule.rule == "phase":
        until = f"until {d['until']}" if d["until"] else "onwards"
        return f"from {d['from']} {until}: {LEVEL_WORDS[d['level']]}"
    if rule.rule == "course":
        return f"course of {d['sessions']} sessions, every {d['interval_days']} days"
    said = [f"no running for {d['no_run_days']} days" if d["no_run_days"] is not None else "",
            f"rest {d['rest_hours']:g} h" if d["rest_hours"] is not None else ""]
    return "the clinician's own instruction: " + ", ".join(s for s in said if s)


def context(report: Report) -> dict[str, Any]:
    """What the template shows, worded; every number comes from the report."""
    story = report.story
    shown = story.units
    injury = story.injury
    days = (story.today - story.onset).days
    now_day = clock.local(report.now).date()
    pain_series = next((s for label, s in report.timeline.pain_by_day
                        if label == injury.name), ())
    return {
        "units": shown.name,
        "injury": injury,
        "where": " ".join(str(p) for p in (injury.side, injury.part) if p),
        "onset": onset_text(injury) or clock.format_day(story.onset),
        "days_since": days,
        "resolved": clock.format_day(injury.resolved_on) if injury.resolved_on else None,
        "clinicians": sorted({e.treatment.clinician for e in story.effects
                              if e.treatment.clinician}),
        "period": f"{clock.format_day(report.first_day)} – {clock.format_day(report.last_day)}",
        "made": clock.format_at(report.now),
        "chart": _chart(report),
        "ladder": any(e.rung for e in report.timeline.events if e.kind == "activity"),
        "chart_rows": [{"day": clock.format_day(report.first_day.fromordinal(
            report.first_day.toordinal() + i)), "pain": score}
            for i, score in enumerate(pain_series) if score is not None],
        "around": around_words(story),
        "effects": [{"when": clock.format_at(e.treatment.at, e.treatment.time_known),
                     "kind": e.treatment.kind, "clinician": e.treatment.clinician or "",
                     "course": f"{e.course[0]} of {e.course[1]}" if e.course else "",
                     "before": _mean(e.before.mean), "before_count": e.before.count,
                     "after": _mean(e.after.mean), "after_count": e.after.count,
                     "so_far": not e.after.complete, "change": _change(e.change),
                     "better": e.change is not None and round(e.change, 1) < 0}
                    for e in story.effects],
        "volumes": [{"label": label, "span": f"{clock.format_day(v.first_day)} – "
                     f"{clock.format_day(v.last_day)}", "distance": _distance(v.distance_km, shown),
                     "runs": v.runs, "per_week": _distance(v.km_per_week, shown)}
                    for label, v in (("before the onset", story.before),
                                     ("since the onset", story.since))],
        "checks": [{"when": clock.format_at(c.run.at, c.run.time_known),
                    "distance": _distance(c.run.distance_km, shown),
                    "during": "–" if c.run.pain_during is None else c.run.pain_during,
                    "before": "–" if c.morning_before is None else c.morning_before,
                    "next": "–" if c.next_morning is None else c.next_morning,
                    "outcome": c.outcome or ""} for c in story.checks],
        "instructions": [{"treatment": f"{i.window.treatment.kind} of "
                          f"{clock.format_day(i.window.treatment.at)}"
                          + ("" if i.window.treatment.injury_id == injury.id
                             else " (another injury)"),
                          "rule": LEVEL_TEXT[i.window.level],
                          "span": _span(i.window.start, i.window.end),
                          "source": i.window.source,
                          "kept": {True: "kept", False: "broken", None: "in force"}[i.kept],
                          "broken_by": [f"{clock.format_at(a.at, a.time_known)}: {a.kind} "
                                        f"{_distance(a.distance_km, shown)}" for a in i.broken_by]}
                         for i in report.instructions],
        "sessions": [{"kind": s.kind, "session": s.session, "of": s.of,
                      "due": clock.format_day(s.due), "overdue": s.due < now_day}
                     for s in story.next_sessions],
        "races": [{"name": r.name, "when": clock.format_at(r.at, r.time_known),
                   "distance": _distance(r.distance_km, shown) if r.distance_km else ""}
                  for r in report.races if clock.local(r.at).date() >= now_day],
        "in_force": [{"kind": i.window.treatment.kind, "rule": LEVEL_TEXT[i.window.level],
                      "until": clock.format_at(i.window.end)}
                     for i in report.instructions if i.ongoing],
        "rules": [{"topic": r.topic, "rule": _rule(r), "source": r.source}
                  for r in report.rules_used],
        "entries": [_entry(e, shown) for e in report.entries],
    }


def report_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    import jinja2
    import markupsafe

    template = (resources.files("runrecover.render") / "templates" / "report.html.j2")
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    page = env.from_string(template.read_text(encoding="utf-8"))
    values = context(report)
    values["chart"] = markupsafe.Markup(values["chart"])
    return page.render(**values)
