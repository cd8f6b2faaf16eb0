"""What each exercise declares in its own module: the class attributes every exercise sets (or keeps the
default of) and the hooks an exercise fills in to observe an answer and name its mistakes.
``checks.exercise.Exercise`` builds the check, the grader's two halves and the learner's calls on them;
``checks.short.ShortExercise`` fills the hooks in from a reference solution.
"""

from __future__ import annotations

import numpy as np

from checks.outcome import Mistake


class Declaration:
    #: The name learners and gradebooks see, e.g. "get_initializer".
    name: str
    #: The notebook that asks for it (file name without ".ipynb") and its place among that notebook's exercises.
    notebook: str
    order: int = 1
    #: Graded exercises make up the assignments; the others are practice.
    graded: bool = True
    #: The course's defaults; classroom.toml may choose others for a class.
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
    #: Literal strings, from the idea to the tool to the shape of the code, none holding a line of the
    #: answer; ``hint()`` shows the next one each time. A release may keep only the first few.
    hints: tuple = ()
    #: A literal string, or None where the instructor withholds it (the release builder blanks it).
    solution_code: str | None = None
    #: Judged against what a reference solution gives (``with_expected``), which the grader works out
    #: outside its sandboxes before any submission runs.
    judged_against_reference: bool = False
    #: True: the grader runs the notebook's cells, as a kernel would, before observing the answer. False:
    #: only what defining the answer needs (imports, constants, helpers), for a notebook whose cells
    #: cannot run in the grader's sandbox (notebook 5 reads the corpus and trains for minutes).
    needs_the_whole_notebook: bool = True
    #: Which task of the exercise this declaration is, as a short key ("occurrences"); None for an
    #: exercise that has one task. An exercise may have other variants, other tasks for the same skeleton
    #: (checks/variants/<name>/): the course's own is declared in checks/exercises/, the others there.
    variant: str | None = None
    #: The variant's task in a few words ("how often each word occurs"), where variants are listed.
    variant_title: str = ""
    #: The task in Markdown, as ``task()`` shows it: what the function is given and what it must do.
    statement: str = ""
    #: The arguments the exercise asks the function to change in place (``count_words``: its counter). A
    #: change to any other argument is a mistake (``checks.changes``), whatever the function returns.
    may_change: tuple = ()

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

    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        """The mistake one observation shows (its key, and a message in the learner's terms: what the
        code did and what was expected, never the code to type), or None if it is right."""
        raise NotImplementedError

    def diagnose_before_error(self, case: dict, observation: dict) -> Mistake | None:
        """A mistake the facts gathered before the learner's code raised already show (it then
        explains the error better than the error does), or None."""
        return None

    def diagnose_all(self, cases: list[dict], observations: list[dict]) -> Mistake | None:
        """A mistake that only every case together shows (it then names the answer better than the
        first wrong case does), or None."""
        return None

    def describe(self, case: dict) -> str:
        """The case in a phrase that follows "with" or "for": its inputs, never for a hidden case."""
        raise NotImplementedError

    def named_rows(self, case: dict, argument: str) -> dict:
        """Rows of an argument that a message about a change to it names by their role: row -> name
        ("the pad id's row"), which a hidden case may show too."""
        return {}

    def with_expected(self, cases: list[dict], expected: list | None = None) -> list[dict]:
        """The cases as the judge needs them. Exercises judged against a reference solution add what
        it gives on each case (``checks.short``); the others need nothing more."""
        return cases
