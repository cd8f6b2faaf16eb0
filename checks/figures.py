"""Figures every learner can read: each with a text alternative, in colours and marks that do not
rely on telling red from green.

JupyterLab shows a plain image output as an ``<img>`` without ``alt`` text, so a screen reader says
only "image". ``show`` therefore displays a matplotlib figure as HTML: the PNG inside an ``<img>``
whose ``alt`` says what the figure shows, and, when given, a visible caption under it. Where HTML
is not shown (a terminal, a plain-text log), the text alternative is printed instead.

    from checks import figures
    fig, ax = plt.subplots()
    ax.hist(values, color=figures.COLOURS[0])
    figures.show(fig, alt="Histogram of 1,000 values: flat between -0.1 and 0.1, none outside.")

The palette is Okabe and Ito's, chosen to stay distinct under the common colour-vision
deficiencies; where colour tells groups apart, give each group a marker, a line style or a hatch
too (``MARKERS``, ``LINES``, ``HATCHES``), and say in the text which is which.
"""

from __future__ import annotations

import base64
import html
import io

#: Okabe-Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow, black.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINES = ("-", "--", ":", "-.")
HATCHES = ("", "//", "..", "xx", "\\\\", "++")
#: A colour map that keeps its order in grey and for colour-blind readers.
COLOUR_MAP = "cividis"


def html_figure(png: bytes, alt: str, caption: str | None = None) -> str:
    """The HTML for one figure: its PNG, its text alternative and its caption."""
    source = base64.b64encode(png).decode("ascii")
    image = (
        f'<img src="data:image/png;base64,{source}" alt="{html.escape(alt, quote=True)}" '
        'style="max-width:100%;height:auto">'
    )
    if caption is None:
        return f'<figure style="margin:0">{image}</figure>'
    return (
        f'<figure style="margin:0">{image}'
        f'<figcaption style="font-size:0.9em;color:#333">{html.escape(caption)}</figcaption></figure>'
    )


def redrawn(figsize: tuple):
    """A figure of its own, outside pyplot, for a drawing that a widget redraws. A widget's callback
    may run in a kernel thread of its own, where pyplot's shared current figure gave garbled drawings."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize)


def show(fig=None, *, alt: str, caption: str | None = None, dpi: int = 100) -> None:
    """Display ``fig`` (the current figure when None) with its text alternative, then close it.

    ``alt`` says what the figure shows, as a sentence a listener can use: what is drawn, and the
    numbers or the shape that matter. ``caption`` is shown under the figure to every reader."""
    import matplotlib.pyplot as plt

    if not alt or not alt.strip():
        raise ValueError("a figure needs a text alternative: say what it shows")
    fig = plt.gcf() if fig is None else fig
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    _display(html_figure(buffer.getvalue(), alt, caption), alt, caption)


def _display(markup: str, alt: str, caption: str | None) -> None:
    text = f"[Figure: {alt}]" + (f"\n{caption}" if caption else "")
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        print(text)
        return
    if get_ipython() is None:
        print(text)
        return
    display({"text/html": markup, "text/plain": text}, raw=True)
