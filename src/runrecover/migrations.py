"""Schema versions as ordered steps, tracked with `PRAGMA user_version`.

Each step is SQL frozen as it was when written, so an old file can always be brought
forward one step at a time; models.py describes only the newest schema. `db.open_database`
runs the pending steps in one transaction, after copying the file aside.
"""

import sqlite3

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

# (name, sql) in order; the schema version of a file is how many have been applied.
MIGRATIONS: list[tuple[str, str]] = [
    ("m001_create_schema", M001_CREATE_SCHEMA),
]
CURRENT_VERSION = len(MIGRATIONS)


def apply_pending(conn: sqlite3.Connection, from_version: int) -> None:
    """Run the steps after `from_version` on a connection already inside a transaction."""
    for _name, sql in MIGRATIONS[from_version:]:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
