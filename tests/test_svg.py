"""The report's chart: bands, a pain line on the left scale, bars on the right, markers."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from runrecover.render import svg


def chart(**changes) -> ET.Element:
    values = {"first_day": date(2016, 6, 1), "days": 10,
              "pain": [5, 4, None, 3, None, None, 2, 2, 1, None]}
    values.update(changes)
    return ET.fromstring(svg.render(svg.DayChart(**values)))


def of_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    """Elements whose class is `cls`, or starts with it ("pain" finds "pain circle")."""
    return [e for e in root.iter(tag)
            if e.get("class") == cls or (e.get("class") or "").startswith(cls + " ")]


def test_it_is_one_well_formed_svg_with_a_text_alternative():
    root = chart(title="calf <pain>", description="what it shows")
    assert root.tag == "svg" and root.get("role") == "img"
    assert root.find("title").text == "calf <pain>"
    assert root.find("desc").text == "what it shows"


def test_the_pain_line_breaks_where_a_day_has_no_score():
    root = chart()
    lines = of_class(root, "polyline", "pain-line")
    assert [len(p.get("points").split()) for p in lines] == [2, 3]
    assert len(of_class(root, "circle", "pain")) == 6  # day 4 alone: a dot, no line


def test_each_score_is_marked_by_its_context_and_the_line_meets_the_worst():
    scores = [svg.Score(0.3, 4, "morning", "a"), svg.Score(0.8, 6, "during", "b"),
              svg.Score(1.9, 7, "night", "c"), svg.Score(2.5, 2, None, "d")]
    root = chart(pain=[6, 7, 2] + [None] * 7, pain_at=[0.8, 1.9, None] + [None] * 7,
                 scores=scores)
    shapes = [e.get("class") for e in root.iter() if (e.get("class") or "").startswith("pain ")]
    assert shapes == ["pain circle", "pain triangle", "pain square", "pain hollow"]
    (line,) = of_class(root, "polyline", "pain-line")
    xs = [float(p.split(",")[0]) for p in line.get("points").split()]
    assert xs == [round(svg.LEFT + (svg.WIDTH - svg.LEFT - svg.RIGHT) * at / 10, 1)
                  for at in (0.8, 1.9, 2.5)]
    assert [t.text for t in root.iter("title")][1:] == ["a", "b", "c", "d"]


def test_scores_and_bars_stand_on_their_scales():
    root = chart(pain=[10, 0] + [None] * 8,
                 bars=[svg.Bar(0.5, 10.0, False, "a"), svg.Bar(1.5, 5.0, True, "b")])
    top, bottom = (float(c.get("cy")) for c in of_class(root, "circle", "pain"))
    assert (top, bottom) == (svg.TOP, svg.HEIGHT - svg.BOTTOM)
    full, half = of_class(root, "rect", "bar"), of_class(root, "rect", "bar broke")
    assert float(full[0].get("y")) == svg.TOP  # 10 km is the top of a 10 km scale
    assert float(half[0].get("height")) == pytest.approx(float(full[0].get("height")) / 2, 0.01)
    assert half[0].get("stroke") == "#000000"  # outlined: seen in grey print too


def test_bands_are_hatched_when_no_running_is_allowed():
    root = chart(bands=[svg.Band(1.4, 5.0, True, "no running"),
                        svg.Band(5.0, 7.0, False, "easy only")])
    strict, easy = of_class(root, "rect", "band")
    assert strict.get("fill") == "url(#hatch)" and easy.get("fill") != "url(#hatch)"
    assert float(strict.get("x")) < float(easy.get("x"))


def test_a_band_outside_the_chart_is_clipped_to_it():
    root = chart(bands=[svg.Band(-3, 30, True, "long")])
    (band,) = of_class(root, "rect", "band")
    assert float(band.get("x")) == svg.LEFT
    assert float(band.get("width")) == pytest.approx(svg.WIDTH - svg.LEFT - svg.RIGHT)


def test_close_marker_labels_go_on_rows_of_their_own():
    assert svg.label_rows([(100, 11), (110, 5), (300, 5), (105, 3), (101, 3)]) == [
        0, 1, 0, 2, svg.MAX_LABEL_ROW]


@pytest.mark.parametrize("values, top", [([], 5), ([4.2], 5), ([8], 10), ([15], 20),
                                         ([42.2], 50), ([640], 700)])
def test_the_bar_scale_ends_on_a_round_number(values, top):
    assert svg.bar_scale(values) == top


@pytest.mark.parametrize("days, every", [(7, 1), (16, 1), (30, 2), (60, 7), (200, 14)])
def test_the_axis_names_at_most_16_days(days, every):
    assert svg.tick_days(days) == every
