from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runrecover import clock
from runrecover.clock import (
    Moment,
    add_hours,
    format_at,
    format_day,
    humanize_delta,
    iso,
    iso_day,
    local_zone,
    start_of_day,
)
from runrecover.dates import parse_when
from runrecover.errors import InputError
from runrecover.units import quoted

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday.
NOW = datetime(2016, 6, 15, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def paris(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")


def at(*fields, tz=PARIS):
    return datetime(*fields, tzinfo=tz)


# Each case: text, what it means with lean="past", with lean="future", whether the time is known.
# A datetime is the exact moment; a date means local midnight of that day with time not known.
WHEN_CASES = [
    ("now", NOW, NOW),
    ("NOW", NOW, NOW),
    ("today", date(2016, 6, 15), date(2016, 6, 15)),
    ("Today", date(2016, 6, 15), date(2016, 6, 15)),
    ("yesterday", date(2016, 6, 14), date(2016, 6, 14)),
    ("tomorrow", date(2016, 6, 16), date(2016, 6, 16)),
    ("yesterday 18:30", at(2016, 6, 14, 18, 30), at(2016, 6, 14, 18, 30)),
    ("yesterday at 6 pm", at(2016, 6, 14, 18), at(2016, 6, 14, 18)),
    ("today 07:05:09", at(2016, 6, 15, 7, 5, 9), at(2016, 6, 15, 7, 5, 9)),
    ("tomorrow 12am", at(2016, 6, 16, 0), at(2016, 6, 16, 0)),
    ("tomorrow 12pm", at(2016, 6, 16, 12), at(2016, 6, 16, 12)),
    ("today 7 a.m.", at(2016, 6, 15, 7), at(2016, 6, 15, 7)),
    # Weekdays around Wednesday 15 June 2016; today's own name is today both ways.
    ("wed", date(2016, 6, 15), date(2016, 6, 15)),
    ("Wednesday", date(2016, 6, 15), date(2016, 6, 15)),
    ("tue", date(2016, 6, 14), date(2016, 6, 21)),
    ("TUESDAY", date(2016, 6, 14), date(2016, 6, 21)),
    ("thu", date(2016, 6, 9), date(2016, 6, 16)),
    ("thursday", date(2016, 6, 9), date(2016, 6, 16)),
    ("mon", date(2016, 6, 13), date(2016, 6, 20)),
    ("fri", date(2016, 6, 10), date(2016, 6, 17)),
    ("sat", date(2016, 6, 11), date(2016, 6, 18)),
    ("sunday", date(2016, 6, 12), date(2016, 6, 19)),
    ("tue 7am", at(2016, 6, 14, 7), at(2016, 6, 21, 7)),
    ("mon 7:15pm", at(2016, 6, 13, 19, 15), at(2016, 6, 20, 19, 15)),
    ("wed 7am", at(2016, 6, 15, 7), at(2016, 6, 15, 7)),
    ("Fri  18:30", at(2016, 6, 10, 18, 30), at(2016, 6, 17, 18, 30)),
    # Relative.
    ("3d ago", date(2016, 6, 12), date(2016, 6, 12)),
    ("3 days ago", date(2016, 6, 12), date(2016, 6, 12)),
    ("1 day ago", date(2016, 6, 14), date(2016, 6, 14)),
    ("0d ago", date(2016, 6, 15), date(2016, 6, 15)),
    ("3 weeks ago", date(2016, 5, 25), date(2016, 5, 25)),
    ("2w ago", date(2016, 6, 1), date(2016, 6, 1)),
    ("3d ago 18:30", at(2016, 6, 12, 18, 30), at(2016, 6, 12, 18, 30)),
    ("30min ago", at(2016, 6, 15, 9, 30), at(2016, 6, 15, 9, 30)),
    ("30 minutes ago", at(2016, 6, 15, 9, 30), at(2016, 6, 15, 9, 30)),
    ("2h ago", at(2016, 6, 15, 8), at(2016, 6, 15, 8)),
    ("2 hours ago", at(2016, 6, 15, 8), at(2016, 6, 15, 8)),
    # ISO, with and without offset.
    ("2016-06-14", date(2016, 6, 14), date(2016, 6, 14)),
    ("20160614", date(2016, 6, 14), date(2016, 6, 14)),
    ("2016-06-14T11:30", at(2016, 6, 14, 11, 30), at(2016, 6, 14, 11, 30)),
    ("2016-06-14 11:30:15", at(2016, 6, 14, 11, 30, 15), at(2016, 6, 14, 11, 30, 15)),
    ("2016-06-14T00:00", at(2016, 6, 14, 0), at(2016, 6, 14, 0)),
    ("2016-06-14T11:30Z", at(2016, 6, 14, 13, 30), at(2016, 6, 14, 13, 30)),
    ("2016-06-14T11:30+05:00", at(2016, 6, 14, 8, 30), at(2016, 6, 14, 8, 30)),
    ("2016-06-14T23:30-04:00", at(2016, 6, 15, 5, 30), at(2016, 6, 15, 5, 30)),
    # What dateutil reads.
    ("14 June 2016 11:30", at(2016, 6, 14, 11, 30), at(2016, 6, 14, 11, 30)),
    ("14 June 2016 at 11:30", at(2016, 6, 14, 11, 30), at(2016, 6, 14, 11, 30)),
    ("14 June 2016", date(2016, 6, 14), date(2016, 6, 14)),
    ("June 14, 2016", date(2016, 6, 14), date(2016, 6, 14)),
    ("2016-06-14 7am", at(2016, 6, 14, 7), at(2016, 6, 14, 7)),
    ("14/06/2016", date(2016, 6, 14), date(2016, 6, 14)),
    ("2016/06/07", date(2016, 6, 7), date(2016, 6, 7)),
    ("14 June 2016 11:30 UTC", at(2016, 6, 14, 13, 30), at(2016, 6, 14, 13, 30)),
    ("Sun 22 May 2016 18:30", at(2016, 5, 22, 18, 30), at(2016, 5, 22, 18, 30)),
    ("sat 21 may", date(2016, 5, 21), date(2016, 5, 21)),
    # The year, when not given, is now's year (not dateutil's real-clock default); looking
    # ahead, a day already past this year is next year's.
    ("June 14", date(2016, 6, 14), date(2017, 6, 14)),
    ("14 dec", date(2016, 12, 14), date(2016, 12, 14)),
    ("29 Feb", date(2016, 2, 29), date(2016, 2, 29)),
    # A time alone is today.
    # A bare time leaning to the past is its last such moment: at 10:00, yesterday's 18:30.
    ("18:30", at(2016, 6, 14, 18, 30), at(2016, 6, 15, 18, 30)),
    ("7am", at(2016, 6, 15, 7), at(2016, 6, 15, 7)),
    # A wall time skipped by the spring-forward change is the instant it names.
    ("2016-03-27 02:30", at(2016, 3, 27, 3, 30), at(2016, 3, 27, 3, 30)),
    # `last` and `next` never mean today: last Wednesday, said on a Wednesday, is a week ago.
    ("last tuesday", date(2016, 6, 14), date(2016, 6, 14)),
    ("last wed", date(2016, 6, 8), date(2016, 6, 8)),
    ("last thu 7am", at(2016, 6, 9, 7), at(2016, 6, 9, 7)),
    ("next sunday", date(2016, 6, 19), date(2016, 6, 19)),
    ("next wed", date(2016, 6, 22), date(2016, 6, 22)),
    ("next tue at 9:30", at(2016, 6, 21, 9, 30), at(2016, 6, 21, 9, 30)),
    # Parts of the day stand for a typical hour of today, whatever the lean.
    ("this morning", at(2016, 6, 15, 8), at(2016, 6, 15, 8)),
    ("This Afternoon", at(2016, 6, 15, 15), at(2016, 6, 15, 15)),
    ("this evening", at(2016, 6, 15, 19), at(2016, 6, 15, 19)),
    ("tonight", at(2016, 6, 15, 22), at(2016, 6, 15, 22)),
    ("yesterday evening", at(2016, 6, 14, 19), at(2016, 6, 14, 19)),
    # Times in words and the French way are times like 12:00 and 18:30.
    ("noon", at(2016, 6, 14, 12), at(2016, 6, 15, 12)),
    ("yesterday noon", at(2016, 6, 14, 12), at(2016, 6, 14, 12)),
    ("tue midnight", at(2016, 6, 14, 0), at(2016, 6, 21, 0)),
    ("18h30", at(2016, 6, 14, 18, 30), at(2016, 6, 15, 18, 30)),
    ("7h05", at(2016, 6, 15, 7, 5), at(2016, 6, 15, 7, 5)),
    ("yesterday 18h30", at(2016, 6, 14, 18, 30), at(2016, 6, 14, 18, 30)),
    # Counts from now: days as calendar days, hours exactly.
    ("in 2 days", date(2016, 6, 17), date(2016, 6, 17)),
    ("in 1 week", date(2016, 6, 22), date(2016, 6, 22)),
    ("in 3 hours", at(2016, 6, 15, 13), at(2016, 6, 15, 13)),
    ("in 2 days 9am", at(2016, 6, 17, 9), at(2016, 6, 17, 9)),
    ("+7d", date(2016, 6, 22), date(2016, 6, 22)),
    ("+ 2 weeks", date(2016, 6, 29), date(2016, 6, 29)),
    ("-3d", date(2016, 6, 12), date(2016, 6, 12)),
    ("+90min", at(2016, 6, 15, 11, 30), at(2016, 6, 15, 11, 30)),
]


@pytest.mark.parametrize(("text", "past", "future"), WHEN_CASES)
def test_parse_when(text, past, future):
    for lean, expected in (("past", past), ("future", future)):
        moment = parse_when(text, lean=lean, now=NOW)
        if isinstance(expected, datetime):
            assert moment == Moment(expected, time_known=True), lean
            assert moment.at.utcoffset() == expected.utcoffset()
        else:
            assert moment == Moment(at(expected.year, expected.month, expected.day), False), lean
            assert moment.day == expected
        assert moment.at.tzinfo is PARIS


def test_parse_when_uses_the_clock_at_call_time(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    assert parse_when("yesterday", lean="past").day == date(2016, 6, 14)
    assert parse_when("now", lean="past").at == NOW


def test_parse_when_converts_a_given_now_to_the_local_zone():
    utc_now = datetime(2016, 6, 14, 23, 30, tzinfo=UTC)  # already the 15th in Paris
    assert parse_when("today", lean="past", now=utc_now).day == date(2016, 6, 15)


def test_parse_when_year_defaults_to_nows_year():
    later = datetime(2019, 1, 10, 9, 0, tzinfo=PARIS)
    assert parse_when("June 14", lean="past", now=later).day == date(2019, 6, 14)


def test_parse_when_refuses_29_feb_in_a_common_year():
    with pytest.raises(InputError, match="'29 Feb'"):
        parse_when("29 Feb", lean="past", now=datetime(2017, 6, 1, tzinfo=PARIS))


@pytest.mark.parametrize(
    "text",
    [
        "banana",
        "",
        "   ",
        "32 June 2016",
        "yesterdayy",
        "tue 25:00",
        "tue 7:60",
        "tue 13pm",
        "13pm",
        "0pm",
        "18:30Z",
        "tue 18",
        "today banana",
        "\x00",
        "2016-06-14\x00",
        "x" * 10_000,
        "2016-06-14 " + "1" * 100,
        "June 2016",
        "2016",
        "June",
        "5",
        "the 14th",
        "14 June 2016 30m",
        "14 June 2016 11:30 CEST",
        "3 parsecs ago",
        "30min ago 18:30",
        "next banana",
        "last",
        "this tuesday",
        "this",
        "in 2 parsecs",
        "+7",
        "18h",  # 18:00 or 18 hours ago: not guessed
        "7h30pm",
        "18h75",
        "in 2 days banana",
        "2016-13-01",
        "tues",
        "ago",
        "UTC",
        "14/06/16",
        "jun74-4",
        "1 June 99",
    ],
)
def test_parse_when_refuses(text):
    with pytest.raises(InputError, match="Cannot read the date") as error:
        parse_when(text, lean="past", now=NOW)
    message = str(error.value)
    assert quoted(text) in message
    assert "'yesterday 18:30'" in message
    assert len(message) < 250


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("01/02/2016", r"'01/02/2016' is ambiguous \(2 Jan or 1 Feb\)"),
        ("06/07/2016", r"'06/07/2016' is ambiguous \(7 Jun or 6 Jul\)"),
        ("1 2", r"'1 2' is ambiguous"),
        ("Mon 22 May 2016", r"'Mon 22 May 2016' names the wrong weekday: 22 May 2016 is a Sunday"),
        ("11:30 GMT+3", r"time zone in '11:30 GMT\+3' is ambiguous: give the offset like \+02:00"),
        ("2016-06-14 11:30 UTC-2", r"time zone in .* is ambiguous"),
        ("1850-01-01", r"'1850-01-01' is out of range: use a year from 1900 to 2100"),
        ("2101-01-01", "out of range"),
        ("1 Jan 1899 10:00", "out of range"),
        ("0001-01-01", "out of range"),
        ("9999-12-31T23:59:59-12:00", "out of range"),
        ("2100-12-31T23:00-05:00", "out of range"),  # already 2101 in Paris
        ("99999 weeks ago", "out of range"),
    ],
)
def test_parse_when_refusals_say_why(text, message):
    with pytest.raises(InputError, match=message):
        parse_when(text, lean="future", now=NOW)


def test_moment_is_frozen_and_knows_its_day():
    moment = Moment(at(2016, 6, 14, 23, 30), True)
    assert moment.day == date(2016, 6, 14)
    with pytest.raises(AttributeError, match="immutable"):
        moment.time_known = False  # type: ignore[misc]


def test_local_zone_follows_tz_on_every_call(monkeypatch):
    assert local_zone() is PARIS
    monkeypatch.setenv("TZ", "America/New_York")
    assert local_zone() == ZoneInfo("America/New_York")
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert local_zone() == ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize("bad", ["Not/AZone", "../etc/passwd", "/etc/passwd", "Europe"])
def test_a_bad_tz_falls_back_to_the_system_zone(monkeypatch, bad):
    monkeypatch.delenv("TZ")
    system = local_zone()
    monkeypatch.setenv("TZ", bad)
    assert local_zone() is system


def test_now_is_aware_and_local():
    assert clock.now().tzinfo is PARIS


def test_start_of_day_across_spring_forward():
    assert iso(start_of_day(date(2016, 3, 26))) == "2016-03-26T00:00:00+01:00"
    assert iso(start_of_day(date(2016, 3, 27))) == "2016-03-27T00:00:00+01:00"
    assert iso(start_of_day(date(2016, 3, 28))) == "2016-03-28T00:00:00+02:00"
    # A calendar day is 23 hours long that night.
    day_length = start_of_day(date(2016, 3, 28)) - start_of_day(date(2016, 3, 27)).astimezone(UTC)
    assert day_length == timedelta(hours=23)


def test_start_of_day_where_midnight_is_skipped(monkeypatch):
    monkeypatch.setenv("TZ", "America/Sao_Paulo")  # clocks went from 00:00 to 01:00
    assert iso(start_of_day(date(2016, 10, 16))) == "2016-10-16T01:00:00-02:00"


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # 24 elapsed hours are not "same time tomorrow" across a change.
        (at(2016, 3, 27, 0), 24, "2016-03-28T01:00:00+02:00"),
        (at(2016, 10, 30, 0), 24, "2016-10-30T23:00:00+01:00"),
        (at(2016, 3, 27, 1, 30), 1, "2016-03-27T03:30:00+02:00"),
        (at(2016, 6, 14, 11, 30), 24, "2016-06-15T11:30:00+02:00"),
        (at(2016, 6, 14, 11, 30), 0.5, "2016-06-14T12:00:00+02:00"),
        (at(2016, 6, 14, 11, 30), -2, "2016-06-14T09:30:00+02:00"),
        (datetime(2016, 6, 14, 9, 30, tzinfo=UTC), 1, "2016-06-14T12:30:00+02:00"),
    ],
)
def test_add_hours_is_elapsed_time(start, hours, expected):
    result = add_hours(start, hours)
    assert iso(result) == expected
    assert result.tzinfo is PARIS


