"""Every notebook, opened and run in JupyterLab in a real browser: what does a learner see?

For each notebook in solutions/ and notebooks/ (found by glob): open it, Run → Run All Cells, and check
the page, cell by cell:

* every cell ran, and no cell shows an error or stderr, except, in the learner notebooks, the check
  cells, which must show "Not attempted yet" and raise NotAttempted (they are tagged raises-exception,
  so one Run All goes on past them, as it does for a learner);
* every check cell of a solution notebook shows "Correct.";
* plots are images that loaded (non-zero natural size), in every cell whose stored solution output has one
  (a plain image output, or a figure shown as HTML with its text alternative by checks.figures.show);
* widgets are drawn wherever the solution stored a widget view; every control of a widget has an
  accessible name; each widget is reached with Tab and changed with a key (arrow keys, Alt+ArrowDown in a
  drop-down, typing and Enter, Space), no mouse, and the plot beside it is redrawn (WIDGET_REDRAWS says
  which notebooks must redraw what: 02 and 03 a plot, 05 its neighbours);
* nothing was saved: running must not write outputs into the repository's notebooks;
* the page passes the accessibility audit (accessibility.py: axe-core, WCAG 2.1 A and AA) once it has run and
  its widgets have moved: no serious or critical violation in the cells' outputs or rendered Markdown.
  JupyterLab's own violations are listed at the end of the run, never failing it.

One screenshot of the whole notebook per notebook goes to build/screenshots/<folder>-<name>.png (CI
keeps that folder), taken after Run All and before any assertion, so a failure has its picture.
With --readme-screenshots (`make screenshots`), each solution notebook also gets docs/screenshots/<name>.png
for the README: one 1280x900 view of its first widget (after the test moved it), else its first plot, else
its first check, as a 256-colour PNG.
"""

from __future__ import annotations

import re
import time

import accessibility
import ipywidgets
import nbformat
import pytest
from notebook_page import README_SCREENSHOTS, ROOT, SCREENSHOTS, Cell, NotebookPage

FOLDERS = ("solutions", "notebooks")
NOTEBOOKS = [path for folder in FOLDERS for path in sorted((ROOT / folder).glob("[0-9]*.ipynb"))]
# Seconds for one Run All; the kernel's start is included.
RUN_TIMEOUT = 300
REDRAW_TIMEOUT = 30
REDRAW_TIMEOUT_NEW_PLOT = 10  # a widget with no plot yet may draw one; it need not
# Notebooks in which a widget, changed from the keyboard, must redraw something: the control that must do
# it ("slider", "select", "text", "button", "checkbox", "toggle" or "any"), what it redraws ("plot", the
# default, or "output": any output of the cell), and what to type into a text box (valid input depends
# on the notebook; in a drop-down, the first letters of an option, typed into the open list, as 05's text
# tells learners to). 02's control may be a slider or a number box ("any"): ipywidgets' slider gives its
# handle no accessible name, so the notebook may trade it for a labelled box.
WIDGET_REDRAWS = {
    "02_initializers": {"control": "any", "type": "60"},
    "03_embedding_lookup": {"control": "text", "type": "1, 4, 1"},
    "05_training": {"control": "select", "redraws": "output", "type": "phar"},
}
# A figure as checks.figures.show displays it: an <img> inside a <figure>, with its text alternative.
FIGURE_HTML = re.compile(r"<figure\b.*?<img\b[^>]*\balt=", re.S)
# Stored notebooks keep only a widget view's text/plain fallback, "IntSlider(value=50, ...)": its class.
WIDGET_CLASSES = {
    name
    for name in dir(ipywidgets)
    if isinstance(getattr(ipywidgets, name), type) and issubclass(getattr(ipywidgets, name), ipywidgets.DOMWidget)
}


