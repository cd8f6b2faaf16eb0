"""Drive one notebook in JupyterLab as a learner does, and read back what the page shows.

Actions go through the UI (the Run menu, the keyboard, the widgets' own controls); what is asserted is
read from the page's DOM, cell by cell, in notebook order.
"""

from __future__ import annotations

import io
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOT = Path(os.environ.get("BROWSER_TEST_ROOT", REPO)).resolve()  # the folder that holds solutions/, notebooks/
SCREENSHOTS = REPO / "build" / "screenshots"
README_SCREENSHOTS = REPO / "docs" / "screenshots"
KERNEL_DISPLAY_NAME = "Embedding Matrix (TF 2.21)"
KERNEL_NAME = "embedding-matrix"
STDERR = "application/vnd.jupyter.stderr"  # JupyterLab renders tracebacks and stderr streams with this

# One round trip: everything a test asserts about the cells, in notebook order.
READ_CELLS = (
    """
() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'))
  .map(cell => {
    const outputs = cell.querySelector('.jp-Cell-outputWrapper');
    const prompt = cell.querySelector('.jp-InputPrompt');
    return {
      kind: cell.classList.contains('jp-CodeCell') ? 'code'
          : cell.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw',
      prompt: prompt ? prompt.textContent.trim() : '',
      text: outputs ? outputs.innerText : '',
      stderr: Array.from(cell.querySelectorAll(`.jp-OutputArea-output[data-mime-type="%s"]`))
        .map(o => o.innerText),
      // a plot: a plain image output, or a figure shown as HTML (checks.figures.show: <figure><img alt>)
      images: Array.from(cell.querySelectorAll('.jp-OutputArea img'))
        .map(img => ({src: img.src, width: img.naturalWidth, height: img.naturalHeight, complete: img.complete,
                      alt: img.getAttribute('alt'), figure: Boolean(img.closest('figure'))})),
      widgets: cell.querySelectorAll('.jupyter-widgets').length,
      // what the cell's outputs show besides widget controls: plain outputs, and Output widgets' contents
      drawn: Array.from(cell.querySelectorAll('.jp-Cell-outputArea .jp-OutputArea-output'))
        .filter(o => !o.querySelector('.jupyter-widgets:not(.widget-output)') || o.closest('.widget-output'))
        .map(o => o.innerText).join('\\n'),
      // outputs of the cell itself (not inside an Output widget) that are widget views
      widget_views: Array.from(cell.querySelectorAll('.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output'))
        .filter(o => o.classList.contains('jupyter-widgets') || o.querySelector(':scope > .jupyter-widgets')).length,
      sliders: cell.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider').length,
    };
  })
"""  # noqa: E501, UP031 (JavaScript: braces are its own, so % fills the one blank)
    % STDERR
)


CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"
# What a learner operates in a widget: form controls, and what ARIA makes one (noUiSlider's handle).
CONTROLS = (
    "input:not([type=hidden]), select, textarea, button, [role=slider], [role=checkbox], [role=switch], "
    "[role=spinbutton], [role=combobox], [role=textbox]"
)
ACTIVE_CELL = (
    f"() => Array.from(document.querySelectorAll('{CELLS}')).findIndex(c => c.classList.contains('jp-mod-active'))"
)
# The focused element: in which cell, whether inside a widget, what kind of control, its value and name.
FOCUSED = """
(target) => {
  const e = document.activeElement;
  const cells = Array.from(document.querySelectorAll('%s'));
  const cell = e && e.closest ? cells.indexOf(e.closest('.jp-Cell')) : -1;
  const widget = Boolean(cell === target && e.closest('.jupyter-widgets') && e.matches('%s'));
  const role = e.getAttribute('role');
  const type = (e.getAttribute('type') || '').toLowerCase();
  const kind = role === 'slider' || type === 'range' ? 'slider'
    : e.tagName === 'SELECT' ? 'select'
    : type === 'checkbox' || role === 'checkbox' || role === 'switch' ? 'checkbox'
    : e.tagName === 'BUTTON' && e.closest('.widget-toggle-buttons, .widget-toggle-button') ? 'toggle'
    : e.tagName === 'BUTTON' ? 'button'
    : e.tagName === 'TEXTAREA' || e.tagName === 'INPUT' ? 'text' : 'other';
  const value = role === 'slider' ? e.getAttribute('aria-valuenow')
    : e.tagName === 'SELECT' ? Array.from(e.selectedOptions).map(o => o.textContent).join(', ')
    : 'value' in e ? e.value : e.textContent;
  return {cell, widget, kind, value, name: e.getAttribute('aria-label') || e.textContent.trim()};
}
""" % (CELLS, CONTROLS.replace("'", "\\'"))  # noqa: UP031 (JavaScript braces, as above)


