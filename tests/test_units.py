import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runrecover.errors import InputError
from runrecover.units import (
    KM,
    MAX_DURATION_S,
    MI,
    format_duration,
    pace_s_per_km,
    parse_distance,
    parse_duration,
    quoted,
)

MILE = 1.609344


@pytest.mark.parametrize(
    ("text", "expected_km"),
    [
        ("8k", 8),
        ("8km", 8),
        ("8 km", 8),
        ("8K", 8),
        ("8KM", 8),
        (" 8k ", 8),
        ("8kms", 8),
        ("15K", 15),
        ("10.5k", 10.5),
        (".5k", 0.5),
        ("10", 10),
        ("5mi", 5 * MILE),
        ("5 miles", 5 * MILE),
        ("1 mile", MILE),
        ("800m", 0.8),
        ("half", 21.0975),
        ("half-marathon", 21.0975),
        ("Half Marathon", 21.0975),
        ("marathon", 42.195),
        ("MARATHON", 42.195),
        ("1000k", 1000),
        ("5,5km", 5.5),
        ("10,5k", 10.5),
        ("0,8", 0.8),
        ("100", 100),
    ],
)
def test_parse_distance(text, expected_km):
    assert parse_distance(text) == pytest.approx(expected_km)


@pytest.mark.parametrize(
    "text",
    [
        "-5k",
        "0k",
        "0",
        "0.0km",
        "banana",
        "nan",
        "inf",
        "1e999k",
        "1e3k",
        "",
        "   ",
        "k",
        "8kk",
        "8 k m",
        "5 parsecs",
        "1,500m",  # a thousands separator or a decimal comma: not guessed
        "5,5,5k",
        "１０k",
        "\x00",
        "8k\x00",
        "+5k",
        "12345678k",
    ],
)
def test_parse_distance_refuses(text):
    with pytest.raises(InputError, match="Cannot read the distance") as error:
        parse_distance(text)
    assert quoted(text) in str(error.value)


@pytest.mark.parametrize(("text", "expected_km"), [
    ("5", 5 * MILE), ("5,5", 5.5 * MILE), ("5k", 5), ("800m", 0.8), ("5mi", 5 * MILE),
    ("half", 21.0975)])
def test_a_bare_number_is_in_the_runners_units(text, expected_km):
    assert parse_distance(text, MI) == pytest.approx(expected_km)


@pytest.mark.parametrize(("text", "units", "said"), [
    ("400", KM, "'400' has no unit: 400 m or 400 km? Write it like 400m or 400km."),
    ("150", MI, "'150' has no unit: 150 m or 150 mi? Write it like 150m or 150mi."),
    ("100.5", KM, "100.5 m or 100.5 km?")])
def test_a_bare_number_above_100_asks_which_unit(text, units, said):
    with pytest.raises(InputError, match=re.escape(said)):
        parse_distance(text, units)


def test_parse_distance_refuses_too_long():
    with pytest.raises(InputError, match=r"'1001k' is too long: use at most 1000 km"):
        parse_distance("1001k")


@pytest.mark.parametrize(
    ("text", "expected_s"),
    [
        ("45:10", 45 * 60 + 10),
        ("0:30", 30),
        ("75:00", 75 * 60),
        ("1:02:03", 3723),
        ("167:59:59", MAX_DURATION_S - 1),
        ("45m", 2700),
        ("45min", 2700),
        ("45 min", 2700),
        ("45 minutes", 2700),
        ("90m", 5400),
        ("1h", 3600),
        ("1h05m", 3900),
        ("1h 05m", 3900),
        ("1 hour 5 minutes", 3900),
        ("1H05M", 3900),
        ("90s", 90),
        ("1h05m30s", 3930),
        ("1h05", 3900),
        ("45m30", 2730),
        ("1h0m", 3600),
    ],
)
def test_parse_duration(text, expected_s):
    assert parse_duration(text) == expected_s


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "banana",
        "45",
        "45:60",
        "45:5",
        "1:60:00",
        "1:5:03",
        "0:00",
        "0m",
        "0h0m0s",
        "1h75m",
        "5m1h",
        "1h1h",
        "-45m",
        "45:10:10:10",
        "1.5h",
        "nan",
        "45 parsecs",
        "\x00",
        "9" * 5000 + "s",
    ],
)
def test_parse_duration_refuses(text):
    with pytest.raises(InputError, match="Cannot read the duration") as error:
        parse_duration(text)
    assert quoted(text) in str(error.value)


