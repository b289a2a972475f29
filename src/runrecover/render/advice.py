"""The words of each piece of advice the rules give (rules.advice gives the facts)."""

from runrecover import clock
from runrecover.rules import Advice
from runrecover.units import Units


def advice_message(advice: Advice, shown: Units) -> str:
    f = advice.facts
    match advice.rule:
        case "see-clinician":
            seen = ("no clinician visit recorded" if f["last_visit"] is None else
                    f"no clinician seen since {clock.format_day(f['last_visit'])}")
            return (f"Pain on {f['pain_days']} of the last {f['window_days']} days and {seen}: "
                    "see one now rather than wait, it can save weeks.")
        case "pain-during-run":
            what = "Your run" if f["run_logged"] else "Running"
            return (f"{what} on {clock.format_day(f['on'])} hurt {f['score']}/10 during it, "
                    f"above the pain-monitoring limit of {f['limit']}: make the next one "
                    "shorter or easier.")
        case "red-pain":
            low, high = f["band"]
            return (f"Pain {f['score']}/10 on {clock.format_day(f['on'])} is in the red "
                    f"({low}-{high}): stop what causes it and let it settle before loading "
                    "again.")
        case "morning-rise":
            if f["ran_on"] is not None and f["today"]:
                cause = (" after yesterday's run: it was more than the injury tolerated; "
                         "reduce the load")
            elif f["ran_on"] is not None:
                cause = f" after the run on {clock.format_day(f['ran_on'])}: reduce the load"
            else:
                cause = ": reduce the load until it settles"
            return (f"Morning pain {f['score']}/10, up from {f['previous']}/10 on "
                    f"{clock.format_day(f['previous_on'])}{cause}.")
        case "run-spike":
            return (f"Your run on {clock.format_day(f['on'])} ({shown.distance(f['distance_km'])})"
                    f" was {f['over_percent']:.0f}% longer than your longest of the "
                    f"{f['lookback_days']} days before it ({shown.distance(f['longest_km'])}): "
                    "runs over "
                    f"{f['rate_above_percent']:g}% longer had {f['injury_rate']:g}× the injury "
                    "rate (Frandsen 2025). Build up more gradually.")
        case "ladder-reds":
            return (f"{f['reds']} red responses in a row on the return-to-run ladder: see a "
                    "clinician before going on.")
        case "ladder-done":
            how = ("Last rung done" if f["finished"] else "You left the return-to-run ladder")
            longest = (f" ({f['longest_km']:.1f} km)" if f["longest_km"] else "")
            return (f"{how} on {clock.format_day(f['on'])}: normal running is back. Build up "
                    f"with no run more than {f['above_percent']:g}% longer than your longest "
                    f"of the last {f['lookback_days']} days{longest}.")
        case "back-after-time-off":
            return f"Back from {f['days_off']} days without running: {f['volume']}."
    raise ValueError(f"no words for advice rule {advice.rule!r}")
