"""Export then import is the identity: for any valid history, written through the storage
layer, `export` into an empty database by `import` gives the same export back, uid for uid,
and importing the file again adds nothing.
"""

import json
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrecover import athletes, clock, db, postgres, rows, store
from runrecover.models import ENTRY_KINDS
from runrecover.settings import ServerDatabase, db_path
from runrecover.vocab import ActivityKind, PainContext, RunType, Side

SECTIONS = ("injuries", "treatments", "pain", "activities", "races")

# Any text a person could type: no control characters, no lone surrogates. Notes may also hold
# tabs and line breaks.
LINE = st.characters(blacklist_categories=("Cc", "Cs"))
NOTE = st.one_of(st.none(), st.text(st.one_of(LINE, st.sampled_from("\n\t")), max_size=60))


def line(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(LINE, min_size=min_size, max_size=max_size)


def name() -> st.SearchStrategy[str]:
    """A name shows something: blank ones (spaces, a no-break space) are refused."""
    return line(1, 60).filter(lambda text: not rows.is_blank(text))


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))


# Pain scores and activities cannot be in the future (the frozen now is 15 June 2016).
PAST = datetime(2016, 6, 14)


@st.composite
def moments(draw, past: bool = False) -> dict:
    """`at` and `time_known`: a UTC instant to the second, or a local day with no time;
    with `past`, before the tests' now."""
    last = PAST if past else datetime(2090, 12, 31)
    if draw(st.booleans()):
        at = draw(st.datetimes(min_value=datetime(1950, 1, 1), max_value=last,
                               timezones=st.just(UTC))).replace(microsecond=0)
        return {"at": at, "time_known": True}
    return {"at": clock.start_of_day(draw(st.dates(min_value=date(1950, 1, 1),
                                                   max_value=last.date()))),
            "time_known": False}


POSITIVE = st.floats(min_value=0, max_value=1000, exclude_min=True)
SECONDS = st.floats(min_value=0, max_value=7 * 86400, exclude_min=True)
KINDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)

INJURY = st.fixed_dictionaries({
    "name": name(), "part": optional(line(0, 30)), "side": optional(st.sampled_from(Side)),
    "onset_on": optional(DAYS), "cause": optional(line()), "diagnosis": optional(line()),
    "resolved_on": optional(DAYS), "note": NOTE,
})
TREATMENT = st.fixed_dictionaries({
    "kind": KINDS, "clinician": optional(line()),
    "no_run_days": optional(st.integers(0, 365)),
    "rest_hours": optional(st.floats(min_value=0, max_value=24 * 365)), "note": NOTE,
})
PAIN = st.fixed_dictionaries({
    "score": st.integers(0, 10), "context": optional(st.sampled_from(PainContext)),
    "note": NOTE,
})
ACTIVITY = st.fixed_dictionaries({
    "kind": st.sampled_from(ActivityKind), "distance_km": optional(POSITIVE),
    "duration_s": optional(SECONDS), "moving_s": optional(SECONDS),
    "run_type": optional(st.sampled_from(RunType)), "rpe": optional(st.integers(1, 10)),
    "pain_during": optional(st.integers(0, 10)), "pain_after": optional(st.integers(0, 10)),
    "avg_hr": optional(st.floats(min_value=0, max_value=300, exclude_min=True)),
    "source": optional(line(1, 40)), "source_id": optional(line(1, 60)), "note": NOTE,
})
RACE = st.fixed_dictionaries({"name": name(), "distance_km": optional(POSITIVE),
                              "note": NOTE})


@st.composite
def histories(draw) -> dict[str, list[dict]]:
    injuries = draw(st.lists(INJURY, max_size=4))
    links = st.one_of(st.none(), st.integers(0, len(injuries) - 1)) if injuries \
        else st.none()

    def timed(base: st.SearchStrategy, linked: bool, max_size: int,
              past: bool = False) -> list[dict]:
        entries = draw(st.lists(st.tuples(base, moments(past), links), max_size=max_size))
        return [fields | moment | ({"injury": link} if linked else {})
                for fields, moment, link in entries]

    activities = timed(ACTIVITY, False, 8, past=True)
    # The same run logged twice (two uids, same start and distance) is two entries to keep.
    if activities and draw(st.booleans()):
        activities.append(dict(activities[0]) | {"note": "logged again"})
    return {"injury": injuries, "treatment": timed(TREATMENT, True, 6),
            "pain": timed(PAIN, True, 8, past=True), "activity": activities,
            "race": timed(RACE, False, 4)}


def _add(session, kind: str, data: dict):
    # Each row through its validating model, but not held to its injury's dates: older
    # versions did not check them, and what they stored must travel all the same.
    table, create = ENTRY_KINDS[kind]
    return store.add(session, table(**store.validated(create, data)))


def write(database: str, history: dict[str, list[dict]]) -> None:
    """Store the history through the storage layer, as the commands do, in one transaction,
    in a database `database` gave (a SQLite file, or a PostgreSQL schema)."""
    chosen = db_path(database)
    engine = (postgres.open_database(chosen, write=True) if isinstance(chosen, ServerDatabase)
              else db.open_database(chosen, write=True))
    try:
        with db.transaction(engine) as session:
            store.scope(session, athletes.confirmed_in(session, None, write=True).id)
            ids = [_add(session, "injury", data).id for data in history["injury"]]
            for kind in ("treatment", "pain", "activity", "race"):
                for data in history[kind]:
                    data = dict(data)
                    link = data.pop("injury", None)
                    if kind in ("treatment", "pain"):
                        data["injury_id"] = ids[link] if link is not None else None
                    _add(session, kind, data)
            store.flush_journal(session, command="hypothesis")
    finally:
        engine.dispose()


def exported(cli, database: str) -> dict:
    result = cli("--db", database, "export")
    assert result.exit_code == 0, result.stderr
    document = result.json()
    document.pop("exported_at")
    return document


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=histories())
def test_export_then_import_gives_back_every_entry(cli, database, history):
    with tempfile.TemporaryDirectory() as tmp:
        original, copy, file = database("a.db"), database("b.db"), Path(tmp, "export.json")
        write(original, history)
        first = exported(cli, original)
        file.write_text(json.dumps(first, ensure_ascii=False))
        total = sum(len(first[section]) for section in SECTIONS)
        assert total == sum(len(entries) for entries in history.values())

        imported = cli("--db", copy, "import", str(file))
        assert imported.exit_code == 0, imported.stderr
        assert exported(cli, copy) == first

        again = cli("--db", copy, "import", str(file))
        assert again.exit_code == 0, again.stderr
        assert exported(cli, copy) == first


def test_an_activity_in_the_file_and_the_database_is_still_recognised(cli, database,
                                                                       tmp_path):
    """The same run stored under another uid (logged on another machine) is skipped."""
    history = {"injury": [], "treatment": [], "pain": [], "race": [], "activity": [
        {"kind": "run", "at": datetime(2016, 6, 10, 6, 0, tzinfo=UTC), "time_known": True,
         "distance_km": 8.0}]}
    here, there = database("a.db"), database("b.db")
    write(here, history)
    write(there, history | {"activity": [
        history["activity"][0] | {"at": history["activity"][0]["at"] + timedelta(minutes=1),
                                  "distance_km": 8.1}]})
    file = tmp_path / "a.json"
    file.write_text(json.dumps(exported(cli, here)))
    before = exported(cli, there)
    result = cli("--db", there, "import", str(file))
    assert result.exit_code == 0, result.stderr
    assert exported(cli, there) == before
