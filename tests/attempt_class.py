"""A class of handed-in notebooks whose attempt records real kernels made (``checks/record.py``).

Each learner's notebook is worked in a kernel of its own (nbclient), cell by cell, as a learner works:
the answer cell is rewritten and run, then the check cell; the help cell runs ``hint()`` or
``solution()``. What the kernel showed is saved as the learner hands it in. ``PLANS`` says what each
learner does; the tests work out from the plans alone what the class report must say.

    python tests/attempt_class.py FOLDER   # writes the class into FOLDER (learner/notebook.ipynb)
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))

import grade_submissions as gs  # noqa: E402
from check_harness import table  # noqa: E402
from test_grade_agreement import answer_source, imports_of  # noqa: E402

import checks  # noqa: E402

#: The notebooks the class hands in, and the exercises each holds.
NOTEBOOKS = {"04_time_to_code": ("get_initializer", "forward"), "01_creating_variables": ("count_words",)}

#: learner -> notebook -> steps. A step: (exercise, what): what is the name of an answer of the
#: exercise's table (tests/answers/), run and then checked; "placeholder" (the check run before any
#: answer), "hint", "solution"; or ("define", answer): the answer run but never checked.
#: A notebook listed with CLEARED has its outputs cleared before it is handed in (no record).
CLEARED = "cleared"
PLANS = {
    "ada": {
        "04_time_to_code": [("get_initializer", "canonical"), ("forward", "canonical")],
        "01_creating_variables": [("count_words", "canonical")],
    },
    "ben": {
        "04_time_to_code": [
            ("get_initializer", "shape_swapped"),
            ("get_initializer", "hint"),
            ("get_initializer", "canonical"),
            ("forward", "forgot_return"),
            ("forward", "hint"),
            ("forward", "hint"),
            ("forward", "canonical"),
        ],
        "01_creating_variables": [("count_words", "overwrites_with_assign"), ("count_words", "canonical")],
    },
    "cleo": {
        "04_time_to_code": [
            ("get_initializer", "placeholder"),
            ("get_initializer", "normal"),
            ("get_initializer", "hint"),
            ("get_initializer", "hint"),
            ("get_initializer", "hint"),
            ("get_initializer", "hint"),
            ("get_initializer", "solution"),
            ("get_initializer", "canonical"),
            ("forward", "wrong_name"),
        ],
        "01_creating_variables": [("count_words", "canonical")],
    },
    "dev": {
        "04_time_to_code": [
            ("get_initializer", "shape_swapped"),
            ("get_initializer", "raises"),
            ("get_initializer", "forgot_return"),
            ("forward", "local_matrix"),
            ("forward", "hint"),
        ],
        "01_creating_variables": [
            ("count_words", "numpy_fancy_index"),
            ("count_words", "hint"),
            ("count_words", "canonical"),
        ],
    },
    "eli": {"04_time_to_code": [("get_initializer", "canonical"), ("forward", "canonical")]},
    "fay": {
        "04_time_to_code": [CLEARED, ("get_initializer", "canonical"), ("forward", "forgot_return")],
        "01_creating_variables": [("count_words", "overwrites_with_assign")],
    },
    "gus": {
        "04_time_to_code": [
            ("get_initializer", "forgot_return"),
            ("get_initializer", "hint"),
            ("get_initializer", "normal"),
            ("get_initializer", "canonical"),
            ("forward", ("define", "canonical")),
        ],
        "01_creating_variables": [("count_words", "canonical"), ("count_words", "overwrites_with_assign")],
    },
    "hal": {
        "04_time_to_code": [
            ("get_initializer", "shape_swapped"),
            ("get_initializer", "hint"),
            ("get_initializer", "hint"),
            ("forward", "forgot_return"),
        ],
        "01_creating_variables": [("count_words", "numpy_fancy_index"), ("count_words", "overwrites_with_assign")],
    },
}


def answer(exercise: str, name: str):
    """The answer of the exercise's table called ``name``."""
    found = table(exercise)
    for candidate in [*found.RIGHT, *(row[0] for row in found.WRONG)]:
        if getattr(getattr(candidate, "forward", candidate), "__name__", "") == name:
            return candidate
    raise KeyError(f"{exercise} has no answer {name!r}")


def layout(notebook: str) -> tuple[nbformat.NotebookNode, dict]:
    """The notebook's cells, as a learner's copy lays them out (setup, then each exercise's answer, check
    and help cells), and exercise -> (answer cell, check cell, help cell) indices."""
    exercises = [checks.EXERCISES[name] for name in NOTEBOOKS[notebook]]
    imports = "\n".join(
        dict.fromkeys(
            line
            for ex in exercises
            for a in [*table(ex.name).RIGHT, *(row[0] for row in table(ex.name).WRONG)]
            for line in imports_of(a).splitlines()
        )
    )
    cells = [(gs.SETUP, []), (imports, [])]
    places = {}
    for ex in exercises:
        skeleton = ex.skeleton if "." not in ex.skeleton_path else gs.FORWARD_SKELETON
        first = len(cells) + 1  # the notebook starts with its title, a Markdown cell
        places[ex.name] = (first, first + 1, first + 2)
        cells += [
            (skeleton, []),
            (f"checks.{ex.name}.check({ex.answer_name})", ["check"]),
            (f"# checks.{ex.name}.hint()\n# checks.{ex.name}.solution()", []),
        ]
    return gs.notebook(cells), places


def work(learner: str, notebook: str, folder: Path) -> Path:
    """Work ``notebook`` as ``learner``'s plan says, in a kernel of its own; save it into folder/learner/."""
    from nbclient import NotebookClient

    steps = PLANS[learner][notebook]
    nb, places = layout(notebook)
    path = folder / learner / f"{notebook}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if CLEARED in steps:  # handed in with its outputs cleared: only the answers matter
        for exercise, what in (step for step in steps if step != CLEARED):
            nb.cells[places[exercise][0]].source = answer_source(checks.EXERCISES[exercise], answer(exercise, what))
        path.write_text(nbformat.writes(nb))
        return path
    client = NotebookClient(
        nb,
        timeout=600,
        startup_timeout=600,  # a kernel that imports TensorFlow on a busy machine takes its time
        kernel_name="embedding-matrix",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    with client.setup_kernel():
        for index in (1, 2):  # the setup and the imports
            client.execute_cell(nb.cells[index], index)
        for exercise, what in steps:
            answer_cell, check_cell, help_cell = places[exercise]
            if what in ("hint", "solution"):
                nb.cells[help_cell].source = f"checks.{exercise}.{what}()"
                client.execute_cell(nb.cells[help_cell], help_cell)
                continue
            checked = not isinstance(what, tuple)
            name = what if checked else what[1]
            if name != "placeholder":
                nb.cells[answer_cell].source = answer_source(checks.EXERCISES[exercise], answer(exercise, name))
            client.execute_cell(nb.cells[answer_cell], answer_cell)
            if checked:
                client.execute_cell(nb.cells[check_cell], check_cell)
    path.write_text(nbformat.writes(nb))
    return path


def make_class(folder: Path, workers: int = 2) -> list[Path]:
    """Every learner's notebooks, worked in kernels ``workers`` at a time."""
    jobs = [(learner, notebook) for learner, notebooks in PLANS.items() for notebook in notebooks]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(work, *zip(*jobs), [folder] * len(jobs)))


if __name__ == "__main__":
    print("\n".join(map(str, make_class(Path(sys.argv[1])))))
