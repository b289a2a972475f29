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