def text_of(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def stored_outputs(cell) -> set[str]:
    """The kinds of output a cell stores: "plot" for a plot (a plain image/png output, or a figure shown as
    HTML by checks.figures.show, `<figure><img alt=...>`), and "widget" for a widget view."""
    kinds = set()
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data or FIGURE_HTML.search(text_of(data.get("text/html"))):
            kinds.add("plot")
        plain = data.get("text/plain", "")
        plain = "".join(plain) if isinstance(plain, list) else plain
        match = re.match(r"(\w+)\(", plain)
        if match and match[1] in WIDGET_CLASSES:
            kinds.add("widget")
    return kinds


def expected_outputs(path) -> list[set[str]]:
    """Per cell, the kinds of output a learner must see: those the solution notebook stores.

    A learner notebook is held to that only up to its first exercise: after it, cells may depend on
    code the learner has not written yet.
    """
    solution_path = ROOT / "solutions" / path.name
    if not solution_path.exists():
        return []
    solution = nbformat.read(solution_path, as_version=4)
    expected = [stored_outputs(cell) for cell in solution.cells]
    if path.parent.name == "solutions":
        return expected
    learner = nbformat.read(path, as_version=4)
    # The learner copy adds one cell (the one that fetches the course outside it) and launch links
    # under the title; pair the rest with the solution's cells, one to one.
    fetch = next(i for i, cell in enumerate(learner.cells) if cell.cell_type == "code")
    paired = [(0, expected[0])] + [(i + 1 if i >= fetch else i, kinds) for i, kinds in enumerate(expected) if i]
    learner_expected = [set() for _ in learner.cells]
    for index, (mine, theirs) in enumerate(zip(learner.cells[:fetch] + learner.cells[fetch + 1 :], solution.cells)):
        same = (
            mine.source.split("\n")[0] == theirs.source.split("\n")[0] if index == 0 else mine.source == theirs.source
        )
        if not same:
            return learner_expected[: paired[index][0]]
        learner_expected[paired[index][0]] = paired[index][1]
    return learner_expected


def errors_of(cell: Cell) -> str:
    return "\n".join(text.strip()[-600:] for text in cell.stderr)


def redraw_check(view: NotebookPage, cell: Cell, spec: dict) -> tuple[str | None, str | None, str | None]:
    """Change the cell's widget from the keyboard alone; return (what was done, what it redrew: "plot",
    "output" or None, and a problem or None).

    A cell that shows a plot must redraw it. A cell with no plot yet (a box to type ids into, say) may
    draw one, or change its other outputs; whether it must is WIDGET_REDRAWS' say, for the whole notebook.
    A widget no control of which Tab reaches and a key changes is a problem in itself.
    """
    before, drawn_before = [image["src"] for image in cell.images], cell.drawn
    moved = view.change_by_keyboard(cell.index, text=spec.get("type"))
    if moved is None:
        return (
            None,
            None,
            (f"cell {cell.index}: no control of its widgets could be reached with Tab and changed from the keyboard"),
        )

    def redrawn(now: Cell) -> str | None:
        sources = [image["src"] for image in now.images]
        if sources and sources != before and all(i["complete"] and i["width"] > 0 for i in now.images):
            return "plot"
        return "output" if not before and now.drawn != drawn_before else None

    timeout = REDRAW_TIMEOUT if before else REDRAW_TIMEOUT_NEW_PLOT
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not redrawn(view.cells()[cell.index]):
        time.sleep(0.25)
    view.wait_idle(RUN_TIMEOUT)
    now = view.cells()[cell.index]
    if now.stderr:
        return moved, None, f"cell {cell.index}: after {moved}, the cell shows an error:\n{errors_of(now)}"
    what = redrawn(now)
    if before and what != "plot":
        return moved, None, f"cell {cell.index}: {moved} did not redraw the plot within {timeout} s"
    return moved, what, None


def unnamed_controls(view: NotebookPage, cell: Cell) -> list[str]:
    """A problem for each control of the cell's widgets that a screen reader would announce without a name."""
    return [
        f"cell {cell.index}: a widget's {control['role'] or 'control'} has no accessible name (a description "
        f"tied to it, or an aria-label): {control['html']}"
        for control in view.widget_controls(cell.index)
        if not control["name"].strip()
    ]


def readme_cell(cells: list[Cell]) -> int | None:
    """The view for the README: the first widget, else the first plot, else the first check."""
    for test in (lambda c: c.widgets, lambda c: c.images, lambda c: "check" in c.tags):
        found = [cell.index for cell in cells if test(cell)]
        if found:
            return found[0]
    return None


@pytest.mark.skipif(not NOTEBOOKS, reason=f"no notebooks in {ROOT}/solutions or {ROOT}/notebooks yet")
@pytest.mark.parametrize("path", NOTEBOOKS or [None], ids=[f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS] or ["none"])
def test_notebook_runs_in_jupyterlab(lab, page, path, readme_screenshots):
    folder, name = path.parent.name, path.stem
    learner = folder == "notebooks"
    notebook = nbformat.read(path, as_version=4)
    view = NotebookPage(page, lab, f"{folder}/{path.name}", notebook)
    saved_before = len(lab.saved_files())

    view.open()
    view.run_all(RUN_TIMEOUT)  # one Run All must reach the end: learner check cells are tagged raises-exception
    view.wait_images_loaded()
    cells = view.cells()
    view.screenshot_whole_notebook(SCREENSHOTS / f"{folder}-{name}.png")

    problems = []
    expected = expected_outputs(path)
    for cell in cells:
        where = f"cell {cell.index}"
        if cell.runs and not cell.executed:
            problems.append(f"{where} did not run (prompt {cell.prompt!r})")
        is_check = "check" in cell.tags
        if cell.stderr and not (learner and is_check):
            problems.append(f"{where} shows an error or stderr:\n{errors_of(cell)}")
        if is_check and not learner and "Correct." not in cell.text:
            problems.append(f"{where} (check) does not show 'Correct.': {cell.text[:300]!r}")
        if is_check and learner and cell.executed:
            if not cell.stderr or not all("NotAttempted" in text for text in cell.stderr):
                problems.append(f"{where} (check) should fail only with NotAttempted:\n{errors_of(cell)}")
            if "Not attempted yet" not in cell.text:
                problems.append(f"{where} (check) does not show 'Not attempted yet': {cell.text[:300]!r}")
        for image in cell.images:
            if not (image["complete"] and image["width"] > 0 and image["height"] > 0):
                problems.append(f"{where} has an image that did not load")
        if "Error displaying widget" in cell.text or "Loading widget" in cell.text:
            problems.append(f"{where}: a widget was not drawn: {cell.text[:200]!r}")
        wanted = expected[cell.index] if cell.index < len(expected) else set()
        if "plot" in wanted and not cell.images:
            problems.append(f"{where} should show a plot and shows no image (neither an image output nor a figure)")
        if "widget" in wanted and not cell.widget_views:
            problems.append(f"{where} should show a widget and shows none: {cell.text[:200]!r}")

    # The knobs: a learner reaches each widget with Tab and changes it with a key; a plot beside it must follow.
    spec = WIDGET_REDRAWS.get(name, {})
    redrawn = []
    for cell in cells:
        if cell.widgets and not cell.stderr:
            problems += unnamed_controls(view, cell)
            moved, what, problem = redraw_check(view, cell, spec)
            problems += [problem] if problem else []
            redrawn += [(moved, what)] if moved and what else []
    if readme_screenshots and not learner:  # after the knobs moved: a drawing even where none was at first
        view.screenshot_view(README_SCREENSHOTS / f"{name}.png", readme_cell(cells))
    control, wanted = spec.get("control"), spec.get("redraws", "plot")
    if control and not any(
        (control == "any" or moved.startswith(control)) and (what == "plot" or wanted == "output")
        for moved, what in redrawn
    ):
        problems.append(
            f"no {'widget' if control == 'any' else control} changed from the keyboard redrew "
            f"{'a plot' if wanted == 'plot' else 'the output'} (redrawn: {redrawn})"
        )

    # The audit, once the page has run and every knob has moved: what the course shows, checked by axe.
    problems += accessibility.audit(page, f"{folder}-{name}", in_view=view.whole_notebook_in_view).problems()

    saved = lab.saved_files()[saved_before:]
    if saved:
        problems.append(f"JupyterLab saved files while the test ran: {saved}")
    problems += page.problems
    assert not problems, f"{folder}/{path.name} in JupyterLab:\n- " + "\n- ".join(problems)