@pytest.mark.parametrize("text", ["168:00:00", "168h", "200:00:00"])
def test_parse_duration_refuses_a_week_or_more(text):
    with pytest.raises(InputError, match=f"'{text}' is too long: use less than 7 days"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("distance_km", "duration_s", "expected"),
    [(10, 3300, 330.0), (0.8, 180, 225.0), (0, 100, None), (None, 100, None), (10, None, None)],
)
def test_pace_s_per_km(distance_km, duration_s, expected):
    assert pace_s_per_km(distance_km, duration_s) == expected


@pytest.mark.parametrize(
    ("distance_km", "expected"),
    [(10, "10.0 km"), (0.8, "0.8 km"), (21.0975, "21.1 km"), (42.195, "42.2 km")],
)
def test_format_distance(distance_km, expected):
    assert KM.distance(distance_km) == expected


@pytest.mark.parametrize(("distance_km", "expected"), [
    (MILE, "1.0 mi"), (10, "6.2 mi"), (42.195, "26.2 mi"), (0.4, "0.2 mi")])
def test_format_distance_in_miles(distance_km, expected):
    assert MI.distance(distance_km) == expected


@pytest.mark.parametrize(
    ("duration_s", "expected"),
    [(3300, "55:00"), (59, "0:59"), (59.5, "1:00"), (3600, "1:00:00"), (3723, "1:02:03")],
)
def test_format_duration(duration_s, expected):
    assert format_duration(duration_s) == expected


@pytest.mark.parametrize(
    ("s_per_km", "expected"),
    [
        (330, "5:30/km"),
        (359.4, "5:59/km"),
        (359.6, "6:00/km"),
        (90.5, "1:31/km"),
        (91.5, "1:32/km"),
        (600, "10:00/km"),
    ],
)
def test_format_pace(s_per_km, expected):
    assert KM.pace(s_per_km) == expected


@pytest.mark.parametrize(("s_per_km", "expected"), [
    # 599.96 s per mile rounds to 10:00, never 9:60.
    (480 / MILE, "8:00/mi"), (300, "8:03/mi"), (372.8, "10:00/mi"), (372.5, "9:59/mi")])
def test_format_pace_in_miles(s_per_km, expected):
    assert MI.pace(s_per_km) == expected


def test_speed_in_each_unit():
    assert KM.speed(150) == "24.0 km/h"
    assert MI.speed(150) == "14.9 mph"


def test_quoted_keeps_messages_one_short_printable_line():
    assert quoted("banana") == "'banana'"
    assert quoted("a\x00b\n") == "'a\\x00b\\n'"
    assert len(quoted("x" * 1000)) < 50


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_distance_only_ever_raises_input_error(text):
    try:
        assert 0 < parse_distance(text) <= 1000
    except InputError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.:hmsik aeflrtnu-", max_size=12))
def test_parse_distance_and_duration_on_near_misses(text):
    for parse in (parse_distance, parse_duration):
        try:
            parse(text)
        except InputError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_duration_only_ever_raises_input_error(text):
    try:
        assert 0 < parse_duration(text) < MAX_DURATION_S
    except InputError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_DURATION_S - 1))
def test_format_duration_reads_back(duration_s):
    assert parse_duration(format_duration(duration_s)) == duration_s


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=7200))
def test_format_pace_never_shows_sixty_seconds(s_per_km):
    minutes, seconds = KM.pace(s_per_km).removesuffix("/km").split(":")
    assert int(seconds) < 60
    assert abs(int(minutes) * 60 + int(seconds) - s_per_km) <= 0.5


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.1, max_value=999.9))
def test_format_distance_reads_back(distance_km):
    # Shown to 0.1 km: at most half of that off, give or take the float of 0.75 → 0.8.
    assert parse_distance(KM.distance(distance_km)) == pytest.approx(distance_km,
                                                                     abs=0.05 + 1e-9)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.1, max_value=600))
def test_format_distance_in_miles_reads_back(distance_km):
    assert parse_distance(MI.distance(distance_km), MI) == pytest.approx(
        distance_km, abs=0.05 * MILE + 1e-9)


def test_units_imports_only_the_standard_library():
    code = "import sys, runrecover.units; assert 'dateutil' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
