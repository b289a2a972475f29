"""Schema versions as ordered, named steps, recorded by name in a table on both engines.

Each step is SQL (or, where data must be rewritten, a function of the connection) frozen
as it was when written, so an old database can always be brought forward one step at a
time; models.py describes only the newest schema. `db.migrate` (SQLite) and
`postgres.migrate` run the pending steps in one transaction, SQLite after copying the file
aside, PostgreSQL under an advisory lock.

The steps are written in SQLite's words; `statements` says them in PostgreSQL's (a few
type names, and ids numbered as SQLite numbers them). The names applied are kept in
`runrecover_migrations` (the llm / sqlite-utils pattern): a database holding a name this
program does not know was written by a newer one, and is refused untouched. SQLite files
also keep `PRAGMA user_version` (how many steps are applied) and `application_id`, which
`database_file.identify` reads from the file's header without opening it; files from before
the table (user_version 1..3) count their first user_version steps as applied.
"""

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

# Marks our files apart from other SQLite databases ("RnRc").
APPLICATION_ID = 0x526E5263

M001_CREATE_SCHEMA = """
CREATE TABLE injury (
    id INTEGER PRIMARY KEY,
    uid VARCHAR NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    note VARCHAR,
    name VARCHAR NOT NULL,
    part VARCHAR,
    side VARCHAR,
    onset_on DATE,
    cause VARCHAR,
    diagnosis VARCHAR,
    resolved_on DATE
);
CREATE TABLE treatment (
    id INTEGER PRIMARY KEY,
    uid VARCHAR NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    note VARCHAR,
    kind VARCHAR NOT NULL,
    at DATETIME NOT NULL,
    time_known BOOLEAN NOT NULL,
    injury_id INTEGER REFERENCES injury (id),
    clinician VARCHAR,
    no_run_days INTEGER,
    rest_hours FLOAT
);
CREATE INDEX ix_treatment_at ON treatment (at);
CREATE TABLE pain (
    id INTEGER PRIMARY KEY,
    uid VARCHAR NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    note VARCHAR,
    score INTEGER NOT NULL,
    at DATETIME NOT NULL,
    time_known BOOLEAN NOT NULL,
    injury_id INTEGER REFERENCES injury (id),
    context VARCHAR
);
CREATE INDEX ix_pain_at ON pain (at);
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    uid VARCHAR NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    note VARCHAR,
    kind VARCHAR NOT NULL,
    at DATETIME NOT NULL,
    time_known BOOLEAN NOT NULL,
    distance_km FLOAT,
    duration_s FLOAT,
    moving_s FLOAT,
    run_type VARCHAR,
    rpe INTEGER,
    pain_during INTEGER,
    pain_after INTEGER,
    avg_hr FLOAT,
    source VARCHAR,
    source_id VARCHAR
);
CREATE INDEX ix_activity_at ON activity (at);
CREATE TABLE race (
    id INTEGER PRIMARY KEY,
    uid VARCHAR NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    note VARCHAR,
    name VARCHAR NOT NULL,
    at DATETIME NOT NULL,
    time_known BOOLEAN NOT NULL,
    distance_km FLOAT
);
CREATE INDEX ix_race_at ON race (at);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    at DATETIME NOT NULL,
    command VARCHAR NOT NULL,
    changes VARCHAR NOT NULL
);
"""

DATED_TABLES = ("treatment", "pain", "activity", "race")
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


def m002_days_as_calendar_dates(conn: "StepConnection") -> None:
    """Entries with no time of day were stored as the instant of local midnight, so they
    moved to another day when the runner's zone changed; they become calendar dates,
    stored as UTC midnight of the day they were entered for (in the zone of today)."""
    from runrecover import clock

    for table in DATED_TABLES:
        rows = conn.execute(f"SELECT id, at FROM {table} WHERE NOT time_known").fetchall()
        for row_id, at in rows:
            stored = (at.astimezone(UTC) if isinstance(at, datetime)
                      else datetime.strptime(at, SQLITE_DATETIME).replace(tzinfo=UTC))
            day = clock.local(stored).date()
            midnight = (f"{day.isoformat()} 00:00:00.000000" if conn.dialect == "sqlite"
                        else datetime(day.year, day.month, day.day, tzinfo=UTC))
            conn.execute(f"UPDATE {table} SET at = ? WHERE id = ?", (midnight, row_id))


