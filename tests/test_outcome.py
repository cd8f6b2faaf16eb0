"""How outcomes reach the learner: a rendered box, and a raised exception unless passed."""
import pytest

import checks
from checks import Incorrect, LearnerCodeError, NotAttempted, Outcome, Status


def skeleton(embedding_dim, vocab_size):
    # CODE HERE
    pass


def boom(embedding_dim, vocab_size):
    raise KeyError("no such word")


def wrong(embedding_dim, vocab_size):
    return None if embedding_dim < 0 else 3.0


@pytest.mark.parametrize("answer, exception, heading", [
    (skeleton, NotAttempted, "Not attempted yet"),
    (wrong, Incorrect, "Incorrect"),
    (boom, LearnerCodeError, "Your code raised an error"),
])
def test_check_fails_the_cell_with_an_exception_per_outcome(answer, exception, heading, capsys):
    with pytest.raises(exception) as raised:
        checks.get_initializer.check(answer)
    assert heading.lower() in str(raised.value)
    assert heading in capsys.readouterr().out  # shown before the cell fails (plain text outside IPython)


def test_check_returns_quietly_when_passed(capsys):
    import tensorflow as tf

    def right(embedding_dim, vocab_size):
        return tf.random.uniform((vocab_size, embedding_dim), -0.5 / embedding_dim, 0.5 / embedding_dim)

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


def test_hint_and_solution_are_shown(capsys):
    for exercise in (checks.make_counter, checks.get_initializer, checks.forward):
        exercise.hint()
        exercise.solution()
        shown = capsys.readouterr().out
        assert exercise.hint_text in shown and exercise.solution_code.strip() in shown


def test_ipython_shows_a_failed_check_in_one_line_not_a_traceback(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_cell("import checks\ndef f(embedding_dim, vocab_size):\n    return 3.0\n"
                       "checks.get_initializer.check(f)")
    finally:
        InteractiveShell.clear_instance()
    out = capsys.readouterr().out
    shown = [line for line in out.splitlines() if "Incorrect: " in line]
    assert len(shown) == 1 and shown[0].startswith("Incorrect: get_initializer: ")
    assert "Traceback" not in out and "exercise.py" not in out
