"""A shared database with three athletes whose histories interleave, built through the real
CLI, and what the isolation tests need to judge it: each athlete's uids, ids and unique
marker strings, a dump of every table, and JSON answers made comparable across databases
(ids are global, so the same history has other ids on a database of its own).

alice and bob both have a "left calf"; alice's mesotherapy forbids running until Sat 18 Jun
and her ladder keeps her to easy running after it; bob's red pain (hamstring) holds him back
until Thu 16 Jun 09:30, after which nothing of his own holds him: on Fri 17 Jun he may run
normally while alice may not. carol has nothing recorded. The last command is alice's.
"""

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAMES = ("alice", "bob", "carol")
TABLES = ("athlete", "injury", "treatment", "pain", "activity", "race", "ladder_event",
          "journal")
EXPORT_KINDS = {"injuries": "injury", "treatments": "treatment", "pain": "pain",
                "activities": "activity", "races": "race"}
"""The JSON export's lists, and the kind of entry each holds."""
LIST_KINDS = {"injuries": "injury", "treatments": "treatment", "pain": "pain",
              "runs": "activity", "races": "race"}
"""`list --json`'s."""
NOW_AT = "2016-06-15 10:00"      # the frozen now (conftest.FROZEN_NOW)
FRIDAY = "2016-06-17 10:00"      # bob free, alice held by her mesotherapy
MONDAY = "2016-06-20 10:00"      # alice on her ladder (easy only), bob free


def with_athlete(name: str | None, args: list[str], how: str = "command") -> list[str]:
    """`args` for athlete `name`: `--athlete` as the global option (before the command) or as
    the command's own option (at the end)."""
    if name is None:
        return list(args)
    if how == "global" or not args:
        return ["--athlete", name, *args]
    return [*args, "--athlete", name]


@dataclass
class Athlete:
    name: str
    uids: set[str] = field(default_factory=set)
    ids: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    markers: set[str] = field(default_factory=set)
    commands: list[list[str]] = field(default_factory=list)
    """Every command run for this athlete, without --athlete, in order."""

    def marks(self) -> set[str]:
        return self.uids | self.markers


