"""How outcomes reach the learner: a rendered box, and a raised exception unless passed."""

import pytest
import tensorflow as tf
from check_harness import assert_no_hidden_inputs, through_the_grader

import checks
from checks import Incorrect, LearnerCodeError, NotAttempted, Outcome, Status


def skeleton(embedding_dim, vocab_size):
    # CODE HERE
    pass


def boom(embedding_dim, vocab_size):
    raise KeyError("no such word")


def wrong(embedding_dim, vocab_size):
    return None if embedding_dim < 0 else 3.0


@pytest.mark.parametrize(
    "answer, exception, heading",
    [
        (skeleton, NotAttempted, "Not attempted yet"),
        (wrong, Incorrect, "Incorrect"),
        (boom, LearnerCodeError, "Your code raised an error"),
    ],
)
def test_check_fails_the_cell_with_an_exception_per_outcome(answer, exception, heading, capsys):
    with pytest.raises(exception) as raised:
        checks.get_initializer.check(answer)
    assert heading.lower() in str(raised.value)
    assert heading in capsys.readouterr().out  # shown before the cell fails (plain text outside IPython)


def right(embedding_dim, vocab_size):
    import tensorflow as tf

    return tf.random.uniform((vocab_size, embedding_dim), -0.5 / embedding_dim, 0.5 / embedding_dim)


def test_check_returns_quietly_when_passed(capsys):
    assert checks.get_initializer.check(right) is None
    assert "Correct" in capsys.readouterr().out


def test_error_message_is_short_and_points_at_the_learners_line():
    outcome = checks.get_initializer.evaluate(boom)
    assert outcome.status is Status.ERROR
    lines = outcome.message.splitlines()
    assert lines[0] == "KeyError: 'no such word'"
    assert len(lines) == 2 and 'raise KeyError("no such word")' in lines[1]


def test_html_escapes_learner_text():
    rendered = Outcome("forward", Status.INCORRECT, "<script>alert(1)</script>")._repr_html_()
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_html_shows_backticked_code_as_code_and_still_escapes_it():
    rendered = Outcome("forward", Status.INCORRECT, "use `a < b` here, not `x`")._repr_html_()
    assert "use <code>a &lt; b</code> here, not <code>x</code>" in rendered
    assert "`" not in rendered


@pytest.mark.parametrize("exercise", checks.EXERCISES.values(), ids=lambda ex: ex.name)
def test_each_hint_shows_the_next_level_then_stays_on_the_last(exercise, capsys, monkeypatch):
    from checks import exercise as module

    monkeypatch.setattr(module, "_HINTS_SHOWN", {})
    assert len(exercise.hints) >= 3
    for level, text in enumerate(exercise.hints, start=1):
        exercise.hint()
        shown = capsys.readouterr().out
        assert f"Hint {level} of {len(exercise.hints)}" in shown and text in shown
    exercise.hint()
    assert exercise.hints[-1] in capsys.readouterr().out and module._HINTS_SHOWN[exercise.name] == len(exercise.hints)
    exercise.solution()
    assert exercise.solution_code.strip() in capsys.readouterr().out


@pytest.mark.parametrize("exercise", checks.EXERCISES.values(), ids=lambda ex: ex.name)
def test_withheld_hints_and_solution_say_so(exercise, capsys, monkeypatch):
    # What a classroom release can hold: no hint levels kept, the solution blanked to None.
    monkeypatch.setattr(type(exercise), "solution_code", None)
    monkeypatch.setattr(type(exercise), "hints", ())
    exercise.solution()
    assert "has not been released" in capsys.readouterr().out
    exercise.hint()
    assert "Hints are turned off" in capsys.readouterr().out
    assert checks.get_initializer.evaluate(wrong).status is Status.INCORRECT  # the check still works


