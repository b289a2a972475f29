"""The runner's profile: what every answer depends on besides the record itself.

Loaded once per command and passed down, so that no rule, question or view reads a file or
the environment on its own: the protocols (built-in and the user's file), the advice
thresholds, and the time zone days are counted in.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo

from runrecover.protocols import AdviceThresholds, Protocol


@dataclass(frozen=True)
class Profile:
    protocols: Mapping[str, Protocol]
    advice: AdviceThresholds
    zone: tzinfo


def load_profile(*, builtin_only: bool = False) -> Profile:
    """The profile in force: the user's protocol file when there is one (not with
    `builtin_only`, for the demo's story), `TZ` or the system's zone."""
    from runrecover import clock, settings
    from runrecover.protocols import load_advice, load_protocols

    user_file = None if builtin_only else settings.user_protocols_file()
    return Profile(protocols=load_protocols(user_file if user_file and user_file.exists()
                                            else None),
                   advice=load_advice(), zone=clock.local_zone())
