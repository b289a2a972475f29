"""Schema versions as ordered steps, tracked with `PRAGMA user_version`.

Each step is SQL (or, where data must be rewritten, a function of the connection) frozen
as it was when written, so an old file can always be brought forward one step at a time;
models.py describes only the newest schema. `db.open_database` runs the pending steps in
one transaction, after copying the file aside.
"""

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

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


def m002_days_as_calendar_dates(conn: sqlite3.Connection) -> None:
    """Entries with no time of day were stored as the instant of local midnight, so they
    moved to another day when the runner's zone changed; they become calendar dates,
    stored as UTC midnight of the day they were entered for (in the zone of today)."""
    from runrecover import clock

    for table in DATED_TABLES:
        rows = conn.execute(f"SELECT id, at FROM {table} WHERE NOT time_known").fetchall()
        for row_id, at in rows:
            stored = datetime.strptime(at, SQLITE_DATETIME).replace(tzinfo=UTC)
            day = clock.local(stored).date()
            conn.execute(f"UPDATE {table} SET at = ? WHERE id = ?",
                         (f"{day.isoformat()} 00:00:00.000000", row_id))


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

# (name, SQL or a function of the connection) in order; a file's schema version is how
# many have been applied.
MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
    ("m001_create_schema", M001_CREATE_SCHEMA),
    ("m002_days_as_calendar_dates", m002_days_as_calendar_dates),
    ("m003_return_to_run_ladder", M003_RETURN_TO_RUN_LADDER),
    ("m004_injury_onset_time", M004_INJURY_ONSET_TIME),
]
CURRENT_VERSION = len(MIGRATIONS)


def apply_pending(conn: sqlite3.Connection, from_version: int) -> None:
    """Run the steps after `from_version` on a connection already inside a transaction."""
    for _name, step in MIGRATIONS[from_version:]:
        if callable(step):
            step(conn)
            continue
        for statement in step.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
