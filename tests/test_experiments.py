"""The checked experiment of notebook 5, which_rows_move: a prediction judged against what the
notebook's own experiment measures, with the optimizers a learner is invited to try."""

import ast

import nbformat
import pytest
import tensorflow as tf

from checks import Status, experiments
from tools import notebooks

EXPERIMENT = experiments.which_rows_move
NOTEBOOK = notebooks.SOLUTIONS / "05_training.ipynb"


def _notebook_cell(defines: str) -> str:
    cells = [c.source for c in nbformat.read(NOTEBOOK, 4).cells if c.cell_type == "code"]
    return next(source for source in cells if defines in source)


@pytest.fixture(scope="module")
def rows_moved():
    """The notebook's own `rows_moved`, run as the notebook defines it (its check call left out)."""
    import numpy as np

    tree = ast.parse(_notebook_cell("def rows_moved("))
    definition = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "rows_moved")
    namespace = {"np": np, "tf": tf}
    exec(compile(ast.Module(body=[definition], type_ignores=[]), "<rows_moved>", "exec"), namespace)
    return namespace["rows_moved"]


OPTIMIZERS = {  # what the notebook invites a learner to try, and the outcome each shows
    "Adam": (lambda: tf.keras.optimizers.Adam(learning_rate=0.01), "B"),
    "SGD": (lambda: tf.keras.optimizers.SGD(learning_rate=0.1), "A"),
    "SGD with momentum": (lambda: tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), "B"),
    "RMSprop": (lambda: tf.keras.optimizers.RMSprop(learning_rate=0.1), "A"),
    "AdamW": (lambda: tf.keras.optimizers.AdamW(learning_rate=0.01), "C"),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_shows_one_stated_outcome_and_only_that_prediction_holds(rows_moved, name):
    make, shown = OPTIMIZERS[name]
    measurement = rows_moved(make())
    assert EXPERIMENT.outcome_of(measurement) == shown
    for prediction in EXPERIMENT.outcomes:
        outcome = EXPERIMENT.verdict(prediction, measurement)
        assert outcome.status is (Status.PASSED if prediction == shown else Status.INCORRECT), outcome.message
        assert str(sorted(measurement[1])) in outcome.message  # what was measured
        assert EXPERIMENT.why(shown) in outcome.message  # and why
        if prediction != shown:
            assert outcome.mistake == "prediction-did-not-hold"
            assert f"you predicted {prediction} ({EXPERIMENT.outcomes[prediction]})" in outcome.message


def test_the_result_stays_hidden_until_there_is_a_prediction(rows_moved):
    measurement = rows_moved(tf.keras.optimizers.Adam(learning_rate=0.01))
    for prediction in (None, "D", 2, ""):
        outcome = EXPERIMENT.verdict(prediction, measurement)
        assert outcome.status is Status.NOT_ATTEMPTED, prediction
        assert "[1, 2, 3]" not in outcome.message and "Why" not in outcome.message
        assert '"A", "B" or "C"' in outcome.message


def test_a_prediction_is_read_as_a_learner_may_write_it(rows_moved):
    measurement = rows_moved(tf.keras.optimizers.Adam(learning_rate=0.01))
    assert EXPERIMENT.verdict(" b ", measurement).status is Status.PASSED


@pytest.mark.parametrize(
    "measurement, words",
    [
        (None, "a list of 3 lists"),
        (5, "a list of 3 lists"),
        ([[1, 2], [3]], "a list of 3 lists"),
        ([[1, 2], ["three"], [4]], "a list of 3 lists"),
        ([[1, 2], [2, 4], [4]], "none of the stated outcomes"),
    ],
)
def test_a_measurement_that_is_not_the_experiments_is_said_so(measurement, words):
    outcome = EXPERIMENT.verdict("A", measurement)
    assert outcome.status is Status.INCORRECT and words in outcome.message
    assert outcome.mistake in ("not-a-measurement", "no-stated-outcome")


def test_the_check_never_fails_the_cell(capsys):
    for prediction, measurement in [(None, None), ("A", [[1, 2], [1, 2, 3], [1, 2, 3, 4]]), ("Z", 3)]:
        EXPERIMENT.check(prediction, measurement)
    assert capsys.readouterr().out.count("which_rows_move:") == 3


def test_the_notebook_states_the_outcomes_and_setup_the_check_judges():
    solution = nbformat.read(NOTEBOOK, 4)
    statement = next(c.source for c in solution.cells if c.cell_type == "markdown" and "Experiment:" in c.source)
    for key, outcome in EXPERIMENT.outcomes.items():
        assert f'`"{key}"`: {outcome}' in statement
    assert "batches=([1, 2], [3], [4]), vocab=6" in _notebook_cell("def rows_moved(")
    assert EXPERIMENT.batches == ([1, 2], [3], [4]) and EXPERIMENT.rows == 6


def test_the_learner_copy_holds_no_prediction_and_the_solution_one_that_holds():
    learner = [
        c.source for c in nbformat.read(notebooks.LEARNER / "05_training.ipynb", 4).cells if c.cell_type == "code"
    ]
    solution = nbformat.read(NOTEBOOK, 4)
    assert notebooks.strip_solutions(_notebook_cell("prediction = None")) in learner
    assert not any('prediction = "' in source for source in learner)
    checked = next(c for c in solution.cells if "experiments.which_rows_move.check(" in c.source)
    shown = "".join(str(output.get("data", {}).get("text/plain", "")) for output in checked.outputs)
    assert "which_rows_move: Correct. Your prediction held" in shown
