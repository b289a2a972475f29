"""Shell completion of the names a runner types: injuries, races, treatment kinds.

Completion runs on every Tab, so it must stay instant: it reads the database file with the
standard library's sqlite3, read-only, instead of opening it through SQLAlchemy (which
`--help` and completion never import), and a file it cannot read completes nothing. A
server's database is read with psycopg alone, read-only, giving up after a second
(`postgres.names`): a server that is down or busy completes nothing.

Names are one athlete's: those of the athlete named (the command's --athlete, the global
one, RUNRECOVER_ATHLETE), else of the database's only athlete; with several and none
named, or one not there, nothing is completed.
"""

import sqlite3
from contextlib import closing

import typer


def _literal(text: str) -> str:
    """`text` as an SQL string literal (the same on SQLite and PostgreSQL)."""
    return "'" + text.replace("'", "''") + "'"


def _athlete_of(ctx: typer.Context) -> str:
    """The SQL expression of the athlete's id (NULL when none can be told): completion has
    nowhere to say that an athlete is missing or that there are several."""
    import os

    from runrecover.athletes import ENV

    given = [ctx.params.get("athlete"), ctx.find_root().params.get("athlete"),
             os.environ.get(ENV)]
    name = next((n for n in given if isinstance(n, str) and n.strip()), None)
    if name is None:
        return "(SELECT min(id) FROM athlete HAVING count(*) = 1)"
    return (f"(SELECT min(id) FROM athlete WHERE lower(trim(name)) = "
            f"lower(trim({_literal(name)})))")


def _scoped_names(ctx: typer.Context, select: str, tail: str = "") -> list[str]:
    """`select` (SELECT a column FROM an entry table) over the athlete's rows."""
    return _names(ctx, f"{select} WHERE athlete_id = {_athlete_of(ctx)} {tail}")


def _names(ctx: typer.Context, query: str) -> list[str]:
    from runrecover import settings
    from runrecover.errors import InputError

    try:
        path = settings.db_path(ctx.find_root().params.get("db"))
    except InputError:  # a URL of another scheme or a folder: nothing to complete from
        return []
    if isinstance(path, settings.ServerDatabase):
        from runrecover import postgres

        return postgres.names(path, query)
    if not path.is_file():
        return []
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as con:
            return [row[0] for row in con.execute(query) if row[0]]
    except sqlite3.Error:
        return []


# Typer keeps the names that start with what is typed; open injuries come first.
def injury_names(ctx: typer.Context, incomplete: str) -> list[str]:
    return _scoped_names(ctx, "SELECT name FROM injury", "ORDER BY resolved_on IS NOT NULL, id")


def pain_injury_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """The injuries, and `none`: a score for no injury (`pain --injury none`)."""
    return [*injury_names(ctx, incomplete), NO_INJURY]


NO_INJURY = "none"


def race_names(ctx: typer.Context, incomplete: str) -> list[str]:
    return _scoped_names(ctx, "SELECT name FROM race", "ORDER BY at")


def athlete_names(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "SELECT name FROM athlete ORDER BY id")


def treatment_kinds(ctx: typer.Context, incomplete: str) -> list[str]:
    """The protocols' kinds (a kind from the user's protocols.toml too) and the kinds the
    runner has recorded (`--new-kind`)."""
    from runrecover.cli.context import profile

    kinds = [*profile().protocols, *_scoped_names(ctx, "SELECT DISTINCT kind FROM treatment")]
    return sorted({k for k in kinds if k.startswith(incomplete.lower())})