def test_local_is_the_same_instant_in_the_local_zone():
    moment = clock.local(datetime(2016, 6, 17, 22, 0, tzinfo=UTC))
    assert moment == at(2016, 6, 18, 0)
    assert moment.tzinfo is PARIS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2016, 5, 22), "Sun 22 May 2016"),
        (date(2016, 6, 1), "Wed 1 Jun 2016"),
        (at(2016, 5, 22, 18, 30), "Sun 22 May 2016"),
        (datetime(2016, 5, 22, 23, 30, tzinfo=UTC), "Mon 23 May 2016"),  # local day, not UTC's
    ],
)
def test_format_day(value, expected):
    assert format_day(value) == expected


def test_format_at():
    assert format_at(at(2016, 5, 22, 18, 30)) == "Sun 22 May 2016 18:30"
    assert format_at(at(2016, 5, 22, 7, 5, 59)) == "Sun 22 May 2016 07:05"
    assert format_at(datetime(2016, 5, 22, 16, 30, tzinfo=UTC)) == "Sun 22 May 2016 18:30"
    assert format_at(at(2016, 5, 22, 0), time_known=False) == "Sun 22 May 2016"


def test_iso():
    assert iso(at(2016, 6, 18, 0)) == "2016-06-18T00:00:00+02:00"
    assert iso(at(2016, 1, 18, 0, 0, 5, 123456)) == "2016-01-18T00:00:05+01:00"
    assert iso(datetime(2016, 6, 17, 22, 0, tzinfo=UTC)) == "2016-06-18T00:00:00+02:00"
    assert iso_day(date(2016, 6, 18)) == "2016-06-18"
    assert iso_day(datetime(2016, 6, 17, 22, 0, tzinfo=UTC)) == "2016-06-18"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (NOW, at(2016, 6, 18, 0), "in 3 days"),  # Wednesday 10:00 to Saturday 00:00
        (at(2016, 6, 16, 10), at(2016, 6, 18, 0), "in 2 days"),
        (NOW, at(2016, 6, 16, 10), "in 1 day"),
        (NOW, at(2016, 6, 15, 15), "in 5 hours"),
        (NOW, at(2016, 6, 15, 15, 20), "in 5 hours"),
        (NOW, at(2016, 6, 15, 11), "in 1 hour"),
        (NOW, at(2016, 6, 15, 10, 59, 50), "in 1 hour"),
        (NOW, at(2016, 6, 15, 10, 40), "in 40 min"),
        (NOW, at(2016, 6, 15, 10, 0, 40), "in 1 min"),
        (NOW, at(2016, 6, 15, 10, 0, 10), "now"),
        (NOW, NOW, "now"),
        (at(2016, 6, 15, 22), at(2016, 6, 16, 1), "in 3 hours"),  # across midnight, < 1 day
        (NOW, at(2016, 6, 13, 9), "2 days ago"),
        (NOW, at(2016, 6, 15, 9, 20), "40 min ago"),
        (NOW, at(2016, 6, 15, 5), "5 hours ago"),
        (at(2016, 3, 26, 12), at(2016, 3, 27, 11), "in 22 hours"),  # a 23-hour calendar day
        (at(2016, 10, 30, 0), at(2016, 10, 30, 23), "in 1 day"),  # 24 h on a 25-hour day
        (NOW, datetime(2016, 6, 17, 22, 0, tzinfo=UTC), "in 3 days"),
    ],
)
def test_humanize_delta(start, end, expected):
    assert humanize_delta(start, end) == expected


