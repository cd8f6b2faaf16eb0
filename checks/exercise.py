"""The shape every exercise declaration takes, and the check/hint/solution it gives learners.

An exercise is checked in two halves, so the instructor grader can put a process boundary between them:

* ``observe_all(answer)`` runs the learner's code on the exercise's cases and returns plain data (a
  report). It is the only half that touches learner code.
* ``verdict(report)`` reaches the outcome from that data alone.

In a notebook both halves run in the kernel; the grader runs the first in a sandboxed worker.
"""
from __future__ import annotations

from checks.learner_code import compile_function, describe_exception, is_placeholder
from checks.outcome import Outcome, Status


class Exercise:
    #: The name learners and gradebooks see, e.g. "get_initializer".
    name: str
    #: The code the learner starts from, exactly as the learner notebook shows it.
    skeleton: str
    #: Which function of the skeleton the learner fills in ("get_initializer", "EmbeddingModel.forward").
    skeleton_path: str
    #: What the learner must pass to ``check()``, for the message when they pass something else.
    expects: str
    hint_text: str
    solution_code: str

    # -- what each exercise declares ------------------------------------------------------------
    def cases(self) -> list[dict]:
        """Inputs to try, including ones the notebook never shows. Plain data only."""
        raise NotImplementedError

    def answer_problem(self, answer) -> str | None:
        """Why ``answer`` is not the kind of thing this exercise checks, or None if it is."""
        raise NotImplementedError

    def filled_in(self, answer):
        """The function of ``answer`` that the learner was asked to fill in."""
        return answer

    def observe(self, answer, case: dict) -> dict:
        """Run the learner's code on one case; return what it did, as plain data."""
        raise NotImplementedError

    def judge(self, case: dict, observation: dict) -> str | None:
        """The mistake shown by one observation, in the learner's terms, or None if it is right."""
        raise NotImplementedError

    # -- the two halves ---------------------------------------------------------------------------
    def observe_all(self, answer, cases: list[dict] | None = None) -> dict:
        problem = self.answer_problem(answer)
        if problem:
            return {"wrong_answer": problem}
        if is_placeholder(self.filled_in(answer), compile_function(self.skeleton, self.skeleton_path)):
            return {"placeholder": True}
        observations = []
        for case in self.cases() if cases is None else cases:
            try:
                observations.append(self.observe(answer, case))
            except Exception as exc:  # the learner's code raised: that is an outcome, not a crash
                return {"observations": observations, "error": describe_exception(exc)}
        return {"observations": observations}

    def verdict(self, report: dict, cases: list[dict] | None = None) -> Outcome:
        if report.get("placeholder"):
            return self._outcome(Status.NOT_ATTEMPTED,
                                 "Replace the `# CODE HERE` placeholder with your code, then run this check again.")
        if "wrong_answer" in report:
            return self._outcome(Status.INCORRECT, report["wrong_answer"])
        cases = self.cases() if cases is None else cases
        observations = report["observations"]
        for case, observation in zip(cases, observations):
            mistake = self.judge(case, observation)
            if mistake:
                return self._outcome(Status.INCORRECT, mistake)
        if "error" in report:
            return self._outcome(Status.ERROR, report["error"])
        if len(observations) != len(cases):  # never from observe_all; a report that skipped cases proves nothing
            return self._outcome(Status.ERROR, f"The check got results for {len(observations)} of the "
                                               f"{len(cases)} test cases, so it cannot say your code is right.")
        return self._outcome(Status.PASSED, "Well done: your code gives the right result on every test case.")

    def evaluate(self, answer) -> Outcome:
        return self.verdict(self.observe_all(answer))

    # -- what learners call -------------------------------------------------------------------------
    def check(self, answer) -> None:
        """Check ``answer``, show the outcome, and fail the cell unless it passed."""
        __tracebackhide__ = True  # IPython then shows the learner's cell, not this frame
        outcome = self.evaluate(answer)
        _show(outcome)
        failure = outcome.exception()
        if failure is not None:
            raise failure from None

    def hint(self) -> None:
        _show_markdown(f"**Hint for `{self.name}`:** {self.hint_text}")

    def solution(self) -> None:
        _show_markdown(f"**A solution for `{self.name}`:**\n```python\n{self.solution_code.strip()}\n```")

    def _outcome(self, status: Status, message: str) -> Outcome:
        return Outcome(self.name, status, message)


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _show(outcome: Outcome) -> None:
    if _in_notebook():
        from IPython.display import display

        display(outcome)
    else:
        print(outcome)


def _show_markdown(text: str) -> None:
    if _in_notebook():
        from IPython.display import Markdown, display

        display(Markdown(text))
    else:
        print(text)
