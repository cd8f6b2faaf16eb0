"""The course notebooks' transformations: their one canonical form, the learner copy, an exercise's
cells, and running a notebook to store its outputs. ``tools/generate.py`` applies them (``make
notebooks``, ``make execute``).

``solutions/`` is the source. From each solution notebook the learner notebook in ``notebooks/`` is
derived: every region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes the chapter's
``# CODE HERE`` / ``pass`` placeholder, and outputs are cleared. Both folders are written in one
normalised format, so a diff shows only what an author changed.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from checks import record
from checks.learner_work import definition_of

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LEARNER = ROOT / "notebooks"
KERNEL = {"name": "embedding-matrix", "display_name": "Embedding Matrix (TF 2.21)", "language": "python"}
SOLUTION_REGION = re.compile(
    r"^(?P<indent>[ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)",
    re.MULTILINE | re.DOTALL,
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The learner notebooks' first code cell: outside the course folder (Colab, a notebook copied on its
# own) it fetches the course, installs its `checks` package, and works from the course's notebooks/
# folder, where the notebooks' relative paths (../data, ../notebooks) hold. EMBEDDING_COURSE_SOURCE
# may name a local copy (a folder) or another archive instead of the repository's.
FETCH_COURSE = """\
# Outside the course folder (Colab, say) this fetches the course first; inside it, it does nothing.
import os, pathlib
try:
    import checks
except ModuleNotFoundError:
    import shutil, subprocess, sys, tempfile, urllib.request, zipfile
    source = os.environ.get("EMBEDDING_COURSE_SOURCE", "{archive}")
    course = pathlib.Path(source if os.path.isdir(source) else "embedding-matrix-course").resolve()
    if not course.is_dir():
        with tempfile.TemporaryDirectory() as unpacked:
            with zipfile.ZipFile(urllib.request.urlretrieve(source)[0]) as archive:
                archive.extractall(unpacked)
            shutil.move(next(pathlib.Path(unpacked).iterdir()), course)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(course)], check=True)
    sys.path.insert(0, str(course))  # the install counts from the next session on; this one needs the path
    import checks
    print(f"The course is installed from {{source}}.")
# Whatever ran before (a restarted Colab session starts in /content), work in the course's notebooks/
# folder, where ../data and the other notebooks are.
course_notebooks = pathlib.Path(checks.__file__).resolve().parent.parent / "notebooks"
if course_notebooks.is_dir() and pathlib.Path.cwd() != course_notebooks:
    os.chdir(course_notebooks)
    print(f"Working in {{course_notebooks}}.")"""

# Cell metadata that carries meaning (nbval and the tests read tags; nbgrader reads its own, which
# nbgrader_metadata writes); the rest is editor state. The learner copies keep nbgrader's too, as
# nbgrader's own release copies do: nbgrader's autograde finds a submission's cells by their grade_id,
# so a learner's copy of notebooks/ can be autograded, and without nbgrader the metadata does nothing.
KEPT_CELL_METADATA = ("tags", "nbgrader")
CHECK_CALL = re.compile(r"\bchecks\.(\w+)\.check\(")
#: A cell's id in the canonical form, which a cell keeps once it has it.
CELL_ID = re.compile(r"cell-[0-9]{2,6}")
#: The id of the cell a learner copy adds to fetch the course outside it.
FETCH_CELL_ID = "fetch-course"
NBGRADER_SCHEMA = 3


def nbgrader_metadata(cell) -> dict | None:
    """The nbgrader metadata a cell must carry, so that nbgrader's generate_assignment and autograde work
    on the course: every cell with a solution region is a solution cell (nbgrader refuses a region in
    any other cell), and the check cell of each graded exercise is a locked test cell worth the
    exercise's points. Other cells need none."""
    if cell.cell_type != "code":
        return None
    import checks

    if SOLUTION_REGION.search(cell.source):
        exercise = next(
            (ex.name for ex in checks.EXERCISES.values() if definition_of(ex.answer_name).search(cell.source)), None
        )
        return {
            "grade": False,
            "solution": True,
            "locked": False,
            "schema_version": NBGRADER_SCHEMA,
            "grade_id": f"{exercise or cell.id}-solution",
        }
    called = CHECK_CALL.search(cell.source)
    if "check" in cell.metadata.get("tags", []) and called and checks.EXERCISES[called[1]].graded:
        return {
            "grade": True,
            "solution": False,
            "locked": True,
            "points": checks.EXERCISES[called[1]].points,
            "schema_version": NBGRADER_SCHEMA,
            "grade_id": f"{called[1]}-check",
        }
    return None


