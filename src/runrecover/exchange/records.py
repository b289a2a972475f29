"""The runrecover JSON format (its name, version and sections) and what an import counts."""

from typing import Any

from msgspec import Struct

FORMAT_NAME = "runrecover"
FORMAT_VERSION = 1
# JSON list name → entry kind, in the order entries must be imported (injuries first).
SECTIONS = {"injuries": "injury", "treatments": "treatment", "pain": "pain",
            "activities": "activity", "races": "race", "ladder": "ladder_event"}
MAX_UID = 100  # ours are UUIDs (36 characters); others' ids may be longer, not unbounded


# The entries an export covers, by entry kind: timed entries by moment, injuries by onset
# (and every injury those entries point at).
Selection = dict[str, list[Any]]


class ImportCount(Struct):
    added: int = 0
    already: int = 0
    improved: int = 0  # stored before, and made better by a richer file
    replaced: int = 0  # stored before with other content, and `--replace` took the file's


# What an import does with an entry whose uid is stored with other content.
CLASH_CHOICES = ("refuse", "replace", "keep")
