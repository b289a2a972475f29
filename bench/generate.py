"""Generate realistic runrecover histories for the benchmark, through `runrecover import`.

    uv run python bench/generate.py [--out bench/out] [--seed 2016] [--end 2016-06-15T10:00]

Writes, for a runner whose history ends at `--end` (default: now, so that `status` and `log`
look at a full recent window):

    ten-years.json / ten-years.db   ~4,000 activities, ~8,000 pain scores, 150 treatments,
                                    30 injuries, 40 races over ten years
    one-month.json / one-month.db   the last 30 days of the same history

Each `.json` is a runrecover JSON export (format "runrecover", version 1); each `.db` is made
by the project's own `runrecover import` of it into a fresh file. The same seed and end give
the same files.
"""

import argparse
import json
import math
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from runrecover import clock

YEARS = 10
DAYS = 3652
N_ACTIVITIES = 4000
N_PAIN = 8000
N_TREATMENTS = 150
N_INJURIES = 30
N_RACES = 40

INJURIES = [
    ("calf strain", "calf"), ("achilles tendinopathy", "achilles"),
    ("plantar fasciitis", "foot"), ("IT band syndrome", "knee"),
    ("patellar tendinopathy", "knee"), ("shin splints", "shin"),
    ("hamstring strain", "hamstring"), ("hip flexor strain", "hip"),
    ("metatarsal stress reaction", "foot"), ("ankle sprain", "ankle"),
]
TREATMENT_KINDS = ["physio", "physio", "physio", "massage", "mesotherapy", "shockwave",
                   "dry-needling", "osteopath", "consult", "prp", "imaging", "acupuncture"]
CLINICIANS = ["Dr Rossi", "Dr Martin", "A. Dupont (physio)", "Clinique du Sport", None]
RACES = [("City 10K", 10.0), ("Spring half", 21.0975), ("Trail 15K", 15.0),
         ("Autumn marathon", 42.195), ("Parkrun", 5.0), ("Corrida", 10.0)]
RUN_TYPES = ["easy"] * 6 + ["long"] * 2 + ["tempo", "intervals", "hills", "treadmill", None]
NOTES = ["felt good", "calf tight at the end", "windy", "legs heavy", "with the club",
         "new shoes", "hot, slow", "🙂 easy one", "« très bien »", None, None, None, None]


