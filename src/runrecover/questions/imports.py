"""An import: which of the activities it stored broke a restriction."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from runrecover import rules
from runrecover.profile import Profile
from runrecover.questions.lookback import facts, treatments_reaching
from runrecover.records import Records
from runrecover.rules import ActivityFact, Window


def broken_restrictions(records: Records, profile: Profile,
                        added: Sequence[Any]) -> list[tuple[Any, Window]]:
    """The activities among `added` that broke a restriction, each with the one it broke:
    the treatments reaching the batch's span read once, and the rules judging the batch
    at once (`rules.broken_by`)."""
    if not added:
        return []
    first, last = min(a.at for a in added), max(a.at for a in added)
    # A day's margin: an activity with no time of day is checked at noon.
    treatments = treatments_reaching(records, profile, since=first,
                                     until=last + timedelta(days=1), courses=False)
    flags = rules.broken_by([ActivityFact.from_row(a, profile.zone) for a in added],
                            facts(treatments, profile), profile)
    return [(row, flags[row.id]) for row in added if row.id in flags]
