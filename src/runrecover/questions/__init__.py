"""The answering layer: one module per question the product answers.

Each question loads exactly the rows it needs through `store` (how far back it reads comes
from the protocols in force, see `lookback`), runs the pure `rules`, and returns a frozen,
typed answer. Commands ask; views (`render`, `exchange`, `ics`) only show answers.

- `status`: can I run now (or on race day), what instead, pain, courses, races, advice;
- `timeline`: what happened, day by day;
- `story`: one injury's story (`injury show`);
- `report`: that story with its period's restrictions kept or broken, races and rule
  sources (`report`, the clinician's page);
- `plan`: what is coming, as a calendar (the ICS export);
- `effects`: what a new treatment or activity changes (`treat`, `log`);
- `imports`: files in, entries stored, and the runs that broke a restriction.
"""