M003_RETURN_TO_RUN_LADDER = """
CREATE TABLE ladder_event (
    id INTEGER PRIMARY KEY,
    uid VARCHAR NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    note VARCHAR,
    action VARCHAR NOT NULL,
    at DATETIME NOT NULL,
    time_known BOOLEAN NOT NULL,
    injury_id INTEGER REFERENCES injury (id),
    ladder VARCHAR,
    rung INTEGER
);
CREATE INDEX ix_ladder_event_at ON ladder_event (at);
ALTER TABLE treatment ADD COLUMN ladder VARCHAR;
ALTER TABLE treatment ADD COLUMN rung INTEGER;
ALTER TABLE activity ADD COLUMN rung INTEGER;
"""

# An injury's onset keeps its time of day when one is given: `onset_at` is that instant
# (UTC), `onset_on` stays its calendar day, the only onset of an injury with no time.
M004_INJURY_ONSET_TIME = """
ALTER TABLE injury ADD COLUMN onset_at DATETIME;
"""

# Every entry and journal row belongs to an athlete (a clinic's or a club's database holds
# many); names are unique whatever their case. The dated tables are read by athlete and time.
M005_ATHLETES_SCHEMA = """
CREATE TABLE athlete (
    id INTEGER PRIMARY KEY,
    uid VARCHAR NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    note VARCHAR,
    name VARCHAR NOT NULL,
    time_zone VARCHAR,
    units VARCHAR
);
CREATE UNIQUE INDEX ix_athlete_name ON athlete (lower(name));
ALTER TABLE injury ADD COLUMN athlete_id INTEGER REFERENCES athlete (id);
ALTER TABLE treatment ADD COLUMN athlete_id INTEGER REFERENCES athlete (id);
ALTER TABLE pain ADD COLUMN athlete_id INTEGER REFERENCES athlete (id);
ALTER TABLE activity ADD COLUMN athlete_id INTEGER REFERENCES athlete (id);
ALTER TABLE race ADD COLUMN athlete_id INTEGER REFERENCES athlete (id);
ALTER TABLE ladder_event ADD COLUMN athlete_id INTEGER REFERENCES athlete (id);
ALTER TABLE journal ADD COLUMN athlete_id INTEGER REFERENCES athlete (id);
CREATE INDEX ix_injury_athlete ON injury (athlete_id);
CREATE INDEX ix_treatment_athlete_at ON treatment (athlete_id, at);
CREATE INDEX ix_pain_athlete_at ON pain (athlete_id, at);
CREATE INDEX ix_activity_athlete_at ON activity (athlete_id, at);
CREATE INDEX ix_race_athlete_at ON race (athlete_id, at);
CREATE INDEX ix_ladder_event_athlete_at ON ladder_event (athlete_id, at);
CREATE INDEX ix_journal_athlete ON journal (athlete_id)
"""
ATHLETE_TABLES = ("injury", "treatment", "pain", "activity", "race", "ladder_event", "journal")
"""The tables whose every row belongs to an athlete (`athlete_id`)."""
FIRST_ATHLETE = "me"
"""The athlete a single runner's record belongs to, made by the first write (or by m005 for
a database that already holds entries)."""


def m005_athletes(conn: "StepConnection") -> None:
    """The athlete table, and every row's athlete: a database already holding entries or
    journal rows gets athlete 1, `me`, who owns them all; a new one gets no athlete (the
    first write makes `me`)."""
    import uuid

    for statement in statements(M005_ATHLETES_SCHEMA, conn.dialect):
        conn.execute(statement)
    if not any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
               for table in ATHLETE_TABLES):
        return
    now = datetime.now(UTC)
    conn.execute("INSERT INTO athlete (id, uid, created_at, name) VALUES (1, ?, ?, ?)",
                 (str(uuid.uuid4()), now.strftime(SQLITE_DATETIME) if conn.dialect == "sqlite"
                  else now, FIRST_ATHLETE))
    for table in ATHLETE_TABLES:
        conn.execute(f"UPDATE {table} SET athlete_id = 1")


