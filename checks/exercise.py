"""The shape every exercise declaration takes, and the check/hint/solution it gives learners.

An exercise is checked in two halves, so the instructor grader can put a process boundary between them:

* ``observe_all(answer, cases)`` runs the learner's code on the cases and returns plain data (a
  report). It is the only half that touches learner code.
* ``verdict(report, cases)`` (or ``grade``, which adds the points earned) reaches the outcome from that
  data alone.

In a notebook both halves run in the kernel; the grader runs the first in a sandboxed worker, on the
public cases plus cases drawn from the instructor's secret (``hidden_cases``).
"""
from __future__ import annotations

import hashlib

import numpy as np

from checks.judging import grade_report, judge_report
from checks.observing import compile_function, describe_exception, is_placeholder
from checks.outcome import Grade, Mistake, Outcome, show, show_markdown


class Exercise:
    # -- what each exercise declares, in its own module ---------------------------------------------
    #: The name learners and gradebooks see, e.g. "get_initializer".
    name: str
    #: The notebook that asks for it (file name without ".ipynb") and its place among that notebook's exercises.
    notebook: str
    order: int = 1
    #: Graded exercises make up the assignment; the others are practice.
    graded: bool = True
    points: float = 1.0
    #: True: the points are shared equally among the case groups the answer gets right. False: all or nothing.
    partial_credit: bool = False
    #: The modules observing relies on (importable names), so the grader can guard and warm them up.
    tf_modules: tuple = ()
    #: The code the learner starts from, exactly as the learner notebook shows it.
    skeleton: str
    #: Which function of the skeleton the learner fills in ("get_initializer", "EmbeddingModel.forward").
    skeleton_path: str
    #: What the learner must pass to ``check()``, for the message when they pass something else.
    expects: str
    #: Literal strings, or None when the instructor withholds them (the release builder blanks them).
    hint_text: str | None = None
    solution_code: str | None = None

    def public_cases(self) -> list[dict]:
        """The cases the notebook's check runs. Plain data only; each has a "group"."""
        raise NotImplementedError

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        """More cases like the public ones, drawn with ``rng``: other sizes, ids and seeds."""
        raise NotImplementedError

    def answer_problem(self, answer) -> str | None:
        """Why ``answer`` is not the kind of thing this exercise checks, or None if it is."""
        raise NotImplementedError

    def filled_in(self, answer):
        """The function of ``answer`` that the learner was asked to fill in."""
        return answer

    def observe(self, answer, case: dict, facts: dict) -> None:
        """Run the learner's code on one case; put what it did into ``facts``, as plain data. If the
        learner's code raises, the facts gathered so far are kept with the error."""
        raise NotImplementedError

    def judge(self, case: dict, observation: dict) -> Mistake | None:
        """The mistake shown by one observation (its key, and a message in the learner's terms), or
        None if it is right."""
        raise NotImplementedError

    def judge_before_error(self, case: dict, observation: dict) -> Mistake | None:
        """A mistake the facts gathered before the learner's code raised already show (it then
        explains the error better than the error does), or None."""
        return None

    def describe(self, case: dict) -> str:
        """The case in a phrase that follows "with" or "for": its inputs, never for a hidden case."""
        raise NotImplementedError

    # -- cases ------------------------------------------------------------------------------------------
    def hidden_cases(self, secret: str) -> list[dict]:
        """Cases drawn from ``secret``: the same secret always gives the same cases."""
        seed = int.from_bytes(hashlib.sha256(f"{secret}\0{self.name}".encode()).digest()[:8], "big")
        return [dict(case, hidden=True) for case in self.draw_cases(np.random.default_rng(seed))]

    def cases(self, secret: str | None = None) -> list[dict]:
        """The public cases, and the hidden ones too when a secret is given."""
        return self.public_cases() + (self.hidden_cases(secret) if secret is not None else [])

    def where(self, case: dict) -> str:
        """How a message starts when it speaks of one case: "For vocab_size=12, ..." or, for a hidden
        case, only which group of cases it belongs to."""
        if case.get("hidden"):
            return f"On a hidden test case ({case['group']})"
        return f"For {self.describe(case)}"

    # -- the two halves ---------------------------------------------------------------------------
    def observe_all(self, answer, cases: list[dict] | None = None) -> dict:
        problem = self.answer_problem(answer)
        if problem:
            return {"wrong_answer": problem}
        if is_placeholder(self.filled_in(answer), compile_function(self.skeleton, self.skeleton_path)):
            return {"placeholder": True}
        observations, raised_in = [], set()
        for case in self.public_cases() if cases is None else cases:
            if case["group"] in raised_in:  # that group is lost already: spare the time (a memory bomb's, say)
                observations.append({"skipped": True})
                continue
            facts: dict = {}
            try:
                self.observe(answer, case, facts)
            except (Exception, SystemExit) as exc:  # the learner's code raised: an outcome, not a crash
                facts["error"] = describe_exception(exc)
                raised_in.add(case["group"])
            observations.append(facts)
        return {"observations": observations}

    def verdict(self, report: dict, cases: list[dict] | None = None) -> Outcome:
        return judge_report(self, report, self.public_cases() if cases is None else cases)

    def grade(self, report: dict, cases: list[dict] | None = None) -> Grade:
        """The verdict, the fraction of the points earned, and which case groups were right."""
        return grade_report(self, report, self.public_cases() if cases is None else cases)

    def evaluate(self, answer) -> Outcome:
        cases = self.public_cases()
        return self.verdict(self.observe_all(answer, cases), cases)

    # -- what learners call -------------------------------------------------------------------------
    def check(self, answer) -> None:
        """Check ``answer``, show the outcome, and fail the cell unless it passed."""
        __tracebackhide__ = True  # IPython then shows the learner's cell, not this frame
        outcome = self.evaluate(answer)
        show(outcome)
        failure = outcome.exception()
        if failure is not None:
            raise failure from None

    def hint(self) -> None:
        if self.hint_text is None:
            show_markdown(f"Hints are turned off for `{self.name}` in this course: your instructor "
                          "chose to let you work it out from the notebook.")
        else:
            show_markdown(f"**Hint for `{self.name}`:** {self.hint_text}")

    def solution(self) -> None:
        if self.solution_code is None:
            show_markdown(f"The solution of `{self.name}` has not been released: your instructor "
                          "publishes it after the assignment is graded.")
        else:
            show_markdown(f"**A solution for `{self.name}`:**\n```python\n{self.solution_code.strip()}\n```")

    def outcome(self, status, message: str, mistake: str = "") -> Outcome:
        return Outcome(self.name, status, message, mistake)