class World:
    def __init__(self, cli: Callable, how: dict[str, str] | None = None,
                 db: str | None = None) -> None:
        self.cli = cli
        self.db = db
        self.how = how or {"alice": "command", "bob": "global", "carol": "command"}
        self.athletes = {name: Athlete(name) for name in NAMES}

    def run(self, name: str | None, *args: str, how: str | None = None):
        argv = with_athlete(name, list(args), how or self.how.get(name or "", "command"))
        if self.db is not None:
            argv = ["--db", self.db, *argv]
        return self.cli(*argv)

    def write(self, name: str, kind: str, *args: str, markers: tuple[str, ...] = ()):
        """Run a writing command with --json for `name`; keep its entry's id and uid."""
        result = self.run(name, *args, "--json")
        assert result.exit_code == 0, (name, args, result.stderr)
        entry = result.json()
        athlete = self.athletes[name]
        athlete.ids[kind].add(entry["id"])
        athlete.uids.add(entry["uid"])
        athlete.markers.update(markers)
        athlete.commands.append([*args, "--json"])
        return entry

    def build(self) -> "World":
        for name in NAMES:
            added = self.run(None, "athletes", "add", name)
            assert added.exit_code == 0, added.stderr
        w = self.write
        w("alice", "injury", "injury", "add", "left calf", "--since", "2016-06-01",
          "--note", "ALICE-INJURY", markers=("ALICE-INJURY",))
        w("bob", "injury", "injury", "add", "left calf", "--since", "2016-06-03",
          "--note", "BOB-INJURY-CALF", markers=("BOB-INJURY-CALF",))
        w("bob", "injury", "injury", "add", "right hamstring", "--since", "2016-05-20",
          "--note", "BOB-INJURY-HAMSTRING", markers=("BOB-INJURY-HAMSTRING", "hamstring"))
        w("bob", "ladder_event", "ladder", "start", "--injury", "hamstring", "--on",
          "2016-06-05", "--note", "BOB-LADDER", markers=("BOB-LADDER",))
        w("alice", "ladder_event", "ladder", "start", "--injury", "calf", "--on", "2016-06-10",
          "--note", "ALICE-LADDER", markers=("ALICE-LADDER",))
        w("alice", "treatment", "treat", "mesotherapy", "--injury", "calf", "--on",
          "2016-06-14 09:00", "--by", "Dr Alicedoc", "--note", "ALICE-TREAT",
          markers=("ALICE-TREAT", "Alicedoc"))
        w("bob", "treatment", "treat", "massage", "--injury", "calf", "--on",
          "2016-06-13 09:00", "--by", "Dr Bobdoc", "--note", "BOB-TREAT",
          markers=("BOB-TREAT", "Bobdoc"))
        w("alice", "activity", "log", "5k", "30:00", "--on", "2016-06-12 07:00",
          "--note", "ALICE-RUN", markers=("ALICE-RUN",))
        # The same run for bob: his own, not a repeat of alice's.
        bobs = w("bob", "activity", "log", "5k", "30:00", "--on", "2016-06-12 07:00",
                 "--note", "BOB-RUN", markers=("BOB-RUN",))
        assert bobs["already_logged"] is False, bobs
        w("bob", "ladder_event", "ladder", "leave", "--on", "2016-06-14")
        # alice red (no injury) at 08:00; bob's later low score for no injury must not lift it.
        w("alice", "pain", "pain", "7", "--injury", "none", "--on", "2016-06-15 08:00",
          "--context", "rest", "--note", "ALICE-PAIN-RED", markers=("ALICE-PAIN-RED",))
        w("bob", "pain", "pain", "1", "--injury", "none", "--on", "2016-06-15 08:30",
          "--context", "rest", "--note", "BOB-PAIN-LOW", markers=("BOB-PAIN-LOW",))
        w("bob", "pain", "pain", "8", "--injury", "hamstring", "--on", "2016-06-15 09:30",
          "--context", "rest", "--note", "BOB-PAIN-RED", markers=("BOB-PAIN-RED",))
        w("bob", "race", "race", "add", "Bobville 20K", "2016-06-26 09:00", "--distance",
          "20k", markers=("Bobville",))
        w("alice", "pain", "pain", "2", "--injury", "calf", "--on", "2016-06-15 09:45",
          "--context", "rest", "--note", "ALICE-PAIN-CALF", markers=("ALICE-PAIN-CALF",))
        w("alice", "race", "race", "add", "Alicetown 10K", "2016-06-19", "--distance", "10k",
          markers=("Alicetown",))
        return self

    def other_marks(self, name: str) -> set[str]:
        return set().union(*(a.marks() for n, a in self.athletes.items() if n != name))


def leaked(text: str, marks: set[str]) -> list[str]:
    """Which of `marks` appear in `text` (an ICS file's folded lines unfolded first)."""
    flat = re.sub(r"\r?\n[ \t]", "", text).lower()
    return sorted(m for m in marks if m.lower() in flat)


def zip_text(path: Path) -> str:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return "\n".join(archive.read(n).decode() for n in archive.namelist())


VOLATILE = {"id", "uid", "exported_at", "created_at"}


def comparable(value: Any) -> Any:
    """A JSON answer without what depends on the database rather than on the history: ids
    and uids (every key `id`, `uid`, `*_id`, `*_uid`, and the numbers of an undone `command`
    such as "edit activity 12") and the moment of the export."""
    if isinstance(value, dict):
        return {k: re.sub(r"\d+", "#", v) if k == "command" and isinstance(v, str)
                else comparable(v) for k, v in value.items()
                if k not in VOLATILE and not k.endswith(("_id", "_uid"))}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def dump(query: Callable[[str], list[tuple]]) -> dict[str, list[str]]:
    """Every row of every table, to show that a refused command changed nothing."""
    return {table: sorted(map(repr, query(f"SELECT * FROM {table}"))) for table in TABLES}
