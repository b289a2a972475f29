"""The command line: one module per noun, all registered on `app.app`.

Nothing here imports SQLModel or SQLAlchemy at import time, so `--help` and shell
completion stay instant; commands import storage inside their bodies.
"""

from runrecover.cli import (  # noqa: F401  (importing a module registers its commands)
    backup,
    demo,
    edit,
    exchange,
    injury,
    log,
    pain,
    race,
    rules,
    status,
    timeline,
    treat,
)
from runrecover.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
