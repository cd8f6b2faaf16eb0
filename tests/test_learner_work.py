"""Notebook 5's loader: it judges the learner's notebook 4 exactly as notebook 4's checks do."""

import re

import nbformat
import numpy as np
import pytest
import tensorflow as tf

import checks
from checks import learner_work

SETUP = (
    "from checks.environment import prepare\nprepare(seed=42)\n"
    "import numpy as np\nimport tensorflow as tf\nimport checks"
)
CLASS_HEAD = checks.forward.skeleton.split("    # Forward run")[0]
RIGHT_FORWARD = CLASS_HEAD + checks.forward.solution_code


def notebook(tmp_path, *cells, name="04_time_to_code"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in (SETUP, *cells)]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("exercise", checks.ASSIGNMENT, ids=lambda ex: ex.name)
def test_the_answer_it_looks_for_is_what_the_skeleton_defines(exercise):
    assert learner_work.definition_of(exercise.answer_name).search(exercise.skeleton)


def test_one_pattern_finds_where_an_answer_is_defined():
    """The course, the grader and the notebook tools find an answer's definition by this one pattern:
    a def or class line for exactly that name, at any indentation, even in a cell that does not parse."""
    defines = learner_work.definition_of("get_initializer")
    assert defines.search("x = 1\ndef get_initializer(embedding_dim, vocab_size):\n    pass")
    assert defines.search("if True:\n    def get_initializer(a, b) return\n")  # a syntax error
    assert learner_work.definition_of("EmbeddingModel").search("class EmbeddingModel:\n    def forward(self): ...")
    for elsewhere in ("def get_initializer_v2(a, b): ...", "# def get_initializer(a, b)", "get_initializer(4, 10)"):
        assert not defines.search(elsewhere), elsewhere


def test_a_syntax_error_is_reported_only_in_a_cell_that_defines_an_answer(tmp_path):
    path = notebook(
        tmp_path,
        "# an old get_initializer: def get_initializer(\nx = (",
        "def get_initializer(embedding_dim, vocab_size)\n    return 0",
        RIGHT_FORWARD,
    )
    notes = [line for line in str(learner_work.load(path)).splitlines() if "syntax error" in line]
    assert notes == ["  Note: code cell 3 has a syntax error (line 1: expected ':')."], notes


def test_constants_helpers_and_imports_the_definitions_use_are_kept_and_nothing_else_runs(tmp_path):
    path = notebook(
        tmp_path,
        "import tensorflow.compat.v1 as tf1\nNUMERATOR = 0.5\nraise RuntimeError('a cell that must not run')",
        "def bound(embedding_dim):\n    return NUMERATOR / embedding_dim",
        "def get_initializer(embedding_dim, vocab_size):\n"
        "    return tf1.random_uniform((vocab_size, embedding_dim), -bound(embedding_dim), bound(embedding_dim))",
        "checks.get_initializer.check(get_initializer)\nprint('must not run either')",
        RIGHT_FORWARD,
    )
    work = learner_work.load(path)
    assert "\u2714 get_initializer: your exercise passes" in str(work), str(work)
    assert "\u2714 forward: your exercise passes" in str(work), str(work)
    assert "must not run" not in str(work) and "Note" not in str(work)
    assert work.EmbeddingModel(10, 4).forward(tf.constant([1, 2])).shape == (2, 4)


def test_an_error_names_the_line_of_the_learners_code(tmp_path):
    broken = RIGHT_FORWARD.replace("        return embeddings", "        return embeddings[target_ids.shape[0]]")
    work = learner_work.load(notebook(tmp_path, broken))
    assert "\u2718 forward: your exercise does not pass yet (error)" in str(work)
    assert "at: return embeddings[target_ids.shape[0]]" in str(work)


def test_an_answer_that_does_not_pass_is_replaced_by_the_reference(tmp_path):
    wrong = "def get_initializer(embedding_dim, vocab_size):\n    return tf.zeros((vocab_size, embedding_dim))"
    work = learner_work.load(notebook(tmp_path, wrong, RIGHT_FORWARD))
    assert "so this notebook uses the reference get_initializer" in str(work)
    assert "Your EmbeddingModel now calls the reference get_initializer." in str(work)
    values = work.EmbeddingModel(100, 8).forward(tf.constant([0, 1]))
    assert np.abs(values.numpy()).max() > 0  # the reference's random values, not the learner's zeros


def test_a_missing_notebook_gives_the_reference_answers(tmp_path):
    work = learner_work.load(tmp_path / "04_time_to_code.ipynb")
    assert "Could not read" in str(work) and "Finish the exercises in 04_time_to_code.ipynb" in str(work)
    assert work.get_initializer(4, 10).shape == (10, 4)


def test_only_the_answers_a_notebook_trains_with_speak_of_training():
    def nearest_neighbours(matrix, word_id, k):
        return list(range(k))  # the first k ids, whatever the matrix says

    lines = str(learner_work.use(nearest_neighbours, notebook="05_training")).splitlines()
    assert lines[1].startswith("\u2718 nearest_neighbours: your exercise does not pass yet (incorrect)")
    assert lines[-1] == (
        "Once your nearest_neighbours passes its check in 05_training.ipynb, run this cell again to use your own."
    )
    assert not any(re.search(r"\btrain", line) for line in lines)  # "05_training" names the notebook only


def test_use_judges_definitions_of_this_notebook(monkeypatch):
    from answers.forward import canonical
    from answers.get_initializer import canonical as get_initializer

    # use() points the class's module at the reference get_initializer, as it does a notebook's; here
    # that module is answers.forward, whose own (wrong) one other tests rely on: put it back afterwards.
    module_globals = canonical.forward.__globals__
    monkeypatch.setitem(module_globals, "get_initializer", module_globals["get_initializer"])

    work = learner_work.use(get_initializer, None)
    assert "\u2714 get_initializer" in str(work) and work.get_initializer is get_initializer
    with pytest.raises(AttributeError):
        work.nothing_of_that_name  # noqa: B018 (the attribute read is what is tested)
    assert learner_work.use(None, canonical).EmbeddingModel is canonical


def test_a_withheld_reference_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setattr(type(checks.get_initializer), "solution_code", None)
    work = learner_work.load(tmp_path / "04_time_to_code.ipynb")
    assert "has not released the reference get_initializer" in str(work)
    with pytest.raises(learner_work.ReferenceWithheld, match="not released"):  # stops at the load cell, plainly
        work.get_initializer  # noqa: B018 (the attribute read is what is tested)
    assert work.EmbeddingModel is not None