@dataclass
class Cell:
    index: int
    kind: str
    prompt: str
    text: str
    stderr: list[str]
    images: list[dict]
    widgets: int
    drawn: str
    widget_views: int
    sliders: int
    tags: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def executed(self) -> bool:
        return self.prompt.strip("[]: ").isdigit()

    @property
    def runs(self) -> bool:
        """JupyterLab sends a code cell to the kernel unless its source is blank."""
        return self.kind == "code" and bool(self.source.strip())


class NotebookPage:
    def __init__(self, page, lab, relative_path: str, notebook):
        self.page, self.lab, self.path, self.notebook = page, lab, relative_path, notebook

    # -- opening ----------------------------------------------------------------------------------
    def open(self, timeout: float = 120) -> None:
        page = self.page
        # A workspace of its own, so JupyterLab does not reopen the notebooks of earlier tests.
        workspace = self.path.replace("/", "-").removesuffix(".ipynb")
        page.goto(self.lab.url(f"lab/workspaces/{workspace}/tree/{self.path}"), wait_until="domcontentloaded")
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell", timeout=timeout * 1000)
        expected = len(self.notebook.cells)
        self._wait(
            lambda: self._cell_count() == expected,
            timeout,
            lambda: f"{self._cell_count()} of {expected} cells on the page",
        )
        # A learner picks the course's kernel if JupyterLab asks; normally the notebook names it.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if page.locator(".jp-Dialog").count():
                self._pick_kernel_in_dialog()
            if self.kernel_name() == KERNEL_DISPLAY_NAME and self.status() == "idle":
                break
            time.sleep(0.25)
        else:
            raise AssertionError(
                f"{self.path}: kernel not ready after {timeout} s "
                f"(toolbar shows {self.kernel_name()!r}, status {self.status()!r})"
            )
        # Hide the file browser, as a learner reading a notebook does (Ctrl+B in command mode).
        page.locator(".jp-NotebookPanel-notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Escape")
        page.keyboard.press("Control+b")

    def _pick_kernel_in_dialog(self) -> None:
        dialog = self.page.locator(".jp-Dialog").first
        select = dialog.locator("select")
        if select.count():
            select.first.select_option(value=KERNEL_NAME) if select.first.locator(
                f'option[value="{KERNEL_NAME}"]'
            ).count() else select.first.select_option(label=KERNEL_DISPLAY_NAME)
        dialog.locator(".jp-mod-accept").first.click()

    def _cell_count(self) -> int:
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").count()

    def kernel_name(self) -> str:
        name = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName")
        return name.first.inner_text().strip() if name.count() else ""

    def status(self) -> str:
        indicator = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator")
        return (indicator.first.get_attribute("data-status") or "") if indicator.count() else ""

    # -- running ----------------------------------------------------------------------------------
    def menu(self, menu: str, item: str) -> None:
        self.page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=menu).first.click()
        entry = self.page.locator(
            ".lm-Menu:not(.lm-MenuBar) .lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel"
        ).filter(has_text=item)
        entry.first.click()

    def run_all(self, timeout: float) -> None:
        """Run → Run All Cells; wait until the kernel is idle and no cell is queued."""
        self.menu("Run", "Run All Cells")
        self.wait_idle(timeout)

    def wait_idle(self, timeout: float) -> None:
        """Idle, no `[*]` prompt, and the same for a whole second (cells are queued one by one)."""
        steady_since = None
        deadline = time.monotonic() + timeout
        while True:
            self.fail_on_dialog()
            prompts = self.page.eval_on_selector_all(
                ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-InputPrompt",
                "els => els.map(e => e.textContent)",
            )
            quiet = self.status() == "idle" and not any("*" in p for p in prompts)
            now = time.monotonic()
            if quiet:
                steady_since = steady_since or now
                if now - steady_since >= 1.0:
                    return
            else:
                steady_since = None
            if now > deadline:
                raise AssertionError(f"{self.path}: still running after {timeout:.0f} s; prompts {prompts}")
            time.sleep(0.25)

    def fail_on_dialog(self) -> None:
        """A dialog mid-run (kernel died or restarted) is something a learner would be stuck on."""
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count():
            raise AssertionError(f"{self.path}: JupyterLab shows a dialog: {dialog.first.inner_text()!r}")

    # -- reading ----------------------------------------------------------------------------------
    def cells(self) -> list[Cell]:
        raw = self.page.evaluate(READ_CELLS)
        cells = [Cell(index=i, **values) for i, values in enumerate(raw)]
        for cell, source in zip(cells, self.notebook.cells):
            cell.tags = list(source.get("metadata", {}).get("tags", []))
            cell.source = source.source
        return cells

    def wait_images_loaded(self, timeout: float = 30) -> None:
        self._wait(
            lambda: self.page.evaluate(
                "() => Array.from(document.querySelectorAll('.jp-OutputArea img')).every(i => i.complete)"
            ),
            timeout,
            lambda: "images still loading",
        )

    # -- widgets ----------------------------------------------------------------------------------
    def widget_controls(self, cell_index: int) -> list[dict]:
        """Every control of the cell's widgets, with the role and accessible name the browser gives it.

        The name is Playwright's reading of the accessibility tree (its `aria_snapshot`), as a screen
        reader would announce it: a description tied to the control, an aria-label, a button's text.
        """
        controls = self._cell(cell_index).locator(f".jupyter-widgets :is({CONTROLS})")
        found = []
        for i in range(controls.count()):
            control = controls.nth(i)
            if not control.is_visible():
                continue
            snapshot = control.aria_snapshot().strip().splitlines()
            match = re.match(r'- (\w+)(?: "((?:[^"\\]|\\.)*)")?', snapshot[0]) if snapshot else None
            found.append(
                {
                    "role": match[1] if match else "",
                    "name": (match[2] or "") if match else "",
                    "html": control.evaluate("e => e.outerHTML.slice(0, 300)"),
                }
            )
        return found

    def change_by_keyboard(self, cell_index: int, text: str | None = None, max_tabs: int = 20) -> str | None:
        """Reach the cell's first operable widget control with the keyboard alone, and change it.

        From the notebook in command mode: arrow keys make the cell active, Tab walks its tab stops
        into its widgets. A slider gets an arrow key; a drop-down is opened with Alt+ArrowDown, then
        given `text` typed (its options' first letters pick one, as notebook 5 tells learners) or, without
        `text`, the next option with ArrowDown, and Enter; a check box or toggle button gets Space, a text
        box `text` typed and Enter (only when given: what is valid input depends on the notebook), a
        button Enter. Returns what was done, or None when Tab found no control it could change.
        """
        page = self.page
        self._select_cell_by_keyboard(cell_index)
        inside = False
        for _ in range(max_tabs):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED, cell_index)
            if focused["cell"] != cell_index and inside:
                return None  # Tab left the cell: no control it could change
            inside = inside or focused["cell"] == cell_index
            if not focused["widget"]:
                continue
            kind, value = focused["kind"], focused["value"]
            if kind == "slider":
                page.keyboard.press("ArrowRight")
                if page.evaluate(FOCUSED, cell_index)["value"] == value:  # already at its maximum
                    page.keyboard.press("ArrowLeft")
                return f"slider {value} -> {page.evaluate(FOCUSED, cell_index)['value']} (keyboard)"
            if kind == "select":
                # Alt+ArrowDown opens the list, as in any page; a bare ArrowDown would not reach a
                # drop-down in a notebook: JupyterLab's command mode takes it to move to the next cell.
                # Typing while the list is open picks the option those letters begin (JupyterLab's
                # one-letter commands, A, B, M..., would take them were the list closed).
                if text is not None:
                    page.keyboard.press("Alt+ArrowDown")
                    page.keyboard.type(text)
                    page.keyboard.press("Enter")
                    picked = page.evaluate(FOCUSED, cell_index)["value"]
                    if not picked.lower().startswith(text.lower()):
                        raise AssertionError(f"{self.path}: {text!r} typed into the open drop-down picked {picked!r}")
                    return f"select {value!r} -> {picked!r} (keyboard: Alt+ArrowDown, {text!r} typed, Enter)"
                for key in ("ArrowDown", "ArrowUp"):  # ArrowUp if it was the last option
                    page.keyboard.press("Alt+ArrowDown")
                    page.keyboard.press(key)
                    page.keyboard.press("Enter")
                    if page.evaluate(FOCUSED, cell_index)["value"] != value:
                        break
                return f"select {value!r} -> {page.evaluate(FOCUSED, cell_index)['value']!r} (keyboard)"
            if kind in ("checkbox", "toggle"):
                page.keyboard.press("Space")
                return f"{kind} (keyboard)"
            if kind == "text" and text is not None:
                page.keyboard.press("Control+a")
                page.keyboard.type(text)
                page.keyboard.press("Enter")
                return f"text {value!r} -> {text!r} (keyboard)"
            if kind == "button":
                page.keyboard.press("Enter")
                return f"button {focused['name']!r} (keyboard)"
        return None

    def _select_cell_by_keyboard(self, cell_index: int, max_moves: int = 400) -> None:
        """Command mode, then ArrowUp/ArrowDown until the cell is the active one (the cell has the focus)."""
        page = self.page
        active = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-mod-active"
        page.locator(active).first.focus()  # where the notebook's keyboard focus is: the active cell
        page.keyboard.press("Escape")
        for _ in range(max_moves):
            now = page.evaluate(ACTIVE_CELL)
            if now == cell_index:
                return
            page.keyboard.press("ArrowDown" if now < cell_index else "ArrowUp")
        raise AssertionError(f"{self.path}: the arrow keys did not reach cell {cell_index}")

    def _cell(self, cell_index: int):
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(cell_index)

    # -- pictures ---------------------------------------------------------------------------------
    @contextmanager
    def whole_notebook_in_view(self, max_height: int = 20_000):
        """The viewport as tall as the notebook, while inside: every cell and output on screen at once
        (for one picture of it all, and for the audit, which checks colour only on what is on screen)."""
        page = self.page
        viewport = page.viewport_size
        extra = page.evaluate("""() => {
            const outer = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
            const cells = outer ? outer.querySelectorAll('.jp-Cell') : [];
            if (!cells.length) return 0;
            outer.scrollTop = 0;
            const last = cells[cells.length - 1].getBoundingClientRect().bottom;
            return Math.max(0, Math.ceil(last - outer.getBoundingClientRect().bottom + 24));
        }""")
        page.set_viewport_size({"width": viewport["width"], "height": min(viewport["height"] + extra, max_height)})
        try:
            page.wait_for_timeout(500)
            self.wait_images_loaded()
            yield
        finally:
            page.set_viewport_size(viewport)

    def screenshot_whole_notebook(self, path: Path) -> None:
        """The page as tall as the notebook, so one picture shows every cell and output."""
        with self.whole_notebook_in_view():
            path.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path))

    def screenshot_view(self, path: Path, cell_index: int | None) -> None:
        """One 1280x900 view of a cell's outputs, saved as a small palette PNG for the README."""
        from PIL import Image

        if cell_index is not None:
            self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(
                cell_index
            ).evaluate("""cell => {
                    // the widget's controls (or the plot, or the outputs) near the top, a little code above
                    const target = cell.querySelector('.jp-Cell-outputArea .jupyter-widgets')
                        || cell.querySelector('.jp-Cell-outputArea img')
                        || cell.querySelector('.jp-Cell-outputWrapper') || cell;
                    target.scrollIntoView({block: 'start'});
                    const outer = cell.closest('.jp-WindowedPanel-outer');
                    if (outer) outer.scrollTop -= 120;
                }""")
            self.page.wait_for_timeout(300)
        self.wait_images_loaded()  # a plot the widget just redrew may still be on its way
        png = self.page.screenshot()
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path, optimize=True)

    # -- helpers ----------------------------------------------------------------------------------
    def _wait(self, condition, timeout: float, describe) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.path}: timed out after {timeout:.0f} s: {describe()}")
            time.sleep(0.2)
