"""otter-grader test for the `get_initializer` exercise: the course's own check, so otter, the notebook's check
cell and the course's grader give the same verdict. Copy this file into the assignment's tests/ folder."""
try:
    from otter.test_files import test_case
except ImportError:  # run with plain Python (the course's tests do): the decorator then does nothing
    def test_case(**_):
        return lambda function: function

import checks

OK_FORMAT = False
name = "get_initializer"
points = checks.EXERCISES[name].points


@test_case(points=points, hidden=False)
def test_get_initializer(get_initializer):
    # otter passes the notebook's get_initializer by the parameter's name, through a pickle that loses the
    # modules it cannot pickle (TensorFlow): give the learner's code the notebook's imports back.
    import numpy as np
    import tensorflow as tf

    for module_name, module in (("np", np), ("tf", tf), ("checks", checks)):
        getattr(get_initializer, "__globals__", {}).setdefault(module_name, module)
    # A failed check raises, with the message the notebook shows (the mistake, in the learner's terms).
    outcome = checks.get_initializer.evaluate(get_initializer)
    assert outcome.passed, str(outcome)