LEANS = st.sampled_from(["past", "future"])
# Datetimes in the supported years, as instants in Paris, to the second.
LOCAL_MOMENTS = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0).astimezone(PARIS))


@settings(max_examples=300, deadline=None)
@given(st.text(), LEANS)
def test_parse_when_only_ever_raises_input_error(text, lean):
    try:
        moment = parse_when(text, lean=lean, now=NOW)
    except InputError:
        return
    assert moment.at.utcoffset() is not None
    assert 1900 <= moment.at.year <= 2100


# Pieces of the grammar, so that generated text gets past the first checks.
NEAR_MISS_PIECES = [
    *"0123456789 :-/.+TZ",
    *"am pm ago d h min w jun feb tue sunday today yesterday at utc gmt cest of 2016 1899".split(),
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(NEAR_MISS_PIECES), max_size=8).map("".join),
    LEANS,
)
def test_parse_when_on_near_misses(text, lean):
    try:
        parse_when(text, lean=lean, now=NOW)
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(LOCAL_MOMENTS)
def test_iso_reads_back_to_the_same_instant(moment):
    assert parse_when(iso(moment), lean="past", now=NOW) == Moment(moment, True)


@settings(max_examples=200, deadline=None)
@given(LOCAL_MOMENTS)
def test_format_at_reads_back_to_the_same_wall_time(moment):
    shown = format_at(moment)
    assert format_at(parse_when(shown, lean="past", now=NOW).at) == shown
    day = format_day(moment)
    assert parse_when(day, lean="future", now=NOW) == Moment(start_of_day(moment.date()), False)




TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(("text", "expected"), [
    # Saturday 2 April 2016, 23:30 in Tokyo (14:30 UTC: still the day before nowhere else).
    ("last sat", datetime(2016, 3, 26, tzinfo=TOKYO)),
    ("next sat", datetime(2016, 4, 9, tzinfo=TOKYO)),
    ("this morning", datetime(2016, 4, 2, 8, tzinfo=TOKYO)),
    ("noon", datetime(2016, 4, 2, 12, tzinfo=TOKYO)),
    ("18h30", datetime(2016, 4, 2, 18, 30, tzinfo=TOKYO)),
    ("in 2 days", datetime(2016, 4, 4, tzinfo=TOKYO)),
    ("+7d", datetime(2016, 4, 9, tzinfo=TOKYO)),
    ("in 1 hour", datetime(2016, 4, 3, 0, 30, tzinfo=TOKYO)),
])
def test_new_forms_count_in_the_runners_zone(monkeypatch, text, expected):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    now = datetime(2016, 4, 2, 23, 30, tzinfo=TOKYO)
    moment = parse_when(text, lean="past", now=now)
    assert moment.at == expected
    assert moment.at.utcoffset() == timedelta(hours=9)


def test_in_hours_is_elapsed_time_across_a_clock_change():
    # 01:30 on the night Paris springs forward: three hours later the clock says 05:30.
    moment = parse_when("in 3 hours", lean="future", now=at(2016, 3, 27, 1, 30))
    assert moment.at == at(2016, 3, 27, 5, 30)
