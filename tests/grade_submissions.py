"""Submission notebooks for the grader's tests, built from the exercise declarations in ``checks``.

``submission(...)`` lays the code cells out as notebooks/04_time_to_code.ipynb does (setup, exercise,
check cell tagged ``check``, hint, "try it", ...), with the learner's answers and any extra cells.
"""

from __future__ import annotations

import textwrap

import nbformat

import checks

SETUP = """from checks.environment import prepare
prepare(seed=42)  # quiet TensorFlow's logs, check the pinned versions, fix the seeds
import numpy as np
import tensorflow as tf
import checks"""

GET_INITIALIZER_SKELETON = checks.get_initializer.skeleton
GET_INITIALIZER_SOLUTION = checks.get_initializer.solution_code
FORWARD_SKELETON = checks.forward.skeleton
FORWARD_SOLUTION = checks.forward.solution_code  # the method only

TRY_GET_INITIALIZER = """small = get_initializer(embedding_dim=4, vocab_size=3)
if small is None:
    print("get_initializer returns None so far: solve exercise 1 first.")
else:
    print(np.round(small.numpy(), 3))"""

TRY_FORWARD = """model = EmbeddingModel(vocab_size=10, embedding_dim=4)
batch = tf.constant([2, 7, 2, 0])
vectors = model.forward(batch)
if vectors is None:
    print("forward returns None so far: solve exercise 2 first.")
else:
    print("embeddings shape:", vectors.shape)"""


def model_class(forward_method: str) -> str:
    """The notebook's EmbeddingModel class with ``forward_method`` (a method, any indentation)."""
    head = FORWARD_SKELETON[: FORWARD_SKELETON.index("    def forward")]
    return head + textwrap.indent(textwrap.dedent(forward_method).strip("\n"), "    ") + "\n"


def get_initializer_def(body: str) -> str:
    """``def get_initializer(embedding_dim, vocab_size):`` with ``body`` (unindented lines)."""
    return (
        "def get_initializer(embedding_dim, vocab_size):\n"
        + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
        + "\n"
    )


def forward_def(body: str) -> str:
    """The class, with ``forward`` made of the skeleton's first line and ``body``."""
    method = (
        "def forward(self, target_ids):\n"
        "    initializer = get_initializer(self.embedding_dim, self.vocab_size)\n"
        + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
        + "\n"
    )
    return model_class(method)


SOLVED_CLASS = model_class(FORWARD_SOLUTION)


def cells(
    get_initializer: str = GET_INITIALIZER_SOLUTION,
    embedding_model: str = SOLVED_CLASS,
    before: tuple = (),
    middle: tuple = (),
    after: tuple = (),
) -> list:
    """The code cells: [(source, tags)]. ``before`` goes after the setup cell, ``middle`` between the
    exercises, ``after`` at the end."""
    return [
        (SETUP, []),
        *[(c, []) for c in before],
        (get_initializer, []),
        ("checks.get_initializer.check(get_initializer)", ["check"]),
        (
            "# Remove the # in front of a line and run the cell if you want help.\n"
            "# checks.get_initializer.hint()\n# checks.get_initializer.solution()",
            [],
        ),
        (TRY_GET_INITIALIZER, []),
        *[(c, []) for c in middle],
        (embedding_model, []),
        ("checks.forward.check(EmbeddingModel)", ["check"]),
        ("# checks.forward.hint()\n# checks.forward.solution()", []),
        (TRY_FORWARD, []),
        *[(c, []) for c in after],
    ]


def notebook(code_cells: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "embedding-matrix", "display_name": "Embedding Matrix (TF 2.21)", "language": "python"},
        "language_info": {"name": "python"},
    }
    nb.cells.append(nbformat.v4.new_markdown_cell("# 4. Time to code"))
    for source, tags in code_cells:
        cell = nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    return nb


def submission(**kwargs) -> str:
    """A whole submission notebook as text."""
    return nbformat.writes(notebook(cells(**kwargs)))


def skeleton_submission(**kwargs) -> str:
    """The learner notebook as shipped: nothing attempted."""
    return submission(get_initializer=GET_INITIALIZER_SKELETON, embedding_model=FORWARD_SKELETON, **kwargs)


# -- the course's own learner notebooks, with a learner's answers -------------------------------------------
WRONG_FORWARD = forward_def(
    "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', "
    "initializer=initializer)\nreturn self.embedding_matrix"
)  # the matrix, not the lookup


def solved_learner_copy(name: str, replace: dict | None = None) -> dict:
    """notebooks/<name>.ipynb as JSON, with the solution notebook's code in each exercise cell (what a
    learner who solved every exercise hands in); ``replace`` maps an exercise's name to other code
    for its cell (a wrong answer)."""
    import json

    from checks.learner_work import definition_of
    from tools import notebooks

    learner = json.loads((notebooks.LEARNER / f"{name}.ipynb").read_text())
    solution = json.loads((notebooks.ROOT / "solutions" / f"{name}.ipynb").read_text())
    assert notebooks.with_answers(learner, solution)
    for exercise_name, code in (replace or {}).items():
        exercise = checks.EXERCISES[exercise_name]
        defines = definition_of(exercise.answer_name)
        cells = [c for c in learner["cells"] if c["cell_type"] == "code" and defines.search("".join(c["source"]))]
        assert len(cells) == 1, (exercise_name, len(cells))
        cells[0]["source"] = code
    return learner
