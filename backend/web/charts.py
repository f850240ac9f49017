"""A bar chart's geometry for an inline SVG drawn by the template (pure: no Django, no JS)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 24  # room for the axis labels, in SVG units


@dataclass(frozen=True)
class Bar:
    key: Any  # what the bar stands for (a day, say): the template labels it
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    left: int
    baseline: float

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def labelled(self) -> list[Bar]:
        """The bars whose key is written under the axis: first, middle and last."""
        if not self.bars:
            return []
        picks = sorted({0, len(self.bars) // 2, len(self.bars) - 1})
        return [self.bars[i] for i in picks]


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k that is at least value (and at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(
    points: Sequence[tuple[Any, int]], *, width: int = 720, height: int = 180
) -> BarChart:
    """Lay out one bar per (key, value) point, scaled to a round maximum, with three ticks."""
    top = nice_ceiling(max((value for _key, value in points), default=0))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    gap = min(2.0, slot * 0.2)
    baseline = TOP + plot_h
    bars = []
    for index, (key, value) in enumerate(points):
        bar_h = plot_h * value / top
        bars.append(
            Bar(
                key=key,
                value=value,
                x=round(LEFT + index * slot + gap / 2, 2),
                y=round(baseline - bar_h, 2),
                width=round(slot - gap, 2),
                height=round(bar_h, 2),
            )
        )
    ticks = [Tick(value=v, y=round(baseline - plot_h * v / top, 2)) for v in (0, top // 2, top)]
    if top == 1:
        ticks = [ticks[0], ticks[2]]
    return BarChart(
        width=width, height=height, bars=bars, ticks=ticks, left=LEFT, baseline=baseline
    )
