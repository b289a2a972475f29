"""Where the numbers come from: the source keys of the protocols and advice in force, with
what each stands for."""

from runrecover.errors import InputError
from runrecover.profile import Profile
from runrecover.protocols import load_sources, source_keys


def sources_used(profile: Profile, kind: str | None = None) -> list[tuple[str, str]]:
    """(key, what it stands for) for every key, or for those the protocol of `kind` cites
    (its phases and course, and the clinician's own numbers), in the order they appear."""
    known = load_sources()
    if kind is None:
        return list(known.items())
    protocol = profile.protocol(kind)
    if protocol is None:
        raise InputError(f"No protocol is known for {kind!r}: see the kinds with "
                         "'runrecover rules'.")
    cited = [p.source for p in protocol.phases]
    cited += [protocol.course.source] if protocol.course else []
    cited += ["visit"]
    keys = list(dict.fromkeys(key for source in cited for key in source_keys(source)))
    return [(key, known.get(key, "a key of your protocols.toml, not one runrecover ships"))
            for key in keys]

