"""The runner's profile: what every answer depends on besides the record itself.

Loaded once per command and passed down, so that no rule, question or view reads a file or
the environment on its own: the protocols (built-in and the user's file), the advice
thresholds, the time zone days are counted in, and the units distances are shown in.
"""

from collections.abc import Mapping
from datetime import tzinfo

from msgspec import Struct, field

from runrecover.errors import InputError
from runrecover.protocols import AdviceThresholds, Protocol, close_kinds, kind_of
from runrecover.protocols.ladders import Ladder, load_ladders
from runrecover.units import KM, Units


class Profile(Struct, frozen=True):
    protocols: Mapping[str, Protocol]
    advice: AdviceThresholds
    zone: tzinfo
    # The return-to-run ladders: built-in, or with the user's ladders.toml merged.
    ladders: Mapping[str, Ladder] = field(default_factory=load_ladders)

    def ladder(self, name: str) -> Ladder:
        """The ladder of that name; an unknown name is refused with the known ones."""
        found = self.ladders.get(name.strip().lower())
        if found is None:
            raise InputError(f"Unknown ladder {name!r}: use one of "
                             f"{', '.join(self.ladders)} (see 'runrecover ladder').")
        return found
    units: Units = KM

    def kind(self, text: str) -> str:
        """The kind a treatment name stands for, aliases followed."""
        return kind_of(text, self.protocols)

    def protocol(self, kind: str) -> Protocol | None:
        return self.protocols.get(self.kind(kind))

    def recorded_kind(self, text: str, *, new_kind: bool = False) -> str:
        """The kind to record for a name typed: a known kind (aliases followed), or, with
        `new_kind`, a new one. Without it an unknown name is refused: a typo recorded as a
        kind of its own would start no restriction at all."""
        kind = self.kind(text)
        if kind in self.protocols or new_kind:
            return kind
        close = close_kinds(text, self.protocols)
        if close:
            raise InputError(f"Unknown treatment kind {text!r}: did you mean "
                             f"{' or '.join(close)}? If it really is another kind, add "
                             "--new-kind.")
        raise InputError(f"Unknown treatment kind {text!r}: see the known ones with "
                         "'runrecover rules', or add --new-kind to record a new one.")
