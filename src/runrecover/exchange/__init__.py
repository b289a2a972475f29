"""Export and import of the whole record, one module per job:

- `records`: the JSON format's name, version and sections, and what an import counts;
- `export`: the JSON export and the CSV zip;
- `json_import`: runrecover JSON back in, all-or-nothing and idempotent by uid;
- `files`: activity files, folders and exports;
- `matching`: the same activity stored once, improved by a richer file.

Export formats are chosen by name in `cli/exchange.py`, which imports the module it needs:
an export reads through `records` and never loads SQLAlchemy, an import does.
"""
