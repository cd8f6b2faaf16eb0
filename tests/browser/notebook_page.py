"""Drive one notebook in JupyterLab as a learner does, and read back what the page shows.

Actions go through the UI (the Run menu, the keyboard, the widgets' own controls); what is asserted is
read from the page's DOM, cell by cell, in notebook order.
"""
from __future__ import annotations

import io
import os
import time
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
READ_CELLS = """
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
      images: Array.from(cell.querySelectorAll('.jp-OutputArea img'))
        .map(img => ({src: img.src, width: img.naturalWidth, height: img.naturalHeight, complete: img.complete})),
      widgets: cell.querySelectorAll('.jupyter-widgets').length,
      // outputs of the cell itself (not inside an Output widget) that are widget views
      widget_views: Array.from(cell.querySelectorAll('.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output'))
        .filter(o => o.classList.contains('jupyter-widgets') || o.querySelector(':scope > .jupyter-widgets')).length,
      sliders: cell.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider').length,
    };
  })
""" % STDERR


@dataclass
class Cell:
    index: int
    kind: str
    prompt: str
    text: str
    stderr: list[str]
    images: list[dict]
    widgets: int
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
        self._wait(lambda: self._cell_count() == expected, timeout,
                   lambda: f"{self._cell_count()} of {expected} cells on the page")
        # A learner picks the course's kernel if JupyterLab asks; normally the notebook names it.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if page.locator(".jp-Dialog").count():
                self._pick_kernel_in_dialog()
            if self.kernel_name() == KERNEL_DISPLAY_NAME and self.status() == "idle":
                break
            time.sleep(0.25)
        else:
            raise AssertionError(f"{self.path}: kernel not ready after {timeout} s "
                                 f"(toolbar shows {self.kernel_name()!r}, status {self.status()!r})")
        # Hide the file browser, as a learner reading a notebook does (Ctrl+B in command mode).
        page.locator(".jp-NotebookPanel-notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Escape")
        page.keyboard.press("Control+b")

    def _pick_kernel_in_dialog(self) -> None:
        dialog = self.page.locator(".jp-Dialog").first
        select = dialog.locator("select")
        if select.count():
            select.first.select_option(value=KERNEL_NAME) if select.first.locator(
                f'option[value="{KERNEL_NAME}"]').count() else select.first.select_option(label=KERNEL_DISPLAY_NAME)
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
        entry = self.page.locator(".lm-Menu:not(.lm-MenuBar) .lm-Menu-item:not(.lm-mod-disabled)"
                                  " .lm-Menu-itemLabel").filter(has_text=item)
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
                "els => els.map(e => e.textContent)")
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
        self._wait(lambda: self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-OutputArea img')).every(i => i.complete)"),
            timeout, lambda: "images still loading")

    # -- widgets ----------------------------------------------------------------------------------
    def change_first_control(self, cell_index: int, text: str | None = None) -> str | None:
        """Move the first control of a cell's widgets as a learner would; return what was moved.

        Sliders get an arrow key, drop-downs and lists another option, toggle buttons and radio buttons
        another choice; a text box gets `text` and Enter (only when given: what is valid input depends
        on the notebook); failing those, a button is clicked.
        """
        cell = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(cell_index)
        handle = cell.locator(".widget-slider .noUi-handle, .widget-hslider .noUi-handle, .widget-vslider .noUi-handle")
        if handle.count():
            handle.first.scroll_into_view_if_needed()
            handle.first.focus()
            before = handle.first.get_attribute("aria-valuenow")
            handle.first.press("ArrowRight")
            if handle.first.get_attribute("aria-valuenow") == before:  # already at its maximum
                handle.first.press("ArrowLeft")
                handle.first.press("ArrowLeft")
            return f"slider {before} -> {handle.first.get_attribute('aria-valuenow')}"
        select = cell.locator(".widget-dropdown select, .widget-select select, .widget-select-multiple select")
        if select.count():
            options = select.first.locator("option").all_inner_texts()
            chosen = select.first.evaluate("s => Array.from(s.selectedOptions).map(o => o.textContent)")
            other = next((o for o in options if o not in chosen), None)
            if other is not None:
                select.first.select_option(label=other)
                return f"select {chosen} -> {other!r}"
        choice = cell.locator(".widget-toggle-buttons button:not(.mod-active), .widget-radio-box input:not(:checked)")
        if choice.count():
            choice.first.click()
            return "toggle/radio"
        box = cell.locator(".widget-text input, .widget-textarea textarea")
        if text is not None and box.count():
            box.first.fill(text)
            box.first.press("Enter")
            return f"text {text!r}"
        button = cell.locator("button.jupyter-button:not(.widget-toggle-button)")
        if button.count():
            label = button.first.inner_text()
            button.first.click()
            return f"button {label!r}"
        return None

    # -- pictures ---------------------------------------------------------------------------------
    def screenshot_whole_notebook(self, path: Path, max_height: int = 20_000) -> None:
        """The page as tall as the notebook, so one picture shows every cell and output."""
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
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path))
        finally:
            page.set_viewport_size(viewport)

    def screenshot_view(self, path: Path, cell_index: int | None) -> None:
        """One 1280x900 view of a cell's outputs, saved as a small palette PNG for the README."""
        from PIL import Image

        if cell_index is not None:
            self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(
                cell_index).evaluate("""cell => {
                    // the widget's controls (or the plot, or the outputs) near the top, a little code above
                    const target = cell.querySelector('.jp-Cell-outputArea .jupyter-widgets')
                        || cell.querySelector('.jp-Cell-outputArea img')
                        || cell.querySelector('.jp-Cell-outputWrapper') || cell;
                    target.scrollIntoView({block: 'start'});
                    const outer = cell.closest('.jp-WindowedPanel-outer');
                    if (outer) outer.scrollTop -= 120;
                }""")
            self.page.wait_for_timeout(300)
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