def strip_solutions(source: str) -> str:
    return SOLUTION_REGION.sub(lambda m: f"{m['indent']}# CODE HERE\n{m['indent']}pass\n", source).rstrip("\n")


def formatted(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The canonical form: fixed kernel metadata, stable cell ids (``stable_ids``), no editor or widget state."""
    nb = copy.deepcopy(nb)
    nb.metadata = nbformat.from_dict(
        {
            "kernelspec": KERNEL,
            "language_info": {"name": "python"},
        }
    )
    nb.nbformat, nb.nbformat_minor = 4, 5
    stable_ids(nb.cells)
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA})
        if isinstance(cell.source, list):
            cell.source = "".join(cell.source)
        cell.source = cell.source.rstrip("\n")
        grading = nbgrader_metadata(cell)  # other cells keep what an author gave them (a manually graded cell)
        if grading:
            cell.metadata.nbgrader = grading
        for output in cell.get("outputs", []):
            # A widget view points at widget state the notebook does not keep, under a model id that
            # changes on every run; its text/plain fallback stays.
            output.get("data", {}).pop(WIDGET_VIEW, None)
            # The attempt record of the author's run (times, ids): a solution notebook is no learner's work.
            output.get("metadata", {}).pop(record.RECORD_KEY, None)
        if cell.cell_type == "code":
            cell.outputs = _joined_streams(cell.outputs)
    return nb


def stable_ids(cells: list) -> None:
    """Give every cell a unique id of the canonical form (``CELL_ID``), keeping each it has: only a new
    cell (no such id) or a copy (an id an earlier cell has) gets a fresh one, numbered after the highest.
    So inserting a cell changes that cell's id alone."""
    kept, fresh = set(), []
    for cell in cells:
        if CELL_ID.fullmatch(cell.get("id") or "") and cell.id not in kept:
            kept.add(cell.id)
        else:
            fresh.append(cell)
    highest = max((int(cell_id.removeprefix("cell-")) for cell_id in kept), default=0)
    for number, cell in enumerate(fresh, start=highest + 1):
        cell.id = f"cell-{number:02d}"


def _joined_streams(outputs: list) -> list:
    """A cell's printed text as one output per run of stdout (or stderr): how the kernel cut it into
    messages depends on timing, so the stored form must not."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            joined.append(output)
    return joined


def learner_version(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = formatted(solution)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs = []
            cell.execution_count = None
            if "check" in cell.metadata.get("tags", []):
                # Until solved, a check cell raises; with this tag JupyterLab's "Run All" goes on
                # past it instead of stopping at the first exercise.
                cell.metadata.tags = cell.metadata.tags + ["raises-exception"]
    return nb


def add_exercise_cells(nb: nbformat.NotebookNode, notebook: str) -> bool:
    """Give each exercise of ``notebook`` (graded or practice) its check cell and its hint cell, right
    after the cell whose solution region answers it, and, for an exercise with variants, its task cell
    (``checks.<exercise>.task()``, which shows the learner's own task) right before it, where the
    notebook has none yet. Returns whether it changed."""
    import checks

    changed = False
    for exercise in (ex for ex in checks.EXERCISES.values() if ex.notebook == notebook):
        changed = add_task_cell(nb, exercise) or changed
        answer = answer_cell(nb, exercise)
        calls = re.compile(rf"\bchecks\.{re.escape(exercise.name)}\.check\(")
        if answer is None or any(calls.search(cell.source) for cell in nb.cells if cell.cell_type == "code"):
            continue
        check = nbformat.v4.new_code_cell(
            f"checks.{exercise.name}.check({exercise.answer_name})", metadata={"tags": ["check"]}
        )
        helping = nbformat.v4.new_code_cell(
            "# Remove the # in front of a line and run the cell if you want help.\n"
            f"# checks.{exercise.name}.hint()\n# checks.{exercise.name}.solution()"
        )
        nb.cells[answer + 1 : answer + 1] = [check, helping]
        changed = True
    return changed


def add_task_cell(nb: nbformat.NotebookNode, exercise) -> bool:
    """The cell that shows an exercise's task, right before the cell that answers it, for an exercise
    with variants (each learner's task may be another), where the notebook has none yet."""
    import checks

    call = f"checks.{exercise.name}.task()"
    if len(checks.registry.variants(exercise.name)) < 2 or any(call in cell.source for cell in nb.cells):
        return False
    answer = answer_cell(nb, exercise)
    if answer is None:
        return False
    nb.cells.insert(answer, nbformat.v4.new_code_cell(f"{call}  # your task: run this cell to read it"))
    return True


def answer_cell(nb: nbformat.NotebookNode, exercise) -> int | None:
    """The index of the first code cell whose solution region answers ``exercise`` (defines its answer)."""
    defines = definition_of(exercise.answer_name)
    return next(
        (
            i
            for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and SOLUTION_REGION.search(cell.source) and defines.search(cell.source)
        ),
        None,
    )


def learner_copy(solution: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """What learners open: the learner version, runnable outside the course folder."""
    return runnable_anywhere(learner_version(solution), name)


def with_answers(learner: dict, solution: dict) -> int:
    """Put the answers back into a learner notebook (as JSON): each placeholder cell becomes the solution
    cell it was generated from. Returns how many cells got their answer. Tests use it to stand in for a
    learner who solved the exercises."""
    answers = {
        strip_solutions(source): source
        for source in ("".join(cell["source"]) for cell in solution["cells"])
        if SOLUTION_REGION.search(source)
    }
    pasted = 0
    for cell in learner["cells"]:
        answer = answers.get("".join(cell["source"]))
        if cell["cell_type"] == "code" and answer is not None:
            cell["source"], pasted = answer, pasted + 1
    return pasted


def repository() -> str:
    """The course's repository, from pyproject.toml: a fork changes it there, in one place."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def launch_links(name: str) -> str:
    github = repository().removeprefix("https://github.com/")
    return (
        f"[Open in Colab](https://colab.research.google.com/github/{github}/blob/main/notebooks/{name}.ipynb)"
        f" · [Launch Binder](https://mybinder.org/v2/gh/{github}/main?urlpath=lab/tree/notebooks/{name}.ipynb)"
    )


def runnable_anywhere(learner: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The learner notebook with Colab and Binder links under its title and, before its first code
    cell, the cell that fetches the course when the notebook runs outside it."""
    nb = copy.deepcopy(learner)
    title, _, rest = nb.cells[0].source.partition("\n")
    nb.cells[0].source = f"{title}\n\n{launch_links(name)}\n{rest}".rstrip("\n")
    first_code = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    fetch = nbformat.v4.new_code_cell(FETCH_COURSE.format(archive=f"{repository()}/archive/refs/heads/main.zip"))
    fetch.id = FETCH_CELL_ID  # the other cells keep their solution cells' ids
    nb.cells.insert(first_code, fetch)
    return nb


def text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb, version=4) + "\n"


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def solution_paths(names: list[str] | None = None) -> list[Path]:
    paths = sorted(SOLUTIONS.glob("*.ipynb"))
    if names:
        paths = [p for p in paths if p.stem in names or p.name in names]
    return paths


def execute(path: Path, timeout: int = 300) -> None:
    from nbclient import NotebookClient

    nb = read(path)
    NotebookClient(
        nb, timeout=timeout, kernel_name=KERNEL["name"], resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    path.write_text(text(formatted(nb)))
