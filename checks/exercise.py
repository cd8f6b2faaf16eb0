"""An exercise built on its declaration (``checks.declaration``): its cases, the two halves that judge an
answer, and the check/hint/solution/task it gives learners (``LearnerCalls``).

An exercise is checked in two halves, so the instructor grader can put a process boundary between them:

* ``observe_all(answer, cases)`` runs the learner's code on the cases and returns plain data (a
  report). It is the only half that touches learner code.
* ``decide(report, cases)`` (or ``grade``, which adds the points earned) reaches the outcome from that
  data alone; ``diagnose(case, observation)`` names the mistake one case shows.

In a notebook both halves run in the kernel, on the public cases (and on the hidden ones too where
the environment holds the instructor's secret, GRADE_SECRET: nbgrader's autograde); the grader runs
the first in a sandboxed worker, on the public cases plus cases drawn from the instructor's secret
(``hidden_cases``).

An exercise object is never changed once declared: what a class chooses (its points, how many hints
its release keeps) lives with the grader and the release builder, and which hint a learner has
seen lives in this module.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import time

import numpy as np

from checks import record
from checks.changes import Watched, change_mistake, parameters_of
from checks.declaration import Declaration
from checks.environment import grading_secret
from checks.judging import decide_report, grade_report
from checks.observing import describe_exception, is_placeholder
from checks.outcome import Grade, Outcome, show, show_markdown

#: How many hints each exercise has shown in this kernel: exercise name -> levels shown.
_HINTS_SHOWN: dict[str, int] = {}
#: True while the grader runs a submission's cells: its check, hint and solution calls do nothing.
_SILENCED = [False]


@contextlib.contextmanager
def silenced():
    """While it lasts, ``check``, ``hint`` and ``solution`` do nothing (the grader runs a notebook's
    check cells this way, and judges the answers afterwards, outside the learner's reach)."""
    _SILENCED[0] = True
    try:
        yield
    finally:
        _SILENCED[0] = False


class LearnerCalls:
    """What a learner calls on an exercise in a notebook: ``check``, ``hint``, ``solution``, ``task``. Each
    follows the variant in force in the kernel, and does nothing while the grader runs the notebook."""

    def check(self, answer) -> None:
        """Check ``answer``, show the outcome, and fail the cell unless it passed. Where the environment
        holds the instructor's secret (GRADE_SECRET, set only where the instructor grades: nbgrader's
        autograde), the hidden cases it draws are checked too."""
        __tracebackhide__ = True  # IPython then shows the learner's cell, not this frame
        if _SILENCED[0]:
            return
        if self.in_force() is not self:  # the learner's task is another variant: its check judges
            return self.in_force().check(answer)
        from checks import variation

        outcome = variation.judged(self, answer, grading_secret())
        show(outcome)
        record.note(self, "check", outcome)
        failure = outcome.exception()
        if failure is not None:
            raise failure from None

    def hint(self) -> None:
        """Show the next hint: from what the exercise is about, to which tool, to the code's shape."""
        if _SILENCED[0]:
            return
        if self.in_force() is not self:
            return self.in_force().hint()
        if not self.hints:
            show_markdown(
                f"Hints are turned off for `{self.name}` in this course: your instructor "
                "chose to let you work it out from the notebook."
            )
            return
        level = min(_HINTS_SHOWN.get(self.variant_id, 0) + 1, len(self.hints))
        _HINTS_SHOWN[self.variant_id] = level
        more = (
            "Run `hint()` again for the next one."
            if level < len(self.hints)
            else "That is the last hint; the text above the exercise says where each idea was taught."
        )
        show_markdown(f"**Hint {level} of {len(self.hints)} for `{self.name}`:** {self.hints[level - 1]}\n\n*{more}*")
        record.note(self, "hint", level=level)

    def solution(self) -> None:
        if _SILENCED[0]:
            return
        if self.in_force() is not self:
            return self.in_force().solution()
        if self.solution_code is None:
            show_markdown(
                f"The solution of `{self.name}` has not been released: your instructor "
                "publishes it after the assignment is graded."
            )
        else:
            show_markdown(f"**A solution for `{self.name}`:**\n```python\n{self.solution_code.strip()}\n```")
            record.note(self, "solution")

    def task(self, variant: str | None = None) -> None:
        """Show the task in force, as Markdown a screen reader reads as text; ``task("<variant>")``
        practises another variant of the exercise: the check, hints and solution follow it."""
        if _SILENCED[0]:
            return
        from checks import variation

        variation.show_task(self, variant)


class Exercise(Declaration, LearnerCalls):
    """An exercise: what its module declares (``Declaration``), the cases, the two halves that observe an
    answer and decide on it, and what learners call (``LearnerCalls``)."""

    @property
    def variant_id(self) -> str:
        """Which variant this is, in the grader's results and recorded files: the exercise's name for
        its own task, "<name>.<variant>" for another (``checks.registry`` sets it on those)."""
        return self.name

    def in_force(self) -> Exercise:
        """The variant of this exercise whose task the learner's check, hints and solution follow in
        this kernel: the one allotted to the learner, the one chosen to practise, else the course's own
        (``checks.variation``). The one clear way to ask which variant is in force."""
        from checks import variation

        return variation.in_force(self)

    @property
    def answer_name(self) -> str:
        """The name the learner's answer is defined under: "get_initializer", "EmbeddingModel"."""
        return self.skeleton_path.split(".")[0]

    @functools.cached_property
    def parameters(self) -> tuple:
        """The parameters of the skeleton's function, as the learner's code is called (without self)."""
        nodes = ast.parse(self.skeleton).body
        for part in self.skeleton_path.split("."):
            found = next(node for node in nodes if getattr(node, "name", None) == part)
            nodes = getattr(found, "body", [])
        return parameters_of(found)

    def watched(self, function) -> Watched:
        """``function`` (the learner's), calling which records what it changed of its arguments:
        ``observe`` calls the learner's code through it, then ``record``s the changes in its facts."""
        return Watched(function, self.parameters, self.may_change)

    def diagnose_change(self, case: dict, changed: dict):
        """The mistake of code that changed arguments it was given (``changed``: argument -> what
        changed), named by the first of them in the skeleton's order."""
        order = list(self.parameters)
        argument = min(changed, key=lambda name: order.index(name) if name in order else len(order))
        function = self.skeleton_path.split(".")[-1]
        rows = self.named_rows(case, argument)
        hidden = case.get("hidden", False)
        return change_mistake(function, argument, changed[argument], self.where(case), hidden, rows, self.may_change)

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
        if is_placeholder(self.filled_in(answer), self.skeleton, self.skeleton_path):
            return {"placeholder": True}
        observations, raised_in = [], set()
        for case in self.public_cases() if cases is None else cases:
            if case["group"] in raised_in:  # that group is lost already: spare the time (a memory bomb's, say)
                observations.append({"skipped": True})
                continue
            facts: dict = {}
            started = time.monotonic()
            try:
                self.observe(answer, case, facts)
            except (Exception, SystemExit) as exc:  # the learner's code raised: an outcome, not a crash
                facts["error"] = describe_exception(exc)
                raised_in.add(case["group"])
            except KeyboardInterrupt:  # stopped from outside: the kernel's stop button, an autograder's time limit
                observations.append({"stopped_after": round(time.monotonic() - started, 1)})
                break
            observations.append(facts)
        return {"observations": observations}

    def decide(self, report: dict, cases: list[dict] | None = None, expected: list | None = None) -> Outcome:
        """The verdict on ``report``. ``expected``: what the reference gives on the cases, when the
        caller has it already (the grader computes it outside the sandbox)."""
        cases = self.public_cases() if cases is None else cases
        return decide_report(self, report, self.with_expected(cases, expected))

    def grade(
        self,
        report: dict,
        cases: list[dict] | None = None,
        expected: list | None = None,
        points: float | None = None,
        partial_credit: bool | None = None,
    ) -> Grade:
        """The verdict, the points it is worth and the share earned (the class's choices, else the
        exercise's own), and which case groups were right."""
        cases = self.public_cases() if cases is None else cases
        return grade_report(
            self,
            report,
            self.with_expected(cases, expected),
            self.points if points is None else points,
            self.partial_credit if partial_credit is None else partial_credit,
        )

    def evaluate(self, answer, secret: str | None = None) -> Outcome:
        """The outcome on the public cases, and on the hidden ones ``secret`` draws when given. What the
        reference gives is worked out first, as the grader does, so nothing the learner's code does to
        the inputs can reach it."""
        cases = self.cases(secret)
        judged = self.with_expected(cases)
        return decide_report(self, self.observe_all(answer, cases), judged)

    def outcome(self, status, message: str, mistake: str = "") -> Outcome:
        return Outcome(self.name, status, message, mistake)
