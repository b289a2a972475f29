"""`runrecover rules [KIND]`: the protocols the verdicts come from, with their sources."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.options import JsonOption


@app.command()
def rules(
    kind: Annotated[str | None, typer.Argument(
        help="A treatment kind, e.g. mesotherapy (default: list them all).")] = None,
    sources: Annotated[bool, typer.Option(
        "--sources", help="What the source keys in brackets ([clinic], [S32]…) stand for: all "
        "of them, or those KIND's numbers come from.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show the treatment protocols: phases, course, contraindications and sources."""
    from runrecover.cli.context import profile
    from runrecover.errors import InputError
    from runrecover.render import console
    from runrecover.render import protocols as view
    from runrecover.settings import user_protocols_file

    settings = profile()
    protocols = settings.protocols
    if sources:
        from runrecover.questions.sources import sources_used

        used = sources_used(settings, kind)
        if as_json:
            console.emit_json([{"key": key, "source": text} for key, text in used])
        else:
            console.show(view.sources_view(used))
        return
    if kind is None:
        if as_json:
            console.emit_json([view.protocol_json(p) for p in protocols.values()])
        else:
            console.show(view.protocol_list(protocols.values(), user_protocols_file()))
        return
    protocol = settings.protocol(kind)
    if protocol is None:
        # A unique start of a kind's name is enough, as for injuries and races ("meso").
        starting = sorted(k for k in protocols if k.startswith(kind.strip().lower()))
        if len(starting) > 1:
            raise InputError(f"{kind!r} is the start of several kinds ({', '.join(starting)}); "
                             "give more of the name.")
        if not starting:
            raise InputError(f"No protocol is known for {kind!r}; known kinds: "
                             f"{', '.join(sorted(protocols))}; add one in "
                             f"{user_protocols_file()}.")
        protocol = protocols[starting[0]]
    if as_json:
        console.emit_json(view.protocol_json(protocol))
    else:
        console.show(view.protocol_detail(protocol))
