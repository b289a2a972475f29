"""The command line: one module per noun, all registered on `app.app`.

Nothing here imports SQLModel or SQLAlchemy at import time, so `--help` and shell
completion stay instant; commands import storage inside their bodies.
"""

import gc

# The imports below make some hundred thousand objects, all kept until the process ends: the
# collector would walk them forty times over meanwhile (10-20 ms of every start, measured).
_collecting = gc.isenabled()
gc.disable()

from runrecover.cli import (  # noqa: E402, F401  (importing a module registers its commands)
    athletes,
    backup,
    config,
    demo,
    edit,
    exchange,
    injury,
    ladder,
    list,
    log,
    pain,
    race,
    report,
    rules,
    status,
    timeline,
    treat,
)
from runrecover.cli.app import app  # noqa: E402

gc.freeze()  # (nor walked after: they live until the end)
if _collecting:
    gc.enable()

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    finally:
        # At exit the collector would walk every object the imports made (~150 ms measured
        # on status): nothing is left to collect that the process end does not free anyway.
        gc.freeze()