def test_solution_and_hints_are_literals_a_release_can_take_out():
    import ast
    import inspect

    for exercise in checks.EXERCISES.values():
        tree = ast.parse(inspect.getsource(type(exercise)))
        assigned = {
            target.id: node.value
            for node in tree.body[0].body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        assert isinstance(ast.literal_eval(assigned["solution_code"]), str)
        assert all(isinstance(hint, str) for hint in ast.literal_eval(assigned["hints"]))


def test_inside_the_grader_check_hint_and_solution_do_nothing(capsys):
    from checks.exercise import silenced

    with silenced():
        assert checks.get_initializer.check(wrong) is None  # would raise Incorrect otherwise
        checks.get_initializer.hint()
        checks.get_initializer.solution()
    assert capsys.readouterr().out == ""
    with pytest.raises(checks.Incorrect):
        checks.get_initializer.check(wrong)


def test_an_error_names_the_case_that_raised_it():
    def breaks_on_one_column(embedding_dim, vocab_size):
        if embedding_dim == 1:
            raise ValueError("one column")
        return right(embedding_dim, vocab_size)

    outcome = checks.get_initializer.evaluate(breaks_on_one_column)
    assert outcome.status is Status.ERROR
    assert outcome.message.splitlines()[1].startswith("  with embedding_dim=1, vocab_size=7, in breaks_on_one_column()")


def test_an_error_on_a_hidden_case_names_its_group_not_its_text():
    def breaks_on_new_sizes(embedding_dim, vocab_size):
        if vocab_size not in (500, 120, 3000, 7, 1):
            raise ValueError(f"vocab_size={vocab_size} is new")
        return right(embedding_dim, vocab_size)

    cases = checks.get_initializer.cases("secret")
    outcome = checks.get_initializer.decide(checks.get_initializer.observe_all(breaks_on_new_sizes, cases), cases)
    assert outcome.status is Status.ERROR and "ValueError: vocab_size=" not in outcome.message
    assert_no_hidden_inputs(outcome.message, cases)
    assert outcome.message.startswith("ValueError (its text is not shown")
    assert "on a hidden test case (large matrices), in breaks_on_new_sizes()" in outcome.message


def in_ipython(body: str, capsys) -> str:
    """What IPython prints for a cell that defines ``f`` with ``body`` and checks it."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_cell(f"import checks\ndef f(embedding_dim, vocab_size):\n    {body}\nchecks.get_initializer.check(f)")
    finally:
        InteractiveShell.clear_instance()
    return capsys.readouterr().out


def test_ipython_shows_a_failed_check_in_one_line_not_a_traceback(capsys):
    out = in_ipython("return 3.0", capsys)
    shown = [line for line in out.splitlines() if "Incorrect: " in line]
    assert shown == ["Incorrect: get_initializer: incorrect (the message is above)"]
    assert "Traceback" not in out and "exercise.py" not in out
    assert out.count("returned an object of type float") == 1  # the message, once: in the box


def test_ipython_shows_a_check_that_raised_in_one_line_too(capsys):
    out = in_ipython("raise KeyError('no such word')", capsys)
    shown = [line for line in out.splitlines() if line.startswith("LearnerCodeError: ")]
    assert shown == ["LearnerCodeError: get_initializer: your code raised an error (the message is above)"]
    assert "Traceback" not in out and "with embedding_dim=8, vocab_size=500, in f()" in out  # in the box
    assert out.count("KeyError: 'no such word'") == 1


def test_after_an_error_the_other_cases_of_its_group_are_not_run():
    calls = []

    def always_raises(embedding_dim, vocab_size):
        calls.append((embedding_dim, vocab_size))
        raise MemoryError("too much")

    cases = checks.get_initializer.public_cases()
    report = checks.get_initializer.observe_all(always_raises, cases)
    assert len(calls) == len({c["group"] for c in cases}) < len(cases)
    assert checks.get_initializer.decide(report, cases).message.startswith("MemoryError: too much\n  with ")


@pytest.mark.parametrize(
    "fails",
    [
        lambda: tf.nn.embedding_lookup(tf.zeros((3, 2)), [5]),
        lambda: tf.zeros((3, 2)) @ tf.zeros((3, 2)),
        lambda: tf.Variable([1, 2], dtype=tf.int64).assign_add(tf.constant([1, 2])),
        lambda: tf.reshape(tf.zeros((3, 2)), (4,)),
    ],
    ids=["lookup", "matmul", "dtype", "reshape"],
)
def test_tensorflows_internals_are_left_out_of_an_error(fails):
    def answer(embedding_dim, vocab_size):
        return fails()

    message = checks.get_initializer.evaluate(answer).message
    assert message.startswith(("InvalidArgumentError: ", "ValueError: ")), message
    for internal in ("[Op:", "name:", "{{", "<tf.Tensor", "NodeDef"):
        assert internal not in message, message


def test_a_check_stopped_by_an_interrupt_is_a_time_out_in_the_notebook_and_the_grader():
    def never_ends(embedding_dim, vocab_size):
        raise KeyboardInterrupt  # what the kernel raises when the stop button or an autograder stops it

    outcome = checks.get_initializer.evaluate(never_ends)
    assert outcome.status is Status.ERROR and outcome.mistake == "timed-out" and outcome.heading == "Timed out"
    assert "was stopped after" in outcome.message and "loop that never ends" in outcome.message
    assert "raised" not in str(outcome)
    cases = checks.get_initializer.public_cases()
    report = checks.get_initializer.observe_all(never_ends, cases)
    assert checks.get_initializer.decide(through_the_grader(report), cases) == outcome
    shown = outcome._repr_html_()
    assert "Timed out." in shown and "raised an error" not in shown