class History:
    """A ten-year history as the lists of a runrecover export, built from one seed."""

    def __init__(self, end: datetime, seed: int) -> None:
        self.rng = random.Random(seed)
        self.zone = clock.local_zone()
        self.end = end.astimezone(self.zone).replace(second=0, microsecond=0)
        self.start_day = self.end.date() - timedelta(days=DAYS)
        self.injuries: list[dict[str, Any]] = []
        self.spans: list[tuple[date, date, str]] = []  # onset, healed, uid
        self.treatments: list[dict[str, Any]] = []
        self.pain: list[dict[str, Any]] = []
        self.activities: list[dict[str, Any]] = []
        self.races: list[dict[str, Any]] = []
        self._make_injuries()
        self._make_treatments()
        self._make_activities()
        self._make_pain()
        self._make_races()

    # -- helpers ------------------------------------------------------------------------

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, day: date, hour: int | None, minute: int = 0) -> tuple[str, bool]:
        """The export's `at` and `time_known` for a local day and time (None: not known)."""
        if hour is None:
            at = clock.start_of_day(day)
        else:
            at = clock.local(datetime(day.year, day.month, day.day, hour, minute,
                                      tzinfo=self.zone).astimezone(UTC))
        return clock.iso(at), hour is not None

    def day(self, offset: int) -> date:
        return self.start_day + timedelta(days=offset)

    def active_injury(self, day: date) -> str | None:
        for onset, healed, uid in self.spans:
            if onset <= day <= healed:
                return uid
        return None

    def entry(self, **fields: Any) -> dict[str, Any]:
        note = self.rng.choice(NOTES)
        return {"uid": self.uid(), "note": note, **fields}

    # -- entries ------------------------------------------------------------------------

    def _make_injuries(self) -> None:
        rng = self.rng
        # Onsets spread over the ten years, the last one three weeks ago and still open.
        onsets = sorted(rng.sample(range(30, DAYS - 140), N_INJURIES - 1)) + [DAYS - 21]
        previous_end = -1
        for index, offset in enumerate(onsets):
            offset = max(offset, previous_end + 3)
            name, part = rng.choice(INJURIES)
            side = rng.choice(["left", "right", "both"])
            onset = self.day(offset)
            last = index == len(onsets) - 1
            healed = self.end.date() if last else onset + timedelta(days=rng.randint(14, 90))
            previous_end = (healed - self.start_day).days
            uid = self.uid()
            self.spans.append((onset, healed, uid))
            self.injuries.append({
                "uid": uid, "note": rng.choice(NOTES), "name": f"{side} {name}",
                "part": part, "side": side, "onset_on": onset.isoformat(),
                "cause": rng.choice(["mileage jump", "new shoes", "hills", None]),
                "diagnosis": rng.choice(["grade 1", "tendinopathy", "overuse", None]),
                "resolved_on": None if last else healed.isoformat(),
            })

    def _make_treatments(self) -> None:
        rng = self.rng
        per_injury = [N_TREATMENTS // N_INJURIES] * N_INJURIES
        for index in rng.sample(range(N_INJURIES), N_TREATMENTS % N_INJURIES):
            per_injury[index] += 1
        for (onset, healed, injury_uid), count in zip(self.spans, per_injury, strict=True):
            last = injury_uid == self.spans[-1][2]
            kind = "mesotherapy" if last else rng.choice(TREATMENT_KINDS)
            span = max((healed - onset).days, count * 3)
            for session in range(count):
                offset = 2 + session * span // count
                if last:  # the current course: a session every 7 days, the last two days ago
                    offset = (self.end.date() - onset).days - 2 - 7 * (count - 1 - session)
                day = onset + timedelta(days=max(offset, 1))
                hour = rng.choice([8, 9, 11, 14, 17, 18, None])
                at, known = self.moment(day, hour, rng.choice([0, 15, 30, 45]))
                self.treatments.append(self.entry(
                    kind=kind, at=at, time_known=known, injury_uid=injury_uid,
                    clinician=rng.choice(CLINICIANS),
                    no_run_days=rng.choice([None] * 6 + [2, 3, 5]),
                    rest_hours=rng.choice([None] * 8 + [24.0, 48.0])))
                if rng.random() < 0.3:
                    kind = rng.choice(TREATMENT_KINDS)

    def _make_activities(self) -> None:
        rng = self.rng
        taken: set[tuple[int, int]] = set()
        while len(self.activities) < N_ACTIVITIES:
            offset = rng.randrange(DAYS)
            hour = rng.choice([6, 7, 7, 8, 12, 12, 17, 18, 18, 19])
            if (offset, hour) in taken:
                continue
            taken.add((offset, hour))
            day = self.day(offset)
            injured = self.active_injury(day) is not None
            kind = rng.choices(["run", "cycle", "swim", "strength", "walk", "yoga"],
                               [80 if not injured else 40, 8, 4, 5, 3, 1])[0]
            fields: dict[str, Any] = {"kind": kind}
            if kind == "run":
                distance = min(42.2, max(3.0, rng.lognormvariate(math.log(9), 0.35)))
                pace = rng.uniform(270, 390)
                fields |= {
                    "distance_km": round(distance, 3), "duration_s": round(distance * pace),
                    "run_type": rng.choice(RUN_TYPES), "rpe": rng.randint(2, 9),
                    "pain_during": rng.randint(0, 5) if injured else rng.choice([None, 0]),
                    "pain_after": rng.randint(0, 4) if injured and rng.random() < 0.5 else None,
                }
            elif kind in ("cycle", "swim", "walk"):
                speed = {"cycle": 25.0, "swim": 2.2, "walk": 5.0}[kind]
                distance = rng.uniform(1, 4) if kind == "swim" else rng.uniform(3, 80)
                if kind == "walk":
                    distance = rng.uniform(2, 12)
                fields |= {"distance_km": round(distance, 3),
                           "duration_s": round(distance / speed * 3600)}
            else:
                fields |= {"duration_s": rng.choice([1800, 2700, 3600])}
            if rng.random() < 0.3:
                fields |= {"source": "garmin", "source_id": str(rng.getrandbits(40)),
                           "avg_hr": float(rng.randint(120, 170))}
                if fields.get("duration_s"):
                    fields["moving_s"] = round(fields["duration_s"] * 0.97)
            at, known = self.moment(day, hour, rng.randrange(60))
            self.activities.append(self.entry(at=at, time_known=known, **fields))
        self.activities.sort(key=lambda a: a["at"])

    def _make_pain(self) -> None:
        rng = self.rng
        mornings = rng.sample(range(DAYS), int(N_PAIN * 0.45))
        for offset in mornings:
            day = self.day(offset)
            injury_uid = self.active_injury(day)
            at, known = self.moment(day, 7, rng.randrange(60))
            self.pain.append(self.entry(
                score=rng.randint(1, 6) if injury_uid else rng.randint(0, 2), at=at,
                time_known=known, injury_uid=injury_uid, context="morning"))
        runs = [a for a in self.activities if a["kind"] == "run"]
        for run in rng.sample(runs, min(len(runs), N_PAIN - len(self.pain))):
            run_at = datetime.fromisoformat(run["at"])
            after = clock.local(run_at + timedelta(hours=2))
            injury_uid = self.active_injury(after.date())
            context = rng.choice(["after", "after", "rest", "night"])
            self.pain.append(self.entry(
                score=rng.randint(0, 6) if injury_uid else rng.randint(0, 2),
                at=clock.iso(after), time_known=True, injury_uid=injury_uid, context=context))
        while len(self.pain) < N_PAIN:
            day = self.day(rng.randrange(DAYS))
            at, known = self.moment(day, rng.choice([13, 21, None]), rng.randrange(60))
            self.pain.append(self.entry(score=rng.randint(0, 4), at=at, time_known=known,
                                        injury_uid=self.active_injury(day), context="rest"))
        self.pain.sort(key=lambda p: p["at"])

    def _make_races(self) -> None:
        rng = self.rng
        # Four a year, the last two ahead: one in 11 days (status checks it), one in 3 months.
        offsets = sorted(rng.sample(range(20, DAYS - 30), N_RACES - 2))
        offsets += [DAYS + 11, DAYS + 90]
        for offset in offsets:
            name, distance = rng.choice(RACES)
            day = self.day(offset)
            at, known = self.moment(day, rng.choice([9, 10, None]), rng.choice([0, 30]))
            self.races.append(self.entry(name=f"{name} {day.year}", at=at, time_known=known,
                                         distance_km=distance))

    def document(self, since: datetime | None = None) -> dict[str, Any]:
        """The export, or only its entries from `since` on (and the injuries they name)."""
        def keep(entry: dict[str, Any]) -> bool:
            return since is None or datetime.fromisoformat(entry["at"]) >= since

        sections = {"treatments": self.treatments, "pain": self.pain,
                    "activities": self.activities, "races": self.races}
        kept = {name: [e for e in entries if keep(e)] for name, entries in sections.items()}
        linked = {e.get("injury_uid") for name in ("treatments", "pain") for e in kept[name]}
        injuries = [i for i in self.injuries if since is None or i["uid"] in linked
                    or date.fromisoformat(i["onset_on"]) >= since.date()]
        return {"format": "runrecover", "version": 1, "exported_at": clock.iso(self.end),
                "injuries": injuries, **kept}


def runrecover_command() -> list[str]:
    """The installed `runrecover` next to this Python (a user's install), else `-m`."""
    script = Path(sys.executable).with_name("runrecover")
    return [str(script)] if script.exists() else [sys.executable, "-m", "runrecover"]


def import_into(json_path: Path, db_path: Path) -> float:
    """A fresh database at `db_path` holding `json_path`, via `runrecover import`; seconds."""
    for stale in db_path.parent.glob(db_path.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    subprocess.run([*runrecover_command(), "--db", str(db_path), "import", str(json_path)],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--end", help="ISO moment the history ends at (default: now)")
    args = parser.parse_args()
    end = datetime.fromisoformat(args.end) if args.end else clock.now()
    if end.tzinfo is None:
        end = end.replace(tzinfo=clock.local_zone())
    args.out.mkdir(parents=True, exist_ok=True)
    history = History(end, args.seed)
    for name, since in (("ten-years", None), ("one-month", end - timedelta(days=30))):
        document = history.document(since)
        json_path = args.out / f"{name}.json"
        json_path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        seconds = import_into(json_path, args.out / f"{name}.db")
        counts = ", ".join(f"{len(document[s])} {s}" for s in
                           ("activities", "pain", "treatments", "injuries", "races"))
        print(f"{name}: {counts}; imported in {seconds:.1f} s -> {args.out / name}.db")


if __name__ == "__main__":
    main()
