"""Whole outputs of the views a runner reads most, on the calf story, at 80 and at 60
columns: a narrow terminal wraps or shortens (fewer chart columns, shorter bars), and never
cuts a number."""

import pytest

from test_timeline import calf_story

VIEWS = [
    (80, ['status', '--at', '2016-06-16 12:00'], "STATUS_80"),
    (80, ['injury', 'show', 'calf'], "INJURY_SHOW_80"),
    (80, ['timeline', '--chart', '--since', '2016-06-05'], "TIMELINE_CHART_80"),
    (60, ['status', '--at', '2016-06-16 12:00'], "STATUS_60"),
    (60, ['injury', 'show', 'calf'], "INJURY_SHOW_60"),
    (60, ['timeline', '--chart', '--since', '2016-06-05'], "TIMELINE_CHART_60"),
]


@pytest.mark.parametrize(("columns", "args", "expected"), VIEWS,
                         ids=[f"{name}" for _, _, name in VIEWS])
def test_the_whole_view_at_this_width(cli, now, monkeypatch, columns, args, expected):
    calf_story(cli, now)
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == globals()[expected]  # the texts below, by name
    assert max(len(line) for line in result.stdout.splitlines()) <= columns


STATUS_80 = """\
 NOT YET  running from Sat 18 Jun 00:00, in 2 days
  mesotherapy Tue 14 Jun 10:00: no running until Sat 18 Jun 00:00 [clinic]
  allowed now: walk, cycle, swim, strength, yoga, other

Injuries (pain, last 14 days)
left calf strain  pain 3/10 5 hours ago     ▂▂
                                         ···██████▆▆▆▅▅

Next sessions
  mesotherapy 2 of 3 due Tue 21 Jun

Races
  ✓ City 15K Sun 19 Jun: clear by 1 day (from Sat 18 Jun 00:00)
    It would be your first run since running was allowed again (Sat 18 Jun
    00:00): try an easy run before it.

Advice
  • Your run on Sun 5 Jun 2016 hurt 6/10 during it, above the pain-monitoring
    limit of 5: make the next one shorter or easier. [S27-S29]
"""


INJURY_SHOW_80 = """\
left calf strain  injury 1
  left calf · since Sun 5 Jun 2016, 15 days ago
  cause: track intervals

Treatments  did they help?
on                treatment            pain before / after        change
────────────────────────────────────────────────────────────────────────────
Tue 14 Jun 2016   mesotherapy 1 of 3   4.6 (7) / 3.0 (4) so far   ↓ 1.6 less
                  Dr Rossi
  Mean pain in the 7 days before and after, the first 48 hours after an
  injection left out (its own soreness); (n) = how many scores, – below 3.
  mesotherapy 2 of 3 due Tue 21 Jun

Pain, worst of each day (0–10; · none logged)
pain              ▂▂
                 ·██████▆▆▆▅▅▆▅▃▅
during runs      ▂
                 █··········▃····
treatments                M
                  6 Jun  13 Jun 20 Jun
                 M mesotherapy

Running  the 28 days before the onset, and since
               days                          distance   runs   per week
───────────────────────────────────────────────────────────────────────
before onset   Sun 8 May – Sat 4 Jun 2016     10.0 km      1     2.5 km
since onset    Sun 5 Jun – Mon 20 Jun 2016    28.0 km      3    12.2 km

Running distance by week
        8 May                                      0.0 km
     9–15 May                                      0.0 km
    16–22 May                                      0.0 km
    23–29 May █████████████████                   10.0 km  1 run
 30 May–5 Jun █████████████▋                       8.0 km  1 run
     6–12 Jun                                      0.0 km
    13–19 Jun ██████████████████████████████████  20.0 km  2 runs
       20 Jun                                      0.0 km

Next-morning pain after runs  worse the next morning: reduce the load
run                 km   during   morning before   next morning
───────────────────────────────────────────────────────────────────────
Sun 5 Jun 2016     8.0   6        –                6
Thu 16 Jun 2016    5.0   2        3                4              worse
Sun 19 Jun 2016   15.0   –        2                3              worse
"""


TIMELINE_CHART_80 = """\
Timeline Sun 5 Jun – Mon 20 Jun 2016
▒ no running  ✗ broke a restriction

Sun  5 Jun         ◆ left calf strain began
             19:00 run 8.0 km in 41:00 (5:08/km) · intervals · pain 6 · calf
                   tightened on rep 5
Mon  6 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Tue  7 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Wed  8 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Thu  9 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Fri 10 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sat 11 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sun 12 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Mon 13 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Tue 14 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
           ▒ 10:00 ✚ mesotherapy 1 of 3 · Dr Rossi
           ▒       ▒ no running until Sat 18 Jun 00:00 · mesotherapy [clinic]
Wed 15 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Thu 16 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
           ▒ 18:30 run 5.0 km in 30:00 (6:00/km) · pain 2
           ▒       ✗ broke: no running (mesotherapy until Sat 18 Jun 00:00)
Fri 17 Jun ▒ 07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Sat 18 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Sun 19 Jun         ⚑ City 15K · 15.0 km
             07:00 ▰▰▱▱▱▱▱▱▱▱ 2 morning
             09:30 run 15.0 km in 1:18:45 (5:15/km) · race
Mon 20 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning

Pain, worst of each day (0–10; · none logged)
left calf strain  ▂▂
                 ·██████▆▆▆▅▅▆▅▃▅
treatments                M
                  6 Jun  13 Jun 20 Jun
                 M mesotherapy

Running distance by week
        5 Jun █████████████▋                       8.0 km  1 run
     6–12 Jun                                      0.0 km
    13–19 Jun ██████████████████████████████████  20.0 km  2 runs
       20 Jun                                      0.0 km
"""


