"""Checked experiments: the learner predicts one of a few stated outcomes, runs a cheap experiment,
and the check says whether the prediction held, what was measured and why.

An experiment is practice, never graded, and it has no answer to withhold: what is right is what the
experiment measures where the learner runs it. So its check is given the prediction and the
measurement, names the outcome the measurement shows, and explains it. It never fails the cell (a
prediction that did not hold is part of learning, not an error), and it keeps the measurement to
itself until there is a prediction, so that running every cell first spoils nothing. Notebook 5 asks::

    prediction = "A"  # the learner's choice among the outcomes the notebook states
    experiments.which_rows_move.check(prediction, rows_moved(tf.keras.optimizers.Adam(learning_rate=0.01)))

Its verdict is an ``Outcome``, shown as every check's is. An experiment declares its ``outcomes`` (key
to the outcome as the notebook states it), and says which of them a measurement shows
(``outcome_of``), what was measured (``measured``) and why that happens (``why``).
"""

from __future__ import annotations

from checks.outcome import Outcome, Status, show


class Experiment:
    #: The name the verdict shows, e.g. "which_rows_move".
    name: str
    #: The outcomes the notebook states, by key ("A", "B", ...), each as the notebook words it.
    outcomes: dict[str, str]

    def measurement_problem(self, measurement) -> str | None:
        """Why ``measurement`` is not what the notebook's experiment returns, or None."""
        raise NotImplementedError

    def outcome_of(self, measurement) -> str | None:
        """The key of the outcome ``measurement`` shows, or None when it shows none of them."""
        raise NotImplementedError

    def measured(self, measurement) -> str:
        """What was measured, as a sentence: "Step 2 looked up only row 3 and changed rows [1, 2, 3] (...)."."""
        raise NotImplementedError

    def why(self, outcome: str) -> str:
        """Why the experiment comes out as ``outcome``, in a sentence or two."""
        raise NotImplementedError

    def verdict(self, prediction, measurement) -> Outcome:
        *others, last = [f'"{key}"' for key in self.outcomes]
        choices = f"{', '.join(others)} or {last}"
        if prediction is None:
            return Outcome(
                self.name,
                Status.NOT_ATTEMPTED,
                f"`prediction` is still None. Set it to {choices} in the cell above and run that cell, then "
                "this one: the result stays hidden until you have made your prediction.",
            )
        key = prediction.strip().upper() if isinstance(prediction, str) else None
        if key not in self.outcomes:
            return Outcome(
                self.name,
                Status.NOT_ATTEMPTED,
                f"`prediction` is {prediction!r}, which names none of the outcomes: set it to {choices}.",
            )
        problem = self.measurement_problem(measurement)
        if problem:
            return Outcome(self.name, Status.INCORRECT, problem, "not-a-measurement")
        shown = self.outcome_of(measurement)
        if shown is None:
            return Outcome(
                self.name,
                Status.INCORRECT,
                f"{self.measured(measurement)} That is none of the stated outcomes, so no prediction could "
                "hold: was the experiment changed? As the notebook gives it, it shows one of them.",
                "no-stated-outcome",
            )
        if shown == key:
            return Outcome(
                self.name,
                Status.PASSED,
                f"Your prediction held: outcome {key}. {self.measured(measurement)} {self.why(shown)}",
            )
        return Outcome(
            self.name,
            Status.INCORRECT,
            f"Your prediction did not hold: you predicted {key} ({self.outcomes[key]}), and the experiment "
            f"shows {shown} ({self.outcomes[shown]}). {self.measured(measurement)} {self.why(shown)}",
            "prediction-did-not-hold",
        )

    def check(self, prediction, measurement) -> None:
        """Show whether ``prediction`` held on ``measurement``; never fails the cell."""
        show(self.verdict(prediction, measurement))


class WhichRowsMove(Experiment):
    """Notebook 5: the gradient of a lookup holds only the rows a batch read; does a training step then
    change only those rows? Three steps on a table of six rows, each looking up other rows; the outcome
    is which rows the second step changed."""

    name = "which_rows_move"
    #: The rows each step looks up, and the table's number of rows, as the notebook's `rows_moved` has them.
    batches = ([1, 2], [3], [4])
    rows = 6
    outcomes = {
        "A": "only row 3, the row step 2 looked up",
        "B": "rows 1, 2 and 3, every row looked up so far",
        "C": "all six rows",
    }
    _WHY = {
        "A": (
            "Why: this optimizer moves a row in step 2 by an amount made from its step-2 gradient (what "
            "it remembers of earlier steps only scales that amount), and a row the batch did not read "
            "has a gradient of zero: the update is as sparse as the gradient."
        ),
        "B": (
            "Why: the gradient of step 2 is zero for rows 1 and 2, but the optimizer keeps a running average "
            "of each row's past gradients (momentum; Adam keeps one), and theirs still holds what step 1 "
            "gave them, so they keep moving. Rows 0 and 5, never looked up, have an average of zero and "
            "stay put: a sparse gradient does not make a sparse update."
        ),
        "C": (
            "Why: something moves every value whatever its gradient: weight decay (AdamW has it) shrinks the "
            "whole table at every step, rows 0 and 5, never looked up, included."
        ),
    }

    def measurement_problem(self, measurement) -> str | None:
        steps = len(self.batches)
        try:
            moved = [sorted(int(row) for row in step) for step in measurement]
        except (TypeError, ValueError):
            moved = None
        if moved is None or len(moved) != steps:
            return (
                f"The check needs what `rows_moved` returns, a list of {steps} lists of row numbers (the rows "
                f"each step changed); it got {type(measurement).__name__} {str(measurement)[:80]}."
            )
        return None

    def outcome_of(self, measurement) -> str | None:
        second = set(int(row) for row in measurement[1])
        expected = {
            "A": set(self.batches[1]),
            "B": set(self.batches[0]) | set(self.batches[1]),
            "C": set(range(self.rows)),
        }
        return next((key for key, rows in expected.items() if rows == second), None)

    def measured(self, measurement) -> str:
        steps = [sorted(int(row) for row in step) for step in measurement]
        looked_up = " and ".join(str(row) for row in self.batches[1])
        return f"Step 2 looked up only row {looked_up} and changed rows {steps[1]} (steps 1, 2 and 3 changed {steps})."

    def why(self, outcome: str) -> str:
        return self._WHY[outcome]


which_rows_move = WhichRowsMove()