# (name, SQL or a function of the connection) in order; a file's schema version is how
# many have been applied. A new step goes at the end, never between.
MIGRATIONS: list[tuple[str, str | Callable[["StepConnection"], None]]] = [
    ("m001_create_schema", M001_CREATE_SCHEMA),
    ("m002_days_as_calendar_dates", m002_days_as_calendar_dates),
    ("m003_return_to_run_ladder", M003_RETURN_TO_RUN_LADDER),
    ("m004_injury_onset_time", M004_INJURY_ONSET_TIME),
    ("m005_athletes", m005_athletes),
]
CURRENT_VERSION = len(MIGRATIONS)

MIGRATIONS_TABLE = "runrecover_migrations"
"""The names of the steps applied, with when (NULL for those applied before names were
recorded)."""


class NewerSchema(Exception):
    """The database holds steps this program does not know: a newer runrecover wrote it."""

    def __init__(self, unknown: Sequence[str]) -> None:
        super().__init__(f"written by a newer runrecover: it holds schema steps this one does "
                         f"not know ({', '.join(unknown)})")


class StepConnection:
    """What a step is given: `execute(sql, params)` with SQLite's `?` placeholders on either
    engine (a sqlite3 or a psycopg connection underneath), and the `dialect`'s name."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.dialect == "postgresql":
            sql = sql.replace("%", "%%").replace("?", "%s")
        return self.raw.execute(sql, tuple(params))


# On PostgreSQL an id is numbered as SQLite numbers an INTEGER PRIMARY KEY: one more than
# the largest (so an id freed by undo is given again, as on a local file). Writers take the
# database's write lock first (postgres.py), so two never draw the same number.
_NEXT_ID = """
CREATE OR REPLACE FUNCTION runrecover_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA,
                       TG_TABLE_NAME) INTO NEW.id;
    END IF;
    RETURN NEW;
END $$"""
_CREATE_TABLE = re.compile(r"^\s*CREATE TABLE (\w+) \(\s*id INTEGER PRIMARY KEY\b", re.I)


def statements(step: str, dialect: str) -> list[str]:
    """A step's SQL, one statement each, as `dialect` takes it. PostgreSQL has no DATETIME
    (a moment is stored WITH TIME ZONE, given and read back in UTC as on SQLite) and numbers
    ids with `runrecover_next_id`."""
    result = []
    for statement in step.split(";"):
        if not statement.strip():
            continue
        if dialect != "postgresql":
            result.append(statement)
            continue
        result.append(re.sub(r"\bDATETIME\b", "TIMESTAMP WITH TIME ZONE", statement))
        table = _CREATE_TABLE.match(statement)
        if table is not None:
            result += [_NEXT_ID, f"CREATE TRIGGER {table[1]}_next_id BEFORE INSERT ON "
                                 f"{table[1]} FOR EACH ROW EXECUTE FUNCTION runrecover_next_id()"]
    return result


def pending(applied: Sequence[str]) -> list[tuple[str, str | Callable[..., None]]]:
    """The steps not yet applied, in order; raises NewerSchema for a name not known here."""
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise NewerSchema(unknown)
    return [(name, step) for name, step in MIGRATIONS if name not in applied]


def sqlite_applied(conn: Any) -> list[str]:
    """The names of the steps applied to a SQLite file: its table's, else (a file from before
    names were recorded) the first `user_version` steps."""
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                             (MIGRATIONS_TABLE,)).fetchone()
    if has_table:
        return [row[0] for row in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE}")]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return [name for name, _ in MIGRATIONS[:version]]


def apply_pending(conn: Any, applied: Sequence[str], *, dialect: str = "sqlite") -> None:
    """Run the steps not in `applied` on a connection (sqlite3 or psycopg) already inside a
    transaction, and record their names; raises NewerSchema before changing anything when
    `applied` holds a step not known here."""
    steps = pending(applied)
    step_conn = StepConnection(conn, dialect)
    moment = "DATETIME" if dialect == "sqlite" else "TIMESTAMP WITH TIME ZONE"
    step_conn.execute(f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (name VARCHAR PRIMARY KEY, "
                      f"applied_at {moment})")
    recorded = {row[0] for row in step_conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE}")}
    for name in applied:
        if name not in recorded:
            step_conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name) VALUES (?)", (name,))
    for name, step in steps:
        if callable(step):
            step(step_conn)
        else:
            for statement in statements(step, dialect):
                step_conn.execute(statement)
        now = datetime.now(UTC)
        step_conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                          (name, now.strftime(SQLITE_DATETIME) if dialect == "sqlite" else now))
    if dialect == "sqlite":
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
