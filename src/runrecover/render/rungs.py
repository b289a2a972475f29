"""A ladder's words that need no Rich: a rung's session and a plan's rules, as `status`
shows them and the calendar (`render.ics`) writes them, which so imports no Rich."""

from runrecover.protocols.ladders import Rung
from runrecover.rules import LadderPlan


def _minutes(value: float) -> str:
    return f"{value:g} min"


def session_text(rung: Rung) -> str:
    """`5 × (3 min run / 2 min walk)`, or `20 min running` when it is continuous."""
    if not rung.walk_min:
        return f"{_minutes(rung.run_min * rung.sets)} running"
    return (f"{rung.sets} × ({_minutes(rung.run_min)} run / {_minutes(rung.walk_min)} walk)"
            if rung.sets > 1 else f"{_minutes(rung.run_min)} run / {_minutes(rung.walk_min)} walk")


def plan_rules(plan: LadderPlan) -> list[str]:
    return ["easy", f"pain ≤ {plan.pain_ok} (stop above {plan.pain_stop})",
            "log tomorrow's morning pain"]
