"""The release's learner notebooks run top to bottom against the RELEASE's `checks` (not the
repository's, which has the solutions): unattempted, every check says so; with the answers pasted in
from solutions/, every check passes and notebook 5 trains with them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import checks
from tools import notebooks

pytestmark = pytest.mark.slow(minutes=2)  # runs whole notebooks: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "embedding-matrix"
WHERE = "import checks; print(checks.__file__)"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release")
    completed = subprocess.run(
        [sys.executable, "-m", "tools.release", "learners", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    with zipfile.ZipFile(next(out.glob("*.zip"))) as archive:
        archive.extractall(out / "unpacked")
    return next((out / "unpacked").iterdir())


@pytest.fixture
def release_first(release, monkeypatch):
    """Kernels started now import the release's checks: its folder comes first on their path."""
    monkeypatch.setenv("PYTHONPATH", str(release))
    return release


def run(folder: Path, name: str) -> tuple[nbformat.NotebookNode, str | None]:
    """Execute notebooks/<name> of ``folder`` as "Run All" does; return it, and the error that stopped it."""
    path = folder / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(WHERE))
    client = NotebookClient(nb, timeout=600, kernel_name=KERNEL, resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        return nb, exc.ename
    return nb, None


def text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts += [
            str(v) for k, v in output.get("data", {}).items() if k in ("text/plain", "text/html", "text/markdown")
        ]
        if output.get("output_type") == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join(parts)


def check_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and "check" in c.metadata.get("tags", [])]


def test_unattempted_every_check_says_so(release_first):
    for path in sorted((release_first / "notebooks").glob("*.ipynb")):
        nb, stopped = run(release_first, path.name)
        assert text(nb.cells[0]).strip() == str(release_first / "checks" / "__init__.py"), path.name
        if path.name == "05_training.ipynb":  # nothing to train with: stops at once, and says why
            assert stopped == "ReferenceWithheld"
            load = next(c for c in nb.cells if c.cell_type == "code" and "learner_work.load(" in c.source)
            assert "not released" in text(load) and "04_time_to_code.ipynb" in text(load)
            continue
        assert stopped is None, path.name
        for cell in check_cells(nb):
            assert "not attempted" in text(cell).lower(), (path.name, text(cell))


def paste_answers(folder: Path, name: str) -> int:
    """Each learner cell with a `# CODE HERE` placeholder replaced by the solution notebook's cell."""
    path = folder / "notebooks" / name
    learner = json.loads(path.read_text())
    solution = json.loads((ROOT / "solutions" / name).read_text())
    pasted = notebooks.with_answers(learner, solution)
    path.write_text(json.dumps(learner))
    return pasted


def test_with_the_answers_pasted_in_every_check_passes(release, tmp_path, monkeypatch):
    folder = tmp_path / release.name
    shutil.copytree(release, folder)
    monkeypatch.setenv("PYTHONPATH", str(folder))
    graded = sorted({f"{ex.notebook}.ipynb" for ex in checks.ASSIGNMENT})
    for name in graded:
        assert paste_answers(folder, name) >= 1, name
    for name in sorted(set(graded) | {"05_training.ipynb"}):
        nb, stopped = run(folder, name)
        assert stopped is None, name
        assert text(nb.cells[0]).strip() == str(folder / "checks" / "__init__.py")
        assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", [])), name
        for cell in check_cells(nb):
            assert "not attempted" not in text(cell).lower(), (name, text(cell))
            assert "Correct" in text(cell), (name, text(cell))
        if name == "05_training.ipynb":
            load = next(c for c in nb.cells if c.cell_type == "code" and "learner_work.load(" in c.source)
            trained_with = [ex for ex in checks.ASSIGNMENT if ex.notebook == "04_time_to_code"]
            assert text(load).count("your exercise passes") == len(trained_with), text(load)
