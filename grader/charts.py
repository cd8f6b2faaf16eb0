"""The class report's pictures, drawn as inline SVG: the page needs no script, no network, no plotting library."""
from __future__ import annotations

from html import escape

FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def columns(bars: list[tuple[str, int]], caption: str, width: int = 560, height: int = 220) -> str:
    """Vertical bars, one per (label, count): the score distribution."""
    top = max((count for _, count in bars), default=0) or 1
    left, bottom, plot_h = 36, 36, height - 36 - 16
    step = (width - left - 8) / max(len(bars), 1)
    parts = [_axis(left, 16, plot_h, top)]
    for i, (label, count) in enumerate(bars):
        h = plot_h * count / top
        x, y = left + i * step + step * 0.12, 16 + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.76:.1f}" height="{h:.1f}" fill="#3f6fb5">'
                     f'<title>{escape(label)}: {count}</title></rect>')
        if count:
            parts.append(f'<text x="{x + step * 0.38:.1f}" y="{y - 3:.1f}" text-anchor="middle" {FONT}>{count}</text>')
        parts.append(f'<text x="{x + step * 0.38:.1f}" y="{height - bottom + 16}" text-anchor="middle" {FONT}>'
                     f'{escape(label)}</text>')
    parts.append(f'<text x="{left + (width - left) / 2:.0f}" y="{height - 4}" text-anchor="middle" {FONT}>'
                 f'{escape(caption)}</text>')
    return _svg(width, height, caption, parts)


def rows(bars: list[tuple[str, float, str]], maximum: float, caption: str, width: int = 560,
         unit: str = "") -> str:
    """Horizontal bars, one per (label, value, colour), on a scale from 0 to ``maximum``."""
    label_w, row_h = 180, 26
    height = row_h * len(bars) + 8
    scale = (width - label_w - 60) / (maximum or 1)
    parts = []
    for i, (label, value, colour) in enumerate(bars):
        y = 4 + i * row_h
        shown = label if len(label) <= 28 else label[:27] + "\u2026"
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" {FONT}><title>{escape(label)}</title>'
                     f'{escape(shown)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{max(value * scale, 1):.1f}" height="{row_h - 8}" '
                     f'fill="{colour}"><title>{escape(label)}: {value:g}{unit}</title></rect>')
        parts.append(f'<text x="{label_w + value * scale + 4:.1f}" y="{y + 16}" {FONT}>{value:g}{unit}</text>')
    return _svg(width, height, caption, parts)


def _axis(left: int, top: int, height: float, maximum: int) -> str:
    return (f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + height}" stroke="#888"/>'
            f'<line x1="{left}" y1="{top + height}" x2="100%" y2="{top + height}" stroke="#888"/>'
            f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" {FONT}>{maximum}</text>'
            f'<text x="{left - 4}" y="{top + height}" text-anchor="end" {FONT}>0</text>')


def _svg(width: int, height: int, caption: str, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(caption)}">' + "".join(parts) + "</svg>")
