"""The class report's pictures, drawn as inline SVG: the page needs no script, no network, no plotting library.

Every chart is readable without seeing it: the SVG is one image (``role="img"``) whose text alternative
says what it shows and every number it draws, a visible caption says it again in a sentence, and a table
under it holds the same numbers (``numbers=False`` when the page already has them in a table). Bars are
drawn in a colour of the Okabe-Ito palette (checks.figures.COLOURS, distinct for the common
colour-vision deficiencies) with a dark outline, so their edges keep a 3:1 contrast whatever the fill;
each bar's value is written beside it, and no chart tells anything apart by colour.
"""

from __future__ import annotations

from html import escape

from checks.figures import COLOURS

FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#212121"'
OUTLINE = 'stroke="#212121" stroke-width="1"'
#: Okabe-Ito blue, the colour of a chart whose bars are all of one kind.
BAR = COLOURS[0]


def columns(
    bars: list[tuple[str, int]],
    caption: str,
    width: int = 560,
    height: int = 220,
    *,
    what: str = "learners",
    label_header: str = "score",
    numbers: bool = True,
) -> str:
    """Vertical bars, one per (label, count): the score distribution. ``caption`` names the x axis;
    ``what`` says what is counted; ``label_header`` heads the table's first column."""
    top = max((count for _, count in bars), default=0) or 1
    left, bottom, plot_h = 36, 36, height - 36 - 16
    step = (width - left - 8) / max(len(bars), 1)
    parts = [_axis(left, 16, plot_h, top, width)]
    for i, (label, count) in enumerate(bars):
        h = plot_h * count / top
        x, y = left + i * step + step * 0.12, 16 + plot_h - h
        if count:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.76:.1f}" height="{h:.1f}" fill="{BAR}" {OUTLINE}/>'
            )
        parts.append(f'<text x="{x + step * 0.38:.1f}" y="{y - 3:.1f}" text-anchor="middle" {FONT}>{count}</text>')
        parts.append(
            f'<text x="{x + step * 0.38:.1f}" y="{height - bottom + 16}" text-anchor="middle" {FONT}>'
            f"{escape(label)}</text>"
        )
    parts.append(
        f'<text x="{left + (width - left) / 2:.0f}" y="{height - 4}" text-anchor="middle" {FONT}>'
        f"{escape(caption)}</text>"
    )
    values = [(label, count, "") for label, count in bars]
    subject = f"{what} per {caption}"
    return _figure(
        _svg(width, height, _alternative(subject, values), parts), subject, values, label_header, what, numbers
    )


def rows(
    bars: list[tuple[str, float, str]],
    maximum: float,
    caption: str,
    width: int = 560,
    unit: str = "",
    *,
    label_header: str = "",
    value_header: str = "",
    numbers: bool = True,
    label_width: int = 180,
) -> str:
    """Horizontal bars, one per (label, value, colour), on a scale from 0 to ``maximum``; ``caption`` says
    what the values are ("pass rate per exercise"). The colour should come from checks.figures.COLOURS.
    A label longer than ``label_width`` holds is shortened on the chart (whole in its table and text)."""
    label_w, row_h = label_width, 26
    width += label_w - 180
    height = row_h * len(bars) + 8
    scale = (width - label_w - 60) / (maximum or 1)
    parts = []
    for i, (label, value, colour) in enumerate(bars):
        y = 4 + i * row_h
        room = (label_w - 12) // 6  # characters of the 12px font the label's width holds
        shown = label if len(label) <= room else label[: room - 1] + "\u2026"
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" {FONT}>{escape(shown)}</text>')
        if value:
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{value * scale:.1f}" height="{row_h - 8}" '
                f'fill="{colour}" {OUTLINE}/>'
            )
        parts.append(f'<text x="{label_w + value * scale + 4:.1f}" y="{y + 16}" {FONT}>{value:g}{unit}</text>')
    values = [(label, value, unit) for label, value, _ in bars]
    return _figure(
        _svg(width, height, _alternative(caption, values), parts),
        caption,
        values,
        label_header,
        value_header or caption,
        numbers,
    )


def _alternative(subject: str, values: list[tuple[str, float, str]]) -> str:
    """What the chart shows, as a sentence a screen reader reads: what it is and every bar's value."""
    listed = "; ".join(f"{label}: {value:g}{unit}" for label, value, unit in values)
    return f"Bar chart of {subject}. {listed}." if values else f"Bar chart of {subject}, empty: nothing to draw."


def _figure(svg: str, subject: str, values: list, label_header: str, value_header: str, numbers: bool) -> str:
    title = f"Bar chart of {subject}"
    if not numbers:
        return f"<figure>{svg}<figcaption>{escape(title)}. The table below gives the numbers.</figcaption></figure>"
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td class=number>{value:g}{escape(unit)}</td></tr>'
        for label, value, unit in values
    )
    table = (
        f"<table class=numbers><caption>{escape(subject[:1].upper() + subject[1:])}</caption><thead><tr>"
        f'<th scope="col">{escape(label_header)}</th><th scope="col">{escape(value_header)}</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
    return f"<figure>{svg}<figcaption>{escape(title)}; its numbers are in the table below.</figcaption></figure>{table}"


def _axis(left: int, top: int, height: float, maximum: int, width: int) -> str:
    return (
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + height}" stroke="#595959"/>'
        f'<line x1="{left}" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="#595959"/>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" {FONT}>{maximum}</text>'
        f'<text x="{left - 4}" y="{top + height}" text-anchor="end" {FONT}>0</text>'
    )


def _svg(width: int, height: int, alternative: str, parts: list[str]) -> str:
    """One image to assistive technology, named by its first child, the <title> (also a tooltip)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{escape(alternative)}</title>' + "".join(parts) + "</svg>"
    )
