"""Export and import of the whole record, one module per job:

- `records`: the JSON format's name, version and sections, and what an import counts;
- `export`: the JSON export and the CSV zip;
- `json_import`: runrecover JSON back in, all-or-nothing and idempotent by uid;
- `files`: activity files, folders and exports;
- `matching`: the same activity stored once, improved by a richer file.

Export formats are chosen by name in `cli/exchange.py`.
"""

from runrecover.exchange.export import csv_cell, select_entries, to_csv_zip, to_json
from runrecover.exchange.files import (
    FileImport,
    ImportPlan,
    files_to_read,
    import_activities,
    note_text,
    read_files,
    store_files,
)
from runrecover.exchange.json_import import entry_count, import_json, read_json_document
from runrecover.exchange.records import FORMAT_NAME, FORMAT_VERSION, SECTIONS, ImportCount

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "SECTIONS", "FileImport", "ImportCount", "ImportPlan",
    "csv_cell", "entry_count", "files_to_read", "import_activities", "import_json",
    "note_text", "read_files", "read_json_document", "select_entries", "store_files",
    "to_csv_zip", "to_json",
]
