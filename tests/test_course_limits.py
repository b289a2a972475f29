"""A course's limits are checked at `treat`: a warning, the entry stored all the same, and
never "Session 4 of 4" for a session beyond the usual course."""


def test_a_cortisone_seven_days_after_the_last_is_warned_and_stored(cli):
    cli("treat", "cortisone", "--on", "2016-06-01 10:00")
    result = cli("treat", "cortisone", "--on", "2016-06-08 10:00")
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    assert "Warning: 7 days after the last cortisone (Wed 1 Jun); the usual minimum is 42 " \
        "days [S2/S4]. Stored all the same." in shown
    assert "Session 2: beyond the usual course of at most 1 [S2/S4]." in shown
    assert "of 2 of the course" not in shown
    assert len(cli("export").json()["treatments"]) == 2


def test_a_fourth_cortisone_within_a_year_is_warned(cli):
    for day in ("2016-01-04", "2016-04-04", "2016-07-04"):
        cli("treat", "cortisone", "--on", day)
    answer = cli("treat", "cortisone", "--on", "2016-10-04", "--json").json()
    rules = {w["rule"]: w for w in answer["warnings"]}
    assert (rules["per-year"]["value"], rules["per-year"]["limit"]) == (4, 3)


def test_prolotherapy_ten_days_after_the_last_and_shockwave_under_four_days(cli):
    cli("treat", "prolotherapy", "--on", "2016-06-01 09:00")
    prolo = cli("treat", "prolotherapy", "--on", "2016-06-11 09:00", "--json").json()
    assert [(w["rule"], w["value"], w["limit"]) for w in prolo["warnings"]] == [
        ("too-soon", 10, 21)]
    cli("treat", "shockwave", "--on", "2016-06-01 09:00")
    shock = cli("treat", "shockwave", "--on", "2016-06-03 09:00", "--json").json()
    assert [(w["rule"], w["value"]) for w in shock["warnings"]] == [("too-soon", 2)]


def test_a_course_within_its_limits_has_no_warning(cli):
    cli("treat", "mesotherapy", "--on", "2016-06-07 10:00")
    answer = cli("treat", "mesotherapy", "--on", "2016-06-14 10:00", "--json").json()
    assert answer["warnings"] == []
    assert answer["course"] == {"session": 2, "of": 3}