STATUS_60 = """\
 NOT YET  running from Sat 18 Jun 00:00, in 2 days
  mesotherapy Tue 14 Jun 10:00: no running until Sat 18 Jun
  00:00 [clinic]
  allowed now: walk, cycle, swim, strength, yoga, other

Injuries (pain, last 14 days)
left calf strain  pain 3/10 5 hours ago     ▂▂
                                         ···██████▆▆▆▅▅

Next sessions
  mesotherapy 2 of 3 due Tue 21 Jun

Races
  ✓ City 15K Sun 19 Jun: clear by 1 day (from Sat 18 Jun
    00:00)
    It would be your first run since running was allowed
    again (Sat 18 Jun 00:00): try an easy run before it.

Advice
  • Your run on Sun 5 Jun 2016 hurt 6/10 during it, above
    the pain-monitoring limit of 5: make the next one
    shorter or easier. [S27-S29]
"""


INJURY_SHOW_60 = """\
left calf strain  injury 1
  left calf · since Sun 5 Jun 2016, 15 days ago
  cause: track intervals

Treatments  did they help?
                                  pain before /
on               treatment        after           change
────────────────────────────────────────────────────────────
Tue 14 Jun       mesotherapy 1    4.6 (7) / 3.0   ↓ 1.6 less
2016             of 3             (4) so far
                 Dr Rossi
  Mean pain in the 7 days before and after, the first 48
  hours after an injection left out (its own soreness); (n)
  = how many scores, – below 3.
  mesotherapy 2 of 3 due Tue 21 Jun

Pain, worst of each day (0–10; · none logged)
pain              ▂▂
                 ·██████▆▆▆▅▅▆▅▃▅
during runs      ▂
                 █··········▃····
treatments                M
                  6 Jun  13 Jun 20 Jun
                 M mesotherapy

Running  the 28 days before the onset, and since
               days               distance   runs   per week
────────────────────────────────────────────────────────────
before onset   Sun 8 May – Sat     10.0 km      1     2.5 km
               4 Jun 2016
since onset    Sun 5 Jun – Mon     28.0 km      3    12.2 km
               20 Jun 2016

Running distance by week
        8 May                                 0.0 km
     9–15 May                                 0.0 km
    16–22 May                                 0.0 km
    23–29 May ██████████████▌                10.0 km  1 run
 30 May–5 Jun ███████████▋                    8.0 km  1 run
     6–12 Jun                                 0.0 km
    13–19 Jun █████████████████████████████  20.0 km  2 runs
       20 Jun                                 0.0 km

Next-morning pain after runs  worse the next morning: reduce
                            the load
                              morning      next
run             km   during   before       morning
────────────────────────────────────────────────────────────
Sun 5 Jun      8.0   6        –            6
2016
Thu 16 Jun     5.0   2        3            4           worse
2016
Sun 19 Jun    15.0   –        2            3           worse
2016
"""


TIMELINE_CHART_60 = """\
Timeline Sun 5 Jun – Mon 20 Jun 2016
▒ no running  ✗ broke a restriction

Sun  5 Jun         ◆ left calf strain began
             19:00 run 8.0 km in 41:00 (5:08/km) · intervals
                   · pain 6 · calf tightened on rep 5
Mon  6 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Tue  7 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Wed  8 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Thu  9 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Fri 10 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sat 11 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sun 12 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Mon 13 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Tue 14 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
           ▒ 10:00 ✚ mesotherapy 1 of 3 · Dr Rossi
           ▒       ▒ no running until Sat 18 Jun 00:00 ·
           ▒       mesotherapy [clinic]
Wed 15 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Thu 16 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
           ▒ 18:30 run 5.0 km in 30:00 (6:00/km) · pain 2
           ▒       ✗ broke: no running (mesotherapy until
           ▒       Sat 18 Jun 00:00)
Fri 17 Jun ▒ 07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Sat 18 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Sun 19 Jun         ⚑ City 15K · 15.0 km
             07:00 ▰▰▱▱▱▱▱▱▱▱ 2 morning
             09:30 run 15.0 km in 1:18:45 (5:15/km) · race
Mon 20 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning

Pain, worst of each day (0–10; · none logged)
left calf strain  ▂▂
                 ·██████▆▆▆▅▅▆▅▃▅
treatments                M
                  6 Jun  13 Jun 20 Jun
                 M mesotherapy

Running distance by week
        5 Jun ███████████▋                    8.0 km  1 run
     6–12 Jun                                 0.0 km
    13–19 Jun █████████████████████████████  20.0 km  2 runs
       20 Jun                                 0.0 km
"""
