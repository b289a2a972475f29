"""Small pictures made of Rich text: the two-row pain sparkline and the pain scale.

A two-row sparkline has 16 heights, so each of the 11 pain levels gets its own (a single
row of eight block characters merges 7 and 8). Colours follow the physios' traffic light
(green 0–3, amber 4–6, red 7–10); the heights carry the same information without colour.
"""

from collections.abc import Sequence

from rich.text import Text

from runrecover.protocols import load_advice

BLOCKS = " ▁▂▃▄▅▆▇█"
NO_SCORE = "·"


BAND_STYLES = {"green": "green", "amber": "yellow", "red": "red"}


def pain_style(score: int) -> str:
    """The colour of a score's traffic-light band, as advice.toml sets the bands."""
    return BAND_STYLES[load_advice().traffic_light.band(score)]


def _height(score: int) -> int:
    return round(score * 16 / 10)


def sparkline(scores: Sequence[int | None]) -> tuple[Text, Text]:
    """Top and bottom rows, one column per day; None is a day with no score."""
    top, bottom = Text(), Text()
    for score in scores:
        if score is None:
            top.append(" ")
            bottom.append(NO_SCORE, style="dim")
            continue
        height = _height(score)
        style = pain_style(score)
        top.append(BLOCKS[max(0, height - 8)], style=style)
        bottom.append(BLOCKS[min(8, height)] if height else "_", style=style)
    return top, bottom


def pain_scale(score: int, width: int = 10) -> Text:
    """`▰▰▰▱▱▱▱▱▱▱ 3`: the score on a 0–10 bar, coloured by its band."""
    text = Text("▰" * score, style=pain_style(score))
    text.append("▱" * (width - score), style="dim")
    text.append(f" {score}", style=pain_style(score))
    return text
