"""The notebooks as a whole: canonical form, generated learner copies, the chapter's skeleton kept,
and learner notebooks that run top to bottom with only the not-yet-attempted checks failing."""

import re

import nbformat
import pytest
from nbclient import NotebookClient

import checks
from tools import notebooks as tool

SOLUTIONS = sorted(tool.SOLUTIONS.glob("*.ipynb"))
LEARNER = sorted(tool.LEARNER.glob("*.ipynb"))
CHECK_CALL = re.compile(r"checks\.\w+\.check\(")
EXERCISES = list(checks.EXERCISES.values())


def code_sources(path):
    return [c.source for c in nbformat.read(path, 4).cells if c.cell_type == "code"]


def test_the_course_has_its_notebooks():
    names = [p.stem for p in SOLUTIONS]
    for expected in ("01_creating_variables", "02_initializers", "03_embedding_lookup", "04_time_to_code"):
        assert expected in names


def test_every_generated_file_is_what_the_pipeline_writes():
    # notebooks/, the canonical solutions/, the Classroom workflow, the otter tests, the docs' table
    from tools import generate

    assert generate.out_of_date() == [], "run `make notebooks` and commit what it writes"


def test_an_exercise_needs_only_its_answer_cell_the_pipeline_adds_its_check_and_hint_cells():
    import copy

    nb = tool.read(tool.SOLUTIONS / "04_time_to_code.ipynb")
    assert not tool.add_exercise_cells(copy.deepcopy(nb), "04_time_to_code")  # it has them: nothing to add
    without = copy.deepcopy(nb)
    without.cells = [c for c in without.cells if "checks.forward." not in c.source]
    assert tool.add_exercise_cells(without, "04_time_to_code")
    sources = [c.source for c in without.cells]
    answer = next(i for i, c in enumerate(without.cells) if "class EmbeddingModel" in c.source)
    assert sources[answer + 1] == "checks.forward.check(EmbeddingModel)"
    assert without.cells[answer + 1].metadata.tags == ["check"]
    assert "# checks.forward.hint()" in sources[answer + 2] and "# checks.forward.solution()" in sources[answer + 2]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_each_notebook_opens_with_setup_and_closes_with_a_summary(path):
    nb = nbformat.read(path, 4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "prepare(seed=" in code_sources(path)[0]
    assert nb.cells[-1].cell_type == "markdown" and nb.cells[-1].source.startswith("## Summary")


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_each_notebook_ends_with_where_to_go_next(path):
    summary = nbformat.read(path, 4).cells[-1].source
    following = [p for p in SOLUTIONS if p > path]
    if following:  # the next notebook is named by its number
        assert f"notebook {int(following[0].stem[:2])}" in summary.split("\n\n")[-1], "say which notebook comes next"
    else:
        assert "further" in summary.split("\n\n")[-1], "the last notebook says where to go further"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_check_cells_are_tagged(path):
    for cell in nbformat.read(path, 4).cells:
        if cell.cell_type == "code":
            calls_check = bool(CHECK_CALL.search(cell.source)) and not cell.source.lstrip().startswith("#")
            assert calls_check == ("check" in cell.metadata.get("tags", [])), cell.source


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_learner_notebook_keeps_the_chapters_skeleton_verbatim(exercise):
    learner = tool.LEARNER / f"{exercise.notebook}.ipynb"
    assert exercise.skeleton.rstrip("\n") in code_sources(learner)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_the_notebook_checks_the_exercise_in_a_tagged_cell(exercise):
    # The check runs where the exercise is asked, and the graded ones in the order of checks.ASSIGNMENT.
    call = f"checks.{exercise.name}.check("
    checked = [
        c
        for c in nbformat.read(tool.SOLUTIONS / f"{exercise.notebook}.ipynb", 4).cells
        if c.cell_type == "code" and call in c.source
    ]
    assert checked and all("check" in c.metadata.get("tags", []) for c in checked)


def test_the_assignment_is_in_the_order_the_notebooks_ask_for_it():
    asked = []
    for path in SOLUTIONS:
        for source in code_sources(path):
            asked += CHECK_CALL.findall(source)
    order = [call.split(".")[1] for call in asked]
    graded = [ex.name for ex in checks.ASSIGNMENT]
    assert [name for name in order if name in graded] == graded


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_solution_shown_by_the_check_is_the_solution_notebooks(exercise):
    solution = tool.SOLUTIONS / f"{exercise.notebook}.ipynb"
    without_markers = [
        "\n".join(line for line in source.splitlines() if "### " not in line) for source in code_sources(solution)
    ]
    assert any(exercise.solution_code.rstrip("\n") in source for source in without_markers)


@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.stem)
def test_learner_notebooks_run_and_only_checks_fail_as_not_attempted(path):
    nb = nbformat.read(path, 4)
    NotebookClient(
        nb,
        timeout=180,
        kernel_name=tool.KERNEL["name"],
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "check" in cell.metadata.get("tags", []):
            assert [e.ename for e in errors] == ["NotAttempted"], cell.source
        else:
            assert errors == [], f"{cell.source}\n{errors and errors[0].evalue}"
