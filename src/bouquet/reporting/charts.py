"""Bar charts drawn as SVG on the server: no script, nothing for the CSP to allow, and the
numbers stay readable in the table printed under each chart."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 36, 24, 12
PALETTE = ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    labels: list[tuple[float, str]]
    ticks: list[tuple[float, int]]
    legend: list[tuple[str, str]]
    width: int = WIDTH
    height: int = HEIGHT


def stacked_bars(columns: list[tuple[str, dict[str, int]]], series: list[str]) -> Chart:
    """One stacked bar per column (a month), one colour per series (a nature, a status…)."""
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    top = max([sum(values.values()) for _, values in columns] + [1])
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = (WIDTH - PAD_LEFT) / max(len(columns), 1)
    bars, labels = [], []
    for i, (label, values) in enumerate(columns):
        x = PAD_LEFT + i * slot + slot * 0.15
        y = HEIGHT - PAD_BOTTOM
        for name in series:
            n = values.get(name, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            bars.append(Bar(round(x, 1), round(y, 1), round(slot * 0.7, 1), round(h, 1), colours[name],
                            f"{label} — {name} : {n}"))  # fmt: skip
        labels.append((round(PAD_LEFT + i * slot + slot / 2, 1), label))
    step = max(1, round(top / 4))
    ticks = [(round(HEIGHT - PAD_BOTTOM - plot_h * v / top, 1), v) for v in range(0, top + 1, step)]
    return Chart(bars, labels, ticks, [(name, colours[name]) for name in series])
